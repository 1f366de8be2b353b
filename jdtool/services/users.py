"""Create users and check their passwords (argon2)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..models import User
from ..models.people import ROLES

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


def create_user(
    session: Session, email: str, password: str, *, name: str | None = None, role: str = "hr"
) -> User:
    email = email.strip().lower()
    if "@" not in email:
        raise DomainError(f"'{email}' is not an email address.")
    if role not in ROLES:
        raise DomainError(f"Role must be one of {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
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
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user
