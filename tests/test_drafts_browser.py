"""Editing a draft in Chromium: approve, start a new version, change it, and a stale save."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .browser_steps import approve_in_browser
from .live import screenshot, seeded_app, serve

pytestmark = pytest.mark.browser

EMAIL = "hr@example.org"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def drafts_server(live_database_url) -> Iterator[str]:
    with serve(seeded_app(live_database_url, ("000",), EMAIL, PASSWORD)) as url:
        yield url


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL here: this module's pages are opened with absolute URLs on its own server."""
    return None


def signed_in(browser: Browser, url: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(f"{url}/jds/1")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_edit_a_new_version_and_see_a_stale_save_refused(browser: Browser, drafts_server: str):
    page = signed_in(browser, drafts_server)
    approve_in_browser(page)
    page.get_by_role("button", name="New version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit the draft:")
    screenshot(page, "draft-edit")

    other = signed_in(browser, drafts_server)
    other.goto(f"{drafts_server}/jds/1/edit")

    page.get_by_label("Job title").fill("1:1 SEN Teaching Assistant (KS2)")
    page.get_by_role("button", name="Add a duty to section 1").click()
    page.locator("textarea:focus").fill("Keep the pupil's visual timetable up to date.")
    page.get_by_role("button", name="Save the draft").first.click()
    expect(page.get_by_role("status")).to_have_text("Saved the draft.")
    expect(page.get_by_role("heading", level=1)).to_have_text("1:1 SEN Teaching Assistant (KS2)")
    expect(page.get_by_text("Keep the pupil's visual timetable up to date.")).to_be_visible()

    other.get_by_label("Job title").fill("A change made on an old page")
    other.get_by_role("button", name="Save the draft").first.click()
    # The same account saved from another window: the message says so.
    expect(other.get_by_role("alert")).to_contain_text("You already saved this draft at ")
    expect(other.get_by_role("alert")).to_contain_text("This copy was not saved")
    screenshot(other, "draft-edit-stale")
    other.get_by_role("link", name="Reload the draft").click()
    expect(other.get_by_label("Job title")).to_have_value("1:1 SEN Teaching Assistant (KS2)")
