"""Records: the stage record and one candidate's record, score CSVs, blank score sheets, and
paper scores read back from the CSV template."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for

from ...services import recruitment_records
from ...services import retention as retention_service
from ...services import score_import as score_import_service
from ...services.scoping import Scope
from .. import db_session
from ..unit_of_work import on_refusal_go_to
from . import DOCX_TYPE, _download, _manager_only, bp, with_scope
from .forms import CsvForm


@bp.route("/<int:vacancy_id>/<stage>/record.docx")
@with_scope
def record(scope: Scope, stage: str):
    """The stage's record: every member's and the agreed scores, decisions, signatures."""
    data = recruitment_records.stage_record_docx(db_session(), scope, stage)
    return _download(data, f"vacancy-{scope.vacancy.id}-{stage}-record.docx", DOCX_TYPE)


@bp.route("/<int:vacancy_id>/<stage>/applications/<int:application_id>/record.docx")
@with_scope
def candidate_record(scope: Scope, stage: str, application_id: int):
    """One candidate's record only (for a subject-access request)."""
    _manager_only(scope)
    data = recruitment_records.stage_record_docx(
        db_session(),
        scope,
        stage,
        application_id,
        retention_service.retention_months(current_app.config["RETENTION_MONTHS"]),
    )
    return _download(
        data, f"vacancy-{scope.vacancy.id}-{stage}-candidate-{application_id}.docx", DOCX_TYPE
    )


@bp.route("/<int:vacancy_id>/<stage>/scores.csv")
@with_scope
def scores_csv(scope: Scope, stage: str):
    """Every visible score as CSV, safe to open in a spreadsheet."""
    data = recruitment_records.scores_csv(db_session(), scope, stage)
    return _download(data, f"vacancy-{scope.vacancy.id}-{stage}-scores.csv", "text/csv")


@bp.route("/<int:vacancy_id>/<stage>/blank-sheets.docx")
@with_scope
def blank_sheets(scope: Scope, stage: str):
    """Printable score sheets for panels that score on paper."""
    on_refusal_go_to(url_for("vacancies.show", vacancy_id=scope.vacancy.id))
    document = recruitment_records.blank_sheets(db_session(), scope, stage)  # refused: too many
    return _download(document, f"vacancy-{scope.vacancy.id}-{stage}-sheets.docx", DOCX_TYPE)


@bp.route("/<int:vacancy_id>/<stage>/scores-template.csv")
@with_scope
def scores_template(scope: Scope, stage: str):
    """The CSV to type paper scores into: one row per candidate, member and criterion."""
    template = recruitment_records.scores_template(db_session(), scope, stage)
    return _download(template, f"vacancy-{scope.vacancy.id}-{stage}-scores.csv", "text/csv")


@bp.route("/<int:vacancy_id>/<stage>/scores/import", methods=["POST"])
@with_scope
def import_scores(scope: Scope, stage: str):
    """Read back paper scores typed into the template; all or nothing."""
    _manager_only(scope)
    form = CsvForm()
    stage_url = url_for("vacancies.stage", vacancy_id=scope.vacancy.id, stage=stage)
    if form.validate_on_submit():
        on_refusal_go_to(stage_url)
        score_import_service.import_scores(
            db_session(), scope.vacancy.id, stage, form.file.data.read()
        )
        flash("Scores imported.", "success")
    else:
        flash("Choose a CSV file.", "error")
    return redirect(stage_url)
