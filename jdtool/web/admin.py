"""Administrators' pages: the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from ..models import AUDIT_ACTIONS
from ..services.audit import list_events
from . import db_session

bp = Blueprint("admin", __name__, url_prefix="/admin")


def admins_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed-in administrators only; everyone else gets "Not allowed"."""

    @wraps(view)
    @login_required
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return guarded


@bp.route("/audit")
@admins_only
def audit():
    """The audit log, newest first, filtered by action, person and date."""
    action = request.args.get("action", "")
    if action not in AUDIT_ACTIONS:
        action = ""
    actor = request.args.get("actor", "").strip()[:100]
    since_text = request.args.get("since", "")
    try:
        since = date.fromisoformat(since_text) if since_text else None
    except ValueError:
        since, since_text = None, ""
    page = request.args.get("page", 1, type=int) or 1
    events = list_events(
        db_session(),
        action=action or None,
        actor=actor or None,
        since=datetime.combine(since, datetime.min.time()) if since else None,
        page=page,
    )
    return render_template(
        "admin/audit.html",
        events=events,
        actions=AUDIT_ACTIONS,
        action=action,
        actor=actor,
        since=since_text,
    )
