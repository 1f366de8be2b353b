"""Alembic migrations on SQLite and PostgreSQL: an empty database and a database holding data,
at every earlier revision, upgrade to the newest schema and stay usable through the app.

The data is made once by the app itself at the newest schema (an approved JD with a signed copy
and advert details, a draft JD, a vacancy with applicants, a panel and scores) and copied into
the old schema table by table, keeping the columns that schema has. New migrations are picked
up from the migrations folder without changing this file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import MetaData, func, inspect, select, text

from jdtool.app import create_app
from jdtool.cli import main
from jdtool.db import MIGRATIONS, Base, make_engine, upgrade_database

from .conftest import seed_path

PASSWORD = "correct horse battery"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


#: Every revision, oldest first.
SCRIPTS = ScriptDirectory.from_config(alembic_config())
REVISIONS = [script.revision for script in SCRIPTS.walk_revisions()][::-1]
HEAD = REVISIONS[-1]


def migrate_to(url: str, revision: str) -> None:
    engine = make_engine(url)
    try:
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def jdtool(url: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", url, *args])
    assert result.exit_code == 0, result.output
    return result.output


@dataclass
class Source:
    """Rows the app wrote at the newest schema, and what the app shows for them."""

    rows: dict[str, list[dict]]
    listing: str
    shown: dict[int, str]
    signed: str
    ranking: str


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Source:
    from jdtool.document import Finding
    from jdtool.services.adverts import save_advert_details
    from jdtool.services.exports import produce_signed_copy

    from .factories import create_job_description
    from .recruitment_data import build_round, score_all

    url = f"sqlite:///{tmp_path_factory.mktemp('source') / 'source.sqlite3'}"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.extensions["jdtool_sessions"]() as session:
        round_ = build_round(session)
        job_description_id = round_.vacancy.version.job_description_id
        for value, application in zip("321", round_.applications, strict=True):
            score_all(session, round_.chair, application, value)
            score_all(session, round_.member, application, value, overrides={8: "1"})
        produce_signed_copy(session, job_description_id, "Jo Bloggs")
        save_advert_details(session, job_description_id, weeks_in_year=52, leave_days=30)
        # A draft still waiting for review: its finding and unlinked text must survive too.
        draft = create_job_description(
            session,
            title="SEN 1:1 Teaching Assistant",
            categories=[("Knowledge and experience", [("First aid training", None, [])])],
            findings=[Finding("A note to whoever fills in the template was left out.")],
        )
        assert draft.current.needs_review
        session.commit()
        ids = (job_description_id, draft.id)
    engine = app.extensions["jdtool_engine"]
    with engine.connect() as connection:
        rows = {
            table.name: [
                dict(row)
                for row in connection.execute(select(table)).mappings()
                if table.name != "audit_events" or row["action"] not in ACTIONS_SINCE_0009
            ]
            for table in Base.metadata.sorted_tables
        }
    engine.dispose()
    return Source(
        rows=rows,
        listing=jdtool(url, "list"),
        shown={id_: jdtool(url, "show", str(id_)) for id_ in ids},
        signed=jdtool(url, "signed", "list", str(job_description_id)),
        ranking=jdtool(url, "vacancy", "rank", "1", "--stage", "shortlisting", "--json"),
    )


#: Audit actions a database before revision 0009 cannot hold (its CHECK constraint refuses
#: them); the app writes them at the newest schema, so they are left out of the copied rows.
ACTIONS_SINCE_0009 = {
    "review-accept", "draft-edit", "approve-warnings",
    # since 0013
    "duplicate-kept",
    # since 0017
    "password-reset", "applicant-add", "equal-opportunities",
}  # fmt: skip


def copy_rows(url: str, rows: dict[str, list[dict]]) -> set[str]:
    """Insert `rows` into the tables the database has, keeping the columns each has (rows an
    older migration made, such as the assessment methods, are left as they are); on PostgreSQL
    move each ID sequence past the copied IDs, as the app's own inserts would have. Returns the
    names of the tables filled."""
    engine = make_engine(url)
    old = MetaData()
    old.reflect(engine)
    filled = set()
    try:
        with engine.begin() as connection:
            for table in Base.metadata.sorted_tables:  # parents before children
                if table.name not in old.tables or not rows[table.name]:
                    continue
                target = old.tables[table.name]
                if connection.scalar(select(func.count()).select_from(target)):
                    continue  # filled by the migration itself
                columns = set(target.columns.keys())
                connection.execute(
                    target.insert(),
                    [{k: v for k, v in row.items() if k in columns} for row in rows[table.name]],
                )
                filled.add(table.name)
                if engine.dialect.name == "postgresql" and "id" in columns:
                    connection.execute(
                        text(
                            "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                            f"(SELECT max(id) FROM {table.name}))"
                        ),
                        {"table": table.name},
                    )
    finally:
        engine.dispose()
    return filled


def test_an_empty_database_upgrades_to_the_newest_schema(empty_database_url):
    engine = make_engine(empty_database_url)
    upgrade_database(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == HEAD
    upgrade_database(engine)  # a second start changes nothing
    engine.dispose()
    assert jdtool(empty_database_url, "list") == ""


def test_every_migration_downgrades_and_upgrades_again(empty_database_url):
    migrate_to(empty_database_url, HEAD)
    engine = make_engine(empty_database_url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_database(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_database_holding_data_upgrades_to_the_newest_schema(
    empty_database_url, source, revision
):
    url = empty_database_url
    migrate_to(url, revision)
    filled = copy_rows(url, source.rows)
    assert {"users", "job_descriptions", "duties", "criteria"} <= filled

    # The app upgrades the schema when it starts.
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    engine = app.extensions["jdtool_engine"]
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == HEAD
        for name in filled:
            table = Base.metadata.tables[name]
            count = connection.scalar(select(func.count()).select_from(table))
            assert count == len(source.rows[name]), name

    # What people see is what they saw before the upgrade.
    assert jdtool(url, "list") == source.listing
    for job_description_id, shown in source.shown.items():
        assert jdtool(url, "show", str(job_description_id)) == shown
    if "signed_copies" in filled:
        assert jdtool(url, "signed", "list", "1") == source.signed
    if "scores" in filled:
        ranking = jdtool(url, "vacancy", "rank", "1", "--stage", "shortlisting", "--json")
        assert ranking == source.ranking
        assert [row["total"] for row in json.loads(ranking)] == sorted(
            (row["total"] for row in json.loads(ranking)), reverse=True
        )

    assert jdtool(url, "verify") == ""  # every approved version still matches its hash

    # Signing in and new rows work (IDs continue after the copied ones).
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page)[1]
    response = client.post(
        "/login",
        data={"email": "chair@example.org", "password": PASSWORD, "csrf_token": token},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Sign out" in response.get_data(as_text=True)
    imported = jdtool(url, "import", str(seed_path("004")))
    assert imported.startswith(f"{len(source.shown) + 1}\t")
    engine.dispose()


def test_approved_versions_hashed_over_the_old_presentation_are_rehashed(
    empty_database_url, source, tmp_path
):
    """Migration 0012: hashes taken over `show --json` (as before) become hashes over the
    document model, so `jdtool verify` stays clean."""
    import hashlib

    from jdtool.services.documents import get_job_description, version_dict

    # The old hash of the approved version, from a copy of the same rows at the newest schema.
    newest = f"sqlite:///{tmp_path / 'newest.sqlite3'}"
    migrate_to(newest, HEAD)
    copy_rows(newest, source.rows)
    app = create_app({"TESTING": True, "DATABASE_URL": newest, "SECRET_KEY": "x"})
    # As jdtool computed it before: everything `show --json` prints except its record keeping.
    record_keeping = {
        "id", "version", "status", "content_hash", "warnings", "edit_stamp", "needs_review",
        "findings",
    }  # fmt: skip
    with app.extensions["jdtool_sessions"]() as session:
        version = get_job_description(session, 1).current
        assert version.status == "approved"
        version_id = version.id
        shown = {k: v for k, v in version_dict(version).items() if k not in record_keeping}
        old_form = json.dumps(shown, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        old_hash = hashlib.sha256(old_form.encode("utf-8")).hexdigest()
    app.extensions["jdtool_engine"].dispose()

    url = empty_database_url
    migrate_to(url, "0011")
    copy_rows(url, source.rows)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE job_description_versions SET content_hash = :h WHERE id = :i"),
            {"h": old_hash, "i": version_id},
        )
    engine.dispose()

    upgraded = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    assert jdtool(url, "verify") == ""
    with upgraded.extensions["jdtool_sessions"]() as session:
        assert get_job_description(session, 1).current.content_hash not in (None, old_hash)
    upgraded.extensions["jdtool_engine"].dispose()


def test_schools_become_organisations_under_their_trust(empty_database_url):
    """0016: each school becomes an organisation of kind "school" under its trust (one already
    named exactly the same is used: approved versions print the name, so it never changes), and
    JDs keep pointing at their school."""
    url = empty_database_url
    migrate_to(url, "0011")
    engine = make_engine(url)
    with engine.begin() as connection:
        # No IDs given where the app would not give them: PostgreSQL's sequences stay right.
        connection.execute(text("INSERT INTO organisations (name) VALUES ('Oak Trust')"))
        trust = connection.scalar(text("SELECT id FROM organisations"))
        connection.execute(
            text(
                "INSERT INTO schools (id, name, organisation_id) VALUES "
                "(7, 'Hill School', :trust), (8, 'Oak Trust', NULL), (9, 'OAK  trust', NULL)"
            ),
            {"trust": trust},
        )
        connection.execute(
            text(
                "INSERT INTO job_descriptions (id, created_at) "
                "VALUES (1, '2026-01-05'), (2, '2026-01-05'), (3, '2026-01-05')"
            )
        )
        for id_, school in ((1, 7), (2, 8), (3, 9)):
            connection.execute(
                text(
                    "INSERT INTO job_description_versions (id, job_description_id, number, status,"
                    " created_at, title, organisation_id, school_id, has_person_spec,"
                    " import_warnings, edit_stamp, needs_review, import_findings) VALUES"
                    " (:id, :id, 1, 'draft', '2026-01-05', 'Cook', :trust, :school, false, '',"
                    " 0, false, '[]')"
                ),
                {"id": id_, "school": school, "trust": trust},
            )
    upgrade_database(engine)  # as the app does when it starts
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT v.id, s.name, s.kind, s.parent_id FROM job_description_versions v "
                "JOIN organisations s ON s.id = v.school_id ORDER BY v.id"
            )
        ).all()
        assert [tuple(row) for row in rows] == [
            (1, "Hill School", "school", trust),
            (2, "Oak Trust", "trust", None),
            (3, "OAK  trust", "school", None),  # printed as it was
        ]
        assert "schools" not in inspect(connection).get_table_names()
    engine.dispose()
    assert jdtool(url, "org", "list").split("\n")[:2] == [
        f"{trust}\tOak Trust\ttrust\t3 JDs",
        f"{trust + 1}\tHill School\tschool of Oak Trust\t1 JDs",
    ]
