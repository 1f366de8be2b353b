"""Read-only queries shaped for the web pages: the list with its counts, a whole JD in one go."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..errors import NotFound
from ..models import (
    AssessmentMethod,
    Criterion,
    Duty,
    DutySection,
    JobDescription,
    JobDescriptionVersion,
    PersonSpecCategory,
)
from .approved_content import ApprovedVersion, cached_content, remember_content
from .documents import list_job_descriptions
from .worker_cache import BoundedCache, database_of


@dataclass(frozen=True)
class JobDescriptionSummary:
    """One row of the job-description list."""

    version: JobDescriptionVersion
    duty_count: int
    criterion_count: int


@dataclass(frozen=True)
class MethodColumn:
    """An assessment method as the person-spec table's column shows it."""

    code: str
    label: str
    position: int


#: The assessment methods by database: reference data that only the migrations write (before
#: any request is served), so each worker reads them once.
_methods: BoundedCache[tuple[MethodColumn, ...]] = BoundedCache(16)


@dataclass(frozen=True)
class JobDescriptionPage:
    """Everything the job-description page shows."""

    job_description: JobDescription
    #: The current version; an approved one's content comes from the per-worker cache.
    version: JobDescriptionVersion | ApprovedVersion
    #: The assessment methods any criterion of this version uses, in table order.
    assessment_methods: list[MethodColumn]


def summarise_job_descriptions(
    session: Session, search: str | None = None
) -> list[JobDescriptionSummary]:
    """The current version of every job description with its duty and criterion counts."""
    versions = list_job_descriptions(session, search)
    version_ids = [version.id for version in versions]
    duty_counts = dict(
        session.execute(
            select(DutySection.version_id, func.count(Duty.id))
            .join(Duty, Duty.section_id == DutySection.id)
            .where(DutySection.version_id.in_(version_ids))
            .group_by(DutySection.version_id)
        ).all()
    )
    criterion_counts = dict(
        session.execute(
            select(PersonSpecCategory.version_id, func.count(Criterion.id))
            .join(Criterion, Criterion.category_id == PersonSpecCategory.id)
            .where(PersonSpecCategory.version_id.in_(version_ids))
            .group_by(PersonSpecCategory.version_id)
        ).all()
    )
    return [
        JobDescriptionSummary(
            version=version,
            duty_count=duty_counts.get(version.id, 0),
            criterion_count=criterion_counts.get(version.id, 0),
        )
        for version in versions
    ]


def load_job_description_page(session: Session, job_description_id: int) -> JobDescriptionPage:
    """A job description's current version with all its parts; NotFound if none.

    An approved version's parts come from the per-worker cache of approved content (see
    approved_content.py), so once a worker has shown it the page reads only the version row
    and the method list; a draft is read whole every time."""
    version = session.scalar(
        select(JobDescriptionVersion)
        .where(JobDescriptionVersion.job_description_id == job_description_id)
        .order_by(JobDescriptionVersion.number.desc())
        .limit(1)
        .options(
            joinedload(JobDescriptionVersion.job_description),
            joinedload(JobDescriptionVersion.organisation),
            joinedload(JobDescriptionVersion.school),
        )
    )
    content = cached_content(version) if version is not None else None
    if version is None or content is None:
        page = _load_whole_page(session, job_description_id)
        if isinstance(page.version, JobDescriptionVersion):  # always: read whole just now
            remember_content(page.version)
        return page
    return JobDescriptionPage(
        job_description=version.job_description,
        version=ApprovedVersion(version, content),
        assessment_methods=_methods_used(session, content.criteria()),
    )


def forget_method_columns() -> None:
    _methods.clear()


def _methods_used(session: Session, criteria) -> list[MethodColumn]:
    used = {code for criterion in criteria for code in criterion.methods}
    database = database_of(session)
    methods = _methods.get(database)
    if methods is None:
        methods = tuple(
            MethodColumn(method.code, method.label, method.position)
            for method in session.scalars(
                select(AssessmentMethod).order_by(AssessmentMethod.position)
            )
        )
        _methods.put(database, methods)
    return [method for method in methods if method.code in used]


def _load_whole_page(session: Session, job_description_id: int) -> JobDescriptionPage:
    """A job description's current version with all its parts loaded; NotFound if none.

    Many-to-one parts and short child lists come in joined to their parent's query, so the
    page costs a handful of round trips; a subgroup's parent category is one of the same
    version's categories, already loaded, so it needs no query of its own."""
    job_description = (
        session.execute(
            select(JobDescription)
            .where(JobDescription.id == job_description_id)
            .options(
                joinedload(JobDescription.versions).options(
                    joinedload(JobDescriptionVersion.organisation),
                    joinedload(JobDescriptionVersion.school),
                    selectinload(JobDescriptionVersion.duty_sections).joinedload(
                        DutySection.duties
                    ),
                    selectinload(JobDescriptionVersion.statements),
                    selectinload(JobDescriptionVersion.extra_sections),
                    selectinload(JobDescriptionVersion.signatories),
                    selectinload(JobDescriptionVersion.categories)
                    .joinedload(PersonSpecCategory.criteria)
                    .joinedload(Criterion.method_links),
                )
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if job_description is None:
        raise NotFound(f"There is no job description with ID {job_description_id}.")
    version = job_description.current
    return JobDescriptionPage(
        job_description=job_description,
        version=version,
        assessment_methods=_methods_used(session, version.criteria()),
    )
