"""Moderation: every member's scores side by side, and the chair's agreed scores."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from markupsafe import escape

from ...errors import DomainError
from ...scoring import STAGE_LABELS
from ...services import moderation as moderation_service
from ...services import scoring as scoring_service
from ...services import stage_scores
from ...services.scoping import Scope
from .. import db_session
from . import bp, with_scope


@bp.route("/<int:vacancy_id>/<stage>/moderation", methods=["GET", "POST"])
@with_scope
def moderation(scope: Scope, stage: str):
    """Every member's score per applicant and criterion, mean, spread, flags; agreed scores."""
    session = db_session()
    if request.method == "POST":
        if not scope.is_chair(stage):
            abort(403)  # only the chair records agreed scores
        form = request.form
        try:
            criterion_id = int(form.get("criterion_id", ""))
            application_id = int(form.get("application_id", ""))
        except ValueError:
            abort(400)
        method = form.get("method", "")
        try:
            moderation_service.record_consensus(
                session,
                scope,
                application_id,
                stage,
                criterion_id,
                method,
                form.get("agreed", ""),
                form.get("rationale", ""),
            )
        except DomainError as error:
            # Shown beside the row the chair was filling in, with what they typed kept.
            row_error = {
                "key": (application_id, criterion_id, method),
                "message": str(error),
                "agreed": form.get("agreed", ""),
                "rationale": form.get("rationale", ""),
            }
            return _moderation_page(scope, stage, row_error), 400
        flash("Agreed score recorded.", "success")
        return redirect(
            url_for("vacancies.moderation", vacancy_id=scope.vacancy.id, stage=stage)
            + f"#application-{application_id}"
        )
    return _moderation_page(scope, stage)


def _moderation_page(scope: Scope, stage: str, row_error: dict | None = None) -> str:
    session = db_session()
    scores = stage_scores.load_stage_scores(session, scope, stage)
    priority_letters = {"essential": "E", "desirable": "D"}
    #: One label per box, made (and escaped) once rather than once per applicant.
    box_labels = {
        (item.criterion.id, method): (
            escape(f"{item.position}. {truncate(item.criterion.text, 60)}"),
            escape(f"({priority_letters.get(item.criterion.priority, '?')}, {method})"),
        )
        for item in scores.criteria
        for method in item.methods
    }
    return render_template(
        "vacancies/moderation.html",
        box_labels=box_labels,
        scope=scope,
        vacancy=scope.vacancy,
        stage=stage,
        stage_label=STAGE_LABELS[stage],
        scores=scores,
        is_chair=scope.is_chair(stage),
        show_every_form=bool(request.args.get("all")),
        label=lambda a: scoring_service.applicant_label(scope, a, stage),
        row_error=row_error,
    )


def truncate(text: str, length: int) -> str:
    """The text cut at a word boundary to about `length` characters, with an ellipsis."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",;:") + "…"
