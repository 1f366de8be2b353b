"""The clause library in Chromium: compose a 1:1 SEN TA JD without duplicates; merge clauses."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from .live import screenshot, seeded_app, serve

pytestmark = pytest.mark.browser

EMAIL = "hr@example.org"
PASSWORD = "correct horse battery"
LIBRARY_SEEDS = ("000", "001", "002", "003")
POLICIES = "Be aware of and comply with policies and procedures relating to child protection"


@pytest.fixture(scope="module")
def library_server(live_database_url) -> Iterator[str]:
    """A live server whose library holds four seed JDs; yields its base URL."""
    with serve(seeded_app(live_database_url, LIBRARY_SEEDS, EMAIL, PASSWORD)) as url:
        yield url


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL here: this module's pages are opened with absolute URLs on its own server."""
    return None


def sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/library")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Clause library", level=1)).to_be_visible()


def search_library(page: Page, words: str, kind: str) -> None:
    page.get_by_label("Words in the clause").fill(words)
    page.locator("#kind").select_option(label=kind)
    page.get_by_role("button", name="Search the library").click()


def test_compose_a_sen_ta_jd_without_creating_a_duplicate(page: Page, library_server: str):
    sign_in(page, library_server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Compose").click()
    page.get_by_label("Job title").fill("1:1 SEN Teaching Assistant")
    page.get_by_role("button", name="Start composing").click()
    expect(page.get_by_role("heading", name="Compose: 1:1 SEN Teaching Assistant")).to_be_visible()

    search_library(page, "comply with policies child protection", "Duties")
    results = page.locator(".result")
    expect(results).to_have_count(2)  # seed 000's wording and seed 002's near-duplicate
    results.filter(has_text=POLICIES).get_by_role("button", name="Add").click()
    expect(page.get_by_role("status").filter(has_text="Added duty 1.")).to_be_visible()
    duties = page.locator("ol.document-duties li")
    expect(duties).to_have_count(1)

    search_library(page, "interact with others engage activities", "Duties")
    page.locator(".result").first.get_by_role("button", name="Add").click()
    expect(duties).to_have_count(2)

    # Seed 002's rewording of the policies duty: the composer warns and offers the existing one.
    search_library(page, "comply with policies child protection", "Duties")
    expect(results.filter(has_text=POLICIES).locator(".in-document")).to_have_text(
        "Already in this document as duty 1"
    )
    variant = results.filter(has_text="To be aware of, and comply with")
    expect(variant.locator(".in-document")).to_contain_text("as duty 1 (near-duplicate")
    variant.get_by_role("button", name="Add").click()
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("This duty is already in the document")
    expect(warning).to_contain_text("nearly repeats duty 1")
    expect(warning.locator("blockquote")).to_contain_text(POLICIES)
    screenshot(page, "compose-near-duplicate-warning")
    warning.get_by_role("link", name="Keep the existing duty").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(duties).to_have_count(2)

    # A typed duty that repeats one already there is caught the same way.
    page.get_by_label("Text").fill(
        "• ENCOURAGE PUPILS TO INTERACT WITH OTHERS AND ENGAGE IN ACTIVITIES LED BY THE TEACHER"
    )
    page.get_by_role("button", name="Add to the document").click()
    expect(page.get_by_role("alert")).to_contain_text("is the same as duty 2")
    page.get_by_role("link", name="Keep the existing duty").click()
    expect(duties).to_have_count(2)

    search_library(page, "SEN children as a TA", "Criteria")
    result = page.locator(".result").filter(has_text="working with SEN children as a TA")
    result.get_by_label("Essential or desirable").select_option("essential")
    result.get_by_label("Application form").check()
    result.get_by_label("Interview").check()
    result.get_by_role("button", name="Add").click()
    criteria = page.locator("ol.document-criteria li")
    expect(criteria).to_have_count(1)
    expect(criteria.first).to_contain_text("(E; application, interview)")

    page.locator("#new-kind").select_option("criterion")
    page.get_by_label("Text").fill("Suitability to work with children (enhanced DBS check)")
    page.get_by_label("Or a new section or category named").fill("Further requirements")
    page.locator("#new-priority").select_option("essential")
    page.locator("#new-method-references").check()
    page.get_by_role("button", name="Add to the document").click()
    expect(criteria).to_have_count(2)
    screenshot(page, "compose-sen-ta")

    page.get_by_role("link", name="Checks").click()
    expect(page.get_by_text("No duty or criterion is repeated.")).to_be_visible()
    expect(page.get_by_text("essential but nothing at application stage")).to_be_visible()
    expect(page.get_by_text("No criterion covers suitability")).to_have_count(0)
    screenshot(page, "compose-sen-ta-checks")

    page.get_by_role("link", name="Back to the job description").click()
    expect(page.locator("ol.duties li")).to_have_count(2)
    expect(page.locator("table.person-spec tbody tr:not(.category)")).to_have_count(2)
    screenshot(page, "compose-sen-ta-jd")


def test_compose_places_moves_and_removes_lines_and_the_checks_act(page: Page, library_server: str):
    sign_in(page, library_server)
    page.goto(f"{library_server}/library/compose")
    page.get_by_label("Job title").fill("Lunchtime SEN Teaching Assistant")
    page.get_by_role("button", name="Start composing").click()

    # Honest counts, and pages to go through.
    search_library(page, "pupil", "Duties")
    count = page.get_by_role("status").filter(has_text="Showing")
    expect(count).to_have_text(re.compile(r"^Showing 1–20 of \d+ clauses$"))
    total = count.inner_text().split()[-2]
    page.get_by_role("link", name="Next").click()
    expect(count).to_have_text(f"Showing 21–40 of {total} clauses")
    page.get_by_role("link", name="Previous").click()
    expect(count).to_have_text(f"Showing 1–20 of {total} clauses")

    # The first result into a new section, the next into that section, the third where the
    # library keeps it.
    results = page.locator(".result")
    first, second, third = (results.nth(n).locator("p").first.inner_text() for n in range(3))
    results.nth(0).get_by_label("or a new section").fill("Pupil support")
    results.nth(0).get_by_role("button", name="Add").click()
    expect(page.get_by_role("status").filter(has_text="Added duty 1.")).to_be_visible()
    results.nth(1).get_by_label("Duty section").select_option("Pupil support")
    results.nth(1).get_by_role("button", name="Add").click()
    results.nth(2).get_by_role("button", name="Add").click()
    sections = page.locator("#document .group-heading")
    expect(sections.first).to_have_text("Pupil support")
    duties = page.locator("ol.document-duties > li")
    expect(duties).to_have_count(3)
    expect(page.locator("ol.document-duties").first.locator("> li")).to_have_count(2)

    # Reorder and remove, in the document panel.
    page.get_by_role("button", name=re.compile(r"^Down: duty 1,")).click()
    expect(page.get_by_role("status").filter(has_text="Moved duty 1 down")).to_be_visible()
    expect(duties.nth(0)).to_contain_text(second)
    expect(duties.nth(1)).to_contain_text(first)
    page.get_by_role("button", name=re.compile(r"^Remove: duty 3,")).click()
    expect(page.get_by_role("status").filter(has_text="Removed duty 3")).to_contain_text(third)
    expect(duties).to_have_count(2)

    # Two pairs the checks will flag: a reworded policies duty, and one duty added twice.
    search_library(page, "comply with policies child protection", "Duties")
    results.filter(has_text=POLICIES).get_by_role("button", name="Add").click()
    results.filter(has_text="To be aware of, and comply with").get_by_role(
        "button", name="Add"
    ).click()
    page.get_by_role("alert").get_by_role("button", name="Add it anyway").click()
    results.filter(has_text=POLICIES).get_by_role("button", name="Add").click()  # again
    page.get_by_role("alert").get_by_role("button", name="Add it anyway").click()
    expect(duties).to_have_count(5)
    screenshot(page, "compose-places-and-moves")

    page.get_by_role("link", name="Checks").click()
    rows = page.locator("table.duplicates tbody tr")
    expect(rows).to_have_count(3)  # 3-4, 3-5 and 4-5
    screenshot(page, "compose-checks-duplicates")
    rows.filter(has_text="5.").filter(has_text="3.").get_by_role(
        "button", name=re.compile("^Remove this duplicate")
    ).click()
    expect(page.get_by_role("status").filter(has_text="Removed duty 5")).to_be_visible()
    expect(rows).to_have_count(1)
    rows.first.get_by_role("button", name=re.compile("^Keep both")).click()
    expect(page.get_by_role("status").filter(has_text="Kept both duties 3 and 4")).to_be_visible()
    expect(page.get_by_text("No duty or criterion is repeated.")).to_be_visible()
    expect(page.locator(".kept-duplicates")).to_contain_text("1 pair reviewed and kept")
    screenshot(page, "compose-checks-acted")
    page.reload()
    expect(page.get_by_text("No duty or criterion is repeated.")).to_be_visible()


def test_duplicates_report_of_seed_000(page: Page, library_server: str):
    sign_in(page, library_server)
    page.goto(f"{library_server}/jds/1")
    page.get_by_role("link", name="Duplicates and person-spec checks").click()
    rows = page.locator("table.duplicates tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.first).to_contain_text("34.")
    expect(rows.first).to_contain_text("38.")
    expect(rows.first.locator(".match")).to_have_text("exact")
    expect(
        page.get_by_text("Criterion 19 in KNOWLEDGE, SKILLS AND ABILITIES repeats")
    ).to_be_visible()
    screenshot(page, "report-seed-000")


def test_merge_a_cluster_and_undo(page: Page, library_server: str):
    sign_in(page, library_server)
    page.get_by_role("link", name="Near-duplicate clusters").click()
    cluster = page.locator(".cluster").filter(has_text=POLICIES)
    expect(cluster.locator("li")).to_have_count(2)
    screenshot(page, "library-clusters")
    cluster.get_by_role("link", name="Preview a merge").click()
    expect(page.get_by_role("heading", name="Merge clauses")).to_be_visible()
    expect(page.get_by_text("Documents keep the text they copied", exact=True)).to_be_visible()
    screenshot(page, "library-merge-preview")
    page.get_by_role("button", name="Merge 2 clauses").click()
    expect(page.get_by_role("status").filter(has_text="Merged 2 clauses into one")).to_be_visible()
    row = page.locator("table.clauses tbody tr").first
    expect(row).to_contain_text("HR officer")
    screenshot(page, "library-merge-log")

    page.get_by_role("link", name="Common core").click()
    expect(page.get_by_role("heading", name="Common core")).to_be_visible()
    expect(page.locator("table.clauses").get_by_text(POLICIES)).to_be_visible()
    screenshot(page, "library-common-core")

    page.get_by_role("link", name="Merge log").click()
    row.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status").filter(has_text="Undid merge")).to_be_visible()
    expect(row).to_contain_text("Undone")
