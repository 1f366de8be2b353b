"""The `jdtool` command line, per the contract in the README."""

from __future__ import annotations

import json

import pytest

from .conftest import SEED_IDS, seed_path


def test_import_prints_one_line_per_file(cli):
    result = cli("import", *(str(seed_path(seed_id)) for seed_id in SEED_IDS))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "1\tSEN Teaching Assistant (1:1 Support) – Fixed Term\t46 duties\t22 criteria"
    )
    assert lines[1] == "2\t1:1 TA\t27 duties\t26 criteria"
    assert lines[4] == "5\tTeaching Assistant: 1:1 Support\t8 duties\t0 criteria"
    assert len(lines) == 5


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_show_json_gives_the_documents_structure(cli, seed_id):
    cli("import", str(seed_path(seed_id)))
    result = cli("show", "1", "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    expected = json.loads(seed_path(seed_id).with_suffix(".expected.json").read_text("utf-8"))
    assert shown["id"] == 1
    for key, value in expected.items():
        assert shown[key] == value, key


def test_show_json_has_every_contract_key_even_when_unknown(cli, seed_document):
    seed_document("004")
    shown = json.loads(cli("show", "1", "--json").output)
    for key in (
        "id", "title", "organisation", "school", "location", "grade", "salary", "hours_per_week",
        "weeks_per_year", "contract", "reports_to", "purpose", "sections", "statements",
        "person_spec", "signatories",
    ):  # fmt: skip
        assert key in shown
    assert shown["person_spec"] is None
    assert shown["salary"] == {"min": None, "max": None, "basis": None, "text": None}


def test_show_text_lists_duties_and_criteria(cli, seed_document):
    seed_document("003")
    result = cli("show", "1")
    assert "Principal Accountabilities" in result.output
    assert "[E] Level 3 qualified  (no method given)" in result.output
    assert "[D] 2 years of working in a school" in result.output


def test_list_and_search(cli, seed_document):
    for seed_id in SEED_IDS:
        seed_document(seed_id)
    result = cli("list")
    assert result.output.splitlines()[1] == "2\t1:1 TA\tCharing\tdraft\t1"
    assert len(result.output.splitlines()) == 5
    assert cli("list", "--search", "charing").output.splitlines() == [
        "2\t1:1 TA\tCharing\tdraft\t1"
    ]


def test_import_prints_its_findings_and_a_document_needing_review_waits(cli):
    result = cli("import", str(seed_path("000")))
    assert result.exit_code == 0
    path = seed_path("000")
    assert f"{path}: warning: A note to whoever fills in the template was left out" in (
        result.stderr
    )
    assert f"{path}: warning: needs review before approval" in result.stderr
    shown = json.loads(cli("show", "1", "--json").stdout)
    assert shown["needs_review"] is True
    assert shown["findings"][0]["source"].startswith("Provide a summary of the postholder")
    refused = cli("approve", "1")
    assert refused.exit_code == 1
    assert "review and accept it before approving it" in refused.stderr
    accepted = cli("accept", "1")
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(cli("show", "1", "--json").stdout)["needs_review"] is False
    again = cli("accept", "1")
    assert again.exit_code == 1
    assert "does not need review" in again.stderr


def test_approve_fixes_the_version_and_refuses_twice(cli, seed_document):
    seed_document("000")
    result = cli("approve", "1")
    assert result.exit_code == 0
    assert result.stdout.startswith("Approved version 1 of job description 1 (content hash ")
    shown = json.loads(cli("show", "1", "--json").output)
    assert shown["status"] == "approved"
    assert len(shown["content_hash"]) == 64
    again = cli("approve", "1")
    assert again.exit_code == 1
    assert "already approved" in again.stderr


def test_unknown_id_is_one_clear_line(cli):
    result = cli("show", "42")
    assert result.exit_code == 1
    assert result.stderr == "jdtool: There is no job description with ID 42.\n"


def test_bad_files_fail_alone_and_name_the_file(cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "letter.docx"
    junk.write_bytes(b"\x00\x01 definitely not a word file" * 100)
    poem = tmp_path / "poem.txt"
    poem.write_text("The owl and the pussycat went to sea\nIn a beautiful pea-green boat.\n")
    result = cli("import", str(empty), str(seed_path("003")), str(junk), str(poem))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "1\tSEN (1:1) Learning Support Assistant\t26 duties\t19 criteria"
    ]
    errors = result.stderr.splitlines()
    assert len(errors) == 3
    assert errors[0] == f"jdtool: {empty}: the file is empty"
    assert errors[1].startswith(f"jdtool: {junk}: it is not a Word .docx file")
    assert errors[2].startswith(f"jdtool: {poem}: no duties or person-specification criteria")
    assert len(cli("list").output.splitlines()) == 1


def test_missing_file_is_reported(cli, tmp_path):
    result = cli("import", str(tmp_path / "nowhere.docx"))
    assert result.exit_code == 1
    assert "nowhere.docx: cannot read the file" in result.stderr


def test_database_url_from_environment(database_url, cli, monkeypatch):
    from click.testing import CliRunner

    from jdtool.cli import main

    monkeypatch.setenv("JDTOOL_DATABASE_URL", database_url)
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(seed_path("004"))]).exit_code == 0
    assert runner.invoke(main, ["list"]).output.startswith("1\tTeaching Assistant: 1:1 Support")
    assert cli("list").output.startswith("1\tTeaching Assistant: 1:1 Support")  # the same database


def test_demo_loads_seeds_once_and_creates_an_admin(cli):
    first = cli("demo")
    assert first.exit_code == 0, first.output
    assert "Sign in as admin@example.org" in first.output
    again = cli("demo")
    assert again.exit_code == 0
    assert len(cli("list").output.splitlines()) == 5


def test_create_admin_refuses_a_short_password(cli):
    result = cli("create-admin", "head@school.example", "--password", "short")
    assert result.exit_code == 1
    assert "at least 10 characters" in result.stderr
    ok = cli("create-admin", "head@school.example", "--password", "a long enough password")
    assert ok.exit_code == 0
