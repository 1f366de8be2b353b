"""`jdtool edit`, `jdtool verify` and `jdtool approve` with its checks."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from jdtool.models import AuditEvent, Criterion, Duty

from .conftest import seed_path


@pytest.fixture
def edit(cli, tmp_path):
    """Run `jdtool edit ID FILE` on a JSON document written to a file."""

    def run(job_description_id: int, document) -> object:
        path = tmp_path / "edited.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return cli("edit", str(job_description_id), str(path))

    return run


def shown(cli, job_description_id: int = 1) -> dict:
    result = cli("show", str(job_description_id), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_show_json_carries_the_edit_stamp(cli):
    cli("import", str(seed_path("002")))
    assert shown(cli)["edit_stamp"] == 0


def test_edit_applies_a_changed_copy_and_prints_the_counts(cli, edit, session):
    cli("import", str(seed_path("002")))
    document = shown(cli)
    kept_duty = document["sections"][0]["duties"][1]
    kept_clause = session.scalar(select(Duty.clause_id).where(Duty.text == kept_duty))
    document["title"] = "1:1 Teaching Assistant (EHCP)"
    document["school"] = "Hillside Primary"
    document["sections"][0]["duties"][0] = "Support one pupil with an EHCP throughout the day."
    for category in document["person_spec"]["categories"]:
        for criterion in category["criteria"]:
            criterion["priority"] = "essential"
            criterion["methods"] = ["application", "interview"]
    result = edit(1, document)
    assert result.exit_code == 0, result.stderr
    duties = sum(len(section["duties"]) for section in document["sections"])
    assert result.output == f"1\t1:1 Teaching Assistant (EHCP)\t{duties} duties\t7 criteria\n"
    after = shown(cli)
    assert after["edit_stamp"] == 1
    assert after["school"] == "Hillside Primary"
    assert after["sections"] == document["sections"]
    assert after["person_spec"] == document["person_spec"]
    session.expire_all()
    # Unchanged text keeps its clause; new text is linked to a clause too.
    assert session.scalar(select(Duty.clause_id).where(Duty.text == kept_duty)) == kept_clause
    new_clause = session.scalar(
        select(Duty.clause_id).where(Duty.text.startswith("Support one pupil with an EHCP"))
    )
    assert new_clause is not None
    assert None not in session.scalars(select(Criterion.clause_id)).all()
    assert session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "draft-edit"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(colour="blue"), "Unknown key “colour” in the document"),
        (
            lambda d: d["person_spec"]["categories"][0]["criteria"][0].update(priority="high"),
            "priority “high” is not essential, desirable or null",
        ),
        (
            lambda d: d["person_spec"]["categories"][0]["criteria"][0].update(
                methods=["telepathy"]
            ),
            "“telepathy” is not an assessment method",
        ),
        (lambda d: d.update(edit_stamp=7), "Someone else saved this draft"),
        (lambda d: d.pop("edit_stamp"), "The file has no edit_stamp"),
        (lambda d: d.update(title=" "), "Job title: enter the text."),
        (lambda d: d.update(hours_per_week="lots"), "Hours per week: enter a number"),
    ],
)
def test_bad_edits_are_refused_in_one_line_and_nothing_is_written(cli, edit, change, message):
    cli("import", str(seed_path("002")))
    before = shown(cli)
    document = json.loads(json.dumps(before))
    document["title"] = "Changed"
    change(document)
    result = edit(1, document)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("jdtool: ")
    assert message in result.stderr
    assert shown(cli) == before


def test_read_only_keys_are_ignored(cli, edit):
    cli("import", str(seed_path("000")))
    document = shown(cli)
    document.update(id=99, version=5, status="approved", content_hash="x", warnings=["w"])
    document["findings"] = [{"kind": "x"}]
    assert edit(1, document).exit_code == 0
    after = shown(cli)
    assert (after["id"], after["version"], after["status"]) == (1, 1, "draft")


def test_an_approved_version_cannot_be_edited(cli, edit, accept_with_cli):
    cli("import", str(seed_path("000")))
    accept_with_cli(1)
    assert cli("approve", "1").exit_code == 0
    result = edit(1, shown(cli))
    assert result.exit_code == 1
    assert "is approved and cannot change" in result.stderr


def test_approve_refuses_unknown_priorities_then_approves_once_fixed(cli, edit):
    cli("import", str(seed_path("002")))  # E/D unknown for all seven criteria
    refused = cli("approve", "1")
    assert refused.exit_code == 1
    assert len(refused.stderr.splitlines()) == 1
    assert "cannot be approved yet" in refused.stderr
    assert shown(cli)["status"] == "draft"
    document = shown(cli)
    for category in document["person_spec"]["categories"]:
        for criterion in category["criteria"]:
            criterion["priority"] = "desirable"
    assert edit(1, document).exit_code == 0
    approved = cli("approve", "1")
    assert approved.exit_code == 0, approved.stderr
    assert approved.stdout.startswith("Approved version 1 of job description 1")
    # The remaining warnings (no methods, no suitability criterion…) are printed and logged.
    assert "jdtool: warning: " in approved.stderr
    assert "No criterion says how it is assessed." in approved.stderr
    log = cli("audit", "--action", "approve-warnings").output
    assert "warnings acknowledged" in log


def test_verify_is_clean_then_names_a_tampered_version(cli, database_url, accept_with_cli):
    from sqlalchemy import create_engine

    cli("import", str(seed_path("000")), str(seed_path("004")))
    accept_with_cli(1)
    assert cli("approve", "1").exit_code == 0
    assert cli("approve", "2").exit_code == 0
    clean = cli("verify")
    assert (clean.exit_code, clean.output) == (0, "")
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE duties SET text = 'Tampered' WHERE id = (SELECT min(duties.id) FROM "
                "duties JOIN duty_sections ON duties.section_id = duty_sections.id JOIN "
                "job_description_versions v ON duty_sections.version_id = v.id "
                "WHERE v.job_description_id = 1)"
            )
        )
    engine.dispose()
    result = cli("verify")
    assert result.exit_code == 1
    assert result.output.startswith("job description 1 version 1: content hash ")
    assert len(result.output.splitlines()) == 1
    assert cli("verify", "2").exit_code == 0
    assert cli("verify", "9").exit_code == 1
