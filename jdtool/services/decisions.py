"""Ranking and decisions: the essential gate, totals and ties; gate overrides; shortlisting and
interview decisions with their reasons; making the shortlist final."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden, NotFound
from ..models import (
    Application,
    Decision,
    DecisionCriterion,
    GateOverride,
    ScoreSheet,
    Vacancy,
)
from ..models.people import utcnow
from ..scoring import (
    CriterionRule,
    Standing,
    assess,
    rank,
)
from .audit import record_event
from .locking import claim, lock_row
from .scoping import Scope
from .scoring import (
    SHORTLIST_MINIMUM_MEMBERS,
    applicant_label,
    audit_subject,
    check_taken_forward,
    get_application,
    latest_decisions,
    stage_criteria,
)
from .stage_scores import ApplicationView, StageScores, kept, load_stage_scores, stage_key
from .vacancies import check_not_closed, check_stage


@dataclass(frozen=True)
class DecisionLink:
    criterion_id: int


@dataclass(frozen=True)
class DecisionView:
    """An applicant's newest decision at a stage, as the ranking and the records show it."""

    outcome: str
    reason: str
    criteria: tuple[DecisionLink, ...]


@dataclass(frozen=True)
class RankedApplication:
    application: ApplicationView
    standing: Standing
    decision: DecisionView | None
    #: Applicant name, or the anonymous reference while anonymised shortlisting lasts.
    label: str


def rank_stage(
    session: Session,
    scope: Scope,
    stage: str,
    weights: Mapping[int, float] | None = None,
    scores: StageScores | None = None,
) -> list[RankedApplication]:
    """Every visible applicant with gate, total and rank (optional weights by position).
    Kept per worker until the next scoring commit (stage_scores.py); never change the rows."""
    key = None if weights else stage_key(scope, stage, "ranking")
    return list(kept(key, lambda: tuple(_rank(session, scope, stage, weights, scores))))


def _rank(
    session: Session,
    scope: Scope,
    stage: str,
    weights: Mapping[int, float] | None,
    scores: StageScores | None,
) -> list[RankedApplication]:
    scores = scores or load_stage_scores(session, scope, stage)
    rules = scores.rules()
    if weights:
        rules = [
            CriterionRule(r.position, r.priority, r.methods, weights.get(r.position, 1.0))
            for r in rules
        ]
    app_ids = [a.id for a in scores.applications]
    overrides = dict(
        session.execute(
            select(GateOverride.application_id, GateOverride.reason).where(
                GateOverride.application_id.in_(app_ids), GateOverride.stage == stage
            )
        ).all()
    )
    decisions = {
        application_id: DecisionView(
            decision.outcome,
            decision.reason,
            tuple(DecisionLink(link.criterion_id) for link in decision.criteria),
        )
        for application_id, decision in latest_decisions(session, app_ids, stage).items()
    }
    by_reference = {}
    standings = []
    for application in scores.applications:
        standing = assess(
            application.reference,
            rules,
            scores.position_cells(application.id),
            scores.scale,
            override_reason=overrides.get(application.id),
            disability_confident=application.disability_confident,
        )
        by_reference[application.reference] = application
        standings.append(standing)
    return [
        RankedApplication(
            application=by_reference[standing.applicant],
            standing=standing,
            decision=decisions.get(by_reference[standing.applicant].id),
            label=applicant_label(scope, by_reference[standing.applicant], stage),
        )
        for standing in rank(standings)
    ]


def _check_may_decide(scope: Scope, stage: str) -> None:
    if not (scope.manages or scope.is_chair(stage)):
        raise Forbidden("Only HR or the panel chair can record this.")


def record_override(
    session: Session, scope: Scope, application_id: int, stage: str, reason: str
) -> GateOverride:
    """Keep an applicant who failed an essential criterion in the running, with the reason."""
    _check_may_decide(scope, stage)
    check_not_closed(scope.vacancy, "decisions")
    check_stage(scope.vacancy, stage)
    application = get_application(session, scope, application_id)
    check_taken_forward(session, scope.vacancy, application, stage)
    if not (reason or "").strip():
        raise DomainError("Give a reason for keeping an applicant who failed an essential.")
    override = session.scalar(
        select(GateOverride).where(
            GateOverride.application_id == application.id, GateOverride.stage == stage
        )
    )
    if override is not None:
        raise DomainError("An override is already recorded for this applicant.")
    override = GateOverride(
        application_id=application.id,
        stage=stage,
        reason=reason.strip(),
        recorded_by_id=scope.user.id,
    )
    session.add(override)
    session.flush()
    # The reason itself stays with the override: free text may name the applicant, and the
    # log can never be changed, so it only says that one was given.
    record_event(
        session,
        "override",
        audit_subject(scope, application, stage),
        f"kept in despite a failed essential; reason recorded ({len(override.reason)} characters)",
    )
    return override


def record_decision(
    session: Session,
    scope: Scope,
    application_id: int,
    stage: str,
    outcome: str,
    reason: str,
    criterion_ids: list[int],
) -> Decision:
    """Shortlist or reject with reasons (criteria plus free text); a new row, never an edit."""
    _check_may_decide(scope, stage)
    check_not_closed(scope.vacancy, "decisions")
    check_stage(scope.vacancy, stage)
    if stage == "shortlisting" and scope.vacancy.shortlist_finalised_at:
        raise Forbidden("The shortlist is final.")
    allowed = ("shortlist", "reject") if stage == "shortlisting" else ("appoint", "not appointed")
    if outcome not in allowed:
        raise DomainError(f"At {stage} the decision is one of: {', '.join(allowed)}.")
    if not (reason or "").strip():
        raise DomainError(
            "Give the reason for not appointing."
            if outcome == "not appointed"
            else "Give the reason for this decision."
        )
    check_taken_forward(
        session, scope.vacancy, get_application(session, scope, application_id), stage
    )
    known = {c.criterion.id for c in stage_criteria(scope.vacancy.version, stage)}
    if not set(criterion_ids) <= known:
        raise DomainError("A reason can only name criteria assessed at this stage.")
    ranked = {r.application.id: r for r in rank_stage(session, scope.for_decisions(), stage)}
    if application_id not in ranked:
        raise NotFound("There is no such applicant for this vacancy (or you have a conflict).")
    standing = ranked[application_id].standing
    if outcome == "shortlist" and not standing.eligible:
        raise Forbidden(
            "This applicant failed an essential criterion; record an override with a reason "
            "before shortlisting them."
        )
    if outcome == "reject" and standing.guaranteed_interview:
        raise Forbidden(
            "This applicant opted in to the Disability Confident scheme and meets every "
            "essential criterion, so they must be offered an interview."
        )
    # The same decision sent twice (a double click) is recorded once: the application row is
    # locked, so a second request reads the first one's decision before comparing.
    lock_row(session, Application, application_id)
    newest = latest_decisions(session, [application_id], stage).get(application_id)
    if (
        newest is not None
        and (newest.outcome, newest.reason) == (outcome, reason.strip())
        and [c.criterion_id for c in newest.criteria] == sorted(set(criterion_ids))
    ):
        return newest
    decision = Decision(
        application_id=application_id,
        stage=stage,
        outcome=outcome,
        reason=reason.strip(),
        recorded_by_id=scope.user.id,
        criteria=[DecisionCriterion(criterion_id=cid) for cid in sorted(set(criterion_ids))],
    )
    session.add(decision)
    session.flush()
    record_event(
        session,
        "decision",
        audit_subject(scope, ranked[application_id].application, stage),
        f"{outcome}; reason recorded ({len(decision.reason)} characters), "
        f"{len(decision.criteria)} criteria named",
    )
    return decision


def finalise_shortlist(session: Session, scope: Scope) -> None:
    """Close shortlisting: needs two members' submitted sheets and a decision for everyone."""
    _check_may_decide(scope, "shortlisting")
    check_not_closed(scope.vacancy, "decisions")
    check_stage(scope.vacancy, "shortlisting")
    if scope.vacancy.shortlist_finalised_at:
        raise DomainError("The shortlist is already final.")
    submitted = (
        session.scalar(
            select(func.count(func.distinct(ScoreSheet.panel_member_id))).where(
                ScoreSheet.vacancy_id == scope.vacancy.id,
                ScoreSheet.stage == "shortlisting",
                ScoreSheet.live.is_(True),
            )
        )
        or 0
    )
    if submitted < SHORTLIST_MINIMUM_MEMBERS:
        raise Forbidden(
            f"At least {SHORTLIST_MINIMUM_MEMBERS} panel members must submit their scores before "
            f"the shortlist is final ({submitted} so far)."
        )
    ranked = rank_stage(session, scope.for_decisions(), "shortlisting")
    every_id = [a.id for a in scope.vacancy.applications]
    decided = latest_decisions(session, every_id, "shortlisting")
    hidden_undecided = [i for i in every_id if i in scope.conflicts and i not in decided]
    if hidden_undecided:
        raise Forbidden(
            "You declared a conflict with an applicant who has no shortlisting decision yet: "
            "HR must record that decision before the shortlist can be final."
        )
    undecided = [r.label for r in ranked if r.decision is None]
    if undecided:
        raise Forbidden("Record a decision and reason for: " + ", ".join(undecided) + ".")
    # Guarded: of two requests finalising at once, only the first changes the row and logs it.
    finalised = claim(
        session,
        update(Vacancy)
        .where(Vacancy.id == scope.vacancy.id, Vacancy.shortlist_finalised_at.is_(None))
        .values(shortlist_finalised_at=utcnow()),
    )
    session.refresh(scope.vacancy)
    if not finalised:
        raise DomainError("The shortlist is already final.")
    record_event(
        session, "shortlist-final", f"vacancy {scope.vacancy.id}", f"{len(every_id)} applicants"
    )


# -- scores from a CSV file (panels that score on paper) --------------------------------------
