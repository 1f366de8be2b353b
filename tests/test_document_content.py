"""The draft content checker and the editor's structural actions (pure: no app, no database)."""

from __future__ import annotations

import pytest

from jdtool.document_content import InvalidContent, apply_action, parse_content
from jdtool.import_review import place_findings


def content() -> dict:
    return {
        "title": "1:1 TA",
        "sections": [
            {"heading": "Main duties", "duties": ["A", "B"]},
            {"heading": "Other duties", "duties": ["C"]},
        ],
        "statements": ["S1", "S2"],
        "signatories": ["Employee"],
        "extra_sections": [],
        "person_spec": {
            "categories": [
                {"name": "Values", "parent": None, "criteria": []},
                {
                    "name": "Compassion",
                    "parent": "Values",
                    "criteria": [{"text": "Kind", "priority": None, "methods": []}],
                },
            ]
        },
    }


@pytest.mark.parametrize(
    ("action", "where", "expected"),
    [
        ("up-duty-0-1", "sections", [["B", "A"], ["C"]]),
        ("down-duty-0-1", "sections", [["A"], ["B", "C"]]),
        ("up-duty-1-0", "sections", [["A", "B", "C"], []]),
        ("delete-duty-0-0", "sections", [["B"], ["C"]]),
        ("add-duty-1", "sections", [["A", "B"], ["C", ""]]),
        ("down-section-0", "headings", ["Other duties", "Main duties"]),
        ("delete-statement-0", "statements", ["S2"]),
        ("up-statement-1", "statements", ["S2", "S1"]),
        ("add-signatory", "signatories", ["Employee", ""]),
        ("delete-duty-7-7", "sections", [["A", "B"], ["C"]]),  # an old page: nothing changes
        ("nonsense", "sections", [["A", "B"], ["C"]]),
    ],
)
def test_editor_actions(action, where, expected):
    changed = apply_action(content(), action)
    if where == "sections":
        assert [section["duties"] for section in changed["sections"]] == expected
    elif where == "headings":
        assert [section["heading"] for section in changed["sections"]] == expected
    else:
        assert changed[where] == expected


def test_deleting_a_group_frees_its_sub_groups():
    changed = apply_action(content(), "delete-category-0")
    assert changed["person_spec"]["categories"] == [
        {
            "name": "Compassion",
            "parent": None,
            "criteria": [{"text": "Kind", "priority": None, "methods": []}],
        }
    ]


def test_a_criterion_moves_up_into_the_category_above():
    changed = apply_action(content(), "up-criterion-1-0")
    assert [len(c["criteria"]) for c in changed["person_spec"]["categories"]] == [1, 0]


def test_parse_reports_every_problem_with_its_field():
    document = content()
    document["title"] = ""
    document["salary"] = {"min": 30000, "max": 20000, "basis": "weekly", "text": None}
    document["person_spec"]["categories"][1]["criteria"][0]["priority"] = "maybe"
    document["person_spec"]["categories"][1]["parent"] = "Nowhere"
    with pytest.raises(InvalidContent) as raised:
        parse_content(document)
    fields = [problem.field for problem in raised.value.problems]
    assert fields == [
        "title",
        "salary_basis",
        "salary_max",
        "categories-1-parent",
        "categories-1-criteria-0-priority",
    ]
    assert str(raised.value) == "Job title: enter the text."


def test_parse_keeps_order_and_drops_repeated_methods():
    document = content()
    document["person_spec"]["categories"][1]["criteria"][0]["methods"] = [
        "interview", "application", "interview",
    ]  # fmt: skip
    parsed = parse_content(document)
    assert parsed.person_spec.categories[1].criteria[0].methods == ["application", "interview"]
    assert parsed.person_spec.categories[1].parent == "Values"
    assert parsed.duties() == ["A", "B", "C"]


def test_findings_are_placed_beside_the_part_they_quote():
    findings = [
        {"stage": "sections", "message": "Read as a duty", "source": "C"},
        {"stage": "tables", "message": "Kept as a criterion", "source": "Kind…"},
        {"stage": "prompts", "message": "A prompt was left out", "source": "Insert text here"},
    ]
    placed = place_findings(content(), findings)
    assert [(f.field, f.part) for f in placed] == [
        ("statements", "Template prompts"),
        ("sections-1-duties-0", "Duty 3"),
        ("categories-1-criteria-0-text", "Criterion 1"),
    ]
