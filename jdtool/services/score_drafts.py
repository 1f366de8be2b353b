"""Unfinished score sheets (drafts): save one, amend a submitted sheet through one (the submitted
sheet counts until the amendment is submitted), discard one. A draft is never counted."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden
from ..models import (
    Application,
    ScoreDraft,
    ScoreSheet,
)
from ..models.people import utcnow
from ..scoring import (
    SCALES,
)
from .locking import lock_row
from .scoping import Scope
from .score_sheets import (
    ScoreEntry,
    ScoreSheetInvalid,
    draft_of,
    live_sheet,
    member_and_application,
)
from .scoring import CellKey, check_taken_forward, stage_criteria
from .vacancies import check_not_closed


def _draft_entries(entries: Mapping[CellKey, ScoreEntry]) -> str:
    return json.dumps(
        {
            f"{criterion_id}-{method}": {"score": entry.raw, "note": entry.note or ""}
            for (criterion_id, method), entry in entries.items()
        },
        sort_keys=True,
    )


def save_draft(
    session: Session,
    scope: Scope,
    application_id: int,
    stage: str,
    entries: Mapping[CellKey, ScoreEntry],
) -> ScoreDraft:
    """Keep an unfinished sheet (or an amendment in progress) for later; it is never counted.

    Boxes may be left empty; a score that is given must be on the scale."""
    check_not_closed(scope.vacancy, "scores")
    member, application = member_and_application(session, scope, application_id, stage)
    if scope.vacancy.shortlist_finalised_at and stage == "shortlisting":
        raise Forbidden("The shortlist is final; shortlisting scores can no longer change.")
    check_taken_forward(session, scope.vacancy, application, stage)
    scale = SCALES[scope.vacancy.scale]
    expected = {
        (c.criterion.id, m): c
        for c in stage_criteria(scope.vacancy.version, stage)
        for m in c.methods
    }
    errors: dict[CellKey | None, str] = {}
    kept: dict[CellKey, ScoreEntry] = {}
    for key, entry in entries.items():
        if key not in expected:
            errors[key] = f"That criterion and method are not scored at the {stage} stage."
            continue
        if entry.raw not in (None, ""):
            try:
                scale.parse(entry.raw)
            except DomainError as error:
                errors[key] = f"Criterion {expected[key].position} ({key[1]}): {error}"
                continue
        if entry.raw not in (None, "") or (entry.note or "").strip():
            kept[key] = ScoreEntry(entry.raw or None, (entry.note or "").strip())
    if errors:
        raise ScoreSheetInvalid(errors)
    # The same save sent twice updates one draft: the application row is locked first.
    lock_row(session, Application, application.id)
    draft = draft_of(session, member, application.id, stage)
    if draft is None:
        draft = ScoreDraft(
            vacancy_id=scope.vacancy.id,
            application_id=application.id,
            panel_member_id=member.id,
            stage=stage,
        )
        session.add(draft)
    draft.entries = _draft_entries(kept)
    draft.saved_at = utcnow()
    session.flush()
    return draft


def draft_application_ids(session: Session, scope: Scope, stage: str) -> set[int]:
    """Applications the user has unsubmitted scores (a draft or an amendment) for."""
    member = scope.member(stage)
    if member is None:
        return set()
    return set(
        session.scalars(
            select(ScoreDraft.application_id).where(ScoreDraft.panel_member_id == member.id)
        )
    )


def draft_values(draft: ScoreDraft) -> dict[CellKey, ScoreEntry]:
    """A draft's boxes, as the grid shows them."""
    values = {}
    for name, entry in json.loads(draft.entries or "{}").items():
        criterion_id, method = name.split("-", 1)
        values[(int(criterion_id), method)] = ScoreEntry(entry.get("score"), entry.get("note", ""))
    return values


def start_amendment(session: Session, scope: Scope, application_id: int, stage: str) -> ScoreDraft:
    """Open an amendment: a draft copied from the submitted sheet, which counts until the
    amendment is submitted. Asking twice keeps the amendment already in progress."""
    check_not_closed(scope.vacancy, "scores")
    member, application = member_and_application(session, scope, application_id, stage)
    sheet = live_sheet(session, member, application.id, stage)
    if sheet is None:
        raise DomainError("You have no submitted scores for this applicant to amend.")
    if scope.vacancy.shortlist_finalised_at and stage == "shortlisting":
        raise Forbidden("The shortlist is final; shortlisting scores can no longer change.")
    draft = draft_of(session, member, application.id, stage)
    if draft is not None:
        return draft
    return save_draft(
        session,
        scope,
        application.id,
        stage,
        amendment_start(session, scope, application.id, stage),
    )


def discard_draft(session: Session, scope: Scope, application_id: int, stage: str) -> None:
    """Throw away an unsubmitted draft or amendment; a submitted sheet stays as it was."""
    member, application = member_and_application(session, scope, application_id, stage)
    session.execute(
        delete(ScoreDraft).where(
            ScoreDraft.panel_member_id == member.id,
            ScoreDraft.application_id == application.id,
            ScoreDraft.stage == stage,
        )
    )


def amendment_start(
    session: Session, scope: Scope, application_id: int, stage: str
) -> dict[CellKey, ScoreEntry]:
    """The scores of the user's latest sheet for this application, to start an amendment from."""
    sheet = session.scalar(
        scope.own_sheets(stage).where(ScoreSheet.application_id == application_id)
    )
    if sheet is None:
        return {}
    return {
        (score.criterion_id, score.method_code): ScoreEntry(
            "na" if score.value is None else str(score.value), score.note
        )
        for score in sheet.scores
    }
