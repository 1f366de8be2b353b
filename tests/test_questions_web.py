"""The Questions page of a vacancy through the test client, the interview grid by question,
the pack download and the interview record's list of questions."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from docx import Document

from jdtool.models.people import utcnow
from jdtool.services import questions as question_service
from jdtool.services.decisions import record_decision
from jdtool.services.panels import add_panel_member
from jdtool.services.questions import QuestionDraft
from jdtool.services.scoping import command_line_scope

from .recruitment_data import PASSWORD
from .recruitment_data import score_all as score

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def database_template(round_template):
    return round_template


def token(client, url: str) -> str:
    return CSRF_TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def sign_in(client, email: str) -> None:
    client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token(client, "/login")},
    )


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def criterion_id(vacancy, position: int) -> int:
    return vacancy.version.criteria()[position - 1].id


@pytest.fixture
def hr(client, create_user):
    create_user("hr@example.org", PASSWORD, role="hr")
    sign_in(client, "hr@example.org")
    return client


def page(round_) -> str:
    return f"/vacancies/{round_.vacancy.id}/questions"


def add_form(client, round_, question, positions, **extra):
    return {
        "csrf_token": token(client, page(round_)),
        "text": question,
        "criteria": [str(criterion_id(round_.vacancy, p)) for p in positions],
        "guidance": "A specific example.",
        "follow_ups": "What did you learn?\nWho else helped?",
        **extra,
    }


def test_hr_adds_a_question_and_sees_it_with_the_checks(hr, round_):
    before = text(hr.get(page(round_)))
    assert "Criterion 1 (“Recognises need in others" in before
    assert "No question explores safeguarding" in before
    response = hr.post(
        page(round_),
        data=add_form(hr, round_, "How would you keep a pupil safe on a trip?", [4, 21],
                      **{"guidance-3": "Names the designated safeguarding lead."}),
    )  # fmt: skip
    assert response.status_code == 303
    shown = text(hr.get(page(round_)))
    assert "Question added." in shown
    assert "How would you keep a pupil safe on a trip?" in shown
    assert "Criteria: 4, 21" in shown
    assert "<strong>3</strong> – Names the designated safeguarding lead." in shown
    assert "Who else helped?" in shown
    assert "No question explores safeguarding" not in shown
    assert "Download the interview pack (Word)" in shown


@pytest.mark.parametrize(
    ("question", "criteria", "message"),
    [
        ("", ["criterion-1"], "Write the question the panel will ask."),
        ("Why us?", [], "Tick the criteria whose evidence this question draws out."),
        ("Why us?", ["not-a-number"], "could not be coerced"),
        ("Why us?", ["999999"], "not a valid choice"),
    ],
)
def test_a_wrong_question_form_shows_the_errors_at_the_top_and_beside_the_field(
    hr, round_, question, criteria, message
):
    values = [str(criterion_id(round_.vacancy, 1)) if c == "criterion-1" else c for c in criteria]
    data = {"csrf_token": token(hr, page(round_)), "text": question, "criteria": values}
    response = hr.post(page(round_), data=data)
    assert response.status_code == 400
    body = text(response)
    assert "There is a problem: the question was not saved" in body
    assert body.count(message) >= 2  # in the summary and beside the field
    assert "Question added." not in body


def test_a_question_for_a_criterion_not_assessed_at_interview_is_refused(hr, round_):
    data = add_form(hr, round_, "Tell us about your GCSEs.", [1])
    data["criteria"].append(str(criterion_id(round_.vacancy, 8)))  # application form only
    response = hr.post(page(round_), data=data)
    assert response.status_code == 400
    assert "not a valid choice" in text(response)


def test_sending_the_add_form_twice_stores_one_question(hr, round_, session):
    data = add_form(hr, round_, "Why this school?", [1])
    assert hr.post(page(round_), data=data).status_code == 303
    again = hr.post(page(round_), data=data)
    assert again.status_code == 400
    assert "This question is already on the list." in text(again)
    session.expire_all()
    assert len(question_service.vacancy_questions(session, round_.vacancy)) == 1


def test_edit_move_and_delete(hr, round_, session):
    vacancy = round_.vacancy
    for question, position in (("First?", 1), ("Second?", 2)):
        question_service.add_question(
            session, vacancy, QuestionDraft(question, [criterion_id(vacancy, position)])
        )
    session.commit()
    first, second = question_service.vacancy_questions(session, vacancy)
    edit_url = f"{page(round_)}/{first.id}"
    assert "First?" in text(hr.get(edit_url))
    response = hr.post(
        edit_url,
        data={"csrf_token": token(hr, edit_url), "text": "First, reworded?",
              "criteria": [str(criterion_id(vacancy, 1)), str(criterion_id(vacancy, 3))]},
    )  # fmt: skip
    assert response.status_code == 303
    move = {"csrf_token": token(hr, page(round_)), "direction": "up", "position": "2"}
    assert hr.post(f"{page(round_)}/{second.id}/move", data=move).status_code == 303
    hr.post(f"{page(round_)}/{second.id}/move", data=move)  # sent twice: moves once
    shown = text(hr.get(page(round_)))
    assert "The order changed since this page was opened" in shown
    assert shown.index("Second?") < shown.index("First, reworded?")
    assert "Criteria: 1, 3" in shown
    delete = {"csrf_token": token(hr, page(round_))}
    assert hr.post(f"{page(round_)}/{first.id}/delete", data=delete).status_code == 303
    hr.post(f"{page(round_)}/{first.id}/delete", data=delete)
    shown = text(hr.get(page(round_)))
    assert "That question is no longer on this vacancy's list." in shown
    assert "First, reworded?" not in shown
    assert hr.get(f"{page(round_)}/{first.id}").status_code == 404


def test_a_form_without_its_csrf_token_changes_nothing(hr, round_, session):
    response = hr.post(page(round_), data={"text": "Why us?", "criteria": ["1"]})
    assert response.status_code == 400
    session.expire_all()
    assert question_service.vacancy_questions(session, round_.vacancy) == []


def test_a_panel_member_cannot_prepare_questions_but_the_interview_panel_gets_the_pack(
    client, round_, session
):
    vacancy = round_.vacancy
    question_service.add_question(
        session, vacancy, QuestionDraft("Why us?", [criterion_id(vacancy, 1)])
    )
    add_panel_member(session, vacancy, "member@example.org", "interview")
    session.commit()
    sign_in(client, "member@example.org")
    assert client.get(page(round_)).status_code == 403
    assert client.post(page(round_), data={"text": "x"}).status_code in (400, 403)
    shown = text(client.get(f"/vacancies/{vacancy.id}"))
    assert "Interview pack (Word)" in shown
    pack = client.get(f"{page(round_)}/pack.docx")
    assert pack.status_code == 200
    assert "Why us?" in [p.text for p in Document(io.BytesIO(pack.data)).paragraphs]


def test_the_interview_chair_prepares_questions(client, round_, session):
    add_panel_member(session, round_.vacancy, "chair@example.org", "interview", chair=True)
    session.commit()
    sign_in(client, "chair@example.org")
    assert client.get(page(round_)).status_code == 200
    assert "Interview questions" in text(client.get(f"/vacancies/{round_.vacancy.id}"))


def test_the_bank_offers_questions_from_another_vacancy(hr, round_, session):
    from jdtool.services.vacancies import create_vacancy

    later = create_vacancy(session, round_.vacancy.version.job_description_id, "Spring TA")
    question_service.add_question(
        session,
        round_.vacancy,
        QuestionDraft("Tell us about teamwork.", [criterion_id(round_.vacancy, 12)]),
    )
    session.commit()
    url = f"/vacancies/{later.id}/questions"
    shown = text(hr.get(url))
    assert "From the question bank" in shown
    assert 'Tell us about teamwork. <span class="muted">(1:1 SEN TA)</span>' in shown
    data = {
        "csrf_token": token(hr, url),
        "source": str(question_service.vacancy_questions(session, round_.vacancy)[0].id),
        "criterion": str(criterion_id(later, 12)),
    }
    assert hr.post(f"{url}/bank", data=data).status_code == 303
    shown = text(hr.get(url))
    assert "Question added from the bank" in shown
    assert "Criteria: 12" in shown
    assert hr.post(f"{url}/bank", data=data).status_code == 303  # sent twice
    again = text(hr.get(url))
    assert "That suggestion is not offered for this criterion any more." in again


def test_no_pack_without_questions_is_a_message_not_an_error(hr, round_):
    response = hr.get(f"{page(round_)}/pack.docx")
    assert response.status_code == 302
    assert "no interview questions yet" in text(hr.get(page(round_)))


def shortlist_first(session, round_):
    """Applicant 1 on the final shortlist; a chair on the interview panel."""
    for application in round_.applications:
        score(session, round_.chair, application)
        score(session, round_.member, application)
    scope = command_line_scope(session, round_.vacancy.id)
    for application, outcome in zip(
        round_.applications, ["shortlist", "reject", "reject"], strict=True
    ):
        record_decision(session, scope, application.id, "shortlisting", outcome, "Reasons", [])
    round_.vacancy.shortlist_finalised_at = utcnow()
    add_panel_member(session, round_.vacancy, "chair@example.org", "interview", chair=True)
    session.commit()


def test_the_interview_grid_shows_each_question_above_its_criteria(client, round_, session):
    vacancy = round_.vacancy
    shortlist_first(session, round_)
    question_service.add_question(
        session, vacancy,
        QuestionDraft("Tell us about teamwork.", [criterion_id(vacancy, 12)],
                      guidance="Their own part in it."),
    )  # fmt: skip
    session.commit()
    sign_in(client, "chair@example.org")
    url = f"/vacancies/{vacancy.id}/interview/applications/{round_.applications[0].id}"
    shown = text(client.get(url))
    question = shown.index("Question 1: Tell us about teamwork.")
    assert question < shown.index("12. Has proven experience of working in a team")
    assert "Their own part in it." in shown
    other = shown.index("Criteria no question covers")
    assert question < other < shown.index("1. Recognises need in others")
    record = client.get(f"/vacancies/{vacancy.id}/interview/record.docx")
    cells = [
        cell.text
        for table in Document(io.BytesIO(record.data)).tables
        for row in table.rows
        for cell in row.cells
    ]
    assert "Tell us about teamwork." in cells


# -- importing questions from a CSV file on the page ----------------------------------------------

QUESTIONS_CSV = (
    b"criterion,question,guidance\n"
    b'12;6,"Tell us about a time you worked in a team, and your part in it.",Their own part\n'
    b"4,What would you do if a child told you something that worried you?,\n"
)
ERROR_SUMMARY = re.compile(r'<div class="error-summary"[^>]*>(.*?)</div>', re.S)
FILE_ERROR = re.compile(r'<p class="field-error" id="import-file-error">(.*?)</p>', re.S)


def import_csv(client, round_, content: bytes | None, filename: str = "questions.csv", **extra):
    """Send the page's import form as a browser does (`content` None: no file chosen)."""
    data = {"import-csrf_token": token(client, page(round_)), **extra}
    if content is not None:
        data["import-file"] = (io.BytesIO(content), filename)
    return client.post(page(round_), data=data, content_type="multipart/form-data")


def import_errors(response) -> tuple[str, str]:
    """What the refused page says in its error summary and beside the file field."""
    html = response.get_data(as_text=True)
    summary, beside = ERROR_SUMMARY.search(html), FILE_ERROR.search(html)
    assert summary is not None, "no error summary at the top of the page"
    assert beside is not None, "no error beside the file field"
    return text_of(summary.group(1)), text_of(beside.group(1))


def text_of(html: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def stored(session, round_) -> list[tuple[str, list[int], str]]:
    session.expire_all()
    return [
        (q.text, question_service.criterion_positions(round_.vacancy, q), q.guidance)
        for q in question_service.vacancy_questions(session, round_.vacancy)
    ]


def test_the_page_offers_the_import_form(hr, round_):
    html = hr.get(page(round_)).get_data(as_text=True)
    assert "Import questions from a CSV file" in html
    assert f'action="{page(round_)}" enctype="multipart/form-data"' in html
    assert 'type="file"' in html
    assert 'id="import-file"' in html
    assert 'name="import-csrf_token"' in html


def test_the_example_file_the_page_shows_imports_as_it_is(hr, round_, session):
    html = hr.get(page(round_)).get_data(as_text=True)
    example = unescape(re.search(r'<pre class="csv-example">(.*?)</pre>', html, re.S).group(1))
    assert import_csv(hr, round_, example.encode()).status_code == 303
    assert [positions for _, positions, _ in stored(session, round_)] == [[4, 12], [15]]


def test_hr_imports_questions_after_the_existing_ones(hr, round_, session):
    vacancy = round_.vacancy
    question_service.add_question(
        session, vacancy, QuestionDraft("Why this school?", [criterion_id(vacancy, 1)])
    )
    session.commit()
    response = import_csv(hr, round_, QUESTIONS_CSV)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{page(round_)}#questions")
    shown = text(hr.get(page(round_)))
    assert "Imported 2 questions." in shown
    assert "Tell us about a time you worked in a team, and your part in it." in shown
    assert "Criteria: 6, 12" in shown
    assert "<strong>A strong answer:</strong> Their own part" in shown
    assert "No question explores safeguarding" not in shown  # criterion 4 now has a question
    assert stored(session, round_) == [
        ("Why this school?", [1], ""),
        ("Tell us about a time you worked in a team, and your part in it.", [6, 12],
         "Their own part"),
        ("What would you do if a child told you something that worried you?", [4], ""),
    ]  # fmt: skip
    from sqlalchemy import select

    from jdtool.models import AuditEvent

    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert (event.actor, event.subject) == ("hr@example.org", f"vacancy {vacancy.id}")


def test_a_file_saved_by_excel_as_csv_utf8_imports(hr, round_, session):
    """Excel's "CSV UTF-8" starts with a byte-order mark and ends lines with CR LF."""
    content = "\ufeffCriterion,Question,Guidance\r\n21,What does “safe” look like?,Café trips\r\n"
    assert import_csv(hr, round_, content.encode()).status_code == 303
    assert stored(session, round_) == [("What does “safe” look like?", [21], "Café trips")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"criterion,question\n1," + b"x" * 2001 + b"\n",
         "Nothing was imported. Row 2: keep the question under 2,000 characters."),
        (b"criterion,question\n1,\"" + b"x" * 200_000 + b"\"\n",
         "The questions file has a cell over 131,072 characters long (line 2); check it is the "
         "right file."),
        (b"criterion,question\n;;,Why us?\n",
         "Nothing was imported. Row 2: give the criterion number (its position in the person "
         "specification)."),
        (b"criterion,question\n1.5,Why us?\n",
         "Nothing was imported. Row 2: '1.5' is not a criterion number (1 to 22)."),
    ],
)  # fmt: skip
def test_odd_files_get_a_message_not_a_server_error(hr, round_, session, content, message):
    response = import_csv(hr, round_, content)
    assert response.status_code == 400
    _, beside = import_errors(response)
    assert beside == f"Error: {message}"
    assert stored(session, round_) == []


def test_one_question_is_counted_in_the_singular(hr, round_):
    response = import_csv(hr, round_, b"criterion,question\n4,Keeping pupils safe?\n")
    assert response.status_code == 303
    assert "Imported 1 question." in text(hr.get(page(round_)))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"criterion,question\n1,Why us?\n8,Your GCSEs?\n",
         "Nothing was imported. Row 3: criterion 8 is not assessed at interview or by a task, "
         "so no question is asked about it."),
        (b"criterion,question\n99,Why us?\n",
         "Nothing was imported. Row 2: '99' is not a criterion number (1 to 22)."),
        (b"criterion,question\n1,Why us?\n4,\n",
         "Nothing was imported. Row 3: the question is empty."),
        (b"criterion,question\n,Why us?\n",
         "Nothing was imported. Row 2: give the criterion number (its position in the person "
         "specification)."),
        (b"criterion,question\n1,Why us?\n2,why  US?\n",
         "Nothing was imported. Row 3: this question is already on the list."),
        (b"name,email\nAda,ada@example.org\n",
         "The questions file needs the columns criterion, question and guidance "
         "(missing: criterion, question)."),
        (b"criterion,question,notes\n1,Why us?,x\n",
         "The questions file has columns jdtool does not know: notes (expected criterion, "
         "question, guidance)."),
        (b"criterion,question,guidance\n", "The questions file has no questions."),
    ],
)  # fmt: skip
def test_a_wrong_row_imports_nothing_and_is_named_at_the_top_and_beside_the_field(
    hr, round_, session, content, message
):
    response = import_csv(hr, round_, content)
    assert response.status_code == 400
    summary, beside = import_errors(response)
    assert summary == f"There is a problem {message}"
    assert beside == f"Error: {message}"
    body = text(response)
    assert "<title>Error: Interview questions" in body
    assert "Imported" not in body
    assert stored(session, round_) == []


def excel_workbook() -> bytes:
    """The start of an .xlsx file: a zip package with a workbook part."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (None, "", "Choose the CSV file of questions to import."),
        (b"", "", "Choose the CSV file of questions to import."),
        (b"", "questions.csv", "The questions file is empty."),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "questions.pdf",
         "The questions file is a PDF document, not a CSV file. Save it as 'CSV UTF-8'."),
        (excel_workbook(), "questions.xlsx",
         "The questions file is an Excel spreadsheet, not a CSV file. Save it as 'CSV UTF-8'."),
        (bytes(range(256)) * 4, "questions.csv",
         "The questions file is not UTF-8 text. Save it as 'CSV UTF-8'."),
        (b"criterion,question\x00\x01\x02\n1,x\n", "questions.csv",
         "The questions file is not text. Save it as 'CSV UTF-8'."),
        ("criterion,question\n1,What does £5 buy?\n".encode("cp1252"), "questions.csv",
         "The questions file is not UTF-8 text. Save it as 'CSV UTF-8'."),
        (b"criterion,question\n" + b"1,Why us?\n" * 120_000, "questions.csv",
         "The questions file is over 1 MB; a file of interview questions is far smaller. "
         "Check it is the right file."),
    ],
)  # fmt: skip
def test_a_missing_empty_or_wrong_kind_of_file_is_refused_beside_the_field(
    hr, round_, session, content, filename, message
):
    response = import_csv(hr, round_, content, filename)
    assert response.status_code == 400
    summary, beside = import_errors(response)
    assert summary == f"There is a problem {message}"
    assert beside == f"Error: {message}"
    assert stored(session, round_) == []


def test_a_file_over_the_upload_limit_gets_a_page_saying_so(hr, round_, app, session):
    too_big = b"criterion,question\n" + b"1," + b"x" * app.config["MAX_CONTENT_LENGTH"]
    response = import_csv(hr, round_, too_big)
    assert response.status_code == 413
    assert "File too large" in text(response)
    assert stored(session, round_) == []


def test_many_wrong_rows_are_listed_up_to_ten_and_the_rest_counted(hr, round_, session):
    content = b"criterion,question\n" + b"".join(b"8,Question %d?\n" % n for n in range(15))
    response = import_csv(hr, round_, content)
    assert response.status_code == 400
    summary, beside = import_errors(response)
    assert beside.count("Error:") == 11  # ten rows and the count of the rest
    assert "Row 11: criterion 8" in beside
    assert "Row 12:" not in beside
    assert beside.endswith("…and 5 more rows to correct.")
    assert summary.count("is not assessed at interview") == 10
    assert stored(session, round_) == []


def test_sending_the_same_file_twice_imports_it_once(hr, round_, session):
    assert import_csv(hr, round_, QUESTIONS_CSV).status_code == 303
    again = import_csv(hr, round_, QUESTIONS_CSV)
    assert again.status_code == 400
    summary, beside = import_errors(again)
    assert "Nothing was imported. Row 2: this question is already on the list." in beside
    assert "Row 3: this question is already on the list." in summary
    assert [question for question, _, _ in stored(session, round_)] == [
        "Tell us about a time you worked in a team, and your part in it.",
        "What would you do if a child told you something that worried you?",
    ]


def test_an_import_without_its_csrf_token_changes_nothing(hr, round_, session):
    response = hr.post(
        page(round_),
        data={"import-file": (io.BytesIO(QUESTIONS_CSV), "questions.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "The form was out of date or incomplete." in text(response)
    assert stored(session, round_) == []


def test_a_closed_vacancy_takes_no_imported_questions(hr, round_, session):
    round_.vacancy.closed_at = utcnow()
    session.commit()
    response = import_csv(hr, round_, QUESTIONS_CSV)
    assert response.status_code == 400
    _, beside = import_errors(response)
    assert "it takes no more changes to its questions." in beside
    assert stored(session, round_) == []


def test_the_interview_chair_imports_but_a_panel_member_may_not(client, round_, session):
    add_panel_member(session, round_.vacancy, "chair@example.org", "interview", chair=True)
    add_panel_member(session, round_.vacancy, "member@example.org", "interview")
    session.commit()
    sign_in(client, "member@example.org")
    url = page(round_)
    data = {
        "csrf_token": token(client, f"/vacancies/{round_.vacancy.id}"),
        "import-file": (io.BytesIO(QUESTIONS_CSV), "questions.csv"),
    }
    assert client.post(url, data=data, content_type="multipart/form-data").status_code == 403
    assert stored(session, round_) == []
    client.post("/logout", data={"csrf_token": token(client, "/")})
    sign_in(client, "chair@example.org")
    assert import_csv(client, round_, QUESTIONS_CSV).status_code == 303
    assert len(stored(session, round_)) == 2
