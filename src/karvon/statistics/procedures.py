"""The node's asylum flows from the procedures' event logs, in UNHCR's layout: applications, decisions, solutions."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models

from karvon.cases.models import CaseEvent
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


def _nearest_rank(values: list[int], q: float) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q * len(ordered))))
    return float(ordered[rank - 1])


def duration_row(label: str, days: list[int], threshold: int) -> DurationRow:
    if len(days) < threshold:
        # A median of two cases is nearly their dates: small groups show only that they exist.
        return DurationRow(label, len(days), None, None, bool(days))
    return DurationRow(label, len(days), float(statistics.median(days)), _nearest_rank(days, 0.9), False)


@dataclass(frozen=True)
class ProcessingTimes:
    first_instance: list[DurationRow]
    stages: list[DurationRow]


def processing_times(*, year_from: int, year_to: int, threshold: int) -> ProcessingTimes:
    """Days from lodging to the first-instance decision, by year of decision; and days spent in each stage of the
    asylum procedure, over the stages left in those years."""
    from karvon.cases.workflow import ASYLUM

    to_decision: dict[int, list[int]] = defaultdict(list)
    in_stage: dict[str, list[int]] = defaultdict(list)
    rows = (
        CaseEvent.objects.filter(
            case__kind="asylum", occurred_on__year__gte=year_from, occurred_on__year__lte=year_to
        )
        .exclude(transition="open")
        .values_list("decision_level", "decision", "from_state", "to_state", "occurred_on", "case__began_on")
    )
    entered: dict[tuple[int, int], date] = {}
    moves = (
        CaseEvent.objects.filter(case__kind="asylum", occurred_on__year__lte=year_to)
        .exclude(from_state=models.F("to_state"))
        .order_by("case_id", "sequence")
        .values_list("case_id", "sequence", "from_state", "occurred_on")
    )
    previous_move: dict[int, date] = {}
    for case_id, sequence, _from_state, occurred_on in moves:
        if case_id in previous_move:
            entered[(case_id, sequence)] = previous_move[case_id]
        previous_move[case_id] = occurred_on
    for level, decision, _from_state, _to_state, occurred_on, began_on in rows:
        if decision and level == "FI":
            to_decision[occurred_on.year].append((occurred_on - began_on).days)
    stage_rows = (
        CaseEvent.objects.filter(
            case__kind="asylum", occurred_on__year__gte=year_from, occurred_on__year__lte=year_to
        )
        .exclude(from_state=models.F("to_state"))
        .exclude(transition="open")
        .values_list("case_id", "sequence", "from_state", "occurred_on")
    )
    for case_id, sequence, from_state, occurred_on in stage_rows:
        since = entered.get((case_id, sequence))
        if since is not None:
            in_stage[from_state].append((occurred_on - since).days)
    return ProcessingTimes(
        first_instance=[
            duration_row(str(year), to_decision.get(year, []), threshold)
            for year in range(year_from, year_to + 1)
        ],
        stages=[
            duration_row(str(ASYLUM.states[code].label), in_stage[code], threshold)
            for code in ASYLUM.states
            if code in in_stage
        ],
    )
