"""The web application factory (also used by the command line for configuration and database)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def create_app(test_config: dict | None = None) -> Flask:
    """Create the web application (also used by the CLI for its configuration and database)."""
    # The instance folder holds the SQLite database and the secret key; JDTOOL_INSTANCE_PATH
    # moves it (e.g. to a writable folder on a server).
    instance = os.environ.get("JDTOOL_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance) if instance else None,
        instance_relative_config=True,
        template_folder=str(TEMPLATES),
    )
    from .config import default_config

    app.config.from_mapping(default_config(app.instance_path))
    app.config.from_prefixed_env("JDTOOL")
    if test_config is not None:
        app.config.from_mapping(test_config)

    from .web import init_web

    init_web(app)
    return app
