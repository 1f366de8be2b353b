"""Scoring rules, pure: scales and descriptors, aggregation, the essential gate, ranking, ties,
disagreement flags and the Disability Confident interview guarantee.

Nothing here touches Flask or the database; callers pass plain values in and get plain values
back, so the rules are tested with tables of cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .errors import DomainError

#: Members whose scores for one criterion differ by this much or more are flagged for moderation.
DISAGREEMENT_SPREAD = 2

#: Which stage assesses each method: the written application at shortlisting, the rest later.
STAGE_OF_METHOD = {
    "application": "shortlisting",
    "interview": "interview",
    "task": "interview",
    "observation": "interview",
    "certificates": "interview",
    "references": "references",
}
STAGE_ORDER = ("shortlisting", "interview", "references")
STAGE_LABELS = {
    "shortlisting": "Shortlisting",
    "interview": "Interview",
    "references": "References",
}
NOT_ASSESSED = "na"
#: Decisions in the words a record uses.
OUTCOME_LABELS = {
    "shortlist": "Shortlisted",
    "reject": "Not shortlisted",
    "appoint": "Appointed",
    "not appointed": "Not appointed",
}


@dataclass(frozen=True)
class Scale:
    code: str
    label: str
    #: (value, descriptor) from lowest to highest.
    points: tuple[tuple[int, str], ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(value for value, _ in self.points)

    @property
    def lowest(self) -> int:
        """The value that fails an essential criterion (0 / no evidence / not met)."""
        return self.points[0][0]

    @property
    def highest(self) -> int:
        return self.points[-1][0]

    def descriptor(self, value: int | None) -> str:
        if value is None:
            return "Not assessed"
        return dict(self.points)[value]

    def parse(self, raw: str | int | None) -> int | None:
        """A score as typed ("2", "na", "met"), checked against the scale; None = not assessed."""
        text = "" if raw is None else str(raw).strip().lower()
        if text in (NOT_ASSESSED, "n/a", "not assessed"):
            return None
        if self.code == "met" and text in ("met", "not met"):
            return 1 if text == "met" else 0
        if not text:
            raise DomainError(f"Give a score ({self.describe_values()}) or 'na' for not assessed.")
        try:
            value = int(text)
        except ValueError:
            raise DomainError(
                f"'{raw}' is not a score on this vacancy's scale ({self.describe_values()})."
            ) from None
        if value not in self.values:
            raise DomainError(
                f"{value} is outside this vacancy's scale ({self.describe_values()})."
            )
        return value

    def describe_values(self) -> str:
        if self.code == "met":
            return "1 = met, 0 = not met"
        return f"{self.lowest} to {self.highest}"


SCALES: dict[str, Scale] = {
    "0-3": Scale(
        "0-3",
        "0–3",
        (
            (0, "No evidence"),
            (1, "Mentioned"),
            (2, "Mentioned with a brief example"),
            (3, "Detailed example tied to the job description"),
        ),
    ),
    "1-5": Scale(
        "1-5",
        "1–5",
        (
            (1, "No evidence"),
            (2, "Limited evidence"),
            (3, "Meets the criterion"),
            (4, "Strong evidence"),
            (5, "Outstanding"),
        ),
    ),
    "met": Scale("met", "Met / not met", ((0, "Not met"), (1, "Met"))),
}


def stages_for_methods(methods: Iterable[str]) -> list[str]:
    """The stages a person spec needs, in order, from the assessment methods it uses."""
    used = {STAGE_OF_METHOD[method] for method in methods if method in STAGE_OF_METHOD}
    return [stage for stage in STAGE_ORDER if stage in used]


@dataclass(frozen=True)
class CriterionRule:
    """What the rules need to know about one criterion at one stage."""

    position: int
    #: "essential", "desirable" or "unknown".
    priority: str
    #: The methods assessed at this stage, in table order.
    methods: tuple[str, ...]
    weight: float = 1.0


Cell = tuple[int, str]  # (criterion position, method code)


class CellSummary(NamedTuple):
    """Every member's score for one (criterion, method), the mean, spread and agreed score.

    An immutable named tuple with plain properties: a large round has tens of thousands of
    cells, and making a tuple costs a fraction of a frozen dataclass's field-by-field set-up,
    while a cell's handful of scores makes working the mean out again cheaper than caching it.
    """

    member_scores: tuple[int | None, ...]
    agreed: int | None = None
    has_agreed: bool = False

    @property
    def mean(self) -> float | None:
        return box_figures(self.member_scores)[0]

    @property
    def spread(self) -> int | None:
        return box_figures(self.member_scores)[1]

    @property
    def flagged(self) -> bool:
        """Members differ by DISAGREEMENT_SPREAD or more."""
        return box_figures(self.member_scores)[2]

    @property
    def value(self) -> float | None:
        """The score that counts: the agreed one when recorded, else the members' mean."""
        return self.agreed if self.has_agreed else self.mean


def box_figures(member_scores: Iterable[int | None]) -> tuple[float | None, int | None, bool]:
    """The mean, the spread and whether the box is flagged (members differ by
    DISAGREEMENT_SPREAD or more), worked out in one pass: the moderation page does this for
    every box, and CellSummary's figures are these."""
    assessed = [value for value in member_scores if value is not None]
    if not assessed:
        return None, None, False
    spread = max(assessed) - min(assessed)
    return sum(assessed) / len(assessed), spread, spread >= DISAGREEMENT_SPREAD


def summarise_cell(
    member_scores: Sequence[int | None], agreed: int | None = None, has_agreed: bool = False
) -> CellSummary:
    return CellSummary(tuple(member_scores), agreed, has_agreed)


@dataclass
class Standing:
    """One applicant's result at one stage."""

    applicant: str
    total: float
    desirable_total: float
    failed_essentials: list[int]
    override_reason: str | None = None
    disability_confident: bool = False
    rank: int | None = None
    tied: bool = False
    unassessed_essentials: list[int] = field(default_factory=list)

    @property
    def meets_essentials(self) -> bool:
        """Every essential criterion was assessed and none failed."""
        return not self.failed_essentials and not self.unassessed_essentials

    @property
    def eligible(self) -> bool:
        return self.meets_essentials or self.override_reason is not None

    @property
    def guaranteed_interview(self) -> bool:
        """Disability Confident: an opted-in applicant who meets every essential is interviewed."""
        return self.disability_confident and self.meets_essentials


def assess(
    applicant: str,
    criteria: Sequence[CriterionRule],
    cells: Mapping[Cell, CellSummary],
    scale: Scale,
    *,
    override_reason: str | None = None,
    disability_confident: bool = False,
) -> Standing:
    """Total, desirable total and failed essentials for one applicant.

    An essential criterion fails when the score that counts for any of its methods is the lowest
    point of the scale (0 / no evidence / not met). Unassessed cells count nothing; an essential
    nobody has assessed yet leaves the applicant unranked (it cannot be said to be met).
    """
    if override_reason is not None and not override_reason.strip():
        raise DomainError("Give a reason for keeping an applicant who failed an essential.")
    total = desirable = 0.0
    failed: list[int] = []
    unassessed: list[int] = []
    for criterion in criteria:
        for method in criterion.methods:
            cell = cells.get((criterion.position, method))
            value = cell.value if cell else None
            if value is None:
                if criterion.priority == "essential" and criterion.position not in unassessed:
                    unassessed.append(criterion.position)
                continue
            weighted = value * criterion.weight
            total += weighted
            if criterion.priority == "desirable":
                desirable += weighted
            if (
                criterion.priority == "essential"
                and value <= scale.lowest
                and criterion.position not in failed
            ):
                failed.append(criterion.position)
    return Standing(
        applicant=applicant,
        total=round(total, 4),
        desirable_total=round(desirable, 4),
        failed_essentials=failed,
        override_reason=override_reason.strip() if override_reason else None,
        disability_confident=disability_confident,
        unassessed_essentials=unassessed,
    )


def rank(standings: Iterable[Standing]) -> list[Standing]:
    """Rank eligible applicants by total, ties broken by the desirable total only.

    Applicants still level share a rank (1, 2, 2, 4) and are marked tied: never split by name or
    the order they applied. Applicants failing (or not yet assessed on) an essential follow,
    unranked, unless an override with a reason keeps them in. The returned order of tied
    applicants is for display only.
    """
    standings = list(standings)
    eligible = [standing for standing in standings if standing.eligible]
    eligible.sort(key=lambda standing: (-standing.total, -standing.desirable_total))
    for index, standing in enumerate(eligible):
        key = (standing.total, standing.desirable_total)
        previous = eligible[index - 1] if index else None
        if previous is not None and (previous.total, previous.desirable_total) == key:
            standing.rank = previous.rank
            standing.tied = previous.tied = True
        else:
            standing.rank = index + 1
    ineligible = [standing for standing in standings if not standing.eligible]
    for standing in ineligible:
        standing.rank = None
    return eligible + ineligible
