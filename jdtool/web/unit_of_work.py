"""One unit of work per request, and user errors shown where the user is.

Every view runs inside `unit_of_work`: when it returns a page or a redirect (status below 400)
the request's database session is committed; when it returns an error page (400 and above) or
raises, it is rolled back. Views never commit or roll back themselves.

A user error (`jdtool.errors.UserError`) a view does not handle itself is answered here: a
request whose view named a page to go to on refusal (`on_refusal_go_to`) goes there, and any
other refused form (POST) back to the page the form was on, with the message at the top (a form
about something gone — sent twice, say — too, when its view named the page); otherwise "not
found" is a 404 page, "not allowed" a 403 page, anything else a 400 page.
Views that show the error beside a form field catch it and return the form with status 400.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..errors import Forbidden, NotFound, UserError


def init_unit_of_work(app: Flask) -> None:
    """Wrap every view registered so far (call after the blueprints are registered)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = unit_of_work(view)
    app.register_error_handler(UserError, _user_error)


def unit_of_work(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            result = view(*args, **kwargs)
        except BaseException:
            _finish(commit=False)
            raise
        _finish(commit=_status(result) < 400 or g.pop("keep_changes", False))
        return result

    return run


def keep_changes() -> None:
    """Commit this request's changes although its answer is an error (a refused sign-in still
    counts towards the account's limit)."""
    g.keep_changes = True


def on_refusal_go_to(url: str) -> None:
    """Where this request goes, with the message at the top, when a user error refuses it
    (default: a refused form goes back to the page it was on; a page shows the error)."""
    g.refusal_url = url


def _finish(*, commit: bool) -> None:
    session = g.get("db_session")
    if session is None:
        return
    if commit:
        session.commit()
    else:
        session.rollback()


def _status(result: Any) -> int:
    """The status code of what a view returned (a response, a page, or a tuple with a status)."""
    if isinstance(result, Response):
        return result.status_code
    if isinstance(result, tuple):
        for item in result[1:]:
            if isinstance(item, int):
                return item
        if result and isinstance(result[0], Response):
            return result[0].status_code
    return 200


def _user_error(error: UserError):
    _finish(commit=False)
    refusal_url = g.get("refusal_url")
    if isinstance(error, NotFound) and not (refusal_url and request.method == "POST"):
        return render_template("error.html", title="Page not found", message=str(error)), 404
    if refusal_url or request.method == "POST":
        flash(str(error), "error")
        target = refusal_url or back_to_form() or url_for("index")
        return redirect(target, 303 if request.method == "POST" else 302)
    if isinstance(error, Forbidden):
        return render_template("error.html", title="Not allowed", message=str(error)), 403
    return render_template("error.html", title="That cannot be done", message=str(error)), 400


def back_to_form() -> str:
    """The page the submitted form was on, when it is one of ours; else ""."""
    back = urlsplit(request.referrer or "")
    same_site = (
        back.netloc in ("", request.host)
        and back.path.startswith("/")
        and not back.path.startswith(("//", "/\\"))
    )
    return back.path + (f"?{back.query}" if back.query else "") if same_site else ""
