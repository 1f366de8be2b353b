"""Import score sheets from a CSV file (applicant,panel_member,criterion,method,score,note),
all or nothing, for panels that score on paper."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden
from ..models import (
    Application,
    Criterion,
    PanelMember,
    ScoreSheet,
)
from .approved_content import CriterionContent, pinned_criteria
from .scoping import scope_for
from .score_sheets import ScoreEntry, ScoreSheetInvalid, submit_score_sheet
from .scoring import SCORE_COLUMNS, CellKey, _waiting_for_shortlist, shortlisted_ids, stage_criteria
from .vacancies import CsvRowsInvalid, check_not_closed, check_stage, read_csv


def import_scores(session: Session, vacancy_id: int, stage: str, data: bytes) -> list[ScoreSheet]:
    """Each panel member's rows for an applicant become one submitted sheet; all or nothing."""
    from .vacancies import get_vacancy

    vacancy = get_vacancy(session, vacancy_id)
    check_not_closed(vacancy, "scores")
    check_stage(vacancy, stage)
    if stage != "shortlisting" and shortlisted_ids(session, vacancy) == set():
        if not vacancy.shortlist_finalised_at:
            raise Forbidden(_waiting_for_shortlist(stage))
        raise Forbidden(f"No applicant was shortlisted, so there is no one to score at {stage}.")
    header, rows = read_csv(data, "scores")
    missing = [c for c in SCORE_COLUMNS if c not in header and c != "note"]
    if missing:
        raise DomainError(
            "The scores file needs the columns "
            + ", ".join(SCORE_COLUMNS[:-1])
            + " (and optionally note); it has no "
            + ", ".join(missing)
            + " column."
        )
    criteria = stage_criteria(vacancy.version, stage)
    by_position = {c.position: c for c in vacancy_criteria_positions(vacancy)}
    stage_ids = {c.criterion.id for c in criteria}
    applications = {}
    for application in vacancy.applications:
        applications[application.reference.lower()] = application
        if application.applicant is not None:
            applications[application.applicant.email.lower()] = application
    members = {m.user.email.lower(): m for m in vacancy.panel if m.stage == stage}
    errors: list[str] = []
    groups: dict[tuple[int, int], dict[CellKey, tuple[int, ScoreEntry]]] = defaultdict(dict)
    for row_number, row in rows:
        try:
            member, application, key = _check_score_row(
                row, applications, members, by_position, stage_ids, stage
            )
        except DomainError as error:
            errors.append(f"Row {row_number}: {error}.")
            continue
        group = groups[(member.id, application.id)]
        if key in group:
            errors.append(
                f"Row {row_number}: a second score for criterion {row['criterion']} "
                f"({key[1]}); see row {group[key][0]}."
            )
            continue
        group[key] = (row_number, ScoreEntry(row.get("score", ""), row.get("note", "")))
    member_by_id = {m.id: m for m in members.values()}
    sheets = []
    for (member_id, application_id), group in groups.items():
        member = member_by_id[member_id]
        scope = scope_for(session, member.user, vacancy.id)
        entries = {key: entry for key, (_, entry) in group.items()}
        try:
            # Validation happens before anything is stored; the caller rolls back on errors.
            sheets.append(submit_score_sheet(session, scope, application_id, stage, entries))
        except ScoreSheetInvalid as invalid:
            for box, message in invalid.errors.items():
                where = (
                    f"Row {group[box][0]}"
                    if box is not None and box in group
                    else _who(member, application_id, session)
                )
                errors.append(f"{where}: {message.rstrip('.')}.")
        except DomainError as error:
            first_row = min(row for row, _ in group.values())
            errors.append(f"Row {first_row}: {str(error).rstrip('.')}.")
    if errors:
        errors.sort(key=_row_order)
        raise CsvRowsInvalid("some rows are wrong.", errors)
    return sheets


def _check_score_row(
    row: dict[str, str],
    applications: dict[str, Application],
    members: dict[str, PanelMember],
    by_position: dict[int, _PositionedCriterion],
    stage_ids: set[int],
    stage: str,
) -> tuple[PanelMember, Application, CellKey]:
    """Who scored whom on which box, from one CSV row; DomainError says what is wrong."""
    application = applications.get(row.get("applicant", "").lower())
    if application is None:
        raise DomainError(f"no applicant '{row.get('applicant', '')}' in this vacancy")
    member = members.get(row.get("panel_member", "").lower())
    if member is None:
        raise DomainError(f"'{row.get('panel_member', '')}' is not on the {stage} panel")
    position_text = row.get("criterion", "")
    if not position_text.isdigit() or int(position_text) not in by_position:
        raise DomainError(f"'{position_text}' is not a criterion number (1 to {len(by_position)})")
    criterion = by_position[int(position_text)]
    method = row.get("method", "").lower()
    if criterion.id not in stage_ids:
        raise DomainError(f"criterion {position_text} is not scored at the {stage} stage")
    if method not in criterion.methods:
        raise DomainError(
            f"criterion {position_text} is not assessed by '{method}' (it lists "
            f"{', '.join(criterion.methods) or 'no method'})"
        )
    return member, application, (criterion.id, method)


def _who(member: PanelMember, application_id: int, session: Session) -> str:
    application = session.get(Application, application_id)
    reference = application.reference if application else application_id
    return f"{member.user.email} for {reference}"


def _row_order(message: str) -> tuple[int, str]:
    head = message.split(":", 1)[0]
    number = head.removeprefix("Row ")
    return (int(number), message) if number.isdigit() else (10**9, message)


def vacancy_criteria_positions(vacancy) -> list[_PositionedCriterion]:
    return [
        _PositionedCriterion(position, criterion)
        for position, criterion in enumerate(pinned_criteria(vacancy.version), start=1)
    ]


@dataclass(frozen=True)
class _PositionedCriterion:
    position: int
    criterion: Criterion | CriterionContent

    @property
    def id(self) -> int:
        return self.criterion.id

    @property
    def methods(self) -> list[str]:
        return list(self.criterion.methods)
