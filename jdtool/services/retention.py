"""Personal data: closing a vacancy, deleting unsuccessful applicants' data after the retention
period, and erasing one person on request.

The retention clock starts when HR closes the vacancy (`Vacancy.closed_at`), after the interview
decisions: a fixed event, never "last updated". When `months` have passed since then, every
application to that vacancy that was not appointed loses its personal data:

- the link to the applicant (name, email) — the applicant row itself is deleted once no other
  application refers to it, so a person who applied elsewhere too keeps that live application;
- uploaded application forms;
- equal-opportunities monitoring answers;
- the panel's evidence notes on the scores and the reasons given for conflicts of interest
  (both are free text that may quote or name the applicant).

Kept, de-identified: the application reference, the Disability Confident flag, every score
value, agreed scores with their rationale, gate overrides, decisions (outcome, reason, criteria)
and so the ranking and the stage records, which then show "Applicant A-7KQ3PX (data deleted)".
Wherever the person's name or email address is written in the free text that is kept (decision
and override reasons, agreed-score rationales, notes and conflict reasons on any application to
the same vacancy), it is replaced by their application reference, in the same transaction.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden, NotFound
from ..models import (
    Applicant,
    Application,
    ApplicationFile,
    ConflictDeclaration,
    ConsensusScore,
    Decision,
    EqualOpportunitiesAnswer,
    GateOverride,
    Score,
    ScoreDraft,
    ScoreSheet,
    Vacancy,
)
from ..models.people import utcnow
from .audit import record_event
from .locking import claim
from .scoping import command_line_scope
from .scoring import latest_decisions

DEFAULT_RETENTION_MONTHS = 6


def retention_months(value: object) -> int:
    """The configured retention period (`JDTOOL_RETENTION_MONTHS`), checked."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DomainError(f"The retention period must be a whole number of months, not {value!r}.")
    try:
        months = int(value)
    except ValueError:
        raise DomainError(
            f"The retention period must be a whole number of months, not {value!r}."
        ) from None
    if not 1 <= months <= 120:
        raise DomainError("The retention period must be between 1 and 120 months.")
    return months


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later, or the month's last day when it is shorter.

    31 August + 6 months is 28 (or 29) February."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def deletion_due(vacancy: Vacancy, months: int) -> datetime | None:
    """When unsuccessful applicants' data is deleted; None while the vacancy is open."""
    return add_months(vacancy.closed_at, months) if vacancy.closed_at else None


def close_vacancy(session: Session, vacancy: Vacancy) -> None:
    """Record that recruitment is over: the retention period starts now."""
    session.flush()
    closed = claim(
        session,
        update(Vacancy)
        .where(Vacancy.id == vacancy.id, Vacancy.closed_at.is_(None))
        .values(closed_at=utcnow()),
    )
    session.refresh(vacancy)
    if not closed:
        raise DomainError(f"Vacancy {vacancy.id} was already closed.")
    record_event(session, "decision", f"vacancy {vacancy.id}", "vacancy closed")


def appointed_ids(session: Session, application_ids: list[int]) -> set[int]:
    """Applications whose newest interview decision is "appoint"."""
    decisions = latest_decisions(session, application_ids, "interview")
    return {app_id for app_id, d in decisions.items() if d.outcome == "appoint"}


@dataclass
class Deletion:
    """What was (or, in a dry run, would be) deleted for one vacancy or one person."""

    vacancy_ids: list[int] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    files: int = 0
    notes: int = 0
    conflict_reasons: int = 0
    monitoring_answers: int = 0
    people: int = 0
    #: Kept free texts (reasons, rationales, notes) whose mention of the person was replaced.
    scrubbed: int = 0
    #: Appointed applications erased on request (the postholder's file is kept outside jdtool).
    appointed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.references)} applications, {self.people} people, {self.files} files, "
            f"{self.notes} evidence notes, {self.conflict_reasons} conflict reasons, "
            f"{self.monitoring_answers} equal-opportunities answers"
        )


def _person_pattern(name: str, email: str) -> re.Pattern[str] | None:
    """The person's full name (any spacing or case) or email address, as whole words."""
    parts = []
    if email.strip():
        parts.append(re.escape(email.strip()))
    words = name.split()
    if words and len("".join(words)) >= 2:
        parts.append(r"\s+".join(re.escape(word) for word in words))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


#: Free-text columns kept after a deletion, with the application each row belongs to.
_FREE_TEXT: tuple[tuple[Any, Any, Any], ...] = (
    (Decision, Decision.reason, Decision.application_id),
    (GateOverride, GateOverride.reason, GateOverride.application_id),
    (ConsensusScore, ConsensusScore.rationale, ConsensusScore.application_id),
    (ConflictDeclaration, ConflictDeclaration.reason, ConflictDeclaration.application_id),
)


def _scrub_free_text(session: Session, people: list[tuple[Application, str, str]]) -> int:
    """Replace the people's names and emails by their references in every free-text field of
    their vacancies (any applicant's row: a reason for one may name another). `people` holds
    each application with the name and email it had. Returns the number of texts changed."""
    changed = 0
    by_vacancy: dict[int, list[tuple[re.Pattern[str], str]]] = {}
    for application, name, email in people:
        pattern = _person_pattern(name, email)
        if pattern is not None:
            by_vacancy.setdefault(application.vacancy_id, []).append(
                (pattern, application.reference)
            )
    for vacancy_id, replacements in by_vacancy.items():
        in_vacancy = select(Application.id).where(Application.vacancy_id == vacancy_id)
        columns: list[tuple[Any, Any, Any]] = [
            *_FREE_TEXT,
            (Score, Score.note, ScoreSheet.application_id),
        ]
        for model, column, owner in columns:
            query = select(model.id, column).where(owner.in_(in_vacancy), column != "")
            if model is Score:
                query = query.join(ScoreSheet, Score.sheet_id == ScoreSheet.id)
            for row_id, text in session.execute(query).all():
                new_text = text
                for pattern, reference in replacements:
                    new_text = pattern.sub(reference, new_text)
                if new_text != text:
                    _count(
                        session,
                        update(model).where(model.id == row_id).values({column.key: new_text}),
                    )
                    changed += 1
        changed += _scrub_drafts(session, in_vacancy, replacements)
    return changed


def _scrub_drafts(session: Session, in_vacancy, replacements) -> int:
    """The notes in unfinished score sheets (JSON: each box's score and note)."""
    changed = 0
    query = select(ScoreDraft.id, ScoreDraft.entries).where(
        ScoreDraft.application_id.in_(in_vacancy)
    )
    for row_id, text in session.execute(query).all():
        entries = json.loads(text or "{}")
        for entry in entries.values():
            note = entry.get("note") or ""
            for pattern, reference in replacements:
                note = pattern.sub(reference, note)
            entry["note"] = note
        new_text = json.dumps(entries, sort_keys=True)
        if new_text != text:
            _count(
                session, update(ScoreDraft).where(ScoreDraft.id == row_id).values(entries=new_text)
            )
            changed += 1
    return changed


def _delete_application_data(
    session: Session, applications: list[Application], when: datetime, deletion: Deletion
) -> list[Application]:
    """Cut the applications from their applicant and delete their personal data; returns the
    applications this call deleted.

    Each application is claimed by a guarded UPDATE first: when two runs (or a run and an
    erasure) overlap, the second finds nothing left to claim, deletes nothing and the caller
    records nothing."""
    session.flush()
    people = [
        (a, a.applicant.name or "", a.applicant.email or "")
        for a in applications
        if a.applicant is not None
    ]
    applicant_ids = {a.applicant_id for a, _, _ in people}
    people = [
        (a, name, email)
        for a, name, email in people
        if claim(
            session,
            update(Application)
            .where(Application.id == a.id, Application.applicant_id.is_not(None))
            .values(applicant_id=None, personal_data_deleted_at=when),
        )
    ]
    claimed = [a for a, _, _ in people]
    ids = [a.id for a in claimed]
    if not ids:
        session.expire_all()
        return []
    deletion.scrubbed += _scrub_free_text(session, people)
    sheet_ids = select(ScoreSheet.id).where(ScoreSheet.application_id.in_(ids))
    deletion.files += _count(
        session, delete(ApplicationFile).where(ApplicationFile.application_id.in_(ids))
    )
    deletion.notes += _count(
        session,
        update(Score).where(Score.sheet_id.in_(sheet_ids), Score.note != "").values(note=""),
    )
    # Unsubmitted drafts are working copies, not records: they go with the personal data.
    deletion.notes += _count(session, delete(ScoreDraft).where(ScoreDraft.application_id.in_(ids)))
    deletion.monitoring_answers += _count(
        session,
        delete(EqualOpportunitiesAnswer).where(EqualOpportunitiesAnswer.application_id.in_(ids)),
    )
    deletion.conflict_reasons += _count(
        session,
        update(ConflictDeclaration)
        .where(ConflictDeclaration.application_id.in_(ids), ConflictDeclaration.reason != "")
        .values(reason=""),
    )
    deletion.references.extend(a.reference for a in claimed)
    still_applying = set(
        session.scalars(
            select(Application.applicant_id).where(Application.applicant_id.in_(applicant_ids))
        )
    )
    gone = applicant_ids - still_applying
    if gone:
        deletion.people += _count(session, delete(Applicant).where(Applicant.id.in_(gone)))
    session.expire_all()
    return claimed


def _count(session: Session, statement: Any) -> int:
    """Run an UPDATE or DELETE; how many rows it changed."""
    result: CursorResult[Any] = session.execute(statement)  # type: ignore[assignment]
    return result.rowcount


def expired_vacancies(session: Session, months: int, now: datetime) -> list[Vacancy]:
    closed = session.scalars(
        select(Vacancy).where(Vacancy.closed_at.is_not(None)).order_by(Vacancy.id)
    )
    return [v for v in closed if v.closed_at and add_months(v.closed_at, months) <= now]


def run_retention(
    session: Session, months: int, *, now: datetime | None = None, dry_run: bool = False
) -> list[Deletion]:
    """Delete unsuccessful applicants' personal data from every vacancy closed more than
    `months` ago; one `retention` audit event per vacancy. Vacancies with nothing left to delete
    are skipped, so a second run does nothing."""
    now = now or utcnow()
    done = []
    for vacancy in expired_vacancies(session, months, now):
        scope = command_line_scope(session, vacancy.id)
        applications = [
            a for a in session.scalars(scope.applications()) if a.applicant_id is not None
        ]
        appointed = appointed_ids(session, [a.id for a in applications])
        unsuccessful = [a for a in applications if a.id not in appointed]
        if not unsuccessful:
            continue
        deletion = Deletion(vacancy_ids=[vacancy.id])
        if dry_run:
            deletion.references = [a.reference for a in unsuccessful]
        else:
            if not _delete_application_data(session, unsuccessful, now, deletion):
                continue  # another run got there first
            record_event(
                session,
                "retention",
                f"vacancy {vacancy.id}",
                f"closed {vacancy.closed_at:%Y-%m-%d}, kept {months} months: personal data "
                f"deleted for {deletion.summary()} ({', '.join(deletion.references)})",
            )
        done.append(deletion)
    return done


def erase_applicant(session: Session, email: str, *, now: datetime | None = None) -> Deletion:
    """Erase one person's applicant data from every vacancy (an erasure request).

    Refused while any of their applications belongs to a vacancy that is still open: its
    decisions are not made yet and must stay explainable; erase after it closes. Appointed
    applications are erased too (jdtool is not the postholder's employment file); the result
    lists them so the caller can say so.
    """
    now = now or utcnow()
    address = (email or "").strip().lower()
    applicant = session.scalar(select(Applicant).where(func.lower(Applicant.email) == address))
    if applicant is None:
        raise NotFound(f"No applicant has the email address {address or '(none given)'}.")
    applications = list(
        session.scalars(
            select(Application)
            .where(Application.applicant_id == applicant.id)
            .order_by(Application.id)
        )
    )
    open_ones = [a for a in applications if a.vacancy.closed_at is None]
    if open_ones:
        where = ", ".join(f"vacancy {a.vacancy_id} ({a.reference})" for a in open_ones)
        raise Forbidden(
            f"Not erased: {where} is still open, and its decisions must stay explainable; "
            "close the vacancy first, then erase."
        )
    deletion = Deletion(vacancy_ids=sorted({a.vacancy_id for a in applications}))
    appointed = appointed_ids(session, [a.id for a in applications])
    deletion.appointed = [a.reference for a in applications if a.id in appointed]
    if applications:
        applications = _delete_application_data(session, applications, now, deletion)
        if not applications:  # erased by another request a moment ago
            raise NotFound(f"No applicant has the email address {address}.")
    else:  # an applicant row with no application left (should not happen)
        session.execute(delete(Applicant).where(Applicant.id == applicant.id))
        deletion.people += 1
    record_event(
        session,
        "erase",
        "applicant",
        f"erasure request: {deletion.summary()} ("
        + ", ".join(
            f"vacancy {a.vacancy_id} / {ref}"
            for a, ref in zip(applications, deletion.references, strict=True)
        )
        + ")",
    )
    return deletion
