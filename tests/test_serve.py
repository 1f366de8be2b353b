"""`jdtool serve --workers N`: gunicorn worker processes sharing one database and one secret."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest

EMAIL = "hr@example.org"
PASSWORD = "correct horse battery"
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: The access log line of one request: worker PID first (see jdtool/server.py).
ACCESS_LINE = re.compile(r'^<(\d+)> \S+ "(\w+) (\S+) HTTP/[\d.]+" (\d+)')
#: Bounds: how long a server may take to start, and how many probes may find a second worker.
START_SECONDS = 60
PROBES = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A `jdtool serve` subprocess; its output (gunicorn's and the access log) goes to a file."""

    def __init__(self, database_url: str, instance: Path, workers: int, log: Path) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = log
        environment = {**os.environ, "JDTOOL_INSTANCE_PATH": str(instance)}
        # urllib's cookie jar (unlike a browser) never sends a Secure cookie over http.
        environment["JDTOOL_SESSION_COOKIE_SECURE"] = "false"
        environment.pop("JDTOOL_SECRET_KEY", None)
        port = self.url.rsplit(":", 1)[1]
        command = [sys.executable, "-c", "from jdtool.cli import main; main()"]
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [*command, "--db", database_url, "serve", "--workers", str(workers),
                 "--host", "127.0.0.1", "--port", port],
                stdout=output, stderr=subprocess.STDOUT, env=environment,
            )  # fmt: skip

    def wait_until_ready(self) -> dict:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"jdtool serve exited:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    return json.load(response)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError(f"jdtool serve did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # as Ctrl+C: gunicorn's quick shutdown
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def served_by(self, method: str, path: str) -> int:
        """The PID of the worker that served this request (its log line may lag the response)."""
        deadline = time.monotonic() + 10
        while True:
            for pid, logged_method, logged_path, _ in self.access_log():
                if (logged_method, logged_path) == (method, path):
                    return pid
            if time.monotonic() > deadline:
                raise AssertionError(f"{method} {path} is not in the access log")
            time.sleep(0.05)

    def access_log(self) -> list[tuple[int, str, str, int]]:
        """(worker PID, method, path, status) of each request served so far."""
        lines = (ACCESS_LINE.match(line) for line in self.log.read_text().splitlines())
        return [(int(m[1]), m[2], m[3], int(m[4])) for m in lines if m]


@pytest.fixture
def server(database_url, create_user, tmp_path) -> Iterator[Server]:
    create_user(EMAIL, PASSWORD)
    running = Server(database_url, tmp_path / "instance", 2, tmp_path / "serve.log")
    try:
        yield running
    finally:
        running.stop()


class Browser:
    """Just enough of a browser: a cookie jar, no redirects followed, a new connection a request
    (so the workers share the requests between them)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path: str, form: dict | None = None) -> tuple[int, str, dict]:
        data = urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(f"{self.base_url}{path}", data=data, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def sign_in(self) -> None:
        status, page, _ = self.request("/login")
        assert status == 200
        token = CSRF_TOKEN.search(page)[1]
        status, _, headers = self.request(
            "/login", {"csrf_token": token, "email": EMAIL, "password": PASSWORD}
        )
        assert status == 302, "signing in should redirect to the job descriptions"
        assert headers["Location"] == "/"


def test_two_workers_share_logins_and_the_database(server, tmp_path):
    health = server.wait_until_ready()
    assert health["status"] == "ok"
    assert health["database"] == "ok"
    secret = tmp_path / "instance" / "secret_key"
    assert len(secret.read_text().strip()) == 64
    assert [p.name for p in (tmp_path / "instance").iterdir()] == ["secret_key"]

    browser = Browser(server.url)
    assert {browser.request("/")[0] for _ in range(4)} == {302}  # not signed in yet: to /login
    browser.sign_in()
    signed_in_by = server.served_by("POST", "/login")
    pages, pids = [], set()
    for probe in range(PROBES):  # until both workers have answered
        status, page, _ = browser.request(f"/?probe={probe}")
        assert status == 200, f"probe {probe} was not signed in: {status}"
        pages.append(page)
        pids.add(server.served_by("GET", f"/?probe={probe}"))
        if len(pids) == 2:
            break
    assert len(pids) == 2, f"{len(pages)} requests were all served by one worker"
    assert signed_in_by in pids  # so the other worker accepted a login made by this one
    assert all("Sign out" in page for page in pages)


def _read_or_create_secret(instance: str) -> str:
    from jdtool.config import default_config

    return default_config(instance)["SECRET_KEY"]


def test_workers_starting_at_once_agree_on_one_secret_key(tmp_path):
    """Two processes creating the instance secret at the same moment end up with the same one."""
    from concurrent.futures import ProcessPoolExecutor

    instance = str(tmp_path / "instance")
    with ProcessPoolExecutor(4) as pool:
        keys = list(pool.map(_read_or_create_secret, [instance] * 8))
    assert len(set(keys)) == 1
    assert len(keys[0]) == 64
    assert [p.name for p in (tmp_path / "instance").iterdir()] == ["secret_key"]
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_sqlite_lets_one_process_write_while_another_waits(tmp_path):
    """Write-ahead logging and a busy timeout: a second writer waits instead of failing."""
    import threading

    from sqlalchemy import text

    from jdtool.db import make_engine

    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first, second = make_engine(url), make_engine(url)
    with first.begin() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA busy_timeout")) > 0
        connection.execute(text("CREATE TABLE counter (n INTEGER)"))
    writer = first.connect()
    transaction = writer.begin()
    writer.execute(text("INSERT INTO counter VALUES (1)"))  # holds the write lock
    threading.Timer(0.5, transaction.commit).start()
    with second.begin() as connection:  # waits for the first writer, then writes
        connection.execute(text("INSERT INTO counter VALUES (2)"))
        assert connection.scalar(text("SELECT count(*) FROM counter")) == 2
    writer.close()
    first.dispose()
    second.dispose()
