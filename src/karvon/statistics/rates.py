"""Recognition and protection rates exactly as UNHCR computes them, always from summed counts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PERSONS = "P"
CASES = "C"
FIRST_INSTANCE = "FI"


@dataclass(frozen=True)
class DecisionCounts:
    """Decisions in one unit (persons or cases); "otherwise closed" is counted but enters no rate."""

    recognized: int = 0
    complementary: int = 0
    rejected: int = 0
    closed: int = 0

    def __add__(self, other: DecisionCounts) -> DecisionCounts:
        return DecisionCounts(
            self.recognized + other.recognized,
            self.complementary + other.complementary,
            self.rejected + other.rejected,
            self.closed + other.closed,
        )

    @property
    def substantive(self) -> int:
        """The denominator of both rates: decisions on the merits."""
        return self.recognized + self.complementary + self.rejected


@dataclass(frozen=True)
class Rates:
    counts: DecisionCounts
    unit: str
    # Percentages rounded half up to one decimal; None when no substantive decision was taken.
    refugee_recognition_rate: Decimal | None
    total_protection_rate: Decimal | None
    small_denominator: bool

    @property
    def n(self) -> int:
        return self.counts.substantive


def percentage(numerator: int, denominator: int) -> Decimal | None:
    if denominator == 0:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rates_of(counts: DecisionCounts, *, unit: str, small_below: int) -> Rates:
    return Rates(
        counts=counts,
        unit=unit,
        refugee_recognition_rate=percentage(counts.recognized, counts.substantive),
        total_protection_rate=percentage(counts.recognized + counts.complementary, counts.substantive),
        small_denominator=counts.substantive < small_below,
    )


@dataclass(frozen=True)
class DecisionRow:
    """One published row, reduced to what the rates need."""

    key: tuple[str | int, ...]
    dec_level: str
    unit: str
    counts: DecisionCounts


def summed_by_unit(
    rows: Iterable[DecisionRow], *, first_instance_only: bool = False
) -> dict[tuple[str | int, ...], dict[str, DecisionCounts]]:
    """Counts summed per key and per unit: persons and cases are kept apart, never added."""
    sums: dict[tuple[str | int, ...], dict[str, DecisionCounts]] = {}
    for row in rows:
        if first_instance_only and row.dec_level != FIRST_INSTANCE:
            continue
        by_unit = sums.setdefault(row.key, {})
        by_unit[row.unit] = by_unit.get(row.unit, DecisionCounts()) + row.counts
    return sums


def preferred_unit(by_unit: Mapping[str, DecisionCounts]) -> str:
    """Persons where a key has any person counts, otherwise cases (ADR 0201)."""
    return PERSONS if PERSONS in by_unit else CASES


def rates_by_key(
    rows: Iterable[DecisionRow], *, small_below: int, first_instance_only: bool = False
) -> dict[tuple[str | int, ...], Rates]:
    result: dict[tuple[str | int, ...], Rates] = {}
    for key, by_unit in sorted(summed_by_unit(rows, first_instance_only=first_instance_only).items()):
        unit = preferred_unit(by_unit)
        result[key] = rates_of(by_unit[unit], unit=unit, small_below=small_below)
    return result
