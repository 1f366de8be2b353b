"""A whole shortlisting round in Chromium: HR sets up the vacancy, two panel members sign in
separately and score a dozen applicants, the chair moderates, the ranking applies the gate."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from jdtool.services.users import create_user

from .factories import create_teaching_assistant
from .live import browser_test_app, serve

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD = "correct horse battery"
HR = "hr@example.org"
CHAIR = "chair@example.org"
MEMBER = "member@example.org"
APPLICANTS = 12
#: The teaching assistant spec's criteria scored at shortlisting, in order; 8 is essential.
POSITIONS = [8, 9, 10, 15, 16, 19, 20, 22]


@pytest.fixture(scope="module")
def server(live_database_url) -> Iterator[str]:
    app = browser_test_app(live_database_url)
    with app.extensions["jdtool_sessions"]() as session:
        create_user(session, HR, PASSWORD, name="HR officer")
        create_user(session, CHAIR, PASSWORD, name="Chair Person", role="panel")
        create_user(session, MEMBER, PASSWORD, name="Panel Member", role="panel")
        create_teaching_assistant(session)
        session.commit()
    with serve(app) as url:
        yield url


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"recruitment-{name}.png", full_page=True)


def signed_in(browser: Browser, server: str, email: str) -> Page:
    """A new browser context (its own cookies) signed in as `email`."""
    page = browser.new_context(base_url=server).new_page()
    page.goto(f"{server}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def chair_score(n: int, position: int) -> str:
    if n == 2 and position == 8:
        return "0"  # fails the essential gate
    if n == 3:
        return "3"  # member gives 1: flagged
    return str(1 + n % 3)


def member_score(n: int, position: int) -> str:
    if n == 2 and position == 8:
        return "0"
    if n == 3:
        return "1"
    return str(1 + n % 3)


def score_by_mouse(page: Page, scores) -> None:
    for position, radio in enumerate(page.locator("fieldset").all()):
        radio.locator(f'input[value="{scores(POSITIONS[position])}"]').check()
    page.get_by_role("button", name="Submit and lock my scores").click()
    expect(page.locator(".locked")).to_contain_text("Your scores are submitted and locked")


def score_by_keyboard(page: Page, scores, notes: bool = True) -> None:
    """Tab between criteria, arrow keys to choose, type the evidence, Enter on the button."""
    page.locator("fieldset input").first.focus()
    for index, position in enumerate(POSITIONS):
        if index:
            page.keyboard.press("Tab")  # from the previous note to this criterion's scores
        value = int(scores(position))
        for _ in range(value):
            page.keyboard.press("ArrowRight")
        if value == 0:
            page.keyboard.press("Space")
        page.keyboard.press("Tab")
        if notes:
            page.keyboard.type(f"Evidence for {position}")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".locked")).to_contain_text("Your scores are submitted and locked")


def score_everyone(page: Page, server: str, vacancy: str, scores) -> None:
    """Score every applicant: by keyboard (the first with evidence notes), one by mouse."""
    page.goto(f"{server}/vacancies/{vacancy}/shortlisting")
    links = page.locator("table.stage-applicants tbody th a")
    expect(links).to_have_count(APPLICANTS)
    addresses = {link.inner_text(): link.get_attribute("href") for link in links.all()}
    for n in range(1, APPLICANTS + 1):
        page.goto(server + addresses[f"Applicant {n:02d}"])
        if n == 1:
            expect(
                page.get_by_text("Detailed example tied to the job description").first
            ).to_be_visible()
            shot(page, "grid-empty")
            score_by_keyboard(page, partial(scores, n))
        elif n == 2:
            score_by_mouse(page, partial(scores, n))
            expect(page.locator("#next-applicant")).to_have_text("Next applicant: Applicant 03")
        else:
            score_by_keyboard(page, partial(scores, n), notes=False)
    page.goto(f"{server}/vacancies/{vacancy}/shortlisting")
    expect(page.locator("table.stage-applicants")).not_to_contain_text("not scored")


def test_shortlisting_round_with_two_members_and_a_chair(browser: Browser, server, tmp_path):
    hr = signed_in(browser, server, HR)
    hr.goto(f"{server}/vacancies")
    hr.get_by_label("Vacancy title").fill("1:1 SEN TA – spring term")
    hr.get_by_role("button", name="Create vacancy").click()
    expect(hr.get_by_role("heading", name="1:1 SEN TA – spring term", level=1)).to_be_visible()
    vacancy = hr.url.rstrip("/").split("/")[-1]

    csv_file = tmp_path / "applicants.csv"
    rows = [f"Applicant {n:02d},applicant{n}@example.org,{'yes' if n == 5 else 'no'}"
            for n in range(1, APPLICANTS + 1)]  # fmt: skip
    csv_file.write_text("name,email,disability_confident,notes\n" + "\n".join(rows) + "\n")
    hr.get_by_role("link", name="Applicants").click()
    hr.get_by_label("CSV file").set_input_files(csv_file)
    hr.get_by_role("button", name="Import applicants").click()
    expect(hr.get_by_role("status")).to_contain_text(
        "Imported 12 applicants. Ignored unknown columns: notes."
    )
    shot(hr, "applicants")

    hr.get_by_role("link", name="Overview").click()
    for email, chair in ((CHAIR, True), (MEMBER, False)):
        hr.get_by_label("Email address").fill(email)
        if chair:
            hr.get_by_label("Chair of this stage's panel").check()
        hr.get_by_role("button", name="Add to panel").click()
        expect(hr.get_by_role("status")).to_contain_text(f"Added {email} to the shortlisting panel")
    shot(hr, "overview")

    member = signed_in(browser, server, MEMBER)
    # A panel member lands on "Your scoring", saves a sheet unfinished, then scores the round.
    expect(member.locator("#your-scoring")).to_contain_text("0 of 12 scored")
    member.get_by_role("link", name="Score the next applicant").click()
    expect(member.locator("#not-scored")).to_have_text("You have not scored this applicant yet.")
    member.locator("fieldset").first.locator('input[value="1"]').check()
    member.get_by_role("button", name="Save unfinished").click()
    expect(member.locator("#draft-saved")).to_contain_text("not submitted and not counted")
    member.get_by_role("link", name="Your scoring").click()
    expect(member.locator("#your-scoring")).to_contain_text("0 of 12 scored; 1 saved unfinished")
    score_everyone(member, server, vacancy, member_score)
    member.get_by_role("link", name="Your scoring").click()
    expect(member.locator("#your-scoring")).to_contain_text("12 of 12 scored")
    # Amending: the submitted sheet counts until the amended one is submitted.
    member.goto(f"{server}/vacancies/{vacancy}/shortlisting")
    member.get_by_role("link", name="Applicant 12", exact=True).click()
    member.get_by_role("button", name="Amend my scores").click()
    expect(member.locator("#amending")).to_contain_text("still count until you submit")
    member.get_by_role("button", name="Submit my amended scores").click()
    expect(member.locator(".locked")).to_contain_text("Your scores are submitted and locked")
    expect(member.locator("#all-scored")).to_be_visible()

    chair = signed_in(browser, server, CHAIR)
    chair.goto(f"{server}/vacancies/{vacancy}/shortlisting")
    chair.get_by_role("link", name="Applicant 03", exact=True).click()
    expect(chair.locator("#others-hidden")).to_have_text(
        "Other members' scores for this applicant are hidden until you submit yours."
    )
    expect(chair.get_by_text("Panel Member")).to_have_count(0)
    score_everyone(chair, server, vacancy, chair_score)
    chair.goto(f"{server}/vacancies/{vacancy}/shortlisting")
    chair.get_by_role("link", name="Applicant 03", exact=True).click()
    expect(chair.locator("table.panel-scores")).to_contain_text("Panel Member")
    shot(chair, "grid-submitted")

    chair.goto(f"{server}/vacancies/{vacancy}/shortlisting/moderation")
    section = chair.locator("section").filter(has=chair.get_by_role("heading", name="Applicant 03"))
    expect(section.locator("tr.flagged")).to_have_count(len(POSITIONS))
    section.get_by_label("Agreed score for criterion 8, Applicant 03").select_option("2")
    section.get_by_label("Rationale for criterion 8, Applicant 03").fill("Clear example, brief")
    section.get_by_role("button", name="Save").first.click()
    expect(chair.get_by_role("status")).to_have_text("Agreed score recorded.")
    shot(chair, "moderation")
    section.screenshot(path=ARTIFACTS / "recruitment-moderation-flagged.png")

    chair.goto(f"{server}/vacancies/{vacancy}/shortlisting/ranking")
    failed = chair.locator("tr").filter(has=chair.get_by_role("rowheader", name="Applicant 02"))
    expect(failed).to_contain_text("Not eligible: fails essential 8")
    expect(failed.locator("td").first).to_have_text("–")
    guaranteed = chair.locator("tr").filter(has=chair.get_by_role("rowheader", name="Applicant 05"))
    expect(guaranteed).to_contain_text("Disability Confident")
    expect(chair.get_by_text("(tied)").first).to_be_visible()

    failed.locator("summary", has_text="Record decision").click()
    failed.get_by_label("Do not shortlist").check()
    failed.get_by_label("8. Has at least a Grade C in English and Maths").check()
    failed.get_by_label("Reason", exact=True).fill("No evidence of GCSE English and Maths")
    failed.get_by_role("button", name="Record decision").click()
    expect(chair.get_by_role("status")).to_have_text("Decision recorded.")
    failed = chair.locator("tr").filter(has=chair.get_by_role("rowheader", name="Applicant 02"))
    expect(failed).to_contain_text("Not shortlisted: No evidence of GCSE English and Maths")
    shot(chair, "ranking")
