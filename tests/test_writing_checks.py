"""Writing checks: what is flagged, what is not, and the warnings on the seeds."""

from __future__ import annotations

import json

import pytest

from jdtool.writing_checks import (
    check_advert,
    check_essential_share,
    check_job_description,
    check_safeguarding,
    check_text,
)

from .conftest import SEEDS


def kinds(warnings) -> list[str]:
    return [warning.kind for warning in warnings]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Liaise with the SENDCO weekly.", ["SENDCO"]),
        ("Support the pupil's EHCP targets.", ["EHCP"]),
        ("Follow KCSIE at all times.", ["KCSIE"]),
        ("Work alongside the HLTA.", ["HLTA"]),
        ("Each pupil has an Education, Health and Care Plan (EHCP). Review the EHCP.", []),
        ("The SENDCO (Special Educational Needs and Disabilities Co-ordinator) leads.", []),
        ("Keeping Children Safe in Education (KCSIE) applies.", []),
        ("Report to the SENCo. Then the SENCO again.", ["SENCo"]),
        ("Promote self-esteem and independence.", []),
    ],
)
def test_jargon_must_be_explained_on_first_use(text, flagged):
    warnings = [w for w in check_text([text]) if w.kind == "jargon"]
    assert [w.message.split("”")[0].lstrip("“") for w in warnings] == flagged


@pytest.mark.parametrize(
    ("text", "kind", "word"),
    [
        ("He/she will support the pupil.", "gendered", "He/she"),
        ("Describe his/her contact with children.", "gendered", "his/her"),
        ("Support the teacher in his or her planning.", "gendered", "his or her"),
        ("Report to the headmaster.", "gendered", "headmaster"),
        ("We need a young, energetic team.", "age-coded", "young"),
        ("Ideal for recent graduates.", "age-coded", "recent graduates"),
        ("A mature approach is needed.", "age-coded", "mature"),
    ],
)
def test_coded_wording_is_flagged(text, kind, word):
    warnings = [w for w in check_text([text]) if w.kind == kind]
    assert any(f"“{word}”" in w.message for w in warnings)


@pytest.mark.parametrize(
    "text",
    [
        "Work with young people and young children.",
        "Support pupils to reach their potential.",
        "They will plan with the class teacher.",
    ],
)
def test_neutral_wording_is_not_flagged(text):
    assert check_text([text]) == []


def test_long_sentence_is_flagged_with_its_opening_words():
    long = " ".join(["word"] * 36) + "."
    [warning] = check_text([long])
    assert warning.kind == "long sentence"
    assert "is 36 words long" in warning.message
    assert check_text([" ".join(["word"] * 35) + "."]) == []


@pytest.mark.parametrize(
    ("priorities", "flagged"),
    [
        (["essential"] * 4 + ["desirable"], True),  # 80 %
        (["essential"] * 3 + ["desirable"], False),  # 75 %
        (["essential"] * 3, False),  # too few to judge
        (["essential"] * 5 + [None] * 5 + ["desirable"] * 2, False),  # unknowns not counted
    ],
)
def test_essential_criteria_inflation(priorities, flagged):
    assert bool(check_essential_share(priorities)) is flagged


def test_missing_safeguarding_statement():
    assert kinds(check_safeguarding(["We value equality."])) == ["safeguarding"]
    assert check_safeguarding(["We are committed to safeguarding children."]) == []


def test_advert_without_safeguarding_statement_is_flagged():
    warnings = check_advert(["A lovely role."], ["We welcome everyone."], ["essential"])
    assert kinds(warnings) == ["safeguarding"]


def seed_content(seed_id: str) -> dict:
    content = json.loads(next(SEEDS.glob(f"{seed_id}_*.expected.json")).read_text())
    content.setdefault("extra_sections", [])
    return content


def test_seed_000_warnings():
    warnings = check_job_description(seed_content("000"))
    messages = " ".join(w.message for w in warnings)
    assert "“SEN” is not explained" in messages
    assert "18 of 22 criteria are essential" in messages
    # Its only "his/her" was in the template's prompt to its author, which import leaves out.
    assert "gendered" not in kinds(warnings)
    assert "safeguarding" not in kinds(warnings)


def test_seed_004_has_no_safeguarding_statement():
    assert "safeguarding" in kinds(check_job_description(seed_content("004")))
