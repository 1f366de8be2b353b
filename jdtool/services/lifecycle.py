"""A vacancy from advert to appointment: open → shortlisting → interviewing → decided → closed.

The status is worked out from what is recorded (closing date, score sheets, decisions, the final
shortlist, the closing), never stored, so it cannot disagree with the records. Each step's checks
live with the action (scoring.py refuses interview scores for someone not shortlisted; every
action refuses a closed vacancy); closing is checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden, NotFound
from ..models import Application, Decision, ScoreSheet, Vacancy
from ..scoring import STAGE_LABELS
from . import retention as retention_service
from .decisions import finalise_shortlist, record_decision
from .scoping import Scope
from .scoring import latest_decisions, shortlisted_ids, stage_criteria
from .vacancies import vacancy_stages

STATUS_LABELS = {
    "open": "Open for applications",
    "shortlisting": "Shortlisting",
    "interviewing": "Interviewing",
    "decided": "Decided",
    "closed": "Closed",
}
#: What the command line's --outcome says, and what a decision stores.
COMMAND_LINE_OUTCOMES = {
    "shortlist": "shortlist",
    "reject": "reject",
    "appoint": "appoint",
    "no-appointment": "not appointed",
}


@dataclass(frozen=True)
class VacancyProgress:
    """Where a vacancy is and how far each step has got."""

    status: str
    applicants: int
    #: None when the person spec has no shortlisting stage.
    shortlisted: int | None
    shortlist_decided: int
    #: Applicants taken to interview and how many of them have an interview decision.
    interviewed: int
    interview_decided: int
    appointed: int
    #: What stops the vacancy being closed now (empty when it can be closed).
    closing_blockers: tuple[str, ...]

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def summary(self) -> str:
        """One line for the vacancy list, e.g. "12 applicants; 4 shortlisted; 2 of 4 decided"."""
        parts = [f"{self.applicants} applicant{'' if self.applicants == 1 else 's'}"]
        if self.status == "open":
            return parts[0]
        if self.shortlisted is not None:
            if self.status == "shortlisting":
                parts.append(f"{self.shortlist_decided} of {self.applicants} decided")
            else:
                parts.append(f"{self.shortlisted} shortlisted")
        if self.status in ("interviewing", "decided", "closed") and self.interviewed:
            parts.append(f"{self.interview_decided} of {self.interviewed} decided at interview")
        if self.status in ("decided", "closed"):
            parts.append(f"{self.appointed} appointed" if self.appointed else "no appointment")
        return "; ".join(parts)


def vacancy_progress(
    session: Session, vacancy: Vacancy, today: date | None = None
) -> VacancyProgress:
    """The vacancy's status and progress, from its records."""
    today = today or date.today()
    stages = vacancy_stages(vacancy)
    ids = list(session.scalars(select(Application.id).where(Application.vacancy_id == vacancy.id)))
    shortlisting = latest_decisions(session, ids, "shortlisting") if ids else {}
    forward = shortlisted_ids(session, vacancy)
    interviewed = ids if forward is None else [i for i in ids if i in forward]
    interview = (
        latest_decisions(session, interviewed, "interview")
        if interviewed and "interview" in stages
        else {}
    )
    blockers = tuple(_closing_blockers(session, vacancy, stages, interviewed, interview))
    if vacancy.closed_at is not None:
        status = "closed"
    elif forward is not None and not vacancy.shortlist_finalised_at:
        started = bool(shortlisting) or _has_sheets(session, vacancy, "shortlisting")
        past_closing = vacancy.closing_date is not None and vacancy.closing_date < today
        status = "shortlisting" if started or past_closing else "open"
    elif "interview" not in stages:
        status = "decided" if stages else "open"
    elif forward is None and not interview and not _has_sheets(session, vacancy, "interview"):
        past_closing = vacancy.closing_date is not None and vacancy.closing_date < today
        status = "interviewing" if past_closing else "open"
    elif len(interview) == len(interviewed) and (interviewed or forward is not None):
        status = "decided"
    else:
        status = "interviewing"
    return VacancyProgress(
        status=status,
        applicants=len(ids),
        shortlisted=None if forward is None else len(forward),
        shortlist_decided=len(shortlisting),
        interviewed=len(interviewed) if "interview" in stages else 0,
        interview_decided=len(interview),
        appointed=sum(1 for d in interview.values() if d.outcome == "appoint"),
        closing_blockers=blockers,
    )


def progress_by_vacancy(session: Session, vacancies: list[Vacancy]) -> dict[int, VacancyProgress]:
    """Each listed vacancy's status and progress, by vacancy ID."""
    return {vacancy.id: vacancy_progress(session, vacancy) for vacancy in vacancies}


def _has_sheets(session: Session, vacancy: Vacancy, stage: str) -> bool:
    return bool(
        session.scalar(
            select(func.count(ScoreSheet.id)).where(
                ScoreSheet.vacancy_id == vacancy.id, ScoreSheet.stage == stage
            )
        )
    )


def _closing_blockers(
    session: Session,
    vacancy: Vacancy,
    stages: list[str],
    interviewed: list[int],
    interview: dict[int, Decision],
) -> list[str]:
    if vacancy.closed_at is not None:
        return [f"Vacancy {vacancy.id} was already closed."]
    if "shortlisting" in stages and not vacancy.shortlist_finalised_at:
        return [
            "The shortlist is not final yet: make it final and record the interview decisions "
            "before closing the vacancy."
        ]
    if "interview" not in stages:
        return []
    undecided = [i for i in interviewed if i not in interview]
    if not undecided:
        return []
    references = list(
        session.scalars(
            select(Application.reference)
            .where(Application.id.in_(undecided))
            .order_by(Application.id)
        )
    )
    return [
        "Record an interview decision (appoint, or no appointment with a reason) for "
        + ", ".join(references)
        + " before closing the vacancy."
    ]


def close_vacancy(session: Session, scope: Scope) -> None:
    """Close the vacancy once every interviewed applicant has a decision; retention starts."""
    if not scope.manages:
        raise Forbidden("Only HR, a head or an administrator can close a vacancy.")
    progress = vacancy_progress(session, scope.vacancy)
    if progress.closing_blockers:
        raise Forbidden(progress.closing_blockers[0])
    retention_service.close_vacancy(session, scope.vacancy)


def find_application(session: Session, vacancy: Vacancy, applicant: str) -> Application:
    """An application of this vacancy by its reference (A-7KQ3PX) or the applicant's email."""
    wanted = (applicant or "").strip().lower()
    for application in vacancy.applications:
        if application.reference.lower() == wanted or (
            application.applicant is not None and application.applicant.email.lower() == wanted
        ):
            return application
    raise NotFound(f"No applicant '{applicant}' applied for vacancy {vacancy.id}.")


def parse_criterion_positions(text: str | None) -> list[int]:
    """'8,10' → [8, 10]; an error names what is not a number."""
    positions = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise DomainError(f"'{part}' is not a criterion number: give numbers such as 8,10.")
        positions.append(int(part))
    return positions


def decide_on_paper(
    session: Session,
    scope: Scope,
    applicant: str,
    stage: str,
    outcome: str,
    reason: str,
    criteria: str | None = None,
) -> Decision:
    """A decision a panel made on paper, checked exactly as the web form checks it."""
    if outcome not in COMMAND_LINE_OUTCOMES:
        raise DomainError(
            f"'{outcome}' is not an outcome: use one of {', '.join(COMMAND_LINE_OUTCOMES)}."
        )
    if stage not in vacancy_stages(scope.vacancy) or stage == "references":
        raise DomainError(
            f"Vacancy {scope.vacancy.id} has no {stage} decisions (its stages: "
            + ", ".join(s for s in vacancy_stages(scope.vacancy) if s != "references")
            + ")."
        )
    application = find_application(session, scope.vacancy, applicant)
    by_position = {c.position: c for c in stage_criteria(scope.vacancy.version, stage)}
    criterion_ids = []
    for position in parse_criterion_positions(criteria):
        if position not in by_position:
            raise DomainError(
                f"Criterion {position} is not assessed at {STAGE_LABELS[stage].lower()} "
                f"(those are {', '.join(str(p) for p in by_position)})."
            )
        criterion_ids.append(by_position[position].criterion.id)
    return record_decision(
        session,
        scope,
        application.id,
        stage,
        COMMAND_LINE_OUTCOMES[outcome],
        reason,
        criterion_ids,
    )


def finalise_on_paper(session: Session, scope: Scope, stage: str) -> int:
    """Make the shortlist final from the command line; returns how many were shortlisted."""
    if stage != "shortlisting":
        raise DomainError(
            "Only the shortlist is made final; interview decisions close the vacancy."
        )
    finalise_shortlist(session, scope)
    return len(shortlisted_ids(session, scope.vacancy) or ())
