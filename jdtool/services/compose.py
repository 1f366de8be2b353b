"""Compose a job description from the clause library: start one, add clauses or new wording
where the user chooses (warning about near-duplicates), and merge two documents into one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden
from ..matching import (
    Match,
    compare,
)
from ..models import (
    AssessmentMethod,
    Clause,
    Criterion,
    CriterionMethod,
    Duty,
    DutySection,
    JobDescription,
    JobDescriptionVersion,
    PersonSpecCategory,
)
from .clause_links import clauses_for_texts
from .documents import get_job_description
from .draft_stamp import claim_draft
from .library import get_clause

#: Where a composed document puts a clause whose library entry has no category.
DEFAULT_HEADINGS = {"duty": "Duties and responsibilities", "criterion": "Other requirements"}


PRIORITIES = ("essential", "desirable")


class NearDuplicateInDocument(DomainError):
    """The clause being added repeats one the document already has."""

    def __init__(self, kind: str, position: int, existing_text: str, match: Match) -> None:
        self.kind = kind
        self.position = position
        self.existing_text = existing_text
        self.match = match
        how = {"exact": "the same as", "near": "a near-duplicate of", "subset": "contained in"}
        if match.kind == "subset":
            how["subset"] = "contained in, or contains,"
        super().__init__(
            f"This {kind} is {how[match.kind]} {kind} {position} already in the document: "
            f"“{existing_text}” (score {match.score}). Keep the existing one, or add it anyway."
        )


def already_in_version(
    version: JobDescriptionVersion, clauses: Iterable[Clause]
) -> dict[int, tuple[int, Match]]:
    """Clause ID -> (position, match) of the duty or criterion of the version it repeats."""
    found = {}
    for clause in clauses:
        existing: Sequence[Duty | Criterion] = (
            version.duties() if clause.kind == "duty" else version.criteria()
        )
        for position, item in enumerate(existing, start=1):
            match = compare(clause.text, item.text)
            if match is not None:
                found[clause.id] = (position, match)
                break
    return found


def start_job_description(session: Session, title: str) -> JobDescription:
    """A new, empty draft job description with a person specification, ready to compose."""
    title = title.strip()
    if not title:
        raise DomainError("Give the new job description a title.")
    job_description = JobDescription()
    job_description.versions.append(
        JobDescriptionVersion(number=1, status="draft", title=title, has_person_spec=True)
    )
    session.add(job_description)
    session.flush()
    return job_description


def add_clause(
    session: Session,
    job_description_id: int,
    clause_id: int,
    *,
    heading: str | None = None,
    priority: str | None = None,
    methods: Sequence[str] = (),
    force: bool = False,
) -> int:
    """Add a library clause to a draft; returns its 1-based position among its kind.

    Raises NearDuplicateInDocument when the draft already has a near-duplicate (unless `force`).
    """
    clause = get_clause(session, clause_id).canonical
    version = _draft(session, job_description_id)
    return _add_text(session, version, clause, clause.text, heading, priority, methods, force)


def add_new_text(
    session: Session,
    job_description_id: int,
    kind: str,
    text: str,
    *,
    heading: str | None = None,
    priority: str | None = None,
    methods: Sequence[str] = (),
    force: bool = False,
) -> int:
    """Add a typed duty or criterion to a draft and to the library; same checks as add_clause."""
    text = " ".join(text.split())
    if not text:
        raise DomainError(f"Write the {kind} before adding it.")
    if kind not in DEFAULT_HEADINGS:
        raise DomainError("Only duties and criteria can be added.")
    version = _draft(session, job_description_id)
    (clause,) = clauses_for_texts(session, [(kind, text, heading)])
    return _add_text(session, version, clause, text, heading, priority, methods, force)


def _draft(session: Session, job_description_id: int) -> JobDescriptionVersion:
    version = get_job_description(session, job_description_id).current
    if version.status != "draft":
        raise Forbidden(
            f"Version {version.number} of “{version.title}” is approved and cannot change."
        )
    return version


def _add_text(
    session: Session,
    version: JobDescriptionVersion,
    clause: Clause,
    text: str,
    heading: str | None,
    priority: str | None,
    methods: Sequence[str],
    force: bool,
) -> int:
    kind = clause.kind
    if kind not in DEFAULT_HEADINGS:
        raise DomainError("Only duties and criteria can be added to a job description.")
    if kind == "criterion" and priority not in PRIORITIES:
        raise DomainError("Say whether the criterion is essential or desirable.")
    # A change to the draft, as a save from the editor is: an editor loaded before it now holds
    # a stale stamp, so its save cannot silently drop this addition; and a draft approved
    # meanwhile is refused rather than changed after its content hash was taken. Claimed first,
    # then the draft is read again: a save that committed while we waited for the row is seen.
    claim_draft(session, version)
    session.expire_all()
    existing: Sequence[Duty | Criterion] = (
        version.duties() if kind == "duty" else version.criteria()
    )
    if not force:
        for position, item in enumerate(existing, start=1):
            match = compare(text, item.text)
            if match is not None:
                raise NearDuplicateInDocument(kind, position, item.text, match)
    heading = (heading or "").strip() or clause.category or DEFAULT_HEADINGS[kind]
    if kind == "duty":
        _place_duty(version, heading, text, clause.id)
    else:
        known = dict(
            session.execute(select(AssessmentMethod.code, AssessmentMethod.position)).all()
        )
        unknown = [code for code in methods if code not in known]
        if unknown:
            raise DomainError(f"Unknown assessment method: {', '.join(unknown)}.")
        links = [(code, known[code]) for code in dict.fromkeys(methods)]
        _place_criterion(version, heading, text, clause.id, priority or "", links)
    session.flush()
    return len(existing) + 1


def _place_duty(version: JobDescriptionVersion, heading: str, text: str, clause_id: int) -> None:
    """Append a duty to the section with this heading (a new last section if there is none)."""
    section = next((s for s in version.duty_sections if s.heading == heading), None)
    if section is None:
        section = DutySection(position=len(version.duty_sections) + 1, heading=heading)
        version.duty_sections.append(section)
    section.duties.append(Duty(position=len(section.duties) + 1, text=text, clause_id=clause_id))


def _place_criterion(
    version: JobDescriptionVersion,
    heading: str,
    text: str,
    clause_id: int,
    priority: str,
    methods: Sequence[tuple[str, int]],
) -> None:
    """Append a criterion to the category with this name (a new last category if none)."""
    category = next((c for c in version.categories if c.name == heading), None)
    if category is None:
        category = PersonSpecCategory(position=len(version.categories) + 1, name=heading)
        version.categories.append(category)
    category.criteria.append(
        Criterion(
            position=len(category.criteria) + 1,
            text=text,
            priority=priority,
            clause_id=clause_id,
            method_links=[
                CriterionMethod(method_code=code, method_position=position)
                for code, position in methods
            ],
        )
    )
    version.has_person_spec = True


@dataclass(frozen=True)
class MergedItem:
    """A duty or criterion of the second document left out because the first already has it."""

    kind: str
    kept: str
    dropped: str
    match: Match


@dataclass
class JobDescriptionMerge:
    job_description: JobDescription
    dropped: list[MergedItem] = field(default_factory=list)
    #: Pairs kept both, because one only contains the other (worth a look).
    contained: list[MergedItem] = field(default_factory=list)


def merge_job_descriptions(
    session: Session, first_id: int, second_id: int, title: str | None = None
) -> JobDescriptionMerge:
    """A new draft with the union of two documents' duties and criteria, without duplicates."""
    if first_id == second_id:
        raise DomainError("Choose two different job descriptions to merge.")
    first = get_job_description(session, first_id).current
    second = get_job_description(session, second_id).current
    merged = start_job_description(session, title or f"{first.title} + {second.title}")
    version = merged.current
    version.purpose = first.purpose
    result = JobDescriptionMerge(merged)
    version.has_person_spec = first.has_person_spec or second.has_person_spec
    for source in (first, second):
        for section in source.duty_sections:
            for duty in section.duties:
                _merge_item(session, result, version, duty, section.heading)
        for category in source.categories:
            for criterion in category.criteria:
                _merge_item(session, result, version, criterion, category.name)
    session.flush()
    return result


def _merge_item(
    session: Session,
    result: JobDescriptionMerge,
    version: JobDescriptionVersion,
    item: Duty | Criterion,
    heading: str,
) -> None:
    kind = "duty" if isinstance(item, Duty) else "criterion"
    existing: Sequence[Duty | Criterion] = (
        version.duties() if kind == "duty" else version.criteria()
    )
    for other in existing:
        match = compare(item.text, other.text)
        if match is None:
            continue
        if match.kind != "subset":
            result.dropped.append(MergedItem(kind, other.text, item.text, match))
            return
        result.contained.append(MergedItem(kind, other.text, item.text, match))
        break
    if item.clause_id is not None:
        clause_id = item.clause_id
    else:
        clause_id = clauses_for_texts(session, [(kind, item.text, heading)])[0].id
    if isinstance(item, Duty):
        _place_duty(version, heading, item.text, clause_id)
    else:
        methods = [(link.method_code, link.method_position) for link in item.method_links]
        # The source's priority is kept as it is, "unknown" included: never defaulted.
        _place_criterion(version, heading, item.text, clause_id, item.priority, methods)
