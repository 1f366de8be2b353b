"""Signing in and out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import DomainError
from ..models.people import MANAGING_ROLES, utcnow
from ..services.audit import record_event
from ..services.users import (
    SignInLimits,
    TooManySignIns,
    WrongCurrentPassword,
    end_sessions,
    sign_in,
)
from ..services.users import (
    change_password as change_own_password,
)
from . import db_session
from .forms import LoginForm, PasswordForm
from .unit_of_work import keep_changes

bp = Blueprint("auth", __name__)

WRONG_CREDENTIALS = "Email or password is not right."


def roles_only(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view for signed-in users with one of `roles`; anyone else signed in gets "Not allowed"
    (403), and a visitor is sent to sign in."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


#: Signed-in HR, heads and administrators only; a panel account gets "Not allowed".
managers_only = roles_only(*MANAGING_ROLES)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with email and password."""
    next_page = request.args.get("next")
    if next_page is not None and _local_path(next_page) is None:
        abort(400)  # another site, a scheme or a line break: never somewhere to send anyone
    if current_user.is_authenticated:
        return redirect(_local_path(next_page) or url_for("index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        session = db_session()
        try:
            user = sign_in(
                session,
                form.email.data,
                form.password.data,
                request.remote_addr,
                _sign_in_limits(),
                now=_sign_in_now(),
            )
        except TooManySignIns as error:  # nothing counted: the password was not checked
            form.form_errors.append(str(error))
            page = render_template("auth/login.html", form=form, next_page=_local_path(next_page))
            return _wait_before_trying_again(page, error)
        else:
            if user is not None:  # logged; a password hash may have been upgraded
                login_user(user)
                _new_csrf_token()
                if user.must_change_password:
                    return redirect(url_for("auth.change_password"))
                return redirect(_local_path(next_page) or _landing_page(user))
            form.form_errors.append(WRONG_CREDENTIALS)
            keep_changes()  # the failure counts towards the limits although the answer is 400
    if status == 200 and form.errors:
        status = 400
    return render_template("auth/login.html", form=form, next_page=_local_path(next_page)), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (a POST, so another site cannot sign people out with a link)."""
    session = db_session()
    record_event(session, "logout", current_user.email)
    end_sessions(session, current_user)  # a copied cookie stops working too
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change your own password; your other sessions end, this one continues."""
    form = PasswordForm()
    if form.validate_on_submit():
        session = db_session()
        user = current_user._get_current_object()
        try:
            change_own_password(
                session,
                user,
                form.current_password.data,
                form.new_password.data,
                request.remote_addr,
                _sign_in_limits(),
                now=_sign_in_now(),
            )
        except TooManySignIns as error:  # nothing counted: the password was not checked
            form.current_password.errors.append(str(error))
            page = render_template("auth/password.html", form=form)
            return _wait_before_trying_again(page, error)
        except WrongCurrentPassword as error:
            form.current_password.errors.append(str(error))
            keep_changes()  # the failure counts towards the limits although the answer is 400
        except DomainError as error:
            form.new_password.errors.append(str(error))
        else:
            login_user(user)  # this browser's cookie carries the new session version
            _new_csrf_token()
            flash("Your password is changed; you are signed out everywhere else.", "success")
            return redirect(url_for("index"))
    return render_template("auth/password.html", form=form), (400 if form.errors else 200)


def _landing_page(user) -> str:
    """Panel members start at "Your scoring"; everyone else at the job descriptions."""
    if user.role not in MANAGING_ROLES:
        return url_for("vacancies.scoring")
    return url_for("index")


def _new_csrf_token() -> None:
    """A new CSRF token after signing in: one planted before sign-in is no longer valid. It is
    made now, so the sign-in response's cookie carries it (pages opened at once afterwards all
    share it, rather than each making its own)."""
    from flask import g
    from flask import session as cookie
    from flask_wtf.csrf import generate_csrf

    cookie.pop("csrf_token", None)
    g.pop("csrf_token", None)
    generate_csrf()


@bp.before_app_request
def _one_time_password_changed_first():
    """Someone signed in with a one-time password an administrator gave them chooses their own
    before anything else (they may still sign out)."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in ("auth.change_password", "auth.logout", "static")
    ):
        return redirect(url_for("auth.change_password"))
    return None


def _sign_in_now() -> datetime:
    # SIGN_IN_CLOCK: a function giving the time, set by tests to move time on.
    return (current_app.config.get("SIGN_IN_CLOCK") or utcnow)()


def _wait_before_trying_again(page: str, error: TooManySignIns) -> Response:
    """The refused page, 429 with how long to wait (the password was not checked)."""
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(max(1, int(error.wait.total_seconds())))
    return response


def _sign_in_limits() -> SignInLimits:
    config = current_app.config
    return SignInLimits(
        per_account=config["LOGIN_FAILURES_PER_ACCOUNT"],
        per_address=config["LOGIN_FAILURES_PER_ADDRESS"],
        first_delay=timedelta(seconds=config["LOGIN_FIRST_DELAY_SECONDS"]),
        longest_delay=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
    )


def _local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site ("/jds?q=x"), otherwise None."""
    if not target or not target.startswith("/"):
        return None
    if any(ord(character) < 32 or ord(character) == 127 for character in target):
        return None  # a line break would split the redirect's headers
    parts = urlsplit(target.replace("\\", "/"))
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return target
