"""What waits for a panel member: "Your scoring" (per vacancy and stage, how many scored) and the
next applicant to score."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..models import (
    Application,
    PanelMember,
    ScoreDraft,
    ScoreSheet,
    Vacancy,
)
from ..scoring import (
    STAGE_LABELS,
)
from .scoping import Scope, scope_for
from .scoring import shortlisted_ids


def next_to_score(
    session: Session, scope: Scope, stage: str, after_id: int | None = None
) -> Application | None:
    """The next applicant (after `after_id`, then from the top) the user has not submitted."""
    member = scope.member(stage)
    if member is None:
        return None
    # Only the applications still waiting for the member's sheet, in one query.
    not_submitted = ~exists().where(
        ScoreSheet.application_id == Application.id,
        ScoreSheet.panel_member_id == member.id,
        ScoreSheet.stage == stage,
        ScoreSheet.live.is_(True),
    )
    waiting = list(session.scalars(scope.applications().where(not_submitted)))
    if stage != "shortlisting":
        forward = shortlisted_ids(session, scope.vacancy)
        if forward is not None:
            waiting = [a for a in waiting if a.id in forward]
    if after_id is not None:
        later = [a for a in waiting if a.id > after_id]
        if later:
            return later[0]
    return waiting[0] if waiting else None


def _to_score(session: Session, scope: Scope, stage: str) -> list[Application]:
    """The applications the user scores at `stage`: visible, and at a later stage shortlisted."""
    applications = list(session.scalars(scope.applications()))
    if stage != "shortlisting":
        forward = shortlisted_ids(session, scope.vacancy)
        if forward is not None:
            applications = [a for a in applications if a.id in forward]
    return applications


@dataclass
class ScoringTask:
    """One vacancy stage a panel member scores, and how far they have got."""

    vacancy: Vacancy
    stage: str
    to_score: int
    submitted: int
    drafts: int
    #: The next applicant waiting for the member's sheet, if any.
    next_application: Application | None
    #: Why nothing can be scored yet (or no longer), when that is so.
    waiting: str | None


def scoring_tasks(session: Session, user) -> list[ScoringTask]:
    """What waits for `user` on every panel they sit on, newest vacancy first."""
    from .vacancies import vacancy_stages

    seats = list(
        session.scalars(
            select(PanelMember)
            .where(PanelMember.user_id == user.id)
            .order_by(PanelMember.vacancy_id.desc(), PanelMember.id)
        )
    )
    tasks = []
    for seat in seats:
        vacancy = seat.vacancy
        if seat.stage not in vacancy_stages(vacancy) or seat.stage == "references":
            continue
        scope = scope_for(session, user, vacancy.id)
        applications = _to_score(session, scope, seat.stage)
        ids = [a.id for a in applications]
        submitted = set(
            session.scalars(
                select(ScoreSheet.application_id).where(
                    ScoreSheet.panel_member_id == seat.id,
                    ScoreSheet.live.is_(True),
                    ScoreSheet.application_id.in_(ids),
                )
            )
        )
        drafts = set(
            session.scalars(
                select(ScoreDraft.application_id).where(
                    ScoreDraft.panel_member_id == seat.id, ScoreDraft.application_id.in_(ids)
                )
            )
        )
        waiting = None
        if vacancy.closed_at:
            waiting = "The vacancy is closed."
        elif seat.stage == "shortlisting" and vacancy.shortlist_finalised_at:
            waiting = "The shortlist is final."
        elif (
            seat.stage != "shortlisting"
            and "shortlisting" in vacancy_stages(vacancy)
            and not vacancy.shortlist_finalised_at
        ):
            waiting = f"{STAGE_LABELS[seat.stage]} scoring opens when the shortlist is final."
        elif not applications:
            waiting = "No applicants to score yet."
        tasks.append(
            ScoringTask(
                vacancy=vacancy,
                stage=seat.stage,
                to_score=len(applications),
                submitted=len(submitted),
                drafts=len(drafts - submitted),
                next_application=next((a for a in applications if a.id not in submitted), None)
                if waiting is None
                else None,
                waiting=waiting,
            )
        )
    return tasks
