"""Actual (pro-rata) salary on worked examples, and the working an advert shows."""

from __future__ import annotations

import pytest

from jdtool.pay import PayError, PaySettings, parse_paid_weeks, pro_rata


def test_domain_worked_example_with_stated_paid_weeks():
    """31.67 h of 37, 45.05 paid weeks ÷ 52.143, on £25,000 FTE ≈ £18,487 a year."""
    pay = pro_rata(25000, 25000, 31.67, 38, 5, PaySettings(paid_weeks=45.05))
    assert pay.hours_factor == pytest.approx(0.8559, abs=1e-4)
    assert pay.weeks_factor == pytest.approx(0.8640, abs=1e-4)
    # DOMAIN.md rounds to "≈ £18,487"; unrounded factors give £18,488.
    assert pay.actual_min == pytest.approx(18487, abs=2)
    assert pay.actual_text() == f"£{pay.actual_min:,} a year"


def test_leave_setting_reproduces_the_stated_paid_weeks():
    """39 working weeks with 35 days' leave (27 + 8 bank holidays) are 45.05 paid weeks."""
    pay = pro_rata(25000, 25000, 31.67, 38, 5)
    assert pay.paid_weeks == pytest.approx(45.05, abs=0.005)
    assert pay.actual_min == pytest.approx(18487, abs=2)


def test_seed_000_term_time_with_inset_days():
    """31.67 h, 38 weeks + 2 INSET days, £25,583–£26,403 FTE."""
    pay = pro_rata(25583, 26403, 31.67, 38, 2)
    # 38.4 weeks worked × 52.143 ÷ 45.143 = 44.35 paid weeks.
    assert pay.paid_weeks == pytest.approx(44.355, abs=0.001)
    assert (pay.actual_min, pay.actual_max) == (18627, 19224)
    assert pay.actual_text() == "£18,627 – £19,224 a year"
    assert pay.fte_text() == "£25,583 – £26,403 FTE"


def test_seed_003_twenty_hours_term_time():
    """20 h, 38 weeks, £25,185–£28,142 FTE: 20/37 × 38/45.143."""
    pay = pro_rata(25185, 28142, 20, 38)
    expected = [round(fte * 20 / 37 * 38 / (52.143 - 7)) for fte in (25185, 28142)]
    assert [pay.actual_min, pay.actual_max] == expected == [11459, 12805]


def test_working_shows_every_input():
    working = "\n".join(pro_rata(25185, 28142, 20, 38).working())
    for figure in ("20 of 37", "0.5405", "38 weeks", "35 days", "43.89 paid weeks", "52.143"):
        assert figure in working
    assert "£25,185 → £11,459" in working
    assert "£28,142 → £12,805" in working


def test_working_mentions_inset_days():
    assert "38 weeks + 2 INSET days" in pro_rata(25583, 26403, 31.67, 38, 2).working()[1]


@pytest.mark.parametrize(
    ("settings", "factor"),
    [
        (PaySettings(paid_weeks=43.6), 43.6 / 52.143),
        (PaySettings(paid_weeks=43.6, weeks_in_year=52), 43.6 / 52),
        (PaySettings(paid_fraction=(447, 522)), 447 / 522),
        (PaySettings(leave_days=30), 38 / (52.143 - 6)),
        (PaySettings(weeks_in_year=52), 38 / (52 - 7)),
    ],
)
def test_employer_settings_change_the_weeks_factor(settings, factor):
    pay = pro_rata(30000, 30000, 37, 38, settings=settings)
    assert pay.weeks_factor == pytest.approx(factor)
    assert pay.actual_min == round(30000 * factor)


def test_stated_fraction_is_shown_in_the_working():
    pay = pro_rata(30000, 30000, 37, 38, settings=PaySettings(paid_fraction=(447, 522)))
    assert "447/522 of the year" in pay.working()[1]


def test_all_year_post_is_paid_for_the_whole_year():
    pay = pro_rata(30000, 30000, 37, 52.143)
    assert pay.weeks_factor == pytest.approx(1)
    assert pay.actual_min == 30000


def test_missing_weeks_means_all_year():
    assert pro_rata(30000, 30000, 18.5, None).actual_min == 15000


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("45.05", (45.05, None)),
        (" 447 / 522 ", (None, (447, 522))),
        ("", (None, None)),
    ],
)
def test_parse_paid_weeks(text, parsed):
    assert parse_paid_weeks(text) == parsed


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: pro_rata(None, None, 20, 38), "no full-time-equivalent salary"),
        (lambda: pro_rata(25000, 24000, 20, 38), "below the bottom"),
        (lambda: pro_rata(25000, 26000, None, 38), "how many hours"),
        (lambda: pro_rata(25000, 26000, 40, 38), "not between 0 and the full-time 37"),
        (lambda: pro_rata(25000, 26000, 20, 60), "not a possible working year"),
        (lambda: PaySettings(weeks_in_year=50), "52 or 52.143"),
        (lambda: PaySettings(paid_weeks=60), "at most 52.143"),
        (lambda: parse_paid_weeks("lots"), "not a number of paid weeks"),
        (lambda: parse_paid_weeks("3/0"), "divides by zero"),
    ],
)
def test_impossible_figures_are_explained(call, message):
    with pytest.raises(PayError, match=message):
        call()
