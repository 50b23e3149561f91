"""Chart series drawn from the dashboard's disclosure-controlled tables: a hidden cell is None, never 0."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypedDict

from django.utils.translation import gettext as _

from karvon.statistics.contracts import Dashboard, RateRow, StatisticsTable
from karvon.statistics.procedures import DurationRow

TOP_ORIGINS = 10


class Series(TypedDict):
    label: str
    data: list[float | int | None]
    # Indexes of points hidden by disclosure control: drawn as a mark, not as a bar or a line of zero height.
    hidden: list[int]
    kind: str  # "bar" or "line"
    axis: str  # "count", "rate" (per cent) or "days"
    colour: int  # index into the page's palette: the same measure keeps its colour from chart to chart


class Chart(TypedDict):
    title: str
    labels: list[str]
    datasets: list[Series]
    horizontal: bool
    stacked: bool
    mirror: bool  # a population pyramid: the first dataset drawn to the left of zero


def _series(
    label: str, values: list[float | int | None], hidden: list[bool], colour: int, **kind: str
) -> Series:
    return Series(
        label=label,
        data=values,
        hidden=[i for i, flag in enumerate(hidden) if flag],
        kind=kind.get("kind", "bar"),
        axis=kind.get("axis", "count"),
        colour=colour,
    )


def _chart(title: str, labels: list[str], datasets: list[Series], **flags: bool) -> Chart:
    return Chart(
        title=title,
        labels=labels,
        datasets=datasets,
        horizontal=flags.get("horizontal", False),
        stacked=flags.get("stacked", False),
        mirror=flags.get("mirror", False),
    )


def population_measures(national: bool) -> list[tuple[str, str]]:
    measures = [
        ("refugees", _("Refugees")),
        ("asylum_seekers", _("Asylum-seekers")),
        ("stateless", _("Stateless")),
        ("oip", "OIP"),
        ("ooc", _("Others of concern")),
    ]
    return [*measures, ("migrants", _("Migrants"))] if national else measures


def _by_year(table: StatisticsTable, measure: str) -> dict[int, tuple[int | None, bool]]:
    """Per year, the sum over origins; unknown (None, hidden) when any part is hidden, since a sum that leaves out
    a hidden cell would be drawn too low and look like a real figure."""
    totals: dict[int, int | None] = defaultdict(int)
    hidden: dict[int, bool] = defaultdict(bool)
    present: set[int] = set()
    for row in table.rows:
        year = row["year"]
        if measure in row.get("suppressed", []):
            hidden[year] = True
        elif row.get(measure) is not None:
            present.add(year)
            totals[year] = (totals[year] or 0) + row[measure]
    return {
        year: (None, True) if hidden[year] else (totals[year], False)
        for year in sorted(present | {y for y, flag in hidden.items() if flag})
    }


def population_chart(table: StatisticsTable, *, title: str, national: bool = False) -> Chart:
    years = sorted({row["year"] for row in table.rows})
    datasets = []
    for colour, (measure, label) in enumerate(population_measures(national)):
        by_year = _by_year(table, measure)
        if not by_year:
            continue  # a population type the source never reports is left out, not drawn as a flat zero
        datasets.append(
            _series(
                label,
                [by_year.get(year, (None, False))[0] for year in years],
                [by_year.get(year, (None, False))[1] for year in years],
                colour,
                kind="line",
            )
        )
    return _chart(title, [str(year) for year in years], datasets)


def decisions_chart(rates: list[RateRow]) -> Chart:
    labels = [f"{row.year} ({row.unit})" for row in rates]
    withheld = [row.withheld for row in rates]
    counts = [
        (_("Recognised"), [row.recognized for row in rates]),
        (_("Complementary"), [row.complementary for row in rates]),
        (_("Rejected"), [row.rejected for row in rates]),
        (_("Otherwise closed"), [row.closed for row in rates]),
    ]
    datasets = [_series(label, list(values), withheld, i) for i, (label, values) in enumerate(counts)]
    datasets += [
        _series(
            _("Refugee recognition rate, %"),
            [_percent(row.refugee_recognition_rate) for row in rates],
            withheld,
            4,
            kind="line",
            axis="rate",
        ),
        _series(
            _("Total protection rate, %"),
            [_percent(row.total_protection_rate) for row in rates],
            withheld,
            5,
            kind="line",
            axis="rate",
        ),
    ]
    return _chart(_("Decisions and recognition rates (UNHCR)"), labels, datasets, stacked=True)


def _percent(value: Any) -> float | None:
    return None if value is None else float(value)


def pyramid_chart(pyramid: list[dict[str, Any]], year: int | None) -> Chart:
    bands = pyramid[:-1]  # the last row is the total, which would dwarf the bands
    labels = [str(band["band"]) for band in bands]
    datasets = [
        _series(label, [band[sex] for band in bands], [band[sex] is None for band in bands], colour)
        for colour, (sex, label) in enumerate((("female", _("Female")), ("male", _("Male"))))
    ]
    title = _("Sex and age") + (f" · {year}" if year else "")
    return _chart(title, labels, datasets, horizontal=True, stacked=True, mirror=True)


def origins_chart(table: StatisticsTable) -> Chart:
    rows = table.rows[:TOP_ORIGINS]
    labels = [str(row.get("coo_name") or row.get("coo_iso")) for row in rows]
    datasets = []
    for colour, (measure, label) in enumerate(population_measures(national=False)):
        hidden = [measure in row.get("suppressed", []) for row in rows]
        values = [row.get(measure) for row in rows]
        if any(value for value in values) or any(hidden):
            datasets.append(_series(label, values, hidden, colour))
    year = rows[0]["year"] if rows else ""
    return _chart(
        _("Top %(count)s countries of origin · %(year)s") % {"count": len(rows), "year": year},
        labels,
        datasets,
        horizontal=True,
        stacked=True,
    )


def processing_chart(rows: list[DurationRow], *, title: str) -> Chart:
    # Years without a decision are left out; a protected group has cases but shows no duration: a mark instead.
    rows = [row for row in rows if row.cases]
    hidden = [row.protected for row in rows]
    return _chart(
        title,
        [row.label for row in rows],
        [
            _series(_("Median"), [row.median_days for row in rows], hidden, 0, axis="days"),
            _series(_("90th percentile"), [row.p90_days for row in rows], hidden, 1, axis="days"),
        ],
        horizontal=len(rows) > 0 and not rows[0].label.isdigit(),
    )


def presence_chart(data: Dashboard) -> Chart:
    # The statuses without the total line (the last), largest first as the table lists them.
    lines = data.presence[:-1]
    hidden = [line.hidden for line in lines]
    return _chart(
        _("People present by status") + (f" · {data.presence_date}" if data.presence_date else ""),
        [line.label for line in lines],
        [_series(_("People present"), [line.value for line in lines], hidden, 0)] if lines else [],
        horizontal=True,
    )


def movements_chart(table: StatisticsTable | None) -> Chart:
    rows = table.rows if table is not None else []
    datasets = []
    for colour, (measure, label) in enumerate(movement_measures()):
        hidden = [measure in row.get("suppressed", []) for row in rows]
        datasets.append(_series(label, [row.get(measure) for row in rows], hidden, colour, kind="line"))
    return _chart(
        _("Arrivals, entries and exits (national), year by year"),
        [str(row["year"]) for row in rows],
        datasets if rows else [],
    )


def movement_measures() -> list[tuple[str, str]]:
    return [
        ("arrivals", _("Arrivals (first registered)")),
        ("entries", _("Entries")),
        ("exits", _("Exits")),
    ]


def dashboard_charts(data: Dashboard) -> dict[str, Chart]:
    """One chart per table of the dashboard, keyed as the template embeds it (json_script)."""
    return {
        "population": population_chart(data.population, title=_("Population by type, year by year (UNHCR)")),
        "population_national": population_chart(
            data.population_national,
            title=_("Population by type (national, at each reference date)"),
            national=True,
        ),
        "decisions": decisions_chart(data.rates),
        "pyramid": pyramid_chart(data.pyramid, data.pyramid_year),
        "origins": origins_chart(data.origins),
        "processing": processing_chart(
            data.processing.first_instance, title=_("Days from lodging to the first-instance decision")
        ),
        "stages": processing_chart(data.processing.stages, title=_("Days spent in each stage")),
        "presence": presence_chart(data),
        "movements": movements_chart(data.movements),
    }
