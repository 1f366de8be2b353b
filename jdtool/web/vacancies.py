"""Vacancies: overview, applicants, panel, the scoring grid, moderation, ranking and records."""

from __future__ import annotations

import io
from functools import wraps
from pathlib import PurePosixPath

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import escape
from wtforms import SelectChoice

from ..errors import DomainError
from ..importing.file_types import display_filename
from ..models import Application, PanelMember
from ..models.people import MANAGING_ROLES
from ..scoring import OUTCOME_LABELS, SCALES, STAGE_LABELS
from ..services import decisions as decision_service
from ..services import interview_pack, recruitment_records
from ..services import lifecycle as lifecycle_service
from ..services import moderation as moderation_service
from ..services import panel_tasks as task_service
from ..services import retention as retention_service
from ..services import score_drafts as draft_service
from ..services import score_import as score_import_service
from ..services import score_sheets as sheet_service
from ..services import scoring as scoring_service
from ..services import vacancies as vacancy_service
from ..services.scoping import Scope, scope_for, vacancies_for
from . import db_session
from .unit_of_work import on_refusal_go_to
from .vacancy_forms import (
    ApplicantForm,
    ConflictForm,
    CsvForm,
    DecisionForm,
    FileUploadForm,
    OverrideForm,
    PanelForm,
    TrainingForm,
    VacancyForm,
)

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
        seat = vacancy_service.add_panel_member(
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
        vacancy_service.record_training(db_session(), member, form.training_date.data)
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
                lambda: vacancy_service.add_applicant(
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
            result = vacancy_service.import_applicants(
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
        vacancy_service.declare_conflict(session, member, application, form.reason.data or "")
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
        vacancy_service.attach_application_file(db_session(), application, filename, upload.read())
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


def _application(scope: Scope, application_id: int) -> Application:
    return scoring_service.get_application(db_session(), scope, application_id)


# -- scoring ----------------------------------------------------------------------------------


@bp.route("/<int:vacancy_id>/<stage>")
@with_scope
def stage(scope: Scope, stage: str):
    """A stage: applicants with the user's own sheet status, and links to score each."""
    session = db_session()
    scores = moderation_service.load_stage_scores(session, scope, stage)
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
    application = _application(scope, application_id)
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
            return redirect(
                url_for(
                    "vacancies.score_sheet",
                    vacancy_id=scope.vacancy.id,
                    stage=stage,
                    application_id=application.id,
                )
            )
    own = sheet_service.own_sheet(session, scope, application.id, stage)
    draft = draft_service.own_draft(session, scope, application.id, stage)
    if draft is not None and not values:
        values = draft_service.draft_values(draft)
    scores = moderation_service.load_stage_scores(session, scope, stage, application.id)
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
    sheet_url = url_for(
        "vacancies.score_sheet",
        vacancy_id=scope.vacancy.id,
        stage=stage,
        application_id=application_id,
    )
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
    sheet_url = url_for(
        "vacancies.score_sheet",
        vacancy_id=scope.vacancy.id,
        stage=stage,
        application_id=application_id,
    )
    on_refusal_go_to(sheet_url)
    draft_service.discard_draft(db_session(), scope, application_id, stage)
    flash(
        "Your unsubmitted scores are discarded.",
        "success",
    )
    return redirect(sheet_url)


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
    scores = moderation_service.load_stage_scores(session, scope, stage)
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
        label=lambda a: scoring_service.applicant_label(scope, a, stage),
        row_error=row_error,
    )


@bp.route("/<int:vacancy_id>/<stage>/ranking")
@with_scope
def ranking(scope: Scope, stage: str):
    """Ranking with the essential gate, ties, Disability Confident, overrides and decisions."""
    return _ranking_page(scope, stage)


def _ranking_page(scope: Scope, stage: str, row_error: dict | None = None) -> str:
    """The ranking page; `row_error` puts a refused decision's reason beside its form."""
    session = db_session()
    scores = moderation_service.load_stage_scores(session, scope, stage)
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


@bp.app_errorhandler(403)
def forbidden(_error):
    return render_template(
        "error.html", title="Not allowed", message="You do not have permission to do that."
    ), 403


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(  # a 200: the unit of work keeps the export's audit event
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# -- records ----------------------------------------------------------------------------------

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


def truncate(text: str, length: int) -> str:
    """The text cut at a word boundary to about `length` characters, with an ellipsis."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",;:") + "…"


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


# -- equal-opportunities monitoring (HR and administrators only) ------------------------------


@bp.route("/<int:vacancy_id>/equal-opportunities", methods=["GET", "POST"])
@with_scope
def equal_opportunities(scope: Scope):
    """Record applicants' monitoring answers apart from their applications; show only counts."""
    from ..models import EO_QUESTIONS
    from ..services import equal_opportunities as monitoring

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
