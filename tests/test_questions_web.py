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
