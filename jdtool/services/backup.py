"""Dump every table to a portable file, and restore it into an empty database.

The dump is a zip: `manifest.json` (format, Alembic revision, row count per table) and one
`tables/<name>.jsonl` per table, one JSON object per row. Values are written by column type:
dates and times as ISO 8601 text, binary contents as base64, everything else as JSON itself, so
a dump taken from SQLite restores into PostgreSQL and back.

Unlike services, these functions work on a Connection and own no ORM state: a restore inserts
rows exactly as they were, IDs included.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Table, func, select, text, types, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DataError, IntegrityError

from ..db import MIGRATIONS, Base
from ..errors import DomainError
from ..models import ChangeCounter
from .change_marks import DATABASE, new_database_mark

FORMAT = "jdtool-dump"
FORMAT_VERSION = 1
#: A dump bigger than this when unpacked is refused rather than read into memory.
MAX_UNPACKED_BYTES = 2 * 1024**3


class BadDump(DomainError):
    """The file is not a dump this jdtool can restore."""


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None, "the migrations folder has a head revision"
    return head


def tables() -> list[Table]:
    """Every table, parents before children (the order rows are inserted in)."""
    import jdtool.models  # noqa: F401  (registers every table)

    return list(Base.metadata.sorted_tables)


def _encode(column_type: types.TypeEngine, value):
    if value is None:
        return None
    if isinstance(column_type, types.LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode(column_type: types.TypeEngine, value):
    if value is None:
        return None
    if isinstance(column_type, types.LargeBinary):
        return base64.b64decode(value, validate=True)
    if isinstance(column_type, types.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, types.Date):
        return date.fromisoformat(value)
    if isinstance(column_type, types.Boolean):
        if not isinstance(value, bool):
            raise ValueError(f"{value!r} is not true or false")
        return value
    if isinstance(column_type, types.Integer) and (
        isinstance(value, bool) or not isinstance(value, int)
    ):
        raise ValueError(f"{value!r} is not a whole number")
    return value


def dump_database(connection: Connection, path: Path) -> dict[str, int]:
    """Write every table to `path`; returns the row count per table.

    Every table is read in one transaction that sees one moment of the database, so rows
    written meanwhile (a sheet and its scores) are either wholly in the dump or wholly out:
    REPEATABLE READ on PostgreSQL; on SQLite an explicit BEGIN (the driver opens none for
    reads), after which every read sees the same snapshot.
    """
    if connection.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
    with connection.begin():
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")
        return _dump_tables(connection, path)


def _dump_tables(connection: Connection, path: Path) -> dict[str, int]:
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    counts = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables():
            order = list(table.primary_key.columns) or list(table.columns)
            lines = []
            for row in connection.execute(select(table).order_by(*order)).mappings():
                record = {c.name: _encode(c.type, row[c.name]) for c in table.columns}
                lines.append(json.dumps(record, ensure_ascii=False))
            counts[table.name] = len(lines)
            archive.writestr(f"tables/{table.name}.jsonl", "".join(f"{x}\n" for x in lines))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "revision": revision,
            "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "tables": counts,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    path.write_bytes(buffer.getvalue())
    return counts


@dataclass
class Dump:
    revision: str
    rows: dict[str, list[dict]]


def read_dump(path: Path) -> Dump:
    """Read and check a whole dump before anything is written; BadDump says what is wrong."""
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BadDump(f"{name}: no such file.") from None
    except (zipfile.BadZipFile, OSError):
        raise BadDump(f"{name} is not a jdtool dump (not a zip file, or cut short).") from None
    with archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise BadDump(f"{name} is too large to restore (over 2 GB unpacked).")
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except KeyError:
            raise BadDump(f"{name} is not a jdtool dump (it has no manifest).") from None
        except (ValueError, zipfile.BadZipFile, OSError, EOFError):
            raise BadDump(f"{name} is damaged: its manifest cannot be read.") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BadDump(f"{name} is not a jdtool dump (its manifest is not jdtool's).")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BadDump(f"{name} was written in dump format {manifest.get('format_version')!r}, "
                          f"this jdtool reads format {FORMAT_VERSION}.")  # fmt: skip
        revision, head = manifest.get("revision"), head_revision()
        if revision != head:
            raise BadDump(
                f"{name} is from database schema {revision}, this jdtool has schema {head}: "
                "restore it with the jdtool version that wrote it."
            )
        known = {table.name: table for table in tables()}
        counts = manifest.get("tables")
        if not isinstance(counts, dict):
            raise BadDump(f"{name} is damaged: its manifest lists no tables.")
        unknown = sorted(set(counts) - set(known)) + sorted(
            n[len("tables/") : -len(".jsonl")]
            for n in archive.namelist()
            if n.startswith("tables/") and n[len("tables/") : -len(".jsonl")] not in known
        )
        if unknown:
            raise BadDump(f"{name} has rows for a table this jdtool does not know: {unknown[0]}.")
        rows = {}
        for table_name, table in known.items():
            rows[table_name] = _read_table(archive, name, table, counts.get(table_name))
    return Dump(revision, rows)


def _read_table(archive: zipfile.ZipFile, name: str, table: Table, expected) -> list[dict]:
    try:
        content = archive.read(f"tables/{table.name}.jsonl").decode("utf-8")
    except KeyError:
        raise BadDump(f"{name} is damaged: the table {table.name} is missing.") from None
    except (zipfile.BadZipFile, OSError, EOFError, UnicodeDecodeError):
        raise BadDump(f"{name} is damaged: the table {table.name} cannot be read.") from None
    columns = {c.name: c for c in table.columns}
    rows = []
    for number, line in enumerate(content.splitlines(), start=1):
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or set(record) != set(columns):
                raise ValueError("the columns differ from this jdtool's")
            rows.append({key: _decode(columns[key].type, value) for key, value in record.items()})
        except (ValueError, TypeError) as error:
            raise BadDump(
                f"{name} is damaged: {table.name} row {number} cannot be read ({error})."
            ) from None
    if expected != len(rows):
        raise BadDump(
            f"{name} is damaged: {table.name} has {len(rows)} rows, its manifest says {expected}."
        )
    return rows


def row_counts(connection: Connection) -> dict[str, int]:
    return {
        table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        for table in tables()
    }


def migration_rows() -> dict[str, int]:
    """Tables the migrations themselves fill (reference data such as assessment methods)."""
    import tempfile

    from ..db import make_engine, upgrade_database

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'fresh.sqlite3'}")
        try:
            upgrade_database(engine)
            with engine.connect() as connection:
                return {name: n for name, n in row_counts(connection).items() if n}
        finally:
            engine.dispose()


def restore_database(connection: Connection, dump: Dump) -> int:
    """Insert a dump's rows into an empty database at the same revision, in the caller's
    transaction; returns the number of rows. Refuses a database that holds any row beyond the
    reference data its migrations wrote."""
    current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    if current != dump.revision:
        raise BadDump(f"The database has schema {current}, the dump {dump.revision}.")
    seeded = migration_rows()
    filled = {name: n for name, n in row_counts(connection).items() if n != seeded.get(name, 0)}
    if filled:
        total = sum(filled.values())
        raise DomainError(
            f"The database is not empty ({total} rows in {len(filled)} tables): restore only "
            "into a new, empty database."
        )
    for table in reversed(tables()):  # the reference rows come back from the dump
        if table.name in seeded:
            connection.execute(table.delete())
    restored = 0
    for table in tables():
        rows = dump.rows[table.name]
        if rows:
            try:
                _insert(connection, table, rows)
            except (IntegrityError, DataError) as error:
                reason = str(error.orig).strip().splitlines()[0]
                raise BadDump(
                    f"Nothing restored: the dump's {table.name} rows break a rule of the "
                    f"database ({reason})."
                ) from None
            restored += len(rows)
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection)
    # The dump's count of scoring commits is an older one: a new mark tells every running
    # worker that what it kept belongs to other data (change_marks.py).
    connection.execute(
        update(ChangeCounter)
        .where(ChangeCounter.name == DATABASE)
        .values(value=new_database_mark())
    )
    return restored


def _insert(connection: Connection, table, rows: list[dict]) -> None:
    """Insert a table's rows. A column pointing at the same table (a school's trust, a
    sub-group's group) is filled in afterwards: a row may point at one with a higher ID."""
    own = [key.parent.name for key in table.foreign_keys if key.column.table is table]
    if not own:
        connection.execute(table.insert(), rows)
        return
    connection.execute(table.insert(), [{**row, **dict.fromkeys(own)} for row in rows])
    [key] = table.primary_key.columns
    for row in rows:
        links = {name: row[name] for name in own if row.get(name) is not None}
        if links:
            connection.execute(table.update().where(key == row[key.name]).values(**links))


def _reset_sequences(connection: Connection) -> None:
    """Restored rows keep their IDs; the next new row must get a fresh one."""
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, types.Integer):
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": keys[0].name},
        ).scalar_one()
        if sequence is None:
            continue
        connection.execute(
            text(
                f"SELECT setval(:sequence, coalesce(max({keys[0].name}), 0) + 1, false) "
                f"FROM {table.name}"
            ),
            {"sequence": sequence},
        )
