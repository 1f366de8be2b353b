"""Accounts and sessions: sign-out that really ends a session, changing your password,
disabled accounts, common passwords refused, a new CSRF token at sign-in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from jdtool.models import AuditEvent
from jdtool.passwords import password_problem

from .test_web import PASSWORD, csrf_token, sign_in


def copy_of(app, client):
    """Another browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def signed_in(client) -> bool:
    return client.get("/jds").status_code == 200


@pytest.mark.parametrize(
    ("password", "refused"),
    [
        ("short", "at least 10 characters"),
        ("aaaaaaaaaa", "repeats a few characters"),
        ("abababab12", "repeats a few characters"),
        ("Password123", "list of common passwords"),
        ("qwertyuiop!", "list of common passwords"),
        ("Safeguarding2", "list of common passwords"),
        ("jo.bloggs2024", "is the email address"),
        ("Jo.Bloggs@example.org", "is the email address"),
        ("correct horse battery", None),
        ("plum tractor window", None),
    ],
)
def test_new_passwords_are_checked(password, refused):
    problem = password_problem(password, "jo.bloggs@example.org")
    assert (problem is None) if refused is None else (refused in problem)


def test_signing_out_ends_a_copied_session(app, client, create_user):
    create_user("hr@example.org", PASSWORD)
    sign_in(client)
    thief = copy_of(app, client)
    assert signed_in(thief)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/jds")})
    assert not signed_in(client)
    assert not signed_in(thief)
    sign_in(client)  # signing in again works
    assert signed_in(client)


def test_changing_your_password_ends_your_other_sessions(app, client, create_user, session):
    create_user("hr@example.org", PASSWORD)
    sign_in(client)
    elsewhere = copy_of(app, client)
    url = "/account/password"

    def change(current: str, new: str):
        return client.post(
            url,
            data={"current_password": current, "new_password": new,
                  "csrf_token": csrf_token(client, url)},
        )  # fmt: skip

    wrong = change("not my password", "plum tractor window")
    assert wrong.status_code == 400
    assert "Your current password is not right." in wrong.get_data(as_text=True)
    common = change(PASSWORD, "password123")
    assert "list of common passwords" in common.get_data(as_text=True)
    assert signed_in(elsewhere)

    done = change(PASSWORD, "plum tractor window")
    assert done.status_code == 302
    page = client.get("/jds")  # this browser carries on
    assert "you are signed out everywhere else" in page.get_data(as_text=True)
    assert not signed_in(elsewhere)
    assert session.scalar(select(AuditEvent.subject).where(AuditEvent.action == "password-change"))
    fresh = app.test_client()
    sign_in(fresh, password="plum tractor window")
    assert signed_in(fresh)


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(app, client, create_user):
    create_user("admin@example.org", PASSWORD, role="admin")
    create_user("hr@example.org", PASSWORD)
    staff = app.test_client()
    sign_in(staff, "hr@example.org")
    assert signed_in(staff)
    sign_in(client, "admin@example.org")

    def access(email: str, action: str):
        return client.post(
            "/admin/users/access",
            data={"email": email, "action": action,
                  "csrf_token": csrf_token(client, "/admin/users")},
            follow_redirects=True,
        ).get_data(as_text=True)  # fmt: skip

    assert "hr@example.org is disabled." in access("hr@example.org", "disable")
    assert not signed_in(staff)
    refused = sign_in(app.test_client(), "hr@example.org")
    assert "Email or password is not right." in refused.get_data(as_text=True)
    assert "You cannot disable your own account." in access("admin@example.org", "disable")
    assert "hr@example.org is enabled." in access("hr@example.org", "enable")
    again = app.test_client()
    sign_in(again, "hr@example.org")
    assert signed_in(again)


def test_the_csrf_token_changes_at_sign_in(client, create_user):
    create_user("hr@example.org", PASSWORD)
    before = csrf_token(client, "/login")
    sign_in(client)
    after = csrf_token(client, "/account/password")
    assert after != before
    stale = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "plum tractor window",
              "csrf_token": before},
    )  # fmt: skip
    assert stale.status_code == 400
    assert "The form could not be sent" in stale.get_data(as_text=True)


def test_a_refused_account_says_why_beside_the_field_it_is_about(client, create_user):
    create_user("admin@example.org", PASSWORD, role="admin")
    sign_in(client, "admin@example.org")
    response = client.post(
        "/admin/users",
        data={"email": "new@example.org", "role": "hr", "password": "short",
              "csrf_token": csrf_token(client, "/admin/users")},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<a href="#password">The password must be at least' in page
    assert 'id="password-error"' in page
    assert 'id="email-error"' not in page


def test_refusing_to_disable_yourself_is_explained_beside_your_row(client, create_user):
    create_user("admin@example.org", PASSWORD, role="admin")
    sign_in(client, "admin@example.org")
    response = client.post(
        "/admin/users/access",
        data={"email": "admin@example.org", "action": "disable",
              "csrf_token": csrf_token(client, "/admin/users")},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<a href="#access-admin-at-example-org">You cannot disable your own account.' in page


# -- one-time passwords -----------------------------------------------------------------------


def cookie_session(app, client) -> str:
    """Everything the browser's session cookie carries, decoded (it is signed, not encrypted)."""
    cookie = client.get_cookie("session")
    return repr(app.session_interface.get_signing_serializer(app).loads(cookie.value))


ONE_TIME = re.compile(r'<p class="one-time-password"><code>([^<]+)</code></p>')


def test_an_administrator_resets_a_password_shown_once_and_changed_at_next_sign_in(
    app, client, session, create_user
):
    create_user("admin@example.org", PASSWORD, role="admin")
    create_user("hr@example.org", PASSWORD)
    staff = app.test_client()
    sign_in(staff, "hr@example.org")
    sign_in(client, "admin@example.org")
    response = client.post(
        "/admin/users/password",
        data={"email": "hr@example.org", "csrf_token": csrf_token(client, "/admin/users")},
    )
    assert response.status_code == 200
    one_time = ONE_TIME.search(response.get_data(as_text=True)).group(1)
    assert one_time not in cookie_session(app, client)
    assert one_time not in client.get("/admin/users").get_data(as_text=True)  # shown once
    assert not signed_in(staff)  # the old sessions end
    assert sign_in(app.test_client(), "hr@example.org").status_code == 400  # old password

    fresh = app.test_client()
    assert sign_in(fresh, "hr@example.org", one_time).headers["Location"] == "/account/password"
    assert fresh.get("/jds").headers["Location"] == "/account/password"  # nothing else first
    assert "You signed in with a one-time password." in fresh.get("/account/password").get_data(
        as_text=True
    )
    changed = fresh.post(
        "/account/password",
        data={"current_password": one_time, "new_password": "plum tractor window",
              "csrf_token": csrf_token(fresh, "/account/password")},
    )  # fmt: skip
    assert changed.status_code == 302
    assert signed_in(fresh)
    logged = session.scalars(select(AuditEvent).where(AuditEvent.action == "password-reset"))
    assert [(e.subject, e.actor) for e in logged] == [("hr@example.org", "admin@example.org")]
    assert all(one_time not in e.detail for e in session.scalars(select(AuditEvent)))


def test_administrators_cannot_reset_their_own_password_here(client, create_user):
    create_user("admin@example.org", PASSWORD, role="admin")
    sign_in(client, "admin@example.org")
    response = client.post(
        "/admin/users/password",
        data={"email": "admin@example.org", "csrf_token": csrf_token(client, "/admin/users")},
        follow_redirects=True,
    )
    assert "Change your own password on the Password page instead." in response.get_data(
        as_text=True
    )


def test_a_new_panel_members_password_is_shown_in_the_page_not_the_cookie(
    app, client, session, create_user, teaching_assistant
):
    from jdtool.services.vacancies import create_vacancy

    vacancy = create_vacancy(session, teaching_assistant.id, "1:1 SEN TA")
    session.commit()
    create_user("hr@example.org", PASSWORD)
    sign_in(client, "hr@example.org")
    response = client.post(
        f"/vacancies/{vacancy.id}/panel",
        data={"email": "new.panel@example.org", "stage": "shortlisting",
              "csrf_token": csrf_token(client, f"/vacancies/{vacancy.id}")},
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert "Added new.panel@example.org to the shortlisting panel." in page
    one_time = ONE_TIME.search(page).group(1)
    assert one_time not in cookie_session(app, client)
    panel = app.test_client()
    assert sign_in(panel, "new.panel@example.org", one_time).headers["Location"] == (
        "/account/password"
    )


def test_user_disable_enable_and_reset_password_commands(cli, app, create_user):
    create_user("hr@example.org", PASSWORD)
    assert cli("user", "disable", "hr@example.org").output == "hr@example.org\tdisabled\n"
    assert sign_in(app.test_client(), "hr@example.org").status_code == 400
    assert cli("user", "enable", "hr@example.org").output == "hr@example.org\tenabled\n"
    assert sign_in(app.test_client(), "hr@example.org").status_code == 302
    reset = cli("user", "reset-password", "hr@example.org")
    email, one_time = reset.output.rstrip("\n").split("\t")
    assert (email, len(one_time)) == ("hr@example.org", 16)
    assert sign_in(app.test_client(), "hr@example.org").status_code == 400
    assert sign_in(app.test_client(), "hr@example.org", one_time).headers["Location"] == (
        "/account/password"
    )
    missing = cli("user", "disable", "nobody@example.org")
    assert (missing.exit_code, missing.output) == (
        1,
        "jdtool: There is no user with the email nobody@example.org.\n",
    )
