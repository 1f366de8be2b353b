"""Vacancy and scoring services on a real database, and the constraints the database holds."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from jdtool.errors import DomainError, Forbidden, NotFound
from jdtool.models import (
    Application,
    ConsensusScore,
    Criterion,
    Decision,
    PanelMember,
    Score,
    ScoreSheet,
)
from jdtool.models.people import utcnow
from jdtool.services.applicants import attach_application_file, import_applicants
from jdtool.services.decisions import (
    finalise_shortlist,
    rank_stage,
    record_decision,
    record_override,
)
from jdtool.services.moderation import record_consensus
from jdtool.services.panels import add_panel_member, declare_conflict
from jdtool.services.scoping import scope_for
from jdtool.services.score_sheets import (
    ScoreEntry,
    ScoreSheetInvalid,
    submit_score_sheet,
    withdraw_score_sheet,
)
from jdtool.services.scoring import stage_criteria
from jdtool.services.stage_scores import load_stage_scores
from jdtool.services.vacancies import (
    create_vacancy,
    repin_vacancy,
    vacancy_stages,
    vacancy_warnings,
)

from .hostile_files import clean_pdf
from .recruitment_data import (
    ESSENTIAL_AT_SHORTLISTING,
    SHORTLISTING_POSITIONS,
)
from .recruitment_data import score_all as score


@pytest.fixture
def database_template(round_template):
    """Each test starts from a copy of one prepared round (building it costs seconds)."""
    return round_template


def test_vacancy_pins_the_approved_version_and_refuses_a_draft(session, create_job_description):
    draft_only = create_job_description(title="SEN Teaching Assistant")
    with pytest.raises(Forbidden, match="has no approved version yet"):
        create_vacancy(session, draft_only.id, "TA")


def test_stages_come_from_the_spec(round_):
    assert vacancy_stages(round_.vacancy) == ["shortlisting", "interview"]
    criteria = stage_criteria(round_.vacancy.version, "shortlisting")
    assert [c.position for c in criteria] == SHORTLISTING_POSITIONS
    assert [c.position for c in criteria if c.essential] == ESSENTIAL_AT_SHORTLISTING


def test_database_refuses_a_score_by_a_method_the_criterion_does_not_list(session, round_):
    sheet = score(session, round_.chair, round_.applications[0])
    interview_only = round_.vacancy.version.criteria()[0]
    assert interview_only.methods == ["interview"]
    session.add(Score(sheet_id=sheet.id, criterion_id=interview_only.id, method_code="application"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_database_refuses_two_scores_for_one_criterion_and_method(session, round_):
    sheet = score(session, round_.chair, round_.applications[0])
    first = sheet.scores[0]
    session.add(
        Score(sheet_id=sheet.id, criterion_id=first.criterion_id, method_code=first.method_code)
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_database_refuses_a_second_live_sheet(session, round_):
    sheet = score(session, round_.chair, round_.applications[0])
    session.add(
        ScoreSheet(
            vacancy_id=sheet.vacancy_id,
            application_id=sheet.application_id,
            panel_member_id=sheet.panel_member_id,
            stage="shortlisting",
            live=True,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_database_keeps_withdrawn_sheets_beside_the_live_one(session, round_):
    application = round_.applications[0]
    score(session, round_.chair, application)
    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    withdraw_score_sheet(session, scope, application.id, "shortlisting")
    score(session, round_.chair, application, "3")
    withdraw_score_sheet(session, scope, application.id, "shortlisting")
    score(session, round_.chair, application, "1")
    sheets = session.scalars(select(ScoreSheet).order_by(ScoreSheet.id)).all()
    assert [(s.live, s.withdrawn_at is not None) for s in sheets] == [
        (None, True),
        (None, True),
        (True, False),
    ]
    assert {score.value for score in sheets[0].scores} == {2}


def test_database_refuses_a_sheet_for_an_applicant_of_another_vacancy(session, round_):
    other = create_vacancy(session, round_.vacancy.version.job_description_id, "Second TA")
    session.add(
        ScoreSheet(
            vacancy_id=other.id,
            application_id=round_.applications[0].id,
            panel_member_id=round_.chair.id,
            stage="shortlisting",
            live=True,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_database_refuses_an_agreed_score_without_rationale(session, round_):
    criterion = session.get(Criterion, round_.vacancy.version.criteria()[7].id)
    session.add(
        ConsensusScore(
            application_id=round_.applications[0].id,
            stage="shortlisting",
            criterion_id=criterion.id,
            method_code="application",
            value=2,
            rationale="  ",
            recorded_by_id=round_.chair.user_id,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_sheet_must_be_complete_and_on_the_scale(session, round_):
    scope = scope_for(session, round_.member.user, round_.vacancy.id)
    criteria = stage_criteria(round_.vacancy.version, "shortlisting")
    entries = {(c.criterion.id, m): ScoreEntry("2") for c in criteria for m in c.methods}
    first = (criteria[0].criterion.id, "application")
    entries[first] = ScoreEntry("7")
    del entries[(criteria[1].criterion.id, "application")]
    with pytest.raises(ScoreSheetInvalid) as raised:
        submit_score_sheet(session, scope, round_.applications[0].id, "shortlisting", entries)
    assert (
        raised.value.errors[first]
        == "Criterion 8 (application): 7 is outside this vacancy's scale (0 to 3)."
    )
    assert "Criterion 9 (application) has no score" in str(raised.value)


def test_submitted_sheet_is_locked(session, round_):
    score(session, round_.member, round_.applications[0])
    with pytest.raises(Forbidden, match="already submitted"):
        score(session, round_.member, round_.applications[0])


def test_member_sees_others_scores_only_after_submitting(session, round_):
    application = round_.applications[0]
    score(session, round_.chair, application, "3")
    member_scope = scope_for(session, round_.member.user, round_.vacancy.id)
    before = load_stage_scores(session, member_scope, "shortlisting")
    assert before.sheets == {}
    score(session, round_.member, application, "1")
    after = load_stage_scores(session, member_scope, "shortlisting")
    assert set(after.sheets[application.id]) == {round_.chair.id, round_.member.id}


def test_panel_member_sees_only_their_vacancies(session, round_, create_user):
    outsider = create_user("outsider@example.org", role="panel")
    with pytest.raises(NotFound):
        scope_for(session, outsider, round_.vacancy.id)


def test_conflict_hides_the_applicant_from_that_member(session, round_):
    conflicted = round_.applications[1]
    declare_conflict(session, round_.member, conflicted, "My neighbour")
    scope = scope_for(session, round_.member.user, round_.vacancy.id)
    visible = session.scalars(scope.applications()).all()
    assert conflicted not in visible
    assert len(visible) == 2
    with pytest.raises(NotFound):
        score(session, round_.member, conflicted)


def test_ranking_applies_the_essential_gate_and_override(session, round_):
    first, second, third = round_.applications
    for member in (round_.chair, round_.member):
        score(session, member, first, "2")
        score(session, member, second, "3", {10: "0"})
        score(session, member, third, "1")
    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    ranked = {r.application.id: r.standing for r in rank_stage(session, scope, "shortlisting")}
    assert ranked[second.id].failed_essentials == [10]
    assert ranked[second.id].rank is None
    assert (ranked[first.id].rank, ranked[third.id].rank) == (1, 2)
    with pytest.raises(Forbidden, match="failed an essential"):
        record_decision(session, scope, second.id, "shortlisting", "shortlist", "Strong", [])
    with pytest.raises(DomainError, match="Give a reason"):
        record_override(session, scope, second.id, "shortlisting", " ")
    record_override(session, scope, second.id, "shortlisting", "GCSE certificate seen")
    ranked = {r.application.id: r.standing for r in rank_stage(session, scope, "shortlisting")}
    assert ranked[second.id].rank == 1


def test_disagreement_is_flagged_and_agreed_score_is_a_separate_row(session, round_):
    application = round_.applications[0]
    score(session, round_.chair, application, "3")
    score(session, round_.member, application, "1")
    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    criterion = stage_criteria(round_.vacancy.version, "shortlisting")[0].criterion
    key = (criterion.id, "application")
    assert load_stage_scores(session, scope, "shortlisting").cell(application.id, key).flagged
    member_scope = scope_for(session, round_.member.user, round_.vacancy.id)
    with pytest.raises(Forbidden, match="Only the panel chair"):
        record_consensus(session, member_scope, application.id, "shortlisting", *key, "2", "Agreed")
    record_consensus(session, scope, application.id, "shortlisting", *key, "2", "Brief example")
    cell = load_stage_scores(session, scope, "shortlisting").cell(application.id, key)
    assert (cell.member_scores, cell.value) == ((3, 1), 2)


def test_decision_needs_a_reason_and_disability_confident_must_be_interviewed(session, round_):
    application = round_.applications[0]
    application.disability_confident = True
    for member in (round_.chair, round_.member):
        score(session, member, application, "1")
    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    with pytest.raises(DomainError, match="Give the reason"):
        record_decision(session, scope, application.id, "shortlisting", "shortlist", "", [])
    with pytest.raises(Forbidden, match="Disability Confident"):
        record_decision(session, scope, application.id, "shortlisting", "reject", "Weak", [])
    decision = record_decision(
        session, scope, application.id, "shortlisting", "shortlist", "Meets all essentials",
        [stage_criteria(round_.vacancy.version, "shortlisting")[0].criterion.id],
    )  # fmt: skip
    assert len(decision.criteria) == 1


def test_gate_counts_every_members_sheet_when_the_chair_has_not_scored(session, round_):
    application = round_.applications[0]
    application.disability_confident = True
    score(session, round_.member, application, "3")
    chair_scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    with pytest.raises(Forbidden, match="Disability Confident"):
        record_decision(session, chair_scope, application.id, "shortlisting", "reject", "No", [])
    failed = round_.applications[1]
    score(session, round_.member, failed, "2", overrides={ESSENTIAL_AT_SHORTLISTING[0]: "0"})
    with pytest.raises(Forbidden, match="failed an essential"):
        record_decision(session, chair_scope, failed.id, "shortlisting", "shortlist", "Yes", [])
    decision = record_decision(
        session, chair_scope, application.id, "shortlisting", "shortlist", "Meets all", []
    )
    assert decision.outcome == "shortlist"


def test_shortlist_needs_two_submitted_members(session, round_):
    application = round_.applications[0]
    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    for each in round_.applications:
        score(session, round_.chair, each, "2")
        record_decision(session, scope, each.id, "shortlisting", "shortlist", "Good", [])
    with pytest.raises(Forbidden, match="At least 2 panel members .* \\(1 so far\\)"):
        finalise_shortlist(session, scope)
    score(session, round_.member, application, "2")
    finalise_shortlist(session, scope)
    assert round_.vacancy.shortlist_finalised_at is not None
    with pytest.raises(Forbidden, match="The shortlist is final"):
        score(session, round_.member, round_.applications[1], "3")


def test_criteria_are_locked_once_applications_exist(session, round_):
    with pytest.raises(Forbidden, match="criteria are locked"):
        repin_vacancy(session, round_.vacancy, round_.vacancy.version)


def test_applicants_csv_reports_unknown_columns_and_bad_rows(session, round_):
    good = b"name,email,disability_confident,shoe_size\nAna,ana@example.org,yes,5\n"
    result = import_applicants(session, round_.vacancy, good)
    assert result.unknown_columns == ["shoe_size"]
    assert result.applications[0].disability_confident
    bad = b"name,email\nBo,bo@example.org\n,nobody@example.org\nCy,not-an-email\n"
    with pytest.raises(DomainError) as raised:
        import_applicants(session, round_.vacancy, bad)
    assert raised.value.errors == [
        "Row 3: Give the applicant's name.",
        "Row 4: 'not-an-email' is not an email address.",
    ]


def test_applicants_csv_references_must_be_jdtools_own(session, round_):
    data = (
        b"name,email,reference\n"
        b"Ana,ana@example.org,a-7kq3px\n"
        b"Bo Jones,bo@example.org,Bo Jones\n"
        b"Cy,cy@example.org,A-7KQ3P0\n"
        b"Di,di@example.org,\n"
    )
    with pytest.raises(DomainError) as raised:
        import_applicants(session, round_.vacancy, data)
    refused = (
        "The reference is not one jdtool gave (like A-7KQ3PX); leave the reference column "
        "empty and jdtool makes one."
    )
    assert raised.value.errors == [f"Row 3: {refused}", f"Row 4: {refused}"]
    session.rollback()
    good = b"name,email,reference\nAna,ana@example.org,a-7kq3px\nDi,di@example.org,\n"
    first, second = import_applicants(session, round_.vacancy, good).applications
    assert first.reference == "A-7KQ3PX"
    assert re.fullmatch(r"A-[A-Z2-9]{6}", second.reference)


def test_anonymous_reference_is_random_not_from_the_name(session, round_):
    references = [a.reference for a in round_.applications]
    assert len(set(references)) == 3
    assert all(r.startswith("A-") and "APPLICANT" not in r.upper() for r in references)


def test_maintained_school_warns_until_someone_has_training(session, round_):
    round_.vacancy.maintained_school = True
    assert any("safer-recruitment" in w for w in vacancy_warnings(round_.vacancy))
    round_.chair.training_date = date(2025, 9, 1)
    assert not any("safer-recruitment" in w for w in vacancy_warnings(round_.vacancy))


def test_panel_add_makes_a_panel_account(session, round_):
    seat = add_panel_member(session, round_.vacancy, "new@example.org", "interview")
    assert seat.new_password
    assert seat.member.user.role == "panel"
    with pytest.raises(DomainError, match="already on the interview panel"):
        add_panel_member(session, round_.vacancy, "new@example.org", "interview")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (clean_pdf(), None),
        (b"%PDF-1.7\n...", "form.pdf cannot be used: it is damaged"),
        (b"MZ\x90\x00 pretending", "is not a PDF or Word"),
        (b"", "is empty"),
        (b"PK\x03\x04 broken zip", "is not a PDF or Word"),
    ],
)
def test_application_file_is_checked_by_content(session, round_, data, message):
    application = round_.applications[0]
    if message is None:
        assert attach_application_file(session, application, "form.pdf", data).kind == "pdf"
    else:
        with pytest.raises(DomainError, match=message):
            attach_application_file(session, application, "form.pdf", data)


def test_constraints_hold_in_the_database(app):
    from .recruitment_data import load_round

    sessions = app.extensions["jdtool_sessions"]
    with sessions() as session:
        round_ = load_round(session)
        sheet = score(session, round_.chair, round_.applications[0])
        sheet_id, chair_id, application_id = sheet.id, round_.chair.id, sheet.application_id
        vacancy_id = round_.vacancy.id
        interview_only = round_.vacancy.version.criteria()[0].id
        first = sheet.scores[0]
        duplicate = (first.criterion_id, first.method_code)
    bad_rows = [
        Score(sheet_id=sheet_id, criterion_id=interview_only, method_code="application"),
        Score(sheet_id=sheet_id, criterion_id=duplicate[0], method_code=duplicate[1]),
        ScoreSheet(
            vacancy_id=vacancy_id,
            application_id=application_id,
            panel_member_id=chair_id,
            stage="shortlisting",
            live=True,
        ),
    ]
    for row in bad_rows:
        with sessions() as session:
            session.add(row)
            with pytest.raises(IntegrityError):
                session.flush()
            session.rollback()
    with sessions() as session:
        scope = scope_for(session, session.get(PanelMember, chair_id).user, vacancy_id)
        withdraw_score_sheet(session, scope, application_id, "shortlisting")
        session.commit()
    with sessions() as session:
        application = session.get(Application, application_id)
        score(session, session.get(PanelMember, chair_id), application, "3")
        assert session.scalar(select(func.count(ScoreSheet.id))) == 2


def test_interview_stage_scores_only_interview_methods(session, round_):
    seat = add_panel_member(session, round_.vacancy, "chair@example.org", "interview", chair=True)
    session.add(
        Decision(application_id=round_.applications[0].id, stage="shortlisting",
                 outcome="shortlist", reason="Meets every essential")
    )  # fmt: skip
    round_.vacancy.shortlist_finalised_at = utcnow()
    criteria = stage_criteria(round_.vacancy.version, "interview")
    assert criteria[0].position == 1
    both = next(c for c in criteria if c.position == 15)
    assert both.methods == ("interview",)  # its application-form score belongs to shortlisting
    sheet = score(session, seat.member, round_.applications[0], "2", stage="interview")
    assert {s.method_code for s in sheet.scores} == {"interview"}
    assert len(sheet.scores) == len(criteria)
    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    interview = rank_stage(session, scope, "interview")
    assert interview[0].standing.total == 2 * len(criteria)
    shortlisting = {
        r.application.id: r.standing for r in rank_stage(session, scope, "shortlisting")
    }
    assert shortlisting[round_.applications[0].id].total == 0


def test_anonymised_names_appear_once_the_shortlist_is_final(session, round_):
    from jdtool.services.scoring import applicant_label

    round_.vacancy.anonymised = True
    application = round_.applications[0]
    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    assert applicant_label(scope, application, "shortlisting") == application.reference
    # Every stage, or the interview pages would pair references with names.
    assert applicant_label(scope, application, "interview") == application.reference
    for each in round_.applications:
        score(session, round_.chair, each, "2")
        score(session, round_.member, each, "2")
        record_decision(session, scope, each.id, "shortlisting", "shortlist", "Meets all", [])
    finalise_shortlist(session, scope)
    assert applicant_label(scope, application, "shortlisting") == "Applicant 1"
    assert applicant_label(scope, application, "interview") == "Applicant 1"


def test_a_training_date_in_the_future_is_refused_when_seating_a_member(session, round_):
    from datetime import date, timedelta

    from jdtool.services.panels import add_panel_member

    next_year = date.today() + timedelta(days=365)
    with pytest.raises(DomainError, match="training date cannot be in the future"):
        add_panel_member(
            session, round_.vacancy, "new@example.org", "shortlisting", training_date=next_year
        )


def test_a_conflict_declared_after_scoring_withdraws_the_sheet_from_the_totals(session, round_):
    first = round_.applications[0]
    score(session, round_.chair, first, "3")
    score(session, round_.member, first, "1")
    declare_conflict(session, round_.member, first, "Turns out to be my cousin")
    session.commit()
    sheets = session.scalars(
        select(ScoreSheet).where(
            ScoreSheet.application_id == first.id,
            ScoreSheet.panel_member_id == round_.member.id,
        )
    ).all()
    assert [(s.live, s.withdrawn_at is not None) for s in sheets] == [(None, True)]
    hr_scope = scope_for(session, round_.chair.user, round_.vacancy.id).for_decisions()
    scores = load_stage_scores(session, hr_scope, "shortlisting")
    assert set(scores.sheets[first.id]) == {round_.chair.id}
    ranked = {r.application.id: r for r in rank_stage(session, hr_scope, "shortlisting")}
    assert ranked[first.id].standing.total == 3 * len(SHORTLISTING_POSITIONS)


def test_a_conflicted_chair_cannot_finalise_while_their_applicant_is_undecided(session, round_):
    first, second, third = round_.applications
    for application in round_.applications:
        score(session, round_.chair, application)
        score(session, round_.member, application)
    declare_conflict(session, round_.chair, third, "Neighbour")
    session.commit()
    chair = scope_for(session, round_.chair.user, round_.vacancy.id)
    for application in (first, second):
        record_decision(session, chair, application.id, "shortlisting", "shortlist", "Good", [])
    with pytest.raises(Forbidden, match="You declared a conflict with an applicant who has no"):
        finalise_shortlist(session, chair)
    assert round_.vacancy.shortlist_finalised_at is None


def test_a_draft_saved_twice_is_one_draft_and_submitting_removes_it(session, round_):
    from jdtool.models import ScoreDraft
    from jdtool.services.score_drafts import save_draft
    from jdtool.services.score_sheets import own_sheet_and_draft

    first = round_.applications[0]
    scope = scope_for(session, round_.member.user, round_.vacancy.id)
    box = stage_criteria(round_.vacancy.version, "shortlisting")[0]
    key = (box.criterion.id, box.methods[0])
    for _ in range(2):
        save_draft(session, scope, first.id, "shortlisting", {key: ScoreEntry("2", "seen")})
        session.commit()
    assert session.scalar(select(func.count(ScoreDraft.id))) == 1
    with pytest.raises(ScoreSheetInvalid):
        save_draft(session, scope, first.id, "shortlisting", {key: ScoreEntry("7")})
    session.rollback()
    assert load_stage_scores(session, scope, "shortlisting").sheets == {}  # never counted
    score(session, round_.member, first)
    own, draft = own_sheet_and_draft(session, scope, first.id, "shortlisting")
    assert own is not None
    assert draft is None
