"""Steps a user takes in Chromium that several browser tests share."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def approve_in_browser(page: Page) -> None:
    """From a draft's page: open the approve page, tick every warning as read, approve."""
    page.get_by_role("link", name="Approve this version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Approve:")
    for box in page.locator('input[name="acknowledge"]').all():
        box.check()
    page.get_by_role("button", name="Approve version").click()
