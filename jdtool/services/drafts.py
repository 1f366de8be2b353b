"""Edit a draft job description's header and duties, refusing a save made from a stale page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden
from ..models import Duty, JobDescriptionVersion, User
from ..models.people import utcnow
from .documents import get_job_description
from .library import clauses_for_texts

#: Times in messages are the schools' local time.
SCHOOL_TIME = ZoneInfo("Europe/London")


class StaleDraft(DomainError):
    """Someone else saved the draft after this page was loaded; nothing was written."""


@dataclass(frozen=True)
class DraftHeader:
    """The header fields the edit page changes (the rest of the header is kept)."""

    title: str
    location: str | None = None
    grade: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_text: str | None = None
    hours_per_week: float | None = None
    weeks_per_year: float | None = None
    contract: str | None = None
    reports_to: str | None = None
    purpose: str | None = None


def editable_draft(session: Session, job_description_id: int) -> JobDescriptionVersion:
    """The current version of a job description, which must be a draft."""
    version = get_job_description(session, job_description_id).current
    if version.status != "draft":
        raise Forbidden(
            f"Version {version.number} of “{version.title}” is approved and cannot change. "
            "Start a new version to edit it."
        )
    return version


def save_draft(
    session: Session,
    job_description_id: int,
    loaded_stamp: int,
    header: DraftHeader,
    duties_by_section: Sequence[Sequence[str]],
    user: User | None = None,
) -> JobDescriptionVersion:
    """Save the header and duties of the draft loaded at `loaded_stamp`.

    `duties_by_section` has one list of duty texts per existing duty section, in order; a section
    left with no duties is removed. A duty keeps its library clause when its text is unchanged;
    new or changed text is linked to the clause with the same matching key (made if new).
    Raises StaleDraft, writing nothing, when the draft was saved by someone else meanwhile.
    """
    version = editable_draft(session, job_description_id)
    if len(duties_by_section) != len(version.duty_sections):
        raise StaleDraft(_stale_message(version))
    if not header.title.strip():
        raise DomainError("Give the job a title.")
    if (
        header.salary_min is not None
        and header.salary_max is not None
        and header.salary_min > header.salary_max
    ):
        raise DomainError("The lowest salary must not be more than the highest.")
    # Compare and increment in one statement: of two saves loaded at the same stamp, the
    # database lets exactly one through (the other waits for the row, then matches nothing).
    now = utcnow()
    claimed = session.execute(
        update(JobDescriptionVersion)
        .where(
            JobDescriptionVersion.id == version.id,
            JobDescriptionVersion.status == "draft",
            JobDescriptionVersion.edit_stamp == loaded_stamp,
        )
        .values(
            edit_stamp=JobDescriptionVersion.edit_stamp + 1,
            edited_at=now,
            edited_by_id=user.id if user else None,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        session.refresh(version)
        if version.status != "draft":
            editable_draft(session, job_description_id)  # raises: approved meanwhile
        raise StaleDraft(_stale_message(version))
    session.refresh(version, ["edit_stamp", "edited_at", "edited_by_id"])

    for name, value in vars(header).items():
        setattr(version, name, value.strip() or None if isinstance(value, str) else value)
    version.title = header.title.strip()
    _replace_duties(session, version, duties_by_section)
    session.flush()
    return version


def _replace_duties(
    session: Session, version: JobDescriptionVersion, duties_by_section: Sequence[Sequence[str]]
) -> None:
    clause_of_text = {duty.text: duty.clause_id for duty in version.duties()}
    wanted = [[text.strip() for text in texts if text.strip()] for texts in duties_by_section]
    new_texts = [
        ("duty", text, section.heading)
        for section, texts in zip(version.duty_sections, wanted, strict=True)
        for text in texts
        if text not in clause_of_text
    ]
    for (_kind, text, _heading), clause in zip(
        new_texts, clauses_for_texts(session, new_texts), strict=True
    ):
        clause_of_text[text] = clause.id
    for section, texts in zip(list(version.duty_sections), wanted, strict=True):
        if not texts:
            version.duty_sections.remove(section)
            continue
        # Rewrite in place, position by position: positions stay unique at every flush.
        for position, text in enumerate(texts, start=1):
            if position <= len(section.duties):
                duty = section.duties[position - 1]
                if duty.text != text:
                    duty.text, duty.clause_id = text, clause_of_text[text]
            else:
                section.duties.append(
                    Duty(position=position, text=text, clause_id=clause_of_text[text])
                )
        del section.duties[len(texts) :]


def _stale_message(version: JobDescriptionVersion) -> str:
    when = ""
    if version.edited_at is not None:
        local = version.edited_at.replace(tzinfo=UTC).astimezone(SCHOOL_TIME)
        when = f" at {local:%H:%M}"
    return (
        f"Someone else saved this draft{when} while you were editing. Your changes were not "
        "saved: reload to see theirs, then make your changes again."
    )


def draft_editor_name(session: Session, version: JobDescriptionVersion) -> str | None:
    """Who last saved the draft from the edit page, if anyone."""
    if version.edited_by_id is None:
        return None
    return session.scalar(select(User.name).where(User.id == version.edited_by_id))
