"""Changes that must happen once even when a form is sent twice at the same moment.

A check made by reading and then writing lets two requests both pass the check. These helpers
make the database decide instead: a guarded UPDATE changes a row only while it is still in the
state the check expects (its row count says whether this request won), and a row lock makes a
second request wait for the first to commit before it reads.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update


def claim(session: Session, statement: Update) -> bool:
    """Run a guarded UPDATE; True when it changed a row (this request made the change)."""
    result = cast(
        CursorResult, session.execute(statement.execution_options(synchronize_session=False))
    )
    return result.rowcount > 0


def lock_row(session: Session, model, row_id: int) -> None:
    """Hold the row until the transaction ends; another request locking it waits.

    An UPDATE that changes nothing takes PostgreSQL's row lock and SQLite's write lock (SQLite
    ignores SELECT … FOR UPDATE), and a writer that waited reads what the first committed."""
    session.execute(
        update(model)
        .where(model.id == row_id)
        .values(id=model.id)
        .execution_options(synchronize_session=False)
    )
