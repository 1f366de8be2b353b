"""Import interview questions from a CSV file (criterion,question,guidance), all or nothing."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from ..errors import DomainError, NotFound
from ..matching import normalise
from ..models import (
    Criterion,
    InterviewQuestion,
    Vacancy,
)
from .approved_content import CriterionContent, pinned_criteria
from .audit import record_event
from .questions import (
    MAX_QUESTION_LENGTH,
    QuestionDraft,
    add_question,
    question_criteria,
    vacancy_questions,
)
from .vacancies import CsvRowsInvalid, check_not_closed, read_csv

QUESTION_COLUMNS = ("criterion", "question", "guidance")

#: A file of interview questions is a few kilobytes; anything near this is the wrong file.
MAX_QUESTIONS_FILE_BYTES = 1024 * 1024


def import_questions(session: Session, vacancy_id: int, data: bytes) -> list[InterviewQuestion]:
    """Add the questions of a CSV file (`criterion,question,guidance`; criterion positions
    joined with ";") after the existing ones; all or nothing."""
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound(f"There is no vacancy with ID {vacancy_id}.")
    check_not_closed(vacancy, "changes to its questions")
    if len(data) > MAX_QUESTIONS_FILE_BYTES:
        raise DomainError(
            f"The questions file is over {MAX_QUESTIONS_FILE_BYTES // 1024 // 1024} MB; a file "
            "of interview questions is far smaller. Check it is the right file."
        )
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
    all_criteria = pinned_criteria(vacancy.version)
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
    questions = [add_question(session, vacancy, draft, log=False) for draft in drafts]
    record_event(
        session, "import", f"vacancy {vacancy.id}", f"{len(questions)} interview questions"
    )
    return questions


def _positions(
    raw: str, count: int, allowed: Mapping[int, Criterion | CriterionContent]
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
