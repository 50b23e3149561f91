"""Recognition rates computed by hand from asylum_decisions.csv, independently of the engine: the tests' oracle."""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path


def kazakhstan_rates_by_hand(
    path: Path, years: range, *, first_instance_only: bool = False
) -> dict[int, tuple[str, int, Decimal | None, Decimal | None]]:
    """year -> (unit, n, refugee recognition rate %, total protection rate %), persons where a year has any."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["coa_iso"] == "KAZ"
            and int(r["year"]) in years
            and (not first_instance_only or r["dec_level"] == "FI")
        ]
    result = {}
    for year in years:
        of_year = [r for r in rows if int(r["year"]) == year]
        if not of_year:
            continue
        unit = "P" if any(r["dec_pc"] == "P" for r in of_year) else "C"
        recognized = sum(int(r["dec_recognized"] or 0) for r in of_year if r["dec_pc"] == unit)
        other = sum(int(r["dec_other"] or 0) for r in of_year if r["dec_pc"] == unit)
        rejected = sum(int(r["dec_rejected"] or 0) for r in of_year if r["dec_pc"] == unit)
        n = recognized + other + rejected

        def pct(numerator: int, n: int = n) -> Decimal | None:
            if n == 0:
                return None
            return (Decimal(100 * numerator) / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

        result[year] = (unit, n, pct(recognized), pct(recognized + other))
    return result
