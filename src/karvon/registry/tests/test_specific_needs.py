"""The specific-needs module carries UNHCR's complete code list, exactly as the CSV has it."""

from __future__ import annotations

import csv
from pathlib import Path

from karvon.registry.specific_needs import SPECIFIC_NEED_CATEGORIES, SPECIFIC_NEED_CODES

CSV = Path(__file__).resolve().parent.parent / "codelists" / "unhcr_specific_needs.csv"


def test_every_code_of_the_csv_is_in_the_module_and_nothing_else():
    rows = list(csv.DictReader(CSV.open(encoding="utf-8")))
    categories = {r["code"]: r["label"] for r in rows if r["code"] == r["category"]}
    codes = {r["code"]: r["label"] for r in rows if r["code"] != r["category"]}
    assert {k: str(v) for k, v in SPECIFIC_NEED_CATEGORIES.items()} == categories
    assert {k: str(v) for k, v in SPECIFIC_NEED_CODES.items()} == codes
    assert len(categories) == 12 and len(codes) == 101
    assert set(categories) == {"CR", "DS", "ER", "FU", "LP", "PG", "SC", "SM", "SP", "SV", "TR", "WR"}
    assert "SC-UC" in codes and "LP-RR" in codes
