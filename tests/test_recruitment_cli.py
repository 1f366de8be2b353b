"""The recruitment commands, as an HR script would run them."""

from __future__ import annotations

import json

import pytest

from .recruitment_data import ESSENTIAL_AT_SHORTLISTING, SHORTLISTING_POSITIONS


@pytest.fixture
def vacancy_id(cli, teaching_assistant):
    job_description = teaching_assistant
    result = cli("vacancy", "create", "--jd", str(job_description.id), "--title", "1:1 TA")
    assert result.exit_code == 0, result.output
    return result.output.strip()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def score_rows(applicant, member, scores):
    return "".join(
        f"{applicant},{member},{position},application,{value},note {position}\n"
        for position, value in scores.items()
    )


def test_vacancy_create_refuses_a_draft_only_job_description(cli, create_job_description):
    job_description = create_job_description(title="SEN Teaching Assistant")
    result = cli("vacancy", "create", "--jd", str(job_description.id), "--title", "TA")
    assert result.exit_code == 1
    assert "has no approved version yet. Approve it first" in result.output


def test_whole_shortlisting_round_from_the_command_line(cli, vacancy_id, tmp_path):
    applicants = write(
        tmp_path,
        "applicants.csv",
        "name,email,disability_confident\n"
        "Ana Able,ana@example.org,no\nBo Brown,bo@example.org,yes\nCy Cole,cy@example.org,\n",
    )
    result = cli("applicants", "import", vacancy_id, applicants)
    assert result.exit_code == 0, result.output
    assert "Imported 3 applicants." in result.output
    logged = cli("audit", "--action", "import").output.splitlines()[0].split("\t")
    assert logged[3] == f"vacancy {vacancy_id}"
    assert logged[4].startswith("3 applicants from a CSV file: A-")
    assert "Ana" not in logged[4]
    added = cli(
        "panel", "add", vacancy_id, "chair@example.org", "--stage", "shortlisting", "--chair"
    )
    assert added.exit_code == 0, added.output
    assert "New panel account: they sign in with chair@example.org and the password" in (
        added.output
    )
    cli("panel", "add", vacancy_id, "member@example.org", "--stage", "shortlisting")
    rows = "applicant,panel_member,criterion,method,score,note\n"
    for member in ("chair@example.org", "member@example.org"):
        rows += score_rows("ana@example.org", member, dict.fromkeys(SHORTLISTING_POSITIONS, 2))
        rows += score_rows(
            "bo@example.org", member, {**dict.fromkeys(SHORTLISTING_POSITIONS, 3), 16: 0}
        )
        rows += score_rows("cy@example.org", member, dict.fromkeys(SHORTLISTING_POSITIONS, 2))
    result = cli("scores", "import", vacancy_id, write(tmp_path, "s.csv", rows), "--stage",
                 "shortlisting")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == "Imported 6 score sheets.\n"
    ranked = cli("vacancy", "rank", vacancy_id, "--stage", "shortlisting", "--json")
    assert ranked.exit_code == 0, ranked.output
    rows = json.loads(ranked.output)
    by_total = sorted((row["rank"] or 99, row["total"], row["eligible"]) for row in rows)
    assert by_total == [(1, 16.0, True), (1, 16.0, True), (99, 21.0, False)]
    failed = next(row for row in rows if not row["eligible"])
    assert failed["failed_essentials"] == [16]
    assert failed["rank"] is None
    assert set(rows[0]) >= {"applicant", "eligible", "failed_essentials", "total", "rank"}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("nobody@example.org,chair@example.org,8,application,2,", "Row 2: no applicant"),
        (
            "ana@example.org,stranger@example.org,8,application,2,",
            "Row 2: 'stranger@example.org' is not on the shortlisting panel",
        ),
        (
            "ana@example.org,chair@example.org,1,interview,2,",
            "Row 2: criterion 1 is not scored at the shortlisting stage",
        ),
        (
            "ana@example.org,chair@example.org,8,interview,2,",
            "Row 2: criterion 8 is not assessed by 'interview'",
        ),
        (
            "ana@example.org,chair@example.org,8,application,5,",
            "Row 2: Criterion 8 (application): 5 is outside this vacancy's scale (0 to 3).",
        ),
        (
            "ana@example.org,chair@example.org,99,application,2,",
            "Row 2: '99' is not a criterion number (1 to 22)",
        ),
    ],
)
def test_scores_import_names_the_row_and_why_and_stores_nothing(
    cli, vacancy_id, tmp_path, row, message
):
    cli(
        "applicants",
        "import",
        vacancy_id,
        write(tmp_path, "a.csv", "name,email\nAna,ana@example.org\n"),
    )
    cli("panel", "add", vacancy_id, "chair@example.org", "--stage", "shortlisting", "--chair")
    rest = {p: 2 for p in SHORTLISTING_POSITIONS if p != 8}
    text = "applicant,panel_member,criterion,method,score,note\n" + row + "\n"
    text += score_rows("ana@example.org", "chair@example.org", rest)
    result = cli(
        "scores", "import", vacancy_id, write(tmp_path, "s.csv", text), "--stage", "shortlisting"
    )
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    ranked = json.loads(
        cli("vacancy", "rank", vacancy_id, "--stage", "shortlisting", "--json").output
    )
    assert ranked[0]["total"] == 0


def test_scores_import_reports_a_missing_score_for_the_member_and_applicant(
    cli, vacancy_id, tmp_path
):
    cli(
        "applicants",
        "import",
        vacancy_id,
        write(tmp_path, "a.csv", "name,email\nAna,ana@example.org\n"),
    )
    cli("panel", "add", vacancy_id, "chair@example.org", "--stage", "shortlisting", "--chair")
    partial = {p: 2 for p in SHORTLISTING_POSITIONS if p != 22}
    text = "applicant,panel_member,criterion,method,score,note\n"
    text += score_rows("ana@example.org", "chair@example.org", partial)
    result = cli(
        "scores", "import", vacancy_id, write(tmp_path, "s.csv", text), "--stage", "shortlisting"
    )
    assert result.exit_code == 1
    assert "chair@example.org for A-" in result.output
    assert (
        "Criterion 22 (application)"
        " has no score: give one, or mark it not assessed (na in a CSV file)." in result.output
    )


def test_applicants_import_rejects_bad_rows_with_their_number(cli, vacancy_id, tmp_path):
    path = write(tmp_path, "a.csv", "name,email,colour\nAna,ana@example.org,red\nBo,,blue\n")
    result = cli("applicants", "import", vacancy_id, path)
    assert result.exit_code == 1
    assert "Row 3: '' is not an email address." in result.output
    ok = cli(
        "applicants",
        "import",
        vacancy_id,
        write(tmp_path, "b.csv", "name,email,colour\nAna,ana@example.org,red\n"),
    )
    assert ok.exit_code == 0, ok.output
    assert "ignored unknown columns: colour" in ok.output


def test_panel_add_refuses_a_stage_the_spec_does_not_use(cli, create_job_description):
    job_description = create_job_description(
        title="Learning Support Assistant",
        categories=[
            (
                "Experience",
                [("Experience of supporting pupils with SEN", "essential", ["interview"])],
            ),
            ("Skills", [("Communicates clearly with pupils", "desirable", ["interview", "task"])]),
        ],
        approve=True,
    )
    result = cli("vacancy", "create", "--jd", str(job_description.id), "--title", "LSA")
    vacancy_id = result.output.strip()
    result = cli("panel", "add", vacancy_id, "x@example.org", "--stage", "shortlisting")
    assert result.exit_code == 1
    assert "assesses nothing at the 'shortlisting' stage" in result.output


def test_rank_text_output_marks_ties_and_gates(cli, vacancy_id, tmp_path):
    cli(
        "applicants",
        "import",
        vacancy_id,
        write(tmp_path, "a.csv", "name,email,disability_confident\nAna,ana@example.org,yes\n"),
    )
    cli("panel", "add", vacancy_id, "chair@example.org", "--stage", "shortlisting", "--chair")
    scores = dict.fromkeys(SHORTLISTING_POSITIONS, 1)
    scores[ESSENTIAL_AT_SHORTLISTING[0]] = 0
    text = "applicant,panel_member,criterion,method,score,note\n"
    text += score_rows("ana@example.org", "chair@example.org", scores)
    assert (
        cli(
            "scores",
            "import",
            vacancy_id,
            write(tmp_path, "s.csv", text),
            "--stage",
            "shortlisting",
        ).exit_code
        == 0
    )
    result = cli("vacancy", "rank", vacancy_id, "--stage", "shortlisting")
    assert result.output.strip().endswith("7\tfails essential 8")


def test_demo_builds_one_scored_vacancy_and_is_safe_to_run_again(cli):
    first = cli("demo")
    assert first.exit_code == 0, first.output
    assert "Demo vacancy 1: 12 applicants." in first.output
    assert "Panel sign-in: chair@example.org with password jdtool-demo-panel" in first.output
    again = cli("demo")
    assert "Demo vacancy 1 is ready." in again.output
    rows = json.loads(cli("vacancy", "rank", "1", "--stage", "shortlisting", "--json").output)
    assert len(rows) == 12
    assert [row["failed_essentials"] for row in rows if not row["eligible"]][0][0] == 8
    assert sum(row["guaranteed_interview"] for row in rows) == 1
