"""The interview questions as the panel meets them: the interview pack (Word), the interview grid
grouped by question, and the questions listed in the stage record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..export.interview_pack import PackCandidate, PackQuestion, build_interview_pack
from ..models import (
    AdvertDetails,
    InterviewQuestion,
    Vacancy,
)
from ..scoring import SCALES
from .audit import record_event
from .questions import criterion_positions, question_criteria, vacancy_questions
from .scoping import Scope


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
