"""Job descriptions: the list, one JD with its person specification, import, approval, new
versions and editing a draft."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as PageNotFound

from ..document_content import ContentProblem, InvalidContent, apply_action
from ..errors import DomainError
from ..import_review import place_findings
from ..importing import UnreadableDocument
from ..importing.file_types import display_filename
from ..models import JobDescriptionVersion
from ..services.approval import approve_job_description, review_for_approval
from ..services.documents import import_document, start_new_version
from ..services.drafts import SCHOOL_TIME, StaleDraft, edit_draft, open_draft_editor
from ..services.web_queries import load_job_description_page, summarise_job_descriptions
from . import db_session
from .auth import managers_only
from .draft_editor import content_from_form, focus_after, without_blank_rows
from .forms import MAX_FILE_MB, ImportForm
from .unit_of_work import on_refusal_go_to

bp = Blueprint("documents", __name__, url_prefix="/jds")

#: How a salary's figures are to be read, in the words the page uses.
SALARY_BASES = {
    "fte": "(full-time equivalent)",
    "actual": "(actual salary)",
    "hourly": "per hour",
}
TOO_LARGE = f"The file is larger than the {MAX_FILE_MB} MB limit."


@bp.route("")
@login_required
def index():
    """List job descriptions, optionally only those matching a search."""
    search = request.args.get("q", "").strip()
    summaries = summarise_job_descriptions(db_session(), search)
    return render_template("documents/index.html", summaries=summaries, search=search)


@bp.route("/<int:job_description_id>")
@login_required
def show(job_description_id: int):
    """One job description and its person specification."""
    page = load_job_description_page(db_session(), job_description_id)
    return render_template("documents/show.html", page=page, version=page.version)


@bp.route("/<int:job_description_id>/approve", methods=["GET", "POST"])
@managers_only
def approve(job_description_id: int):
    """Every check on the draft, each with a link to fix it; approve once the blocking ones are
    fixed and the rest acknowledged. The form carries the edit stamp the page showed."""
    review = review_for_approval(db_session(), job_description_id)
    if review.version.status != "draft":
        flash(f"Version {review.version.number} is already approved.", "info")
        return redirect(url_for("documents.show", job_description_id=job_description_id))
    if request.method == "GET":
        return render_template("documents/approve.html", review=review, acknowledged=())
    stamp = request.form.get("edit_stamp", "")
    acknowledged = request.form.getlist("acknowledge")
    status = 400
    try:
        if not stamp.isdigit():
            raise DomainError(INCOMPLETE_FORM)
        version = approve_job_description(
            db_session(),
            job_description_id,
            current_user,
            seen_stamp=int(stamp),
            acknowledged=acknowledged,
        )
    except DomainError as error:
        if isinstance(error, StaleDraft):
            status, acknowledged = 409, []  # the draft changed: read the checks again
        if review.version.status != "draft":  # approved meanwhile by someone else
            flash(str(error), "error")
            return redirect(url_for("documents.show", job_description_id=job_description_id))
        review = review_for_approval(db_session(), job_description_id)
        return render_template(
            "documents/approve.html", review=review, acknowledged=acknowledged, error=str(error)
        ), status
    flash(
        f"Approved version {version.number}. Content hash: {version.content_hash[:12]}.",
        "success",
    )
    return redirect(url_for("documents.show", job_description_id=job_description_id))


@bp.route("/import", methods=["GET", "POST"])
@managers_only
def import_file():
    """Upload a Word or text job description and store it as a draft."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.document.data
        # Some browsers send the whole path of the file, others a crafted one: keep a safe name.
        filename = display_filename(upload.filename or "")
        try:
            job_description = import_document(db_session(), filename, upload.read())
        except UnreadableDocument as error:
            form.document.errors.append(f"{filename}: {error}")
        else:
            version = job_description.current
            if version.needs_review:
                flash(
                    f"Imported {version.title}: "
                    f"{_count(len(version.duties()), 'duty', 'duties')}, "
                    f"{_count(len(version.criteria()), 'criterion', 'criteria')}. jdtool was "
                    "unsure about parts of it: check each point below, fix what is wrong, then "
                    "accept it.",
                    "info",
                )
                return redirect(url_for("documents.review", job_description_id=job_description.id))
            flash(
                f"Imported {version.title}: {_count(len(version.duties()), 'duty', 'duties')}, "
                f"{_count(len(version.criteria()), 'criterion', 'criteria')}.",
                "success",
            )
            return redirect(url_for("documents.show", job_description_id=job_description.id))
    status = 400 if form.errors else 200
    return render_template("documents/import.html", form=form), status


@bp.route("/<int:job_description_id>/new-version", methods=["POST"])
@managers_only
def new_version(job_description_id: int):
    """Copy the approved version into a new draft, and open it for editing."""
    on_refusal_go_to(url_for("documents.show", job_description_id=job_description_id))
    draft = start_new_version(db_session(), job_description_id, current_user)
    flash(f"Started version {draft.number} as a draft.", "success")
    return redirect(url_for("documents.edit", job_description_id=job_description_id))


@bp.route("/<int:job_description_id>/edit", methods=["GET", "POST"])
@managers_only
def edit(job_description_id: int):
    """Edit every part of the draft. The add, delete and move buttons come back with the change
    applied (nothing saved); Save is compare-and-set on the edit stamp the page was loaded at."""
    return _draft_editor(job_description_id, review=False)


@bp.route("/<int:job_description_id>/review", methods=["GET", "POST"])
@managers_only
def review(job_description_id: int):
    """The editor for an import that needs review, with each of the importer's findings beside
    the part it concerns; Accept saves the page and clears "needs review"."""
    return _draft_editor(job_description_id, review=True)


def _draft_editor(job_description_id: int, *, review: bool):
    on_refusal_go_to(url_for("documents.show", job_description_id=job_description_id))
    editor = open_draft_editor(db_session(), job_description_id)
    if review != editor.version.needs_review and request.method == "GET":
        # An import awaiting review is edited on the review page, and only there.
        endpoint = "documents.review" if editor.version.needs_review else "documents.edit"
        return redirect(url_for(endpoint, job_description_id=job_description_id))
    if request.method == "GET":
        return _editor_page(editor, editor.content, editor.version.edit_stamp, review=review)
    stamp = request.form.get("edit_stamp", "")
    content = content_from_form(request.form)
    action = request.form.get("action", "save")
    if not stamp.isdigit():
        problem = ContentProblem("edit_stamp", INCOMPLETE_FORM)
        return _editor_page(editor, content, stamp, [problem], status=400, review=review)
    if action.startswith("offer-statement-"):
        # A standard statement of the school or trust, offered because the draft lacks it.
        index = action.removeprefix("offer-statement-")
        if index.isdigit() and int(index) < len(editor.offered_statements):
            content["statements"].append(editor.offered_statements[int(index)])
        focus = f"statements-{len(content['statements']) - 1}"
        return _editor_page(editor, content, stamp, focus=focus, review=review)
    if action not in ("save", "accept"):
        content = apply_action(content, action)
        focus = focus_after(action, content)
        return _editor_page(editor, content, stamp, focus=focus, review=review)
    content = without_blank_rows(content)
    accept = review and action == "accept"
    try:
        edit_draft(
            db_session(),
            job_description_id,
            content,
            int(stamp),
            current_user,
            accept_review=accept,
        )
    except InvalidContent as error:
        return _editor_page(editor, content, stamp, error.problems, status=400, review=review)
    except StaleDraft as error:
        problem = ContentProblem("edit_stamp", str(error))
        return _editor_page(
            editor, content, stamp, [problem], status=409, stale=True, review=review
        )
    if accept:
        flash("Accepted the import: its text is now in the clause library.", "success")
    elif review:
        flash("Saved the draft. It still needs review: accept it when every part is right.", "info")
        return redirect(url_for("documents.review", job_description_id=job_description_id))
    else:
        flash("Saved the draft.", "success")
    return redirect(url_for("documents.show", job_description_id=job_description_id))


#: A form without its edit stamp: cut short, or not sent by this page.
INCOMPLETE_FORM = "The form was incomplete. Reload the page and try again."


def _editor_page(
    editor, content, stamp, problems=(), *, status=200, focus=None, stale=False, review=False
):
    errors: dict[str, str] = {}
    for problem in problems:
        errors.setdefault(problem.field, problem.message)
    findings = place_findings(content, editor.findings) if review else []
    notes: dict[str, list] = {}
    for finding in findings:
        notes.setdefault(finding.field, []).append(finding)
    return render_template(
        "documents/edit.html",
        version=editor.version,
        methods=editor.methods,
        content=content,
        organisations=editor.organisations,
        offered_statements=editor.offered_statements,
        edit_stamp=stamp,
        problems=problems,
        errors=errors,
        focus=focus,
        stale=stale,
        review=review,
        findings=findings,
        notes=notes,
    ), status


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


@bp.app_errorhandler(404)
def page_not_found(error: HTTPException):
    """A friendly page for an unknown address or job description."""
    description = error.description if error.description != PageNotFound.description else None
    return render_template(
        "error.html",
        title="Page not found",
        message=description or "There is no page at this address.",
    ), 404


@bp.app_errorhandler(405)
def method_not_allowed(_error: HTTPException):
    """A link or bookmark to an address that only accepts a form (or the other way round)."""
    return render_template(
        "error.html",
        title="Page not found",
        message="This address cannot be opened like that. Go back and use the page's buttons.",
    ), 405


@bp.app_errorhandler(413)
def file_too_large(_error: HTTPException):
    """An upload over MAX_CONTENT_LENGTH: say so on the import form, not with a bare error."""
    if request.endpoint == "documents.import_file" and current_user.is_authenticated:
        form = ImportForm(formdata=None)
        form.document.errors = [TOO_LARGE]
        return render_template("documents/import.html", form=form), 413
    return render_template("error.html", title="File too large", message=TOO_LARGE), 413


@bp.app_errorhandler(CSRFError)
def form_expired(_error: CSRFError):
    """A POST without a valid CSRF token: usually an old page; ask to try again."""
    return render_template(
        "error.html",
        title="The form could not be sent",
        message="The form was out of date or incomplete. Go back, reload the page and try again.",
    ), 400


@bp.app_template_filter("salary")
def format_salary(version: JobDescriptionVersion) -> str | None:
    """ "£25,583 – £26,403 (full-time equivalent)"; the source's words when there are no figures."""
    if version.salary_min is None:
        return version.salary_text
    amounts = _money(version.salary_min)
    if version.salary_max is not None and version.salary_max != version.salary_min:
        amounts += f" – {_money(version.salary_max)}"
    basis = SALARY_BASES.get(version.salary_basis or "")
    return f"{amounts} {basis}" if basis else amounts


def _money(amount: float) -> str:
    return f"£{amount:,.0f}" if amount == int(amount) else f"£{amount:,.2f}"


@bp.app_template_filter("form_value")
def format_form_value(value) -> str:
    """A value as an input shows it: 25583.0 → "25583", None → ""."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


@bp.app_template_filter("number")
def format_number(value: float) -> str:
    """31.67 → "31.67", 38.0 → "38"."""
    return f"{value:g}"


@bp.app_template_filter("working_year")
def format_working_year(version: JobDescriptionVersion) -> str | None:
    """ "38 + 2 INSET days": weeks worked a year and the training days on top."""
    parts = []
    if version.weeks_per_year is not None:
        parts.append(format_number(version.weeks_per_year))
    if version.inset_days:
        parts.append(_count(version.inset_days, "INSET day", "INSET days"))
    return " + ".join(parts) or None


@bp.app_template_filter("contract_terms")
def format_contract_terms(version: JobDescriptionVersion) -> str | None:
    """The contract as the source words it, with its end date when there is one."""
    end = f"end date {format_long_date(version.contract_end)}" if version.contract_end else None
    if version.contract and end:
        return f"{version.contract} ({end})"
    return version.contract or (end.capitalize() if end else None)


@bp.app_template_filter("school_time")
def format_school_time(value: datetime) -> str:
    """A stored UTC time as the school's clock shows it: "10:42 on 29 November 2026"."""
    local = value.replace(tzinfo=UTC).astimezone(SCHOOL_TIME)
    return f"{local:%H:%M} on {format_long_date(local.date())}"


@bp.app_template_filter("long_date")
def format_long_date(value: date) -> str:
    """date(2026, 8, 31) → "31 August 2026"."""
    return f"{value.day} {value:%B %Y}"
