"""Organisations on the web: list the schools and trusts, add one, edit one and its logo."""

from __future__ import annotations

from pathlib import PurePosixPath

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..errors import DomainError
from ..pay import PayError, parse_paid_weeks
from ..services import organisations
from . import db_session
from .auth import roles_only
from .exports import NumberField

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
organisers_only = roles_only(*organisations.ORGANISATION_ROLES)


class OrganisationForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired("Enter the organisation's name."), Length(max=300)],
    )
    kind = SelectField(
        "Kind",
        choices=[
            SelectChoice("school", "School"),
            SelectChoice("trust", "Trust, council or other employer"),
        ],
    )
    parent = SelectField("Belongs to the trust", description="For a school in a trust.", choices=[])
    address = TextAreaField("Address")
    contact = StringField("Contact for applicants", description="Name, email or phone number.")
    safeguarding_statement = TextAreaField("Safeguarding and enhanced DBS statement")
    online_search_statement = TextAreaField("Online search statement")
    equality_statement = TextAreaField("Equality statement")
    right_to_work_statement = TextAreaField("Right to work statement")
    full_time_hours = NumberField(
        "Full-time hours a week",
        description="Leave blank to use the trust's rule, or the advert's setting.",
        validators=[
            Optional(),
            NumberRange(min=1, max=48, message="Full-time hours must be between 1 and 48."),
        ],
    )
    weeks_divisor = SelectField(
        "Weeks in a year (divisor)",
        choices=[SelectChoice("", "Not set"), SelectChoice("52.143"), SelectChoice("52")],
    )
    leave_days = NumberField(
        "Leave days a year",
        description="Annual leave plus bank holidays of a full-time, all-year worker.",
        validators=[
            Optional(),
            NumberRange(min=0, max=100, message="Leave days must be between 0 and 100."),
        ],
    )
    paid_weeks = StringField(
        "Paid weeks",
        description="If you state them: such as 45.05, or a fraction of the year such as 447/522.",
    )
    logo = FileField(
        "Logo",
        description="A PNG or JPEG image of up to 1 MB and 4,000 × 4,000 pixels, printed at the "
        "top of every Word document.",
        validators=[FileAllowed(["png", "jpg", "jpeg"], "The logo must be a PNG or JPEG image.")],
    )

    def __init__(self, *args, trusts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parent.choices = [SelectChoice("", "No trust")] + [
            SelectChoice(str(trust.id), trust.name) for trust in trusts
        ]

    def validate_paid_weeks(self, field) -> None:
        try:
            parse_paid_weeks(field.data or "")
        except PayError as error:
            raise ValidationError(str(error)) from None

    def changes(self) -> dict:
        fields = {
            name: self[name].data
            for name in organisations.EDITABLE_FIELDS
            if name in self and name != "weeks_divisor"
        }
        fields["weeks_divisor"] = (
            float(self.weeks_divisor.data) if self.weeks_divisor.data else None
        )
        return fields


@bp.route("/")
@organisers_only
def index():
    return render_template(
        "organisations/index.html", listings=organisations.list_organisations(db_session())
    )


@bp.route("/new", methods=["GET", "POST"])
@organisers_only
def add():
    session = db_session()
    form = OrganisationForm(trusts=_trusts(session))
    if form.validate_on_submit():
        try:
            fields = form.changes()
            organisation = organisations.add_organisation(
                session,
                fields.pop("name"),
                kind=form.kind.data,
                parent=form.parent.data or None,
                user=current_user,
                **fields,
            )
            _save_logo(session, form, organisation.id)
        except DomainError as error:
            _place_error(form, error)
        else:
            flash(f"{organisation.name} added.", "success")
            return redirect(url_for("organisations.index"))
    return render_template("organisations/edit.html", form=form, organisation=None), (
        400 if form.errors else 200
    )


@bp.route("/<int:organisation_id>", methods=["GET", "POST"])
@organisers_only
def edit(organisation_id: int):
    session = db_session()
    organisation = organisations.get_organisation(session, organisation_id)
    trusts = [t for t in _trusts(session) if t.id != organisation.id]
    form = OrganisationForm(obj=organisation, trusts=trusts)
    if not form.is_submitted():
        form.parent.data = str(organisation.parent_id or "")
        form.weeks_divisor.data = (
            f"{organisation.weeks_divisor:g}" if organisation.weeks_divisor else ""
        )
    if form.validate_on_submit():
        try:
            organisations.update_organisation(
                session,
                organisation_id,
                kind=form.kind.data,
                parent=form.parent.data or "",
                user=current_user,
                **form.changes(),
            )
            if not form.parent.data:
                organisation.parent = None
            _save_logo(session, form, organisation_id)
        except DomainError as error:
            _place_error(form, error)
        else:
            flash(f"{organisation.name} saved.", "success")
            return redirect(url_for("organisations.index"))
    return render_template("organisations/edit.html", form=form, organisation=organisation), (
        400 if form.errors else 200
    )


def _trusts(session):
    return [o for o in organisations.organisation_choices(session) if o.kind == "trust"]


def _save_logo(session, form: OrganisationForm, organisation_id: int) -> None:
    upload = form.logo.data
    if not upload or not getattr(upload, "filename", ""):
        return
    filename = PurePosixPath(upload.filename.replace("\\", "/")).name
    try:
        organisations.set_logo(session, organisation_id, filename, upload.read(), current_user)
    except DomainError as error:
        raise LogoError(str(error)) from None


class LogoError(DomainError):
    """The uploaded logo was refused (shown beside the logo field)."""


def _place_error(form: OrganisationForm, error: DomainError) -> None:
    """Show the error beside the field it is about."""
    message = str(error)
    if isinstance(error, LogoError):
        form.logo.errors = [*form.logo.errors, message]
    elif "already an organisation" in message or "name" in message.split(":")[0].lower():
        form.name.errors = [*form.name.errors, message]
    elif "trust" in message and "belong" in message:
        form.parent.errors = [*form.parent.errors, message]
    else:
        form.form_errors.append(message)
