"""Checks on a vacancy's interview questions (pure: no Flask, no database).

Every criterion the interview (or a task) assesses needs a question that draws out its evidence,
and safer recruitment expects the interview to explore safeguarding and suitability to work with
children: a question covers it when one of its criteria is a suitability criterion (recognised
as the person-spec lint recognises them) or when its own wording asks about it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .matching import normalise
from .person_spec_lint import is_suitability_text

#: Question wording that explores safeguarding even when its criteria do not name it.
_SAFEGUARDING_QUESTION = re.compile(
    r"\bsafe\b|safety|concern(?:s|ed)? about (?:a|the|their) (?:child|pupil|young person)"
    r"|disclos|whistle ?blow|allegation|keep(?:ing)? (?:children|pupils|young people) safe"
    r"|(?:child|pupil) (?:told|tells) you"
)


@dataclass(frozen=True)
class InterviewCriterion:
    """A criterion the interview (or a task) assesses."""

    #: 1-based position in the person specification.
    position: int
    text: str


@dataclass(frozen=True)
class QuestionFacts:
    #: 1-based, in the order asked.
    number: int
    text: str
    #: Positions of the criteria it covers.
    positions: tuple[int, ...]


@dataclass(frozen=True)
class QuestionIssue:
    #: "no-question" or "no-safeguarding-question".
    code: str
    message: str
    #: The criteria it is about (1-based positions); empty for the whole interview.
    positions: tuple[int, ...] = ()


def is_safeguarding_question(text: str) -> bool:
    """The question's own wording explores safeguarding or suitability to work with children."""
    return is_suitability_text(text) or _SAFEGUARDING_QUESTION.search(normalise(text)) is not None


def check_questions(
    criteria: Sequence[InterviewCriterion], questions: Sequence[QuestionFacts]
) -> list[QuestionIssue]:
    """Interview criteria no question covers (in person-spec order), then the safeguarding
    check; an empty list when the questions are complete."""
    covered = {position for question in questions for position in question.positions}
    issues = [
        QuestionIssue(
            "no-question",
            f"Criterion {criterion.position} (“{_short(criterion.text)}”) is assessed at "
            "interview but no question asks about it.",
            (criterion.position,),
        )
        for criterion in criteria
        if criterion.position not in covered
    ]
    suitability = {c.position for c in criteria if is_suitability_text(c.text)}
    safeguarding_asked = any(
        suitability.intersection(question.positions) or is_safeguarding_question(question.text)
        for question in questions
    )
    if not safeguarding_asked:
        issues.append(
            QuestionIssue(
                "no-safeguarding-question",
                "No question explores safeguarding or the candidate's suitability to work with "
                "children; safer recruitment expects the interview to.",
            )
        )
    return issues


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
