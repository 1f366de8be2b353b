"""The clause library: search it, find near-duplicate clusters, merge clauses and undo merges,
and the clauses most documents share.

Documents keep their own copy of every text; the library only points at it. Merging clauses
changes library rows, never a duty's or criterion's text, so approved versions stay as approved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..clause_index import ClauseIndex
from ..errors import DomainError, Forbidden, NotFound
from ..matching import (
    NEAR_DUPLICATE_CUTOFF,
    keeps_near_pair,
    matching_key,
    score,
)
from ..models import (
    Clause,
    ClauseMerge,
    ClauseMergeMember,
    Criterion,
    Duty,
    DutySection,
    JobDescription,
    JobDescriptionVersion,
    PersonSpecCategory,
    Statement,
    User,
)
from ..models.library import CLAUSE_KINDS
from ..models.people import utcnow
from .documents import newest_version_numbers


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
