"""`jdtool dump` and `jdtool restore`: every table round-trips, SQLite → SQLite, SQLite →
PostgreSQL and PostgreSQL → SQLite; damaged or hostile dumps are refused with one line."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select

from jdtool.cli import main
from jdtool.db import Base
from jdtool.models import EqualOpportunitiesAnswer, Vacancy
from jdtool.models.people import utcnow
from jdtool.services.applicants import attach_application_file
from jdtool.services.exports import produce_signed_copy, set_organisation_logo
from jdtool.services.panels import declare_conflict

from .conftest import make_png, seed_path
from .factories import create_seed_document
from .hostile_files import clean_pdf
from .recruitment_data import build_template, load_round, score_all

PDF = clean_pdf("application form")


def run(url: str, *args: str):
    return CliRunner().invoke(main, ["--db", url, *args])


@pytest.fixture(scope="module")
def full_database(tmp_path_factory) -> str:
    """A realistic database: seed documents (one approved, with a logo, exported and with a
    signed copy), a clause merge, a vacancy with scores, decisions, files, a conflict, one
    applicant's data deleted by retention, and the audit events all of this wrote. Built once;
    tests copy the file."""
    from jdtool.app import create_app
    from jdtool.models import Decision

    path = tmp_path_factory.mktemp("full") / "full.sqlite3"
    url = f"sqlite:///{path}"
    build_template(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.extensions["jdtool_sessions"]() as session:
        for seed in ("000", "002"):  # 000's policies duty has a near-duplicate in 002
            create_seed_document(session, seed)
        session.commit()
    assert run(url, "approve", "2").exit_code == 0
    clusters = json.loads(run(url, "library", "clusters", "--json").output)
    ids = [str(c["id"]) for c in clusters[0]["clauses"]]
    assert run(url, "library", "merge", *ids).exit_code == 0
    for kind, *postholder in (("jd",), ("advert",), ("signed", "--for", "Jo Postholder")):
        exported = path.with_name(f"exported-{kind}.docx")
        result = run(url, "export", "2", "--kind", kind, *postholder, "-o", str(exported))
        assert result.exit_code == 0, result.output
    with app.extensions["jdtool_sessions"]() as session:
        set_organisation_logo(session, 2, "logo.png", make_png())
        produce_signed_copy(session, 2, "Sam Postholder")
        round_ = load_round(session)
        first, second, third = round_.applications
        for application in round_.applications:
            score_all(session, round_.chair, application, "2")
        score_all(session, round_.member, first, "3", overrides={8: "na"})
        attach_application_file(session, first, "form.pdf", PDF)
        declare_conflict(session, round_.member, third, "A relative")
        session.add(EqualOpportunitiesAnswer(application_id=first.id, sex="female"))
        session.add(
            Decision(application_id=second.id, stage="shortlisting", outcome="reject",
                     reason="No evidence of SEN experience")
        )  # fmt: skip
        session.add(
            Decision(application_id=first.id, stage="interview", outcome="appoint",
                     reason="Strongest answers")
        )  # fmt: skip
        session.get(Vacancy, round_.vacancy.id).closed_at = utcnow() - timedelta(days=400)
        session.commit()
    assert "1 vacancies, 2 applications deleted" in run(url, "retention", "run").output
    with app.extensions["jdtool_sessions"]() as session:
        create_seed_document(session, "003")  # after retention
        session.commit()
    # A school recorded before its trust: the school's row points at a higher ID.
    school = run(url, "org", "add", "Early School", "--kind", "school")
    assert school.exit_code == 0, school.output
    assert run(url, "org", "add", "Late Trust").exit_code == 0
    school_id = school.output.split("\t")[0]
    assert run(url, "org", "set", school_id, "--parent", "Late Trust").exit_code == 0
    app.extensions["jdtool_engine"].dispose()
    # The commands' connections may still hold writes in the write-ahead log: fold them into
    # the file, which the tests copy.
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


@pytest.fixture
def source_url(full_database, tmp_path) -> str:
    path = tmp_path / "source.sqlite3"
    shutil.copy(full_database, path)
    return f"sqlite:///{path}"


def table_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table the models know, ordered by primary key."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def assert_same_database(source: str, target: str) -> None:
    before, after = table_rows(source), table_rows(target)
    assert set(before) == set(after)
    # The restore logged itself: the newest event, the only one the source lacks.
    restored = after["audit_events"].pop()
    assert restored[4] == "restore"
    assert restored[0] == max(row[0] for row in before["audit_events"])
    # The source logged the dump itself once it was written, so that event is not in the dump.
    dumped = [row for row in before["audit_events"] if row[5] == "database dump"]
    assert dumped
    assert dumped[-1] not in after["audit_events"]
    before["audit_events"].remove(dumped[-1])
    # The restore draws the database a new random mark (so running servers drop what they
    # kept of the old data); the count of scoring commits comes back as it was.
    marks = [dict(rows.pop("change_counters")) for rows in (before, after)]
    assert marks[0].pop("database") != marks[1].pop("database")
    assert marks[0] == marks[1]
    for name in before:
        assert after[name] == before[name], name
    # The realistic database really holds what the comparison is meant to cover.
    assert before["application_files"][0][-2] == PDF
    assert before["signed_copies"]
    assert before["organisation_logos"]
    assert before["clause_merges"]
    assert any(school < trust for school, trust in _parents(before["organisations"]))
    assert any(row[2] is None for row in before["applications"])  # data deleted
    assert any(row[4] is None for row in before["scores"])  # not assessed
    assert len(before["audit_events"]) > 10


def _parents(rows: list[tuple]) -> list[tuple[int, int]]:
    """(ID, parent ID) of the organisations that have a parent (ID first, parent_id found by
    name in the models' column order)."""
    names = [column.name for column in Base.metadata.tables["organisations"].columns]
    parent = names.index("parent_id")
    return [(row[0], row[parent]) for row in rows if row[parent] is not None]


def assert_app_works(source: str, target: str) -> None:
    for command in (("list",), ("show", "2", "--json"), ("show", "1", "--json")):
        assert run(target, *command).output == run(source, *command).output
    rank = ("vacancy", "rank", "1", "--stage", "shortlisting", "--json")
    assert run(target, *rank).output == run(source, *rank).output
    before = max(row[0] for row in table_rows(source)["job_descriptions"])
    imported = run(target, "import", str(seed_path("004")))
    assert imported.exit_code == 0, imported.output
    assert imported.output.split("\t")[0] == str(before + 1)


def dump(url: str, path) -> None:
    result = run(url, "dump", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{path}\t")


def test_dump_and_restore_into_sqlite(source_url, tmp_path):
    dump(source_url, tmp_path / "backup.zip")
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    result = run(target, "restore", str(tmp_path / "backup.zip"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Restored ")
    assert_same_database(source_url, target)
    assert_app_works(source_url, target)


def test_dump_from_sqlite_restores_into_postgresql_and_back(source_url, postgres_url, tmp_path):
    dump(source_url, tmp_path / "backup.zip")
    result = run(postgres_url, "restore", str(tmp_path / "backup.zip"))
    assert result.exit_code == 0, result.output
    assert_same_database(source_url, postgres_url)
    assert_app_works(source_url, postgres_url)
    # And from PostgreSQL back to SQLite (the restore event and the new import come along).
    dump(postgres_url, tmp_path / "from-postgres.zip")
    back = f"sqlite:///{tmp_path / 'back.sqlite3'}"
    assert run(back, "restore", str(tmp_path / "from-postgres.zip")).exit_code == 0
    assert_same_database(postgres_url, back)


def test_restore_refuses_a_database_that_holds_data(source_url, tmp_path):
    dump(source_url, tmp_path / "backup.zip")
    result = run(source_url, "restore", str(tmp_path / "backup.zip"))
    assert result.exit_code == 1
    assert result.output.startswith("jdtool: The database is not empty (")
    assert result.output.endswith("restore only into a new, empty database.\n")


def rewrite(source, target, change) -> None:
    """Copy a dump, letting `change(name, bytes)` return new contents (or None to drop)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            content = change(name, old.read(name))
            if content is not None:
                new.writestr(name, content)


def manifest_with(**changes):
    def change(name, content):
        if name != "manifest.json":
            return content
        return json.dumps({**json.loads(content), **changes})

    return change


@pytest.fixture(scope="module")
def good_dump(full_database, tmp_path_factory):
    path = tmp_path_factory.mktemp("dump") / "good.zip"
    dump(f"sqlite:///{full_database}", path)
    return path


def not_a_zip(good, bad):
    bad.write_text("name,email\n")


def truncated(good, bad):
    content = good.read_bytes()
    bad.write_bytes(content[: len(content) // 2])


def other_revision(good, bad):
    rewrite(good, bad, manifest_with(revision="0001"))


def other_format(good, bad):
    rewrite(good, bad, manifest_with(format="other"))


def no_manifest(good, bad):
    rewrite(good, bad, lambda name, content: None if name == "manifest.json" else content)


def in_table(table, change):
    return lambda n, c: change(c) if n == f"tables/{table}.jsonl" else c


def extra_row_without_columns(good, bad):
    rewrite(good, bad, in_table("users", lambda c: c + b'{"id": 99}\n'))


def cut_row(good, bad):
    rewrite(good, bad, in_table("scores", lambda c: c[: len(c) // 2]))


def missing_rows(good, bad):
    rewrite(good, bad, in_table("vacancies", lambda c: b""))


def unknown_table_file(good, bad):
    rewrite(good, bad, lambda n, c: c)
    with zipfile.ZipFile(bad, "a") as archive:
        archive.writestr("tables/secrets.jsonl", "{}\n")


def unknown_table_manifest(good, bad):
    rewrite(good, bad, manifest_with(tables={"secrets": 1}))


NOT_A_DUMP = "bad.zip is not a jdtool dump"
UNKNOWN = "bad.zip has rows for a table this jdtool does not know: secrets."


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (not_a_zip, f"{NOT_A_DUMP} (not a zip file, or cut short)."),
        (truncated, f"{NOT_A_DUMP} (not a zip file, or cut short)."),
        (other_revision, "bad.zip is from database schema 0001, this jdtool has schema "),
        (other_format, f"{NOT_A_DUMP} (its manifest is not jdtool's)."),
        (no_manifest, f"{NOT_A_DUMP} (it has no manifest)."),
        (extra_row_without_columns, "bad.zip is damaged: users row "),
        (cut_row, "bad.zip is damaged: scores row "),
        (missing_rows, "bad.zip is damaged: vacancies has 0 rows, its manifest says 1."),
        (unknown_table_file, UNKNOWN),
        (unknown_table_manifest, UNKNOWN),
    ],
)
def test_a_damaged_dump_is_refused_in_one_line_and_nothing_is_written(
    good_dump, tmp_path, make, message
):
    bad = tmp_path / "bad.zip"
    make(good_dump, bad)
    target = tmp_path / "target.sqlite3"
    result = run(f"sqlite:///{target}", "restore", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith(f"jdtool: {message}")
    assert result.output.count("\n") == 1
    assert not target.exists()


def test_a_failing_restore_leaves_the_database_empty(good_dump, tmp_path):
    """A row that breaks a constraint (a second user with the same email) undoes everything."""
    bad = tmp_path / "bad.zip"

    def duplicate_user(name, content):
        if name == "tables/users.jsonl":
            first = json.loads(content.splitlines()[0])
            return content + (json.dumps({**first, "id": 999}) + "\n").encode()
        if name == "manifest.json":
            manifest = json.loads(content)
            manifest["tables"]["users"] += 1
            return json.dumps(manifest)
        return content

    rewrite(good_dump, bad, duplicate_user)
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    result = run(target, "restore", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith(
        "jdtool: Nothing restored: the dump's users rows break a rule of the database (UNIQUE"
    )
    assert result.output.count("\n") == 1
    rows = table_rows(target)
    # Only the reference data the migrations write; the same restore can then be tried again.
    assert [name for name, table in rows.items() if table] == [
        "assessment_methods",
        "change_counters",
    ]
    assert run(target, "restore", str(good_dump)).exit_code == 0
