"""Every visible score of a stage, read in one query and arranged for the scoring pages and the
records, with the applicants, the panel and the agreed scores it goes with.

What a stage's pages are worked out from is kept per worker as plain frozen data (never ORM
objects, which belong to one session), keyed on who is looking (what they may see) and on the
count of commits that changed scoring data (change_marks.py). Once another commit moves the
count, the next page reads everything afresh. A vacancy pinned to a draft is never kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, TypeVar, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, object_session

from ..models import Application, ConsensusScore, PanelMember, ScoreSheet
from ..scoring import SCALES, CellSummary, CriterionRule, Scale, box_figures, summarise_cell
from .change_marks import count_still_current
from .scoping import Scope
from .scoring import CellKey, StageCriterion, shortlisted_ids, stage_criteria
from .vacancies import check_stage
from .worker_cache import BoundedCache, database_of

#: Stages worked out and kept per worker: a few per vacancy, stage and viewer in use (and one
#: per applicant whose grid was opened). A large round (500 applicants, 60,000 scores) takes
#: about 12 MB (measured); a school's usual round well under 1 MB.
STAGES_KEPT = 128


@dataclass(frozen=True)
class PersonView:
    """A panel member's name and email, as the pages and records show them."""

    name: str
    email: str


@dataclass(frozen=True)
class ApplicantView:
    """An applicant as the scoring pages name them (no more of their personal data is kept)."""

    name: str


@dataclass(frozen=True)
class ApplicationView:
    id: int
    reference: str
    disability_confident: bool
    #: None once the applicant's personal data has been deleted.
    applicant: ApplicantView | None


@dataclass(frozen=True)
class MemberView:
    id: int
    user_id: int
    stage: str
    is_chair: bool
    user: PersonView


@dataclass(frozen=True)
class AgreedView:
    """The newest score the panel agreed for one box, and why."""

    value: int | None
    rationale: str
    recorded_at: datetime


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
    agreed: AgreedView | None


@dataclass
class StageScores:
    """Every visible score of a stage, arranged for pages and records. Shared by the requests
    of one worker: read it, never change it."""

    stage: str
    scale: Scale
    criteria: list[StageCriterion]
    applications: list[ApplicationView]
    members: list[MemberView]
    #: application id → (criterion id, method) → member id → ScoreValue
    scores: dict[int, dict[CellKey, dict[int, ScoreValue]]] = field(default_factory=dict)
    #: application id → member id → live sheet id
    sheets: dict[int, dict[int, int]] = field(default_factory=dict)
    #: application id → (criterion id, method) → newest agreed score
    agreed: dict[int, dict[CellKey, AgreedView]] = field(default_factory=dict)

    def cell(self, application_id: int, key: CellKey) -> CellSummary:
        return _summary(
            self.scores.get(application_id, {}).get(key),
            self.agreed.get(application_id, {}).get(key),
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
                mean, spread, flagged = box_figures(score.value for score in by_member.values())
                shown = [
                    "" if score is None else "–" if score.value is None else score.value
                    for score in map(by_member.get, member_ids)
                ]
                rows.append(
                    ModerationRow(
                        criterion=item,
                        method=method,
                        key=key,
                        member_scores=shown,
                        mean="–" if mean is None else f"{mean:.1f}",
                        spread="–" if spread is None else spread,
                        flagged=flagged,
                        agreed=agreed.get(key),
                    )
                )
        return rows

    def position_cells(self, application_id: int) -> dict[tuple[int, str], CellSummary]:
        """Every box of one applicant by (position, method), for the gate and the totals (the
        applicant's scores looked up once, not once per box: the ranking does this for all)."""
        scores = self.scores.get(application_id, {})
        agreed = self.agreed.get(application_id, {})
        cells = {}
        for item in self.criteria:
            for method in item.methods:
                key = (item.criterion.id, method)
                cells[item.position, method] = _summary(scores.get(key), agreed.get(key))
        return cells


def _summary(by_member: dict[int, ScoreValue] | None, settled: AgreedView | None) -> CellSummary:
    """One box's members' scores and the agreed one, as the scoring rules read them."""
    return summarise_cell(
        [score.value for score in by_member.values()] if by_member else [],
        settled.value if settled else None,
        settled is not None,
    )


class StageKey(NamedTuple):
    #: The database: its address and its random mark (drawn again by a restore).
    database: tuple[Hashable, int | None]
    #: Everything a kept page depends on but the count, the database first: one place each.
    slot: tuple[Hashable, ...]
    #: The count of scoring commits the page was worked out at.
    commits: int


#: Stage scores and rankings, by slot (database first), each with the count it was worked
#: out at. Only the newest count's are kept: once a worker sees a newer count, what it kept at
#: older ones can never be asked for again, and is dropped at once (it may name applicants
#: whose personal data has since been deleted).
_kept: BoundedCache[tuple[int, object]] = BoundedCache(STAGES_KEPT)
#: The newest count seen, by database.
_newest: dict[Hashable, int] = {}
_newest_lock = threading.Lock()

Built = TypeVar("Built")


def kept(key: StageKey | None, build: Callable[[], Built]) -> Built:
    """What `key` names, from this worker's store, or built now (and kept, unless `key` is
    None or an older count's). Whatever is kept must be plain data that nobody changes."""
    if key is None:
        return build()
    entry = _kept.get(key.slot)
    if entry is not None and entry[0] == key.commits:
        return cast(Built, entry[1])
    value = build()
    if _newest_count(key):
        _kept.put(key.slot, (key.commits, value))
    return value


def _newest_count(key: StageKey) -> bool:
    """Whether `key`'s count is the newest this worker has seen for its database; a newer one
    drops everything kept at older counts, and at other marks of the same address."""
    with _newest_lock:
        newest = _newest.get(key.database)
        if newest is not None and key.commits < newest:
            return False
        if newest is None or key.commits > newest:
            _newest[key.database] = key.commits
            address = key.database[0]

            def unwanted(slot: Hashable, entry: tuple[int, object]) -> bool:
                database = cast(tuple, slot)[0]
                same_address = database[0] == address
                return same_address and (database != key.database or entry[0] < key.commits)

            _kept.drop(unwanted)
        return True


def stage_key(scope: Scope, stage: str, *parts: Hashable) -> StageKey | None:
    """What a stage's pages depend on beyond its data: the database, the vacancy and its
    pinned approved version, what this user may see, and the count of scoring commits. None
    when nothing may be kept: a draft spec, a scope read without the count, or a session that
    has changed scoring data since it read the count (or is about to)."""
    version = scope.vacancy.version
    if scope.scoring_count is None or version.status != "approved" or not version.content_hash:
        return None
    session = object_session(scope.vacancy)
    if session is None or not count_still_current(session):
        return None
    member = scope.member(stage)
    # One process may serve two databases (tests), and a restore puts back an older count.
    database = (database_of(session), scope.database_mark)
    slot = (
        database,
        scope.vacancy.id,
        version.content_hash,
        stage,
        scope.manages,
        scope.every_sheet,
        member.id if member is not None else None,
        frozenset(scope.conflicts),
        *parts,
    )
    return StageKey(database, slot, scope.scoring_count)


def forget_stage_scores() -> None:
    """Empty this worker's kept stage scores and rankings (tests and benchmarks measuring a
    cold start)."""
    _kept.clear()
    with _newest_lock:
        _newest.clear()


def load_stage_scores(
    session: Session, scope: Scope, stage: str, application: Application | None = None
) -> StageScores:
    """Every visible live score at `stage`; only one application's when the caller gives the
    `application` it read through `scope` (the scoring grid of one applicant needs no more)."""
    check_stage(scope.vacancy, stage)
    key = stage_key(scope, stage, "scores", None if application is None else application.id)
    return kept(key, lambda: _read_stage_scores(session, scope, stage, application))


def _read_stage_scores(
    session: Session, scope: Scope, stage: str, application: Application | None
) -> StageScores:
    application_id = None if application is None else application.id
    if application is None:
        applications = list(session.scalars(scope.applications()))
    else:
        applications = [application]
    if stage != "shortlisting":
        forward = shortlisted_ids(session, scope.vacancy)
        if forward is not None:
            applications = [a for a in applications if a.id in forward]
    members = session.scalars(
        select(PanelMember)
        .where(PanelMember.vacancy_id == scope.vacancy.id, PanelMember.stage == stage)
        .options(joinedload(PanelMember.user, innerjoin=True))  # pages show members' names
        .order_by(PanelMember.id)
        # The signed-in member's own user row was read before the count: read it again, so
        # what is kept at this count has the name as it is now.
        .execution_options(populate_existing=True)
    )
    result = StageScores(
        stage=stage,
        scale=SCALES[scope.vacancy.scale],
        criteria=stage_criteria(scope.vacancy.version, stage),
        applications=[_application_view(a) for a in applications],
        members=[
            MemberView(m.id, m.user_id, m.stage, m.is_chair, PersonView(m.user.name, m.user.email))
            for m in members
        ],
    )
    live_scores = scope.live_scores(stage)
    if application is not None:
        live_scores = live_scores.where(ScoreSheet.application_id == application.id)
    # A large round has tens of thousands of score rows, so this loop is kept lean:
    # - the rows are fetched at once as the driver's own tuples: the columns are plain
    #   integers and text that need no conversion, and making a Row of each cost more than the
    #   query (the query above has flushed the session; nothing is read through the ORM);
    # - a sheet's rows come together, so the applicant's dictionaries are looked up once per
    #   run of rows;
    # - each score is made straight from a tuple (skipping the named tuple's own constructor,
    #   a Python call per score).
    fetched = session.connection().execute(live_scores)
    rows = fetched.cursor.fetchall()
    fetched.close()
    make_score = tuple.__new__
    current = None
    cells: dict[CellKey, dict[int, ScoreValue]] = {}
    app_sheets: dict[int, int] = {}
    for app_id, member_id, sheet_id, criterion_id, method, value, note in rows:
        if app_id != current:
            current = app_id
            cells = result.scores.setdefault(app_id, {})
            app_sheets = result.sheets.setdefault(app_id, {})
        app_sheets[member_id] = sheet_id
        key = (criterion_id, method)
        by_member = cells.get(key)
        if by_member is None:
            by_member = cells[key] = {}
        by_member[member_id] = make_score(ScoreValue, (value, note))
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
            ] = AgreedView(agreed.value, agreed.rationale, agreed.recorded_at)
    return result


def _application_view(application: Application) -> ApplicationView:
    applicant = application.applicant
    return ApplicationView(
        id=application.id,
        reference=application.reference,
        disability_confident=application.disability_confident,
        applicant=None if applicant is None else ApplicantView(applicant.name),
    )


def _revealed_applications(scope: Scope, stage: str, scores: StageScores) -> list[int]:
    """Applications whose panel results (agreed scores) this user may see."""
    member = scope.member(stage)
    if member is None:
        return [a.id for a in scores.applications] if scope.manages else []
    return [app_id for app_id, sheets in scores.sheets.items() if member.id in sheets]
