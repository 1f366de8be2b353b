"""Equal-opportunities monitoring: HR records answers apart from the application and reads
them back only as counts. Panels never reach them (DOMAIN.md, "Personal data")."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden
from ..models import EO_QUESTIONS, Application, EqualOpportunitiesAnswer
from .audit import record_event
from .scoping import Scope

#: Who may enter monitoring answers and read the counts.
EO_ROLES = ("admin", "hr")
NOT_ANSWERED = "not answered"
#: Counts below this are not shown exactly: in a field of a few applicants, a count of one or
#: two points at a person (the usual small-number rule for published monitoring figures).
SMALLEST_SHOWN_COUNT = 5
QUESTION_LABELS = {
    "age_band": "Age band",
    "sex": "Sex",
    "ethnicity": "Ethnic group",
    "disability": "Disability",
}


@dataclass(frozen=True)
class MonitoringSummary:
    #: Applications with answers recorded, of all applications to the vacancy.
    answered: int
    applications: int
    #: Per question: (answer, count as shown) in the order the question offers them, then "not
    #: answered"; a count from 1 to 4 is shown as "fewer than 5".
    counts: dict[str, list[tuple[str, str]]]


def _check_may_read(scope: Scope) -> None:
    if scope.user.role not in EO_ROLES:
        raise Forbidden("Only HR and administrators see equal-opportunities monitoring.")


def record_answers(
    session: Session, scope: Scope, application_id: int, answers: dict[str, str | None]
) -> EqualOpportunitiesAnswer:
    """Store (or replace) one application's monitoring answers; blank means not answered."""
    _check_may_read(scope)
    visible = scope.applications().where(Application.id == application_id)
    application = session.scalar(visible)
    if application is None:
        raise DomainError(f"There is no application {application_id} for this vacancy.")
    if application.personal_data_deleted_at is not None:
        raise DomainError(
            f"The personal data of {application.reference} was deleted; no monitoring answers "
            "can be recorded for it."
        )
    cleaned: dict[str, str | None] = {}
    for question, allowed in EO_QUESTIONS.items():
        value = (answers.get(question) or "").strip() or None
        if value is not None and value not in allowed:
            raise DomainError(f"'{value}' is not an answer to {QUESTION_LABELS[question].lower()}.")
        cleaned[question] = value
    row = session.scalar(
        select(EqualOpportunitiesAnswer).where(
            EqualOpportunitiesAnswer.application_id == application_id
        )
    )
    if row is None:
        row = EqualOpportunitiesAnswer(application_id=application_id)
        session.add(row)
    elif all(getattr(row, question) == value for question, value in cleaned.items()):
        return row  # the same answers again (a form sent twice): nothing changes, nothing logged
    for question, value in cleaned.items():
        setattr(row, question, value)
    session.flush()
    # That an entry was made, never what it says: the answers stay out of the log.
    subject = f"vacancy {application.vacancy_id} / {application.reference}"
    record_event(session, "equal-opportunities", subject, "monitoring answers recorded")
    return row


def answered_applications(session: Session, scope: Scope) -> set[int]:
    """IDs of the vacancy's applications that have answers recorded (not the answers)."""
    _check_may_read(scope)
    visible = [application.id for application in session.scalars(scope.applications())]
    return set(
        session.scalars(
            select(EqualOpportunitiesAnswer.application_id).where(
                EqualOpportunitiesAnswer.application_id.in_(visible)
            )
        )
    )


def shown_count(count: int) -> str:
    """A count as the monitoring page shows it: none, "fewer than 5", or the number."""
    if 0 < count < SMALLEST_SHOWN_COUNT:
        return f"fewer than {SMALLEST_SHOWN_COUNT}"
    return str(count)


def monitoring_summary(session: Session, scope: Scope) -> MonitoringSummary:
    """Counts of each answer across the vacancy's applications; never who gave which."""
    _check_may_read(scope)
    application_ids = [application.id for application in session.scalars(scope.applications())]
    rows = list(
        session.scalars(
            select(EqualOpportunitiesAnswer).where(
                EqualOpportunitiesAnswer.application_id.in_(application_ids)
            )
        )
    )
    counts = {}
    for question, allowed in EO_QUESTIONS.items():
        tally = Counter(getattr(row, question) or NOT_ANSWERED for row in rows)
        tally[NOT_ANSWERED] += len(application_ids) - len(rows)
        counts[question] = [
            (answer, shown_count(tally[answer])) for answer in (*allowed, NOT_ANSWERED)
        ]
    return MonitoringSummary(len(rows), len(application_ids), counts)
