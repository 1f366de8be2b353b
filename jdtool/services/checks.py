"""Checks on one document: duplicated duties and criteria (pairs a person kept are left out)
and the person-specification lint."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..matching import (
    Match,
    find_duplicates,
    key_hash,
    matching_key,
)
from ..models import (
    JobDescriptionVersion,
    KeptDuplicate,
)
from ..person_spec_lint import CriterionFacts, LintIssue, lint_person_spec
from .documents import get_job_description


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
