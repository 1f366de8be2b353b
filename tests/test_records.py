"""Shortlisting and interview records a school can file: who, what, when, confidential, draft or
final; totals as people write them; paperwork only for those it concerns."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from docx import Document

from jdtool.export.records import CandidateRecord, RecordCriterion, StageRecord, build_stage_record
from jdtool.models.people import utcnow
from jdtool.services.decisions import record_decision
from jdtool.services.panels import add_panel_member, declare_conflict
from jdtool.services.recruitment_records import (
    blank_sheets,
    scores_template,
    stage_record,
    stage_record_docx,
)
from jdtool.services.scoping import command_line_scope

from .recruitment_data import score_all


@pytest.fixture
def database_template(round_template):
    return round_template


def all_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def record(**changes) -> StageRecord:
    candidate = CandidateRecord(
        label="A-7KQ3PX", member_scores=[["2", "3", "2"]], agreed=[None], total=22.333333,
        rank=1, tied=False, eligible=True, failed_essentials=[],
    )  # fmt: skip
    base = {
        "vacancy_title": "1:1 TA", "job_title": "SEN TA", "version_number": 1,
        "content_hash": "ab" * 32, "stage_label": "Shortlisting",
        "scale_text": "0 none, 3 detailed", "members": ["A", "B", "C"], "chair": "A",
        "criteria": [RecordCriterion(8, "Experience", "essential", "application")],
        "candidates": [candidate], "school": "Hill School", "produced_on": date(2026, 9, 1),
    }  # fmt: skip
    return StageRecord(**{**base, **changes})


@pytest.mark.parametrize(("final", "status"), [(False, "Draft"), (True, "Final")])
def test_every_record_says_school_vacancy_stage_date_confidential_and_status(final, status):
    content = build_stage_record(record(final=final))
    text = all_text(content)
    line = (
        f"CONFIDENTIAL · Hill School · 1:1 TA · Shortlisting record · 1 September 2026 · {status}"
    )
    assert text.splitlines()[0] == line
    assert text.splitlines()[-1] == f"{line} · Page 1 of 1"  # the footer, on every page
    properties = Document(io.BytesIO(content)).core_properties
    assert properties.author == "Hill School"
    assert properties.subject == f"Confidential recruitment record ({status.lower()})"


def test_totals_have_at_most_two_decimals():
    text = all_text(build_stage_record(record()))
    assert "22.33" in text
    assert "22.333" not in text


def test_a_conflicted_member_gets_no_blank_sheet_and_the_record_says_so(session, round_):
    third = round_.applications[2]
    declare_conflict(session, round_.member, third, "Neighbour")
    session.commit()
    scope = command_line_scope(session, round_.vacancy.id)
    document = blank_sheets(session, scope, "shortlisting")
    template = scores_template(session, scope, "shortlisting")
    text = all_text(document)
    member = round_.member.user.name
    sheets = [line for line in text.splitlines() if line.startswith("Candidate: ")]
    assert len(sheets) == 5  # 3 applicants × 2 members, less the conflict
    assert f"Candidate: {third.reference}    Panel member: {member}" not in sheets
    rows = template.decode("utf-8-sig").splitlines()[1:]
    assert not [r for r in rows if r.startswith(f"{third.reference},{round_.member.user.email}")]

    score_all(session, round_.chair, third)
    record_text = all_text(stage_record_docx(session, scope, "shortlisting"))
    assert f"{member} declared a conflict — did not score." in record_text


def test_interview_paperwork_is_only_for_the_shortlisted(session, round_):
    add_panel_member(session, round_.vacancy, "chair@example.org", "interview", chair=True)
    scope = command_line_scope(session, round_.vacancy.id)
    for application in round_.applications:
        score_all(session, round_.chair, application)
        score_all(session, round_.member, application)
    first, second, third = round_.applications
    for application, outcome in ((first, "shortlist"), (second, "reject"), (third, "reject")):
        record_decision(session, scope, application.id, "shortlisting", outcome, "Reasons", [])
    assert not stage_record(session, scope, "shortlisting").final
    round_.vacancy.shortlist_finalised_at = utcnow()
    session.commit()
    assert stage_record(session, scope, "shortlisting").final
    interview = stage_record(session, scope, "interview")
    assert [c.label for c in interview.candidates] == [first.applicant.name]
    assert not interview.final
    document = blank_sheets(session, scope, "interview")
    sheets = [line for line in all_text(document).splitlines() if line.startswith("Candidate: ")]
    assert sheets == [f"Candidate: {first.reference}    Panel member: Chair Person"]
    record_decision(session, scope, first.id, "interview", "appoint", "Best interview", [])
    assert stage_record(session, scope, "interview").final


def test_candidate_record_reads_as_a_subject_access_reply(session, round_):
    first = round_.applications[0]
    score_all(session, round_.chair, first)
    score_all(session, round_.member, first)
    declare_conflict(session, round_.member, first, "Cousin")
    round_.vacancy.closed_at = datetime(2026, 8, 31, 12, 0)
    session.commit()
    scope = command_line_scope(session, round_.vacancy.id)
    text = all_text(stage_record_docx(session, scope, "shortlisting", first.id, 6))
    assert "Your personal data" in text
    assert f"holds about {first.applicant.name} ({first.applicant.email}" in text
    assert "What we hold" in text
    assert "Why we hold it" in text
    assert "Your personal data will be deleted on 28 February 2027" in text
    assert "Panel Member declared a conflict after scoring — their sheet is withdrawn" in text
    assert "withdrawn" in text.split("Scores:")[1]
    assert "Signatures" not in text
    assert round_.applications[1].applicant.name not in text


def test_the_csv_template_is_made_without_building_the_word_sheets(session, round_, monkeypatch):
    from jdtool.services import recruitment_records

    def no_word_file(*_args, **_kwargs):
        raise AssertionError("the CSV template built the Word sheets")

    monkeypatch.setattr(recruitment_records, "build_blank_sheets", no_word_file)
    scope = command_line_scope(session, round_.vacancy.id)
    rows = scores_template(session, scope, "shortlisting").decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 3 * 2 * 8  # header; 3 candidates × 2 members × 8 criteria


def test_too_many_blank_sheets_are_refused_with_a_clear_message(session, round_, monkeypatch):
    from jdtool.errors import DomainError
    from jdtool.services import recruitment_records

    monkeypatch.setattr(recruitment_records, "MAX_BLANK_SHEETS", 5)
    scope = command_line_scope(session, round_.vacancy.id)
    with pytest.raises(DomainError, match=r"That would be 6 printed score sheets \(for 3 "):
        blank_sheets(session, scope, "shortlisting")
    assert scores_template(session, scope, "shortlisting")  # typing scores in stays possible
