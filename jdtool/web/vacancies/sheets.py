"""A stage and its score sheets: the scoring grid, saving unfinished scores, amending and
discarding them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from ...scoring import SCALES, STAGE_LABELS
from ...services import interview_pack, stage_scores
from ...services import panel_tasks as task_service
from ...services import score_drafts as draft_service
from ...services import score_sheets as sheet_service
from ...services import scoring as scoring_service
from ...services import vacancies as vacancy_service
from ...services.scoping import Scope
from .. import db_session
from ..unit_of_work import on_refusal_go_to
from . import _panel_seat_only, bp, with_scope


@bp.route("/<int:vacancy_id>/<stage>")
@with_scope
def stage(scope: Scope, stage: str):
    """A stage: applicants with the user's own sheet status, and links to score each."""
    session = db_session()
    scores = stage_scores.load_stage_scores(session, scope, stage)
    member = scope.member(stage)
    drafts = draft_service.draft_application_ids(session, scope, stage)
    return render_template(
        "vacancies/stage.html",
        drafts=drafts,
        waiting_for_shortlist=stage != "shortlisting"
        and "shortlisting" in vacancy_service.vacancy_stages(scope.vacancy)
        and not scope.vacancy.shortlist_finalised_at,
        scope=scope,
        vacancy=scope.vacancy,
        stage=stage,
        stage_label=STAGE_LABELS[stage],
        scores=scores,
        member=member,
        label=lambda a: scoring_service.applicant_label(scope, a, stage),
    )


@bp.route("/<int:vacancy_id>/<stage>/applications/<int:application_id>", methods=["GET", "POST"])
@with_scope
def score_sheet(scope: Scope, stage: str, application_id: int):
    """The scoring grid: one applicant, every criterion of the stage, descriptors visible."""
    session = db_session()
    application = scoring_service.get_application(session, scope, application_id, with_files=True)
    on_refusal_go_to(url_for("vacancies.stage", vacancy_id=scope.vacancy.id, stage=stage))
    scoring_service.check_taken_forward(session, scope.vacancy, application, stage)
    criteria = scoring_service.stage_criteria(scope.vacancy.version, stage)
    criteria, questions_before = interview_pack.grid_by_question(
        session, scope.vacancy, stage, criteria
    )
    scale = SCALES[scope.vacancy.scale]
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        _panel_seat_only(scope, stage)
        entries = {
            (c.criterion.id, method): sheet_service.ScoreEntry(
                request.form.get(f"score-{c.criterion.id}-{method}"),
                request.form.get(f"note-{c.criterion.id}-{method}", ""),
            )
            for c in criteria
            for method in c.methods
        }
        answered = {key: entry for key, entry in entries.items() if entry.raw is not None}
        saving = request.form.get("action") == "save"
        try:
            if saving:
                draft_service.save_draft(session, scope, application.id, stage, entries)
            else:
                sheet_service.submit_score_sheet(session, scope, application.id, stage, answered)
        except sheet_service.ScoreSheetInvalid as invalid:  # shown beside each box; status 400
            errors = invalid.errors
            values = dict(entries)
        else:
            label = scoring_service.applicant_label(scope, application, stage)
            flash(
                f"Your unfinished scores for {label} are saved. They are not submitted and do "
                "not count until you submit them."
                if saving
                else f"Your scores for {label} are submitted and locked.",
                "success",
            )
            return redirect(_sheet_url(scope, stage, application.id))
    own, draft = sheet_service.own_sheet_and_draft(session, scope, application.id, stage)
    if draft is not None and not values:
        values = draft_service.draft_values(draft)
    scores = stage_scores.load_stage_scores(session, scope, stage, application)
    next_application = (
        task_service.next_to_score(session, scope, stage, application.id)
        if own is not None and draft is None
        else None
    )
    return render_template(
        "vacancies/score_sheet.html",
        scope=scope,
        vacancy=scope.vacancy,
        stage=stage,
        stage_label=STAGE_LABELS[stage],
        application=application,
        label=scoring_service.applicant_label(scope, application, stage),
        criteria=criteria,
        scale=scale,
        own=own,
        draft=draft,
        next_application=next_application,
        next_label=scoring_service.applicant_label(scope, next_application, stage)
        if next_application
        else None,
        errors=errors,
        values=values,
        scores=scores,
        member=scope.member(stage),
        questions_before=questions_before,
    ), (400 if errors else 200)


@bp.route("/<int:vacancy_id>/<stage>/applications/<int:application_id>/amend", methods=["POST"])
@with_scope
def amend_sheet(scope: Scope, stage: str, application_id: int):
    """Start an amendment from the submitted sheet, which counts until the amendment is in."""
    _panel_seat_only(scope, stage)
    sheet_url = _sheet_url(scope, stage, application_id)
    on_refusal_go_to(sheet_url)
    draft_service.start_amendment(db_session(), scope, application_id, stage)
    flash(
        "Amend your scores below. Your submitted scores still count until you submit the "
        "amended ones.",
        "success",
    )
    return redirect(sheet_url)


@bp.route("/<int:vacancy_id>/<stage>/applications/<int:application_id>/discard", methods=["POST"])
@with_scope
def discard_draft(scope: Scope, stage: str, application_id: int):
    """Throw away unsubmitted scores (an amendment leaves the submitted sheet as it was)."""
    _panel_seat_only(scope, stage)
    sheet_url = _sheet_url(scope, stage, application_id)
    on_refusal_go_to(sheet_url)
    draft_service.discard_draft(db_session(), scope, application_id, stage)
    flash(
        "Your unsubmitted scores are discarded.",
        "success",
    )
    return redirect(sheet_url)


def _sheet_url(scope: Scope, stage: str, application_id: int) -> str:
    """The scoring grid of one applicant, where its amend and discard forms come back to."""
    return url_for(
        "vacancies.score_sheet",
        vacancy_id=scope.vacancy.id,
        stage=stage,
        application_id=application_id,
    )
