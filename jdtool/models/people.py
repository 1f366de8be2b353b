"""People who use jdtool."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base

ROLES = ("admin", "hr", "head", "panel")
#: Roles that write job descriptions, the clause library and adverts, and run recruitment;
#: a `panel` account (made when someone joins a panel) only scores and reads.
MANAGING_ROLES = ("admin", "hr", "head")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: argon2 hash; never the password itself.
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="hr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Part of every sign-in cookie; raising it (sign-out, a new password, disabling the
    #: account) ends every session of this user, copied cookies included.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: Set by an administrator: the account cannot sign in (kept for the records it is in).
    disabled_at: Mapped[datetime | None]

    # What a sign-in library expects of a user (Flask-Login's interface, without importing it).
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """What the sign-in cookie holds: the ID and the session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None
