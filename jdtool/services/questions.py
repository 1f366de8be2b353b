"""A vacancy's interview questions: add, edit, reorder, import, suggest from the bank, check,
and the interview pack.

Questions belong to one vacancy and cover criteria its person spec assesses at interview or by
a task. Scores stay per criterion × method: a question only groups criteria on the scoring grid
and in the pack. The question bank is every earlier vacancy's questions, found through the
clause library: a criterion's clause suggests the questions asked about that clause before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..errors import DomainError, NotFound
from ..matching import normalise
from ..models import (
    Criterion,
    InterviewQuestion,
    InterviewQuestionCriterion,
    InterviewQuestionGuidance,
    Vacancy,
)
from ..question_checks import InterviewCriterion, QuestionFacts, QuestionIssue, check_questions
from ..scoring import SCALES
from .approved_content import CriterionContent, pinned_criteria
from .audit import record_event
from .vacancies import check_not_closed

#: Methods whose evidence is heard at interview, so a question can draw it out.
QUESTION_METHODS = ("interview", "task")


MAX_QUESTION_LENGTH = 2000


#: How many earlier questions the bank suggests for one criterion.
SUGGESTIONS_PER_CRITERION = 5


class QuestionInvalid(DomainError):
    """The question form has mistakes; `errors` maps each field name to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


@dataclass(frozen=True)
class QuestionCriterion:
    """A criterion a question may cover: its 1-based position in the person spec."""

    position: int
    #: The ORM row, or its frozen copy when the version is an approved one this worker holds.
    criterion: Criterion | CriterionContent


@dataclass(frozen=True)
class QuestionDraft:
    """What the form (or a CSV row) says a question is."""

    text: str
    criterion_ids: Sequence[int]
    guidance: str = ""
    follow_ups: str = ""
    #: Score on the vacancy's scale → what an answer worth it shows.
    score_guidance: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    """A question asked in another vacancy about the same library clause."""

    question: InterviewQuestion
    vacancy_title: str


def question_criteria(vacancy: Vacancy) -> list[QuestionCriterion]:
    """The criteria a question may cover, in person-spec order."""
    return [
        QuestionCriterion(position, criterion)
        for position, criterion in enumerate(pinned_criteria(vacancy.version), start=1)
        if any(method in QUESTION_METHODS for method in criterion.methods)
    ]


def vacancy_questions(session: Session, vacancy: Vacancy) -> list[InterviewQuestion]:
    """The vacancy's questions in the order asked."""
    return list(
        session.scalars(
            select(InterviewQuestion)
            .where(InterviewQuestion.vacancy_id == vacancy.id)
            .options(
                selectinload(InterviewQuestion.criterion_links),
                selectinload(InterviewQuestion.score_guidance),
            )
            .order_by(InterviewQuestion.position)
        )
    )


def criterion_positions(vacancy: Vacancy, question: InterviewQuestion) -> list[int]:
    """The 1-based person-spec positions of the criteria a question covers, in order."""
    ids = question.criterion_ids
    return [
        position
        for position, criterion in enumerate(pinned_criteria(vacancy.version), start=1)
        if criterion.id in ids
    ]


def get_question(session: Session, vacancy: Vacancy, question_id: int) -> InterviewQuestion:
    question = session.get(InterviewQuestion, question_id)
    if question is None or question.vacancy_id != vacancy.id:
        raise NotFound("That question is no longer on this vacancy's list.")
    return question


def add_question(
    session: Session, vacancy: Vacancy, draft: QuestionDraft, *, log: bool = True
) -> InterviewQuestion:
    """Add a question at the end of the list (logged, unless the caller logs the batch)."""
    check_not_closed(vacancy, "changes to its questions")
    _check_draft(session, vacancy, draft)
    last = session.scalar(
        select(func.max(InterviewQuestion.position)).where(
            InterviewQuestion.vacancy_id == vacancy.id
        )
    )
    question = InterviewQuestion(vacancy_id=vacancy.id, position=(last or 0) + 1)
    _fill(question, draft)
    session.add(question)
    session.flush()
    if log:
        _log(session, vacancy, f"question {question.position} added: {_short(draft.text)}")
    return question


def _log(session: Session, vacancy: Vacancy, what: str) -> None:
    record_event(session, "question-change", f"vacancy {vacancy.id}", what)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


def update_question(
    session: Session, vacancy: Vacancy, question_id: int, draft: QuestionDraft
) -> InterviewQuestion:
    check_not_closed(vacancy, "changes to its questions")
    question = get_question(session, vacancy, question_id)
    _check_draft(session, vacancy, draft, editing=question)
    _fill(question, draft)
    session.flush()
    _log(session, vacancy, f"question {question.position} changed: {_short(draft.text)}")
    return question


def delete_question(session: Session, vacancy: Vacancy, question_id: int) -> None:
    """Remove a question; the ones after it move up."""
    check_not_closed(vacancy, "changes to its questions")
    question = get_question(session, vacancy, question_id)
    position = question.position
    _log(session, vacancy, f"question {position} deleted: {_short(question.text)}")
    session.delete(question)
    session.flush()
    later = session.scalars(
        select(InterviewQuestion)
        .where(InterviewQuestion.vacancy_id == vacancy.id, InterviewQuestion.position > position)
        .order_by(InterviewQuestion.position)
    )
    for each in list(later):  # one at a time: positions are unique at every step
        each.position -= 1
        session.flush()


def move_question(
    session: Session, vacancy: Vacancy, question_id: int, direction: str, seen_at: int
) -> InterviewQuestion:
    """Swap a question with the one before ("up") or after ("down").

    `seen_at` is the position the page showed: if the list changed since (or the form was sent
    twice) nothing moves, so a double click never moves a question two places.
    """
    check_not_closed(vacancy, "changes to its questions")
    question = get_question(session, vacancy, question_id)
    if question.position != seen_at:
        raise DomainError(
            "The order changed since this page was opened; check it and move the question again."
        )
    target = question.position + (-1 if direction == "up" else 1)
    other = session.scalar(
        select(InterviewQuestion).where(
            InterviewQuestion.vacancy_id == vacancy.id, InterviewQuestion.position == target
        )
    )
    if other is None:
        return question  # already first (or last)
    other.position = 0
    session.flush()
    question.position = target
    session.flush()
    other.position = seen_at
    session.flush()
    _log(session, vacancy, f"question {seen_at} moved {direction} to {target}")
    return question


def _check_draft(
    session: Session,
    vacancy: Vacancy,
    draft: QuestionDraft,
    editing: InterviewQuestion | None = None,
) -> None:
    errors: dict[str, str] = {}
    text = draft.text.strip()
    if not text:
        errors["text"] = "Write the question the panel will ask."
    elif len(text) > MAX_QUESTION_LENGTH:
        errors["text"] = f"Keep the question under {MAX_QUESTION_LENGTH:,} characters."
    elif _same_question_exists(session, vacancy, text, editing):
        errors["text"] = "This question is already on the list."
    allowed = {c.criterion.id for c in question_criteria(vacancy)}
    if not draft.criterion_ids:
        errors["criteria"] = "Tick the criteria whose evidence this question draws out."
    elif not set(draft.criterion_ids) <= allowed:
        errors["criteria"] = "Choose only criteria assessed at interview or by a task."
    scale = SCALES[vacancy.scale]
    if set(draft.score_guidance) - set(scale.values):
        errors["score_guidance"] = f"Guidance is given per score on the scale ({scale.label})."
    if errors:
        raise QuestionInvalid(errors)


def _same_question_exists(
    session: Session, vacancy: Vacancy, text: str, editing: InterviewQuestion | None
) -> bool:
    wanted = normalise(text)
    return any(
        normalise(other.text) == wanted
        for other in session.scalars(
            select(InterviewQuestion).where(InterviewQuestion.vacancy_id == vacancy.id)
        )
        if other is not editing
    )


def _fill(question: InterviewQuestion, draft: QuestionDraft) -> None:
    question.text = draft.text.strip()
    question.guidance = draft.guidance.strip()
    question.follow_ups = "\n".join(
        line.strip() for line in draft.follow_ups.splitlines() if line.strip()
    )
    wanted_ids = list(dict.fromkeys(draft.criterion_ids))
    kept = [link for link in question.criterion_links if link.criterion_id in wanted_ids]
    have = {link.criterion_id for link in kept}
    question.criterion_links = kept + [
        InterviewQuestionCriterion(criterion_id=criterion_id)
        for criterion_id in wanted_ids
        if criterion_id not in have
    ]
    guidance = {score: text.strip() for score, text in draft.score_guidance.items() if text.strip()}
    existing = {row.score: row for row in question.score_guidance}
    rows = []
    for score, text in sorted(guidance.items()):
        row = existing.get(score) or InterviewQuestionGuidance(score=score)
        row.text = text
        rows.append(row)
    question.score_guidance = rows


# -- the question bank --------------------------------------------------------------------------


def suggestions(session: Session, vacancy: Vacancy) -> dict[int, list[Suggestion]]:
    """Per criterion ID, questions other vacancies asked about the same library clause (newest
    first, one per wording), leaving out wordings this vacancy already asks."""
    by_clause: dict[int, list[int]] = {}
    criterion_ids = [item.criterion.id for item in question_criteria(vacancy)]
    # Clause links are the library's, not the approved content's, so they are read afresh.
    clause_of = dict(
        session.execute(
            select(Criterion.id, Criterion.clause_id).where(Criterion.id.in_(criterion_ids))
        ).all()
    )
    for criterion_id in criterion_ids:
        clause_id = clause_of.get(criterion_id)
        if clause_id is not None:
            by_clause.setdefault(clause_id, []).append(criterion_id)
    if not by_clause:
        return {}
    asked = {normalise(question.text) for question in vacancy_questions(session, vacancy)}
    rows = session.execute(
        select(InterviewQuestion, Criterion.clause_id, Vacancy.title)
        .join(
            InterviewQuestionCriterion,
            InterviewQuestionCriterion.question_id == InterviewQuestion.id,
        )
        .join(Criterion, Criterion.id == InterviewQuestionCriterion.criterion_id)
        .join(Vacancy, Vacancy.id == InterviewQuestion.vacancy_id)
        .where(
            Criterion.clause_id.in_(list(by_clause)),
            InterviewQuestion.vacancy_id != vacancy.id,
        )
        .order_by(InterviewQuestion.id.desc())
    ).all()
    result: dict[int, list[Suggestion]] = {}
    seen: dict[int, set[str]] = {}
    for question, clause_id, title in rows:
        wording = normalise(question.text)
        if wording in asked or clause_id is None:
            continue
        for criterion_id in by_clause[clause_id]:
            if wording in seen.setdefault(criterion_id, set()):
                continue
            listed = result.setdefault(criterion_id, [])
            if len(listed) < SUGGESTIONS_PER_CRITERION:
                seen[criterion_id].add(wording)
                listed.append(Suggestion(question, title))
    return result


def add_from_bank(
    session: Session, vacancy: Vacancy, source_id: int, criterion_id: int
) -> InterviewQuestion:
    """Copy a suggested question into this vacancy for `criterion_id` (the criterion whose
    clause suggested it), with its guidance, follow-ups and — on the same scale — its score
    guidance."""
    offered = suggestions(session, vacancy).get(criterion_id, [])
    source = next((s.question for s in offered if s.question.id == source_id), None)
    if source is None:
        raise NotFound("That suggestion is not offered for this criterion any more.")
    source_vacancy = session.get(Vacancy, source.vacancy_id)
    same_scale = source_vacancy is not None and source_vacancy.scale == vacancy.scale
    draft = QuestionDraft(
        text=source.text,
        criterion_ids=[criterion_id],
        guidance=source.guidance,
        follow_ups=source.follow_ups,
        score_guidance={row.score: row.text for row in source.score_guidance} if same_scale else {},
    )
    return add_question(session, vacancy, draft)


# -- checks, listing and import ------------------------------------------------------------------


def question_issues(
    vacancy: Vacancy, questions: Sequence[InterviewQuestion]
) -> list[QuestionIssue]:
    """Interview criteria without a question; no question on safeguarding. An interview with
    no interview criteria needs no questions."""
    criteria = question_criteria(vacancy)
    if not criteria:
        return []
    return check_questions(
        [InterviewCriterion(c.position, c.criterion.text) for c in criteria],
        [
            QuestionFacts(q.position, q.text, tuple(criterion_positions(vacancy, q)))
            for q in questions
        ],
    )
