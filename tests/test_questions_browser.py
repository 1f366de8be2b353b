"""A vacancy's Interview questions page in Chromium: HR adds a question with two criteria,
edits it, moves another up, imports a CSV file, sees a wrong file refused, and downloads the
interview pack."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, expect

from jdtool.services.users import create_user
from jdtool.services.vacancies import create_vacancy

from .factories import create_teaching_assistant
from .live import browser_test_app, screenshot, serve

pytestmark = pytest.mark.browser

HR = "hr@example.org"
PASSWORD = "correct horse battery"
VACANCY = "1:1 SEN TA – spring term"
#: Criteria of the teaching assistant spec assessed at interview, as the tick boxes label them.
SAFEGUARDING = "4. Acts always in the interests of children and young people"
TEAMWORK = "12. Has proven experience of working in a team"
VALUES = "1. Recognises need in others and acts to promote well-being"
QUESTIONS_CSV = (
    b"criterion,question,guidance\n"
    b"13,What have you read lately about how children learn?,Names a source and uses it\n"
    b'14;15,"Tell us about a group you supported, and a pupil with SEN in it.",\n'
)
#: Row 3 asks about criterion 8, which the person specification assesses on the application.
WRONG_CSV = b"criterion,question\n1,Why this school?\n8,What grades did you get?\n"
WRONG_ROW = (
    "Nothing was imported. Row 3: criterion 8 is not assessed at interview or by a task, "
    "so no question is asked about it."
)


@pytest.fixture(scope="module")
def server(live_database_url) -> Iterator[str]:
    """A live server with an HR officer and a vacancy on the teaching assistant JD."""
    app = browser_test_app(live_database_url)
    with app.extensions["jdtool_sessions"]() as session:
        create_user(session, HR, PASSWORD, name="HR officer")
        create_vacancy(session, create_teaching_assistant(session).id, VACANCY)
        session.commit()
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL here: this module's pages are opened with absolute URLs on its own server."""
    return None


def questions(page: Page):
    return page.locator("ol.question-list > li")


def test_hr_prepares_the_interview_questions(browser: Browser, server: str):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/login")
    page.get_by_label("Email address").fill(HR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(f"{server}/vacancies")
    page.get_by_role("link", name=VACANCY).click()
    page.get_by_role("link", name="Interview questions").click()
    expect(page.get_by_role("heading", name="Interview questions", level=1)).to_be_visible()
    expect(page.get_by_text("No questions yet.")).to_be_visible()
    expect(page.get_by_role("link", name="Download the interview pack (Word)")).to_have_count(0)

    # Add a question with two criteria ticked.
    page.get_by_label("Question", exact=True).fill("How would you keep a pupil safe on a trip?")
    page.get_by_label(SAFEGUARDING).check()
    page.get_by_label(TEAMWORK).check()
    page.get_by_label("What a strong answer shows").fill("Names the designated lead.")
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_role("status")).to_have_text("Question added.")
    expect(questions(page)).to_have_count(1)
    expect(questions(page).first).to_contain_text("How would you keep a pupil safe on a trip?")
    expect(questions(page).first).to_contain_text("Criteria: 4, 12")
    expect(page.locator("#question-issues")).not_to_contain_text("No question explores")

    # Edit it: new wording, one criterion swapped for another.
    page.get_by_role("link", name="Edit question 1").click()
    expect(page.get_by_role("heading", name="Question 1", level=1)).to_be_visible()
    expect(page.get_by_label(SAFEGUARDING)).to_be_checked()
    page.get_by_label("Question", exact=True).fill("How would you keep a pupil safe on a visit?")
    page.get_by_label(TEAMWORK).uncheck()
    page.get_by_label(VALUES).check()
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_role("status")).to_have_text("Question 1 saved.")
    expect(questions(page).first).to_contain_text("How would you keep a pupil safe on a visit?")
    expect(questions(page).first).to_contain_text("Criteria: 1, 4")

    # A second question, moved up to be asked first.
    page.get_by_label("Question", exact=True).fill("Why would you like to work here?")
    page.get_by_label(TEAMWORK).check()
    page.get_by_role("button", name="Add the question").click()
    expect(questions(page)).to_have_count(2)
    expect(page.get_by_role("button", name="Up question 1")).to_be_disabled()
    page.get_by_role("button", name="Up question 2").click()
    expect(questions(page).first).to_contain_text("Why would you like to work here?")
    expect(questions(page).nth(1)).to_contain_text("How would you keep a pupil safe on a visit?")

    # Import two more from a CSV file: they go after the others.
    file_field = page.get_by_label("CSV file of questions")
    file_field.set_input_files(
        {"name": "questions.csv", "mimeType": "text/csv", "buffer": QUESTIONS_CSV}
    )
    page.get_by_role("button", name="Import questions").click()
    expect(page.get_by_role("status")).to_have_text("Imported 2 questions.")
    expect(questions(page)).to_have_count(4)
    expect(questions(page).nth(2)).to_contain_text("What have you read lately")
    expect(questions(page).nth(2)).to_contain_text("A strong answer: Names a source and uses it")
    expect(questions(page).nth(3)).to_contain_text("Criteria: 14, 15")
    page.get_by_text("An example file").click()
    expect(page.locator(".csv-example")).to_contain_text("criterion,question,guidance")
    screenshot(page, "questions-imported")

    # A wrong file: nothing imported, the row named at the top and beside the field.
    file_field.set_input_files(
        {"name": "more-questions.csv", "mimeType": "text/csv", "buffer": WRONG_CSV}
    )
    page.get_by_role("button", name="Import questions").click()
    expect(page).to_have_title(f"Error: Interview questions – {VACANCY} – jdtool")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text(WRONG_ROW)
    expect(page.locator("#import-file-error")).to_have_text(f"Error: {WRONG_ROW}")
    expect(page.get_by_label("CSV file of questions")).to_have_attribute("aria-invalid", "true")
    expect(questions(page)).to_have_count(4)
    screenshot(page, "questions-import-refused")
    summary.get_by_role("link").click()
    expect(page.get_by_label("CSV file of questions")).to_be_focused()

    # No file chosen.
    page.get_by_role("button", name="Import questions").click()
    expect(page.locator("#import-file-error")).to_have_text(
        "Error: Choose the CSV file of questions to import."
    )

    # The interview pack, with the questions in the order asked.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the interview pack (Word)").click()
    pack = download.value
    assert pack.suggested_filename.endswith("-interview-pack.docx")
    with open(pack.path(), "rb") as file:
        paragraphs = [p.text for p in Document(io.BytesIO(file.read())).paragraphs]
    asked = [
        "Why would you like to work here?",
        "How would you keep a pupil safe on a visit?",
        "What have you read lately about how children learn?",
    ]
    assert [paragraphs.index(text) for text in asked] == sorted(
        paragraphs.index(text) for text in asked
    )
    context.close()
