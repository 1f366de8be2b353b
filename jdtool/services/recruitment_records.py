"""Gather a stage's scores and decisions into the plain records the exporters write."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..export.records import (
    CONFLICT_MARK,
    BlankSheet,
    CandidateRecord,
    RecordCriterion,
    StageRecord,
    SubjectAccess,
    build_blank_sheets,
    build_stage_record,
    write_csv,
)
from ..models import (
    Application,
    ConflictDeclaration,
    EqualOpportunitiesAnswer,
    ScoreSheet,
    Vacancy,
)
from ..scoring import SCALES, STAGE_LABELS
from .audit import record_event
from .decisions import rank_stage
from .interview_pack import question_lines
from .retention import appointed_ids, deletion_due
from .scoping import Scope
from .scoring import SCORE_COLUMNS, get_application
from .stage_scores import load_stage_scores


def _value(value: int | None) -> str:
    return "–" if value is None else str(value)


def recruiting_school(vacancy: Vacancy) -> str | None:
    """The school a record names: the JD's school, else its trust."""
    version = vacancy.version
    if version.school is not None:
        return version.school.name
    return version.organisation.name if version.organisation is not None else None


def conflicts(session: Session, vacancy: Vacancy) -> set[tuple[int, int]]:
    """(panel member id, application id) for every conflict declared on the vacancy."""
    member_ids = [member.id for member in vacancy.panel]
    if not member_ids:
        return set()
    return set(
        session.execute(
            select(ConflictDeclaration.panel_member_id, ConflictDeclaration.application_id).where(
                ConflictDeclaration.panel_member_id.in_(member_ids)
            )
        ).all()
    )


def stage_is_final(vacancy: Vacancy, stage: str, candidates: list[CandidateRecord]) -> bool:
    """A shortlisting record is final once the shortlist is; a later stage's once every
    candidate has a decision (or the vacancy is closed)."""
    if vacancy.closed_at is not None:
        return True
    if stage == "shortlisting":
        return vacancy.shortlist_finalised_at is not None
    return bool(candidates) and all(c.decision for c in candidates)


def stage_record(
    session: Session, scope: Scope, stage: str, application_id: int | None = None
) -> StageRecord:
    """Everything the record shows; only one candidate when `application_id` is given."""
    if application_id is not None:
        get_application(session, scope, application_id)  # NotFound when not visible
    scores = load_stage_scores(session, scope, stage)
    ranked = rank_stage(session, scope, stage, scores=scores)
    criteria = [
        RecordCriterion(c.position, c.criterion.text, c.criterion.priority, method)
        for c in scores.criteria
        for method in c.methods
    ]
    keys = [(c.criterion.id, method) for c in scores.criteria for method in c.methods]
    position_of = {c.criterion.id: c.position for c in scores.criteria}
    members = scores.members
    declared = conflicts(session, scope.vacancy)
    withdrawn = {
        pair
        for pair in session.execute(
            select(ScoreSheet.panel_member_id, ScoreSheet.application_id).where(
                ScoreSheet.vacancy_id == scope.vacancy.id,
                ScoreSheet.stage == stage,
                ScoreSheet.live.is_(None),
            )
        ).all()
        if tuple(pair) in declared
    }
    candidates = []
    for row in ranked:
        application_key = row.application.id
        if application_id is not None and application_key != application_id:
            continue
        by_cell = scores.scores.get(application_key, {})
        sheets = scores.sheets.get(application_key, {})
        member_scores = [
            [
                _value(by_cell[key][m.id].value)
                if m.id in by_cell.get(key, {})
                else "withdrawn"
                if (m.id, application_key) in withdrawn
                else CONFLICT_MARK
                if (m.id, application_key) in declared
                else ""
                for m in members
            ]
            for key in keys
        ]
        agreed_rows = scores.agreed.get(application_key, {})
        agreed = [
            (_value(agreed_rows[key].value), agreed_rows[key].rationale)
            if key in agreed_rows
            else None
            for key in keys
        ]
        notes = [
            (m.user.name, position_of[key[0]], by_cell[key][m.id].note)
            for m in members
            if m.id in sheets
            for key in keys
            if m.id in by_cell.get(key, {}) and by_cell[key][m.id].note
        ]
        decision = row.decision
        candidates.append(
            CandidateRecord(
                label=row.label,
                member_scores=member_scores,
                agreed=agreed,
                total=row.standing.total,
                rank=row.standing.rank,
                tied=row.standing.tied,
                eligible=row.standing.eligible,
                failed_essentials=row.standing.failed_essentials,
                override_reason=row.standing.override_reason,
                unassessed_essentials=row.standing.unassessed_essentials,
                guaranteed_interview=row.standing.guaranteed_interview,
                decision=decision.outcome if decision else None,
                decision_reason=decision.reason if decision else None,
                decision_criteria=sorted(
                    position_of[link.criterion_id] for link in decision.criteria
                )
                if decision
                else [],
                notes=notes,
                conflicted=[m.user.name for m in members if (m.id, application_key) in declared],
                withdrawn_for_conflict=[
                    m.user.name for m in members if (m.id, application_key) in withdrawn
                ],
            )
        )
    vacancy = scope.vacancy
    scale = SCALES[vacancy.scale]
    chair = next((m.user.name for m in members if m.is_chair), None)
    return StageRecord(
        vacancy_title=vacancy.title,
        job_title=vacancy.version.title,
        version_number=vacancy.version.number,
        content_hash=vacancy.version.content_hash or "",
        stage_label=STAGE_LABELS[stage],
        scale_text=", ".join(f"{v} {d.lower()}" for v, d in scale.points),
        members=[m.user.name for m in members],
        chair=chair,
        criteria=criteria,
        candidates=candidates,
        school=recruiting_school(vacancy),
        produced_on=date.today(),
        final=stage_is_final(vacancy, stage, candidates),
        questions=question_lines(session, vacancy) if stage == "interview" else [],
    )


def subject_access(
    session: Session, application: Application, stage: str, retention_months: int
) -> SubjectAccess:
    """What is held about one applicant, and until when (for their own record)."""
    vacancy = application.vacancy
    applicant = application.applicant
    held = ["Your name and email address, and the reference the panel saw instead of your name."]
    if application.files:
        held.append(
            "Your application form ("
            + ", ".join(f.filename for f in application.files)
            + "), as you sent it."
        )
    held.append(
        f"The {STAGE_LABELS[stage].lower()} panel's scores for each criterion, the evidence they "
        "noted, any score they agreed, and the decision with its reasons (below)."
    )
    if application.disability_confident:
        held.append("That you opted in to the Disability Confident interview guarantee.")
    monitoring = session.scalar(
        select(EqualOpportunitiesAnswer.id).where(
            EqualOpportunitiesAnswer.application_id == application.id
        )
    )
    if monitoring is not None:
        held.append(
            "Your equal-opportunities monitoring answers, kept apart from your application and "
            "never shown to the panel (they are not in this record)."
        )
    due = deletion_due(vacancy, retention_months)
    if application.id in appointed_ids(session, [application.id]):
        kept_until = (
            "You were appointed: your application becomes part of your employment record and "
            "is kept as that record is."
        )
    elif due is not None and vacancy.closed_at is not None:
        kept_until = (
            f"Your personal data will be deleted on {due.day} {due:%B %Y}, {retention_months} "
            f"months after the vacancy closed on {vacancy.closed_at.day} "
            f"{vacancy.closed_at:%B %Y}. The scores and decision are then kept under your "
            "reference only, without your name."
        )
    else:
        kept_until = (
            "The recruitment is still open. Your personal data will be deleted "
            f"{retention_months} months after the vacancy closes; the scores and decision are "
            "then kept under your reference only, without your name."
        )
    return SubjectAccess(
        name=applicant.name if applicant else f"Applicant {application.reference}",
        email=applicant.email if applicant else "deleted",
        reference=application.reference,
        held=held,
        kept_until=kept_until,
    )


def stage_record_docx(
    session: Session,
    scope: Scope,
    stage: str,
    application_id: int | None = None,
    retention_months: int = 6,
) -> bytes:
    record = stage_record(session, scope, stage, application_id)
    if application_id is not None:
        application = get_application(session, scope, application_id)
        record.subject_access = subject_access(session, application, stage, retention_months)
        # The candidate is named in their own record even while shortlisting is anonymised.
        for candidate in record.candidates:
            if application.applicant is not None:
                candidate.label = application.applicant.name
    content = build_stage_record(record, single_candidate=application_id is not None)
    if application_id is None:
        what = f"{len(record.candidates)} candidates"
    else:  # by reference: a label may be the applicant's name
        application = get_application(session, scope, application_id)
        what = f"the record of {application.reference}"
    record_event(
        session, "export", f"vacancy {scope.vacancy.id} {stage}", f"stage record .docx: {what}"
    )
    return content


def scores_csv(session: Session, scope: Scope, stage: str) -> bytes:
    """Every visible score in the import's own columns (so a corrected file can go back in)."""
    scores = load_stage_scores(session, scope, stage)
    position_of = {c.criterion.id: c.position for c in scores.criteria}
    member_email = {m.id: m.user.email for m in scores.members}
    rows = []
    for application in scores.applications:
        for (criterion_id, method), by_member in scores.scores.get(application.id, {}).items():
            for member_id, score in by_member.items():
                rows.append(
                    [
                        application.reference,
                        member_email[member_id],
                        position_of[criterion_id],
                        method,
                        "na" if score.value is None else score.value,
                        score.note,
                    ]
                )
    rows.sort(key=lambda row: (row[0], row[1], row[2], row[3]))
    record_event(
        session, "export", f"vacancy {scope.vacancy.id} {stage}", f"scores .csv: {len(rows)} rows"
    )
    return write_csv(SCORE_COLUMNS, rows)


#: Printed sheets made at once (one per candidate and panel member): far above a shortlist, and
#: small enough that the Word file builds in seconds and prints on a school's printer.
MAX_BLANK_SHEETS = 400


def blank_sheets(session: Session, scope: Scope, stage: str) -> bytes:
    """Printable sheets per candidate × member, for panels that score on paper."""
    criteria, pairs = _paper_scoring(session, scope, stage)
    if len(pairs) > MAX_BLANK_SHEETS:
        candidates = len({application.id for application, _member in pairs})
        raise DomainError(
            f"That would be {len(pairs)} printed score sheets (for {candidates} candidates); at "
            f"most {MAX_BLANK_SHEETS} are made at once. Score on screen, or shortlist first."
        )
    return build_blank_sheets(
        scope.vacancy.title,
        STAGE_LABELS[stage],
        SCALES[scope.vacancy.scale].points,
        criteria,
        [BlankSheet(application.reference, member.user.name) for application, member in pairs],
        school=recruiting_school(scope.vacancy),
        produced_on=date.today(),
    )


def scores_template(session: Session, scope: Scope, stage: str) -> bytes:
    """The CSV to type paper scores into: one row per candidate, member and criterion (built
    directly, without the Word sheets)."""
    criteria, pairs = _paper_scoring(session, scope, stage)
    return write_csv(
        SCORE_COLUMNS,
        (
            [application.reference, member.user.email, c.position, c.method, "", ""]
            for application, member in pairs
            for c in criteria
        ),
    )


def _paper_scoring(session: Session, scope: Scope, stage: str):
    """The criteria × methods scored at `stage`, and the (application, member) pairs to score."""
    scores = load_stage_scores(session, scope, stage)
    criteria = [
        RecordCriterion(c.position, c.criterion.text, c.criterion.priority, method)
        for c in scores.criteria
        for method in c.methods
    ]
    members = scores.members or []
    declared = conflicts(session, scope.vacancy)
    # No sheet for a member who declared a conflict with that applicant: they do not score them.
    pairs = [
        (application, member)
        for application in scores.applications
        for member in members
        if (member.id, application.id) not in declared
    ]
    return criteria, pairs
