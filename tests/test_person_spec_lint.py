"""Person-specification lint rules (pure), and `jdtool lint` on the seeds' content."""

from __future__ import annotations

import json

import pytest

from jdtool.person_spec_lint import CriterionFacts, lint_person_spec

SAFEGUARDING = ("Commitment to safeguarding and promoting the welfare of children", "essential")


def spec(*rows) -> list[CriterionFacts]:
    """Criteria from (text, priority, methods, category) tuples; the last two are optional."""
    defaults = ("application",), "Experience"
    criteria = []
    for position, row in enumerate([*rows, SAFEGUARDING], start=1):
        text, priority, methods, category = (*row, *defaults[len(row) - 2 :])
        criteria.append(CriterionFacts(position, category, text, priority, tuple(methods)))
    return criteria


def codes(criteria) -> list[tuple[str, tuple[int, ...]]]:
    return [(issue.code, issue.positions) for issue in lint_person_spec(criteria)]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [("Good literacy skills", "essential", ("application", "interview"))], [], id="clean"
        ),
        pytest.param(
            [("Good literacy skills", "essential", ()),
             ("Calm under pressure", "desirable", ("interview",))],
            [("no-method", (1,))],
            id="no-method",
        ),
        pytest.param(
            [("Calm under pressure", "essential", ("interview",))],
            [("essential-not-at-application", (1,))],
            id="essential-only-at-interview",
        ),
        pytest.param(
            [("Calm under pressure", "desirable", ("interview",))], [],
            id="desirable-at-interview-is-fine",
        ),
        pytest.param(
            [("Calm under pressure", "unknown", ("interview",))],
            [("unknown-priority", (1,))],
            id="unknown-priority",
        ),
        pytest.param(
            [("Experience of delivering group work", "desirable", ("interview",), "Qualifications"),
             ("Experience of delivering group work.", "desirable", ("interview",), "Experience")],
            [("repeated", (1, 2))],
            id="repeated-across-categories",
        ),
        pytest.param(
            [("Experience of delivering group work", "desirable", ("interview",), "Experience"),
             ("Experience of delivering group work.", "desirable", ("interview",), "Experience")],
            [],
            id="same-category-is-the-duplicates-report-not-the-lint",
        ),
        pytest.param(
            [("Experience of working with children as a TA", "essential", ("application",),
              "Qualifications"),
             ("Experience of working with SEN children as a TA", "essential", ("application",),
              "Experience")],
            [],
            id="sen-look-alike-is-not-a-repeat",
        ),
    ],
)  # fmt: skip
def test_lint_rules(rows, expected):
    assert codes(spec(*rows)) == expected


def test_no_suitability_criterion_is_reported():
    criteria = [CriterionFacts(1, "Skills", "Good literacy skills", "essential", ("application",))]
    issues = lint_person_spec(criteria)
    assert [issue.code for issue in issues] == ["no-suitability-criterion"]
    assert "suitability to work with children" in issues[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Suitability to work with children",
        "Enhanced DBS check with barred list",
        "Commitment to safeguarding pupils",
        "Understanding of child protection procedures",
    ],
)
def test_suitability_wordings_count(text):
    criteria = [CriterionFacts(1, "Other", text, "essential", ("application",))]
    assert lint_person_spec(criteria) == []


def test_a_table_without_methods_or_priorities_gives_one_issue_each():
    criteria = [
        CriterionFacts(position, "Skills", text, "unknown", ())
        for position, text in enumerate(["Good literacy", "Good numeracy", SAFEGUARDING[0]], 1)
    ]
    assert codes(criteria) == [("no-method", (1, 2, 3)), ("unknown-priority", (1, 2, 3))]


def test_no_person_spec():
    (issue,) = lint_person_spec([], has_person_spec=False)
    assert issue.code == "no-person-spec"


def test_lint_command_on_seed_000(cli, seed_document):
    seed_document("000")
    result = cli("lint", "1", "--json")
    assert result.exit_code == 0, result.output
    issues = json.loads(result.output)
    repeated = [issue["positions"] for issue in issues if issue["code"] == "repeated"]
    assert repeated == [[11, 19], [12, 16], [13, 17], [14, 18]]
    interview_only = [
        issue["positions"][0] for issue in issues if issue["code"] == "essential-not-at-application"
    ]
    assert interview_only == [1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 17, 21]
    assert "no-suitability-criterion" not in {issue["code"] for issue in issues}


def test_lint_command_text_on_seed_002(cli, seed_document):
    seed_document("002")
    lines = cli("lint", "1").output.splitlines()
    assert lines == [
        "no-method\t1,2,3,4,5,6,7\tNo criterion says how it is assessed.",
        "unknown-priority\t1,2,3,4,5,6,7\tNo criterion is marked essential or desirable.",
        "no-suitability-criterion\t-\tNo criterion covers suitability to work with children "
        "(for example a commitment to safeguarding, or an enhanced DBS check); safer "
        "recruitment expects one.",
    ]
