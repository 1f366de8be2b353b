"""An approved version's content held per worker process, as plain immutable data.

An approved version never changes (its content hash fixes every duty, statement and criterion),
so once read it can be kept and shared by every later request of the same worker. The cache is
keyed on (version id, content hash) and holds frozen dataclasses and tuples, never ORM objects
(those belong to one session). Drafts are never cached: they change with every edit.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, object_session, selectinload

from ..models import (
    Criterion,
    DutySection,
    JobDescriptionVersion,
    PersonSpecCategory,
)
from .worker_cache import BoundedCache, database_of

#: Approved versions kept per worker: a school or trust has tens of live job descriptions; a
#: few hundred cover every one in use at once and cost well under 50 MB even for long specs.
APPROVED_VERSIONS_KEPT = 256


@dataclass(frozen=True)
class DutyContent:
    id: int
    position: int
    text: str


@dataclass(frozen=True)
class DutySectionContent:
    id: int
    position: int
    heading: str
    duties: tuple[DutyContent, ...]


@dataclass(frozen=True)
class StatementContent:
    id: int
    position: int
    text: str


@dataclass(frozen=True)
class ExtraSectionContent:
    id: int
    position: int
    heading: str
    body: str


@dataclass(frozen=True)
class SignatoryContent:
    id: int
    position: int
    role: str


@dataclass(frozen=True)
class CriterionContent:
    id: int
    position: int
    text: str
    priority: str
    #: Assessment method codes in table order.
    methods: tuple[str, ...]


@dataclass(frozen=True)
class CategoryContent:
    id: int
    position: int
    name: str
    parent_id: int | None
    #: The enclosing category when this is a sub-group (one of the same version's categories).
    parent: CategoryContent | None
    criteria: tuple[CriterionContent, ...]


@dataclass(frozen=True)
class VersionContent:
    """The parts of an approved version that its content hash fixes."""

    version_id: int
    content_hash: str
    duty_sections: tuple[DutySectionContent, ...]
    statements: tuple[StatementContent, ...]
    extra_sections: tuple[ExtraSectionContent, ...]
    signatories: tuple[SignatoryContent, ...]
    categories: tuple[CategoryContent, ...]

    def criteria(self) -> list[CriterionContent]:
        return [criterion for category in self.categories for criterion in category.criteria]

    def duties(self) -> list[DutyContent]:
        return [duty for section in self.duty_sections for duty in section.duties]


_approved: BoundedCache[VersionContent] = BoundedCache(APPROVED_VERSIONS_KEPT)


def cached_content(version: JobDescriptionVersion) -> VersionContent | None:
    """The approved version's content if this worker holds it; None otherwise and always
    for a draft."""
    if version.status != "approved" or not version.content_hash:
        return None
    return _approved.get(_key(version))


def remember_content(version: JobDescriptionVersion) -> VersionContent | None:
    """Keep an approved version's content (its parts already loaded by the caller's query);
    a draft is never kept."""
    if version.status != "approved" or not version.content_hash:
        return None
    content = _read_content(version)
    _approved.put(_key(version), content)
    return content


def load_approved_content(
    session: Session, version: JobDescriptionVersion
) -> VersionContent | None:
    """An approved version's content, its parts read from the database only the first time
    this worker needs them; None for a draft."""
    if version.status != "approved" or not version.content_hash:
        return None
    content = _approved.get(_key(version))
    if content is None:
        load_version_parts(session, version)
        content = remember_content(version)
    return content


#: The version's relationships its content is read from.
_PARTS = frozenset(("duty_sections", "statements", "extra_sections", "signatories", "categories"))


def load_version_parts(session: Session, version: JobDescriptionVersion) -> None:
    """Fill in every part of a version the session has not loaded yet, in a handful of
    statements rather than one per section, category and criterion (none when the caller's
    query loaded them all)."""
    if not _PARTS & inspect(version).unloaded:
        return
    session.execute(
        select(JobDescriptionVersion)
        .where(JobDescriptionVersion.id == version.id)
        .options(
            selectinload(JobDescriptionVersion.duty_sections).joinedload(DutySection.duties),
            selectinload(JobDescriptionVersion.statements),
            selectinload(JobDescriptionVersion.extra_sections),
            selectinload(JobDescriptionVersion.signatories),
            selectinload(JobDescriptionVersion.categories)
            .joinedload(PersonSpecCategory.criteria)
            .joinedload(Criterion.method_links),
        )
    ).scalar_one()


def pinned_criteria(version: JobDescriptionVersion) -> Sequence[Criterion | CriterionContent]:
    """A version's criteria in person-spec order: from this worker's cache when it holds the
    (approved) version, otherwise through the ORM (a draft, or not read yet)."""
    content = cached_content(version)
    return content.criteria() if content is not None else version.criteria()


def _key(version: JobDescriptionVersion) -> Hashable:
    # The database is part of the key: one process may serve two databases (tests, the load
    # benchmark's set-up), where the same version ID and hash can belong to different rows.
    return (database_of(object_session(version)), version.id, version.content_hash)


def forget_approved_content() -> None:
    """Empty this process's caches of approved content (tests and benchmarks measuring a
    cold start)."""
    from .exports import forget_approved_warnings
    from .web_queries import forget_method_columns

    _approved.clear()
    forget_approved_warnings()
    forget_method_columns()


def _read_content(version: JobDescriptionVersion) -> VersionContent:
    categories: dict[int, CategoryContent] = {}
    parents: dict[int, int] = {}
    for category in version.categories:
        if category.parent_id is not None:
            parents[category.id] = category.parent_id
        categories[category.id] = CategoryContent(
            id=category.id,
            position=category.position,
            name=category.name,
            parent_id=category.parent_id,
            parent=None,
            criteria=tuple(
                CriterionContent(
                    id=criterion.id,
                    position=criterion.position,
                    text=criterion.text,
                    priority=criterion.priority,
                    methods=tuple(criterion.methods),
                )
                for criterion in category.criteria
            ),
        )
    for child_id, parent_id in parents.items():
        # Frozen once built; the parent link is set here, before anyone else can see it.
        object.__setattr__(categories[child_id], "parent", categories.get(parent_id))
    return VersionContent(
        version_id=version.id,
        content_hash=version.content_hash or "",
        duty_sections=tuple(
            DutySectionContent(
                id=section.id,
                position=section.position,
                heading=section.heading,
                duties=tuple(DutyContent(d.id, d.position, d.text) for d in section.duties),
            )
            for section in version.duty_sections
        ),
        statements=tuple(StatementContent(s.id, s.position, s.text) for s in version.statements),
        extra_sections=tuple(
            ExtraSectionContent(e.id, e.position, e.heading, e.body) for e in version.extra_sections
        ),
        signatories=tuple(SignatoryContent(s.id, s.position, s.role) for s in version.signatories),
        categories=tuple(categories.values()),
    )


class ApprovedVersion:
    """An approved version as the pages read it: its own columns and organisation live from
    this request's session, its content from the per-worker cache.

    Organisation and school names can change after approval, so they are not cached."""

    def __init__(self, version: JobDescriptionVersion, content: VersionContent) -> None:
        self._version = version
        self._content = content
        self.duty_sections = content.duty_sections
        self.statements = content.statements
        self.extra_sections = content.extra_sections
        self.signatories = content.signatories
        self.categories = content.categories

    def criteria(self) -> list[CriterionContent]:
        return self._content.criteria()

    def duties(self) -> list[DutyContent]:
        return self._content.duties()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._version, name)
