"""The web app: one database session and unit of work per request, login, CSRF, blueprints."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter

from ..db import make_engine, make_session_factory, upgrade_database
from ..services.audit import set_actor
from ..services.change_marks import watch_scoring_changes

csrf = CSRFProtect()


class DatabaseIdConverter(IntegerConverter):
    """An ID in an address fits the database's integer columns; a longer number is simply not
    a page (404), rather than an error from the database."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False) -> None:
        super().__init__(url_map, fixed_digits, min, max, signed)


login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."


def init_web(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    upgrade_database(engine)
    app.extensions["jdtool_engine"] = engine
    sessions = make_session_factory(engine)
    watch_scoring_changes(sessions)  # the per-worker scoring pages know when to rebuild
    app.extensions["jdtool_sessions"] = sessions
    app.teardown_appcontext(_close_session)

    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        # Behind nginx or a load balancer: take the client's address (sign-in limits, the audit
        # log) and https from the headers that many trusted proxies set, and no more.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    csrf.init_app(app)
    login_manager.init_app(app)
    app.after_request(_security_headers)
    # Before any route is added: every <int:...> in an address is a database ID.
    app.url_map.converters["int"] = DatabaseIdConverter

    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .documents import bp as documents_bp
    from .documents import index
    from .exports import bp as exports_bp
    from .library import bp as library_bp
    from .organisations import bp as organisations_bp
    from .personal_data import bp as personal_data_bp
    from .questions import bp as questions_bp
    from .vacancies import bp as vacancies_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(vacancies_bp)
    app.register_blueprint(questions_bp)
    app.register_blueprint(library_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(personal_data_bp)
    app.add_url_rule("/", endpoint="index", view_func=index)
    app.add_url_rule("/healthz", endpoint="healthz", view_func=_healthz)
    app.context_processor(_roles)
    from sqlalchemy.exc import IntegrityError

    app.register_error_handler(IntegrityError, _already_saved)
    app.after_request(_no_content_sniffing)
    from .unit_of_work import init_unit_of_work

    init_unit_of_work(app)  # last: wraps every view registered above


def _no_content_sniffing(response):
    """Browsers must take every response (pages, Word files, uploaded forms) as the type we
    send, never guess one from the bytes (an upload that is really HTML must not run)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def _security_headers(response):
    """Every response: no sniffing, no framing, a content security policy, short referrers."""
    from ..config import SECURITY_HEADERS

    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        # Pages, CSV files and downloaded forms can hold applicants' personal data: no browser
        # or proxy keeps a copy (downloads would otherwise say "no-cache", which stores).
        response.headers["Cache-Control"] = "no-store"
    return response


#: Shown when a form's change collides with one just made (usually the same form sent twice).
ALREADY_SAVED = (
    "That was already saved (the form may have been sent twice); this page shows what is saved now."
)


def _already_saved(error):
    """A form sent twice at once: the second loses a unique-constraint race in the database.
    Nothing of it is kept; the user goes back to the page they were on, with one line."""
    from flask import flash, redirect, session, url_for
    from werkzeug.exceptions import InternalServerError

    from .unit_of_work import back_to_form

    db_session().rollback()
    if request.method != "POST":
        return InternalServerError(original_exception=error)
    session.pop("_flashes", None)  # a success message the view gave before the commit failed
    flash(ALREADY_SAVED, "error")
    return redirect(back_to_form() or url_for("index"), 303)


def _roles() -> dict[str, bool]:
    """`can_manage`: the signed-in user may change documents (pages hide controls otherwise)."""
    from flask_login import current_user

    from ..models.people import MANAGING_ROLES

    return {"can_manage": current_user.is_authenticated and current_user.role in MANAGING_ROLES}


def _healthz():
    """For load balancers and monitoring: 200 when this server process can reach the database,
    503 otherwise; names the process that answered. Needs no sign-in and shows no data."""
    import os

    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        db_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return {"status": "error", "database": "unreachable", "worker": os.getpid()}, 503
    return {"status": "ok", "database": "ok", "worker": os.getpid()}


def db_session() -> Session:
    """The request's database session (opened on first use, closed at teardown)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["jdtool_sessions"]()
        set_actor(g.db_session, _signed_in_user, request.remote_addr)
    return g.db_session


def _signed_in_user():
    """The user the audit log names for this request (None before sign-in)."""
    from flask_login import current_user

    return current_user._get_current_object() if current_user.is_authenticated else None


def _close_session(_error: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@login_manager.user_loader
def _load_user(user_id: str):
    from ..models import User

    # The cookie holds "ID:session version"; an older version (signed out, password changed,
    # account disabled) or any other shape is no session at all.
    identifier, _, version = user_id.partition(":")
    if not (identifier.isdigit() and version.isdigit()):
        return None
    user = db_session().get(User, int(identifier))
    if user is None or user.disabled_at is not None or user.session_version != int(version):
        return None
    return user
