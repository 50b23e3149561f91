"""Writes to the statistics store: loading UNHCR's files and computing the node's own figures, atomic and audited."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model

from karvon.accounts.models import User
from karvon.audit.services import audit_record
from karvon.statistics.models import (
    ApplicationFigure,
    Country,
    DataLoad,
    DecisionFigure,
    DemographicFigure,
    DurationFigure,
    FlowFigure,
    MovementFigure,
    PopulationFigure,
    PresenceFigure,
    SolutionFigure,
    Source,
    SpecificNeedFigure,
)
from karvon.statistics.national import (
    CaseStates,
    RegistrySnapshot,
    case_states_at,
    movement_flows_by_year,
    national_datasets,
    people_counted,
    registry_snapshot,
)
from karvon.statistics.procedures import asylum_flows_by_year, duration_counts
from karvon.statistics.unhcr_files import PSEUDO_COUNTRIES, read_all

DATASET_MODELS: dict[str, type[Model]] = {
    "population": PopulationFigure,
    "asylum_applications": ApplicationFigure,
    "asylum_decisions": DecisionFigure,
    "demographics": DemographicFigure,
    "solutions": SolutionFigure,
    "flows": FlowFigure,
    "presence": PresenceFigure,
    "specific_needs": SpecificNeedFigure,
    "movements": MovementFigure,
}
BATCH = 5000


def _replace_figures(
    source: str, load: DataLoad, datasets: dict[str, list[dict[str, Any]]], *, year: int | None = None
) -> None:
    for name, model in DATASET_MODELS.items():
        existing = model.objects.filter(source=source)  # type: ignore[attr-defined]
        if year is not None:
            existing = existing.filter(year=year)
        # No signals or reverse relations on figures: Django deletes them in one statement.
        existing.delete()
        _insert_rows(model, load, source, datasets.get(name, []))


def _insert_rows(model: type[Model], load: DataLoad, source: str, rows: list[dict[str, Any]]) -> None:
    """Plain parameterised INSERTs: the ORM's bulk_create spends most of the load building model objects (ADR 0200)."""
    if not rows:
        return
    columns = list(rows[0])
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in ["load_id", "source", *columns])
    placeholders = ", ".join(["%s"] * (len(columns) + 2))
    statement = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - names come from the model
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                statement,
                [
                    (load.pk, source, *(row[column] for column in columns))
                    for row in rows[start : start + BATCH]
                ],
            )


def unhcr_load(*, directory: Path, now: datetime, actor: User | None = None) -> DataLoad:
    """Reads and checks every file first, then replaces UNHCR's figures in one transaction: all or nothing."""
    countries, datasets = read_all(directory, last_year=now.year)
    with transaction.atomic():
        Country.objects.all().delete()
        Country.objects.bulk_create([Country(**row) for row in countries])
        Country.objects.bulk_create(
            [
                Country(iso_code=code, unhcr_code=code, name=name)
                for code, name in PSEUDO_COUNTRIES.items()
                if code not in {row["iso_code"] for row in countries}
            ]
        )
        load = DataLoad.objects.create(
            source=Source.UNHCR,
            loaded_at=now,
            origin=str(directory),
            row_counts={name: len(rows) for name, rows in datasets.items()} | {"countries": len(countries)},
        )
        _replace_figures(Source.UNHCR, load, datasets)
        audit_record(
            actor=actor,
            action="statistics.unhcr_load",
            object_type="data_load",
            object_id=str(load.pk),
            occurred_at=now,
            changes={"origin": str(directory), "rows": load.row_counts},
        )
    return load


def _national_year(
    reference_date: date, state: str, snapshot: RegistrySnapshot, states: CaseStates
) -> dict[str, list[dict[str, Any]]]:
    datasets = national_datasets(
        people_counted(reference_date, snapshot, states), reference_date=reference_date, state=state
    )
    return datasets


def national_figures_refresh(
    *, reference_date: date, now: datetime, actor: User | None = None, from_year: int | None = None
) -> DataLoad:
    """Computes the node's figures from the registry, the procedures and presence, and replaces them: the stocks
    at the reference date and that year's flows; with `from_year`, also every earlier year from it (stocks at
    31 December); and the processing-time counts of the whole event log. One transaction: all or nothing."""
    state = settings.KARVON_NODE_STATE
    years = range(from_year if from_year is not None else reference_date.year, reference_date.year + 1)
    snapshot = registry_snapshot()
    dates = {year: reference_date if year == reference_date.year else date(year, 12, 31) for year in years}
    states = case_states_at(list(dates.values()))
    by_year = {year: _national_year(day, state, snapshot, states.pop(day)) for year, day in dates.items()}
    movements = movement_flows_by_year(years=years, until=reference_date, state=state, snapshot=snapshot)
    del snapshot
    flows = asylum_flows_by_year(years=years, until=reference_date, state=state)
    for year, datasets in by_year.items():
        datasets.update(flows[year])
        datasets.update(movements[year])
    durations = duration_counts()
    row_counts: dict[str, int] = defaultdict(int)
    for datasets in by_year.values():
        for name, rows in datasets.items():
            row_counts[name] += len(rows)
    row_counts["durations"] = len(durations)
    with transaction.atomic():
        load = DataLoad.objects.create(
            source=Source.NATIONAL,
            loaded_at=now,
            origin="registry",
            reference_date=reference_date,
            row_counts=dict(row_counts),
        )
        for year, datasets in by_year.items():
            _replace_figures(Source.NATIONAL, load, datasets, year=year)
        DurationFigure.objects.filter(source=Source.NATIONAL).delete()
        _insert_rows(DurationFigure, load, Source.NATIONAL, durations)
        audit_record(
            actor=actor,
            action="statistics.national_refresh",
            object_type="data_load",
            object_id=str(load.pk),
            occurred_at=now,
            changes={
                "reference_date": reference_date.isoformat(),
                "years": [years.start, years.stop - 1],
                "rows": load.row_counts,
            },
        )
    return load
