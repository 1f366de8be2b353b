"""`jdtool serve`: the web app under gunicorn, with one or more worker processes."""

from __future__ import annotations

import gc

from flask import Flask
from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    """Gunicorn serving an app object created (and its schema upgraded) before the fork."""

    def __init__(self, app: Flask, options: dict) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn: skip
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._app


def _post_fork(_server, worker) -> None:
    """A new worker drops any pooled connection it inherited; it opens its own on first use.
    (`close=False`: the connections belong to the parent, which must not see them closed.)"""
    worker.app.load().extensions["jdtool_engine"].dispose(close=False)


def run_server(app: Flask, host: str, port: int, workers: int, timeout: int) -> None:
    """Serve `app` until interrupted (gunicorn exits the process on a fatal error).

    Everything loaded so far (the app, its templates, the mapped classes) lives as long as the
    process, so it is moved out of the cycle collector's sight before the workers fork: a
    page that builds many objects (moderation of a large round) otherwise pays for the
    collector walking all of it again and again, and the workers keep sharing those pages."""
    gc.collect()
    gc.freeze()
    _Server(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": 4,
            "timeout": timeout,
            "accesslog": "-",
            # Worker PID first, so a request can be traced to the process that served it.
            "access_log_format": '%(p)s %(h)s "%(r)s" %(s)s %(b)s %(L)ss',
            "post_fork": _post_fork,
            # No control socket: it has one fixed path per user, which two jdtool servers on one
            # machine would fight over, and jdtool needs no runtime control.
            "control_socket_disable": True,
        },
    ).run()
