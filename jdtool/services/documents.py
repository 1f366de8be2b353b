"""Import, list, show and approve job descriptions."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from ..document import Category, PersonSpec, Salary
from ..document import Criterion as DocumentCriterion
from ..document import DutySection as DocumentSection
from ..document import ExtraSection as DocumentExtra
from ..errors import Forbidden, NotFound
from ..importing import JobDocument, read_document
from ..importing.file_types import display_filename
from ..models import (
    AssessmentMethod,
    Criterion,
    CriterionMethod,
    Duty,
    DutySection,
    ExtraSection,
    JobDescription,
    JobDescriptionVersion,
    Organisation,
    PersonSpecCategory,
    Signatory,
    Statement,
    User,
)
from .audit import record_event
from .clause_links import link_clauses


def import_document(session: Session, filename: str, data: bytes) -> JobDescription:
    """Read a .docx/.txt/.md file and store it as a new draft job description.

    Raises UnreadableDocument (nothing stored) when the file cannot be read.
    """
    filename = display_filename(filename)
    parsed = read_document(filename, data)
    job_description = add_job_description(session, parsed, source_filename=filename)
    version = job_description.versions[0]
    record_event(
        session,
        "import",
        f"job description {job_description.id}",
        f"{filename} ({len(data):,} bytes): {version.title}",
    )
    return job_description


def add_job_description(
    session: Session, parsed: JobDocument, *, source_filename: str | None = None
) -> JobDescription:
    """Store an imported document as version 1 (a draft) of a new job description."""
    job_description = JobDescription(source_filename=source_filename)
    version = _version_from_document(session, parsed, number=1)
    if not version.title:
        version.title = _title_from_filename(source_filename)
    job_description.versions.append(version)
    session.add(job_description)
    session.flush()
    if not version.needs_review:
        # A document that needs review joins the library when someone accepts it.
        link_clauses(session, version)
    return job_description


def _title_from_filename(filename: str | None) -> str:
    if not filename:
        return "Untitled job description"
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("_", " ").replace("-", " ").strip() or "Untitled job description"


def _version_from_document(session: Session, parsed: JobDocument, number: int):
    version = JobDescriptionVersion(
        number=number,
        status="draft",
        import_warnings="\n".join(parsed.warnings),
        needs_review=parsed.needs_review,
        import_findings=json.dumps(
            [finding.to_dict() for finding in parsed.findings], ensure_ascii=False
        ),
    )
    fill_version(session, version, parsed)
    return version


def fill_version(session: Session, version: JobDescriptionVersion, parsed: JobDocument) -> None:
    """Set a version's header and parts from a document; its parts must be empty (a new version,
    or a draft whose parts were just removed). Texts are not linked to the library here."""
    organisation = _get_or_create_organisation(session, parsed.organisation)
    version.organisation = organisation
    version.school = _get_or_create_school(session, parsed.school, organisation)
    version.title = parsed.title or ""
    version.location = parsed.location
    version.grade = parsed.grade
    version.salary_min = parsed.salary.min
    version.salary_max = parsed.salary.max
    version.salary_basis = parsed.salary.basis
    version.salary_text = parsed.salary.text
    version.hours_per_week = parsed.hours_per_week
    version.weeks_per_year = parsed.weeks_per_year
    version.inset_days = parsed.inset_days
    version.contract = parsed.contract
    version.contract_end = date.fromisoformat(parsed.contract_end) if parsed.contract_end else None
    version.reports_to = parsed.reports_to
    version.key_relationships = parsed.key_relationships
    version.department = parsed.department
    version.section = parsed.section
    version.job_number = parsed.job_number
    version.document_date = parsed.date
    version.purpose = parsed.purpose
    version.has_person_spec = parsed.person_spec is not None
    for position, section in enumerate(parsed.sections, start=1):
        version.duty_sections.append(
            DutySection(
                position=position,
                heading=section.heading,
                duties=[
                    Duty(position=index, text=text)
                    for index, text in enumerate(section.duties, start=1)
                ],
            )
        )
    version.statements = [
        Statement(position=position, text=text)
        for position, text in enumerate(parsed.statements, start=1)
    ]
    version.extra_sections = [
        ExtraSection(position=position, heading=extra.heading, body="\n\n".join(extra.paragraphs))
        for position, extra in enumerate(parsed.extra_sections, start=1)
    ]
    version.signatories = [
        Signatory(position=position, role=role)
        for position, role in enumerate(parsed.signatories, start=1)
    ]
    method_positions = dict(
        session.execute(select(AssessmentMethod.code, AssessmentMethod.position)).all()
    )
    by_name: dict[str, PersonSpecCategory] = {}
    for position, category in enumerate(
        parsed.person_spec.categories if parsed.person_spec else [], start=1
    ):
        row = PersonSpecCategory(
            position=position, name=category.name, parent=by_name.get(category.parent or "")
        )
        by_name.setdefault(category.name, row)
        for index, criterion in enumerate(category.criteria, start=1):
            row.criteria.append(
                Criterion(
                    position=index,
                    text=criterion.text,
                    priority=criterion.priority or "unknown",
                    method_links=[
                        CriterionMethod(method_code=code, method_position=method_positions[code])
                        for code in criterion.methods
                    ],
                )
            )
        version.categories.append(row)


def _get_or_create_organisation(session: Session, name: str | None) -> Organisation | None:
    from .organisations import find_or_create_organisation

    return find_or_create_organisation(session, name)


def _get_or_create_school(
    session: Session, name: str | None, organisation: Organisation | None
) -> Organisation | None:
    """The school's record (matched by name, case and spacing ignored), under its trust."""
    from .organisations import find_or_create_organisation

    return find_or_create_organisation(session, name, kind="school", parent=organisation)


def get_job_description(session: Session, job_description_id: int) -> JobDescription:
    job_description = session.get(JobDescription, job_description_id)
    if job_description is None:
        raise NotFound(f"There is no job description with ID {job_description_id}.")
    return job_description


def newest_approved_version(
    session: Session, job_description_id: int, *, needed_for: str
) -> JobDescriptionVersion:
    """The newest approved version; Forbidden, saying what it is `needed_for`, when none is."""
    job_description = get_job_description(session, job_description_id)
    approved = [version for version in job_description.versions if version.status == "approved"]
    if not approved:
        raise Forbidden(
            f"Job description {job_description_id} has no approved version yet. {needed_for}"
        )
    return approved[-1]


def newest_version_numbers():
    """Subquery: (job_description_id, number) of every job description's current version."""
    return (
        select(
            JobDescriptionVersion.job_description_id,
            func.max(JobDescriptionVersion.number).label("number"),
        )
        .group_by(JobDescriptionVersion.job_description_id)
        .subquery()
    )


def list_job_descriptions(
    session: Session, search: str | None = None
) -> list[JobDescriptionVersion]:
    """The current version of every job description, optionally matching title or school."""
    newest = newest_version_numbers()
    School = aliased(Organisation)  # noqa: N806 -- the school is an organisation of kind "school"
    query = (
        select(JobDescriptionVersion)
        .join(
            newest,
            (newest.c.job_description_id == JobDescriptionVersion.job_description_id)
            & (newest.c.number == JobDescriptionVersion.number),
        )
        .outerjoin(School, School.id == JobDescriptionVersion.school_id)
        .outerjoin(Organisation, Organisation.id == JobDescriptionVersion.organisation_id)
        .options(
            selectinload(JobDescriptionVersion.school),
            selectinload(JobDescriptionVersion.organisation),
        )
        .order_by(JobDescriptionVersion.job_description_id)
    )
    if search and search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(JobDescriptionVersion.title).like(pattern),
                func.lower(School.name).like(pattern),
                func.lower(Organisation.name).like(pattern),
            )
        )
    return list(session.scalars(query))


def accept_review(session: Session, job_description_id: int, user: User | None = None):
    """Accept an import that needed review: its text joins the clause library, and it may be
    approved. Refused for a document that does not need review (a second click included)."""
    version = get_job_description(session, job_description_id).current
    if version.status != "draft" or not version.needs_review:
        raise Forbidden(f"“{version.title}” does not need review.")
    version.needs_review = False
    link_clauses(session, version)
    session.flush()
    record_event(
        session,
        "review-accept",
        f"job description {job_description_id} version {version.number}",
        f"{len(import_findings(version))} finding(s) seen",
        actor=user,
    )
    return version


def content_hash(version: JobDescriptionVersion) -> str:
    """SHA-256 of the version's document (`JobDocument.content_hash`): everything a reader sees,
    not IDs, status or dates of record."""
    return document_of(version).content_hash()


def document_of(version: JobDescriptionVersion) -> JobDocument:
    """The typed document a version holds (the reverse of `fill_version`)."""
    return JobDocument(
        title=version.title,
        organisation=version.organisation.name if version.organisation else None,
        school=version.school.name if version.school else None,
        location=version.location,
        grade=version.grade,
        salary=Salary(
            min=version.salary_min,
            max=version.salary_max,
            basis=version.salary_basis,
            text=version.salary_text,
        ),
        hours_per_week=version.hours_per_week,
        weeks_per_year=version.weeks_per_year,
        inset_days=version.inset_days,
        contract=version.contract,
        contract_end=version.contract_end.isoformat() if version.contract_end else None,
        reports_to=version.reports_to,
        key_relationships=version.key_relationships,
        department=version.department,
        section=version.section,
        job_number=version.job_number,
        date=version.document_date,
        purpose=version.purpose,
        sections=[
            DocumentSection(section.heading, [duty.text for duty in section.duties])
            for section in version.duty_sections
        ],
        statements=[statement.text for statement in version.statements],
        extra_sections=[
            DocumentExtra(extra.heading, extra.body.split("\n\n") if extra.body else [])
            for extra in version.extra_sections
        ],
        person_spec=(
            PersonSpec(
                [
                    Category(
                        category.name,
                        category.parent.name if category.parent else None,
                        [
                            DocumentCriterion(
                                criterion.text,
                                None if criterion.priority == "unknown" else criterion.priority,
                                list(criterion.methods),
                            )
                            for criterion in category.criteria
                        ],
                    )
                    for category in version.categories
                ]
            )
            if version.has_person_spec
            else None
        ),
        signatories=[signatory.role for signatory in version.signatories],
    )


def version_dict(version: JobDescriptionVersion) -> dict[str, Any]:
    """The `jdtool show --json` shape of one version: its document and its record keeping."""
    return {
        "id": version.job_description_id,
        **document_of(version).to_dict(),
        "version": version.number,
        "status": version.status,
        "content_hash": version.content_hash,
        "warnings": version.import_warnings.splitlines() if version.import_warnings else [],
        "needs_review": version.needs_review,
        "findings": import_findings(version),
        "edit_stamp": version.edit_stamp,
    }


def import_findings(version: JobDescriptionVersion) -> list[dict[str, Any]]:
    """The importer's findings on a version (what it decided where the source was unclear)."""
    try:
        findings = json.loads(version.import_findings or "[]")
    except ValueError:
        return []
    return findings if isinstance(findings, list) else []


def start_new_version(session: Session, job_description_id: int, user: User | None = None):
    """Copy the current approved version into a new draft (number + 1) to edit.

    The approved version and anything that refers to it (signed copies) stay as they were.
    """
    job_description = get_job_description(session, job_description_id)
    current = job_description.current
    if current.status != "approved":
        raise Forbidden(
            f"Version {current.number} of job description {job_description_id} is already a "
            "draft: edit and approve it before starting another."
        )
    draft = JobDescriptionVersion(
        number=current.number + 1,
        status="draft",
        import_warnings=current.import_warnings,
    )
    fill_version(session, draft, document_of(current))
    draft.organisation, draft.school = current.organisation, current.school
    clause_of = {("duty", duty.text): duty.clause_id for duty in current.duties()}
    clause_of |= {("criterion", c.text): c.clause_id for c in current.criteria()}
    clause_of |= {("statement", s.text): s.clause_id for s in current.statements}
    for kind, items in (
        ("duty", draft.duties()), ("criterion", draft.criteria()), ("statement", draft.statements)
    ):  # fmt: skip
        for item in items:
            item.clause_id = clause_of.get((kind, item.text))
    job_description.versions.append(draft)
    session.flush()
    record_event(
        session,
        "new-version",
        f"job description {job_description_id} version {draft.number}",
        f"draft copied from approved version {current.number}",
        actor=user,
    )
    return draft
