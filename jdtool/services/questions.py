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
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..errors import DomainError, NotFound
from ..export.interview_pack import PackCandidate, PackQuestion, build_interview_pack
from ..matching import normalise
from ..models import (
    AdvertDetails,
    Criterion,
    InterviewQuestion,
    InterviewQuestionCriterion,
    InterviewQuestionGuidance,
    Vacancy,
)
from ..question_checks import InterviewCriterion, QuestionFacts, QuestionIssue, check_questions
from ..scoring import SCALES
from .audit import record_event
from .scoping import Scope
from .vacancies import CsvRowsInvalid, check_not_closed, read_csv

#: Methods whose evidence is heard at interview, so a question can draw it out.
QUESTION_METHODS = ("interview", "task")
QUESTION_COLUMNS = ("criterion", "question", "guidance")
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
    criterion: Criterion


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
        for position, criterion in enumerate(vacancy.version.criteria(), start=1)
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
        for position, criterion in enumerate(vacancy.version.criteria(), start=1)
        if criterion.id in ids
    ]


def get_question(session: Session, vacancy: Vacancy, question_id: int) -> InterviewQuestion:
    question = session.get(InterviewQuestion, question_id)
    if question is None or question.vacancy_id != vacancy.id:
        raise NotFound("That question is no longer on this vacancy's list.")
    return question


def add_question(session: Session, vacancy: Vacancy, draft: QuestionDraft) -> InterviewQuestion:
    """Add a question at the end of the list."""
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
    return question


def update_question(
    session: Session, vacancy: Vacancy, question_id: int, draft: QuestionDraft
) -> InterviewQuestion:
    check_not_closed(vacancy, "changes to its questions")
    question = get_question(session, vacancy, question_id)
    _check_draft(session, vacancy, draft, editing=question)
    _fill(question, draft)
    session.flush()
    return question


def delete_question(session: Session, vacancy: Vacancy, question_id: int) -> None:
    """Remove a question; the ones after it move up."""
    check_not_closed(vacancy, "changes to its questions")
    question = get_question(session, vacancy, question_id)
    position = question.position
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
    for item in question_criteria(vacancy):
        if item.criterion.clause_id is not None:
            by_clause.setdefault(item.criterion.clause_id, []).append(item.criterion.id)
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


def import_questions(session: Session, vacancy_id: int, data: bytes) -> list[InterviewQuestion]:
    """Add the questions of a CSV file (`criterion,question,guidance`; criterion positions
    joined with ";") after the existing ones; all or nothing."""
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound(f"There is no vacancy with ID {vacancy_id}.")
    check_not_closed(vacancy, "changes to its questions")
    header, rows = read_csv(data, "questions")
    missing = [column for column in ("criterion", "question") if column not in header]
    if missing:
        raise DomainError(
            "The questions file needs the columns criterion, question and guidance "
            f"(missing: {', '.join(missing)})."
        )
    unknown = [column for column in header if column not in QUESTION_COLUMNS]
    if unknown:
        raise DomainError(
            f"The questions file has columns jdtool does not know: {', '.join(unknown)} "
            "(expected criterion, question, guidance)."
        )
    all_criteria = vacancy.version.criteria()
    allowed = {c.position: c.criterion for c in question_criteria(vacancy)}
    errors: list[str] = []
    drafts: list[QuestionDraft] = []
    seen: set[str] = {normalise(q.text) for q in vacancy_questions(session, vacancy)}
    for line, row in rows:
        text = row.get("question", "")
        positions, problem = _positions(row.get("criterion", ""), len(all_criteria), allowed)
        if problem:
            errors.append(f"Row {line}: {problem}")
        elif not text:
            errors.append(f"Row {line}: the question is empty.")
        elif len(text) > MAX_QUESTION_LENGTH:
            errors.append(
                f"Row {line}: keep the question under {MAX_QUESTION_LENGTH:,} characters."
            )
        elif normalise(text) in seen:
            errors.append(f"Row {line}: this question is already on the list.")
        else:
            seen.add(normalise(text))
            drafts.append(
                QuestionDraft(
                    text=text,
                    criterion_ids=[allowed[p].id for p in positions],
                    guidance=row.get("guidance", ""),
                )
            )
    if errors:
        raise CsvRowsInvalid("no question was added.", errors)
    if not drafts:
        raise DomainError("The questions file has no questions.")
    questions = [add_question(session, vacancy, draft) for draft in drafts]
    record_event(
        session, "import", f"vacancy {vacancy.id}", f"{len(questions)} interview questions"
    )
    return questions


def _positions(
    raw: str, count: int, allowed: Mapping[int, Criterion]
) -> tuple[list[int], str | None]:
    """Criterion positions from "3;5", or the reason they cannot be used."""
    parts = [part.strip() for part in raw.split(";") if part.strip()]
    if not parts:
        return [], "give the criterion number (its position in the person specification)."
    positions = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= count:
            return [], f"'{part}' is not a criterion number (1 to {count})."
        position = int(part)
        if position not in allowed:
            return [], (
                f"criterion {position} is not assessed at interview or by a task, so no "
                "question is asked about it."
            )
        positions.append(position)
    return list(dict.fromkeys(positions)), None


# -- the interview pack and the scoring grid ------------------------------------------------------


def pack_questions(vacancy: Vacancy, questions: Sequence[InterviewQuestion]) -> list[PackQuestion]:
    positions = {c.criterion.id: c.position for c in question_criteria(vacancy)}
    criteria = {c.criterion.id: c.criterion for c in question_criteria(vacancy)}
    return [
        PackQuestion(
            number=question.position,
            text=question.text,
            criteria=[
                (positions[criterion_id], criteria[criterion_id].text)
                for criterion_id in sorted(question.criterion_ids, key=positions.__getitem__)
                if criterion_id in positions
            ],
            guidance=question.guidance,
            score_guidance=[(row.score, row.text) for row in question.score_guidance],
            follow_ups=question.follow_up_list,
        )
        for question in questions
    ]


def interview_pack_docx(
    session: Session, scope: Scope, interview_date: date | None = None
) -> bytes:
    """The panel's pack: a cover and the questions for each shortlisted candidate (one blank
    copy while nobody is shortlisted yet)."""
    from .recruitment_records import recruiting_school
    from .scoring import shortlisted_ids

    vacancy = scope.vacancy
    questions = vacancy_questions(session, vacancy)
    if not questions:
        raise DomainError(
            "This vacancy has no interview questions yet: add them before printing the pack."
        )
    forward = shortlisted_ids(session, vacancy)
    applications = [
        application
        for application in session.scalars(scope.applications())
        if application.applicant is not None and (forward is None or application.id in forward)
    ]
    candidates = [
        PackCandidate(
            application.reference
            if vacancy.anonymised
            else f"{application.applicant.name} ({application.reference})"
        )
        for application in applications
        if application.applicant is not None
    ]
    if interview_date is None:
        interview_date = session.scalar(
            select(AdvertDetails.interview_date).where(
                AdvertDetails.job_description_id == vacancy.version.job_description_id
            )
        )
    panel = [
        (member.user.name or member.user.email, member.is_chair)
        for member in vacancy.panel
        if member.stage == "interview"
    ]
    scale = SCALES[vacancy.scale]
    content = build_interview_pack(
        vacancy_title=vacancy.title,
        organisation=recruiting_school(vacancy),
        interview_date=interview_date,
        panel=panel,
        scale_points=scale.points,
        questions=pack_questions(vacancy, questions),
        candidates=candidates,
        produced_on=date.today(),
    )
    record_event(
        session,
        "export",
        f"vacancy {vacancy.id} interview",
        f"interview pack .docx: {len(questions)} questions, {len(candidates)} candidates",
    )
    return content


#: Shown on the grid above the criteria no question covers (number 0: not a question).
UNQUESTIONED = PackQuestion(number=0, text="Criteria no question covers", criteria=[])


def grid_by_question(session: Session, vacancy: Vacancy, stage: str, criteria: list):
    """Reorder a stage's criteria (scoring.StageCriterion) so each question's criteria follow
    it in the order asked, and say where each question shows. A criterion two questions cover
    is scored once, under the first; criteria no question covers come last. Other stages, or
    an interview without questions, are returned unchanged."""
    if stage != "interview":
        return criteria, {}
    questions = vacancy_questions(session, vacancy)
    if not questions:
        return criteria, {}
    shown = pack_questions(vacancy, questions)
    by_id = {item.criterion.id: item for item in criteria}
    ordered: list = []
    placed: set[int] = set()
    before: dict[int | None, list[PackQuestion]] = {}
    waiting: list[PackQuestion] = []
    in_spec_order = question_criteria(vacancy)
    for question, facts in zip(questions, shown, strict=True):
        waiting.append(facts)
        new = [
            by_id[c.criterion.id]
            for c in in_spec_order
            if c.criterion.id in question.criterion_ids
            and c.criterion.id in by_id
            and c.criterion.id not in placed
        ]
        if new:
            before[new[0].criterion.id] = waiting
            waiting = []
            ordered += new
            placed.update(item.criterion.id for item in new)
    rest = [item for item in criteria if item.criterion.id not in placed]
    if rest:
        before[rest[0].criterion.id] = [UNQUESTIONED]
    if waiting:  # questions whose criteria are all scored under an earlier question
        before[None] = waiting
    return ordered + rest, before


def question_lines(session: Session, vacancy: Vacancy) -> list[tuple[int, str, str]]:
    """(number, criterion positions as "3;5", question) per question, in the order asked."""
    return [
        (
            question.position,
            ";".join(map(str, criterion_positions(vacancy, question))),
            question.text,
        )
        for question in vacancy_questions(session, vacancy)
    ]
