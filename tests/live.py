"""Serve an app on a free loopback port for browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server

from jdtool.app import create_app


def browser_test_app(database_url: str) -> Flask:
    """The app on its own database (see the `live_database_url` fixture), for a live server."""
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "browser-test-secret",
        }
    )


def seeded_app(database_url: str, seed_ids: tuple[str, ...], email: str, password: str) -> Flask:
    """`browser_test_app` with an HR officer (`email`) and the given seeds' checked content stored
    as drafts (by a factory: the importer is not involved)."""
    from jdtool.services.users import create_user

    from .factories import create_seed_document

    app = browser_test_app(database_url)
    with app.extensions["jdtool_sessions"]() as session:
        create_user(session, email, password, name="HR officer")
        for seed_id in seed_ids:
            create_seed_document(session, seed_id)
        session.commit()
    return app


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Run `app` on 127.0.0.1 in a daemon thread; yields its base URL, shuts down at the end."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["jdtool_engine"].dispose()


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot of a browser test's page to `test-artifacts/NAME.png`."""
    from .rendering import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
