"""Ranking and decisions: the ranking page, decisions with reasons, overrides and the final
shortlist."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from wtforms import SelectChoice

from ...errors import DomainError
from ...scoring import STAGE_LABELS
from ...services import decisions as decision_service
from ...services import scoring as scoring_service
from ...services import stage_scores
from ...services.scoping import Scope
from .. import db_session
from . import _deciders_only, bp, with_scope
from .forms import DecisionForm, OverrideForm


@bp.route("/<int:vacancy_id>/<stage>/ranking")
@with_scope
def ranking(scope: Scope, stage: str):
    """Ranking with the essential gate, ties, Disability Confident, overrides and decisions."""
    return _ranking_page(scope, stage)


def _ranking_page(scope: Scope, stage: str, row_error: dict | None = None) -> str:
    """The ranking page; `row_error` puts a refused decision's reason beside its form."""
    session = db_session()
    scores = stage_scores.load_stage_scores(session, scope, stage)
    ranked = decision_service.rank_stage(session, scope, stage, scores=scores)
    criteria = scores.criteria
    decision_form = DecisionForm(formdata=None)
    outcomes = _outcomes(stage)
    decision_form.outcome.choices = outcomes
    decision_form.criteria.choices = [
        SelectChoice(c.criterion.id, f"{c.position}. {c.criterion.text}") for c in criteria
    ]
    return render_template(
        "vacancies/ranking.html",
        scope=scope,
        vacancy=scope.vacancy,
        stage=stage,
        stage_label=STAGE_LABELS[stage],
        ranked=ranked,
        criteria_by_position={c.position: c for c in criteria},
        criteria_by_id={c.criterion.id: c for c in criteria},
        may_decide=scope.manages or scope.is_chair(stage),
        decision_form=decision_form,
        override_form=OverrideForm(formdata=None),
        submitted_members=len(scores.submitted_members()),
        own_member=scope.member(stage),
        sheets=scores.sheets,
        row_error=row_error,
    )


def _refused_on_ranking(
    scope: Scope, stage: str, application_id: int | None, form_name: str, message: str
):
    """The ranking again with `message` beside the form that was sent (status 400: nothing
    the refused call changed is kept)."""
    row_error = {
        "application_id": application_id,
        "form": form_name,
        "message": message,
        "reason": request.form.get("reason", ""),
        "outcome": request.form.get("outcome", ""),
        "criteria": request.form.getlist("criteria"),
    }
    return _ranking_page(scope, stage, row_error), 400


def _outcomes(stage: str) -> list[tuple[str, str]]:
    if stage == "shortlisting":
        return [SelectChoice("shortlist", "Shortlist"), SelectChoice("reject", "Do not shortlist")]
    return [SelectChoice("appoint", "Appoint"), SelectChoice("not appointed", "Do not appoint")]


@bp.route("/<int:vacancy_id>/<stage>/applications/<int:application_id>/decision", methods=["POST"])
@with_scope
def decide(scope: Scope, stage: str, application_id: int):
    """Record a decision with its reasons (criteria and free text)."""
    _deciders_only(scope, stage)
    form = DecisionForm()
    form.outcome.choices = _outcomes(stage)
    criteria = scoring_service.stage_criteria(scope.vacancy.version, stage)
    form.criteria.choices = [SelectChoice(c.criterion.id, str(c.position)) for c in criteria]
    if not form.validate_on_submit():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return _refused_on_ranking(scope, stage, application_id, "decision", message)
    try:
        decision_service.record_decision(
            db_session(),
            scope,
            application_id,
            stage,
            form.outcome.data,
            form.reason.data,
            form.criteria.data or [],
        )
    except DomainError as error:
        return _refused_on_ranking(scope, stage, application_id, "decision", str(error))
    flash("Decision recorded.", "success")
    return redirect(
        url_for("vacancies.ranking", vacancy_id=scope.vacancy.id, stage=stage)
        + f"#application-{application_id}"
    )


@bp.route("/<int:vacancy_id>/<stage>/applications/<int:application_id>/override", methods=["POST"])
@with_scope
def override(scope: Scope, stage: str, application_id: int):
    """Keep an applicant who failed an essential, with the recorded reason."""
    _deciders_only(scope, stage)
    form = OverrideForm()
    if not form.validate_on_submit():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return _refused_on_ranking(scope, stage, application_id, "override", message)
    try:
        decision_service.record_override(
            db_session(), scope, application_id, stage, form.reason.data
        )
    except DomainError as error:
        return _refused_on_ranking(scope, stage, application_id, "override", str(error))
    flash("Override recorded.", "success")
    return redirect(
        url_for("vacancies.ranking", vacancy_id=scope.vacancy.id, stage=stage)
        + f"#application-{application_id}"
    )


@bp.route("/<int:vacancy_id>/shortlisting/finalise", methods=["POST"])
@with_scope
def finalise(scope: Scope):
    """Make the shortlist final (needs two members' submitted scores and every decision)."""
    _deciders_only(scope, "shortlisting")
    if not request.form.get("csrf_token"):
        abort(400)
    try:
        decision_service.finalise_shortlist(db_session(), scope)
    except DomainError as error:
        return _refused_on_ranking(scope, "shortlisting", None, "finalise", str(error))
    flash("The shortlist is final.", "success")
    return redirect(url_for("vacancies.ranking", vacancy_id=scope.vacancy.id, stage="shortlisting"))
