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


def first_nationality_join(person_column: str) -> str:
    """SQL joining each person's first nationality as `n.country` (UNHCR counts a case under its applicant's)."""
    nationality = connection.ops.quote_name(PersonNationality._meta.db_table)
    return (
        f"LEFT JOIN (SELECT person_id, MIN(id) AS first_id FROM {nationality} GROUP BY person_id) f "  # noqa: S608
        f"ON f.person_id = {person_column} LEFT JOIN {nationality} n ON n.id = f.first_id"
    )


def _flow_rows(first_day: date, until: date) -> list[tuple[Any, ...]]:
    """The asylum steps that are applications, decisions or solutions, counted in the database by year, step,
    outcome, level, procedure and application type and origin: (…, persons, cases)."""
    event = connection.ops.quote_name(CaseEvent._meta.db_table)
    case = connection.ops.quote_name(Case._meta.db_table)
    counted = ", ".join(f"'{name}'" for name in ("open", "lodge_appeal", *SOLUTION_COLUMN))
    statement = (
        f"SELECT {year_sql('e.occurred_on')}, e.transition, e.decision, e.decision_level, "  # noqa: S608
        "c.procedure_type, c.application_type, COALESCE(n.country, 'UNK'), SUM(e.persons), COUNT(*) "
        f"FROM {event} e JOIN {case} c ON c.id = e.case_id {first_nationality_join('c.person_id')} "
        f"WHERE c.kind = 'asylum' AND e.occurred_on >= %s AND e.occurred_on <= %s "
        f"AND (e.transition IN ({counted}) OR e.decision <> '') GROUP BY 1, 2, 3, 4, 5, 6, 7"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [first_day, until])
        return list(cursor.fetchall())


def asylum_flow_datasets(*, year: int, until: date, state: str) -> dict[str, list[dict[str, Any]]]:
    """Applications (new, repeat, appeal), decisions by level and outcome (persons and cases), and solutions of
    one calendar year up to `until`, from the asylum cases' events."""
    return asylum_flows_by_year(years=range(year, year + 1), until=until, state=state)[year]


def asylum_flows_by_year(
    *, years: range, until: date, state: str
) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """The same for every year of a span up to `until`, in one statement."""
    applications: dict[tuple[int, str, str, str, str, str], int] = defaultdict(int)
    decisions: dict[tuple[int, str, str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    solutions: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (
        year,
        transition,
        decision,
        level,
        procedure_type,
        application_type,
        coo,
        persons,
        cases,
    ) in _flow_rows(date(years.start, 1, 1), until):
        units = (("P", int(persons)), ("C", int(cases)))
        if transition == "open":
            for unit, count in units:
                applications[(year, coo, procedure_type, application_type, "FI", unit)] += count
        elif transition == "lodge_appeal":
            for unit, count in units:
                applications[(year, coo, procedure_type, "A", level or "AR", unit)] += count
        elif transition in SOLUTION_COLUMN:
            solutions[(year, coo)][SOLUTION_COLUMN[transition]] += int(persons)
        elif decision in DECISION_COLUMN:
            for unit, count in units:
                cells = decisions[(year, coo, procedure_type, level or "FI", unit)]
                cells[DECISION_COLUMN[decision]] += count
                cells["dec_total"] += count
    result: dict[int, dict[str, list[dict[str, Any]]]] = {
        year: {"asylum_applications": [], "asylum_decisions": [], "solutions": []} for year in years
    }
    for (year, coo, procedure_type, app_type, level, unit), count in sorted(applications.items()):
        result[year]["asylum_applications"].append(
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
        )
    for (year, coo, procedure_type, level, unit), cells in sorted(decisions.items()):
        result[year]["asylum_decisions"].append(
            {
                "year": year,
                "coo": coo,
                "coa": state,
                "procedure_type": procedure_type,
                "dec_level": level,
                "dec_pc": unit,
                **{column: cells.get(column, 0) for column in (*DECISION_COLUMN.values(), "dec_total")},
            }
        )
    for (year, coo), cells in sorted(solutions.items()):
        result[year]["solutions"].append(
            {
                "year": year,
                "coo": coo,
                "coa": state,
                "returned_refugees": cells.get("returned_refugees", 0),
                "resettlement": cells.get("resettlement", 0),
                "naturalisation": cells.get("naturalisation", 0),
                "returned_idps": None,
            }
        )
    return result


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


def year_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    # SQLite keeps dates as YYYY-MM-DD text; no "%" in the SQL, which Django's debug logging would format.
    return f"CAST(substr({column}, 1, 4) AS INTEGER)"


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
        f"SELECT {year_sql('e.occurred_on')}, {_days_sql('e.occurred_on', 'c.began_on')}, COUNT(*) "  # noqa: S608
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
        f"SELECT {year_sql('occurred_on')}, from_state, {_days_sql('occurred_on', 'since')}, COUNT(*) "
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
