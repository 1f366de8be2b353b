"""A count, in the database, of the commits that changed scoring data.

The scoring pages (ranking, moderation, the grid) are worked out from every live score of a
stage, its agreed scores, overrides, decisions, applicants and panel. Each worker keeps what it
worked out with the count it read (stage_scores.py), and works it out again once the count
has moved, so a page never shows what another worker's commit has since changed.

Every session counts its own changes: any flush or statement that writes one of the tables
below marks the session, and its commit adds one to the count as its last statement (taking
that row's lock last, so no other lock is ever awaited while holding it). A rollback leaves
the mark: at worst one count too many, never one too few. The count is read with the
vacancy on every page (scoping.py), so checking it costs no extra query. A session that has
changed scoring data itself no longer trusts the count it read (`count_still_current`).

Writes made outside the app's sessions (SQL typed by hand, a restore) are not counted: restart
the server after them (a restore also draws a new database mark, which retires what every
worker kept at once).
"""

from __future__ import annotations

import secrets
from itertools import chain

from sqlalchemy import event, inspect, select, update
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
#: A random number drawn when the database is made and again by every restore: a restore puts
#: back an older count, which must not be taken for the data a worker kept at that count.
DATABASE = "database"

#: What the scoring pages are worked out from. Of users, only the name is shown (as a panel
#: member's): sign-ins, sign-outs and role changes write users too, and must not retire every
#: kept page, so a user counts only when their name changes (and no bulk statement does that).
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
)
_TRACKED_TABLES = frozenset(model.__tablename__ for model in _TRACKED)
_CHANGED = "jdtool.scoring_changed"
_COMMITTED = "jdtool.scoring_committed"


def watch_scoring_changes(sessions: sessionmaker) -> None:
    """Count the scoring changes of every session `sessions` makes."""
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "do_orm_execute", _after_statement)
    event.listen(sessions, "before_commit", _before_commit)


def scoring_count():
    """The count as a column, to read in the same query as the vacancy."""
    return _counter_value(SCORING)


def database_mark():
    """This database's random mark as a column (see DATABASE)."""
    return _counter_value(DATABASE)


def new_database_mark() -> int:
    return secrets.randbelow(2**31 - 1) + 1


def count_still_current(session: Session) -> bool:
    """Whether a count this session read still describes what it sees: not once it has
    changed scoring data itself (flushed, committed since, or still waiting to be flushed)."""
    if session.info.get(_CHANGED) or session.info.get(_COMMITTED):
        return False
    return not any(_changes_scoring(instance) for instance in _pending(session))


def _counter_value(name: str):
    return select(ChangeCounter.value).where(ChangeCounter.name == name).scalar_subquery()


def _pending(session: Session):
    return chain(session.new, session.dirty, session.deleted)


def _changes_scoring(instance: object) -> bool:
    if isinstance(instance, _TRACKED):
        return True
    return isinstance(instance, User) and inspect(instance).attrs.name.history.has_changes()


def _after_flush(session: Session, _context) -> None:
    # The session's new, dirty and deleted objects are still the flushed ones here.
    if any(_changes_scoring(instance) for instance in _pending(session)):
        session.info[_CHANGED] = True


def _after_statement(state: ORMExecuteState) -> None:
    # Bulk UPDATE and DELETE statements (claims, row locks, erasure) bypass the flush.
    if state.is_update or state.is_delete or state.is_insert:
        table_name = getattr(getattr(state.statement, "table", None), "name", None)
        if table_name in _TRACKED_TABLES:
            state.session.info[_CHANGED] = True


def _before_commit(session: Session) -> None:
    """Add one to the count as the outermost commit's last statement. A savepoint's release
    also passes here and leaves the mark for the outer commit (counting there would hold the
    counter's lock for the rest of the transaction). A rollback leaves the mark too: at worst
    one count too many, never one too few."""
    if session.in_nested_transaction():
        return
    session.flush()  # the commit's own flush comes after this event
    if session.info.pop(_CHANGED, False):
        session.info[_COMMITTED] = True
        session.execute(
            update(ChangeCounter)
            .where(ChangeCounter.name == SCORING)
            .values(value=ChangeCounter.value + 1)
        )
