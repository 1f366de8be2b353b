"""Full-time-equivalent salary → actual (pro-rata) salary for term-time support staff.

Actual = FTE × (hours ÷ full-time hours) × (paid weeks ÷ weeks in a year).

Paid weeks are the weeks worked (term-time weeks plus INSET days) together with the paid holiday
that goes with them: a full-time, all-year worker works (52.143 − leave weeks) weeks and is paid
for 52.143, so a term-time worker is paid for working weeks × 52.143 ÷ (52.143 − leave weeks).
Employers differ on the divisor (52 or 52.143) and on leave, and many simply state the paid weeks
(43.6) or the fraction of the year (447/522); all of these are settings, and the result carries
every figure it used so an advert can show its working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from .errors import DomainError

#: Weeks in a year: 365.25 ÷ 7 rounded as the NJC and most councils write it.
WEEKS_IN_YEAR = 52.143
#: Days in a working week, to turn INSET days and leave days into weeks.
DAYS_PER_WEEK = 5
#: 27 days' annual leave + 8 bank holidays: the entitlement that gives DOMAIN's worked example
#: (39 weeks → 45.05 paid weeks). Employers differ, so it is a setting.
DEFAULT_LEAVE_DAYS = 35.0
DEFAULT_FULL_TIME_HOURS = 37.0


class PayError(DomainError):
    """The figures needed for an actual salary are missing or impossible."""


@dataclass(frozen=True)
class PaySettings:
    """The employer's rules for pro-rating pay."""

    full_time_hours: float = DEFAULT_FULL_TIME_HOURS
    #: 52.143 or 52.
    weeks_in_year: float = WEEKS_IN_YEAR
    #: Annual leave plus bank holidays of a full-time, all-year worker, in days.
    leave_days: float = DEFAULT_LEAVE_DAYS
    #: The employer's own paid-weeks figure ("45.05"), used instead of working it out.
    paid_weeks: float | None = None
    #: The employer's own fraction of the year (447, 522), used instead of paid weeks ÷ divisor;
    #: kept as written, not reduced, so the working shows the employer's figures.
    paid_fraction: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.full_time_hours <= 0:
            raise PayError("Full-time hours must be more than 0.")
        if self.weeks_in_year not in (52, WEEKS_IN_YEAR):
            raise PayError(f"Weeks in a year must be 52 or {WEEKS_IN_YEAR}.")
        if not 0 <= self.leave_days < self.weeks_in_year * DAYS_PER_WEEK:
            raise PayError("Leave days must be 0 or more and less than a year.")
        if self.paid_weeks is not None and not 0 < self.paid_weeks <= self.weeks_in_year:
            raise PayError(f"Paid weeks must be more than 0 and at most {self.weeks_in_year:g}.")
        if self.paid_fraction is not None and not 0 < Fraction(*self.paid_fraction) <= 1:
            raise PayError("The paid fraction of the year must be more than 0 and at most 1.")


def parse_paid_weeks(text: str) -> tuple[float | None, tuple[int, int] | None]:
    """ "45.05" → (45.05, None); "447/522" → (None, (447, 522)); "" → (None, None)."""
    text = text.strip()
    if not text:
        return None, None
    fraction = re.fullmatch(r"(\d+)\s*/\s*(\d+)", text)
    if fraction:
        numerator, denominator = (int(part) for part in fraction.groups())
        if denominator == 0:
            raise PayError(f"“{text}” divides by zero.")
        return None, (numerator, denominator)
    try:
        return float(text), None
    except ValueError:
        raise PayError(
            f"“{text}” is not a number of paid weeks (such as 43.6) "
            "or a fraction of the year (such as 447/522)."
        ) from None


@dataclass(frozen=True)
class ProRata:
    """An actual salary range and every figure that produced it."""

    fte_min: float
    fte_max: float
    hours_per_week: float
    working_weeks: float
    inset_days: int
    paid_weeks: float | None
    settings: PaySettings
    hours_factor: float
    weeks_factor: float
    actual_min: int
    actual_max: int

    @property
    def factor(self) -> float:
        return self.hours_factor * self.weeks_factor

    def working(self) -> list[str]:
        """The calculation in words, one step a line, for an advert or the JD page."""
        settings = self.settings
        lines = [
            f"Hours: {_number(self.hours_per_week)} of {_number(settings.full_time_hours)} "
            f"full-time hours = {self.hours_factor:.4f}",
        ]
        worked = f"{_number(self.working_weeks)} weeks"
        if self.inset_days:
            worked += f" + {self.inset_days} INSET day{'s' if self.inset_days != 1 else ''}"
        if settings.paid_fraction is not None:
            numerator, denominator = settings.paid_fraction
            lines.append(
                f"Weeks: {worked}, paid as {numerator}/{denominator} "
                f"of the year (employer's figure) = {self.weeks_factor:.4f}"
            )
        elif settings.paid_weeks is not None:
            lines.append(
                f"Weeks: {worked}, paid for {_number(settings.paid_weeks)} weeks (employer's "
                f"figure) ÷ {_number(settings.weeks_in_year)} = {self.weeks_factor:.4f}"
            )
        else:
            assert self.paid_weeks is not None
            lines.append(
                f"Weeks: {worked} worked, with paid holiday ({_number(settings.leave_days)} days' "
                f"leave a year) = {self.paid_weeks:.2f} paid weeks ÷ "
                f"{_number(settings.weeks_in_year)} = {self.weeks_factor:.4f}"
            )
        lines.append(
            f"Actual = FTE × {self.hours_factor:.4f} × {self.weeks_factor:.4f} "
            f"(= {self.factor:.4f}): {_money(self.fte_min)} → {_money(self.actual_min)}"
            + (
                f", {_money(self.fte_max)} → {_money(self.actual_max)}"
                if self.fte_max != self.fte_min
                else ""
            )
        )
        return lines

    def actual_text(self) -> str:
        """ "£18,627 – £19,224 a year"."""
        if self.actual_min == self.actual_max:
            return f"{_money(self.actual_min)} a year"
        return f"{_money(self.actual_min)} – {_money(self.actual_max)} a year"

    def fte_text(self) -> str:
        if self.fte_min == self.fte_max:
            return f"{_money(self.fte_min)} FTE"
        return f"{_money(self.fte_min)} – {_money(self.fte_max)} FTE"


def pro_rata(
    fte_min: float | None,
    fte_max: float | None,
    hours_per_week: float | None,
    weeks_per_year: float | None,
    inset_days: int | None = None,
    settings: PaySettings | None = None,
) -> ProRata:
    """Work out the actual salary range of a part-time and/or term-time post."""
    settings = settings or PaySettings()
    if fte_min is None:
        raise PayError("The job description gives no full-time-equivalent salary figures.")
    fte_max = fte_min if fte_max is None else fte_max
    if fte_max < fte_min:
        raise PayError("The top of the salary range is below the bottom.")
    if hours_per_week is None:
        raise PayError("The job description does not say how many hours a week the post works.")
    if not 0 < hours_per_week <= settings.full_time_hours:
        raise PayError(
            f"{_number(hours_per_week)} hours a week is not between 0 and the full-time "
            f"{_number(settings.full_time_hours)} hours."
        )
    weeks = settings.weeks_in_year if weeks_per_year is None else weeks_per_year
    inset = inset_days or 0
    working_weeks = weeks + inset / DAYS_PER_WEEK
    if not 0 < working_weeks <= settings.weeks_in_year:
        raise PayError(f"{_number(working_weeks)} working weeks is not a possible working year.")

    paid_weeks: float | None
    if settings.paid_fraction is not None:
        paid_weeks = None
        weeks_factor = float(Fraction(*settings.paid_fraction))
    else:
        if settings.paid_weeks is not None:
            paid_weeks = settings.paid_weeks
        else:
            full_year_working = settings.weeks_in_year - settings.leave_days / DAYS_PER_WEEK
            paid_weeks = min(
                working_weeks * settings.weeks_in_year / full_year_working, settings.weeks_in_year
            )
        weeks_factor = paid_weeks / settings.weeks_in_year
    hours_factor = hours_per_week / settings.full_time_hours
    factor = hours_factor * weeks_factor
    return ProRata(
        fte_min=fte_min,
        fte_max=fte_max,
        hours_per_week=hours_per_week,
        working_weeks=weeks,
        inset_days=inset,
        paid_weeks=paid_weeks,
        settings=settings,
        hours_factor=hours_factor,
        weeks_factor=weeks_factor,
        actual_min=round(fte_min * factor),
        actual_max=round(fte_max * factor),
    )


def _number(value: float) -> str:
    return f"{value:g}"


def _money(amount: float) -> str:
    return f"£{amount:,.0f}"
