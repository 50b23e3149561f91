"""Birth-date comparison levels with precision, 1 January defaults, swaps and estimates."""

from __future__ import annotations

from datetime import date

import pytest

from karvon_match import birth_date_features, compare_birth_dates


def level(a: date | None, precision_a: str, b: date | None, precision_b: str) -> str:
    return compare_birth_dates(birth_date_features(a, precision_a), birth_date_features(b, precision_b))[0]


@pytest.mark.parametrize(
    ("a", "pa", "b", "pb", "expected"),
    [
        (date(1990, 3, 4), "exact", date(1990, 3, 4), "exact", "exact"),
        (date(1990, 3, 4), "exact", date(1990, 4, 3), "exact", "day_month_swap"),
        (date(1990, 3, 4), "exact", date(1990, 3, 14), "exact", "month_agrees"),
        (date(1990, 3, 4), "exact", date(1990, 3, 1), "month", "month_agrees"),
        (date(1990, 3, 4), "exact", date(1990, 8, 20), "exact", "months_apart"),
        (date(1990, 3, 4), "exact", date(1990, 2, 25), "exact", "near"),  # days apart across a month
        (date(1990, 3, 4), "exact", date(1990, 7, 4), "exact", "near"),  # the month alone differs
        (date(1990, 3, 4), "exact", date(1991, 3, 4), "exact", "near"),  # the year alone, by one
        (date(1990, 3, 4), "exact", date(1993, 3, 4), "exact", "within_3_years"),
        (date(1990, 3, 4), "exact", date(1990, 6, 1), "year", "year_agrees"),
        (date(1990, 3, 4), "exact", date(1991, 2, 1), "exact", "months_apart"),
        (date(1990, 6, 1), "year", date(1991, 3, 4), "exact", "within_1_year"),  # an age estimated a year out
        (date(1990, 3, 4), "exact", date(1991, 5, 1), "exact", "within_3_years"),
        (date(1990, 3, 4), "exact", date(1992, 9, 1), "exact", "within_3_years"),
        (date(1990, 3, 4), "exact", date(1999, 3, 4), "exact", "differs"),
        (date(1990, 1, 1), "exact", date(1990, 6, 15), "exact", "year_agrees"),  # 1 January default
        (date(1990, 1, 1), "exact", date(1990, 1, 1), "exact", "year_agrees"),
        (date(1990, 1, 1), "exact", date(1991, 6, 15), "exact", "within_1_year"),
        (date(1990, 6, 1), "estimated", date(1988, 3, 4), "exact", "within_3_years"),
        (date(1990, 6, 1), "estimated", date(1990, 3, 4), "exact", "year_agrees"),
        (date(1990, 6, 1), "estimated", date(1995, 3, 4), "exact", "differs"),
        (date(1990, 6, 1), "year", date(1990, 6, 1), "year", "year_agrees"),
        (date(1990, 6, 1), "month", date(1990, 6, 1), "month", "month_agrees"),
        (None, "unknown", date(1990, 6, 1), "exact", "missing"),
        (date(1990, 6, 1), "unknown", date(1990, 6, 1), "exact", "missing"),
    ],
)
def test_birth_date_levels(a: date | None, pa: str, b: date | None, pb: str, expected: str) -> None:
    assert level(a, pa, b, pb) == expected
    assert level(b, pb, a, pa) == expected  # symmetric


def test_swap_is_not_claimed_for_equal_day_and_month() -> None:
    assert level(date(1990, 5, 5), "exact", date(1990, 5, 5), "exact") == "exact"


def test_note_explains() -> None:
    note = compare_birth_dates(
        birth_date_features(date(1990, 3, 4), "exact"), birth_date_features(date(1990, 4, 3), "exact")
    )[1]
    assert note == "day/month swapped"


def test_default_day_is_flagged() -> None:
    features = birth_date_features(date(1985, 1, 1), "exact")
    assert features.likely_default
    assert features.precision == "year"
    assert features.stated_precision == "exact"


def test_unknown_precision_is_rejected() -> None:
    with pytest.raises(ValueError):
        birth_date_features(date(1990, 1, 1), "roughly")
