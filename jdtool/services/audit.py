"""Recording and reading the audit log.

Who acted comes from the session: the web app puts the signed-in user there, the command line
its own label (see `set_actor`), so services record events without being told who called them.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import AUDIT_ACTIONS, AuditEvent, User

PAGE_SIZE = 100


def set_actor(
    session: Session,
    actor: User | Callable[[], User | None] | str | None,
    address: str | None = None,
) -> None:
    """Who the session acts for: a user, a function giving the current user (the web), or a
    label (the command line); and the network address of a web request."""
    session.info["audit_actor"] = actor
    session.info["audit_address"] = address


def command_line_actor() -> str:
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):  # no user name for this uid (containers)
        return "command line"


def record_event(
    session: Session,
    action: str,
    subject: str = "",
    detail: str = "",
    *,
    actor: User | str | None = None,
    address: str | None = None,
) -> AuditEvent:
    """Add one event to the log, in the caller's transaction (so an undone action leaves none)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    who = actor if actor is not None else _session_actor(session)
    event = AuditEvent(
        action=action,
        subject=subject[:300],
        detail=detail,
        actor_id=who.id if isinstance(who, User) else None,
        actor=(who.email if isinstance(who, User) else who or "anonymous")[:300],
        address=address if address is not None else session.info.get("audit_address"),
    )
    session.add(event)
    session.flush()
    return event


def _session_actor(session: Session) -> User | str | None:
    actor = session.info.get("audit_actor")
    if callable(actor):
        actor = actor()
    return actor


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    total: int
    page: int
    pages: int


def list_events(
    session: Session,
    *,
    action: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """Newest first, filtered by action, by who (part of the email or label) and by date."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(
            func.lower(AuditEvent.actor).contains(actor.strip().lower(), autoescape=True)
        )
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    events = session.scalars(
        query.order_by(AuditEvent.id.desc()).limit(page_size).offset((page - 1) * page_size)
    ).all()
    return AuditPage(list(events), total, page, pages)
