"""The node's asylum flows from the procedures' event logs, in UNHCR's layout: applications, decisions, solutions."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

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
