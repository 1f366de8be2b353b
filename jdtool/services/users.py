"""Create users and check their passwords (argon2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ..errors import DomainError, FieldError, NotFound
from ..models import AuditEvent, User
from ..models.people import ROLES, utcnow
from ..passwords import password_problem
from .audit import record_event
from .locking import claim

_hasher = PasswordHasher()


def create_user(
    session: Session, email: str, password: str, *, name: str | None = None, role: str = "hr"
) -> User:
    email = email.strip().lower()
    if "@" not in email:
        raise DomainError(f"'{email}' is not an email address.")
    if role not in ROLES:
        raise FieldError(f"Role must be one of {', '.join(ROLES)}.", "role")
    problem = password_problem(password, email)
    if problem:
        raise FieldError(problem, "password")
    if session.scalar(select(User).where(func.lower(User.email) == email)):
        raise DomainError(f"There is already a user with the email {email}.")
    user = User(
        email=email,
        name=name or email.split("@")[0],
        role=role,
        password_hash=_hasher.hash(password),
    )
    session.add(user)
    session.flush()
    return user


ROLE_LABELS = {
    "admin": "Administrator",
    "hr": "HR",
    "head": "Headteacher (signatory)",
    "panel": "Panel member",
}


def list_users(session: Session) -> list[User]:
    """Every account, by email."""
    return list(session.scalars(select(User).order_by(User.email)))


def add_user(
    session: Session, email: str, password: str, *, name: str | None = None, role: str
) -> User:
    """Create an account with a role and log who added it (never the password)."""
    user = create_user(session, email, password, name=name, role=role)
    record_event(session, "user-add", user.email, f"role {role}")
    return user


def change_role(session: Session, email: str, role: str) -> User:
    """Give an account another role; the last administrator keeps theirs."""
    if role not in ROLES:
        raise DomainError(f"Role must be one of {', '.join(ROLES)}.")
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise NotFound(f"There is no user with the email {email.strip()}.")
    if user.role == role:
        return user
    old_role = user.role
    # The database keeps the last administrator: PostgreSQL locks every administrator's row
    # (a second demotion waits, then counts again), and the UPDATE itself counts the others in
    # the same statement, so two administrators demoting each other at once leave one.
    session.execute(select(User.id).where(User.role == "admin").with_for_update())
    other_admins = (
        select(func.count(User.id))
        .where(User.role == "admin", User.id != user.id)
        .scalar_subquery()
    )
    changed = claim(
        session,
        update(User)
        .where(User.id == user.id, User.role == old_role)
        .where(or_(User.role != "admin", other_admins > 0))
        .values(role=role),
    )
    session.refresh(user)
    if not changed:
        if user.role == role:  # the same change, sent twice
            return user
        if user.role != old_role:
            raise DomainError(
                f"{user.email}'s role was changed a moment ago; check it and try again."
            )
        raise DomainError(
            f"{user.email} is the only administrator; make someone else an administrator first."
        )
    record_event(session, "user-role", user.email, f"role {old_role} -> {role}")
    return user


def end_sessions(session: Session, user: User) -> None:
    """Sign the user out everywhere: every cookie made before now stops working."""
    session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(user)


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """The signed-in user's new password, after their current one; other sessions end."""
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise DomainError("Your current password is not right.") from None
    if new == current:
        raise DomainError("Choose a password different from the current one.")
    problem = password_problem(new, user.email)
    if problem:
        raise DomainError(problem)
    user.password_hash = _hasher.hash(new)
    session.flush()
    end_sessions(session, user)
    record_event(session, "password-change", user.email, "sessions elsewhere ended", actor=user)


def set_disabled(session: Session, email: str, disabled: bool, by: User | None = None) -> User:
    """Disable an account (it cannot sign in, its sessions end) or enable it again."""
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise NotFound(f"There is no user with the email {email.strip()}.")
    if by is not None and user.id == by.id:
        raise DomainError("You cannot disable your own account.")
    if disabled == (user.disabled_at is not None):
        return user  # already so: nothing to record
    if disabled and user.role == "admin":
        raise DomainError(
            f"{user.email} is an administrator; give them another role before disabling them."
        )
    changed = claim(
        session,
        update(User)
        .where(User.id == user.id)
        .where(User.disabled_at.is_(None) if disabled else User.disabled_at.is_not(None))
        .values(disabled_at=utcnow() if disabled else None),
    )
    session.refresh(user)
    if changed:
        if disabled:
            end_sessions(session, user)
        record_event(session, "user-disable" if disabled else "user-enable", user.email)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user with this email and password, or None (same answer for either mistake)."""
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        _hasher.hash(password)  # same work either way, so timing does not reveal accounts
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if user.disabled_at is not None:
        return None  # a disabled account signs in with nothing, like a wrong password
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


@dataclass(frozen=True)
class SignInLimits:
    """Failed sign-ins allowed within `window` per account and per network address."""

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


class TooManySignIns(DomainError):
    """Sign-in refused for a while after repeated failures."""


def sign_in(
    session: Session,
    email: str,
    password: str,
    address: str | None,
    limits: SignInLimits = SignInLimits(),  # noqa: B008 - frozen, so sharing it is safe
) -> User | None:
    """Check a sign-in and log it; None for a wrong email or password.

    Failures are counted from the audit log, so every web worker sees the same count. Raises
    TooManySignIns, without checking the password, while the limit is reached.
    """
    account = email.strip().lower()[:254]
    since = utcnow() - limits.window
    failures = select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "login-failed", AuditEvent.at >= since
    )
    by_account = session.scalar(failures.where(AuditEvent.subject == account)) or 0
    by_address = 0
    if address:
        by_address = session.scalar(failures.where(AuditEvent.address == address)) or 0
    if by_account >= limits.per_account or by_address >= limits.per_address:
        record_event(session, "login-blocked", account, actor="anonymous", address=address)
        minutes = int(limits.window.total_seconds() // 60)
        raise TooManySignIns(
            f"Too many failed sign-ins. Wait {minutes} minutes and try again, or ask your "
            "administrator to check your account."
        )
    user = authenticate(session, email, password)
    if user is None:
        record_event(session, "login-failed", account, actor="anonymous", address=address)
    else:
        record_event(session, "login", account, actor=user, address=address)
    return user
