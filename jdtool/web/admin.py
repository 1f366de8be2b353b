"""Administrators' pages: the audit log and user accounts."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..errors import DomainError
from ..models import AUDIT_ACTIONS
from ..passwords import MIN_PASSWORD_LENGTH
from ..services.audit import list_events
from ..services.users import (
    ROLE_LABELS,
    add_user,
    change_role,
    list_users,
    reset_password,
    set_disabled,
)
from . import db_session
from .auth import roles_only
from .unit_of_work import on_refusal_go_to

bp = Blueprint("admin", __name__, url_prefix="/admin")


#: Signed-in administrators only; everyone else gets "Not allowed".
admins_only = roles_only("admin")


@bp.route("/audit")
@admins_only
def audit():
    """The audit log, newest first, filtered by action, person and date."""
    action = request.args.get("action", "")
    if action not in AUDIT_ACTIONS:
        action = ""
    actor = request.args.get("actor", "").strip()[:100]
    since_text = request.args.get("since", "")
    try:
        since = date.fromisoformat(since_text) if since_text else None
    except ValueError:
        since, since_text = None, ""
    page = request.args.get("page", 1, type=int) or 1
    events = list_events(
        db_session(),
        action=action or None,
        actor=actor or None,
        since=datetime.combine(since, datetime.min.time()) if since else None,
        page=page,
    )
    return render_template(
        "admin/audit.html",
        events=events,
        actions=AUDIT_ACTIONS,
        action=action,
        actor=actor,
        since=since_text,
    )


class UserForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter an email address.")])
    name = StringField("Full name", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=[SelectChoice(*pair) for pair in ROLE_LABELS.items()])
    password = PasswordField(
        "First password",
        description=f"At least {MIN_PASSWORD_LENGTH} characters; pass it on privately.",
        validators=[DataRequired("Enter a first password.")],
    )


class DisableForm(FlaskForm):
    email = HiddenField(validators=[DataRequired()])
    action = HiddenField(validators=[DataRequired()])


class ResetPasswordForm(FlaskForm):
    email = HiddenField(validators=[DataRequired()])


class RoleForm(FlaskForm):
    email = HiddenField(validators=[DataRequired()])
    role = SelectField("Role", choices=[SelectChoice(*pair) for pair in ROLE_LABELS.items()])


@bp.route("/users", methods=["GET", "POST"])
@admins_only
def users():
    """Every account with its role; add an account."""
    session = db_session()
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = add_user(
                session,
                form.email.data,
                form.password.data,
                name=form.name.data or None,
                role=form.role.data,
            )
        except DomainError as error:
            # Beside the field the message is about (a weak password beside the password).
            field = getattr(form, getattr(error, "field", "email"), form.email)
            field.errors.append(str(error))
        else:
            flash(f"Added {user.email} as {ROLE_LABELS[user.role]}.", "success")
            return redirect(url_for("admin.users"))
    return _users_page(form), (400 if form.errors else 200)


def _users_page(form=None, row_error: dict | None = None) -> str:
    """The accounts list; `row_error` puts a refused role or access change beside its row."""
    return render_template(
        "admin/users.html",
        users=list_users(db_session()),
        form=form or UserForm(formdata=None),
        role_labels=ROLE_LABELS,
        role_form=RoleForm(formdata=None),
        row_error=row_error,
    )


def _refused_on_users(email: str, form_name: str, message: str):
    """The accounts list with `message` beside the row's form (status 400: nothing is kept)."""
    row_error = {"email": (email or "").strip().lower(), "form": form_name, "message": message}
    return _users_page(row_error=row_error), 400


@bp.route("/users/access", methods=["POST"])
@admins_only
def set_user_access():
    """Disable an account (it cannot sign in; its sessions end) or enable it again."""
    from flask_login import current_user

    form = DisableForm()
    if form.validate_on_submit() and form.action.data in ("disable", "enable"):
        session = db_session()
        disable = form.action.data == "disable"
        try:
            user = set_disabled(session, form.email.data, disable, by=current_user)
        except DomainError as error:
            return _refused_on_users(form.email.data, "access", str(error))
        flash(f"{user.email} is {'disabled' if disable else 'enabled'}.", "success")
    else:
        return _refused_on_users(
            form.email.data, "access", "Choose an account to disable or enable."
        )
    return redirect(url_for("admin.users"))


@bp.route("/users/password", methods=["POST"])
@admins_only
def reset_user_password():
    """Give an account a one-time password, shown once in this response (never in the cookie
    session, where a flashed message would travel)."""
    from flask_login import current_user

    form = ResetPasswordForm()
    if not form.validate_on_submit():
        flash("Choose an account whose password to reset.", "error")
        return redirect(url_for("admin.users"))
    on_refusal_go_to(url_for("admin.users"))
    user, password = reset_password(db_session(), form.email.data, by=current_user)
    return render_template(
        "admin/one_time_password.html",
        email=user.email,
        password=password,
        reason="Their old password no longer works and they are signed out everywhere.",
        back=url_for("admin.users"),
        back_text="Back to users",
    )


@bp.route("/users/role", methods=["POST"])
@admins_only
def change_user_role():
    """Give one account another role."""
    form = RoleForm()
    if form.validate_on_submit():
        session = db_session()
        try:
            user = change_role(session, form.email.data, form.role.data)
        except DomainError as error:
            return _refused_on_users(form.email.data, "role", str(error))
        flash(f"{user.email} is now {ROLE_LABELS[user.role]}.", "success")
    else:
        return _refused_on_users(form.email.data, "role", "Choose one of the roles.")
    return redirect(url_for("admin.users"))
