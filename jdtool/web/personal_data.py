"""Personal data pages: close a vacancy (the retention clock starts) and run retention."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from ..db import checkpoint
from ..models.people import utcnow
from ..services import lifecycle as lifecycle_service
from ..services import retention as retention_service
from ..services.scoping import Scope
from . import db_session
from .admin import admins_only
from .unit_of_work import on_refusal_go_to
from .vacancies import _manager_only, with_scope

bp = Blueprint("personal_data", __name__)


def _checkpoint(response: Response) -> Response:
    """Empty SQLite's write-ahead log of the deleted text (after the commit)."""
    checkpoint(current_app.extensions["jdtool_engine"])
    return response


def _months() -> int:
    return retention_service.retention_months(current_app.config["RETENTION_MONTHS"])


@bp.route("/vacancies/<int:vacancy_id>/close")
@with_scope
def confirm_close(scope: Scope):
    """Ask before closing: what still stops it, or the date personal data will be deleted."""
    _manager_only(scope)
    months = _months()
    return render_template(
        "vacancies/close.html",
        scope=scope,
        vacancy=scope.vacancy,
        progress=lifecycle_service.vacancy_progress(db_session(), scope.vacancy),
        months=months,
        deletion_date=retention_service.add_months(utcnow(), months),
    )


@bp.route("/vacancies/<int:vacancy_id>/close", methods=["POST"])
@with_scope
def close_vacancy(scope: Scope):
    """Close the vacancy once its decisions are made; the retention period starts now."""
    _manager_only(scope)
    if request.form.get("confirm") != "yes":
        flash("Confirm that the vacancy should be closed.", "error")
        return redirect(url_for("personal_data.confirm_close", vacancy_id=scope.vacancy.id))
    on_refusal_go_to(url_for("personal_data.confirm_close", vacancy_id=scope.vacancy.id))
    lifecycle_service.close_vacancy(db_session(), scope)
    flash("Vacancy closed: the retention period starts today.", "success")
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
    deletions = retention_service.run_retention(db_session(), _months())
    after_this_request(_checkpoint)  # runs once the unit of work has committed the deletions
    total = sum(len(d.references) for d in deletions)
    flash(
        f"Personal data deleted for {total} applications in {len(deletions)} vacancies.", "success"
    )
    return redirect(url_for("personal_data.retention"))
