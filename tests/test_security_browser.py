"""In Chromium over http://127.0.0.1: the Secure session cookie is kept (the browser treats the
loopback address as a secure context), pages work under the content security policy, and an
administrator manages users and HR records monitoring answers."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from .live import browser_test_app, serve
from .recruitment_data import PASSWORD, build_round
from .test_browser import screenshot


@pytest.fixture(scope="module")
def server(live_database_url):
    from jdtool.services.users import create_user

    app = browser_test_app(live_database_url)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.extensions["jdtool_sessions"]() as session:
        round_ = build_round(session)
        create_user(session, "admin@example.org", PASSWORD, role="admin", name="Ada Admin")
        session.commit()
        vacancy_id = round_.vacancy.id
    with serve(app) as url:
        yield url, vacancy_id


def sign_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_admin_manages_users_with_a_secure_cookie_and_no_policy_violations(
    browser: Browser, server
):
    url, vacancy_id = server
    page = browser.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    sign_in(page, url, "admin@example.org")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "session"]
    assert cookie["secure"] is True
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"

    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    page.get_by_label("Email address").fill("pat.head@example.org")
    page.get_by_label("Full name").fill("Pat Head")
    page.get_by_label("Role", exact=True).select_option(label="Headteacher (signatory)")
    page.get_by_label("First password").fill("a long first password")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Added pat.head@example.org as Headteacher (signatory)."
    )
    row = page.get_by_role("row").filter(has_text="pat.head@example.org")
    row.get_by_label("New role for pat.head@example.org").select_option(label="HR")
    row.get_by_role("button", name="Change").click()
    expect(page.get_by_role("status")).to_contain_text("pat.head@example.org is now HR.")
    screenshot(page, "security-admin-users")

    page.goto(f"{url}/vacancies/{vacancy_id}/equal-opportunities")
    first = page.get_by_role("row").filter(has_text="Age band").first
    first.get_by_label("Age band").select_option("25-34")
    first.get_by_label("Disability").select_option("prefer not to say")
    first.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("Monitoring answers recorded")
    expect(page.get_by_text("1 of 3 applicants answered.")).to_be_visible()
    screenshot(page, "security-equal-opportunities")
    assert [text for text in refused if "Content Security Policy" in text] == []
    page.close()
