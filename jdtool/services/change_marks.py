"""A count, in the database, of the commits that changed scoring data.

The scoring pages (ranking, moderation, the grid) are worked out from every live score of a
stage, its agreed scores, overrides, decisions, applicants and panel. Each worker keeps what it
worked out with the count it read (stage_scores.py), and works it out again once the count
has moved, so a page never shows what another worker's commit has since changed.

Every session counts its own changes: any flush or statement that writes one of the tables
below marks the session, and its commit adds one to the count as its last statement (taking
that row's lock last, so no other lock is ever awaited while holding it). A rollback forgets
the mark. The count is read with the vacancy on every page (scoping.py), so checking it costs
no extra query. A session that has changed scoring data itself no longer trusts the count it
read (`count_still_current`).
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from ..models import (
    Applicant,
    Application,
    ChangeCounter,
    ConflictDeclaration,
    ConsensusScore,
    Decision,
    DecisionCriterion,
    GateOverride,
    PanelMember,
    Score,
    ScoreSheet,
    User,
    Vacancy,
)

SCORING = "scoring"

#: What the scoring pages are worked out from (members' names come from users).
_TRACKED = (
    Vacancy,
    Applicant,
    Application,
    PanelMember,
    ConflictDeclaration,
    ScoreSheet,
    Score,
    ConsensusScore,
    GateOverride,
    Decision,
    DecisionCriterion,
    User,
)
_TRACKED_TABLES = frozenset(model.__tablename__ for model in _TRACKED)
_CHANGED = "jdtool.scoring_changed"
_COMMITTED = "jdtool.scoring_committed"


def watch_scoring_changes(sessions: sessionmaker) -> None:
    """Count the scoring changes of every session `sessions` makes."""
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "do_orm_execute", _after_statement)
    event.listen(sessions, "before_commit", _before_commit)
    event.listen(sessions, "after_rollback", _after_rollback)


def scoring_count():
    """The count as a column, to read in the same query as the vacancy."""
    return select(ChangeCounter.value).where(ChangeCounter.name == SCORING).scalar_subquery()


def count_still_current(session: Session) -> bool:
    """Whether a count this session read still describes what it sees: not once it has
    changed scoring data itself (pending, or committed since)."""
    return not (session.info.get(_CHANGED) or session.info.get(_COMMITTED))


def _after_flush(session: Session, _context) -> None:
    # The session's new, dirty and deleted objects are still the flushed ones here.
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(instance, _TRACKED) for instance in changed):
        session.info[_CHANGED] = True


def _after_statement(state: ORMExecuteState) -> None:
    # Bulk UPDATE and DELETE statements (claims, row locks, erasure) bypass the flush.
    if state.is_update or state.is_delete or state.is_insert:
        table_name = getattr(getattr(state.statement, "table", None), "name", None)
        if table_name in _TRACKED_TABLES:
            state.session.info[_CHANGED] = True


def _before_commit(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this event
    if session.info.pop(_CHANGED, False):
        session.info[_COMMITTED] = True
        session.execute(
            update(ChangeCounter)
            .where(ChangeCounter.name == SCORING)
            .values(value=ChangeCounter.value + 1)
        )


def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
