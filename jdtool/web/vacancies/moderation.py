"""Moderation: every member's scores side by side, and the chair's agreed scores."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from ...errors import DomainError
from ...scoring import STAGE_LABELS
from ...services import moderation as moderation_service
from ...services import scoring as scoring_service
from ...services import stage_scores
from ...services.scoping import Scope
from ...services.stage_scores import ModerationRow
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
    #: Each box's row heading, made (and escaped) once rather than once per applicant.
    box_heads = {
        (item.criterion.id, method): Markup(
            '<th scope="row">{} <span class="muted">{}</span></th>'
        ).format(
            f"{item.position}. {truncate(item.criterion.text, 60)}",
            f"({priority_letters.get(item.criterion.priority, '?')}, {method})",
        )
        for item in scores.criteria
        for method in item.methods
    }

    def rows_for(application_id: int) -> list[tuple]:
        """Each box of one applicant: its criterion, method, the heading and figures as table
        cells, whether it is flagged, and the agreed score."""
        return [
            (
                row.criterion,
                row.method,
                box_heads[row.key] + box_cells(row),
                row.flagged,
                row.agreed,
            )
            for row in scores.moderation_rows(application_id)
        ]

    return render_template(
        "vacancies/moderation.html",
        rows_for=rows_for,
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


def box_cells(row: ModerationRow) -> Markup:
    """One box's members' scores, mean and spread as table cells. The moderation page has a row
    per box of every applicant (tens of thousands in a large round), so the cells are put
    together here in one step rather than one by one in the template."""
    cells = "".join(
        f'<td class="numeric">{value if type(value) is int else escape(value)}</td>'
        for value in row.member_scores
    )
    flag = ' <span class="flag">flagged</span>' if row.flagged else ""
    return Markup(
        f'{cells}<td class="numeric">{escape(row.mean)}</td>'
        f'<td class="numeric">{escape(row.spread)}{flag}</td>'
    )
