"""The audit log: who did what, when. Rows are only ever added (the database refuses changes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..db import Base
from .people import utcnow

#: What the log records. Details name documents, vacancies and applications by ID or reference,
#: never an applicant's name or email, so erasing an applicant leaves the log intact and clean.
AUDIT_ACTIONS = (
    "login",
    "login-failed",
    "login-blocked",
    "logout",
    "import",
    "approve",
    "new-version",
    "export",
    "sign",
    "score-submit",
    "score-withdraw",
    "consensus",
    "override",
    "decision",
    "shortlist-final",
    "delete",
    "erase",
    "retention",
    "restore",
    "user-add",
    "user-role",
    "review-accept",
    "draft-edit",
    "approve-warnings",
    "password-change",
    "user-disable",
    "user-enable",
    "duplicate-kept",
    "password-reset",
    "applicant-add",
    "equal-opportunities",
    "question-change",
)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        CheckConstraint(f"action IN {AUDIT_ACTIONS}", name="action_known"),
        Index("ix_audit_events_action_at", "action", "at"),
        Index("ix_audit_events_action_subject_at", "action", "subject", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The signed-in user; NULL for the command line or an anonymous attempt.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Who, as shown in the log: the user's email at the time, or "command line (unix user)".
    actor: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(30))
    #: What it was done to, e.g. "job description 3", "vacancy 2 / A-7KQ3PX".
    subject: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    #: The network address a web request came from (None on the command line).
    address: Mapped[str | None] = mapped_column(String(45))


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context, _instances) -> None:
    """Audit rows are written once; the database triggers (see the migration) refuse the rest."""
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, AuditEvent):
            raise RuntimeError("the audit log is append-only")
