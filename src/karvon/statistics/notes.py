"""UNHCR's notes on breaks in its series, shown wherever the affected years are."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from karvon.statistics.contracts import SeriesNote


def series_notes(year_from: int, year_to: int) -> list[SeriesNote]:
    # Evaluated per request so that the reader's language applies.
    labels = {
        2022: _(
            "UNHCR introduced the population type OIP (other people in need of international "
            "protection); some people earlier counted as refugees or others of concern are counted as "
            "OIP from here."
        ),
        2025: _(
            "2025: UNHCR reclassified many refugees as OIP (other people in need of international "
            "protection). Refugee and OIP series break here; compare their sum across the break."
        ),
        2000: _(
            "Asylum decisions are reported in persons (P) or in cases (C) depending on the country and "
            "year; the two are never added. Karvon uses persons where a year has any, otherwise cases."
        ),
    }
    return [
        SeriesNote(year=year, text=str(text))
        for year, text in sorted(labels.items())
        if year_from <= year <= year_to
    ]


def disclosure_rule(threshold: int, method: str, *, hidden: str = "“·”") -> str:
    """The one sentence every page, download and report uses to say how small counts are protected."""
    if method == "round":
        return str(
            _(
                "Every count is rounded to a multiple of %(threshold)s (totals on their own, so they need not add "
                "up); rates whose counts hold a small cell are withheld (%(hidden)s)."
            )
        ) % {"threshold": threshold, "hidden": hidden}
    return str(
        _(
            "Counts from 1 to %(below)s are hidden (%(hidden)s), with other cells where totals would give them "
            "away."
        )
    ) % {"below": threshold - 1, "hidden": hidden}
