"""Dates of birth with their precision, and a comparison level for two of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PRECISIONS = ("exact", "month", "year", "estimated", "unknown")

EXACT = "exact"
DAY_MONTH_SWAP = "day_month_swap"
MONTH_AGREES = "month_agrees"
NEAR = "near"
YEAR_AGREES = "year_agrees"
WITHIN_1_YEAR = "within_1_year"
MONTHS_APART = "months_apart"
WITHIN_3_YEARS = "within_3_years"
DIFFERS = "differs"
MISSING = "missing"
BIRTH_DATE_LEVELS = (EXACT, DAY_MONTH_SWAP, MONTH_AGREES, NEAR, YEAR_AGREES, WITHIN_1_YEAR, MONTHS_APART,
                     WITHIN_3_YEARS, DIFFERS, MISSING)  # fmt: skip
# Two full dates this close are one date written with a slip (a mistyped day, a calendar conversion off
# by days); further apart within a year they are two different dates, unlike a year-only date one year
# off, which is what an estimated age gives.
NEAR_DAYS = 31

# Registers that must enter a date put 1 January when only the year is known; such a date says no more
# than its year.
DEFAULT_DAY_MONTH = frozenset({(1, 1)})


@dataclass(frozen=True, slots=True)
class BirthDateFeatures:
    """A date of birth reduced to what is really known: `precision` is the effective one."""

    value: date | None
    precision: str
    stated_precision: str
    likely_default: bool
    display: str

    @property
    def year(self) -> int | None:
        return self.value.year if self.value is not None else None


def birth_date_features(value: date | None, precision: str) -> BirthDateFeatures:
    """Effective precision: "unknown" without a date, "year" for a 1 January that is probably a default."""
    if precision not in PRECISIONS:
        raise ValueError(f"birth date precision must be one of {PRECISIONS}, not {precision!r}")
    if value is None or precision == "unknown":
        return BirthDateFeatures(None, "unknown", precision, False, "")
    likely_default = precision == "exact" and (value.day, value.month) in DEFAULT_DAY_MONTH
    effective = "year" if likely_default else precision
    return BirthDateFeatures(value, effective, precision, likely_default, _show(value, precision))


def _show(value: date, precision: str) -> str:
    match precision:
        case "month":
            return f"{value.year:04d}-{value.month:02d}"
        case "year":
            return f"{value.year:04d}"
        case "estimated":
            return f"~{value.year:04d}"
    return value.isoformat()


def compare_birth_dates(a: BirthDateFeatures, b: BirthDateFeatures) -> tuple[str, str]:
    """(level, note) for two dates of birth; the level is one of `BIRTH_DATE_LEVELS`. The note does not repeat the
    dates (`display` of each): a comparison carries them as its values, as for every other field."""
    if a.value is None or b.value is None:
        return MISSING, "missing on one or both records"
    da, db = a.value, b.value
    if a.precision == "exact" and b.precision == "exact":
        if da == db:
            return EXACT, "identical"
        if da.year == db.year and da.day == db.month and da.month == db.day:
            return DAY_MONTH_SWAP, "day/month swapped"
        if da.year == db.year and da.month == db.month:
            return MONTH_AGREES, "year and month agree, day differs"
        days = abs((da - db).days)
        one_part = da.day == db.day and (
            da.year == db.year or (da.month == db.month and abs(da.year - db.year) == 1)
        )
        if days <= NEAR_DAYS or one_part:
            return NEAR, "one part differs or days apart"
        if days <= 366:
            return MONTHS_APART, "months apart"
        if days <= 3 * 366:
            return WITHIN_3_YEARS, "within 3 years"
        return DIFFERS, "differ"
    coarse = {a.precision, b.precision}
    if "estimated" not in coarse and "year" not in coarse and (da.year, da.month) == (db.year, db.month):
        return MONTH_AGREES, "year and month agree"
    years = abs(da.year - db.year)
    default_note = ", 1 January taken as unknown day" if a.likely_default or b.likely_default else ""
    if years == 0:
        return YEAR_AGREES, f"year agrees{default_note}"
    if years <= 1:
        return WITHIN_1_YEAR, f"within 1 year{default_note}"
    if years <= 3:
        return WITHIN_3_YEARS, f"within 3 years{default_note}"
    return DIFFERS, "differ"
