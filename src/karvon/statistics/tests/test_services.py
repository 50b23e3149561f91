"""Loading UNHCR's files and computing national figures: all or nothing, audited."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from karvon.audit.models import AuditEvent
from karvon.statistics.models import DataLoad, DecisionFigure, DemographicFigure, PopulationFigure, Source
from karvon.statistics.services import national_figures_refresh, unhcr_load
from karvon.statistics.tests.conftest import UNHCR_DIR
from karvon.statistics.unhcr_files import DATASETS, UnableToLoadUnhcrFile

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def small_copy(directory: Path, rows: int = 40) -> Path:
    shutil.copy(UNHCR_DIR / "countries.csv", directory / "countries.csv")
    for spec in DATASETS:
        lines = (UNHCR_DIR / spec.file_name).read_text(encoding="utf-8").splitlines()[:rows]
        (directory / spec.file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def test_a_load_writes_every_dataset_labelled_unhcr_and_is_audited(db: Any, tmp_path: Path) -> None:
    load = unhcr_load(directory=small_copy(tmp_path), now=NOW)
    assert DecisionFigure.objects.filter(source=Source.UNHCR, load=load).count() == 39
    assert load.row_counts["population"] == 39
    assert AuditEvent.objects.filter(action="statistics.unhcr_load", object_id=str(load.pk)).exists()


def test_a_bad_file_loads_nothing_and_keeps_the_previous_load(db: Any, tmp_path: Path) -> None:
    unhcr_load(directory=small_copy(tmp_path), now=NOW)
    flows = tmp_path / "flows.csv"
    flows.write_text(
        flows.read_text(encoding="utf-8").replace(",TUR,TUR,50", ",TUR,TUR,-50", 1), encoding="utf-8"
    )
    with pytest.raises(UnableToLoadUnhcrFile):
        unhcr_load(directory=tmp_path, now=NOW)
    assert DataLoad.objects.count() == 1
    assert PopulationFigure.objects.count() == 39


def test_national_stocks_count_each_person_once_by_latest_profile(
    users: dict[str, Any], register: Callable[..., Any], ctx_for: Callable[[Any], Any], node: dict[str, Any]
) -> None:
    from karvon.registry.contracts import ProfileInput
    from karvon.registry.services import profile_record

    asylum = register(users["officer"], sex="F", birth_date=date(2010, 5, 1), nationalities=("AFG",))
    profile_record(
        ctx=ctx_for(users["officer"]),
        person_uuid=asylum.uuid,
        office_id=node["almaty"].pk,
        profile=ProfileInput(profile_types=("asylum_seeker", "stateless")),
    )
    register(users["officer"], sex="M", birth_date=date(1990, 3, 12), nationalities=("TJK", "UZB"))

    load = national_figures_refresh(reference_date=date(2026, 11, 28), now=NOW)

    stocks = {row.coo: row for row in PopulationFigure.objects.filter(source=Source.NATIONAL, load=load)}
    assert (stocks["AFG"].asylum_seekers, stocks["AFG"].stateless, stocks["AFG"].migrants) == (1, 0, 0)
    assert stocks["TJK"].migrants == 1 and "UZB" not in stocks
    girl = DemographicFigure.objects.get(source=Source.NATIONAL, coo="AFG")
    assert (girl.pop_type, girl.f_12_17, girl.f_total, girl.y_15_24) == ("ASY", 1, 1, True)
