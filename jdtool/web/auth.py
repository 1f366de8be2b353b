"""Signing in and out."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..models.people import MANAGING_ROLES
from ..services.users import authenticate
from . import db_session
from .forms import LoginForm

bp = Blueprint("auth", __name__)

WRONG_CREDENTIALS = "Email or password is not right."


def managers_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed-in HR, heads and administrators only; a panel account gets "Not allowed"."""

    @wraps(view)
    @login_required
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_user.role not in MANAGING_ROLES:
            abort(403)
        return view(*args, **kwargs)

    return guarded


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with email and password."""
    next_page = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(_local_path(next_page) or url_for("index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db_session(), form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(WRONG_CREDENTIALS)
        else:
            db_session().commit()  # authenticate may have upgraded the password hash
            login_user(user)
            return redirect(_local_path(next_page) or url_for("index"))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form, next_page=_local_path(next_page)), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (a POST, so another site cannot sign people out with a link)."""
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


def _local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site ("/jds?q=x"), otherwise None."""
    if not target or not target.startswith("/"):
        return None
    parts = urlsplit(target.replace("\\", "/"))
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return target
