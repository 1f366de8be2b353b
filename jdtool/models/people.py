"""People who use jdtool."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint
from sqlalchemy import false as sa_false
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
    #: Set when an administrator gave a one-time password: the next sign-in must choose a new one.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    # What a sign-in library expects of a user (Flask-Login's interface, without importing it).
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """What the sign-in cookie holds: the ID and the session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None


class SignInFailure(Base):
    """Recent failed sign-ins for one account (the email typed) or one network address.

    One row per account or address, updated in place, so a flood of wrong passwords neither
    grows the audit log by a row each nor this table beyond the accounts and addresses tried
    lately; rows quiet for a day are deleted as new failures arrive.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        UniqueConstraint("kind", "key"),
        Index("ix_sign_in_failures_last_failure_at", "last_failure_at"),
        CheckConstraint("kind IN ('account', 'address')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "account" (the email typed, lower case) or "address" (the client's network address).
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(254))
    #: Failures since the counter last started (a success or a quiet day starts it again).
    failures: Mapped[int] = mapped_column(default=0)
    first_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: No password is checked for this account before then (growing delays; None: no delay).
    blocked_until: Mapped[datetime | None]
