"""Configuration defaults; override with JDTOOL_* environment variables or a test mapping."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from .importing import MAX_FILE_BYTES


def default_config(instance_path: str) -> dict:
    instance = Path(instance_path)
    return {
        "DATABASE_URL": f"sqlite:///{instance / 'jdtool.sqlite3'}",
        "SECRET_KEY": _instance_secret(instance),
        # A little above the importer's own limit, so a too-large file gets its clear message.
        "MAX_CONTENT_LENGTH": MAX_FILE_BYTES + 1024 * 1024,
        # Cookies go back only over HTTPS (browsers count http://127.0.0.1 and localhost as
        # secure, so local use still works); JDTOOL_SESSION_COOKIE_SECURE=false turns it off
        # for a server reached over plain http on another address.
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # A signed-in session lasts a working day: Flask refuses a session cookie signed longer
        # ago than this. Sessions are not "permanent" (the cookie also ends with the browser),
        # which keeps Flask-Login's "strong" protection below in force.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "REMEMBER_COOKIE_DURATION": timedelta(hours=8),
        # Flask-Login drops the session when the address or browser it was made in changes.
        "SESSION_PROTECTION": "strong",
        "WTF_CSRF_TIME_LIMIT": None,
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto headers are trusted
        # (0: none, the app is reached directly).
        "TRUSTED_PROXIES": 0,
        # Sign-in limits (see services.users.SignInLimits): failures an account may make before
        # each further one delays it (the first delay, doubling up to the window); failures from
        # one address, within the window, after which an account tried there waits from its
        # first failure.
        "LOGIN_FAILURES_PER_ACCOUNT": 5,
        "LOGIN_FAILURES_PER_ADDRESS": 20,
        "LOGIN_FIRST_DELAY_SECONDS": 30,
        "LOGIN_FAILURE_WINDOW_MINUTES": 15,
        # Months after a vacancy closes before unsuccessful applicants' data is deleted.
        "RETENTION_MONTHS": 6,
    }


def _instance_secret(instance: Path) -> str:
    """Keep one random secret per installation so logins survive a restart.

    Race-free: the secret is written to a private temporary file and hard-linked into place,
    which fails if another process got there first; then everyone reads the one that won.
    """
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=instance, prefix=".secret_key-")
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32))
            os.chmod(temporary, 0o600)
            with contextlib.suppress(FileExistsError):  # another process won: use theirs
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


#: Sent with every response. Templates use no scripts; inline style attributes and the
#: <style> block in _styles.html need 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
