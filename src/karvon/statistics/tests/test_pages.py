"""The statisticians' page: national and UNHCR figures side by side, filters in the URL, no person in sight."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.usefixtures("unhcr_loaded")


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_statistician_sees_kazakhstans_rates_with_their_n(make_user: Any) -> None:
    page = logged_in(make_user("stan", "statistician", office=None)).get(
        "/statistics/", {"yearFrom": 2015, "yearTo": 2024}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "17.5 %" in text and "343" in text
    assert "UNHCR Refugee Population Statistics Database" in text


def test_the_sdmx_download_keeps_the_filters_of_the_page(make_user: Any) -> None:
    answer = logged_in(make_user("stan", "statistician", office=None)).get(
        "/statistics/download/asylum_decisions.sdmx-csv", {"coa": "KAZ", "yearFrom": 2015, "yearTo": 2024}
    )
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert {row["TIME_PERIOD"] for row in rows} == {str(year) for year in range(2015, 2025)}


def test_an_officer_finds_no_statistics_page(make_user: Any) -> None:
    assert logged_in(make_user("alice", "registration_officer")).get("/statistics/").status_code == 404


def test_the_dashboard_shows_presence_and_specific_needs_after_a_refresh(register: Any, users: Any) -> None:
    from datetime import UTC, datetime

    from karvon.statistics.services import national_figures_refresh

    for _ in range(6):
        register(users["officer"], nationalities=("AFG",))
    national_figures_refresh(reference_date=datetime.now(UTC).date(), now=datetime.now(UTC))
    page = logged_in(users["statistician"]).get("/statistics/")
    text = page.content.decode()
    assert 'id="presence"' in text and "No entry recorded" in text and "6" in text
    assert 'id="chart-presence"' in text and 'id="chart-movements"' in text
    assert "Counts from 1 to 4 are hidden" in text


def test_with_rounding_the_dashboard_says_so(make_user: Any, settings: Any) -> None:
    settings.KARVON_STATISTICS_DISCLOSURE = "round"
    page = logged_in(make_user("stan", "statistician", office=None)).get("/statistics/")
    assert "rounded to a multiple of 5" in page.content.decode()
