"""Every visible score of a stage, summarised per box for moderation, and the agreed scores the
chair records where members differ."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..errors import DomainError, Forbidden
from ..models import (
    Application,
    ConsensusScore,
    PanelMember,
    ScoreSheet,
)
from ..scoring import (
    SCALES,
    CellSummary,
    CriterionRule,
    Scale,
    summarise_cell,
)
from .audit import record_event
from .locking import lock_row
from .scoping import Scope
from .scoring import (
    CellKey,
    StageCriterion,
    audit_subject,
    get_application,
    shortlisted_ids,
    stage_criteria,
)
from .vacancies import check_not_closed, check_stage


class ScoreValue(NamedTuple):
    """One member's score for one box (None = not assessed) and the evidence noted."""

    value: int | None
    note: str


class ModerationRow(NamedTuple):
    """One box of one applicant on the moderation page, with the figures as the page shows them."""

    criterion: StageCriterion
    method: str
    key: CellKey
    #: Each stage member's score in member order: "" (no sheet), "–" (not assessed) or the value.
    member_scores: list[str | int]
    mean: str
    spread: str | int
    flagged: bool
    agreed: ConsensusScore | None


@dataclass
class StageScores:
    """Every visible score of a stage, read in one query, arranged for pages and records."""

    scope: Scope
    stage: str
    scale: Scale
    criteria: list[StageCriterion]
    applications: list[Application]
    members: list[PanelMember]
    #: application id → (criterion id, method) → member id → ScoreValue
    scores: dict[int, dict[CellKey, dict[int, ScoreValue]]] = field(default_factory=dict)
    #: application id → member id → live sheet id
    sheets: dict[int, dict[int, int]] = field(default_factory=dict)
    #: application id → (criterion id, method) → newest agreed score
    agreed: dict[int, dict[CellKey, ConsensusScore]] = field(default_factory=dict)

    def cell(self, application_id: int, key: CellKey) -> CellSummary:
        by_member = self.scores.get(application_id, {}).get(key, {})
        agreed = self.agreed.get(application_id, {}).get(key)
        return summarise_cell(
            [score.value for score in by_member.values()],
            agreed.value if agreed else None,
            agreed is not None,
        )

    def submitted_members(self) -> set[int]:
        return {member_id for sheets in self.sheets.values() for member_id in sheets}

    def rules(self) -> list[CriterionRule]:
        return [CriterionRule(c.position, c.criterion.priority, c.methods) for c in self.criteria]

    def moderation_rows(self, application_id: int) -> list[ModerationRow]:
        """Every box of one applicant, worked out here once rather than in the template's
        innermost loop (a large round has tens of thousands of boxes)."""
        scores = self.scores.get(application_id, {})
        agreed = self.agreed.get(application_id, {})
        member_ids = [member.id for member in self.members]
        rows = []
        for item in self.criteria:
            for method in item.methods:
                key = (item.criterion.id, method)
                by_member = scores.get(key, {})
                cell = summarise_cell([score.value for score in by_member.values()])
                shown = [
                    "" if score is None else "–" if score.value is None else score.value
                    for score in map(by_member.get, member_ids)
                ]
                mean, spread = cell.mean, cell.spread
                rows.append(
                    ModerationRow(
                        criterion=item,
                        method=method,
                        key=key,
                        member_scores=shown,
                        mean="–" if mean is None else f"{mean:.1f}",
                        spread="–" if spread is None else spread,
                        flagged=cell.flagged,
                        agreed=agreed.get(key),
                    )
                )
        return rows

    def position_cells(self, application_id: int) -> dict[tuple[int, str], CellSummary]:
        return {
            (c.position, method): self.cell(application_id, (c.criterion.id, method))
            for c in self.criteria
            for method in c.methods
        }


def load_stage_scores(
    session: Session, scope: Scope, stage: str, application_id: int | None = None
) -> StageScores:
    """Every visible live score at `stage`; only one application's when `application_id` is
    given (the scoring grid of one applicant needs no more)."""
    check_stage(scope.vacancy, stage)
    visible = scope.applications()
    if application_id is not None:
        visible = visible.where(Application.id == application_id)
    applications = list(session.scalars(visible))
    if stage != "shortlisting":
        forward = shortlisted_ids(session, scope.vacancy)
        if forward is not None:
            applications = [a for a in applications if a.id in forward]
    members = list(
        session.scalars(
            select(PanelMember)
            .where(PanelMember.vacancy_id == scope.vacancy.id, PanelMember.stage == stage)
            .options(joinedload(PanelMember.user, innerjoin=True))  # pages show members' names
            .order_by(PanelMember.id)
        )
    )
    result = StageScores(
        scope=scope,
        stage=stage,
        scale=SCALES[scope.vacancy.scale],
        criteria=stage_criteria(scope.vacancy.version, stage),
        applications=applications,
        members=members,
    )
    live_scores = scope.live_scores(stage)
    if application_id is not None:
        live_scores = live_scores.where(ScoreSheet.application_id == application_id)
    # A large round has tens of thousands of score rows, so this loop is kept lean: rows read
    # through the connection (the ORM's per-row handling is not needed for plain columns, and
    # the query above has flushed the session) and unpacked as tuples (reading a Row's fields
    # by name costs more than the query itself).
    rows = session.connection().execute(live_scores)
    for app_id, member_id, sheet_id, criterion_id, method, value, note in rows:
        cells = result.scores.get(app_id)
        if cells is None:
            cells = result.scores[app_id] = {}
            result.sheets[app_id] = {}
        result.sheets[app_id][member_id] = sheet_id
        by_member = cells.get((criterion_id, method))
        if by_member is None:
            by_member = cells[criterion_id, method] = {}
        by_member[member_id] = ScoreValue(value, note)
    revealed = _revealed_applications(scope, stage, result)
    if application_id is not None:
        revealed = [revealed_id for revealed_id in revealed if revealed_id == application_id]
    if revealed:
        newest = (
            select(func.max(ConsensusScore.id))
            .where(ConsensusScore.application_id.in_(revealed), ConsensusScore.stage == stage)
            .group_by(
                ConsensusScore.application_id,
                ConsensusScore.criterion_id,
                ConsensusScore.method_code,
            )
        )
        for agreed in session.scalars(select(ConsensusScore).where(ConsensusScore.id.in_(newest))):
            result.agreed.setdefault(agreed.application_id, {})[
                (agreed.criterion_id, agreed.method_code)
            ] = agreed
    return result


def _revealed_applications(scope: Scope, stage: str, scores: StageScores) -> list[int]:
    """Applications whose panel results (agreed scores) this user may see."""
    member = scope.member(stage)
    if member is None:
        return [a.id for a in scores.applications] if scope.manages else []
    return [app_id for app_id, sheets in scores.sheets.items() if member.id in sheets]


# -- moderation, gates, ranking, decisions ----------------------------------------------------


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
