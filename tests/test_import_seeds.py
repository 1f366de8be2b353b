"""The importer reads each seed document exactly: every duty, every criterion, E/D and methods."""

from __future__ import annotations

import json

import pytest

from jdtool.importing import read_document

from .conftest import SEED_IDS, seed_path


def parse_seed(seed_id: str):
    path = seed_path(seed_id)
    return read_document(path.name, path.read_bytes())


def expected(seed_id: str) -> dict:
    path = seed_path(seed_id).with_suffix(".expected.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_seed_matches_its_checked_expected_json(seed_id):
    assert parse_seed(seed_id).to_dict() == expected(seed_id)


@pytest.mark.parametrize(
    ("seed_id", "duties", "criteria", "sections"),
    [
        ("000", 46, 22, 5),
        ("001", 27, 26, 5),
        ("002", 38, 7, 4),
        ("003", 26, 19, 3),
        ("004", 8, 0, 1),
    ],
)
def test_seed_counts(seed_id, duties, criteria, sections):
    document = parse_seed(seed_id)
    assert len(document.duties()) == duties
    assert len(document.criteria()) == criteria
    assert len(document.sections) == sections


def test_seed_000_keeps_repeated_duties_and_numbering():
    duties = parse_seed("000").duties()
    assert duties[0] == "Ensure all pupils’ safety and welfare."
    assert duties[33] == duties[37]  # duties 34 and 38 are word for word the same
    assert duties[34] == duties[38]  # and 35 / 39
    assert duties[21] == "Any other duties as directed by your Line Manager."
    assert duties[45].startswith("To retain confidentiality and maintain data")


def test_seed_000_reads_ticked_method_columns_and_values_subgroups():
    spec = parse_seed("000").person_spec
    names = [(category.name, category.parent) for category in spec.categories]
    values = "VALUES-BASED BEHAVIOURS - It is important to us that your values align with ours"
    assert names[:5] == [
        (values, None),
        ("Compassion", values),
        ("Aspiration", values),
        ("Integrity", values),
        ("Collaboration", values),
    ]
    by_text = {}
    for category in spec.categories:
        for criterion in category.criteria:
            by_text.setdefault(criterion.text, []).append((category.name, criterion))
    grade_c = by_text["Has at least a Grade C in English and Maths"][0][1]
    assert (grade_c.priority, grade_c.methods) == ("essential", ["application"])
    sen = by_text["Has some understanding and experience of working with SEN children as a TA"][0][
        1
    ]
    assert (sen.priority, sen.methods) == ("essential", ["application", "interview"])
    nvq = by_text["Holds at least NVQ 2 or equivalent accreditation qualification"][0][1]
    assert (nvq.priority, nvq.methods) == ("desirable", ["application"])
    repeated = {text for text, places in by_text.items() if len(places) > 1}
    assert repeated == {
        "Has high expectations of learning for all children",
        "Has proven experience of working effectively in a team, "
        "working collaboratively with colleagues",
        "An awareness of current educational thinking and trends",
        "Experience of delivering group work",
    }


def test_seed_000_header_fields():
    document = parse_seed("000")
    assert document.title == "SEN Teaching Assistant (1:1 Support) – Fixed Term"
    assert document.organisation == "WESTCOUNTRY SCHOOLS TRUST"
    assert document.grade == "Plymouth grade C5-7"
    assert (document.salary.min, document.salary.max, document.salary.basis) == (
        25583,
        26403,
        "fte",
    )
    assert (document.hours_per_week, document.weeks_per_year, document.inset_days) == (31.67, 38, 2)
    assert document.contract_end == "2026-08-31"
    assert document.reports_to == "The SENDCO"


def test_seed_001_aligns_ed_column_across_blank_rows():
    categories = parse_seed("001").person_spec.categories
    assert [category.name for category in categories] == [
        "Qualifications and training",
        "Experience",
        "Skills and knowledge",
        "Personal qualities",
    ]
    assert [c.priority for c in categories[0].criteria] == ["essential", "desirable", "desirable"]
    assert [c.priority for c in categories[1].criteria] == [
        "essential", "essential", "desirable", "essential"
    ]  # fmt: skip
    assert all(c.priority == "essential" for c in categories[2].criteria + categories[3].criteria)
    assert all(c.methods == [] for category in categories for c in category.criteria)


def test_seed_001_header_signatures_and_bulleted_heading():
    document = parse_seed("001")
    assert (document.school, document.title, document.grade) == ("Charing", "1:1 TA", "APLb")
    assert document.reports_to == "Headteacher/SENCO"
    assert document.organisation == "The Diocese of Canterbury Academies Trust"
    assert document.signatories == ["Employee", "Headteacher"]
    headings = [section.heading for section in document.sections]
    assert "Working with staff, parents/carers and relevant professionals" in headings
    assert any("do not say how they will be assessed" in warning for warning in document.warnings)


def test_seed_002_knowledge_section_is_a_spec_with_unknown_priorities():
    document = parse_seed("002")
    assert document.person_spec is not None
    [category] = document.person_spec.categories
    assert category.name == "Knowledge, Skills and Experience"
    assert len(category.criteria) == 7
    assert all(c.priority is None and c.methods == [] for c in category.criteria)
    assert document.signatories == ["Job Holder", "Line Manager", "Designated Senior Manager"]
    assert [extra.heading for extra in document.extra_sections] == [
        "Problem Solving and Creativity",
        "Decision Making",
        "Physical Effort and Working Conditions",
        "Contacts and Relationships",
    ]
    assert any("essential or desirable" in warning for warning in document.warnings)
    assert (document.department, document.section) == ("Education", "School Support")


def test_seed_003_bullet_glyph_in_essential_or_desirable_column():
    document = parse_seed("003")
    experience = document.person_spec.categories[0]
    assert [(c.text, c.priority) for c in experience.criteria] == [
        (
            "Experience of working with children in either a paid capacity or as a volunteer",
            "essential",
        ),
        ("Level 3 qualified", "essential"),
        ("2 years of working in a school", "desirable"),
    ]
    assert (document.salary.min, document.salary.max) == (25185, 28142)
    assert (document.hours_per_week, document.weeks_per_year) == (20, 38)
    assert document.sections[0].heading == "Principal Accountabilities"
    assert len(document.statements) == 2


def test_seed_004_has_no_person_spec():
    document = parse_seed("004")
    assert document.person_spec is None
    assert document.title == "Teaching Assistant: 1:1 Support"
    assert document.school == "Saltwood C of E Primary School"
    assert document.reports_to == "SENDCo"
    assert (
        document.duties()[-1]
        == "Such other duties as the Headteacher may from time to time require."
    )
