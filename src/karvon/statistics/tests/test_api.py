"""The statistics API: UNHCR's parameters and field names, rates identical to the hand computation, no small cell."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from karvon.accounts.services import api_token_issue
from karvon.statistics.tests.conftest import UNHCR_DIR
from karvon.statistics.tests.hand import kazakhstan_rates_by_hand

pytestmark = pytest.mark.usefixtures("unhcr_loaded")


@pytest.fixture
def users(make_user: Any) -> dict[str, Any]:
    """Only the two people these tests need: password hashing makes the full cast slow."""
    return {
        "statistician": make_user("stan", "statistician", office=None),
        "officer": make_user("alice", "registration_officer"),
    }


def client_for(user: Any) -> Client:
    issued = api_token_issue(user=user, name="test", now=timezone.now(), valid_days=None)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def test_a_statistician_gets_kazakhstans_recognition_rates_identical_to_the_hand_computation(
    users: dict[str, Any],
) -> None:
    answer = client_for(users["statistician"]).get(
        "/api/v1/statistics/recognition-rates/", {"coa": "KAZ", "yearFrom": 2015, "yearTo": 2024}
    )
    assert answer.status_code == 200
    by_hand = kazakhstan_rates_by_hand(UNHCR_DIR / "asylum_decisions.csv", range(2015, 2025))
    got = {
        item["year"]: (
            item["dec_pc"],
            item["n"],
            item["refugee_recognition_rate"],
            item["total_protection_rate"],
        )
        for item in answer.json()["items"]
    }
    assert got == {
        year: (unit, n, float(rr) if rr is not None else None, float(tp) if tp is not None else None)
        for year, (unit, n, rr, tp) in by_hand.items()
    }
    assert answer.json()["attribution"] == "UNHCR Refugee Population Statistics Database"


def test_decisions_use_unhcrs_field_names_and_carry_their_rates(users: dict[str, Any]) -> None:
    answer = client_for(users["statistician"]).get(
        "/api/v1/statistics/asylum-decisions/", {"coa": "KAZ", "yearFrom": 2024, "yearTo": 2024}
    )
    item = answer.json()["items"][0]
    assert {
        "year",
        "coa_iso",
        "dec_pc",
        "dec_recognized",
        "dec_other",
        "dec_rejected",
        "dec_closed",
        "dec_total",
        "refugee_recognition_rate",
        "total_protection_rate",
        "rates_n",
    } <= set(item)
    assert Decimal(str(item["refugee_recognition_rate"])) == Decimal("17.5")


def test_the_sdmx_csv_download_names_its_structure_and_dimensions(users: dict[str, Any]) -> None:
    answer = client_for(users["statistician"]).get(
        "/api/v1/statistics/asylum-decisions/",
        {"coa": "KAZ", "yearFrom": 2015, "yearTo": 2024, "format": "sdmx-csv"},
    )
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert (
        rows[0]["STRUCTURE"] == "datastructure"
        and rows[0]["STRUCTURE_ID"] == "KARVON:DSD_ASYLUM_DECISIONS(1.0)"
    )
    assert {"TIME_PERIOD", "COA", "DEC_PC", "DEC_RECOGNIZED", "REFUGEE_RECOGNITION_RATE"} <= set(rows[0])
    assert "UNHCR Refugee Population Statistics Database" in rows[0]["DATA_SOURCE"]
    dsd = client_for(users["statistician"]).get("/api/v1/statistics/dsd/asylum-decisions/").content.decode()
    assert '<str:Dimension id="COA"' in dsd and '<str:Measure id="DEC_RECOGNIZED">' in dsd


def test_no_population_cell_of_one_to_four_leaves_the_api(users: dict[str, Any]) -> None:
    answer = client_for(users["statistician"]).get(
        "/api/v1/statistics/population/", {"coa": "KAZ", "coo_all": "true", "format": "csv"}
    )
    for row in csv.DictReader(io.StringIO(answer.content.decode())):
        for field in ("refugees", "asylum_seekers", "stateless", "oip", "ooc"):
            assert row[field] == "" or not 0 < int(row[field]) < 5


def test_a_period_ending_before_it_starts_is_a_field_error(users: dict[str, Any]) -> None:
    answer = client_for(users["statistician"]).get(
        "/api/v1/statistics/population/", {"yearFrom": 2024, "yearTo": 2015}
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "yearTo"


def test_an_unknown_country_code_is_a_field_error(users: dict[str, Any]) -> None:
    answer = client_for(users["statistician"]).get("/api/v1/statistics/population/", {"coo": "QQQ"})
    assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == "coo"


def test_an_officer_without_the_statistics_capability_finds_nothing(users: dict[str, Any]) -> None:
    assert client_for(users["officer"]).get("/api/v1/statistics/population/").status_code == 404


def test_presence_figures_leave_with_a_hidden_cell_for_every_small_count(
    users: dict[str, Any], db: Any
) -> None:
    from datetime import date

    from karvon.statistics.models import DataLoad, PresenceFigure, Source

    load = DataLoad.objects.create(source=Source.NATIONAL, loaded_at=timezone.now(), origin="test")
    counts = {"AFG": (40, 3, 12), "TJK": (25, 0, 30), "UZB": (60, 10, 2)}
    for coo, (asylum_seekers, refugees, overstayers) in counts.items():
        PresenceFigure.objects.create(
            load=load,
            source=Source.NATIONAL,
            year=2026,
            coo=coo,
            coa="KAZ",
            reference_date=date(2026, 11, 28),
            asylum_seekers=asylum_seekers,
            refugees=refugees,
            overstayers=overstayers,
            present=asylum_seekers + refugees + overstayers,
            registration_missed=1 if coo == "TJK" else 20,
        )
    answer = client_for(users["statistician"]).get(
        "/api/v1/statistics/presence/", {"coa": "KAZ", "coo_all": "true", "source": "national"}
    )
    rows = {row["coo_iso"]: row for row in answer.json()["items"]}
    assert rows["AFG"]["refugees"] is None and "refugees" in rows["AFG"]["suppressed"]
    assert rows["UZB"]["overstayers"] is None
    # Missed registrations are a separate column: its small cell takes another of the same column with it.
    assert rows["TJK"]["registration_missed"] is None
    assert sum(row["registration_missed"] is None for row in rows.values()) >= 2
    for row in rows.values():
        for measure in ("asylum_seekers", "refugees", "overstayers", "present", "registration_missed"):
            assert row[measure] is None or not 0 < row[measure] < 5
    sdmx = client_for(users["statistician"]).get(
        "/api/v1/statistics/presence/",
        {"coa": "KAZ", "coo_all": "true", "source": "national", "format": "sdmx-csv"},
    )
    assert sdmx.status_code == 200 and "OVERSTAYERS" in sdmx.content.decode().upper()
