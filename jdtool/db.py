"""SQLAlchemy engine, sessions and the declarative base; Alembic upgrades on start."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData, create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

#: Stable constraint names so Alembic migrations work the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: How long a SQLite writer waits for another process's write to finish before giving up.
SQLITE_BUSY_TIMEOUT_SECONDS = 30


def make_engine(url: str) -> Engine:
    """Create an engine.

    SQLite gets foreign keys switched on, as PostgreSQL always has, and write-ahead logging with
    a busy timeout, so several server processes can read while one writes and a second writer
    waits its turn instead of failing with "database is locked". PostgreSQL connections are
    checked before use, so a restarted database server costs no failed request.
    """
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection, _record):  # pragma: no branch
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten personal data is zeroed in the file, not left in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        if make_url(url).database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


def checkpoint(engine: Engine) -> None:
    """After personal data is deleted: on SQLite, copy the write-ahead log into the database
    file and empty it, so the log keeps no earlier copy of the deleted text. A reader still
    busy can leave frames behind; the next checkpoint (SQLite makes one every 1,000 pages)
    writes over them."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.commit()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)


def upgrade_database(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (creates it on an empty database).

    On SQLite, foreign keys are off while the migrations run (they can only be switched outside
    a transaction), as batch mode rebuilds tables that others refer to; they are checked before
    the commit instead, so a migration that breaks one still fails."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("the database upgrade would break foreign keys")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys = ON")
                connection.commit()
