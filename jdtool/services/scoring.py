"""What the scoring services share: a stage's criteria, its applicants (only those taken forward
at interview), their newest decisions, and how the audit log and pages name an applicant.

The rest is by concern: score_sheets, score_drafts, panel_tasks, moderation, decisions and
score_import. Everything reads applications and scores through a `Scope` (see scoping.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..errors import Forbidden, NotFound
from ..models import (
    Application,
    Criterion,
    Decision,
    JobDescriptionVersion,
)
from ..scoring import (
    STAGE_LABELS,
    STAGE_OF_METHOD,
)
from .approved_content import CriterionContent, pinned_criteria
from .scoping import Scope

if TYPE_CHECKING:
    from .stage_scores import ApplicationView

#: (criterion id, method code): one box on a score sheet.
CellKey = tuple[int, str]


SCORE_COLUMNS = ("applicant", "panel_member", "criterion", "method", "score", "note")


SHORTLIST_MINIMUM_MEMBERS = 2


@dataclass(frozen=True)
class StageCriterion:
    """A criterion as a stage assesses it: its 1-based position in the person spec."""

    position: int
    #: The ORM row, or its frozen copy when the version is an approved one this worker holds.
    criterion: Criterion | CriterionContent
    #: The criterion's methods that belong to this stage, in table order.
    methods: tuple[str, ...]

    @property
    def essential(self) -> bool:
        return self.criterion.priority == "essential"


def stage_criteria(version: JobDescriptionVersion, stage: str) -> list[StageCriterion]:
    result = []
    for position, criterion in enumerate(pinned_criteria(version), start=1):
        methods = tuple(m for m in criterion.methods if STAGE_OF_METHOD.get(m) == stage)
        if methods:
            result.append(StageCriterion(position, criterion, methods))
    return result


def get_application(
    session: Session, scope: Scope, application_id: int, with_files: bool = False
) -> Application:
    """One application the user may see (NotFound otherwise); `with_files` reads the list of
    its uploaded forms in the same query."""
    query = scope.applications().where(Application.id == application_id)
    if with_files:
        query = query.options(joinedload(Application.files))
    application = session.scalars(query).unique().first()
    if application is None:
        raise NotFound("There is no such applicant for this vacancy (or you have a conflict).")
    return application


def shortlisted_ids(session: Session, vacancy) -> set[int] | None:
    """Applications taken forward past shortlisting: None when every applicant goes forward
    (the person spec assesses nothing on the application form), otherwise the applications
    shortlisted on the final shortlist (an empty set until it is final)."""
    from .vacancies import vacancy_stages

    if "shortlisting" not in vacancy_stages(vacancy):
        return None
    if not vacancy.shortlist_finalised_at:
        return set()
    ids = [a.id for a in vacancy.applications]
    return {
        app_id
        for app_id, decision in latest_decisions(session, ids, "shortlisting").items()
        if decision.outcome == "shortlist"
    }


def _waiting_for_shortlist(stage: str) -> str:
    return (
        f"The shortlist is not final yet: {STAGE_LABELS[stage].lower()} scores and decisions "
        "start once it is."
    )


def check_taken_forward(session: Session, vacancy, application: Application, stage: str) -> None:
    """Interview scores and decisions only for applicants on the final shortlist."""
    if stage == "shortlisting":
        return
    forward = shortlisted_ids(session, vacancy)
    if forward is None or application.id in forward:
        return
    if not vacancy.shortlist_finalised_at:
        raise Forbidden(_waiting_for_shortlist(stage))
    raise Forbidden(
        f"{application.reference} was not shortlisted, so they are not scored or decided at "
        f"{STAGE_LABELS[stage].lower()}."
    )


# -- reading a whole stage at once ------------------------------------------------------------


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


def latest_decisions(session: Session, application_ids: list[int], stage: str):
    newest = (
        select(func.max(Decision.id))
        .where(Decision.application_id.in_(application_ids), Decision.stage == stage)
        .group_by(Decision.application_id)
    )
    return {
        decision.application_id: decision
        for decision in session.scalars(
            # The ranking and the records show each decision's criteria: one query, not one
            # per decision.
            select(Decision).where(Decision.id.in_(newest)).options(selectinload(Decision.criteria))
        )
    }


def audit_subject(scope: Scope, application: Application | ApplicationView, stage: str) -> str:
    """Vacancy, stage and application reference: never the applicant's name or email."""
    return f"vacancy {scope.vacancy.id} {stage} / {application.reference}"


def applicant_label(scope: Scope, application: Application | ApplicationView, stage: str) -> str:
    vacancy = scope.vacancy
    if application.applicant is None:
        return f"Applicant {application.reference} (data deleted)"
    # Names stay hidden on every stage's pages until the shortlist is final (the interview
    # pages would otherwise link references to names).
    hidden = vacancy.anonymised and not vacancy.shortlist_finalised_at
    return application.reference if hidden else application.applicant.name
