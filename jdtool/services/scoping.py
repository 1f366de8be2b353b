"""Who may see which applications and scores. Every query for applications, score sheets and
scores goes through `scope_for` and the `Scope` it returns.

- Administrators, HR and heads see every application of every vacancy.
- A panel member sees only vacancies they sit on, and not applicants they declared a conflict with.
- Anyone sitting on a stage's panel sees other members' scores for an application only after
  submitting their own sheet for it (independent scoring first, then moderation).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Select, and_, exists, false, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from ..errors import NotFound
from ..models import (
    Application,
    ConflictDeclaration,
    Criterion,
    JobDescriptionVersion,
    PanelMember,
    PersonSpecCategory,
    Score,
    ScoreSheet,
    User,
    Vacancy,
)
from ..models.people import MANAGING_ROLES
from .approved_content import load_approved_content
from .change_marks import database_mark, scoring_count

#: The user's own sheet for the same application, in the independence rule's EXISTS clause
#: (made once: building an alias costs more than the rest of the query).
_OWN_SHEET = aliased(ScoreSheet, name="own_sheet")


@dataclass
class Scope:
    user: User
    vacancy: Vacancy
    #: The user's seats on this vacancy's panel, by stage.
    members: dict[str, PanelMember] = field(default_factory=dict)
    #: Applications this user declared a conflict with (on any stage).
    conflicts: set[int] = field(default_factory=set)
    #: Every live sheet counts, whatever this user has submitted (see `for_decisions`).
    every_sheet: bool = False
    #: The count of commits that changed scoring data, and the database's random mark, read
    #: with the vacancy (change_marks.py).
    scoring_count: int | None = None
    database_mark: int | None = None

    @property
    def manages(self) -> bool:
        return self.user.role in MANAGING_ROLES

    def member(self, stage: str) -> PanelMember | None:
        return self.members.get(stage)

    def is_chair(self, stage: str) -> bool:
        member = self.member(stage)
        return member is not None and member.is_chair

    def for_decisions(self) -> Scope:
        """The same user and conflicts, but gates and totals count every member's live sheet:
        a decision must not depend on whether the person recording it has scored yet."""
        return replace(self, every_sheet=True)

    def applications(self) -> Select:
        """The applications this user may see, oldest first."""
        query = select(Application).where(Application.vacancy_id == self.vacancy.id)
        if self.conflicts:
            query = query.where(Application.id.not_in(self.conflicts))
        return query.options(joinedload(Application.applicant)).order_by(Application.id)

    def live_sheets(self, stage: str) -> Select:
        """Live score sheets at `stage` this user may see (independence rule applied)."""
        query = select(ScoreSheet).where(
            ScoreSheet.vacancy_id == self.vacancy.id,
            ScoreSheet.stage == stage,
            ScoreSheet.live.is_(True),
        )
        return query.where(self._sheet_visible(stage))

    def own_sheets(self, stage: str) -> Select:
        """The user's own sheets at `stage`, withdrawn ones included, newest first."""
        member = self.member(stage)
        query = select(ScoreSheet).where(ScoreSheet.stage == stage)
        if member is None:
            return query.where(false())
        return query.where(ScoreSheet.panel_member_id == member.id).order_by(ScoreSheet.id.desc())

    def live_scores(self, stage: str) -> Select:
        """Score rows of live sheets at `stage` this user may see, as plain columns:
        application_id, panel_member_id, sheet_id, criterion_id, method_code, value, note."""
        return (
            select(
                ScoreSheet.application_id,
                ScoreSheet.panel_member_id,
                ScoreSheet.id.label("sheet_id"),
                Score.criterion_id,
                Score.method_code,
                Score.value,
                Score.note,
            )
            .join(ScoreSheet, Score.sheet_id == ScoreSheet.id)
            .where(
                ScoreSheet.vacancy_id == self.vacancy.id,
                ScoreSheet.stage == stage,
                ScoreSheet.live.is_(True),
                self._sheet_visible(stage),
            )
        )

    def _sheet_visible(self, stage: str):
        if self.conflicts:
            not_conflicted = ScoreSheet.application_id.not_in(self.conflicts)
        else:
            not_conflicted = ScoreSheet.id.is_not(None)
        member = self.member(stage)
        if self.every_sheet:
            return not_conflicted
        if member is None:
            return not_conflicted if self.manages else false()
        own = _OWN_SHEET
        submitted_own = exists().where(
            own.panel_member_id == member.id,
            own.application_id == ScoreSheet.application_id,
            own.stage == stage,
            own.live.is_(True),
        )
        return and_(not_conflicted, (ScoreSheet.panel_member_id == member.id) | submitted_own)


def scope_for(session: Session, user: User, vacancy_id: int) -> Scope:
    """What `user` may see of vacancy `vacancy_id`; NotFound when they may not see it at all."""
    # The vacancy with its pinned version, and the user's seats on its panel with any conflicts
    # declared on them, in one query (every vacancy page starts here).
    own_seat = (
        and_(PanelMember.vacancy_id == Vacancy.id, PanelMember.user_id == user.id)
        if user.id is not None
        else false()
    )
    rows = session.execute(
        select(
            Vacancy,
            PanelMember,
            ConflictDeclaration.application_id,
            scoring_count(),
            database_mark(),
        )
        .select_from(Vacancy)
        .outerjoin(PanelMember, own_seat)
        .outerjoin(ConflictDeclaration, ConflictDeclaration.panel_member_id == PanelMember.id)
        .where(Vacancy.id == vacancy_id)
        .options(joinedload(Vacancy.version))
    ).all()
    if not rows:
        raise NotFound(f"There is no vacancy with ID {vacancy_id}.")
    vacancy, count, mark = rows[0][0], rows[0][3], rows[0][4]
    seats = list({seat.id: seat for _, seat, *_ in rows if seat is not None}.values())
    if not seats and user.role not in MANAGING_ROLES:
        # Said the same way as a missing vacancy, so panels cannot probe for other vacancies.
        raise NotFound(f"There is no vacancy with ID {vacancy_id}.")
    _load_person_spec(session, vacancy)
    conflicts = {application_id for _, _, application_id, *_ in rows if application_id is not None}
    return Scope(
        user=user,
        vacancy=vacancy,
        members={seat.stage: seat for seat in seats},
        conflicts=conflicts,
        scoring_count=count,
        database_mark=mark,
    )


def _load_person_spec(session: Session, vacancy: Vacancy) -> None:
    """The person spec a vacancy scores against is an approved version's, which never
    changes: it comes from the per-worker cache of approved content (read once per worker).
    Were it a draft, its categories, criteria and methods are read here in one more query
    rather than one per criterion later."""
    if load_approved_content(session, vacancy.version) is None:
        session.execute(
            select(JobDescriptionVersion)
            .where(JobDescriptionVersion.id == vacancy.version_id)
            .options(
                selectinload(JobDescriptionVersion.categories)
                .joinedload(PersonSpecCategory.criteria)
                .joinedload(Criterion.method_links)
            )
        ).scalar_one()


def command_line_scope(session: Session, vacancy_id: int) -> Scope:
    """The command line acts for the school's HR administration, which sees every applicant.

    Its stand-in user is never stored; commands that record who did something (agreed scores,
    decisions) are web-only, so no row ever points at it.
    """
    administration = User(email="command line", name="Command line", role="admin")
    return scope_for(session, administration, vacancy_id)


def vacancies_for(user: User) -> Select:
    """The vacancies `user` may open, newest first."""
    query = select(Vacancy).order_by(Vacancy.id.desc())
    if user.role in MANAGING_ROLES:
        return query
    return query.where(
        exists().where(PanelMember.vacancy_id == Vacancy.id, PanelMember.user_id == user.id)
    )
