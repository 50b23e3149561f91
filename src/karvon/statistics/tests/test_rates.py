"""Rates as UNHCR computes them: from summed counts, otherwise-closed excluded, persons and cases never added."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from karvon.statistics.rates import DecisionCounts, DecisionRow, rates_by_key, rates_of
from karvon.statistics.tests.hand import kazakhstan_rates_by_hand

DECISIONS = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "unhcr" / "asylum_decisions.csv"
YEARS = range(2015, 2025)


def kazakhstan_rows(*, first_instance_only: bool = False) -> list[DecisionRow]:
    with DECISIONS.open(newline="", encoding="utf-8") as handle:
        return [
            DecisionRow(
                key=(int(r["year"]),),
                dec_level=r["dec_level"],
                unit=r["dec_pc"],
                counts=DecisionCounts(
                    int(r["dec_recognized"] or 0),
                    int(r["dec_other"] or 0),
                    int(r["dec_rejected"] or 0),
                    int(r["dec_closed"] or 0),
                ),
            )
            for r in csv.DictReader(handle)
            if r["coa_iso"] == "KAZ" and int(r["year"]) in YEARS
        ]


def test_the_rates_leave_otherwise_closed_out_of_the_denominator() -> None:
    rates = rates_of(
        DecisionCounts(recognized=10, complementary=5, rejected=25, closed=60), unit="P", small_below=20
    )
    assert rates.n == 40
    assert rates.refugee_recognition_rate == Decimal("25.0")
    assert rates.total_protection_rate == Decimal("37.5")


def test_a_year_with_only_closed_cases_has_no_rate_rather_than_zero() -> None:
    rates = rates_of(DecisionCounts(closed=14), unit="P", small_below=20)
    assert rates.refugee_recognition_rate is None and rates.n == 0 and rates.small_denominator


def test_rates_come_from_summed_counts_not_from_averaged_rates() -> None:
    rows = [
        DecisionRow((2024,), "FI", "P", DecisionCounts(recognized=1, rejected=0)),
        DecisionRow((2024,), "FI", "P", DecisionCounts(recognized=0, rejected=99)),
    ]
    assert rates_by_key(rows, small_below=20)[(2024,)].refugee_recognition_rate == Decimal("1.0")


def test_persons_and_cases_are_never_added_and_persons_win_where_a_year_has_both() -> None:
    rows = [
        DecisionRow((2024,), "FI", "P", DecisionCounts(recognized=10, rejected=10)),
        DecisionRow((2024,), "FI", "C", DecisionCounts(recognized=0, rejected=500)),
    ]
    rates = rates_by_key(rows, small_below=20)[(2024,)]
    assert rates.unit == "P" and rates.n == 20 and rates.refugee_recognition_rate == Decimal("50.0")


def test_kazakhstan_2015_to_2024_matches_the_hand_computation_from_asylum_decisions_csv() -> None:
    engine = rates_by_key(kazakhstan_rows(), small_below=20)
    by_hand = kazakhstan_rates_by_hand(DECISIONS, YEARS)
    assert set(by_hand) == {key[0] for key in engine}
    for year, (unit, n, recognition, protection) in by_hand.items():
        rates = engine[(year,)]
        assert (rates.unit, rates.n, rates.refugee_recognition_rate, rates.total_protection_rate) == (
            unit,
            n,
            recognition,
            protection,
        ), year


def test_kazakhstan_2018_is_counted_in_cases_because_unhcr_published_no_person_counts() -> None:
    assert rates_by_key(kazakhstan_rows(), small_below=20)[(2018,)].unit == "C"


def test_the_first_instance_variant_counts_only_first_instance_decisions() -> None:
    engine = rates_by_key(kazakhstan_rows(), small_below=20, first_instance_only=True)
    by_hand = kazakhstan_rates_by_hand(DECISIONS, YEARS, first_instance_only=True)
    assert {year: engine[(year,)].refugee_recognition_rate for year in by_hand} == {
        year: values[2] for year, values in by_hand.items()
    }
