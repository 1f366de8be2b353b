"""Session cookies, security headers on every response, argon2id password hashes, and
user management (admin page and CLI)."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from jdtool.models import AuditEvent, User

from .test_web import PASSWORD, csrf_token, sign_in


def session_cookie(response) -> SimpleCookie:
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    cookie = SimpleCookie()
    cookie.load(header)
    return cookie, header


def test_session_cookie_is_secure_httponly_lax_and_ends_with_the_browser(client, create_user):
    create_user("hr@example.org", PASSWORD)
    response = sign_in(client, "hr@example.org")
    assert response.status_code == 302
    cookie, header = session_cookie(response)
    morsel = cookie["session"]
    assert morsel["secure"] is True
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert "Expires=" not in header


def test_a_session_ends_after_a_working_day(client, create_user, monkeypatch):
    import itsdangerous.timed

    create_user("hr@example.org", PASSWORD)
    sign_in(client, "hr@example.org")
    assert client.get("/jds").status_code == 200
    now = itsdangerous.timed.time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 7.9 * 3600)
    assert client.get("/jds").status_code == 200
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 8.1 * 3600)
    response = client.get("/jds")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_cookies_can_be_sent_over_plain_http_when_configured(database_url, monkeypatch):
    from jdtool.app import create_app

    monkeypatch.setenv("JDTOOL_SESSION_COOKIE_SECURE", "false")
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "x"})
    assert app.config["SESSION_COOKIE_SECURE"] is False
    _cookie, header = session_cookie(app.test_client().get("/login"))
    assert "Secure" not in header


def test_a_session_taken_to_another_address_is_dropped(client, create_user):
    create_user("hr@example.org", PASSWORD)
    sign_in(client, "hr@example.org")
    assert client.get("/jds").status_code == 200
    stolen = client.get("/jds", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert stolen.status_code == 302
    assert stolen.headers["Location"].startswith("/login")


@pytest.mark.parametrize("url", ["/login", "/jds", "/no-such-page", "/static/missing.css"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy


def test_downloads_carry_the_security_headers_too(client, create_user, create_job_description):
    create_user("hr@example.org", PASSWORD)
    sign_in(client, "hr@example.org")
    job_description = create_job_description(approve=True)
    response = client.get(f"/jds/{job_description.id}/export/job-description.docx")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


def test_templates_have_no_inline_scripts_the_policy_would_block():
    from jdtool.app import TEMPLATES

    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert "<script" not in text, template
        assert not re.search(r"\son[a-z]+=", text), template


def test_passwords_are_stored_as_argon2id(session, create_user):
    user = create_user("hr@example.org", PASSWORD)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert PasswordHasher().verify(user.password_hash, PASSWORD)


# -- user management --------------------------------------------------------------------------


@pytest.fixture
def admin(client, create_user):
    create_user("admin@example.org", PASSWORD, role="admin", name="Ada Admin")
    sign_in(client, "admin@example.org")
    return client


def test_admin_adds_a_user_with_a_role_and_changes_it(admin, session):
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "admin@example.org" in page
    response = admin.post(
        "/admin/users",
        data={
            "csrf_token": csrf_token(admin, "/admin/users"),
            "email": "Pat.Head@example.org",
            "name": "Pat Head",
            "role": "head",
            "password": "a long first password",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Added pat.head@example.org as Headteacher (signatory)." in page
    user = session.scalar(select(User).where(User.email == "pat.head@example.org"))
    assert user.role == "head"
    assert user.password_hash.startswith("$argon2id$")

    response = admin.post(
        "/admin/users/role",
        data={
            "csrf_token": csrf_token(admin, "/admin/users"),
            "email": "pat.head@example.org",
            "role": "hr",
        },
        follow_redirects=True,
    )
    assert "pat.head@example.org is now HR." in response.get_data(as_text=True)
    session.expire_all()
    assert user.role == "hr"
    logged = [
        (e.action, e.subject, e.detail, e.actor)
        for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("user-%")))
    ]
    assert logged == [
        ("user-add", "pat.head@example.org", "role head", "admin@example.org"),
        ("user-role", "pat.head@example.org", "role head -> hr", "admin@example.org"),
    ]
    assert all("a long first password" not in e.detail for e in session.scalars(select(AuditEvent)))


def test_a_bad_new_user_is_explained_beside_the_field(admin, session):
    response = admin.post(
        "/admin/users",
        data={
            "csrf_token": csrf_token(admin, "/admin/users"),
            "email": "admin@example.org",
            "role": "hr",
            "password": "a long first password",
        },
    )
    assert response.status_code == 400
    assert "There is already a user with the email admin@example.org." in response.get_data(
        as_text=True
    )


def test_the_last_administrator_keeps_their_role(admin, session):
    response = admin.post(
        "/admin/users/role",
        data={
            "csrf_token": csrf_token(admin, "/admin/users"),
            "email": "admin@example.org",
            "role": "panel",
        },
        follow_redirects=True,
    )
    assert "admin@example.org is the only administrator" in response.get_data(as_text=True)
    assert session.scalar(select(User.role).where(User.email == "admin@example.org")) == "admin"


def test_user_commands(cli, session):
    added = cli("user", "add", "hr@example.org", "--role", "hr", "--name", "Harriet",
                input="a long password\na long password\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert added.output.strip().endswith("hr@example.org\thr")
    assert cli("user", "role", "hr@example.org", "head").output.strip() == "hr@example.org\thead"
    assert cli("user", "list").output == "hr@example.org\tHarriet\thead\n"
    missing = cli("user", "role", "nobody@example.org", "hr")
    assert missing.exit_code == 1
    assert "jdtool: There is no user with the email nobody@example.org." in missing.output
    duplicate = cli("user", "add", "hr@example.org", "--role", "hr", input="a long password\n" * 2)
    assert duplicate.exit_code == 1
    assert "jdtool: There is already a user with the email hr@example.org." in duplicate.output
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["user-add", "user-role"]


def test_the_migration_keeps_the_log_append_only_and_allows_user_actions(empty_database_url):
    """Upgrading a database holding audit rows from before this migration keeps them, still
    refuses changes to them, and accepts the new user-management actions."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from jdtool.db import MIGRATIONS, make_engine, upgrade_database

    engine = make_engine(empty_database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
    insert = text(
        "INSERT INTO audit_events (at, actor, action, subject, detail) "
        "VALUES (CURRENT_TIMESTAMP, 'command line', :action, 'someone@example.org', '')"
    )
    with engine.begin() as connection:
        connection.execute(insert, {"action": "login"})
    upgrade_database(engine)
    with engine.begin() as connection:
        connection.execute(insert, {"action": "user-add"})
        actions = connection.scalars(text("SELECT action FROM audit_events ORDER BY id")).all()
    assert actions == ["login", "user-add"]
    for change in ("UPDATE audit_events SET detail = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(change))
    with pytest.raises(DBAPIError), engine.begin() as connection:
        connection.execute(insert, {"action": "not-an-action"})
    engine.dispose()


@pytest.mark.parametrize(
    "target",
    [
        "/jds\r\nSet-Cookie: x=1",
        "/jds%0d%0aSet-Cookie:x=1",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/jds\tx",
        "javascript:alert(1)",
    ],
)
def test_a_bad_next_address_is_refused(client, create_user, target):
    """Line breaks (header splitting), other hosts and schemes: 400, before and after sign-in,
    and no one is signed in by a form sent to such an address."""
    from urllib.parse import quote

    create_user("hr@example.org", PASSWORD)
    token = csrf_token(client)
    assert client.get("/login?next=" + quote(target, safe="%")).status_code == 400
    response = client.post(
        "/login?next=" + quote(target, safe="%"),
        data={"email": "hr@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert client.get("/jds").status_code == 302  # not signed in
    sign_in(client)
    again = client.get("/login?next=" + quote(target, safe="%"))
    assert again.status_code == 400


def test_a_local_next_address_is_followed(client, create_user):
    create_user("hr@example.org", PASSWORD)
    response = sign_in(client, next_page="/jds%3Fq%3Dteaching")
    assert (response.status_code, response.headers["Location"]) == (302, "/jds?q=teaching")


def test_personal_data_pages_and_downloads_are_never_stored(client, create_user, seed_document):
    create_user("hr@example.org", PASSWORD)
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    sign_in(client, "hr@example.org")
    job_description = seed_document("003", approve=True)
    for url in ("/jds", "/admin/users", f"/jds/{job_description.id}/export/job-description.docx"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
