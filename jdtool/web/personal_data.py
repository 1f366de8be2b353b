"""Personal data pages: close a vacancy (the retention clock starts) and run retention."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from ..db import checkpoint
from ..services import retention as retention_service
from ..services.scoping import Scope
from . import db_session
from .admin import admins_only
from .vacancies import _commit_or_flash, _manager_only, with_scope

bp = Blueprint("personal_data", __name__)


def _months() -> int:
    return retention_service.retention_months(current_app.config["RETENTION_MONTHS"])


@bp.route("/vacancies/<int:vacancy_id>/close", methods=["POST"])
@with_scope
def close_vacancy(scope: Scope):
    """Record that the vacancy's decisions are made; the retention period starts now."""
    _manager_only(scope)
    _commit_or_flash(
        lambda: retention_service.close_vacancy(db_session(), scope.vacancy),
        "Vacancy closed: the retention period starts today.",
    )
    return redirect(url_for("vacancies.show", vacancy_id=scope.vacancy.id))


@bp.route("/admin/retention")
@admins_only
def retention():
    """What a retention run would delete now, and the button that runs it."""
    months = _months()
    due = retention_service.run_retention(db_session(), months, dry_run=True)
    return render_template("personal_data/retention.html", months=months, due=due)


@bp.route("/admin/retention", methods=["POST"])
@admins_only
def run_retention():
    """Delete unsuccessful applicants' personal data where the retention period has passed."""
    session = db_session()
    deletions = retention_service.run_retention(session, _months())
    session.commit()
    checkpoint(current_app.extensions["jdtool_engine"])
    total = sum(len(d.references) for d in deletions)
    flash(
        f"Personal data deleted for {total} applications in {len(deletions)} vacancies.", "success"
    )
    return redirect(url_for("personal_data.retention"))
