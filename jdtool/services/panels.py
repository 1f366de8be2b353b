"""A vacancy's panels: seat a member (making a panel account when the email is new), record
training, and conflicts of interest (a conflict declared after scoring withdraws the sheet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..models import (
    Application,
    ConflictDeclaration,
    PanelMember,
    ScoreDraft,
    ScoreSheet,
    User,
    Vacancy,
)
from ..models.people import utcnow
from .audit import record_event
from .users import create_user, one_time_password
from .vacancies import check_stage


@dataclass
class PanelSeat:
    member: PanelMember
    #: Set when a new account was made: the password to give the person.
    new_password: str | None = None


def add_panel_member(
    session: Session,
    vacancy: Vacancy,
    email: str,
    stage: str,
    *,
    chair: bool = False,
    training_date: date | None = None,
    name: str | None = None,
) -> PanelSeat:
    """Seat a user on a stage's panel; a new `panel` account is made when the email is unknown."""
    check_stage(vacancy, stage)
    email = (email or "").strip().lower()
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    password = None
    if user is None:
        password = one_time_password()
        user = create_user(session, email, password, name=name, role="panel")
        user.must_change_password = True
    if session.scalar(
        select(PanelMember.id).where(
            PanelMember.vacancy_id == vacancy.id,
            PanelMember.user_id == user.id,
            PanelMember.stage == stage,
        )
    ):
        raise DomainError(f"{email} is already on the {stage} panel.")
    if chair and any(m.is_chair for m in vacancy.panel if m.stage == stage):
        raise DomainError(f"The {stage} panel already has a chair.")
    member = PanelMember(vacancy=vacancy, user=user, stage=stage, is_chair=chair)
    session.add(member)
    record_training(session, member, training_date)
    return PanelSeat(member, password)


def record_training(session: Session, member: PanelMember, training_date: date | None) -> None:
    if training_date is not None and training_date > date.today():
        raise DomainError("The training date cannot be in the future.")
    member.training_date = training_date
    session.flush()


def declare_conflict(
    session: Session, member: PanelMember, application: Application, reason: str
) -> ConflictDeclaration:
    """Record a conflict of interest; the member no longer sees or scores that applicant."""
    if application.vacancy_id != member.vacancy_id:
        raise DomainError("That applicant did not apply for this vacancy.")
    declaration = session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.panel_member_id == member.id,
            ConflictDeclaration.application_id == application.id,
        )
    )
    if declaration is None:
        declaration = ConflictDeclaration(
            panel_member_id=member.id, application_id=application.id, reason=reason.strip()
        )
        session.add(declaration)
        session.flush()
    withdraw_for_conflict(session, member, application)
    return declaration


def withdraw_for_conflict(session: Session, member: PanelMember, application: Application) -> int:
    """A conflict declared after scoring: the member's live sheet for the applicant is withdrawn
    (kept on record, no longer counted) and any unsubmitted draft is discarded."""
    sheets = list(
        session.scalars(
            select(ScoreSheet).where(
                ScoreSheet.panel_member_id == member.id,
                ScoreSheet.application_id == application.id,
                ScoreSheet.live.is_(True),
            )
        )
    )
    for sheet in sheets:
        sheet.live = None
        sheet.withdrawn_at = utcnow()
        session.flush()
        record_event(
            session,
            "score-withdraw",
            f"vacancy {member.vacancy_id} {sheet.stage} / {application.reference}",
            f"sheet {sheet.id} withdrawn: the panel member declared a conflict",
        )
    session.execute(
        delete(ScoreDraft).where(
            ScoreDraft.panel_member_id == member.id,
            ScoreDraft.application_id == application.id,
        )
    )
    return len(sheets)
