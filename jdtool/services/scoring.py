"""Score sheets, moderation, ranking and decisions for one vacancy stage.

Everything reads applications and scores through a `Scope` (see scoping.py).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from ..errors import DomainError, Forbidden, NotFound
from ..models import (
    Application,
    ConsensusScore,
    Criterion,
    Decision,
    DecisionCriterion,
    GateOverride,
    JobDescriptionVersion,
    PanelMember,
    Score,
    ScoreDraft,
    ScoreSheet,
    Vacancy,
)
from ..models.people import utcnow
from ..scoring import (
    SCALES,
    STAGE_LABELS,
    STAGE_OF_METHOD,
    CellSummary,
    CriterionRule,
    Scale,
    Standing,
    assess,
    rank,
    summarise_cell,
)
from .audit import record_event
from .locking import claim, lock_row
from .scoping import Scope, scope_for
from .vacancies import CsvRowsInvalid, check_not_closed, check_stage, read_csv

#: (criterion id, method code): one box on a score sheet.
CellKey = tuple[int, str]
SCORE_COLUMNS = ("applicant", "panel_member", "criterion", "method", "score", "note")
SHORTLIST_MINIMUM_MEMBERS = 2


@dataclass(frozen=True)
class StageCriterion:
    """A criterion as a stage assesses it: its 1-based position in the person spec."""

    position: int
    criterion: Criterion
    #: The criterion's methods that belong to this stage, in table order.
    methods: tuple[str, ...]

    @property
    def essential(self) -> bool:
        return self.criterion.priority == "essential"


def stage_criteria(version: JobDescriptionVersion, stage: str) -> list[StageCriterion]:
    result = []
    for position, criterion in enumerate(version.criteria(), start=1):
        methods = tuple(m for m in criterion.methods if STAGE_OF_METHOD.get(m) == stage)
        if methods:
            result.append(StageCriterion(position, criterion, methods))
    return result


class ScoreSheetInvalid(DomainError):
    """The sheet has wrong or missing boxes; `errors` maps each box to what is wrong."""

    def __init__(self, errors: dict[CellKey | None, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True)
class ScoreEntry:
    raw: str | None
    note: str = ""


ALREADY_SUBMITTED = (
    "You have already submitted scores for this applicant. Amend them to change them."
)


def submit_score_sheet(
    session: Session,
    scope: Scope,
    application_id: int,
    stage: str,
    entries: Mapping[CellKey, ScoreEntry],
) -> ScoreSheet:
    """Store one member's complete, validated sheet for one application; it is locked at once."""
    check_not_closed(scope.vacancy, "scores")
    member, application = _member_and_application(session, scope, application_id, stage)
    if scope.vacancy.shortlist_finalised_at and stage == "shortlisting":
        raise Forbidden("The shortlist is final; shortlisting scores can no longer change.")
    check_taken_forward(session, scope.vacancy, application, stage)
    replaced = _live_sheet(session, member, application.id, stage)
    draft = _draft(session, member, application.id, stage)
    if replaced is not None and draft is None:
        # Only an amendment (a draft started from the submitted sheet) replaces a sheet; a
        # second click on "Submit" finds the draft gone and is refused here.
        raise Forbidden(ALREADY_SUBMITTED)
    scale = SCALES[scope.vacancy.scale]
    criteria = stage_criteria(scope.vacancy.version, stage)
    errors: dict[CellKey | None, str] = {}
    values: dict[CellKey, int | None] = {}
    expected = {(c.criterion.id, m): c for c in criteria for m in c.methods}
    for key, entry in entries.items():
        if key not in expected:
            errors[key] = f"That criterion and method are not scored at the {stage} stage."
            continue
        try:
            values[key] = scale.parse(entry.raw)
        except DomainError as error:
            errors[key] = f"Criterion {expected[key].position} ({key[1]}): {error}"
    for key, criterion in expected.items():
        if key not in entries:
            errors[key] = (
                f"Criterion {criterion.position} ({key[1]}) has no score: give one, or mark it "
                "not assessed (na in a CSV file)."
            )
    if errors:
        raise ScoreSheetInvalid(errors)
    if replaced is not None:
        # The submitted sheet counted until now; of two amendments sent at once only one
        # withdraws it, and the other is refused.
        withdrawn = claim(
            session,
            update(ScoreSheet)
            .where(ScoreSheet.id == replaced.id, ScoreSheet.live.is_(True))
            .values(live=None, withdrawn_at=utcnow()),
        )
        if not withdrawn:
            raise Forbidden(ALREADY_SUBMITTED)
        session.flush()
        record_event(
            session,
            "score-withdraw",
            _audit_subject(scope, application, stage),
            f"sheet {replaced.id} replaced by an amendment",
        )
    sheet = ScoreSheet(
        vacancy_id=scope.vacancy.id,
        application_id=application.id,
        panel_member_id=member.id,
        stage=stage,
        live=True,
    )
    for key in expected:
        sheet.scores.append(
            Score(
                criterion_id=key[0],
                method_code=key[1],
                value=values[key],
                note=(entries[key].note or "").strip(),
            )
        )
    session.add(sheet)
    try:
        session.flush()
    except IntegrityError as error:
        # The same sheet sent twice at once: the database's one-live-sheet rule let the other
        # one through. (The caller rolls the transaction back, as for any DomainError.)
        raise Forbidden(ALREADY_SUBMITTED) from error
    if draft is not None:
        # A statement, not session.delete: a second request deleting it too matches no row
        # rather than failing.
        session.execute(delete(ScoreDraft).where(ScoreDraft.id == draft.id))
    record_event(
        session,
        "score-submit",
        _audit_subject(scope, application, stage),
        f"sheet {sheet.id} by panel member {member.user.email}: {len(sheet.scores)} scores",
    )
    return sheet


def withdraw_score_sheet(
    session: Session, scope: Scope, application_id: int, stage: str
) -> ScoreSheet:
    """Withdraw your live sheet so you can submit an amended one; the old sheet is kept."""
    check_not_closed(scope.vacancy, "scores")
    member, application = _member_and_application(session, scope, application_id, stage)
    sheet = _live_sheet(session, member, application.id, stage)
    if sheet is None:
        raise DomainError("You have no submitted scores for this applicant to amend.")
    if scope.vacancy.shortlist_finalised_at and stage == "shortlisting":
        raise Forbidden("The shortlist is final; shortlisting scores can no longer change.")
    sheet.live = None
    sheet.withdrawn_at = utcnow()
    session.flush()
    record_event(
        session,
        "score-withdraw",
        _audit_subject(scope, application, stage),
        f"sheet {sheet.id} withdrawn to amend",
    )
    return sheet


def _draft(session: Session, member: PanelMember, application_id: int, stage: str):
    return session.scalar(
        select(ScoreDraft).where(
            ScoreDraft.panel_member_id == member.id,
            ScoreDraft.application_id == application_id,
            ScoreDraft.stage == stage,
        )
    )


def _draft_entries(entries: Mapping[CellKey, ScoreEntry]) -> str:
    return json.dumps(
        {
            f"{criterion_id}-{method}": {"score": entry.raw, "note": entry.note or ""}
            for (criterion_id, method), entry in entries.items()
        },
        sort_keys=True,
    )


def save_draft(
    session: Session,
    scope: Scope,
    application_id: int,
    stage: str,
    entries: Mapping[CellKey, ScoreEntry],
) -> ScoreDraft:
    """Keep an unfinished sheet (or an amendment in progress) for later; it is never counted.

    Boxes may be left empty; a score that is given must be on the scale."""
    check_not_closed(scope.vacancy, "scores")
    member, application = _member_and_application(session, scope, application_id, stage)
    if scope.vacancy.shortlist_finalised_at and stage == "shortlisting":
        raise Forbidden("The shortlist is final; shortlisting scores can no longer change.")
    check_taken_forward(session, scope.vacancy, application, stage)
    scale = SCALES[scope.vacancy.scale]
    expected = {
        (c.criterion.id, m): c
        for c in stage_criteria(scope.vacancy.version, stage)
        for m in c.methods
    }
    errors: dict[CellKey | None, str] = {}
    kept: dict[CellKey, ScoreEntry] = {}
    for key, entry in entries.items():
        if key not in expected:
            errors[key] = f"That criterion and method are not scored at the {stage} stage."
            continue
        if entry.raw not in (None, ""):
            try:
                scale.parse(entry.raw)
            except DomainError as error:
                errors[key] = f"Criterion {expected[key].position} ({key[1]}): {error}"
                continue
        if entry.raw not in (None, "") or (entry.note or "").strip():
            kept[key] = ScoreEntry(entry.raw or None, (entry.note or "").strip())
    if errors:
        raise ScoreSheetInvalid(errors)
    # The same save sent twice updates one draft: the application row is locked first.
    lock_row(session, Application, application.id)
    draft = _draft(session, member, application.id, stage)
    if draft is None:
        draft = ScoreDraft(
            vacancy_id=scope.vacancy.id,
            application_id=application.id,
            panel_member_id=member.id,
            stage=stage,
        )
        session.add(draft)
    draft.entries = _draft_entries(kept)
    draft.saved_at = utcnow()
    session.flush()
    return draft


def own_draft(session: Session, scope: Scope, application_id: int, stage: str):
    """The user's unsubmitted draft for this application, or None."""
    member = scope.member(stage)
    if member is None:
        return None
    return _draft(session, member, application_id, stage)


def draft_application_ids(session: Session, scope: Scope, stage: str) -> set[int]:
    """Applications the user has unsubmitted scores (a draft or an amendment) for."""
    member = scope.member(stage)
    if member is None:
        return set()
    return set(
        session.scalars(
            select(ScoreDraft.application_id).where(ScoreDraft.panel_member_id == member.id)
        )
    )


def draft_values(draft: ScoreDraft) -> dict[CellKey, ScoreEntry]:
    """A draft's boxes, as the grid shows them."""
    values = {}
    for name, entry in json.loads(draft.entries or "{}").items():
        criterion_id, method = name.split("-", 1)
        values[(int(criterion_id), method)] = ScoreEntry(entry.get("score"), entry.get("note", ""))
    return values


def start_amendment(session: Session, scope: Scope, application_id: int, stage: str) -> ScoreDraft:
    """Open an amendment: a draft copied from the submitted sheet, which counts until the
    amendment is submitted. Asking twice keeps the amendment already in progress."""
    check_not_closed(scope.vacancy, "scores")
    member, application = _member_and_application(session, scope, application_id, stage)
    sheet = _live_sheet(session, member, application.id, stage)
    if sheet is None:
        raise DomainError("You have no submitted scores for this applicant to amend.")
    if scope.vacancy.shortlist_finalised_at and stage == "shortlisting":
        raise Forbidden("The shortlist is final; shortlisting scores can no longer change.")
    draft = _draft(session, member, application.id, stage)
    if draft is not None:
        return draft
    return save_draft(
        session,
        scope,
        application.id,
        stage,
        amendment_start(session, scope, application.id, stage),
    )


def discard_draft(session: Session, scope: Scope, application_id: int, stage: str) -> None:
    """Throw away an unsubmitted draft or amendment; a submitted sheet stays as it was."""
    member, application = _member_and_application(session, scope, application_id, stage)
    session.execute(
        delete(ScoreDraft).where(
            ScoreDraft.panel_member_id == member.id,
            ScoreDraft.application_id == application.id,
            ScoreDraft.stage == stage,
        )
    )


def next_to_score(
    session: Session, scope: Scope, stage: str, after_id: int | None = None
) -> Application | None:
    """The next applicant (after `after_id`, then from the top) the user has not submitted."""
    member = scope.member(stage)
    if member is None:
        return None
    applications = _to_score(session, scope, stage)
    submitted = set(
        session.scalars(
            select(ScoreSheet.application_id).where(
                ScoreSheet.panel_member_id == member.id,
                ScoreSheet.stage == stage,
                ScoreSheet.live.is_(True),
            )
        )
    )
    waiting = [a for a in applications if a.id not in submitted]
    if after_id is not None:
        later = [a for a in waiting if a.id > after_id]
        if later:
            return later[0]
    return waiting[0] if waiting else None


def _to_score(session: Session, scope: Scope, stage: str) -> list[Application]:
    """The applications the user scores at `stage`: visible, and at a later stage shortlisted."""
    applications = list(session.scalars(scope.applications()))
    if stage != "shortlisting":
        forward = shortlisted_ids(session, scope.vacancy)
        if forward is not None:
            applications = [a for a in applications if a.id in forward]
    return applications


@dataclass
class ScoringTask:
    """One vacancy stage a panel member scores, and how far they have got."""

    vacancy: Vacancy
    stage: str
    to_score: int
    submitted: int
    drafts: int
    #: The next applicant waiting for the member's sheet, if any.
    next_application: Application | None
    #: Why nothing can be scored yet (or no longer), when that is so.
    waiting: str | None


def scoring_tasks(session: Session, user) -> list[ScoringTask]:
    """What waits for `user` on every panel they sit on, newest vacancy first."""
    from .vacancies import vacancy_stages

    seats = list(
        session.scalars(
            select(PanelMember)
            .where(PanelMember.user_id == user.id)
            .order_by(PanelMember.vacancy_id.desc(), PanelMember.id)
        )
    )
    tasks = []
    for seat in seats:
        vacancy = seat.vacancy
        if seat.stage not in vacancy_stages(vacancy) or seat.stage == "references":
            continue
        scope = scope_for(session, user, vacancy.id)
        applications = _to_score(session, scope, seat.stage)
        ids = [a.id for a in applications]
        submitted = set(
            session.scalars(
                select(ScoreSheet.application_id).where(
                    ScoreSheet.panel_member_id == seat.id,
                    ScoreSheet.live.is_(True),
                    ScoreSheet.application_id.in_(ids),
                )
            )
        )
        drafts = set(
            session.scalars(
                select(ScoreDraft.application_id).where(
                    ScoreDraft.panel_member_id == seat.id, ScoreDraft.application_id.in_(ids)
                )
            )
        )
        waiting = None
        if vacancy.closed_at:
            waiting = "The vacancy is closed."
        elif seat.stage == "shortlisting" and vacancy.shortlist_finalised_at:
            waiting = "The shortlist is final."
        elif (
            seat.stage != "shortlisting"
            and "shortlisting" in vacancy_stages(vacancy)
            and not vacancy.shortlist_finalised_at
        ):
            waiting = f"{STAGE_LABELS[seat.stage]} scoring opens when the shortlist is final."
        elif not applications:
            waiting = "No applicants to score yet."
        tasks.append(
            ScoringTask(
                vacancy=vacancy,
                stage=seat.stage,
                to_score=len(applications),
                submitted=len(submitted),
                drafts=len(drafts - submitted),
                next_application=next((a for a in applications if a.id not in submitted), None)
                if waiting is None
                else None,
                waiting=waiting,
            )
        )
    return tasks


def own_sheet(session: Session, scope: Scope, application_id: int, stage: str):
    """The user's live sheet for this application and stage, or None."""
    member = scope.member(stage)
    if member is None:
        return None
    return session.scalar(
        scope.live_sheets(stage).where(
            ScoreSheet.panel_member_id == member.id, ScoreSheet.application_id == application_id
        )
    )


def amendment_start(
    session: Session, scope: Scope, application_id: int, stage: str
) -> dict[CellKey, ScoreEntry]:
    """The scores of the user's latest sheet for this application, to start an amendment from."""
    sheet = session.scalar(
        scope.own_sheets(stage).where(ScoreSheet.application_id == application_id)
    )
    if sheet is None:
        return {}
    return {
        (score.criterion_id, score.method_code): ScoreEntry(
            "na" if score.value is None else str(score.value), score.note
        )
        for score in sheet.scores
    }


def _live_sheet(session: Session, member: PanelMember, application_id: int, stage: str):
    return session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.panel_member_id == member.id,
            ScoreSheet.application_id == application_id,
            ScoreSheet.stage == stage,
            ScoreSheet.live.is_(True),
        )
    )


def _member_and_application(
    session: Session, scope: Scope, application_id: int, stage: str
) -> tuple[PanelMember, Application]:
    check_stage(scope.vacancy, stage)
    member = scope.member(stage)
    if member is None:
        raise Forbidden(f"You are not on the {stage} panel for this vacancy.")
    application = get_application(session, scope, application_id)
    return member, application


def get_application(session: Session, scope: Scope, application_id: int) -> Application:
    application = session.scalar(scope.applications().where(Application.id == application_id))
    if application is None:
        raise NotFound("There is no such applicant for this vacancy (or you have a conflict).")
    return application


def shortlisted_ids(session: Session, vacancy) -> set[int] | None:
    """Applications taken forward past shortlisting: None when every applicant goes forward
    (the person spec assesses nothing on the application form), otherwise the applications
    shortlisted on the final shortlist (an empty set until it is final)."""
    from .vacancies import vacancy_stages

    if "shortlisting" not in vacancy_stages(vacancy):
        return None
    if not vacancy.shortlist_finalised_at:
        return set()
    ids = [a.id for a in vacancy.applications]
    return {
        app_id
        for app_id, decision in latest_decisions(session, ids, "shortlisting").items()
        if decision.outcome == "shortlist"
    }


def _waiting_for_shortlist(stage: str) -> str:
    return (
        f"The shortlist is not final yet: {STAGE_LABELS[stage].lower()} scores and decisions "
        "start once it is."
    )


def check_taken_forward(session: Session, vacancy, application: Application, stage: str) -> None:
    """Interview scores and decisions only for applicants on the final shortlist."""
    if stage == "shortlisting":
        return
    forward = shortlisted_ids(session, vacancy)
    if forward is None or application.id in forward:
        return
    if not vacancy.shortlist_finalised_at:
        raise Forbidden(_waiting_for_shortlist(stage))
    raise Forbidden(
        f"{application.reference} was not shortlisted, so they are not scored or decided at "
        f"{STAGE_LABELS[stage].lower()}."
    )


# -- reading a whole stage at once ------------------------------------------------------------


class ScoreValue(NamedTuple):
    """One member's score for one box (None = not assessed) and the evidence noted."""

    value: int | None
    note: str


class ModerationRow(NamedTuple):
    """One box of one applicant on the moderation page, with the figures as the page shows them."""

    criterion: StageCriterion
    method: str
    key: CellKey
    #: Each stage member's score in member order: "" (no sheet), "–" (not assessed) or the value.
    member_scores: list[str | int]
    mean: str
    spread: str | int
    flagged: bool
    agreed: ConsensusScore | None


@dataclass
class StageScores:
    """Every visible score of a stage, read in one query, arranged for pages and records."""

    scope: Scope
    stage: str
    scale: Scale
    criteria: list[StageCriterion]
    applications: list[Application]
    members: list[PanelMember]
    #: application id → (criterion id, method) → member id → ScoreValue
    scores: dict[int, dict[CellKey, dict[int, ScoreValue]]] = field(default_factory=dict)
    #: application id → member id → live sheet id
    sheets: dict[int, dict[int, int]] = field(default_factory=dict)
    #: application id → (criterion id, method) → newest agreed score
    agreed: dict[int, dict[CellKey, ConsensusScore]] = field(default_factory=dict)

    def cell(self, application_id: int, key: CellKey) -> CellSummary:
        by_member = self.scores.get(application_id, {}).get(key, {})
        agreed = self.agreed.get(application_id, {}).get(key)
        return summarise_cell(
            [score.value for score in by_member.values()],
            agreed.value if agreed else None,
            agreed is not None,
        )

    def submitted_members(self) -> set[int]:
        return {member_id for sheets in self.sheets.values() for member_id in sheets}

    def rules(self) -> list[CriterionRule]:
        return [CriterionRule(c.position, c.criterion.priority, c.methods) for c in self.criteria]

    def moderation_rows(self, application_id: int) -> list[ModerationRow]:
        """Every box of one applicant, worked out here once rather than in the template's
        innermost loop (a large round has tens of thousands of boxes)."""
        scores = self.scores.get(application_id, {})
        agreed = self.agreed.get(application_id, {})
        member_ids = [member.id for member in self.members]
        rows = []
        for item in self.criteria:
            for method in item.methods:
                key = (item.criterion.id, method)
                by_member = scores.get(key, {})
                cell = summarise_cell([score.value for score in by_member.values()])
                shown = [
                    "" if score is None else "–" if score.value is None else score.value
                    for score in map(by_member.get, member_ids)
                ]
                mean, spread = cell.mean, cell.spread
                rows.append(
                    ModerationRow(
                        criterion=item,
                        method=method,
                        key=key,
                        member_scores=shown,
                        mean="–" if mean is None else f"{mean:.1f}",
                        spread="–" if spread is None else spread,
                        flagged=cell.flagged,
                        agreed=agreed.get(key),
                    )
                )
        return rows

    def position_cells(self, application_id: int) -> dict[tuple[int, str], CellSummary]:
        return {
            (c.position, method): self.cell(application_id, (c.criterion.id, method))
            for c in self.criteria
            for method in c.methods
        }


def load_stage_scores(
    session: Session, scope: Scope, stage: str, application_id: int | None = None
) -> StageScores:
    """Every visible live score at `stage`; only one application's when `application_id` is
    given (the scoring grid of one applicant needs no more)."""
    check_stage(scope.vacancy, stage)
    visible = scope.applications()
    if application_id is not None:
        visible = visible.where(Application.id == application_id)
    applications = list(session.scalars(visible))
    if stage != "shortlisting":
        forward = shortlisted_ids(session, scope.vacancy)
        if forward is not None:
            applications = [a for a in applications if a.id in forward]
    members = list(
        session.scalars(
            select(PanelMember)
            .where(PanelMember.vacancy_id == scope.vacancy.id, PanelMember.stage == stage)
            .options(joinedload(PanelMember.user, innerjoin=True))  # pages show members' names
            .order_by(PanelMember.id)
        )
    )
    result = StageScores(
        scope=scope,
        stage=stage,
        scale=SCALES[scope.vacancy.scale],
        criteria=stage_criteria(scope.vacancy.version, stage),
        applications=applications,
        members=members,
    )
    live_scores = scope.live_scores(stage)
    if application_id is not None:
        live_scores = live_scores.where(ScoreSheet.application_id == application_id)
    # A large round has tens of thousands of score rows, so this loop is kept lean: rows read
    # through the connection (the ORM's per-row handling is not needed for plain columns, and
    # the query above has flushed the session) and unpacked as tuples (reading a Row's fields
    # by name costs more than the query itself).
    rows = session.connection().execute(live_scores)
    for app_id, member_id, sheet_id, criterion_id, method, value, note in rows:
        cells = result.scores.get(app_id)
        if cells is None:
            cells = result.scores[app_id] = {}
            result.sheets[app_id] = {}
        result.sheets[app_id][member_id] = sheet_id
        by_member = cells.get((criterion_id, method))
        if by_member is None:
            by_member = cells[criterion_id, method] = {}
        by_member[member_id] = ScoreValue(value, note)
    revealed = _revealed_applications(scope, stage, result)
    if application_id is not None:
        revealed = [revealed_id for revealed_id in revealed if revealed_id == application_id]
    if revealed:
        newest = (
            select(func.max(ConsensusScore.id))
            .where(ConsensusScore.application_id.in_(revealed), ConsensusScore.stage == stage)
            .group_by(
                ConsensusScore.application_id,
                ConsensusScore.criterion_id,
                ConsensusScore.method_code,
            )
        )
        for agreed in session.scalars(select(ConsensusScore).where(ConsensusScore.id.in_(newest))):
            result.agreed.setdefault(agreed.application_id, {})[
                (agreed.criterion_id, agreed.method_code)
            ] = agreed
    return result


def _revealed_applications(scope: Scope, stage: str, scores: StageScores) -> list[int]:
    """Applications whose panel results (agreed scores) this user may see."""
    member = scope.member(stage)
    if member is None:
        return [a.id for a in scores.applications] if scope.manages else []
    return [app_id for app_id, sheets in scores.sheets.items() if member.id in sheets]


# -- moderation, gates, ranking, decisions ----------------------------------------------------


def record_consensus(
    session: Session,
    scope: Scope,
    application_id: int,
    stage: str,
    criterion_id: int,
    method_code: str,
    raw: str,
    rationale: str,
) -> ConsensusScore:
    """The chair records the score the panel agreed, with why; earlier rows are kept."""
    check_not_closed(scope.vacancy, "scores")
    check_stage(scope.vacancy, stage)
    if not scope.is_chair(stage):
        raise Forbidden("Only the panel chair records agreed scores.")
    application = get_application(session, scope, application_id)
    criteria = {c.criterion.id: c for c in stage_criteria(scope.vacancy.version, stage)}
    if criterion_id not in criteria or method_code not in criteria[criterion_id].methods:
        raise DomainError(f"That criterion is not scored by {method_code} at the {stage} stage.")
    value = SCALES[scope.vacancy.scale].parse(raw)
    if not (rationale or "").strip():
        raise DomainError("Give the rationale for the agreed score.")
    # An agreed score sent twice (a double click) is recorded once; see record_decision.
    lock_row(session, Application, application.id)
    newest = session.scalar(
        select(ConsensusScore)
        .where(
            ConsensusScore.application_id == application.id,
            ConsensusScore.stage == stage,
            ConsensusScore.criterion_id == criterion_id,
            ConsensusScore.method_code == method_code,
        )
        .order_by(ConsensusScore.id.desc())
        .limit(1)
    )
    if newest is not None and (newest.value, newest.rationale) == (value, rationale.strip()):
        return newest
    agreed = ConsensusScore(
        application_id=application.id,
        stage=stage,
        criterion_id=criterion_id,
        method_code=method_code,
        value=value,
        rationale=rationale.strip(),
        recorded_by_id=scope.user.id,
    )
    session.add(agreed)
    session.flush()
    record_event(
        session,
        "consensus",
        _audit_subject(scope, application, stage),
        f"criterion {criterion_id} ({method_code}): agreed {raw.strip() or 'not assessed'}",
    )
    return agreed


@dataclass
class RankedApplication:
    application: Application
    standing: Standing
    decision: Decision | None
    #: Applicant name, or the anonymous reference while anonymised shortlisting lasts.
    label: str


def applicant_label(scope: Scope, application: Application, stage: str) -> str:
    vacancy = scope.vacancy
    if application.applicant is None:
        return f"Applicant {application.reference} (data deleted)"
    # Names stay hidden on every stage's pages until the shortlist is final (the interview
    # pages would otherwise link references to names).
    hidden = vacancy.anonymised and not vacancy.shortlist_finalised_at
    return application.reference if hidden else application.applicant.name


def rank_stage(
    session: Session,
    scope: Scope,
    stage: str,
    weights: Mapping[int, float] | None = None,
    scores: StageScores | None = None,
) -> list[RankedApplication]:
    """Every visible applicant with gate, total and rank (optional weights by position)."""
    scores = scores or load_stage_scores(session, scope, stage)
    rules = scores.rules()
    if weights:
        rules = [
            CriterionRule(r.position, r.priority, r.methods, weights.get(r.position, 1.0))
            for r in rules
        ]
    app_ids = [a.id for a in scores.applications]
    overrides = dict(
        session.execute(
            select(GateOverride.application_id, GateOverride.reason).where(
                GateOverride.application_id.in_(app_ids), GateOverride.stage == stage
            )
        ).all()
    )
    decisions = latest_decisions(session, app_ids, stage)
    by_reference = {}
    standings = []
    for application in scores.applications:
        standing = assess(
            application.reference,
            rules,
            scores.position_cells(application.id),
            scores.scale,
            override_reason=overrides.get(application.id),
            disability_confident=application.disability_confident,
        )
        by_reference[application.reference] = application
        standings.append(standing)
    return [
        RankedApplication(
            application=by_reference[standing.applicant],
            standing=standing,
            decision=decisions.get(by_reference[standing.applicant].id),
            label=applicant_label(scope, by_reference[standing.applicant], stage),
        )
        for standing in rank(standings)
    ]


def latest_decisions(session: Session, application_ids: list[int], stage: str):
    newest = (
        select(func.max(Decision.id))
        .where(Decision.application_id.in_(application_ids), Decision.stage == stage)
        .group_by(Decision.application_id)
    )
    return {
        decision.application_id: decision
        for decision in session.scalars(select(Decision).where(Decision.id.in_(newest)))
    }


def _check_may_decide(scope: Scope, stage: str) -> None:
    if not (scope.manages or scope.is_chair(stage)):
        raise Forbidden("Only HR or the panel chair can record this.")


def record_override(
    session: Session, scope: Scope, application_id: int, stage: str, reason: str
) -> GateOverride:
    """Keep an applicant who failed an essential criterion in the running, with the reason."""
    _check_may_decide(scope, stage)
    check_not_closed(scope.vacancy, "decisions")
    check_stage(scope.vacancy, stage)
    application = get_application(session, scope, application_id)
    check_taken_forward(session, scope.vacancy, application, stage)
    if not (reason or "").strip():
        raise DomainError("Give a reason for keeping an applicant who failed an essential.")
    override = session.scalar(
        select(GateOverride).where(
            GateOverride.application_id == application.id, GateOverride.stage == stage
        )
    )
    if override is not None:
        raise DomainError("An override is already recorded for this applicant.")
    override = GateOverride(
        application_id=application.id,
        stage=stage,
        reason=reason.strip(),
        recorded_by_id=scope.user.id,
    )
    session.add(override)
    session.flush()
    # The reason itself stays with the override: free text may name the applicant, and the
    # log can never be changed, so it only says that one was given.
    record_event(
        session,
        "override",
        _audit_subject(scope, application, stage),
        f"kept in despite a failed essential; reason recorded ({len(override.reason)} characters)",
    )
    return override


def record_decision(
    session: Session,
    scope: Scope,
    application_id: int,
    stage: str,
    outcome: str,
    reason: str,
    criterion_ids: list[int],
) -> Decision:
    """Shortlist or reject with reasons (criteria plus free text); a new row, never an edit."""
    _check_may_decide(scope, stage)
    check_not_closed(scope.vacancy, "decisions")
    check_stage(scope.vacancy, stage)
    if stage == "shortlisting" and scope.vacancy.shortlist_finalised_at:
        raise Forbidden("The shortlist is final.")
    allowed = ("shortlist", "reject") if stage == "shortlisting" else ("appoint", "not appointed")
    if outcome not in allowed:
        raise DomainError(f"At {stage} the decision is one of: {', '.join(allowed)}.")
    if not (reason or "").strip():
        raise DomainError(
            "Give the reason for not appointing."
            if outcome == "not appointed"
            else "Give the reason for this decision."
        )
    check_taken_forward(
        session, scope.vacancy, get_application(session, scope, application_id), stage
    )
    known = {c.criterion.id for c in stage_criteria(scope.vacancy.version, stage)}
    if not set(criterion_ids) <= known:
        raise DomainError("A reason can only name criteria assessed at this stage.")
    ranked = {r.application.id: r for r in rank_stage(session, scope.for_decisions(), stage)}
    if application_id not in ranked:
        raise NotFound("There is no such applicant for this vacancy (or you have a conflict).")
    standing = ranked[application_id].standing
    if outcome == "shortlist" and not standing.eligible:
        raise Forbidden(
            "This applicant failed an essential criterion; record an override with a reason "
            "before shortlisting them."
        )
    if outcome == "reject" and standing.guaranteed_interview:
        raise Forbidden(
            "This applicant opted in to the Disability Confident scheme and meets every "
            "essential criterion, so they must be offered an interview."
        )
    # The same decision sent twice (a double click) is recorded once: the application row is
    # locked, so a second request reads the first one's decision before comparing.
    lock_row(session, Application, application_id)
    newest = latest_decisions(session, [application_id], stage).get(application_id)
    if (
        newest is not None
        and (newest.outcome, newest.reason) == (outcome, reason.strip())
        and [c.criterion_id for c in newest.criteria] == sorted(set(criterion_ids))
    ):
        return newest
    decision = Decision(
        application_id=application_id,
        stage=stage,
        outcome=outcome,
        reason=reason.strip(),
        recorded_by_id=scope.user.id,
        criteria=[DecisionCriterion(criterion_id=cid) for cid in sorted(set(criterion_ids))],
    )
    session.add(decision)
    session.flush()
    record_event(
        session,
        "decision",
        _audit_subject(scope, ranked[application_id].application, stage),
        f"{outcome}; reason recorded ({len(decision.reason)} characters), "
        f"{len(decision.criteria)} criteria named",
    )
    return decision


def _audit_subject(scope: Scope, application: Application, stage: str) -> str:
    """Vacancy, stage and application reference: never the applicant's name or email."""
    return f"vacancy {scope.vacancy.id} {stage} / {application.reference}"


def finalise_shortlist(session: Session, scope: Scope) -> None:
    """Close shortlisting: needs two members' submitted sheets and a decision for everyone."""
    _check_may_decide(scope, "shortlisting")
    check_not_closed(scope.vacancy, "decisions")
    check_stage(scope.vacancy, "shortlisting")
    if scope.vacancy.shortlist_finalised_at:
        raise DomainError("The shortlist is already final.")
    submitted = (
        session.scalar(
            select(func.count(func.distinct(ScoreSheet.panel_member_id))).where(
                ScoreSheet.vacancy_id == scope.vacancy.id,
                ScoreSheet.stage == "shortlisting",
                ScoreSheet.live.is_(True),
            )
        )
        or 0
    )
    if submitted < SHORTLIST_MINIMUM_MEMBERS:
        raise Forbidden(
            f"At least {SHORTLIST_MINIMUM_MEMBERS} panel members must submit their scores before "
            f"the shortlist is final ({submitted} so far)."
        )
    ranked = rank_stage(session, scope.for_decisions(), "shortlisting")
    every_id = [a.id for a in scope.vacancy.applications]
    decided = latest_decisions(session, every_id, "shortlisting")
    hidden_undecided = [i for i in every_id if i in scope.conflicts and i not in decided]
    if hidden_undecided:
        raise Forbidden(
            "You declared a conflict with an applicant who has no shortlisting decision yet: "
            "HR must record that decision before the shortlist can be final."
        )
    undecided = [r.label for r in ranked if r.decision is None]
    if undecided:
        raise Forbidden("Record a decision and reason for: " + ", ".join(undecided) + ".")
    # Guarded: of two requests finalising at once, only the first changes the row and logs it.
    finalised = claim(
        session,
        update(Vacancy)
        .where(Vacancy.id == scope.vacancy.id, Vacancy.shortlist_finalised_at.is_(None))
        .values(shortlist_finalised_at=utcnow()),
    )
    session.refresh(scope.vacancy)
    if not finalised:
        raise DomainError("The shortlist is already final.")
    record_event(
        session, "shortlist-final", f"vacancy {scope.vacancy.id}", f"{len(every_id)} applicants"
    )


# -- scores from a CSV file (panels that score on paper) --------------------------------------


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
        for position, criterion in enumerate(vacancy.version.criteria(), start=1)
    ]


@dataclass(frozen=True)
class _PositionedCriterion:
    position: int
    criterion: Criterion

    @property
    def id(self) -> int:
        return self.criterion.id

    @property
    def methods(self) -> list[str]:
        return self.criterion.methods


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)
