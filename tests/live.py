"""Serve an app on a free loopback port for browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from jdtool import create_app


def browser_test_app(folder: Path) -> Flask:
    """The app on its own SQLite database in `folder`, for a live server."""
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{folder / 'jdtool.sqlite3'}",
            "SECRET_KEY": "browser-test-secret",
        }
    )


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
