"""Vacancies, their applicants and their panels."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden, NotFound
from ..importing.file_types import describe
from ..models import (
    Application,
    JobDescriptionVersion,
    Vacancy,
)
from ..models.recruitment import SCALES
from ..scoring import STAGE_LABELS, stages_for_methods
from .approved_content import pinned_criteria
from .documents import newest_approved_version

#: Letters and digits that cannot be mistaken for one another when read aloud or written down.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


#: The shape of every reference jdtool gives: "A-" and six of the letters and digits above.
REFERENCE_PATTERN = re.compile(rf"A-[{REFERENCE_ALPHABET}]{{6}}")


#: A CSV of applicants or of a panel's scores: thousands of rows at most.
MAX_CSV_BYTES = 5 * 1024 * 1024


MAX_CSV_ROWS = 20_000


MAX_CSV_COLUMNS = 50


class CsvRowsInvalid(DomainError):
    """Some rows of a CSV file are wrong; nothing was stored. `errors` holds one line per row."""

    def __init__(self, what: str, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(f"Nothing was imported: {what}\n" + "\n".join(errors))


def create_vacancy(
    session: Session,
    job_description_id: int,
    title: str,
    scale: str = "0-3",
    *,
    anonymised: bool = False,
    maintained_school: bool = False,
    closing_date: date | None = None,
) -> Vacancy:
    """A vacancy on the job description's newest approved version."""
    title = (title or "").strip()
    if not title:
        raise DomainError("Give the vacancy a title.")
    if scale not in SCALES:
        raise DomainError(f"The scale must be one of {', '.join(SCALES)}.")
    version = newest_approved_version(
        session,
        job_description_id,
        needed_for="Approve it first: a vacancy must use a version that can no longer change.",
    )
    if not version.criteria():
        raise DomainError(
            f"Job description {job_description_id} has no person specification to score against."
        )
    vacancy = Vacancy(
        title=title,
        version=version,
        scale=scale,
        anonymised=anonymised,
        maintained_school=maintained_school,
        closing_date=closing_date,
    )
    session.add(vacancy)
    session.flush()
    return vacancy


def get_vacancy(session: Session, vacancy_id: int) -> Vacancy:
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound(f"There is no vacancy with ID {vacancy_id}.")
    return vacancy


def vacancy_stages(vacancy: Vacancy) -> list[str]:
    """The stages the pinned person spec needs, from the assessment methods it uses."""
    return stages_for_methods(
        method for criterion in pinned_criteria(vacancy.version) for method in criterion.methods
    )


def check_not_closed(vacancy: Vacancy, what: str) -> None:
    """Refuse to change a closed vacancy: its decisions are final and retention has started."""
    if vacancy.closed_at is not None:
        raise Forbidden(
            f"The vacancy {vacancy.title} was closed on "
            f"{vacancy.closed_at.day} {vacancy.closed_at:%B %Y}: "
            f"it takes no more {what}."
        )


def check_stage(vacancy: Vacancy, stage: str) -> None:
    stages = vacancy_stages(vacancy)
    if stage not in stages:
        names = ", ".join(stages) or "none"
        raise DomainError(
            f"This vacancy's person specification assesses nothing at the '{stage}' stage "
            f"(its stages: {names})."
        )


def repin_vacancy(session: Session, vacancy: Vacancy, version: JobDescriptionVersion) -> None:
    """Move a vacancy to another approved version; refused once applications exist."""
    if has_applications(session, vacancy):
        raise Forbidden(
            "The criteria are locked because applications have been received. Changing them "
            "needs a new vacancy on the new version, and every applicant must be re-scored."
        )
    if version.status != "approved":
        raise Forbidden("A vacancy can only use an approved version.")
    vacancy.version = version
    session.flush()


def has_applications(session: Session, vacancy: Vacancy) -> bool:
    count = session.scalar(
        select(func.count(Application.id)).where(Application.vacancy_id == vacancy.id)
    )
    return bool(count)


def read_csv(data: bytes, what: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (lower-cased) and (spreadsheet row number, row) pairs; row 1 is the header."""
    if len(data) > MAX_CSV_BYTES:
        raise DomainError(
            f"The {what} file is {len(data) / 1024 / 1024:.0f} MB; a CSV file of applicants or "
            f"scores is far smaller (the limit is {MAX_CSV_BYTES // 1024 // 1024} MB)."
        )
    kind = describe(data)
    if kind is not None:
        raise DomainError(f"The {what} file is {kind}, not a CSV file. Save it as 'CSV UTF-8'.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(f"The {what} file is not UTF-8 text. Save it as 'CSV UTF-8'.") from None
    if "\x00" in text:
        raise DomainError(f"The {what} file is not text. Save it as 'CSV UTF-8'.")
    reader = csv.reader(io.StringIO(text))
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise DomainError(f"The {what} file is empty.") from None
    except csv.Error as error:
        raise _unreadable_csv(what, error) from None
    if len(header) > MAX_CSV_COLUMNS:
        raise DomainError(f"The {what} file has {len(header)} columns; it should have a few.")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if len(rows) >= MAX_CSV_ROWS:
                raise DomainError(
                    f"The {what} file has more than {MAX_CSV_ROWS:,} rows; split it into "
                    "smaller files."
                )
            if not any(cell.strip() for cell in row):
                continue
            values = dict(zip(header, (cell.strip() for cell in row), strict=False))
            rows.append((reader.line_num, values))
    except csv.Error as error:
        raise _unreadable_csv(what, error, reader.line_num) from None
    return header, rows


def _unreadable_csv(what: str, error: csv.Error, line: int = 1) -> DomainError:
    if "field larger than field limit" in str(error):
        return DomainError(
            f"The {what} file has a cell over {csv.field_size_limit():,} characters long "
            f"(line {line}); check it is the right file."
        )
    return DomainError(f"The {what} file is not readable CSV (line {line}: {error}).")


def vacancy_warnings(vacancy: Vacancy) -> list[str]:
    """What the vacancy page must point out."""
    warnings = []
    if vacancy.maintained_school and not any(m.training_date for m in vacancy.panel):
        warnings.append(
            "This is a maintained school: at least one panel member must have safer-recruitment "
            "training. No member has a training date recorded yet."
        )
    for stage in vacancy_stages(vacancy):
        if stage != "references" and not any(m.stage == stage for m in vacancy.panel):
            warnings.append(f"No one sits on the {STAGE_LABELS[stage].lower()} panel yet.")
    return warnings


def approved_versions(session: Session) -> list[JobDescriptionVersion]:
    """The newest approved version of each job description that has a person spec."""
    newest = (
        select(func.max(JobDescriptionVersion.id))
        .where(JobDescriptionVersion.status == "approved")
        .group_by(JobDescriptionVersion.job_description_id)
    )
    return list(
        session.scalars(
            select(JobDescriptionVersion)
            .where(JobDescriptionVersion.id.in_(newest), JobDescriptionVersion.has_person_spec)
            .order_by(JobDescriptionVersion.title)
        )
    )
