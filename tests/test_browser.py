"""The web app in a real browser: Debian Chromium driven by Playwright against a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .browser_steps import approve_in_browser
from .conftest import seed_path
from .live import seeded_app, serve
from .seed_docx import build_seed_docx

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
EMAIL = "hr@example.org"
PASSWORD = "correct horse battery"
#: Seeds stored before the browser arrives, so the list has something to search.
PRELOADED_SEEDS = ("001", "002", "004")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """The app on its own SQLite database, served on a free port; yields its base URL.
    (Session-scoped, as pytest-playwright's `base_url` is: so SQLite only; the other browser
    modules run on PostgreSQL too.)"""
    folder = tmp_path_factory.mktemp("live-server")
    database_url = f"sqlite:///{folder / 'jdtool.sqlite3'}"
    with serve(seeded_app(database_url, PRELOADED_SEEDS, EMAIL, PASSWORD)) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Pages open relative to the live server ("/jds").

    This also replaces pytest-playwright's fallback `base_url` fixture, which is an instance
    method and so raises pytest 9's PytestRemovedIn10Warning.
    """
    return live_server


def screenshot(page: Page, name: str) -> None:
    """Save the whole page to test-artifacts/<name>.png, and its person specification, if any."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    person_spec = page.locator("table.person-spec")
    if person_spec.count():
        person_spec.screenshot(path=ARTIFACTS / f"{name}-person-spec.png")


def sign_in(page: Page) -> None:
    page.goto("/jds")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Job descriptions", exact=True)).to_be_visible()
    expect(page).to_have_url("/jds")


def upload_word_seed(page: Page, seed_id: str, tmp_path: Path) -> None:
    """Upload the Word version of a seed through the import form."""
    path = tmp_path / f"{seed_path(seed_id).stem}.docx"
    path.write_bytes(build_seed_docx(seed_id))
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", name="Import a job description")).to_be_visible()
    page.get_by_label("Job description file").set_input_files(path)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status").filter(has_text="Imported")).to_be_visible()
    if seed_id == "000":  # a template prompt was left out: it opens on the review page
        expect(page.get_by_role("heading", level=1)).to_contain_text("Review the import:")
        page.get_by_role("button", name="Accept the import").first.click()
    expect(page.get_by_text(f"Imported from {path.name}")).to_be_visible()


def criterion_cell(page: Page, criterion: str, column: str):
    """The cell of the person-spec table in `criterion`'s row under the heading `column`."""
    table = page.locator("table.person-spec")
    headings = table.locator("thead th").all_inner_texts()
    row = table.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=criterion, exact=True)
    )
    return row.locator("th, td").nth(headings.index(column))


def test_sign_in_and_search_the_list(page: Page):
    page.goto("/login")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill("a wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Email or password is not right.")
    screenshot(page, "login-wrong-password")

    sign_in(page)
    rows = page.locator("table.job-descriptions tbody tr")
    expect(rows).to_have_count(len(PRELOADED_SEEDS))
    screenshot(page, "list")

    page.get_by_label("Search by title, school or trust").fill("Charing")
    page.get_by_role("button", name="Search").click()
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th")).to_have_text("1:1 TA")
    expect(rows.first.locator("td").first).to_have_text("Charing")
    screenshot(page, "list-search")

    rows.first.get_by_role("link", name="1:1 TA").click()
    expect(page.get_by_role("heading", name="1:1 TA", level=1)).to_be_visible()


def test_upload_word_seed_003_shows_its_criteria(page: Page, tmp_path):
    sign_in(page)
    upload_word_seed(page, "003", tmp_path)
    expect(
        page.get_by_role("heading", name="SEN (1:1) Learning Support Assistant", level=1)
    ).to_be_visible()
    expect(criterion_cell(page, "Level 3 qualified", "E/D")).to_have_text("E")
    expect(criterion_cell(page, "2 years of working in a school", "E/D")).to_have_text("D")
    expect(page.get_by_text("The source does not say how criteria are assessed.")).to_be_visible()
    screenshot(page, "jd-003-from-word")


def test_upload_word_seed_000_shows_groups_and_methods(page: Page, tmp_path):
    sign_in(page)
    upload_word_seed(page, "000", tmp_path)
    expect(page.locator("tr.subgroup").filter(has_text="Compassion")).to_be_visible()
    criterion = "Has at least a Grade C in English and Maths"
    expect(criterion_cell(page, criterion, "E/D")).to_have_text("E")
    expect(criterion_cell(page, criterion, "Application form")).to_contain_text("✓")
    expect(criterion_cell(page, criterion, "Interview")).to_have_text("")
    expect(page.locator("ol.duties li")).to_have_count(46)
    screenshot(page, "jd-000-from-word")

    approve_in_browser(page)
    expect(page.get_by_role("status").filter(has_text="Approved version 1")).to_be_visible()
    expect(page.locator(".hash")).to_have_text(page.locator(".hash").get_attribute("title")[:12])
    screenshot(page, "jd-000-approved")


def test_unreadable_upload_is_explained_beside_the_field(page: Page, tmp_path):
    sign_in(page)
    path = tmp_path / "minutes.docx"
    path.write_bytes(b"these are not the minutes you are looking for")
    page.get_by_role("link", name="Import").click()
    page.get_by_label("Job description file").set_input_files(path)
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".field-error")).to_contain_text("minutes.docx: it is not a Word")
    screenshot(page, "import-error")


def test_unstated_priority_on_a_narrow_screen(page: Page):
    page.set_viewport_size({"width": 400, "height": 800})
    sign_in(page)
    page.get_by_label("Search by title, school or trust").fill("SEN 1:1")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="SEN 1:1 Teaching Assistant").click()
    criterion = "Experience of working with children in an educational setting."
    mark = criterion_cell(page, criterion, "E/D").locator(".unknown")
    expect(mark).to_have_text("?")
    expect(mark).to_have_attribute("title", "not stated in the source")
    screenshot(page, "jd-002-narrow")
