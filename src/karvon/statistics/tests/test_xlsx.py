"""XLSX downloads: the CSV's columns and disclosure control, numbers as numbers, and a sheet saying where from."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from karvon.accounts.services import api_token_issue
from karvon.statistics.contracts import StatisticsTable
from karvon.statistics.exports import table_xlsx
from karvon.statistics.models import DataLoad, PopulationFigure, Source

pytestmark = pytest.mark.usefixtures("unhcr_loaded")

FILTERS = {"coa": "KAZ", "coo_all": "true", "yearFrom": 2015, "yearTo": 2024}


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheets(body: bytes) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    workbook = load_workbook(io.BytesIO(body))
    data, about = workbook.worksheets
    return list(data.iter_rows(values_only=True)), list(about.iter_rows(values_only=True))


def test_the_xlsx_download_has_the_csvs_columns_and_cells_with_hidden_counts_blank(make_user: Any) -> None:
    client = logged_in(make_user("stan", "statistician", office=None))
    as_csv = list(
        csv.reader(io.StringIO(client.get("/statistics/download/population.csv", FILTERS).content.decode()))
    )
    answer = client.get("/statistics/download/population.xlsx", FILTERS)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    rows, _about = sheets(answer.content)
    assert list(rows[0]) == as_csv[0]
    assert len(rows) == len(as_csv) > 50
    suppressed_seen = 0
    for got, expected in zip(rows[1:], as_csv[1:], strict=True):
        assert ["" if value is None else str(value) for value in got] == expected
        record = dict(zip(rows[0], got, strict=True))
        assert isinstance(record["year"], int)
        for measure in (record["suppressed"] or "").split():
            assert record[measure] is None
            suppressed_seen += 1
        for measure in ("refugees", "asylum_seekers", "stateless", "oip", "ooc"):
            assert record[measure] is None or isinstance(record[measure], int)
            assert record[measure] is None or not 0 < record[measure] < 5
    assert suppressed_seen == 0  # UNHCR publishes no count of 1-4: its own files are already protected


@pytest.fixture
def national_small_counts(db: Any) -> None:
    """National figures of 2024 with small cells, which disclosure control must hide in every format."""
    load = DataLoad.objects.create(source=Source.NATIONAL, loaded_at=timezone.now(), origin="test")
    for coo, refugees, asylum_seekers in (("AFG", 3, 40), ("TJK", 12, 2), ("UZB", 25, 31)):
        PopulationFigure.objects.create(
            load=load,
            source=Source.NATIONAL,
            year=2024,
            coo=coo,
            coa="KAZ",
            refugees=refugees,
            asylum_seekers=asylum_seekers,
        )


@pytest.mark.usefixtures("national_small_counts")
def test_national_small_counts_are_blank_in_the_xlsx_exactly_as_in_the_csv(make_user: Any) -> None:
    client = logged_in(make_user("stan", "statistician", office=None))
    national = {**FILTERS, "source": "national"}
    as_csv = list(
        csv.reader(io.StringIO(client.get("/statistics/download/population.csv", national).content.decode()))
    )
    rows, _about = sheets(client.get("/statistics/download/population.xlsx", national).content)
    assert [["" if value is None else str(value) for value in row] for row in rows] == as_csv
    by_origin = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_origin["AFG"]["refugees"] is None and "refugees" in by_origin["AFG"]["suppressed"]
    assert by_origin["TJK"]["asylum_seekers"] is None
    assert all(
        value is None or not 0 < value < 5
        for record in by_origin.values()
        for value in (record["refugees"], record["asylum_seekers"])
    )


def test_the_second_sheet_names_the_source_the_licence_and_the_threshold(make_user: Any) -> None:
    answer = logged_in(make_user("stan", "statistician", office=None)).get(
        "/statistics/download/asylum_decisions.xlsx", {"coa": "KAZ", "yearFrom": 2015, "yearTo": 2024}
    )
    _rows, about = sheets(answer.content)
    values = dict((key, value) for key, value, *_rest in about)
    assert "UNHCR Refugee Population Statistics Database" in values["Source"]
    assert values["Licence"] == "CC BY 4.0" and values["Threshold"] == 5


def test_the_api_answers_xlsx_with_its_rates_as_numbers(make_user: Any) -> None:
    issued = api_token_issue(
        user=make_user("stan", "statistician", office=None), name="t", now=timezone.now(), valid_days=None
    )
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}").get(
        "/api/v1/statistics/asylum-decisions/",
        {"coa": "KAZ", "yearFrom": 2024, "yearTo": 2024, "format": "xlsx"},
    )
    assert answer.status_code == 200 and answer["Content-Disposition"].endswith('.xlsx"')
    rows, _about = sheets(answer.content)
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["refugee_recognition_rate"] == 17.5 and isinstance(record["rates_n"], int)


def test_text_that_looks_like_a_formula_stays_text() -> None:
    table = StatisticsTable(
        dataset="population",
        dimensions=("year", "coo_iso"),
        measures=("refugees",),
        rows=[{"year": 2024, "coo_iso": "XXX", "coo_name": "=HYPERLINK(1)", "refugees": 7, "suppressed": []}],
        source="national",
    )
    rows, _about = sheets(table_xlsx(table, threshold=5))
    workbook = load_workbook(io.BytesIO(table_xlsx(table, threshold=5)))
    assert rows[1][2] == "=HYPERLINK(1)" and workbook.worksheets[0]["C2"].data_type == "s"
