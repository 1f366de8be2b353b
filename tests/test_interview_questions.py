"""Interview questions: per criterion, checked, suggested from the bank, imported, listed and
printed in the panel's pack; the interview grid shows them."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from jdtool.errors import DomainError
from jdtool.models import AuditEvent
from jdtool.question_checks import (
    InterviewCriterion,
    QuestionFacts,
    check_questions,
    is_safeguarding_question,
)
from jdtool.services import interview_pack
from jdtool.services import questions as question_service
from jdtool.services.questions import QuestionDraft, QuestionInvalid
from jdtool.services.scoping import command_line_scope
from jdtool.services.vacancies import create_vacancy

#: Criteria of the teaching assistant spec assessed at interview (1-based positions).
INTERVIEW_POSITIONS = [1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 17, 18, 21]


@pytest.fixture
def database_template(round_template):
    return round_template


def criterion_id(vacancy, position: int) -> int:
    return vacancy.version.criteria()[position - 1].id


def add(session, vacancy, text, positions, **options):
    draft = QuestionDraft(text, [criterion_id(vacancy, p) for p in positions], **options)
    question = question_service.add_question(session, vacancy, draft)
    session.commit()
    return question


def numbers(session, vacancy):
    return [(q.position, q.text) for q in question_service.vacancy_questions(session, vacancy)]


# -- the checks (pure) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What would you do if a child told you something that worried you?", True),
        ("How do you keep pupils safe on a school trip?", True),
        ("Tell us about your understanding of safeguarding.", True),
        ("When would you use the whistleblowing procedure?", True),
        ("Describe a time you worked well in a team.", False),
        ("How would you support a pupil with autism in a maths lesson?", False),
    ],
)
def test_safeguarding_is_recognised_in_a_questions_wording(text, expected):
    assert is_safeguarding_question(text) is expected


def test_checks_name_criteria_without_a_question_and_a_missing_safeguarding_question():
    criteria = [
        InterviewCriterion(1, "Works in a team"),
        InterviewCriterion(2, "Commitment to safeguarding and promoting the welfare of children"),
    ]
    issues = check_questions(criteria, [QuestionFacts(1, "Tell us about teamwork.", (1,))])
    assert [(issue.code, issue.positions) for issue in issues] == [
        ("no-question", (2,)),
        ("no-safeguarding-question", ()),
    ]
    covered = check_questions(criteria, [QuestionFacts(1, "Tell us about your work.", (1, 2))])
    assert covered == []  # criterion 2 is a suitability criterion, so the question covers it


# -- the service -------------------------------------------------------------------------------


def test_questions_keep_their_order_through_moves_and_deletes(session, round_):
    vacancy = round_.vacancy
    first = add(session, vacancy, "Why this school?", [1])
    second = add(session, vacancy, "Tell us about teamwork.", [12, 6])
    third = add(session, vacancy, "How do you keep children safe?", [4])
    question_service.move_question(session, vacancy, third.id, "up", 3)
    session.commit()
    assert [text for _, text in numbers(session, vacancy)] == [
        "Why this school?",
        "How do you keep children safe?",
        "Tell us about teamwork.",
    ]
    with pytest.raises(DomainError, match="The order changed since this page was opened"):
        question_service.move_question(session, vacancy, third.id, "up", 3)  # sent twice
    session.rollback()
    question_service.delete_question(session, vacancy, first.id)
    session.commit()
    assert numbers(session, vacancy) == [
        (1, "How do you keep children safe?"),
        (2, "Tell us about teamwork."),
    ]
    assert question_service.criterion_positions(vacancy, second) == [6, 12]
    # Every change to what candidates will be asked is in the audit log, once.
    logged = session.scalars(
        select(AuditEvent.detail)
        .where(AuditEvent.action == "question-change")
        .order_by(AuditEvent.id)
    ).all()
    assert logged == [
        "question 1 added: Why this school?",
        "question 2 added: Tell us about teamwork.",
        "question 3 added: How do you keep children safe?",
        "question 3 moved up to 2",
        "question 1 deleted: Why this school?",
    ]


@pytest.mark.parametrize(
    ("text", "positions", "field", "message"),
    [
        ("", [1], "text", "Write the question"),
        ("Tell us about your GCSEs.", [8], "criteria", "only criteria assessed at interview"),
        ("Tell us about your GCSEs.", [], "criteria", "Tick the criteria"),
    ],
)
def test_a_question_that_cannot_be_asked_is_refused_with_the_field(
    session, round_, text, positions, field, message
):
    with pytest.raises(QuestionInvalid) as refused:
        add(session, round_.vacancy, text, positions)
    assert message in refused.value.errors[field]


def test_the_same_question_twice_is_refused(session, round_):
    add(session, round_.vacancy, "Why this school?", [1])
    with pytest.raises(QuestionInvalid, match="already on the list"):
        add(session, round_.vacancy, "  why this   school? ", [2])


def test_the_check_lists_interview_criteria_without_questions(session, round_):
    vacancy = round_.vacancy
    issues = question_service.question_issues(vacancy, [])
    assert [i.positions[0] for i in issues if i.code == "no-question"] == INTERVIEW_POSITIONS
    assert issues[-1].code == "no-safeguarding-question"
    add(session, vacancy, "What would you do if a child told you they were being hurt?", [4])
    issues = question_service.question_issues(
        vacancy, question_service.vacancy_questions(session, vacancy)
    )
    assert [i.code for i in issues].count("no-question") == len(INTERVIEW_POSITIONS) - 1
    assert "no-safeguarding-question" not in [i.code for i in issues]


def test_the_bank_suggests_questions_asked_about_the_same_clause(session, round_):
    earlier = round_.vacancy
    add(
        session, earlier, "Tell us about a time you worked in a team.", [12],
        guidance="A specific example with their own part in it.",
        follow_ups="What would you do differently?",
        score_guidance={3: "Names their role and the outcome."},
    )  # fmt: skip
    later = create_vacancy(session, earlier.version.job_description_id, "1:1 TA (spring)")
    session.commit()
    offered = question_service.suggestions(session, later)
    team = criterion_id(later, 12)
    assert [s.question.text for s in offered[team]] == [
        "Tell us about a time you worked in a team."
    ]
    assert offered[team][0].vacancy_title == earlier.title
    copied = question_service.add_from_bank(session, later, offered[team][0].question.id, team)
    session.commit()
    assert copied.vacancy_id == later.id
    assert copied.guidance == "A specific example with their own part in it."
    assert copied.follow_up_list == ["What would you do differently?"]
    assert [(g.score, g.text) for g in copied.score_guidance] == [
        (3, "Names their role and the outcome.")
    ]
    assert question_service.suggestions(session, later) == {}  # already asked


def test_the_interview_grid_groups_criteria_under_their_questions(session, round_):
    from jdtool.services.scoring import stage_criteria

    vacancy = round_.vacancy
    add(session, vacancy, "Tell us about teamwork.", [12, 6])
    add(session, vacancy, "How do you communicate with parents?", [6])
    criteria = stage_criteria(vacancy.version, "interview")
    ordered, before = interview_pack.grid_by_question(session, vacancy, "interview", criteria)
    assert [c.position for c in ordered][:2] == [6, 12]
    assert sorted(c.position for c in ordered) == sorted(c.position for c in criteria)
    assert [q.number for q in before[criterion_id(vacancy, 6)]] == [1]
    assert [q.number for q in before[None]] == [2]  # its criterion is scored under question 1
    assert [q.number for q in before[ordered[2].criterion.id]] == [0]  # no question covers it
    assert interview_pack.grid_by_question(session, vacancy, "shortlisting", criteria) == (
        criteria,
        {},
    )


# -- the pack ----------------------------------------------------------------------------------


def pack_text(data: bytes) -> tuple[list[str], list[str]]:
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return paragraphs, cells


def test_the_pack_has_a_cover_and_the_questions_in_order_per_candidate(session, round_):
    vacancy = round_.vacancy
    add(
        session, vacancy, "Tell us about teamwork.", [12],
        guidance="Their own part, not the team's.", follow_ups="What was hard?",
        score_guidance={0: "No example.", 3: "A detailed example."},
    )  # fmt: skip
    add(session, vacancy, "How do you keep children safe?", [4])
    data = interview_pack.interview_pack_docx(session, command_line_scope(session, vacancy.id))
    paragraphs, cells = pack_text(data)
    # Nobody is shortlisted yet: one blank copy.
    assert paragraphs.count("Interview pack: 1:1 SEN TA") == 1
    assert "Westcountry Schools Trust" in paragraphs
    assert "CONFIDENTIAL" in paragraphs
    assert paragraphs.index("Tell us about teamwork.") < paragraphs.index(
        "How do you keep children safe?"
    )
    assert "Question 1 of 2" in paragraphs
    assert "12. Has proven experience of working in a team" in paragraphs
    assert "What was hard?" in paragraphs
    assert "Their own part, not the team's." in paragraphs
    assert "3 Detailed example tied to the job description" in cells
    assert "A detailed example." in cells
    assert "Notes (what the candidate said)" in cells
    settings = Document(io.BytesIO(data)).settings.element.xml
    assert (
        'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"'
        in (settings)
    )


def test_the_pack_names_candidates_or_their_references_when_anonymised(
    session, round_, monkeypatch
):
    from jdtool.services import scoring

    vacancy = round_.vacancy
    add(session, vacancy, "Tell us about teamwork.", [12])
    application = round_.applications[0]
    # Only the shortlisted get a copy (shortlisting itself is tested elsewhere).
    monkeypatch.setattr(scoring, "shortlisted_ids", lambda _s, _v: {application.id})
    scope = command_line_scope(session, vacancy.id)
    named, _ = pack_text(interview_pack.interview_pack_docx(session, scope))
    vacancy.anonymised = True
    anonymous, anonymous_cells = pack_text(interview_pack.interview_pack_docx(session, scope))
    assert f"Candidate: Applicant 1 ({application.reference})" in named
    assert f"Candidate: {application.reference}" in anonymous
    assert "Applicant 1" not in " ".join(anonymous + anonymous_cells)


def test_a_vacancy_without_questions_has_no_pack(session, round_):
    scope = command_line_scope(session, round_.vacancy.id)
    with pytest.raises(DomainError, match="no interview questions yet"):
        interview_pack.interview_pack_docx(session, scope)


# -- the command line --------------------------------------------------------------------------


def write(tmp_path, text):
    path = tmp_path / "questions.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_questions_import_and_list(cli, round_, tmp_path):
    vacancy_id = str(round_.vacancy.id)
    result = cli(
        "questions", "import", vacancy_id,
        write(tmp_path, "criterion,question,guidance\n"
                        '12;6,"Tell us about teamwork.",Their own part\n'
                        "4,How do you keep children safe?,\n"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == "Imported 2 questions.\n"
    listed = cli("questions", "list", vacancy_id)
    assert listed.output == (
        "1\t6;12\tTell us about teamwork.\n2\t4\tHow do you keep children safe?\n"
    )


def test_questions_import_refuses_a_criterion_not_assessed_at_interview(cli, round_, tmp_path):
    vacancy_id = str(round_.vacancy.id)
    result = cli(
        "questions", "import", vacancy_id,
        write(tmp_path, "criterion,question,guidance\n1,Why us?,\n8,Your GCSEs?,\n99,Hm?,\n"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Row 3: criterion 8 is not assessed at interview or by a task" in result.output
    assert "Row 4: '99' is not a criterion number (1 to 22)." in result.output
    assert cli("questions", "list", vacancy_id).output == ""


def test_export_pack_writes_a_word_file(cli, round_, tmp_path):
    vacancy_id = str(round_.vacancy.id)
    cli("questions", "import", vacancy_id, write(tmp_path, "criterion,question\n4,Safe?\n"))
    target = tmp_path / "pack.docx"
    result = cli("export-pack", vacancy_id, "-o", str(target), "--date", "2027-01-14")
    assert result.exit_code == 0, result.output
    paragraphs, cells = pack_text(target.read_bytes())
    assert "Thursday 14 January 2027" in cells
    missing = cli("export-pack", "999", "-o", str(target))
    assert missing.exit_code == 1
    assert missing.output == "jdtool: There is no vacancy with ID 999.\n"
