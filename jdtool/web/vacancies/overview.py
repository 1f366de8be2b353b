"""A vacancy's overview: the list of vacancies, Your scoring, the vacancy page, its panel and
training dates, applicants, conflicts of interest, application forms and equal-opportunities
monitoring."""

from __future__ import annotations

import io
from pathlib import PurePosixPath

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ...errors import DomainError
from ...importing.file_types import display_filename
from ...models import PanelMember
from ...models.people import MANAGING_ROLES
from ...scoring import SCALES, STAGE_LABELS
from ...services import applicants as applicant_service
from ...services import lifecycle as lifecycle_service
from ...services import panel_tasks as task_service
from ...services import panels as panel_service
from ...services import retention as retention_service
from ...services import scoring as scoring_service
from ...services import vacancies as vacancy_service
from ...services.scoping import Scope, vacancies_for
from .. import db_session
from ..unit_of_work import on_refusal_go_to
from . import DOCX_TYPE, _application, _manager_only, bp, with_scope
from .forms import (
    ApplicantForm,
    ConflictForm,
    CsvForm,
    FileUploadForm,
    PanelForm,
    TrainingForm,
    VacancyForm,
)


def _or_field_error(action, field):
    """Run a service call and return its result; refused, put the reason beside `field` and
    return None (the view then answers with the form and status 400, so nothing is kept)."""
    try:
        return action()
    except DomainError as error:
        field.errors.append(str(error))
        return None


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    """Vacancies this user may open, and (for HR) a form to create one."""
    session = db_session()
    if request.method == "POST" and current_user.role not in MANAGING_ROLES:
        abort(403)
    vacancies = list(session.scalars(vacancies_for(current_user)))
    form = None
    if current_user.role in MANAGING_ROLES:
        form = VacancyForm()
        versions = vacancy_service.approved_versions(session)
        form.job_description.choices = [
            SelectChoice(v.job_description_id, f"{v.title} (version {v.number})") for v in versions
        ]
        if form.validate_on_submit():
            vacancy = _or_field_error(
                lambda: vacancy_service.create_vacancy(
                    session,
                    form.job_description.data,
                    form.title.data,
                    form.scale.data,
                    anonymised=form.anonymised.data,
                    maintained_school=form.maintained_school.data,
                    closing_date=form.closing_date.data,
                ),
                form.title,
            )
            if vacancy is not None:
                flash(f"Created the vacancy {vacancy.title}.", "success")
                return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
    status = 400 if form is not None and form.errors else 200
    return render_template(
        "vacancies/index.html",
        vacancies=vacancies,
        progress=lifecycle_service.progress_by_vacancy(session, vacancies),
        form=form,
    ), status


@bp.route("/scoring")
@login_required
def scoring():
    """Your scoring: what waits for the signed-in panel member, per vacancy and stage."""
    return render_template(
        "vacancies/scoring.html",
        tasks=task_service.scoring_tasks(db_session(), current_user),
        stage_labels=STAGE_LABELS,
    )


@bp.route("/<int:vacancy_id>")
@with_scope
def show(scope: Scope):
    """The vacancy: pinned version, stages, panel, warnings, records."""
    return _overview_page(scope)


def _panel_stage_choices(vacancy) -> list[SelectChoice]:
    stages = vacancy_service.vacancy_stages(vacancy)
    return [SelectChoice(s, STAGE_LABELS[s]) for s in stages if s != "references"]


def _overview_page(scope: Scope, panel_form: PanelForm | None = None) -> str:
    """The overview; a refused panel form comes back with its errors beside its fields."""
    session = db_session()
    vacancy = scope.vacancy
    stages = vacancy_service.vacancy_stages(vacancy)
    if panel_form is None:
        panel_form = PanelForm(formdata=None)
        panel_form.stage.choices = _panel_stage_choices(vacancy)
    return render_template(
        "vacancies/show.html",
        scope=scope,
        vacancy=vacancy,
        stages=stages,
        stage_labels=STAGE_LABELS,
        scale=SCALES[vacancy.scale],
        application_count=len(session.scalars(scope.applications()).all()),
        criteria_locked=vacancy_service.has_applications(session, vacancy),
        warnings=vacancy_service.vacancy_warnings(vacancy),
        progress=lifecycle_service.vacancy_progress(session, vacancy),
        panel_form=panel_form,
        training_form=TrainingForm(formdata=None),
        retention_months=retention_service.retention_months(current_app.config["RETENTION_MONTHS"]),
        retention_due=retention_service.deletion_due,
    )


@bp.route("/<int:vacancy_id>/panel", methods=["POST"])
@with_scope
def add_panel_member(scope: Scope):
    """Seat someone on a stage's panel."""
    _manager_only(scope)
    form = PanelForm()
    form.stage.choices = _panel_stage_choices(scope.vacancy)
    if not form.validate_on_submit():
        return _overview_page(scope, form), 400
    try:
        seat = panel_service.add_panel_member(
            db_session(),
            scope.vacancy,
            form.email.data,
            form.stage.data,
            chair=form.chair.data,
            training_date=form.training_date.data,
            name=form.name.data or None,
        )
    except DomainError as error:
        form.email.errors = [*form.email.errors, str(error)]
        return _overview_page(scope, form), 400
    else:
        message = f"Added {seat.member.user.email} to the {seat.member.stage} panel."
        if seat.new_password:  # shown once in this page, never in the (cookie) flash messages
            return render_template(
                "admin/one_time_password.html",
                email=seat.member.user.email,
                password=seat.new_password,
                reason=f"{message} A panel account was made; they sign in with this password.",
                back=url_for("vacancies.show", vacancy_id=scope.vacancy.id),
                back_text="Back to the vacancy",
            )
        flash(message, "success")
    return redirect(url_for("vacancies.show", vacancy_id=scope.vacancy.id))


@bp.route("/<int:vacancy_id>/panel/<int:member_id>/training", methods=["POST"])
@with_scope
def record_training(scope: Scope, member_id: int):
    """Record when a panel member completed safer-recruitment training."""
    member = db_session().get(PanelMember, member_id)
    if member is None or member.vacancy_id != scope.vacancy.id:
        abort(404)
    if not (scope.manages or member.user_id == current_user.id):
        abort(403)
    form = TrainingForm()
    if form.validate_on_submit():
        on_refusal_go_to(url_for("vacancies.show", vacancy_id=scope.vacancy.id))
        panel_service.record_training(db_session(), member, form.training_date.data)
        flash("Training date recorded.", "success")
    else:
        flash("Enter the date as day, month and year.", "error")
    return redirect(url_for("vacancies.show", vacancy_id=scope.vacancy.id))


@bp.route("/<int:vacancy_id>/applicants", methods=["GET", "POST"])
@with_scope
def applicants(scope: Scope):
    """The applicant list; HR adds applicants one by one or from a CSV file."""
    session = db_session()
    form = ApplicantForm(prefix="one")
    csv_form = CsvForm(prefix="csv")
    if request.method == "POST" and not scope.manages:
        abort(403)
    if request.method == "POST" and "one-name" in request.form:
        if form.validate_on_submit():
            application = _or_field_error(
                lambda: applicant_service.add_applicant(
                    session,
                    scope.vacancy,
                    form.name.data,
                    form.email.data,
                    disability_confident=form.disability_confident.data,
                ),
                form.email,
            )
            if application is not None:
                flash(f"Added {application.applicant.name} ({application.reference}).", "success")
                return redirect(url_for("vacancies.applicants", vacancy_id=scope.vacancy.id))
    elif request.method == "POST" and csv_form.validate_on_submit():
        try:
            result = applicant_service.import_applicants(
                session, scope.vacancy, csv_form.file.data.read()
            )
        except DomainError as error:
            csv_form.file.errors.extend(str(error).splitlines())
        else:
            message = f"Imported {len(result.applications)} applicants."
            if result.unknown_columns:
                message += " Ignored unknown columns: " + ", ".join(result.unknown_columns) + "."
            flash(message, "success")
            return redirect(url_for("vacancies.applicants", vacancy_id=scope.vacancy.id))
    applications = list(session.scalars(scope.applications()))
    status = 400 if form.errors or csv_form.errors else 200
    return render_template(
        "vacancies/applicants.html",
        scope=scope,
        vacancy=scope.vacancy,
        applications=applications,
        label=lambda a: scoring_service.applicant_label(scope, a, "shortlisting"),
        form=form,
        csv_form=csv_form,
        conflict_form=ConflictForm(formdata=None),
        upload_form=FileUploadForm(formdata=None),
    ), status


@bp.route("/<int:vacancy_id>/applications/<int:application_id>/conflict", methods=["POST"])
@with_scope
def declare_conflict(scope: Scope, application_id: int):
    """The signed-in panel member declares a conflict of interest with one applicant."""
    session = db_session()
    application = _application(scope, application_id)
    form = ConflictForm()
    if not scope.members or not form.validate_on_submit():
        abort(403)
    for member in scope.members.values():
        panel_service.declare_conflict(session, member, application, form.reason.data or "")
    flash("Conflict of interest recorded: you will not see or score this applicant.", "success")
    return redirect(url_for("vacancies.applicants", vacancy_id=scope.vacancy.id))


@bp.route("/<int:vacancy_id>/applications/<int:application_id>/files", methods=["POST"])
@with_scope
def upload_file(scope: Scope, application_id: int):
    """Attach an application form (PDF or Word), checked by content and size."""
    _manager_only(scope)
    application = _application(scope, application_id)
    form = FileUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = PurePosixPath(upload.filename.replace("\\", "/")).name
        on_refusal_go_to(url_for("vacancies.applicants", vacancy_id=scope.vacancy.id))
        applicant_service.attach_application_file(
            db_session(), application, filename, upload.read()
        )
        flash(f"Uploaded {filename}.", "success")
    else:
        flash("Choose the application form to upload.", "error")
    return redirect(url_for("vacancies.applicants", vacancy_id=scope.vacancy.id))


@bp.route("/<int:vacancy_id>/applications/<int:application_id>/files/<int:file_id>")
@with_scope
def download_file(scope: Scope, application_id: int, file_id: int):
    """An applicant's uploaded application form, for HR and the panel members who may see them."""
    application = _application(scope, application_id)
    upload = next((f for f in application.files if f.id == file_id), None)
    if upload is None:
        abort(404, description="There is no such application form.")
    mimetypes = {"pdf": "application/pdf", "docx": DOCX_TYPE}
    # The uploaded name often holds the applicant's name; the panel gets the reference instead.
    filename = upload.filename if scope.manages else f"{application.reference}.{upload.kind}"
    return send_file(
        io.BytesIO(upload.content),
        mimetype=mimetypes[upload.kind],
        as_attachment=True,
        download_name=display_filename(filename),
    )


# -- equal-opportunities monitoring (HR and administrators only) ------------------------------


@bp.route("/<int:vacancy_id>/equal-opportunities", methods=["GET", "POST"])
@with_scope
def equal_opportunities(scope: Scope):
    """Record applicants' monitoring answers apart from their applications; show only counts."""
    from ...models import EO_QUESTIONS
    from ...services import equal_opportunities as monitoring

    if current_user.role not in monitoring.EO_ROLES:
        abort(403)
    session = db_session()
    if request.method == "POST":
        if not request.form.get("csrf_token"):
            abort(400)
        try:
            application_id = int(request.form.get("application_id", ""))
        except ValueError:
            abort(400)
        answers = {question: request.form.get(question) for question in EO_QUESTIONS}
        page_url = url_for("vacancies.equal_opportunities", vacancy_id=scope.vacancy.id)
        on_refusal_go_to(page_url)
        monitoring.record_answers(session, scope, application_id, answers)
        flash("Monitoring answers recorded; they are kept apart from the application.", "success")
        return redirect(page_url)
    return render_template(
        "vacancies/equal_opportunities.html",
        scope=scope,
        vacancy=scope.vacancy,
        applications=list(session.scalars(scope.applications())),
        answered=monitoring.answered_applications(session, scope),
        summary=monitoring.monitoring_summary(session, scope),
        questions=EO_QUESTIONS,
        question_labels=monitoring.QUESTION_LABELS,
    )
