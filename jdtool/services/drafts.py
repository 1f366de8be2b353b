"""Edit a draft job description: one operation replaces its whole content, refusing a save made
from a stale page. The web editor, the review page and `jdtool edit` all call `edit_draft`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..document_content import ContentProblem, InvalidContent, parse_content
from ..errors import DomainError, Forbidden
from ..importing import JobDocument
from ..models import AssessmentMethod, JobDescriptionVersion, Organisation, User
from .audit import record_event
from .clause_links import clauses_for_texts
from .documents import accept_review as accept_import_review
from .documents import fill_version, get_job_description, version_dict
from .draft_stamp import SCHOOL_TIME, StaleDraft, claim_draft, stale_message
from .organisations import missing_statements, organisation_choices

__all__ = [
    "SCHOOL_TIME",
    "DraftHeader",
    "StaleDraft",
    "DraftEditor",
    "draft_content",
    "edit_draft",
    "edit_draft_from_json",
    "editable_draft",
    "open_draft_editor",
    "save_draft",
    "stale_message",
]


@dataclass(frozen=True)
class DraftHeader:
    """Header fields for `save_draft` (the rest of the header is kept)."""

    title: str
    location: str | None = None
    grade: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_text: str | None = None
    hours_per_week: float | None = None
    weeks_per_year: float | None = None
    contract: str | None = None
    reports_to: str | None = None
    purpose: str | None = None


def editable_draft(session: Session, job_description_id: int) -> JobDescriptionVersion:
    """The current version of a job description, which must be a draft."""
    version = get_job_description(session, job_description_id).current
    if version.status != "draft":
        raise Forbidden(
            f"Version {version.number} of “{version.title}” is approved and cannot change. "
            "Start a new version to edit it."
        )
    return version


def draft_content(session: Session, job_description_id: int) -> dict[str, Any]:
    """The draft's content in the `show --json` shape, with its edit stamp, for an editor."""
    return version_dict(editable_draft(session, job_description_id))


def edit_draft(
    session: Session,
    job_description_id: int,
    content: dict[str, Any],
    loaded_stamp: int,
    user: User | None = None,
    *,
    accept_review: bool = False,
) -> JobDescriptionVersion:
    """Replace the whole content of the draft loaded at `loaded_stamp` with `content` (the
    `show --json` shape; read-only keys are ignored).

    Checks everything first (InvalidContent lists each problem with its field), then claims the
    edit stamp (StaleDraft or Forbidden, writing nothing, when someone else saved or approved
    meanwhile), then rewrites the parts. A duty, criterion or statement whose text is unchanged
    keeps its library clause; new or changed text is linked to the clause with the same
    matching key (made if new) — except in an import awaiting review, whose text joins the
    library when the review is accepted (`accept_review`: the person has checked every part;
    "needs review" is cleared). The edit, and the acceptance, are logged.
    """
    version = editable_draft(session, job_description_id)
    document = parse_content(content, _method_codes(session))
    claim_draft(session, version, loaded_stamp, user)
    _replace_content(session, version, document, link=not version.needs_review)
    record_event(
        session,
        "draft-edit",
        f"job description {job_description_id} version {version.number}",
        f"draft saved (edit {version.edit_stamp}): {_counts(version)}",
        actor=user,
    )
    if accept_review and version.needs_review:
        accept_import_review(session, job_description_id, user)
    return version


def edit_draft_from_json(
    session: Session, job_description_id: int, edited: Any, user: User | None = None
) -> JobDescriptionVersion:
    """`jdtool edit`: apply an edited copy of `show --json`, whose `edit_stamp` is the stamp it
    was taken at."""
    if not isinstance(edited, dict):
        raise DomainError("The file must hold one JSON object, as `jdtool show ID --json` prints.")
    stamp = edited.get("edit_stamp")
    if isinstance(stamp, bool) or not isinstance(stamp, int):
        raise InvalidContent(
            [
                ContentProblem(
                    "edit_stamp",
                    "The file has no edit_stamp: take a fresh copy with `jdtool show ID --json` "
                    "and edit that.",
                )
            ]
        )
    accept = edited.get("needs_review") is False
    return edit_draft(session, job_description_id, edited, stamp, user, accept_review=accept)


def save_draft(
    session: Session,
    job_description_id: int,
    loaded_stamp: int,
    header: DraftHeader,
    duties_by_section: Sequence[Sequence[str]],
    user: User | None = None,
) -> JobDescriptionVersion:
    """Save the header and duties of the draft loaded at `loaded_stamp`, keeping everything else.

    `duties_by_section` has one list of duty texts per existing duty section, in order; a section
    left with no duties is removed.
    """
    version = editable_draft(session, job_description_id)
    if len(duties_by_section) != len(version.duty_sections):
        raise StaleDraft(stale_message(version))
    content = version_dict(version)
    for name, value in vars(header).items():
        if name.startswith("salary_"):
            content["salary"][name.removeprefix("salary_")] = value
        else:
            content[name] = value
    wanted = [[text.strip() for text in texts if text.strip()] for texts in duties_by_section]
    content["sections"] = [
        {**section, "duties": texts}
        for section, texts in zip(content["sections"], wanted, strict=True)
        if texts
    ]
    try:
        return edit_draft(session, job_description_id, content, loaded_stamp, user)
    except InvalidContent as error:
        raise DomainError(str(error)) from error


def _method_codes(session: Session) -> list[str]:
    return list(session.scalars(select(AssessmentMethod.code).order_by(AssessmentMethod.position)))


def _replace_content(
    session: Session, version: JobDescriptionVersion, document: JobDocument, *, link: bool
) -> None:
    """Remove the draft's parts and write the document's, keeping clauses of unchanged text;
    new text is linked to the library when `link`."""
    clause_of = {("duty", duty.text): duty.clause_id for duty in version.duties()}
    clause_of |= {("criterion", c.text): c.clause_id for c in version.criteria()}
    clause_of |= {("statement", s.text): s.clause_id for s in version.statements}
    version.duty_sections.clear()
    version.statements.clear()
    version.extra_sections.clear()
    version.signatories.clear()
    # Sub-groups point at their group: drop those links first, so the rows delete in any order.
    for category in version.categories:
        category.parent = None
    session.flush()
    version.categories.clear()
    session.flush()  # the old rows are gone before new ones take their positions

    fill_version(session, version, document)
    items: list[tuple[str, Any, str | None]] = []
    for section in version.duty_sections:
        items += [("duty", duty, section.heading) for duty in section.duties]
    for category in version.categories:
        items += [("criterion", criterion, category.name) for criterion in category.criteria]
    items += [("statement", statement, None) for statement in version.statements]
    new = []
    for kind, item, heading in items:
        item.clause_id = clause_of.get((kind, item.text))
        if item.clause_id is None and link:
            new.append((kind, item, heading))
    clauses = clauses_for_texts(session, [(kind, item.text, where) for kind, item, where in new])
    for (_kind, item, _heading), clause in zip(new, clauses, strict=True):
        item.clause_id = clause.id
    session.flush()


def _counts(version: JobDescriptionVersion) -> str:
    return f"{len(version.duties())} duties, {len(version.criteria())} criteria"


def draft_editor_name(session: Session, version: JobDescriptionVersion) -> str | None:
    """Who last saved the draft from the edit page, if anyone."""
    if version.edited_by_id is None:
        return None
    return session.scalar(select(User.name).where(User.id == version.edited_by_id))


@dataclass(frozen=True)
class DraftEditor:
    """What the editor page shows: the draft, its content, and the assessment methods to tick."""

    version: JobDescriptionVersion
    content: dict[str, Any]
    methods: list[tuple[str, str]]
    #: The importer's findings (`show --json` "findings"), for the review page.
    findings: list[dict[str, Any]]
    #: The schools and trusts on record, to choose the draft's from.
    organisations: list[Organisation] = field(default_factory=list)
    #: Standard statements of the draft's school or trust that it does not carry yet.
    offered_statements: list[str] = field(default_factory=list)


def open_draft_editor(session: Session, job_description_id: int) -> DraftEditor:
    """The draft to edit (Forbidden when the current version is approved)."""
    version = editable_draft(session, job_description_id)
    methods = session.execute(
        select(AssessmentMethod.code, AssessmentMethod.label).order_by(AssessmentMethod.position)
    ).all()
    content = version_dict(version)
    return DraftEditor(
        version,
        content,
        [(code, label) for code, label in methods],
        content["findings"],
        organisation_choices(session),
        missing_statements(content, version),
    )
