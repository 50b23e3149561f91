"""The node's asylum flows from the procedures' event logs, in UNHCR's layout: applications, decisions, solutions."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from karvon.cases.models import Case, CaseEvent
from karvon.registry.models import PersonNationality

# UNHCR's decision columns for each outcome the workflow tables record.
DECISION_COLUMN = {
    "recognised": "dec_recognized",
    "complementary": "dec_other",
    "rejected": "dec_rejected",
    "otherwise_closed": "dec_closed",
}
SOLUTION_COLUMN = {
    "voluntary_repatriation": "returned_refugees",
    "resettlement": "resettlement",
    "naturalisation": "naturalisation",
}


def _origins(person_ids: set[int]) -> dict[int, str]:
    """The first nationality of each principal applicant (UNHCR counts a case under its applicant's origin)."""
    origins: dict[int, str] = {}
    ids = list(person_ids)
    for start in range(0, len(ids), 5000):
        for person_id, country in (
            PersonNationality.objects.filter(person_id__in=ids[start : start + 5000])
            .order_by("person_id", "pk")
            .values_list("person_id", "country")
        ):
            origins.setdefault(person_id, country)
    return origins


def asylum_flow_datasets(*, year: int, until: date, state: str) -> dict[str, list[dict[str, Any]]]:
    """Applications (new, repeat, appeal), decisions by level and outcome (persons and cases), and solutions of
    one calendar year up to `until`, from the asylum cases' events."""
    events = list(
        CaseEvent.objects.filter(case__kind="asylum", occurred_on__year=year, occurred_on__lte=until)
        .filter(transition__in=["open", "lodge_appeal", *SOLUTION_COLUMN])
        .values_list(
            "transition",
            "decision",
            "decision_level",
            "persons",
            "case__person_id",
            "case__procedure_type",
            "case__application_type",
        )
    )
    events += list(
        CaseEvent.objects.filter(case__kind="asylum", occurred_on__year=year, occurred_on__lte=until)
        .exclude(decision="")
        .exclude(transition__in=["open", "lodge_appeal", *SOLUTION_COLUMN])
        .values_list(
            "transition",
            "decision",
            "decision_level",
            "persons",
            "case__person_id",
            "case__procedure_type",
            "case__application_type",
        )
    )
    origins = _origins({row[4] for row in events})
    applications: dict[tuple[str, str, str, str, str], int] = defaultdict(int)
    decisions: dict[tuple[str, str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    solutions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for transition, decision, level, persons, person_id, procedure_type, application_type in events:
        coo = origins.get(person_id, "UNK")
        if transition == "open":
            for unit, count in (("P", persons), ("C", 1)):
                applications[(coo, procedure_type, application_type, "FI", unit)] += count
        elif transition == "lodge_appeal":
            for unit, count in (("P", persons), ("C", 1)):
                applications[(coo, procedure_type, "A", level or "AR", unit)] += count
        elif transition in SOLUTION_COLUMN:
            solutions[coo][SOLUTION_COLUMN[transition]] += persons
        elif decision in DECISION_COLUMN:
            for unit, count in (("P", persons), ("C", 1)):
                cells = decisions[(coo, procedure_type, level or "FI", unit)]
                cells[DECISION_COLUMN[decision]] += count
                cells["dec_total"] += count
    return {
        "asylum_applications": [
            {
                "year": year,
                "coo": coo,
                "coa": state,
                "procedure_type": procedure_type,
                "app_type": app_type,
                "dec_level": level,
                "app_pc": unit,
                "applied": count,
            }
            for (coo, procedure_type, app_type, level, unit), count in sorted(applications.items())
        ],
        "asylum_decisions": [
            {
                "year": year,
                "coo": coo,
                "coa": state,
                "procedure_type": procedure_type,
                "dec_level": level,
                "dec_pc": unit,
                **{column: cells.get(column, 0) for column in (*DECISION_COLUMN.values(), "dec_total")},
            }
            for (coo, procedure_type, level, unit), cells in sorted(decisions.items())
        ],
        "solutions": [
            {
                "year": year,
                "coo": coo,
                "coa": state,
                "returned_refugees": cells.get("returned_refugees", 0),
                "resettlement": cells.get("resettlement", 0),
                "naturalisation": cells.get("naturalisation", 0),
                "returned_idps": None,
            }
            for coo, cells in sorted(solutions.items())
        ],
    }


@dataclass(frozen=True)
class DurationRow:
    """Days taken, over the cases of one group: n beside every figure; none shown for fewer than the threshold."""

    label: str
    cases: int
    median_days: float | None
    p90_days: float | None
    protected: bool


@dataclass(frozen=True)
class ProcessingTimes:
    first_instance: list[DurationRow]
    stages: list[DurationRow]


def _year_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def _days_sql(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def duration_counts() -> list[dict[str, Any]]:
    """How many asylum cases took how many days, over the whole event log, in one pass of the database:
    lodging to first-instance decision by year of decision; days in each stage by year of leaving it."""
    event = connection.ops.quote_name(CaseEvent._meta.db_table)
    case = connection.ops.quote_name(Case._meta.db_table)
    first_instance = (
        f"SELECT {_year_sql('e.occurred_on')}, {_days_sql('e.occurred_on', 'c.began_on')}, COUNT(*) "  # noqa: S608
        f"FROM {event} e JOIN {case} c ON c.id = e.case_id "
        "WHERE c.kind = 'asylum' AND e.decision <> '' AND e.decision_level = 'FI' AND e.transition <> 'open' "
        "GROUP BY 1, 2"
    )
    # A stage is entered by the previous step that changed the stage (the opening step included).
    stages = (
        "WITH moves AS (SELECT e.transition, e.from_state, e.occurred_on, "  # noqa: S608 - names from the models
        "LAG(e.occurred_on) OVER (PARTITION BY e.case_id ORDER BY e.sequence) AS since "
        f"FROM {event} e JOIN {case} c ON c.id = e.case_id "
        "WHERE c.kind = 'asylum' AND e.from_state <> e.to_state) "
        f"SELECT {_year_sql('occurred_on')}, from_state, {_days_sql('occurred_on', 'since')}, COUNT(*) "
        "FROM moves WHERE transition <> 'open' AND since IS NOT NULL GROUP BY 1, 2, 3"
    )
    rows: list[dict[str, Any]] = []
    with connection.cursor() as cursor:
        cursor.execute(first_instance)
        rows += [
            {"year": year, "kind": "first_instance", "stage": "", "days": days, "cases": n}
            for year, days, n in cursor.fetchall()
        ]
        cursor.execute(stages)
        rows += [
            {"year": year, "kind": "stage", "stage": stage, "days": days, "cases": n}
            for year, stage, days, n in cursor.fetchall()
        ]
    return rows


def duration_from_counts(label: str, counts: dict[int, int], threshold: int) -> DurationRow:
    """Median (the mean of the two middle values for an even count) and the 90th percentile (nearest rank) of
    the days behind the counts, exactly as if every case's days were listed."""
    n = sum(counts.values())
    if n < threshold:
        # A median of two cases is nearly their dates: small groups show only that they exist.
        return DurationRow(label, n, None, None, bool(n))
    ordered = sorted(counts.items())

    def nth(rank: int) -> int:  # 1-based
        seen = 0
        for days, count in ordered:
            seen += count
            if seen >= rank:
                return days
        return ordered[-1][0]

    median = float(nth((n + 1) // 2)) if n % 2 else (nth(n // 2) + nth(n // 2 + 1)) / 2
    return DurationRow(label, n, median, float(nth(max(1, min(n, math.ceil(0.9 * n))))), False)


def processing_times(*, year_from: int, year_to: int, threshold: int) -> ProcessingTimes:
    """Days from lodging to the first-instance decision, by year of decision; and days spent in each stage of the
    asylum procedure, over the stages left in those years (from the counts the last refresh stored)."""
    from karvon.cases.workflow import ASYLUM
    from karvon.statistics.models import DurationFigure, DurationKind, Source

    by_year: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    by_stage: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for kind, year, stage, days, cases in DurationFigure.objects.filter(
        source=Source.NATIONAL, year__gte=year_from, year__lte=year_to
    ).values_list("kind", "year", "stage", "days", "cases"):
        if kind == DurationKind.FIRST_INSTANCE:
            by_year[year][days] += cases
        else:
            by_stage[stage][days] += cases
    return ProcessingTimes(
        first_instance=[
            duration_from_counts(str(year), by_year.get(year, {}), threshold)
            for year in range(year_from, year_to + 1)
        ],
        stages=[
            duration_from_counts(str(ASYLUM.states[code].label), by_stage[code], threshold)
            for code in ASYLUM.states
            if code in by_stage
        ],
    )
