"""The scoring rules on their own: scales, aggregation, the essential gate, ranking and ties."""

from __future__ import annotations

import pytest

from jdtool.errors import DomainError
from jdtool.scoring import (
    SCALES,
    CriterionRule,
    assess,
    rank,
    stages_for_methods,
    summarise_cell,
)

ZERO_TO_THREE = SCALES["0-3"]
#: Criterion 1 essential, 2 essential, 3 desirable, 4 desirable; all by application form.
CRITERIA = [
    CriterionRule(1, "essential", ("application",)),
    CriterionRule(2, "essential", ("application",)),
    CriterionRule(3, "desirable", ("application",)),
    CriterionRule(4, "desirable", ("application",)),
]


def cells(*values, criteria=CRITERIA):
    """One member's scores, criterion by criterion."""
    return {
        (criterion.position, "application"): summarise_cell([value])
        for criterion, value in zip(criteria, values, strict=True)
    }


@pytest.mark.parametrize(
    ("scale", "typed", "value"),
    [
        ("0-3", "0", 0),
        ("0-3", " 3 ", 3),
        ("0-3", "na", None),
        ("0-3", "N/A", None),
        ("1-5", "5", 5),
        ("met", "met", 1),
        ("met", "not met", 0),
        ("met", "0", 0),
    ],
)
def test_scale_reads_what_a_panel_member_types(scale, typed, value):
    assert SCALES[scale].parse(typed) == value


@pytest.mark.parametrize(
    ("scale", "typed", "message"),
    [
        ("0-3", "4", "4 is outside this vacancy's scale (0 to 3)"),
        ("1-5", "0", "0 is outside this vacancy's scale (1 to 5)"),
        ("0-3", "two", "'two' is not a score on this vacancy's scale (0 to 3)"),
        ("0-3", "", "Give a score (0 to 3) or 'na' for not assessed"),
        ("met", "2", "2 is outside this vacancy's scale (1 = met, 0 = not met)"),
    ],
)
def test_scale_refuses_scores_off_the_scale(scale, typed, message):
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        SCALES[scale].parse(typed)


def test_zero_to_three_descriptors_follow_the_domain_guidance():
    assert [ZERO_TO_THREE.descriptor(value) for value in range(4)] == [
        "No evidence",
        "Mentioned",
        "Mentioned with a brief example",
        "Detailed example tied to the job description",
    ]


@pytest.mark.parametrize(
    ("methods", "stages"),
    [
        (["application"], ["shortlisting"]),
        (["interview", "application"], ["shortlisting", "interview"]),
        (["task", "observation"], ["interview"]),
        (["references", "application", "interview"], ["shortlisting", "interview", "references"]),
        ([], []),
    ],
)
def test_stages_come_from_the_methods_the_spec_uses(methods, stages):
    assert stages_for_methods(methods) == stages


@pytest.mark.parametrize(
    ("members", "mean", "spread", "flagged"),
    [
        ([2, 2], 2.0, 0, False),
        ([1, 2, 3], 2.0, 2, True),
        ([0, 1], 0.5, 1, False),
        ([3, None], 3.0, 0, False),
        ([None, None], None, None, False),
    ],
)
def test_cell_mean_spread_and_disagreement_flag(members, mean, spread, flagged):
    cell = summarise_cell(members)
    assert (cell.mean, cell.spread, cell.flagged) == (mean, spread, flagged)


def test_agreed_score_counts_instead_of_the_mean_without_changing_members_scores():
    cell = summarise_cell([0, 3], agreed=2, has_agreed=True)
    assert cell.value == 2
    assert cell.mean == 1.5
    assert cell.member_scores == (0, 3)


@pytest.mark.parametrize(
    ("scores", "failed"),
    [
        ((2, 2, 0, 0), []),  # a 0 on a desirable is no gate
        ((0, 2, 3, 3), [1]),
        ((2, 0, 3, 3), [2]),
        ((0, 0, 3, 3), [1, 2]),
        ((1, 1, 0, 0), []),
    ],
)
def test_essential_gate_fails_a_zero_on_any_essential(scores, failed):
    standing = assess("A", CRITERIA, cells(*scores), ZERO_TO_THREE)
    assert standing.failed_essentials == failed
    assert standing.eligible is (not failed)


def test_gate_uses_the_lowest_point_of_a_one_to_five_scale():
    standing = assess("A", CRITERIA, cells(1, 5, 5, 5), SCALES["1-5"])
    assert standing.failed_essentials == [1]


def test_not_met_fails_an_essential_on_the_met_scale():
    standing = assess("A", CRITERIA, cells(1, 0, 1, 0), SCALES["met"])
    assert standing.failed_essentials == [2]
    assert standing.total == 2


def test_override_keeps_a_failed_applicant_eligible_only_with_a_reason():
    standing = assess(
        "A", CRITERIA, cells(0, 2, 2, 2), ZERO_TO_THREE, override_reason="Degree seen at interview"
    )
    assert standing.failed_essentials == [1]
    assert standing.eligible
    with pytest.raises(DomainError, match="Give a reason"):
        assess("A", CRITERIA, cells(0, 2, 2, 2), ZERO_TO_THREE, override_reason="   ")


def test_not_assessed_essential_is_reported_not_failed_and_not_ranked():
    standing = assess("A", CRITERIA, cells(None, 2, 2, 2), ZERO_TO_THREE)
    assert standing.failed_essentials == []
    assert standing.unassessed_essentials == [1]
    assert standing.total == 6
    assert not standing.eligible
    assert rank([standing])[0].rank is None


def test_not_assessed_essential_blocks_the_disability_confident_guarantee():
    standing = assess("A", CRITERIA, cells(None, 2, 2, 2), ZERO_TO_THREE, disability_confident=True)
    assert not standing.guaranteed_interview


def test_weights_multiply_a_criterion_score():
    weighted = [CriterionRule(1, "essential", ("application",), weight=2.0), *CRITERIA[1:]]
    standing = assess("A", weighted, cells(3, 1, 1, 1, criteria=weighted), ZERO_TO_THREE)
    assert standing.total == 9


def _ranked(rows, **kwargs):
    standings = [
        assess(name, CRITERIA, cells(*scores), ZERO_TO_THREE, **kwargs) for name, scores in rows
    ]
    return {standing.applicant: (standing.rank, standing.tied) for standing in rank(standings)}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Highest total first.
        (
            [("A", (1, 1, 1, 1)), ("B", (3, 3, 1, 1))],
            {"B": (1, False), "A": (2, False)},
        ),
        # Equal totals: more desirable evidence wins.
        (
            [("A", (3, 3, 1, 1)), ("B", (2, 2, 2, 2))],
            {"B": (1, False), "A": (2, False)},
        ),
        # Equal totals and equal desirables stay tied, whatever the names or order.
        (
            [("Zed", (2, 2, 2, 2)), ("Abe", (2, 2, 2, 2)), ("Cy", (1, 1, 1, 1))],
            {"Zed": (1, True), "Abe": (1, True), "Cy": (3, False)},
        ),
        # An applicant failing an essential is not ranked.
        (
            [("A", (0, 3, 3, 3)), ("B", (1, 1, 1, 1))],
            {"B": (1, False), "A": (None, False)},
        ),
    ],
)
def test_ranking_and_tie_rules(rows, expected):
    assert _ranked(rows) == expected


def test_tie_does_not_depend_on_the_order_applicants_arrive():
    rows = [("Abe", (2, 2, 2, 2)), ("Zed", (2, 2, 2, 2))]
    assert _ranked(rows) == _ranked(list(reversed(rows)))


@pytest.mark.parametrize(
    ("opted_in", "scores", "guaranteed"),
    [
        (True, (1, 1, 0, 0), True),
        (True, (0, 3, 3, 3), False),
        (False, (1, 1, 0, 0), False),
    ],
)
def test_disability_confident_guarantee(opted_in, scores, guaranteed):
    standing = assess("A", CRITERIA, cells(*scores), ZERO_TO_THREE, disability_confident=opted_in)
    assert standing.guaranteed_interview is guaranteed


def test_override_does_not_create_a_disability_confident_guarantee():
    standing = assess(
        "A",
        CRITERIA,
        cells(0, 3, 3, 3),
        ZERO_TO_THREE,
        disability_confident=True,
        override_reason="Panel agreed",
    )
    assert standing.eligible
    assert not standing.guaranteed_interview
