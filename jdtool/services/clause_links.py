"""Link a document's texts to the clause library: each duty, criterion and statement points
at its clause (made when the text is new to the library)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..matching import (
    key_hash,
    matching_key,
)
from ..models import (
    Clause,
    Criterion,
    Duty,
    JobDescriptionVersion,
    Statement,
)


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
