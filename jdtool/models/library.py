"""The clause library: every duty, criterion and statement text, its variants and merges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .people import User, utcnow

CLAUSE_KINDS = ("duty", "criterion", "statement")


class Clause(Base):
    """One wording of a duty, criterion or statement; documents keep their own copy of the text.

    A clause merged into a canonical clause becomes one of its variants (`merged_into_id`);
    the documents that used it still point at it, so undoing the merge is exact.
    """

    __tablename__ = "clauses"
    __table_args__ = (
        UniqueConstraint("kind", "key_hash"),
        CheckConstraint(f"kind IN {CLAUSE_KINDS}", name="kind_known"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_own_variant"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    #: The normalised words near-duplicate search compares (jdtool.matching.matching_key), of
    #: the wording the clause was created from; a merge may reword `text` but keeps this, so
    #: a later import of any merged wording still links to the same clause or variant.
    matching_key: Mapped[str] = mapped_column(Text)
    #: Hash of `matching_key`: two texts with the same hash are the same clause.
    key_hash: Mapped[str] = mapped_column(String(32), index=True)
    #: Section heading (duties) or person-spec category (criteria) where it was first used.
    category: Mapped[str | None] = mapped_column(String(300))
    #: The canonical clause this one was merged into, if any.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    merged_into: Mapped[Clause | None] = relationship(remote_side=[id], back_populates="variants")
    variants: Mapped[list[Clause]] = relationship(back_populates="merged_into")

    @property
    def canonical(self) -> Clause:
        return self.merged_into or self


class ClauseMerge(Base):
    """A merge of near-duplicate clauses into one canonical clause: who, when, how similar."""

    __tablename__ = "clause_merges"
    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 100", name="score_in_range"),
        CheckConstraint("undone_by_id IS NULL OR undone_at IS NOT NULL", name="undone_when"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Who merged; empty when merged from the command line.
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The lowest similarity (0-100) of a merged clause to the others.
    score: Mapped[float]
    #: The canonical clause's text before the merge (restored by undo).
    previous_text: Mapped[str] = mapped_column(Text)
    canonical_text: Mapped[str] = mapped_column(Text)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    canonical_clause: Mapped[Clause] = relationship()
    merged_by: Mapped[User | None] = relationship(foreign_keys=[merged_by_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])
    members: Mapped[list[ClauseMergeMember]] = relationship(
        cascade="all, delete-orphan", order_by="ClauseMergeMember.clause_id"
    )


class ClauseMergeMember(Base):
    """One clause that a merge made a variant of the canonical clause."""

    __tablename__ = "clause_merge_members"

    merge_id: Mapped[int] = mapped_column(ForeignKey("clause_merges.id"), primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), primary_key=True)
    #: Similarity (0-100) of this clause to the canonical text at the time of the merge.
    score: Mapped[float]
    #: The canonical clause this clause was a variant of before the merge (undo restores it):
    #: merging a canonical clause moves its variants along with it.
    previous_canonical_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"))

    clause: Mapped[Clause] = relationship(foreign_keys=[clause_id])


class KeptDuplicate(Base):
    """Two duties (or two criteria) of one draft that the checks pair as duplicates, which someone
    reviewed and chose to keep both of: the checks stop flagging that pair for that version.

    The pair is held by the matching keys' hashes (jdtool.matching.key_hash) of the two texts,
    smaller first, so it stays recognised when lines move and goes when either text changes.
    """

    __tablename__ = "kept_duplicates"
    __table_args__ = (
        UniqueConstraint(
            "version_id",
            "kind",
            "first_key_hash",
            "second_key_hash",
            name="uq_kept_duplicates_pair",  # the convention's name is too long for PostgreSQL
        ),
        CheckConstraint("kind IN ('duty', 'criterion')", name="kind_known"),
        CheckConstraint("first_key_hash <= second_key_hash", name="pair_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("job_description_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    first_key_hash: Mapped[str] = mapped_column(String(32))
    second_key_hash: Mapped[str] = mapped_column(String(32))
    #: Who chose to keep both; empty when done from the command line.
    kept_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kept_at: Mapped[datetime] = mapped_column(default=utcnow)
