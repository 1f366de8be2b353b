"""Create users and check their passwords (argon2)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..errors import DomainError, FieldError, NotFound
from ..models import SignInFailure, User
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


class WrongCurrentPassword(DomainError):
    """The current password given to change it was not right (counted like a failed sign-in)."""


def change_password(
    session: Session,
    user: User,
    current: str,
    new: str,
    address: str | None = None,
    limits: SignInLimits | None = None,
    now: datetime | None = None,
) -> None:
    """The signed-in user's new password, after their current one; other sessions end.

    A wrong current password counts as a failed sign-in for the account (the same counters and
    delays, so someone at an unlocked screen cannot guess it faster here than at sign-in), and
    while the account must wait, the current password is not checked: TooManySignIns."""
    now = now or utcnow()
    account = _account_key(user.email)
    counter = _waiting_counter(session, account, now)
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        _count_failure(session, account, address, limits or SignInLimits(), now)
        raise WrongCurrentPassword("Your current password is not right.") from None
    if new == current:
        raise DomainError("Choose a password different from the current one.")
    problem = password_problem(new, user.email)
    if problem:
        raise DomainError(problem)
    user.password_hash = _hasher.hash(new)
    user.must_change_password = False
    _forget_failures(session, counter)  # the right password: the count starts again
    session.flush()
    end_sessions(session, user)
    record_event(session, "password-change", user.email, "sessions elsewhere ended", actor=user)


def one_time_password() -> str:
    """A password to hand to someone once (16 random characters, no look-alike letters)."""
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(16))


#: Letters and digits that cannot be mistaken for each other when read out or copied by hand.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def reset_password(session: Session, email: str, by: User | None = None) -> tuple[User, str]:
    """Give an account a new one-time password (returned, to be shown once and never stored):
    its sessions end, and its next sign-in must choose a new password."""
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise NotFound(f"There is no user with the email {email.strip()}.")
    if by is not None and user.id == by.id:
        raise DomainError("Change your own password on the Password page instead.")
    password = one_time_password()
    user.password_hash = _hasher.hash(password)
    user.must_change_password = True
    session.flush()
    end_sessions(session, user)
    record_event(session, "password-reset", user.email, "one-time password given; sessions ended")
    return user, password


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
    """How wrong passwords slow sign-in down (OWASP: growing delays per account, not a lockout
    of everyone behind one address).

    After `per_account` failures for one account, each further failure makes it wait before its
    password is checked again: `first_delay`, then twice as long each time, at most
    `longest_delay`. Once `per_address` failures came from one address within `longest_delay`
    (a flood, or one guess at many accounts), an account tried from there waits after its first
    failure instead. An account with no failures is never delayed, so colleagues behind the
    school's shared address sign in as usual. A success, or a day without failures, starts an
    account's count again.
    """

    per_account: int = 5
    per_address: int = 20
    first_delay: timedelta = timedelta(seconds=30)
    longest_delay: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(days=1)


#: At most this many account counters, and as many address counters, are kept (the least recent
#: go first), however many different emails an attacker types.
MAX_SIGN_IN_COUNTERS = 10_000


class TooManySignIns(DomainError):
    """Sign-in refused for a while after repeated failures."""

    def __init__(self, wait: timedelta) -> None:
        self.wait = wait
        super().__init__(
            f"Too many failed sign-ins for this account. Wait {_duration(wait)} and try again, "
            "or ask your administrator to check your account."
        )


def sign_in(
    session: Session,
    email: str,
    password: str,
    address: str | None,
    limits: SignInLimits = SignInLimits(),  # noqa: B008 - frozen, so sharing it is safe
    now: datetime | None = None,
) -> User | None:
    """Check a sign-in; None for a wrong email or password.

    Failures are counted in `sign_in_failures` (one row per account and per address, shared by
    every web worker); the audit log gets the first failure and then the 2nd, 4th, 8th…, so a
    flood of guesses adds a handful of rows, not one each. Raises TooManySignIns, without
    checking the password, while the account must wait.
    """
    now = now or utcnow()
    account = _account_key(email)
    counter = _waiting_counter(session, account, now)
    user = authenticate(session, email, password)
    if user is None:
        _count_failure(session, account, address, limits, now)
    else:
        _forget_failures(session, counter)
        record_event(session, "login", account, actor=user, address=address)
    return user


def _account_key(email: str) -> str:
    """How an account's failures are counted: its email as typed, ignoring case and spaces."""
    return email.strip().lower()[:254]


def _waiting_counter(session: Session, account: str, now: datetime) -> SignInFailure | None:
    """The account's failure counter; TooManySignIns while it must still wait (the password is
    then not checked at all)."""
    counter = _counter(session, "account", account)
    if counter is not None and counter.blocked_until is not None and counter.blocked_until > now:
        raise TooManySignIns(counter.blocked_until - now)
    return counter


def _forget_failures(session: Session, counter: SignInFailure | None) -> None:
    """After the right password, the account's count starts again."""
    if counter is not None:
        session.execute(delete(SignInFailure).where(SignInFailure.id == counter.id))


def _count_failure(
    session: Session, account: str, address: str | None, limits: SignInLimits, now: datetime
) -> None:
    """Count one failed sign-in for the account and the address; delay the account when due."""
    by_account = _add_failure(session, "account", account, now, now - limits.forget_after)
    by_address = (
        _add_failure(session, "address", address[:254], now, now - limits.longest_delay)
        if address
        else None
    )
    flooded = by_address is not None and by_address.failures > limits.per_address
    free = 1 if flooded else limits.per_account
    if by_account.failures >= free:
        delay = min(
            limits.first_delay * 2 ** min(by_account.failures - free, 30), limits.longest_delay
        )
        by_account.blocked_until = now + delay
    logged = _power_of_two(by_address.failures) if by_address is not None else False
    if not flooded and _power_of_two(by_account.failures):
        logged = True
    if logged:
        detail = (
            f"{by_account.failures} failed for this email since "
            f"{by_account.first_failure_at:%Y-%m-%d %H:%M}"
        )
        if by_address is not None:
            detail += (
                f"; {by_address.failures} from this address since "
                f"{by_address.first_failure_at:%Y-%m-%d %H:%M}"
            )
        record_event(session, "login-failed", account, detail, actor="anonymous", address=address)
    if not flooded and by_account.failures == limits.per_account:
        record_event(
            session,
            "login-blocked",
            account,
            f"sign-in delayed after {by_account.failures} failures",
            actor="anonymous",
            address=address,
        )
    _forget_old_counters(session, now - limits.forget_after)
    session.flush()


def _counter(session: Session, kind: str, key: str) -> SignInFailure | None:
    return session.scalar(
        select(SignInFailure)
        .where(SignInFailure.kind == kind, SignInFailure.key == key)
        .execution_options(populate_existing=True)
    )


def _add_failure(
    session: Session, kind: str, key: str, now: datetime, forget_before: datetime
) -> SignInFailure:
    """One more failure on the counter (made if missing, started again if quiet since
    `forget_before`), counted in the database so concurrent workers lose none."""
    dialect_insert = (
        postgresql_insert if session.get_bind().dialect.name == "postgresql" else (sqlite_insert)
    )
    session.execute(
        dialect_insert(SignInFailure)
        .values(kind=kind, key=key, failures=0, first_failure_at=now, last_failure_at=now)
        .on_conflict_do_nothing(index_elements=["kind", "key"])
    )
    this_counter = (SignInFailure.kind == kind, SignInFailure.key == key)
    session.execute(
        update(SignInFailure)
        .where(*this_counter, SignInFailure.last_failure_at < forget_before)
        .values(failures=0, first_failure_at=now, blocked_until=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(SignInFailure)
        .where(*this_counter)
        .values(failures=SignInFailure.failures + 1, last_failure_at=now)
        .execution_options(synchronize_session=False)
    )
    counter = _counter(session, kind, key)
    assert counter is not None
    return counter


def _forget_old_counters(session: Session, forget_before: datetime) -> None:
    session.execute(
        delete(SignInFailure)
        .where(SignInFailure.last_failure_at < forget_before)
        .execution_options(synchronize_session=False)
    )
    for kind in ("account", "address"):
        of_kind = SignInFailure.kind == kind
        kept = session.scalar(select(func.count(SignInFailure.id)).where(of_kind)) or 0
        if kept > MAX_SIGN_IN_COUNTERS:
            oldest = (
                select(SignInFailure.id)
                .where(of_kind)
                .order_by(SignInFailure.last_failure_at, SignInFailure.id)
                .limit(kept - MAX_SIGN_IN_COUNTERS)
            )
            session.execute(
                delete(SignInFailure)
                .where(SignInFailure.id.in_(oldest.scalar_subquery()))
                .execution_options(synchronize_session=False)
            )


def _power_of_two(number: int) -> bool:
    return number > 0 and number & (number - 1) == 0


def _duration(wait: timedelta) -> str:
    seconds = max(1, int(-(-wait.total_seconds() // 1)))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
