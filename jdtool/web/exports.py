"""Word documents on the web: downloads, signed copies, and the advert form."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import PurePosixPath

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from markupsafe import Markup
from wtforms import FloatField, SelectField, StringField, TextAreaField
from wtforms.fields import DateField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..errors import DomainError, NotFound
from ..export.advert import advert_html_fragment
from ..pay import PayError, parse_paid_weeks
from ..services import adverts, exports
from ..services.documents import get_job_description
from ..services.organisations import organisation_statements
from ..services.web_queries import load_job_description_page
from . import db_session
from .auth import managers_only
from .unit_of_work import on_refusal_go_to

bp = Blueprint("exports", __name__, url_prefix="/jds")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class NumberField(FloatField):
    """A FloatField that shows 37 rather than 37.0."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:g}" if self.data is not None else ""


class SignedCopyForm(FlaskForm):
    postholder = StringField(
        "Postholder's name",
        description="The person who will sign the job description as its postholder.",
        validators=[
            DataRequired("Enter the postholder's name."),
            Length(max=200, message="The name must be at most 200 characters."),
        ],
    )


class LogoForm(FlaskForm):
    logo = FileField(
        "Organisation logo",
        description="A PNG or JPEG image of up to 1 MB, printed at the top of every Word document.",
        validators=[
            FileRequired("Choose an image file."),
            FileAllowed(["png", "jpg", "jpeg"], "The logo must be a PNG or JPEG image."),
        ],
    )


class RecordSignedForm(FlaskForm):
    signed_on = DateField("Date signed", validators=[DataRequired("Enter the date it was signed.")])
    signed_by = StringField(
        "Signed by",
        description="Everyone who signed, e.g. “Jo Bloggs and Pat Head”.",
        validators=[DataRequired("Enter who signed it."), Length(max=300)],
    )


class AdvertForm(FlaskForm):
    closing_date = DateField("Closing date", validators=[Optional()])
    interview_date = DateField("Interview date", validators=[Optional()])
    start_date = StringField(
        "Start date", description="As you want it written, e.g. “1 September 2026”.",
        validators=[Length(max=100)],
    )  # fmt: skip
    how_to_apply = TextAreaField("How to apply")
    contact = StringField("Contact for questions", description="Name, email or phone number.")
    safeguarding_statement = TextAreaField("Safeguarding and enhanced DBS statement")
    online_search_statement = TextAreaField("Online search statement")
    equality_statement = TextAreaField("Equality statement")
    right_to_work_statement = TextAreaField("Right to work statement")
    full_time_hours = NumberField(
        "Full-time hours a week",
        validators=[
            InputRequired("Enter the full-time hours, usually 37."),
            NumberRange(min=1, max=48, message="Full-time hours must be between 1 and 48."),
        ],
    )
    weeks_in_year = SelectField(
        "Weeks in a year (divisor)",
        choices=["52.143", "52"],
        coerce=float,
    )
    leave_days = NumberField(
        "Leave days a year",
        description="Annual leave plus bank holidays of a full-time, all-year worker.",
        validators=[
            InputRequired("Enter the leave days, e.g. 35."),
            NumberRange(min=0, max=100, message="Leave days must be between 0 and 100."),
        ],
    )
    paid_weeks = StringField(
        "Paid weeks (if your employer states them)",
        description="Such as 45.05, or a fraction of the year such as 447/522. Leave blank to "
        "work them out from the weeks, INSET days and leave.",
    )

    def __init__(self, *args, stored_closing_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        #: The closing date already saved: it may have passed since, and still be kept.
        self.stored_closing_date = stored_closing_date

    def validate_closing_date(self, field) -> None:
        if field.data and field.data != self.stored_closing_date and field.data < date.today():
            raise ValidationError("The closing date is in the past; choose a later date.")

    def validate_interview_date(self, field) -> None:
        if field.data and self.closing_date.data and field.data < self.closing_date.data:
            raise ValidationError("The interview date must be on or after the closing date.")

    def validate_paid_weeks(self, field) -> None:
        try:
            parse_paid_weeks(field.data or "")
        except PayError as error:
            raise ValidationError(str(error)) from None


@bp.app_template_global()
def export_panel(job_description_id: int) -> exports.ExportPanel:
    """Signed copies, downloads and writing checks for the JD page's Word-documents block."""
    return exports.export_panel(db_session(), job_description_id)


@bp.app_template_global()
def new_signed_copy_form() -> SignedCopyForm:
    return SignedCopyForm(formdata=None)


@bp.app_template_global()
def new_logo_form() -> LogoForm:
    return LogoForm(formdata=None)


@bp.app_template_global()
def new_record_signed_form(signed_copy_id: int) -> RecordSignedForm:
    return RecordSignedForm(formdata=None, prefix=_record_prefix(signed_copy_id))


def _record_prefix(signed_copy_id: int) -> str:
    """Each signed copy's row has its own form; the prefix keeps the field ids apart."""
    return f"copy-{signed_copy_id}"


@bp.route("/<int:job_description_id>/export/job-description.docx")
@login_required
def download_job_description(job_description_id: int):
    """The JD + person spec of the newest approved version."""
    on_refusal_go_to(url_for("documents.show", job_description_id=job_description_id))
    exported = exports.export_job_description(db_session(), job_description_id)
    return _attachment(exported.content, exported.filename, DOCX)


@bp.route("/<int:job_description_id>/signed-copies", methods=["POST"])
@managers_only
def produce_signed_copy(job_description_id: int):
    """Produce and keep a signed copy for the postholder named in the form."""
    form = SignedCopyForm()
    if form.validate_on_submit():
        try:
            signed_copy = exports.produce_signed_copy(
                db_session(), job_description_id, form.postholder.data, current_user
            )
        except NotFound:
            raise
        except DomainError as error:
            form.postholder.errors.append(str(error))
        else:
            flash(
                f"Signed copy for {signed_copy.postholder} produced from version "
                f"{signed_copy.version_number} (SHA-256 {signed_copy.sha256[:12]}).",
                "success",
            )
            return redirect(_signed_copies_url(job_description_id))
    return _job_description_page(job_description_id, signed_copy_form=form)


@bp.route("/<int:job_description_id>/logo", methods=["POST"])
@managers_only
def upload_logo(job_description_id: int):
    """Store the logo of the job description's organisation."""
    form = LogoForm()
    if form.validate_on_submit():
        upload = form.logo.data
        filename = PurePosixPath(upload.filename.replace("\\", "/")).name
        try:
            exports.set_organisation_logo(
                db_session(), job_description_id, filename, upload.read(), current_user
            )
        except NotFound:
            raise
        except DomainError as error:
            form.logo.errors.append(str(error))
        else:
            flash(f"Logo {filename} saved; it is printed on new Word documents.", "success")
            return redirect(
                url_for("documents.show", job_description_id=job_description_id) + "#logo"
            )
    return _job_description_page(job_description_id, logo_form=form)


@bp.route("/<int:job_description_id>/signed-copies/<int:signed_copy_id>.docx")
@managers_only
def download_signed_copy(job_description_id: int, signed_copy_id: int):
    """The signed copy's stored bytes, exactly as produced."""
    signed_copy = _signed_copy_or_404(job_description_id, signed_copy_id)
    return _attachment(signed_copy.content, signed_copy.filename, DOCX)


@bp.route("/<int:job_description_id>/signed-copies/<int:signed_copy_id>/signed", methods=["POST"])
@managers_only
def record_signed(job_description_id: int, signed_copy_id: int):
    """Record that a signed copy has been signed: when and by whom."""
    if current_user.role not in exports.RECORDING_ROLES:
        abort(403)  # heads (and administrators) record signatures
    _signed_copy_or_404(job_description_id, signed_copy_id)
    form = RecordSignedForm(prefix=_record_prefix(signed_copy_id))
    if form.validate_on_submit():
        try:
            exports.record_signed(
                db_session(), signed_copy_id, form.signed_on.data, form.signed_by.data, current_user
            )
        except DomainError as error:
            form.signed_on.errors.append(str(error))
        else:
            flash("Recorded as signed.", "success")
            return redirect(_signed_copies_url(job_description_id))
    return _job_description_page(
        job_description_id, record_signed_form=form, record_signed_id=signed_copy_id
    )


@bp.route("/<int:job_description_id>/advert", methods=["GET", "POST"])
@managers_only
def advert(job_description_id: int):
    """The advert-only facts, a preview of the advert, its writing checks and downloads."""
    session = db_session()
    details = adverts.advert_details(session, job_description_id)
    form = AdvertForm(obj=details, stored_closing_date=details.closing_date)
    if form.validate_on_submit():
        changes = {name: form[name].data for name in adverts.EDITABLE_FIELDS}
        try:
            adverts.save_advert_details(session, job_description_id, **changes)
        except adverts.ClosingDateInPast as error:
            form.closing_date.errors.append(str(error))
        except DomainError as error:
            form.form_errors.append(str(error))
        else:
            flash("Advert details saved.", "success")
            return redirect(url_for("exports.advert", job_description_id=job_description_id))
    try:
        composed = adverts.compose_advert(session, job_description_id)
        problem = None
    except DomainError as error:
        composed, problem = None, str(error)
    job_description = get_job_description(session, job_description_id)
    return render_template(
        "exports/advert.html",
        form=form,
        job_description=job_description,
        composed=composed,
        preview=Markup(advert_html_fragment(composed.advert)) if composed else None,
        rules_from_organisation=adverts.rules_from_organisation(job_description.current),
        statements_from_organisation=[
            heading for _field, heading, _text in organisation_statements(job_description.current)
        ],
        problem=problem,
    ), (400 if form.errors else 200)


@bp.route("/<int:job_description_id>/advert.<any(docx, txt, html):kind>")
@login_required
def download_advert(job_description_id: int, kind: str):
    on_refusal_go_to(url_for("exports.advert", job_description_id=job_description_id))
    exported = adverts.export_advert(db_session(), job_description_id, kind)
    return _attachment(exported.content, exported.filename, adverts.FORMATS[kind])


def _attachment(content: bytes, filename: str, mimetype: str):
    return send_file(
        BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=filename
    )


def _signed_copy_or_404(job_description_id: int, signed_copy_id: int):
    signed_copy = exports.get_signed_copy(db_session(), signed_copy_id)
    if signed_copy.job_description_id != job_description_id:
        abort(404, description=f"There is no signed copy with ID {signed_copy_id}.")
    return signed_copy


def _signed_copies_url(job_description_id: int) -> str:
    return url_for("documents.show", job_description_id=job_description_id) + "#signed-copies"


def _job_description_page(job_description_id: int, **forms):
    """The JD page again, with a form that did not validate (errors beside its fields)."""
    page = load_job_description_page(db_session(), job_description_id)
    return render_template("documents/show.html", page=page, version=page.version, **forms), 400
