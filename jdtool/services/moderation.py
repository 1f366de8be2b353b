"""The agreed scores the chair records where members differ (the moderation page's figures are
worked out in stage_scores.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden
from ..models import Application, ConsensusScore
from ..scoring import SCALES
from .audit import record_event
from .locking import lock_row
from .scoping import Scope
from .scoring import audit_subject, get_application, stage_criteria
from .vacancies import check_not_closed, check_stage


def record_consensus(
    session: Session,
    scope: Scope,
    application_id: int,
    stage: str,
    criterion_id: int,
    method_code: str,
    raw: str,
    rationale: str,
) -> ConsensusScore:
    """The chair records the score the panel agreed, with why; earlier rows are kept."""
    check_not_closed(scope.vacancy, "scores")
    check_stage(scope.vacancy, stage)
    if not scope.is_chair(stage):
        raise Forbidden("Only the panel chair records agreed scores.")
    application = get_application(session, scope, application_id)
    criteria = {c.criterion.id: c for c in stage_criteria(scope.vacancy.version, stage)}
    if criterion_id not in criteria or method_code not in criteria[criterion_id].methods:
        raise DomainError(f"That criterion is not scored by {method_code} at the {stage} stage.")
    value = SCALES[scope.vacancy.scale].parse(raw)
    if not (rationale or "").strip():
        raise DomainError("Give the rationale for the agreed score.")
    # An agreed score sent twice (a double click) is recorded once; see record_decision.
    lock_row(session, Application, application.id)
    newest = session.scalar(
        select(ConsensusScore)
        .where(
            ConsensusScore.application_id == application.id,
            ConsensusScore.stage == stage,
            ConsensusScore.criterion_id == criterion_id,
            ConsensusScore.method_code == method_code,
        )
        .order_by(ConsensusScore.id.desc())
        .limit(1)
    )
    if newest is not None and (newest.value, newest.rationale) == (value, rationale.strip()):
        return newest
    agreed = ConsensusScore(
        application_id=application.id,
        stage=stage,
        criterion_id=criterion_id,
        method_code=method_code,
        value=value,
        rationale=rationale.strip(),
        recorded_by_id=scope.user.id,
    )
    session.add(agreed)
    session.flush()
    record_event(
        session,
        "consensus",
        audit_subject(scope, application, stage),
        f"criterion {criterion_id} ({method_code}): agreed {raw.strip() or 'not assessed'}",
    )
    return agreed
