"""Writes to the statistics store: loading UNHCR's files and computing the node's own figures, atomic and audited."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from karvon.accounts.models import User
from karvon.audit.services import audit_record
from karvon.registry.models import Person, PersonNationality, ProfileRecord, Registration
from karvon.statistics.classification import MIGRANTS, age_band, age_on, population_type, youth_bands
from karvon.statistics.models import (
    ApplicationFigure,
    Country,
    DataLoad,
    DecisionFigure,
    DemographicFigure,
    FlowFigure,
    PopulationFigure,
    SolutionFigure,
    Source,
)
from karvon.statistics.procedures import asylum_flow_datasets
from karvon.statistics.unhcr_files import PSEUDO_COUNTRIES, read_all

DATASET_MODELS: dict[str, type[Model]] = {
    "population": PopulationFigure,
    "asylum_applications": ApplicationFigure,
    "asylum_decisions": DecisionFigure,
    "demographics": DemographicFigure,
    "solutions": SolutionFigure,
    "flows": FlowFigure,
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


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _registry_people(reference_date: date) -> list[dict[str, Any]]:
    """Each present person once: sex, birth date, first nationality, latest profile types at the date."""
    cut_off = _end_of(reference_date)
    present = Registration.objects.filter(registered_on__lte=reference_date).values("person_id")
    people = Person.objects.filter(merged_into__isnull=True, pk__in=present).values("pk", "sex", "birth_date")
    first_nationality: dict[int, str] = {}
    for person_id, country in (
        PersonNationality.objects.filter(person_id__in=present)
        .order_by("person_id", "pk")
        .values_list("person_id", "country")
    ):
        first_nationality.setdefault(person_id, country)
    latest_profile: dict[int, list[str]] = {}
    for person_id, types in (
        ProfileRecord.objects.filter(recorded_at__lt=cut_off, person_id__in=present)
        .order_by("person_id", "-recorded_at", "-pk")
        .values_list("person_id", "profile_types")
    ):
        latest_profile.setdefault(person_id, list(types or []))
    return [
        {
            "sex": row["sex"],
            "birth_date": row["birth_date"],
            "coo": first_nationality.get(row["pk"], "UNK"),
            "profile_types": latest_profile.get(row["pk"], []),
        }
        for row in people
    ]


POPULATION_COLUMN = {"REF": "refugees", "ASY": "asylum_seekers", "STA": "stateless", MIGRANTS: "migrants"}


def national_datasets(
    people: list[dict[str, Any]], *, reference_date: date, state: str
) -> dict[str, list[dict[str, Any]]]:
    """Stocks by origin and population type, and demographics by sex and age band, in UNHCR's layout."""
    stocks: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(POPULATION_COLUMN.values(), 0))
    demography: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for person in people:
        kind = population_type(person["profile_types"])
        stocks[person["coo"]][POPULATION_COLUMN[kind]] += 1
        cells = demography[(person["coo"], kind)]
        age = age_on(person["birth_date"], reference_date)
        band = age_band(age)
        if person["sex"] in {"F", "M"}:
            prefix = person["sex"].lower()
            cells[f"{prefix}_{band}"] += 1
            cells[f"{prefix}_total"] += 1
        cells["total"] += 1
        young, youth = youth_bands(age)
        cells["y_15_24"] += young
        cells["y_15_34"] += youth
    year = reference_date.year
    return {
        "population": [
            {"year": year, "coo": coo, "coa": state, **counts} for coo, counts in sorted(stocks.items())
        ],
        "demographics": [
            {
                "year": year,
                "coo": coo,
                "coa": state,
                "pop_type": kind,
                "location": "",
                "loc_type": "",
                "acc_type": "",
                **{
                    f"{sex}_{band}": cells.get(f"{sex}_{band}", 0)
                    for sex in ("f", "m")
                    for band in ("0_4", "5_11", "12_17", "18_59", "60", "other", "total")
                },
                "total": cells["total"],
                "y_15_24": cells["y_15_24"],
                "y_15_34": cells["y_15_34"],
            }
            for (coo, kind), cells in sorted(demography.items())
        ],
    }


def national_figures_refresh(*, reference_date: date, now: datetime, actor: User | None = None) -> DataLoad:
    """Computes the node's stocks at the reference date from the registry and replaces that year's national figures."""
    state = settings.KARVON_NODE_STATE
    datasets = national_datasets(_registry_people(reference_date), reference_date=reference_date, state=state)
    datasets.update(asylum_flow_datasets(year=reference_date.year, until=reference_date, state=state))
    with transaction.atomic():
        load = DataLoad.objects.create(
            source=Source.NATIONAL,
            loaded_at=now,
            origin="registry",
            reference_date=reference_date,
            row_counts={name: len(rows) for name, rows in datasets.items()},
        )
        _replace_figures(Source.NATIONAL, load, datasets, year=reference_date.year)
        audit_record(
            actor=actor,
            action="statistics.national_refresh",
            object_type="data_load",
            object_id=str(load.pk),
            occurred_at=now,
            changes={"reference_date": reference_date.isoformat(), "rows": load.row_counts},
        )
    return load
