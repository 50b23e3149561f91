"""Reads of the statistics store: every figure leaves through disclosure control; no person is ever read here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import Max, Model, QuerySet, Sum
from django.utils.translation import gettext as _

from karvon.accounts.access import AccessContext, require_capability
from karvon.accounts.roles import Capability
from karvon.registry.contracts import FieldError, UnableToValidate
from karvon.statistics.contracts import (
    Dashboard,
    FigureLine,
    RateRow,
    ReconciliationRow,
    StatisticsQuery,
    StatisticsTable,
)
from karvon.statistics.disclosure import (
    DEFAULT_THRESHOLD,
    METHODS,
    ROUND,
    SUPPRESS,
    is_sensitive,
    protect_table,
    protect_value,
    rounded,
)
from karvon.statistics.models import (
    PRESENCE_STATUS_MEASURES,
    SPECIFIC_NEED_CATEGORIES,
    ApplicationFigure,
    Country,
    DataLoad,
    DecisionFigure,
    DemographicFigure,
    FlowFigure,
    MovementFigure,
    PopulationFigure,
    PresenceFigure,
    SolutionFigure,
    Source,
    SpecificNeedFigure,
)
from karvon.statistics.notes import series_notes
from karvon.statistics.procedures import processing_times
from karvon.statistics.rates import DecisionCounts, DecisionRow, rates_by_key

DEFAULT_SMALL_DENOMINATOR = 20
TOP_ORIGINS_SHOWN = 25
FIRST_YEAR, LAST_YEAR = 1951, 2100


def disclosure_threshold() -> int:
    return int(getattr(settings, "KARVON_STATISTICS_THRESHOLD", DEFAULT_THRESHOLD))


def disclosure_method() -> str:
    """KARVON_STATISTICS_DISCLOSURE: "suppress" (the default, as UNHCR publishes) or "round" (to the threshold)."""
    method = str(getattr(settings, "KARVON_STATISTICS_DISCLOSURE", SUPPRESS))
    return method if method in METHODS else SUPPRESS


def small_denominator() -> int:
    return int(getattr(settings, "KARVON_STATISTICS_SMALL_DENOMINATOR", DEFAULT_SMALL_DENOMINATOR))


# Per dataset: its model, its measures, the dimensions kept apart in every answer, and which measure (if any)
# is published as the sum of the others (a margin for disclosure control).
DATASETS: dict[str, tuple[type[Model], tuple[str, ...], tuple[str, ...], str | None]] = {
    "population": (
        PopulationFigure,
        (
            "refugees",
            "asylum_seekers",
            "returned_refugees",
            "idps",
            "returned_idps",
            "stateless",
            "ooc",
            "oip",
            "hst",
            "migrants",
        ),
        (),
        None,
    ),
    "asylum_applications": (ApplicationFigure, ("applied",), ("app_pc",), None),
    "asylum_decisions": (
        DecisionFigure,
        ("dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total"),
        ("dec_pc",),
        "dec_total",
    ),
    "demographics": (
        DemographicFigure,
        (
            "f_0_4",
            "f_5_11",
            "f_12_17",
            "f_18_59",
            "f_60",
            "f_other",
            "f_total",
            "m_0_4",
            "m_5_11",
            "m_12_17",
            "m_18_59",
            "m_60",
            "m_other",
            "m_total",
            "total",
            "y_15_24",
            "y_15_34",
        ),
        ("pop_type",),
        None,
    ),
    "solutions": (
        SolutionFigure,
        ("returned_refugees", "resettlement", "naturalisation", "returned_idps"),
        (),
        None,
    ),
    "flows": (FlowFigure, ("refugees", "asylum_seekers", "refugee_like", "oip"), (), None),
    # National only: people present at the reference date by status; `present` is the sum of the statuses.
    "presence": (
        PresenceFigure,
        (*PRESENCE_STATUS_MEASURES, "present", "registration_missed"),
        (),
        "present",
    ),
    "movements": (MovementFigure, ("arrivals", "entries", "exits"), (), None),
    "specific_needs": (
        SpecificNeedFigure,
        (*(category.lower() for category in SPECIFIC_NEED_CATEGORIES), "persons"),
        (),
        None,
    ),
}
# Measures that are no part of their row's sum (a person may count in several): each is protected as its own
# column, with the sum over the rows as its margin.
SEPARATE_MEASURES: dict[str, tuple[str, ...]] = {
    "presence": ("registration_missed",),
    "specific_needs": DATASETS["specific_needs"][1],
    "movements": DATASETS["movements"][1],
}


def _codes(values: Sequence[str], field: str, known: set[str]) -> list[FieldError]:
    return [
        FieldError(field, "unknown_country", _("Unknown ISO 3166 alpha-3 code: %(code)s.") % {"code": code})
        for code in values
        if code not in known
    ]


def query_checked(query: StatisticsQuery) -> StatisticsQuery:
    errors: list[FieldError] = []
    if query.source not in Source.values:
        errors.append(FieldError("source", "invalid", _("Choose one of: national, unhcr.")))
    known = set(Country.objects.values_list("iso_code", flat=True)) | {settings.KARVON_NODE_STATE}
    errors += _codes(query.coo, "coo", known) + _codes(query.coa, "coa", known)
    for name, year in (("yearFrom", query.year_from), ("yearTo", query.year_to)):
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            errors.append(FieldError(name, "invalid", _("Enter a year from 1951.")))
    if query.year_from is not None and query.year_to is not None and query.year_to < query.year_from:
        errors.append(
            FieldError(
                "yearTo",
                "period_ends_before_start",
                _("The period ends (%(to)s) before it starts (%(start)s).")
                % {"to": query.year_to, "start": query.year_from},
            )
        )
    if errors:
        raise UnableToValidate(errors)
    return query


def _within_query(figures: QuerySet[Any], query: StatisticsQuery) -> QuerySet[Any]:
    """The figures of the query's origins, asylum countries and years."""
    if query.coo:
        figures = figures.filter(coo__in=query.coo)
    if query.coa:
        figures = figures.filter(coa__in=query.coa)
    if query.year_from is not None:
        figures = figures.filter(year__gte=query.year_from)
    if query.year_to is not None:
        figures = figures.filter(year__lte=query.year_to)
    return figures


def _query_dimensions(query: StatisticsQuery) -> tuple[str, ...]:
    """Year, plus origin and asylum country when the query names them or asks for each."""
    dimensions: tuple[str, ...] = ("year",)
    if query.coo or query.coo_all:
        dimensions += ("coo",)
    if query.coa or query.coa_all:
        dimensions += ("coa",)
    return dimensions


def _country_names() -> dict[str, str]:
    return dict(Country.objects.values_list("iso_code", "name"))


def _grouped(dataset: str, query: StatisticsQuery) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    model, measures, kept_apart, _total = DATASETS[dataset]
    figures = model.objects.filter(source=query.source)  # type: ignore[attr-defined]
    figures = _within_query(figures, query)
    dimensions = _query_dimensions(query)
    dimensions += kept_apart
    rows = list(figures.values(*dimensions).annotate(**{m: Sum(m) for m in measures}).order_by(*dimensions))
    return rows, dimensions


def _protect_rows(
    rows: list[dict[str, Any]],
    measures: tuple[str, ...],
    total: str | None,
    threshold: int,
    *,
    separate: tuple[str, ...] = (),
    method: str = SUPPRESS,
) -> list[bool]:
    """Per year, the rows form one table (rows × measures, with margins); hidden cells become None and are named
    in the row's "suppressed" list. With the rounding method every count is rounded instead. Returns, per row,
    whether it held a small count (for withholding rates; never published itself)."""
    parts = tuple(m for m in measures if m != total and m not in separate)
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    held_small = [
        any(row[m] is not None and is_sensitive(row[m], threshold) for m in measures) for row in rows
    ]
    for row in rows:
        row["suppressed"] = []
        by_year[row["year"]].append(row)
    if method == ROUND:
        for row in rows:
            for measure in measures:
                if row[measure] is not None:
                    row[measure] = rounded(row[measure], threshold)
        return held_small
    for year_rows in by_year.values():
        labels = [str(i) for i in range(len(year_rows))]
        if parts:
            cells = [[row[m] or 0 for m in parts] for row in year_rows]
            table = protect_table(labels, parts, cells, threshold=threshold)
            for row, published in zip(year_rows, table.cells, strict=False):
                for measure, value in zip(parts, published, strict=False):
                    if value is None:
                        row[measure] = None
                        row["suppressed"].append(measure)
                if total is None:
                    continue
                # The published total hides with its margin cell, and on its own when it is small.
                if published[-1] is None or (row[total] is not None and 0 < row[total] < threshold):
                    row[total] = None
                    row["suppressed"].append(total)
        for measure in separate:
            column = protect_table(
                labels, (measure,), [[row[measure] or 0] for row in year_rows], threshold=threshold
            )
            for row, published in zip(year_rows, column.cells, strict=False):
                if published[0] is None:
                    row[measure] = None
                    row["suppressed"].append(measure)
    return held_small


def _named(rows: list[dict[str, Any]], names: dict[str, str]) -> None:
    for row in rows:
        for side in ("coo", "coa"):
            if side in row:
                row[f"{side}_iso"] = row.pop(side)
                row[f"{side}_name"] = names.get(row[f"{side}_iso"], row[f"{side}_iso"])


def _table(dataset: str, query: StatisticsQuery, names: dict[str, str] | None = None) -> StatisticsTable:
    _model, measures, _kept, total = DATASETS[dataset]
    rows, dimensions = _grouped(dataset, query)
    _protect_rows(
        rows,
        measures,
        total,
        disclosure_threshold(),
        separate=SEPARATE_MEASURES.get(dataset, ()),
        method=disclosure_method(),
    )
    _named(rows, names if names is not None else _country_names())
    years = [row["year"] for row in rows] or [0]
    return StatisticsTable(
        dataset=dataset,
        dimensions=tuple(d.replace("coo", "coo_iso").replace("coa", "coa_iso") for d in dimensions),
        measures=measures,
        rows=rows,
        source=query.source,
        notes=[note.text for note in series_notes(min(years), max(years))],
    )


def statistics_table(ctx: AccessContext, *, dataset: str, query: StatisticsQuery) -> StatisticsTable:
    """One of UNHCR's six datasets, national or UNHCR's, as the UNHCR API would answer, after disclosure control."""
    require_capability(ctx, Capability.STATISTICS_VIEW)
    return _table(dataset, query_checked(query))


def _rates(query: StatisticsQuery) -> list[RateRow]:
    rows, _dimensions = _grouped_decisions(query)
    threshold = disclosure_threshold()
    _protect_rows(rows, DATASETS["asylum_decisions"][1], "dec_total", threshold, method=disclosure_method())
    # A rate whose counts hold a hidden cell, or (rounding) a small count, is withheld with them.
    withheld_keys = {
        _key(row) for row in rows if row["suppressed"] or (row.get("rounded") and row["sensitive"])
    }
    decision_rows = [
        DecisionRow(
            key=_key(row),
            dec_level=row.get("dec_level", ""),
            unit=row["dec_pc"],
            counts=DecisionCounts(
                row["dec_recognized"] or 0,
                row["dec_other"] or 0,
                row["dec_rejected"] or 0,
                row["dec_closed"] or 0,
            ),
        )
        for row in rows
    ]
    result = []
    for key, rates in rates_by_key(decision_rows, small_below=small_denominator()).items():
        year, coo, coa = key
        withheld = key in withheld_keys
        result.append(
            RateRow(
                year=int(year),
                coo=str(coo),
                coa=str(coa),
                unit=rates.unit,
                recognized=None if withheld else rates.counts.recognized,
                complementary=None if withheld else rates.counts.complementary,
                rejected=None if withheld else rates.counts.rejected,
                closed=None if withheld else rates.counts.closed,
                n=None if withheld else rates.n,
                refugee_recognition_rate=None if withheld else rates.refugee_recognition_rate,
                total_protection_rate=None if withheld else rates.total_protection_rate,
                small_denominator=rates.small_denominator,
                withheld=withheld,
            )
        )
    return result


def _key(row: dict[str, Any]) -> tuple[int, str, str]:
    return (row["year"], row.get("coo", ""), row.get("coa", ""))


def _grouped_decisions(query: StatisticsQuery) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    if not query.first_instance_only:
        return _grouped("asylum_decisions", query)
    measures = DATASETS["asylum_decisions"][1]
    figures = DecisionFigure.objects.filter(source=query.source, dec_level="FI")
    figures = _within_query(figures, query)
    dimensions = _query_dimensions(query)
    dimensions += ("dec_pc",)
    rows = list(figures.values(*dimensions).annotate(**{m: Sum(m) for m in measures}).order_by(*dimensions))
    return rows, dimensions


def recognition_rates(ctx: AccessContext, *, query: StatisticsQuery) -> list[RateRow]:
    """Refugee recognition and total protection rates per year (and origin/asylum country when asked)."""
    require_capability(ctx, Capability.STATISTICS_VIEW)
    return _rates(query_checked(query))


def _population_by_year(
    source: str, state: str, year_from: int, year_to: int
) -> dict[int, dict[str, int | None]]:
    measures = ("refugees", "asylum_seekers", "stateless", "oip")
    figures = PopulationFigure.objects.filter(
        source=source, coa=state, year__gte=year_from, year__lte=year_to
    )
    rows: list[dict[str, Any]] = [
        dict(row) for row in figures.values("year").annotate(**{m: Sum(m) for m in measures})
    ]
    return {row["year"]: {m: row[m] for m in measures} for row in rows}


def _reconciliation(state: str, year_from: int, year_to: int, threshold: int) -> list[ReconciliationRow]:
    national = _population_by_year(Source.NATIONAL, state, year_from, year_to)
    unhcr = _population_by_year(Source.UNHCR, state, year_from, year_to)
    result = []
    for year in sorted(set(national) | set(unhcr)):
        for measure in ("refugees", "asylum_seekers", "stateless", "oip"):
            ours = protect_value(national.get(year, {}).get(measure), threshold, disclosure_method())
            result.append(
                ReconciliationRow(
                    year=year, measure=measure, national=ours, unhcr=unhcr.get(year, {}).get(measure)
                )
            )
    return result


def _pyramid(source: str, state: str, year: int | None, threshold: int) -> list[dict[str, Any]]:
    if year is None:
        return []
    bands = ("0_4", "5_11", "12_17", "18_59", "60", "other")
    sums = DemographicFigure.objects.filter(source=source, coa=state, year=year).aggregate(
        **{f"{sex}_{band}": Sum(f"{sex}_{band}") for sex in ("f", "m") for band in bands}
    )
    cells = [[sums[f"f_{band}"] or 0, sums[f"m_{band}"] or 0] for band in bands]
    table = protect_table(bands, ("female", "male"), cells, threshold=threshold, method=disclosure_method())
    labels = {
        "0_4": "0–4",
        "5_11": "5–11",
        "12_17": "12–17",
        "18_59": "18–59",
        "60": "60+",
        "other": _("unknown"),
    }
    return [
        {"band": labels[band], "female": row[0], "male": row[1], "total": row[2]}
        for band, row in zip((*bands, "total"), table.cells, strict=True)
        if band != "total"
    ] + [
        {
            "band": _("Total"),
            "female": table.cells[-1][0],
            "male": table.cells[-1][1],
            "total": table.cells[-1][2],
        }
    ]


def presence_labels() -> dict[str, str]:
    from karvon.presence.labels import STATUS_LABELS

    protection = {
        "asylum_seekers": _("Asylum-seekers"),
        "refugees": _("Refugees"),
        "complementary_protection": _("Complementary protection"),
        "humanitarian_protection": _("Humanitarian protection"),
        "statelessness_applicants": _("Applicants for statelessness status"),
        "stateless": _("Stateless persons"),
        "trafficking_victims": _("Victims of trafficking"),
        "unaccompanied_children": _("Unaccompanied or separated children"),
        "permit_holders": _("Permit holders"),
    }
    stay = {
        "registered_stay": str(STATUS_LABELS["registered_stay"]),
        "visa_free": str(STATUS_LABELS["visa_free"]),
        "authorised_entry": str(STATUS_LABELS["authorised"]),
        "no_entry_recorded": str(STATUS_LABELS["no_entry_recorded"]),
        "overstayers": _("Overstayers"),
    }
    return {
        **protection,
        **stay,
        "present": _("Present, all statuses"),
        "registration_missed": _("Stay registration missed"),
    }


def _lines(row: dict[str, Any] | None, labels: dict[str, str]) -> list[FigureLine]:
    if row is None:
        return []
    return [
        FigureLine(code, label, row.get(code), code in row.get("suppressed", []))
        for code, label in labels.items()
        if row.get(code) != 0 or code in row.get("suppressed", [])
    ]


def _presence_and_needs(state: str, year_to: int, names: dict[str, str]) -> dict[str, Any]:
    """The latest national presence and specific-needs tables up to the year: the state's totals, protected."""
    from karvon.registry.specific_needs import SPECIFIC_NEED_CATEGORIES as NEED_LABELS

    year = PresenceFigure.objects.filter(source=Source.NATIONAL, coa=state, year__lte=year_to).aggregate(
        latest=Max("year")
    )["latest"]
    if year is None:
        return {}
    query = StatisticsQuery(source=Source.NATIONAL, coa=(state,), year_from=year, year_to=year)
    presence = next(iter(_table("presence", query, names).rows), None)
    needs = next(iter(_table("specific_needs", query, names).rows), None)
    reference = PresenceFigure.objects.filter(source=Source.NATIONAL, coa=state, year=year).aggregate(
        on=Max("reference_date")
    )["on"]
    labels = presence_labels()
    missed = labels.pop("registration_missed")
    total = labels.pop("present")
    need_labels = {code.lower(): f"{code} · {label}" for code, label in NEED_LABELS.items()}
    return {
        "presence_date": reference.isoformat() if reference else str(year),
        "presence": _lines(presence, labels) + _lines(presence, {"present": total}),
        "registration_missed": next(iter(_lines(presence, {"registration_missed": missed})), None),
        "needs": _lines(needs, need_labels),
        "needs_persons": next(
            iter(_lines(needs, {"persons": _("People with at least one specific need")})), None
        ),
    }


def statistics_dashboard(ctx: AccessContext, *, query: StatisticsQuery) -> Dashboard:
    """Everything the statisticians' page shows for the node's state, national beside UNHCR's."""
    require_capability(ctx, Capability.STATISTICS_VIEW)
    state = settings.KARVON_NODE_STATE
    year_to = query.year_to or ctx.today.year
    year_from = query.year_from or 2015
    query = query_checked(
        StatisticsQuery(
            source=query.source,
            coo=query.coo,
            coa=query.coa or (state,),
            year_from=year_from,
            year_to=year_to,
        )
    )
    threshold = disclosure_threshold()
    unhcr_query = StatisticsQuery(**{**query.__dict__, "source": Source.UNHCR})
    national_query = StatisticsQuery(**{**query.__dict__, "source": Source.NATIONAL})
    latest = PopulationFigure.objects.filter(
        source=query.source, coa__in=query.coa, year__lte=year_to
    ).aggregate(latest=Max("year"))["latest"]
    origins_query = StatisticsQuery(
        **{**query.__dict__, "coo_all": True, "year_from": latest or year_to, "year_to": latest or year_to}
    )
    names = _country_names()
    origins = _table("population", origins_query, names)
    origins.rows.sort(
        key=lambda row: -sum((row[m] or 0) for m in ("refugees", "asylum_seekers", "oip", "stateless"))
    )
    # The page shows the largest origins (disclosure control ran on the whole table); every origin is in the
    # downloads.
    del origins.rows[TOP_ORIGINS_SHOWN:]
    demography_year = DemographicFigure.objects.filter(
        source=query.source, coa__in=query.coa, year__lte=year_to
    ).aggregate(latest=Max("year"))["latest"]
    return Dashboard(
        query=query,
        state=state,
        state_name=names.get(state, state),
        population=_table("population", unhcr_query, names),
        population_national=_table("population", national_query, names),
        rates=_rates(unhcr_query),
        rates_first_instance=_rates(StatisticsQuery(**{**unhcr_query.__dict__, "first_instance_only": True})),
        rates_national=_rates(national_query),
        origins=origins,
        pyramid=_pyramid(query.source, state, demography_year, threshold),
        pyramid_year=demography_year,
        reconciliation=_reconciliation(state, year_from, year_to, threshold),
        notes=series_notes(year_from, year_to),
        threshold=threshold,
        loaded=DataLoad.objects.filter(source=Source.UNHCR).exists(),
        processing=processing_times(year_from=year_from, year_to=year_to, threshold=threshold),
        disclosure_method=disclosure_method(),
        movements=_table("movements", national_query, names),
        **_presence_and_needs(state, year_to, names),
    )


def statistics_report(ctx: AccessContext, *, year: int, source: str = Source.UNHCR) -> Dashboard:
    """The dashboard's figures for one year, for the printable meeting report: the same disclosure control."""
    return statistics_dashboard(ctx, query=StatisticsQuery(source=source, year_from=year, year_to=year))
