"""In Chromium: a messy document of our own is imported and opens on the review page; its wrong
readings are fixed with the editor's controls, the import is accepted and then approved from the
approve page; a colleague's save from a stale page is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from jdtool.services.users import create_user

from .live import browser_test_app, screenshot, serve

pytestmark = pytest.mark.browser

HR = "hr@example.org"
HEAD = "head@example.org"
PASSWORD = "correct horse battery"

#: A plain-text JD as a school might paste it: hours the importer cannot read as a number,
#: a duty under the wrong heading, a prompt left from the template (so it needs review), and a
#: person spec that says neither E/D nor how it is assessed.
MESSY = """Hillside Primary School
JOB DESCRIPTION

Post: Teaching assistant 1:1
Grade: Scale 3
Hours: 32.5 per week, term time only

Job Purpose
To support a pupil with an EHCP so they can take part fully in school life.

Main Duties
1. Support the pupil in lessons, following the EHCP targets.
2. Prepare resources adapted to the pupil's needs.
3. Keep records of the pupil's progress and share them with the class teacher.
4. Attend training as required.

Other Duties
5. Help at lunchtime and play times.
6. Support the pupil's personal care with dignity.
Provide a summary of the postholder's safeguarding responsibilities.

PERSON SPECIFICATION
Experience
- Experience of working with children with special educational needs
- Experience of supporting a pupil's personal care
Skills
- Good literacy and numeracy
- Able to work as part of a team
"""
CRITERIA = 4


@pytest.fixture(scope="module")
def review_server(live_database_url) -> Iterator[str]:
    app = browser_test_app(live_database_url)
    with app.extensions["jdtool_sessions"]() as session:
        create_user(session, HR, PASSWORD, name="HR officer")
        create_user(session, HEAD, PASSWORD, name="Head teacher", role="head")
        session.commit()
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL here: this module's pages are opened with absolute URLs on its own server."""
    return None


def signed_in(browser: Browser, url: str, email: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(f"{url}/jds")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Job descriptions", exact=True)).to_be_visible()
    return page


def test_fix_an_imported_document_in_the_editor_and_approve_it(
    browser: Browser, review_server: str, tmp_path
):
    page = signed_in(browser, review_server, HR)
    source = tmp_path / "hillside-ta.txt"
    source.write_text(MESSY, encoding="utf-8")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Job description file").set_input_files(source)
    page.get_by_role("button", name="Import").click()
    # jdtool was unsure about the template's prompt: the import opens on the review page.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Review the import: Teaching assistant 1:1"
    )
    findings = page.get_by_role("region", name="What jdtool was unsure about (1)")
    expect(findings).to_contain_text(
        "A note to whoever fills in the template was left out of the document."
    )
    expect(findings).to_contain_text("Provide a summary of the postholder's safeguarding")
    jd_url = page.url.removesuffix("/review")

    # It cannot be approved yet: the review, and E/D not stated.
    page.goto(f"{jd_url}/approve")
    blocking = page.get_by_role("region", name="Fix before approving")
    expect(blocking).to_contain_text("The import has findings to check")
    expect(blocking).to_contain_text("No criterion is marked essential or desirable.")
    expect(page.get_by_role("button", name="Approve version 1")).to_have_count(0)
    page.get_by_role("link", name="Fix this").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review the import:")

    # A colleague opens the review page now; their save will come too late.
    colleague = signed_in(browser, review_server, HEAD)
    colleague.goto(f"{jd_url}/review")

    # 1. Hours: the importer could not read "32.5 per week, term time only".
    page.get_by_label("Hours per week").fill("32.5")
    page.get_by_label("Weeks per year").fill("38")
    # 2. "Attend training" belongs with the other duties: Down on the last duty of a section
    #    moves it into the next one (keyboard: the focus stays on the moved duty).
    page.get_by_role("button", name="move duty 4 down").click()
    expect(page.locator("textarea:focus")).to_have_value("Attend training as required.")
    expect(page.get_by_label("Section 2 heading")).to_have_value("Other Duties")
    # 3. Every criterion: essential or desirable, and how it is assessed.
    for number in range(1, CRITERIA + 1):
        priority = page.get_by_role("group", name=f"Criterion {number}: essential or desirable?")
        priority.get_by_label("Desirable" if number == 4 else "Essential").check()
        methods = page.get_by_role("group", name=f"Criterion {number}: assessed by")
        methods.get_by_label("Application form").check()
        methods.get_by_label("Interview").check()
    # And the safeguarding statement the template's prompt asked for.
    page.get_by_role("button", name="Add a statement").click()
    page.locator("textarea:focus").fill(
        "Hillside Primary is committed to safeguarding and promoting the welfare of children. "
        "This post needs an enhanced DBS check."
    )
    screenshot(page, "review-fixed")
    page.get_by_role("button", name="Accept the import").first.click()
    expect(page.get_by_role("status")).to_have_text(
        "Accepted the import: its text is now in the clause library."
    )
    expect(page.get_by_role("heading", name="This import needs review")).to_have_count(0)

    # The page shows the fixed reading.
    expect(page.locator("table.details").get_by_role("row", name="Hours per week")).to_contain_text(
        "32.5"
    )
    other_duties = page.locator("h3", has_text="Other Duties").locator(
        "xpath=following-sibling::ol[1]"
    )
    expect(other_duties.locator("li").first).to_have_text("Attend training as required.")
    spec = page.locator("table.person-spec")
    expect(spec.locator("td.priority")).to_have_text(["E", "E", "E", "D"])
    expect(page.get_by_text("not stated in the source")).to_have_count(0)

    # The colleague's page was loaded before that save: refused, nothing overwritten.
    colleague.get_by_label("Job title").fill("Changed on an old page")
    colleague.get_by_role("button", name="Save the draft").first.click()
    expect(colleague.get_by_role("alert")).to_contain_text("Someone else saved this draft at ")
    expect(colleague.get_by_role("alert")).to_contain_text("Your changes were not saved")
    screenshot(colleague, "review-stale")

    # Approve with eyes open: nothing blocks now; the remaining warnings are ticked as read.
    page.get_by_role("link", name="Approve this version").click()
    expect(page.get_by_role("heading", name="Fix before approving")).to_have_count(0)
    screenshot(page, "review-approve")
    page.get_by_role("button", name="Approve version 1").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Tick each warning to confirm you have read it"
    )
    for box in page.locator('input[name="acknowledge"]').all():
        box.check()
    page.get_by_role("button", name="Approve version 1").click()
    expect(page.get_by_role("status").filter(has_text="Approved version 1")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teaching assistant 1:1")
