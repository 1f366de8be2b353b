"""Checks on a person specification, in safer-recruitment terms (pure: no Flask, no database)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .matching import compare, normalise

PRIORITIES = ("essential", "desirable")
#: The method that evidence at shortlisting comes from.
APPLICATION_STAGE = "application"
#: Words that show a criterion is about suitability to work with children (safer recruitment).
_SUITABILITY = re.compile(
    r"suitab\w* to work with (?:children|young people|pupils)|safeguard|child protection"
    r"|\bdbs\b|disclosure and barring|barred list|welfare of (?:children|young people|pupils)"
)


def is_suitability_text(text: str) -> bool:
    """The text is about safeguarding or suitability to work with children."""
    return _SUITABILITY.search(normalise(text)) is not None


@dataclass(frozen=True)
class CriterionFacts:
    """What the lint needs to know about one criterion."""

    #: 1-based, in document order across all categories.
    position: int
    category: str
    text: str
    #: "essential", "desirable" or "unknown".
    priority: str
    methods: tuple[str, ...]


@dataclass(frozen=True)
class LintIssue:
    #: A stable code for scripts: no-method, essential-not-at-application, repeated, ...
    code: str
    message: str
    #: The criteria it is about (1-based positions); empty for the whole specification.
    positions: tuple[int, ...] = ()


def lint_person_spec(
    criteria: Sequence[CriterionFacts], *, has_person_spec: bool = True
) -> list[LintIssue]:
    """Every problem found, criteria in document order first, then whole-document ones."""
    if not has_person_spec:
        return [
            LintIssue(
                "no-person-spec",
                "There is no person specification: shortlisting has nothing to score against.",
            )
        ]
    issues: list[LintIssue] = []
    all_positions = tuple(criterion.position for criterion in criteria)
    no_methods = len(criteria) > 1 and not any(criterion.methods for criterion in criteria)
    no_priorities = len(criteria) > 1 and not any(
        criterion.priority in PRIORITIES for criterion in criteria
    )
    if no_methods:  # one issue for the whole table rather than one per row
        issues.append(
            LintIssue("no-method", "No criterion says how it is assessed.", all_positions)
        )
    if no_priorities:
        issues.append(
            LintIssue(
                "unknown-priority",
                "No criterion is marked essential or desirable.",
                all_positions,
            )
        )
    for criterion in criteria:
        issues += _criterion_issues(
            criterion, check_method=not no_methods, check_priority=not no_priorities
        )
    issues += _repeated_across_categories(criteria)
    if not any(_SUITABILITY.search(normalise(criterion.text)) for criterion in criteria):
        issues.append(
            LintIssue(
                "no-suitability-criterion",
                "No criterion covers suitability to work with children (for example a "
                "commitment to safeguarding, or an enhanced DBS check); safer recruitment "
                "expects one.",
            )
        )
    return issues


def _criterion_issues(
    criterion: CriterionFacts, *, check_method: bool, check_priority: bool
) -> list[LintIssue]:
    issues = []
    where = (criterion.position,)
    label = f"Criterion {criterion.position} (“{_short(criterion.text)}”)"
    if not criterion.methods:
        if check_method:
            issues.append(
                LintIssue("no-method", f"{label} does not say how it is assessed.", where)
            )
    elif criterion.priority == "essential" and APPLICATION_STAGE not in criterion.methods:
        issues.append(
            LintIssue(
                "essential-not-at-application",
                f"{label} is essential but nothing at application stage assesses it, so it "
                "cannot be used to shortlist.",
                where,
            )
        )
    if check_priority and criterion.priority not in PRIORITIES:
        issues.append(
            LintIssue(
                "unknown-priority",
                f"{label} is not marked essential or desirable.",
                where,
            )
        )
    return issues


def _repeated_across_categories(criteria: Sequence[CriterionFacts]) -> list[LintIssue]:
    issues = []
    for index, first in enumerate(criteria):
        for second in criteria[index + 1 :]:
            if first.category == second.category:
                continue
            match = compare(first.text, second.text)
            if match is None or match.kind == "subset":
                continue
            same = "repeats" if match.kind == "exact" else "nearly repeats"
            issues.append(
                LintIssue(
                    "repeated",
                    f"Criterion {second.position} in {second.category} {same} criterion "
                    f"{first.position} in {first.category} (“{_short(first.text)}”).",
                    (first.position, second.position),
                )
            )
    return issues


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
