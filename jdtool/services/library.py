"""The clause library: link texts to clauses, find duplicates, merge clauses, compose documents.

Documents keep their own copy of every text; the library only points at it. Merging clauses
changes library rows, never a duty's or criterion's text, so approved versions stay as approved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden, NotFound
from ..matching import (
    NEAR_DUPLICATE_CUTOFF,
    ClauseIndex,
    Match,
    compare,
    find_duplicates,
    keeps_near_pair,
    key_hash,
    matching_key,
    score,
)
from ..models import (
    AssessmentMethod,
    Clause,
    ClauseMerge,
    ClauseMergeMember,
    Criterion,
    CriterionMethod,
    Duty,
    DutySection,
    JobDescription,
    JobDescriptionVersion,
    KeptDuplicate,
    PersonSpecCategory,
    Statement,
    User,
)
from ..models.library import CLAUSE_KINDS
from ..models.people import utcnow
from ..person_spec_lint import CriterionFacts, LintIssue, lint_person_spec
from .documents import get_job_description, newest_version_numbers
from .draft_stamp import claim_draft

#: Where a composed document puts a clause whose library entry has no category.
DEFAULT_HEADINGS = {"duty": "Duties and responsibilities", "criterion": "Other requirements"}
PRIORITIES = ("essential", "desirable")


# -- linking ------------------------------------------------------------------------------------


def link_clauses(session: Session, version: JobDescriptionVersion) -> None:
    """Link every duty, criterion and statement of a version to its library clause (made if new)."""
    items: list[tuple[str, Duty | Criterion | Statement, str | None]] = []
    for section in version.duty_sections:
        items += [("duty", duty, section.heading) for duty in section.duties]
    for category in version.categories:
        items += [("criterion", criterion, category.name) for criterion in category.criteria]
    items += [("statement", statement, None) for statement in version.statements]
    clauses = clauses_for_texts(
        session, [(kind, item.text, category) for kind, item, category in items]
    )
    for (_kind, item, _category), clause in zip(items, clauses, strict=True):
        item.clause_id = clause.id
    session.flush()


def clauses_for_texts(
    session: Session, texts: Sequence[tuple[str, str, str | None]]
) -> list[Clause]:
    """The library clause of each (kind, text, category): the one with the same matching key,
    or a new clause."""
    keys = [(kind, matching_key(text)) for kind, text, _category in texts]
    hashes = {key_hash(key) for _kind, key in keys}
    existing = {
        (clause.kind, clause.key_hash): clause
        for clause in session.scalars(select(Clause).where(Clause.key_hash.in_(hashes)))
    }
    clauses = []
    for (kind, key), (_kind, text, category) in zip(keys, texts, strict=True):
        clause = existing.get((kind, key_hash(key)))
        if clause is None:
            clause = Clause(
                kind=kind,
                text=text.strip(),
                matching_key=key,
                key_hash=key_hash(key),
                category=category,
            )
            session.add(clause)
            existing[(kind, clause.key_hash)] = clause
        clauses.append(clause)
    session.flush()
    return clauses


# -- duplicates inside one document -----------------------------------------------------------


@dataclass(frozen=True)
class DocumentDuplicate:
    """Two duties (or two criteria) of one document that repeat each other."""

    kind: str
    #: 1-based positions in document order (duties across sections, criteria across categories).
    position_a: int
    text_a: str
    position_b: int
    text_b: str
    match: Match

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "a": {"position": self.position_a, "text": self.text_a},
            "b": {"position": self.position_b, "text": self.text_b},
            "score": self.match.score,
            "match": self.match.kind,
        }

    @property
    def pair_key(self) -> tuple[str, str, str]:
        """How a kept pair is remembered: kind and the two texts' key hashes, smaller first."""
        first, second = sorted(key_hash(matching_key(text)) for text in (self.text_a, self.text_b))
        return (self.kind, first, second)


def find_document_duplicates(session: Session, job_description_id: int) -> list[DocumentDuplicate]:
    """Near-duplicate duties and criteria in the current version of one job description, less
    the pairs someone chose to keep both of."""
    version = get_job_description(session, job_description_id).current
    return version_duplicates(version, kept_duplicate_keys(session, version))


def kept_duplicate_keys(
    session: Session, version: JobDescriptionVersion
) -> set[tuple[str, str, str]]:
    """The `pair_key` of every duplicate pair of the version someone chose to keep both of."""
    rows = session.execute(
        select(
            KeptDuplicate.kind, KeptDuplicate.first_key_hash, KeptDuplicate.second_key_hash
        ).where(KeptDuplicate.version_id == version.id)
    )
    return {(kind, first, second) for kind, first, second in rows}


@dataclass(frozen=True)
class DocumentChecks:
    """What the checks page shows for one version."""

    version: JobDescriptionVersion
    duplicates: list[DocumentDuplicate]
    #: Pairs still found but reviewed and kept (no longer flagged).
    kept: list[DocumentDuplicate]
    issues: list[LintIssue]


def check_document(session: Session, job_description_id: int) -> DocumentChecks:
    """The duplicates (flagged and kept) and person-spec lint of a job description."""
    version = get_job_description(session, job_description_id).current
    every = version_duplicates(version)
    kept_keys = kept_duplicate_keys(session, version)
    return DocumentChecks(
        version,
        [pair for pair in every if pair.pair_key not in kept_keys],
        [pair for pair in every if pair.pair_key in kept_keys],
        lint_version(version),
    )


def version_duplicates(
    version: JobDescriptionVersion, kept: Collection[tuple[str, str, str]] = ()
) -> list[DocumentDuplicate]:
    """Near-duplicate pairs among the version's duties and among its criteria, less `kept`."""
    duplicates = []
    for kind, texts in (
        ("duty", [duty.text for duty in version.duties()]),
        ("criterion", [criterion.text for criterion in version.criteria()]),
    ):
        duplicates += [
            DocumentDuplicate(
                kind=kind,
                position_a=pair.first + 1,
                text_a=texts[pair.first],
                position_b=pair.second + 1,
                text_b=texts[pair.second],
                match=pair.match,
            )
            for pair in find_duplicates(texts)
        ]
    return [pair for pair in duplicates if pair.pair_key not in kept]


# -- the library: search, usage, clusters ------------------------------------------------------


@dataclass(frozen=True)
class LibraryClause:
    """A canonical clause with how many job descriptions use it (through any of its variants)."""

    clause: Clause
    usage: int
    variants: list[Clause] = field(default_factory=list)


def usage_counts(session: Session) -> dict[int, int]:
    """Canonical clause ID -> number of job descriptions whose current version uses it."""
    newest = newest_version_numbers()
    current = (
        select(JobDescriptionVersion.id)
        .join(
            newest,
            (newest.c.job_description_id == JobDescriptionVersion.job_description_id)
            & (newest.c.number == JobDescriptionVersion.number),
        )
        .scalar_subquery()
    )
    canonical = func.coalesce(Clause.merged_into_id, Clause.id)
    uses: dict[int, set[int]] = defaultdict(set)
    queries = (
        select(canonical, DutySection.version_id)
        .join(Duty, Duty.clause_id == Clause.id)
        .join(DutySection, DutySection.id == Duty.section_id)
        .where(DutySection.version_id.in_(current)),
        select(canonical, PersonSpecCategory.version_id)
        .join(Criterion, Criterion.clause_id == Clause.id)
        .join(PersonSpecCategory, PersonSpecCategory.id == Criterion.category_id)
        .where(PersonSpecCategory.version_id.in_(current)),
        select(canonical, Statement.version_id)
        .join(Statement, Statement.clause_id == Clause.id)
        .where(Statement.version_id.in_(current)),
    )
    for query in queries:
        for clause_id, version_id in session.execute(query):
            uses[clause_id].add(version_id)
    return {clause_id: len(versions) for clause_id, versions in uses.items()}


def search_library(
    session: Session,
    text: str | None = None,
    *,
    kind: str | None = None,
    category: str | None = None,
    min_usage: int = 0,
    limit: int = 200,
) -> list[LibraryClause]:
    """Canonical clauses containing the words of `text` most used first."""
    found = _search(session, text, [kind] if kind else CLAUSE_KINDS, category, min_usage)
    return found[:limit]


#: Search results shown on one page.
SEARCH_PAGE_SIZE = 20


@dataclass(frozen=True)
class LibraryPage:
    """One page of library search results, with the number found in all."""

    clauses: list[LibraryClause]
    total: int
    #: 1-based; a page past the last is shown as the last.
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The 1-based number of the first result on the page (0 when nothing was found)."""
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.clauses)


def search_library_page(
    session: Session,
    text: str | None = None,
    *,
    kinds: Sequence[str] = CLAUSE_KINDS,
    category: str | None = None,
    min_usage: int = 0,
    page: int = 1,
    per_page: int = SEARCH_PAGE_SIZE,
) -> LibraryPage:
    """One page of `search_library`'s results and how many there are in all; a page number
    below 1 gives the first page, one past the end the last."""
    found = _search(session, text, kinds, category, min_usage)
    pages = max(1, -(-len(found) // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return LibraryPage(found[start : start + per_page], len(found), page, per_page)


def _search(
    session: Session,
    text: str | None,
    kinds: Sequence[str],
    category: str | None,
    min_usage: int,
) -> list[LibraryClause]:
    query = select(Clause).where(Clause.merged_into_id.is_(None), Clause.kind.in_(kinds))
    if category:
        query = query.where(func.lower(Clause.category).like(f"%{category.strip().lower()}%"))
    words = matching_key(text).split() if text and text.strip() else []
    for word in words:
        query = query.where(
            or_(Clause.matching_key.like(f"%{word}%"), func.lower(Clause.text).like(f"%{word}%"))
        )
    counts = usage_counts(session)
    variants = _variants_by_canonical(session)
    found = [
        LibraryClause(clause, counts.get(clause.id, 0), variants.get(clause.id, []))
        for clause in session.scalars(query)
    ]
    found = [entry for entry in found if entry.usage >= min_usage]
    found.sort(
        key=lambda entry: (
            -entry.usage,
            entry.clause.kind,
            entry.clause.text.lower(),
            entry.clause.id,
        )
    )
    return found


def _variants_by_canonical(session: Session) -> dict[int, list[Clause]]:
    variants: dict[int, list[Clause]] = defaultdict(list)
    for clause in session.scalars(
        select(Clause).where(Clause.merged_into_id.is_not(None)).order_by(Clause.id)
    ):
        variants[clause.merged_into_id].append(clause)  # type: ignore[index]
    return variants


def library_categories(session: Session) -> list[str]:
    return sorted(set(session.scalars(select(Clause.category).where(Clause.category.is_not(None)))))


@dataclass(frozen=True)
class ClusterMember:
    clause: Clause
    usage: int
    #: Similarity (0-100) to the suggested canonical clause.
    score: float


@dataclass(frozen=True)
class ClauseCluster:
    """Library clauses that near-duplicate each other; the first is the suggested canonical one."""

    kind: str
    members: list[ClusterMember]

    @property
    def canonical(self) -> Clause:
        return self.members[0].clause

    @property
    def lowest_score(self) -> float:
        return min(member.score for member in self.members[1:])


def find_clusters(session: Session, kind: str | None = None) -> list[ClauseCluster]:
    """Groups of near-duplicate canonical clauses across the whole library."""
    counts = usage_counts(session)
    clusters = []
    for clause_kind in [kind] if kind else CLAUSE_KINDS:
        clauses = list(
            session.scalars(
                select(Clause)
                .where(Clause.kind == clause_kind, Clause.merged_into_id.is_(None))
                .order_by(Clause.id)
            )
        )
        index = ClauseIndex(clause.text for clause in clauses)
        for positions in index.clusters():
            group = [clauses[position] for position in positions]
            # The suggested canonical wording: the most used, then the oldest.
            group.sort(key=lambda clause: (-counts.get(clause.id, 0), clause.id))
            canonical_key = group[0].matching_key
            clusters.append(
                ClauseCluster(
                    kind=clause_kind,
                    members=[
                        ClusterMember(
                            clause,
                            counts.get(clause.id, 0),
                            100.0
                            if clause is group[0]
                            else score(canonical_key, clause.matching_key),
                        )
                        for clause in group
                    ],
                )
            )
    clusters.sort(key=lambda cluster: (-len(cluster.members), cluster.canonical.id))
    return clusters


# -- merging clauses ---------------------------------------------------------------------------


def get_clause(session: Session, clause_id: int) -> Clause:
    clause = session.get(Clause, clause_id)
    if clause is None:
        raise NotFound(f"There is no library clause with ID {clause_id}.")
    return clause


def merge_clauses(
    session: Session,
    clause_ids: Iterable[int],
    canonical_id: int,
    *,
    canonical_text: str | None = None,
    user: User | None = None,
) -> ClauseMerge:
    """Make the other clauses variants of the canonical one, optionally rewording it; logged.

    Documents keep the text they copied; only the library changes.
    """
    ids = sorted(set(clause_ids) | {canonical_id})
    if len(ids) < 2:
        raise DomainError("Choose at least two clauses to merge.")
    clauses = [get_clause(session, clause_id) for clause_id in ids]
    canonical = next(clause for clause in clauses if clause.id == canonical_id)
    for clause in clauses:
        if clause.merged_into_id is not None:
            raise DomainError(
                f"Clause {clause.id} is already a variant of clause {clause.merged_into_id}."
            )
        if clause.kind != canonical.kind:
            raise DomainError("Only clauses of the same kind (duties or criteria) can be merged.")
    new_text = (canonical_text or canonical.text).strip()
    if not new_text:
        raise DomainError("The canonical wording cannot be empty.")
    members = []
    for clause in clauses:
        if clause is canonical:
            continue
        similarity = score(matching_key(new_text), clause.matching_key)
        partners = [matching_key(new_text)] + [o.matching_key for o in clauses if o is not clause]
        if not any(_near(partner, clause.matching_key) for partner in partners):
            raise DomainError(
                f"“{clause.text}” is not a near-duplicate of the other clauses chosen (a different "
                "qualifier such as SEN, a different number, or only part of a longer clause), "
                "so it cannot be merged."
            )
        members.append(ClauseMergeMember(clause_id=clause.id, score=round(similarity, 1)))
        clause.merged_into_id = canonical.id
        # Its own variants follow it, so every variant points straight at its canonical clause.
        for variant in clause.variants:
            members.append(
                ClauseMergeMember(
                    clause_id=variant.id,
                    score=round(score(matching_key(new_text), variant.matching_key), 1),
                    previous_canonical_id=clause.id,
                )
            )
            variant.merged_into_id = canonical.id
    merge = ClauseMerge(
        canonical_clause=canonical,
        merged_by_id=user.id if user else None,
        score=min(member.score for member in members if member.previous_canonical_id is None),
        previous_text=canonical.text,
        canonical_text=new_text,
        members=members,
    )
    canonical.text = new_text
    session.add(merge)
    session.flush()
    return merge


def _near(key_a: str, key_b: str) -> bool:
    return score(key_a, key_b) >= NEAR_DUPLICATE_CUTOFF and keeps_near_pair(key_a, key_b)


def undo_merge(session: Session, merge_id: int, user: User | None = None) -> ClauseMerge:
    """Undo a merge: its clauses stand alone again and the canonical wording is restored."""
    merge = session.get(ClauseMerge, merge_id)
    if merge is None:
        raise NotFound(f"There is no clause merge with ID {merge_id}.")
    if merge.undone_at is not None:
        raise Forbidden(f"Merge {merge_id} has already been undone.")
    canonical = merge.canonical_clause
    later = session.scalar(
        select(ClauseMerge).where(
            ClauseMerge.id > merge.id,
            ClauseMerge.undone_at.is_(None),
            ClauseMerge.canonical_clause_id == canonical.id,
        )
    )
    if later is not None or canonical.merged_into_id is not None:
        raise Forbidden(f"A later merge changed clause {canonical.id}; undo that merge first.")
    for member in merge.members:
        member.clause.merged_into_id = member.previous_canonical_id
    canonical.text = merge.previous_text
    merge.undone_at = utcnow()
    merge.undone_by_id = user.id if user else None
    session.flush()
    return merge


def list_merges(session: Session, limit: int = 50) -> list[ClauseMerge]:
    return list(session.scalars(select(ClauseMerge).order_by(ClauseMerge.id.desc()).limit(limit)))


# -- composing documents -----------------------------------------------------------------------


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


# -- merging two job descriptions --------------------------------------------------------------


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


# -- common core -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommonCore:
    """Clauses by how many of the library's job descriptions use them."""

    document_count: int
    clauses: list[LibraryClause]


def common_core(session: Session, kind: str | None = None, min_usage: int = 2) -> CommonCore:
    document_count = session.scalar(select(func.count(JobDescription.id))) or 0
    return CommonCore(
        document_count,
        search_library(session, kind=kind, min_usage=max(min_usage, 1), limit=500),
    )


# -- person-spec lint --------------------------------------------------------------------------


def lint_job_description(session: Session, job_description_id: int) -> list[LintIssue]:
    """The person-spec lint of a job description's current version."""
    return lint_version(get_job_description(session, job_description_id).current)


def lint_version(version: JobDescriptionVersion) -> list[LintIssue]:
    facts: list[CriterionFacts] = []
    for category in version.categories:
        for criterion in category.criteria:
            facts.append(
                CriterionFacts(
                    position=len(facts) + 1,
                    category=category.name,
                    text=criterion.text,
                    priority=criterion.priority,
                    methods=tuple(criterion.methods),
                )
            )
    return lint_person_spec(facts, has_person_spec=version.has_person_spec)
