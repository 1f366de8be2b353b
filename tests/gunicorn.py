"""The app served by gunicorn with several worker processes on a free loopback port."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

#: How long the workers may take to start (they import the app and check the schema).
START_TIMEOUT_SECONDS = 60


@contextmanager
def run_gunicorn(url: str, workers: int = 2) -> Iterator[str]:
    """Serve the app on the database at `url` with `jdtool serve --workers` (gunicorn);
    yields the base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="jdtool-gunicorn-") as folder:
        environment = {
            **os.environ,
            "JDTOOL_INSTANCE_PATH": str(Path(folder) / "instance"),
            "JDTOOL_SECRET_KEY": "gunicorn-test-secret",
            # urllib's cookie jar (unlike a browser) never sends a Secure cookie over http.
            "JDTOOL_SESSION_COOKIE_SECURE": "false",
        }
        log_path = Path(folder) / "gunicorn.log"
        command = [sys.executable, "-c", "from jdtool.cli import main; main()"]
        with log_path.open("wb") as log:
            server = subprocess.Popen(
                [*command, "--db", url, "serve", "--workers", str(workers),
                 "--host", "127.0.0.1", "--port", str(port), "--timeout", "60"],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            _wait_until_serving(base_url, server, log_path)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
            log_text = log_path.read_text(errors="replace")
            if "Traceback" in log_text:  # shown by pytest when the test fails
                print(log_text[-6000:], file=sys.stderr)


def _wait_until_serving(base_url: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/login", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start in time:\n{log_path.read_text()[-3000:]}")


CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Reply:
    status: int
    #: Where a redirect points (path only), else "".
    location: str
    body: str


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None  # the caller sees the 302 itself


class WebClient:
    """One person's browser over HTTP: its own cookies; redirects are returned, not followed."""

    def __init__(self, base_url: str, timeout: float = 30) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects()
        )

    def get(self, path: str) -> Reply:
        return self._send(urllib.request.Request(self.base_url + path))

    def post(self, path: str, fields: dict[str, str]) -> Reply:
        data = urlencode(fields).encode()
        return self._send(urllib.request.Request(self.base_url + path, data=data, method="POST"))

    def csrf_token(self, path: str) -> str:
        return CSRF_TOKEN.search(self.get(path).body).group(1)

    def sign_in(self, email: str, password: str) -> None:
        token = self.csrf_token("/login")
        reply = self.post("/login", {"email": email, "password": password, "csrf_token": token})
        if reply.status != 302:
            raise RuntimeError(f"could not sign in as {email}: {reply.status}")

    def _send(self, request: urllib.request.Request) -> Reply:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Reply(response.status, "", response.read().decode())
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location", "").removeprefix(self.base_url)
            return Reply(error.code, location, error.read().decode())
