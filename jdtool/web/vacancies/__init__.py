"""Vacancies, one module per stage of the work: the overview (vacancy, panel, applicants),
score sheets, moderation, decisions (ranking and the shortlist) and records. Here: the blueprint
they all add their pages to, opening a vacancy through the scoping rules, who may do what, and
the template filters the pages share."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user, login_required

from ...models import Application
from ...scoring import OUTCOME_LABELS
from ...services import scoring as scoring_service
from ...services import vacancies as vacancy_service
from ...services.scoping import Scope, scope_for
from .. import db_session

bp = Blueprint("vacancies", __name__, url_prefix="/vacancies")


def with_scope(view):
    """Open the vacancy through the scoping rules (404 when the user may not see it)."""

    @wraps(view)
    def wrapper(vacancy_id: int, **kwargs):
        scope = scope_for(db_session(), current_user, vacancy_id)
        stage = kwargs.get("stage")
        if stage is not None and stage not in vacancy_service.vacancy_stages(scope.vacancy):
            abort(404, description=f"This vacancy has no {stage} stage.")
        return view(scope, **kwargs)

    return login_required(wrapper)


def _manager_only(scope: Scope) -> None:
    if not scope.manages:
        abort(403)


def _panel_seat_only(scope: Scope, stage: str) -> None:
    """Scores are entered only by members of the stage's panel."""
    if scope.member(stage) is None:
        abort(403)


def _deciders_only(scope: Scope, stage: str) -> None:
    """Decisions, overrides and the final shortlist: HR (and other managers) or the chair."""
    if not (scope.manages or scope.is_chair(stage)):
        abort(403)


def _application(scope: Scope, application_id: int) -> Application:
    """One of the vacancy's applications the user may see (NotFound, a 404 page, otherwise)."""
    return scoring_service.get_application(db_session(), scope, application_id)


@bp.app_errorhandler(403)
def forbidden(_error):
    return render_template(
        "error.html", title="Not allowed", message="You do not have permission to do that."
    ), 403


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    """A file to save, not to open in the browser."""
    return Response(  # a 200: the unit of work keeps the export's audit event
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.app_template_filter("points")
def format_points(value: float) -> str:
    """A total of members' mean scores, to two decimal places at most: 22.3333 → "22.33"."""
    return f"{round(value, 2):g}"


@bp.app_template_filter("outcome")
def outcome_label(outcome: str) -> str:
    """ "reject" → "Not shortlisted"."""
    return OUTCOME_LABELS.get(outcome, outcome)


@bp.app_template_global()
def nav_stages(vacancy) -> list[str]:
    """The stages a vacancy's pages link to (references are checked outside jdtool)."""
    return [s for s in vacancy_service.vacancy_stages(vacancy) if s != "references"]


# The pages, by stage; imported last because each adds its routes to `bp` above.
from . import decisions, moderation, overview, records, sheets  # noqa: E402, F401
