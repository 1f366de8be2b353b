"""The clause library: search, clusters and merges, duplicate/lint report, composer, JD merge."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..errors import DomainError, NotFound
from ..models.library import CLAUSE_KINDS
from ..services.checks import check_document
from ..services.compose import (
    DEFAULT_HEADINGS,
    NearDuplicateInDocument,
    add_clause,
    add_new_text,
    already_in_version,
    merge_job_descriptions,
    start_job_description,
)
from ..services.documents import get_job_description
from ..services.draft_lines import keep_both, move_line, remove_duplicate, remove_line
from ..services.library import (
    common_core,
    find_clusters,
    get_clause,
    list_merges,
    merge_clauses,
    search_library_page,
    undo_merge,
    usage_counts,
)
from . import db_session
from .auth import managers_only
from .library_forms import (
    INDEX_PAGE_SIZE,
    KINDS,
    PLURALS,
    PRIORITY_CHOICES,
    AddToDocumentForm,
    DuplicateDecisionForm,
    LineChangeForm,
    MergeClausesForm,
    MergeJobDescriptionsForm,
    StartComposeForm,
    method_choices,
    page_number,
)
from .unit_of_work import on_refusal_go_to

bp = Blueprint("library", __name__, url_prefix="/library")


@bp.route("")
@login_required
def index():
    """Search the library by words, kind, category and usage."""
    search = request.args.get("q", "").strip()
    kind = request.args.get("kind", "")
    category = request.args.get("category", "").strip()
    min_usage = request.args.get("min_usage", "0")
    min_usage_number = int(min_usage) if min_usage.isdigit() else 0
    found = search_library_page(
        db_session(),
        search,
        kinds=[kind] if kind in CLAUSE_KINDS else CLAUSE_KINDS,
        category=category or None,
        min_usage=min_usage_number,
        page=page_number(),
        per_page=INDEX_PAGE_SIZE,
    )
    return render_template(
        "library/index.html",
        found=found,
        search=search,
        kind=kind,
        category=category,
        min_usage=min_usage_number,
        kinds=KINDS,
    )


@bp.route("/clusters")
@login_required
def clusters():
    """Near-duplicate clauses across the library, grouped, each with a link to merge them."""
    kind = request.args.get("kind", "")
    return render_template(
        "library/clusters.html",
        clusters=find_clusters(db_session(), kind or None),
        kind=kind,
        kinds=KINDS,
    )


@bp.route("/merge", methods=["GET", "POST"])
@managers_only
def merge():
    """Preview a merge of the chosen clauses, then merge them."""
    session = db_session()
    ids = request.values.getlist("clauses", type=int)
    chosen = [get_clause(session, clause_id) for clause_id in ids]
    if len(chosen) < 2:
        flash("Choose at least two clauses to merge.", "error")
        return redirect(url_for("library.clusters"))
    counts = usage_counts(session)
    choices = [(clause.id, clause.text) for clause in chosen]
    form = MergeClausesForm(clause_choices=choices)
    if request.method == "GET":
        form.clauses.data = ids
        form.canonical.data = max(chosen, key=lambda clause: counts.get(clause.id, 0)).id
    if form.validate_on_submit():
        try:
            merged = merge_clauses(
                session,
                form.clauses.data,
                form.canonical.data,
                canonical_text=(form.canonical_text.data or "").strip() or None,
                user=current_user,
            )
        except DomainError as error:
            form.canonical.errors.append(str(error))
        else:
            flash(
                f"Merged {len(merged.members) + 1} clauses into one (lowest score "
                f"{merged.score:.0f}). Documents keep the text they copied.",
                "success",
            )
            return redirect(url_for("library.merges"))
    return render_template(
        "library/merge.html", form=form, chosen=chosen, counts=counts
    ), 400 if form.errors else 200


@bp.route("/merges")
@login_required
def merges():
    """The merge log, newest first, with undo."""
    return render_template(
        "library/merges.html", merges=list_merges(db_session()), form=FlaskForm()
    )


@bp.route("/merges/<int:merge_id>/undo", methods=["POST"])
@managers_only
def undo(merge_id: int):
    """Undo one merge."""
    form = FlaskForm()
    on_refusal_go_to(url_for("library.merges"))
    if form.validate_on_submit():
        undo_merge(db_session(), merge_id, current_user)
        flash(f"Undid merge {merge_id}: its clauses stand alone again.", "success")
    return redirect(url_for("library.merges"))


@bp.route("/jds/<int:job_description_id>/report")
@login_required
def report(job_description_id: int):
    """Duplicated duties and criteria, and the person-spec lint, of one job description."""
    checks = check_document(db_session(), job_description_id)
    return render_template("library/report.html", checks=checks, form=DuplicateDecisionForm())


@bp.route("/jds/<int:job_description_id>/duplicates", methods=["POST"])
@managers_only
def decide_duplicate(job_description_id: int):
    """Remove the repeat of a duplicate pair from the draft, or keep both (no longer flagged)."""
    form = DuplicateDecisionForm()
    # No #anchor: the message about what happened shows above the page's heading.
    back = url_for("library.report", job_description_id=job_description_id)
    if not form.validate_on_submit():
        flash(_form_expired(form), "error")
        return redirect(back)
    session = db_session()
    pair = (form.kind.data, form.position_a.data, form.position_b.data, form.edit_stamp.data)
    on_refusal_go_to(back)
    if form.decision.data == "remove":
        text = remove_duplicate(session, job_description_id, *pair, current_user)
        flash(f"Removed {form.kind.data} {form.position_b.data}: “{text}”.", "success")
    else:
        keep_both(session, job_description_id, *pair, current_user)
        flash(
            f"Kept both {PLURALS[form.kind.data]} {form.position_a.data} and "
            f"{form.position_b.data}: the pair is no longer flagged for this draft.",
            "success",
        )
    return redirect(back)


def _form_expired(form: FlaskForm) -> str:
    """A change form sent without the fields its page puts in (an old or hand-made page)."""
    return "That change could not be made from this page: reload it and try again."


@bp.route("/compose", methods=["GET", "POST"])
@managers_only
def compose_start():
    """Start a new job description to compose from the library."""
    form = StartComposeForm()
    if form.validate_on_submit():
        job_description = start_job_description(db_session(), form.title.data)
        return redirect(url_for("library.compose", job_description_id=job_description.id))
    return render_template("library/compose_start.html", form=form), 400 if form.errors else 200


@bp.route("/compose/<int:job_description_id>", methods=["GET", "POST"])
@managers_only
def compose(job_description_id: int):
    """Add clauses from the library (or new wording) to a draft, warning about near-duplicates."""
    session = db_session()
    job_description = get_job_description(session, job_description_id)
    version = job_description.current
    sections = [section.heading for section in version.duty_sections]
    categories = [category.name for category in version.categories]
    form = AddToDocumentForm(
        sections=sections,
        categories=categories,
        kind_of_clause=lambda clause_id: _clause_kind(session, clause_id),
    )
    search = request.args.get("q", "").strip()
    kind = request.args.get("kind", "")
    page = page_number()
    here = {"q": search or None, "kind": kind or None, "page": page if page > 1 else None}
    warning: NearDuplicateInDocument | None = None
    if form.validate_on_submit():
        options = {
            "heading": form.chosen_heading,
            "priority": form.priority.data or None,
            "methods": form.methods.data or [],
            "force": form.force.data == "yes",
        }
        try:
            if form.clause_id.data:
                added_kind = get_clause(session, form.clause_id.data).kind
                position = add_clause(session, job_description_id, form.clause_id.data, **options)
            else:
                added_kind = form.kind.data
                position = add_new_text(
                    session, job_description_id, form.kind.data, form.text.data or "", **options
                )
        except NearDuplicateInDocument as error:
            warning = error
        except DomainError as error:
            (form.clause_id if form.clause_id.data else form.text).errors = [str(error)]
        else:
            flash(f"Added {added_kind} {position}.", "success")
            return redirect(
                url_for("library.compose", job_description_id=job_description_id, **here)
            )
    found = None
    if search:
        found = search_library_page(
            session,
            search,
            kinds=[kind] if kind in ("duty", "criterion") else DUTY_OR_CRITERION,
            page=page,
        )
    return render_template(
        "library/compose.html",
        job_description=job_description,
        version=version,
        form=form,
        line_form=LineChangeForm(),
        warning=warning,
        search=search,
        kind=kind,
        kinds=KINDS[:3],  # statements are not added one by one
        found=found,
        here=here,
        present=already_in_version(version, [entry.clause for entry in found.clauses])
        if found
        else {},
        methods=method_choices(),
        priorities=PRIORITY_CHOICES,
        default_headings=DEFAULT_HEADINGS,
        sections=sections,
        categories=categories,
    ), 400 if (form.errors or warning) else 200


#: Compose adds duties and criteria; statements are not added one by one.
DUTY_OR_CRITERION = ("duty", "criterion")


def _clause_kind(session, clause_id: int) -> str | None:
    try:
        return get_clause(session, clause_id).kind
    except NotFound:
        return None


@bp.route("/compose/<int:job_description_id>/lines", methods=["POST"])
@managers_only
def compose_line(job_description_id: int):
    """Remove one duty or criterion from the draft, or move it up or down."""
    form = LineChangeForm()
    back = {key: request.args.get(key) or None for key in ("q", "kind", "page")}
    back_url = url_for("library.compose", job_description_id=job_description_id, **back)
    if not form.validate_on_submit():
        flash(_form_expired(form), "error")
        return redirect(back_url)
    session = db_session()
    line = (form.kind.data, form.position.data)
    on_refusal_go_to(back_url)
    if form.change.data == "remove":
        text = remove_line(session, job_description_id, *line, form.edit_stamp.data, current_user)
        flash(f"Removed {form.kind.data} {form.position.data}: “{text}”.", "success")
    else:
        text = move_line(
            session, job_description_id, *line, form.change.data, form.edit_stamp.data, current_user
        )
        message = f"Moved {form.kind.data} {form.position.data} {form.change.data}: “{text}”."
        flash(message, "success")
    return redirect(back_url)


@bp.route("/merge-jds", methods=["GET", "POST"])
@managers_only
def merge_jds():
    """Merge two job descriptions into a new draft, without duplicates, with a report."""
    form = MergeJobDescriptionsForm()
    result = None
    if form.validate_on_submit():
        try:
            result = merge_job_descriptions(
                db_session(), form.first.data, form.second.data, form.title.data or None
            )
        except DomainError as error:
            form.second.errors.append(str(error))
    return render_template(
        "library/merge_jds.html", form=form, result=result
    ), 400 if form.errors else 200


@bp.route("/common-core")
@login_required
def common_core_view():
    """Clauses by how many of the library's job descriptions use them."""
    kind = request.args.get("kind", "")
    return render_template(
        "library/common_core.html",
        core=common_core(db_session(), kind or None),
        kind=kind,
        kinds=KINDS,
    )
