"""A panel member's score sheets: submit one (all or nothing, one per member, applicant and
stage), withdraw one, and find the member's own live sheet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden
from ..models import (
    Application,
    PanelMember,
    Score,
    ScoreDraft,
    ScoreSheet,
)
from ..models.people import utcnow
from ..scoring import (
    SCALES,
)
from .audit import record_event
from .locking import claim
from .scoping import Scope
from .scoring import CellKey, audit_subject, check_taken_forward, get_application, stage_criteria
from .vacancies import check_not_closed, check_stage


class ScoreSheetInvalid(DomainError):
    """The sheet has wrong or missing boxes; `errors` maps each box to what is wrong."""

    def __init__(self, errors: dict[CellKey | None, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True)
class ScoreEntry:
    raw: str | None
    note: str = ""


ALREADY_SUBMITTED = (
    "You have already submitted scores for this applicant. Amend them to change them."
)


def submit_score_sheet(
    session: Session,
    scope: Scope,
    application_id: int,
    stage: str,
    entries: Mapping[CellKey, ScoreEntry],
) -> ScoreSheet:
    """Store one member's complete, validated sheet for one application; it is locked at once."""
    check_not_closed(scope.vacancy, "scores")
    member, application = member_and_application(session, scope, application_id, stage)
    if scope.vacancy.shortlist_finalised_at and stage == "shortlisting":
        raise Forbidden("The shortlist is final; shortlisting scores can no longer change.")
    check_taken_forward(session, scope.vacancy, application, stage)
    replaced = live_sheet(session, member, application.id, stage)
    draft = draft_of(session, member, application.id, stage)
    if replaced is not None and draft is None:
        # Only an amendment (a draft started from the submitted sheet) replaces a sheet; a
        # second click on "Submit" finds the draft gone and is refused here.
        raise Forbidden(ALREADY_SUBMITTED)
    scale = SCALES[scope.vacancy.scale]
    criteria = stage_criteria(scope.vacancy.version, stage)
    errors: dict[CellKey | None, str] = {}
    values: dict[CellKey, int | None] = {}
    expected = {(c.criterion.id, m): c for c in criteria for m in c.methods}
    for key, entry in entries.items():
        if key not in expected:
            errors[key] = f"That criterion and method are not scored at the {stage} stage."
            continue
        try:
            values[key] = scale.parse(entry.raw)
        except DomainError as error:
            errors[key] = f"Criterion {expected[key].position} ({key[1]}): {error}"
    for key, criterion in expected.items():
        if key not in entries:
            errors[key] = (
                f"Criterion {criterion.position} ({key[1]}) has no score: give one, or mark it "
                "not assessed (na in a CSV file)."
            )
    if errors:
        raise ScoreSheetInvalid(errors)
    if replaced is not None:
        # The submitted sheet counted until now; of two amendments sent at once only one
        # withdraws it, and the other is refused.
        withdrawn = claim(
            session,
            update(ScoreSheet)
            .where(ScoreSheet.id == replaced.id, ScoreSheet.live.is_(True))
            .values(live=None, withdrawn_at=utcnow()),
        )
        if not withdrawn:
            raise Forbidden(ALREADY_SUBMITTED)
        session.flush()
        record_event(
            session,
            "score-withdraw",
            audit_subject(scope, application, stage),
            f"sheet {replaced.id} replaced by an amendment",
        )
    sheet = ScoreSheet(
        vacancy_id=scope.vacancy.id,
        application_id=application.id,
        panel_member_id=member.id,
        stage=stage,
        live=True,
    )
    for key in expected:
        sheet.scores.append(
            Score(
                criterion_id=key[0],
                method_code=key[1],
                value=values[key],
                note=(entries[key].note or "").strip(),
            )
        )
    session.add(sheet)
    try:
        session.flush()
    except IntegrityError as error:
        # The same sheet sent twice at once: the database's one-live-sheet rule let the other
        # one through. (The caller rolls the transaction back, as for any DomainError.)
        raise Forbidden(ALREADY_SUBMITTED) from error
    if draft is not None:
        # A statement, not session.delete: a second request deleting it too matches no row
        # rather than failing.
        session.execute(delete(ScoreDraft).where(ScoreDraft.id == draft.id))
    record_event(
        session,
        "score-submit",
        audit_subject(scope, application, stage),
        f"sheet {sheet.id} by panel member {member.user.email}: {len(sheet.scores)} scores",
    )
    return sheet


def withdraw_score_sheet(
    session: Session, scope: Scope, application_id: int, stage: str
) -> ScoreSheet:
    """Withdraw your live sheet so you can submit an amended one; the old sheet is kept."""
    check_not_closed(scope.vacancy, "scores")
    member, application = member_and_application(session, scope, application_id, stage)
    sheet = live_sheet(session, member, application.id, stage)
    if sheet is None:
        raise DomainError("You have no submitted scores for this applicant to amend.")
    if scope.vacancy.shortlist_finalised_at and stage == "shortlisting":
        raise Forbidden("The shortlist is final; shortlisting scores can no longer change.")
    sheet.live = None
    sheet.withdrawn_at = utcnow()
    session.flush()
    record_event(
        session,
        "score-withdraw",
        audit_subject(scope, application, stage),
        f"sheet {sheet.id} withdrawn to amend",
    )
    return sheet


def own_sheet_and_draft(
    session: Session, scope: Scope, application_id: int, stage: str
) -> tuple[ScoreSheet | None, ScoreDraft | None]:
    """The user's live sheet and unsubmitted draft for this application, in one query (the
    grid shows both); (None, None) for a user with no seat at this stage."""
    member = scope.member(stage)
    if member is None:
        return None, None
    row = session.execute(
        select(ScoreSheet, ScoreDraft)
        .select_from(PanelMember)
        .outerjoin(ScoreSheet, _live_sheet_of(PanelMember.id, application_id, stage))
        .outerjoin(ScoreDraft, _draft_of(PanelMember.id, application_id, stage))
        .where(PanelMember.id == member.id)
    ).first()
    return (row[0], row[1]) if row is not None else (None, None)


def live_sheet(session: Session, member: PanelMember, application_id: int, stage: str):
    return session.scalar(
        select(ScoreSheet).where(_live_sheet_of(member.id, application_id, stage))
    )


def _live_sheet_of(member_id, application_id: int, stage: str):
    """A member's live sheet for an application at a stage (`member_id` a value or a column)."""
    return and_(
        ScoreSheet.panel_member_id == member_id,
        ScoreSheet.application_id == application_id,
        ScoreSheet.stage == stage,
        ScoreSheet.live.is_(True),
    )


def _draft_of(member_id, application_id: int, stage: str):
    """A member's unsubmitted draft for an application at a stage."""
    return and_(
        ScoreDraft.panel_member_id == member_id,
        ScoreDraft.application_id == application_id,
        ScoreDraft.stage == stage,
    )


def member_and_application(
    session: Session, scope: Scope, application_id: int, stage: str
) -> tuple[PanelMember, Application]:
    check_stage(scope.vacancy, stage)
    member = scope.member(stage)
    if member is None:
        raise Forbidden(f"You are not on the {stage} panel for this vacancy.")
    application = get_application(session, scope, application_id)
    return member, application


def draft_of(session: Session, member: PanelMember, application_id: int, stage: str):
    return session.scalar(select(ScoreDraft).where(_draft_of(member.id, application_id, stage)))
