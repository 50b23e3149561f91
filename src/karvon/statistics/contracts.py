"""Typed inputs and outputs of the statistics domain, shared by the API, the downloads and the pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from karvon.statistics.procedures import ProcessingTimes

ATTRIBUTION = "UNHCR Refugee Population Statistics Database"
LICENCE = "CC BY 4.0"


@dataclass(frozen=True)
class StatisticsQuery:
    """The UNHCR API's parameters: coo, coa (ISO alpha-3 lists), yearFrom, yearTo; plus source."""

    source: str = "unhcr"
    coo: tuple[str, ...] = ()
    coa: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    coo_all: bool = False
    coa_all: bool = False
    first_instance_only: bool = False


@dataclass(frozen=True)
class StatisticsTable:
    """Rows after disclosure control: a hidden count is None and named in the row's "suppressed" list."""

    dataset: str
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    rows: list[dict[str, Any]]
    source: str
    attribution: str = ATTRIBUTION
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RateRow:
    year: int
    coo: str
    coa: str
    unit: str
    recognized: int | None
    complementary: int | None
    rejected: int | None
    closed: int | None
    n: int | None
    refugee_recognition_rate: Decimal | None
    total_protection_rate: Decimal | None
    small_denominator: bool
    withheld: bool


@dataclass(frozen=True)
class ReconciliationRow:
    year: int
    measure: str
    national: int | None
    unhcr: int | None

    @property
    def difference(self) -> int | None:
        if self.national is None or self.unhcr is None:
            return None
        return self.national - self.unhcr


@dataclass(frozen=True)
class SeriesNote:
    year: int
    text: str


@dataclass(frozen=True)
class FigureLine:
    """One labelled count of a national table after disclosure control: None and hidden, or a number."""

    code: str
    label: str
    value: int | None
    hidden: bool


@dataclass(frozen=True)
class Dashboard:
    query: StatisticsQuery
    state: str
    state_name: str
    population: StatisticsTable
    population_national: StatisticsTable
    rates: list[RateRow]
    rates_first_instance: list[RateRow]
    rates_national: list[RateRow]
    origins: StatisticsTable
    pyramid: list[dict[str, Any]]
    pyramid_year: int | None
    reconciliation: list[ReconciliationRow]
    notes: list[SeriesNote]
    threshold: int
    loaded: bool
    processing: ProcessingTimes
    presence_date: str = ""
    presence: list[FigureLine] = field(default_factory=list)
    registration_missed: FigureLine | None = None
    needs: list[FigureLine] = field(default_factory=list)
    needs_persons: FigureLine | None = None
    disclosure_method: str = "suppress"
    movements: StatisticsTable | None = None

    @property
    def disclosure_rule(self) -> str:
        from karvon.statistics.notes import disclosure_rule

        return disclosure_rule(self.threshold, self.disclosure_method)
