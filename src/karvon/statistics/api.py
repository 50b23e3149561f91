"""Statistics endpoints under /api/v1/statistics/, with the UNHCR population API's parameters and field names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from karvon.api import api_context
from karvon.statistics import selectors
from karvon.statistics.contracts import ATTRIBUTION, LICENCE, RateRow, StatisticsQuery, StatisticsTable
from karvon.statistics.exports import (
    XLSX_CONTENT_TYPE,
    data_structure_definition,
    table_csv,
    table_sdmx_csv,
    table_xlsx,
)
from karvon.statistics.rates import DecisionCounts, rates_of
from karvon.statistics.report import meeting_report_pdf

router = Router(tags=["statistics"])

Dataset = Literal[
    "population",
    "asylum-applications",
    "asylum-decisions",
    "demographics",
    "solutions",
    "flows",
    "presence",
    "specific-needs",
    "movements",
]


class StatisticsParams(Schema):
    coo: str = Field("", description="Countries of origin, ISO 3166 alpha-3, comma-separated")
    coa: str = Field("", description="Countries of asylum, ISO 3166 alpha-3, comma-separated")
    yearFrom: int | None = Field(None, description="First year")
    yearTo: int | None = Field(None, description="Last year")
    coo_all: bool = Field(False, description="One row per country of origin")
    coa_all: bool = Field(False, description="One row per country of asylum")
    source: Literal["unhcr", "national"] = "unhcr"
    format: Literal["json", "csv", "sdmx-csv", "xlsx"] = "json"
    first_instance: bool = Field(False, description="Rates from first-instance decisions only")

    def query(self) -> StatisticsQuery:
        return StatisticsQuery(
            source=self.source,
            coo=_codes(self.coo),
            coa=_codes(self.coa),
            year_from=self.yearFrom,
            year_to=self.yearTo,
            coo_all=self.coo_all,
            coa_all=self.coa_all,
            first_instance_only=self.first_instance,
        )


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in text.split(",") if code.strip())


def _rate(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _download(body: str | bytes, *, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _with_rates(table: StatisticsTable) -> None:
    """Each decisions row is in one unit (dec_pc), so its rates come straight from its own summed counts."""
    small_below = selectors.small_denominator()
    for row in table.rows:
        parts = (row["dec_recognized"], row["dec_other"], row["dec_rejected"])
        if any(part is None for part in parts):
            row.update(
                refugee_recognition_rate=None,
                total_protection_rate=None,
                rates_n=None,
                small_denominator=None,
            )
            continue
        rates = rates_of(
            DecisionCounts(*parts, row["dec_closed"] or 0), unit=row["dec_pc"], small_below=small_below
        )
        row.update(
            refugee_recognition_rate=_rate(rates.refugee_recognition_rate),
            total_protection_rate=_rate(rates.total_protection_rate),
            rates_n=rates.n,
            small_denominator=rates.small_denominator,
        )


def _answer(table: StatisticsTable, fmt: str) -> HttpResponse | dict[str, Any]:
    name = f"{table.dataset}-{table.source}"
    if fmt == "csv":
        return _download(table_csv(table), content_type="text/csv; charset=utf-8", file_name=f"{name}.csv")
    if fmt == "sdmx-csv":
        return _download(
            table_sdmx_csv(table),
            content_type="application/vnd.sdmx.data+csv; version=2.0.0",
            file_name=f"{name}.sdmx.csv",
        )
    if fmt == "xlsx":
        return _download(
            table_xlsx(
                table, threshold=selectors.disclosure_threshold(), method=selectors.disclosure_method()
            ),
            content_type=XLSX_CONTENT_TYPE,
            file_name=f"{name}.xlsx",
        )
    return {
        "page": 1,
        "maxPages": 1,
        "total": len(table.rows),
        "items": table.rows,
        "source": table.source,
        "attribution": ATTRIBUTION if table.source == "unhcr" else "",
        "licence": LICENCE,
        "notes": table.notes,
    }


@router.get(
    "/recognition-rates/", summary="Refugee recognition and total protection rates, as UNHCR computes them"
)
def recognition_rates(request: HttpRequest, params: Query[StatisticsParams]) -> dict[str, Any]:
    rows: list[RateRow] = selectors.recognition_rates(api_context(request), query=params.query())
    return {
        "total": len(rows),
        "source": params.source,
        "attribution": ATTRIBUTION if params.source == "unhcr" else "",
        "items": [
            {
                **row.__dict__,
                "refugee_recognition_rate": _rate(row.refugee_recognition_rate),
                "total_protection_rate": _rate(row.total_protection_rate),
                "dec_pc": row.unit,
            }
            for row in rows
        ],
    }


@router.get("/dsd/{dataset}/", summary="SDMX data structure definition of a dataset's SDMX-CSV download")
def structure(request: HttpRequest, dataset: Dataset) -> HttpResponse:
    name = dataset.replace("-", "_")
    table = selectors.statistics_table(
        api_context(request), dataset=name, query=StatisticsQuery(coo_all=True, coa_all=True, year_from=2100)
    )
    return HttpResponse(
        data_structure_definition(name, table.dimensions, table.measures), content_type="application/xml"
    )


class ReportParams(Schema):
    year: int = Field(..., description="The year of the report")
    source: Literal["unhcr", "national"] = Field("unhcr", description="Source of origins and sex and age")


@router.get("/report/", summary="The printable meeting report (PDF) of one year for the node's state")
def report(request: HttpRequest, params: Query[ReportParams]) -> HttpResponse:
    data = selectors.statistics_report(api_context(request), year=params.year, source=params.source)
    return _download(
        meeting_report_pdf(data, year=params.year),
        content_type="application/pdf",
        file_name=f"statistics-{data.state}-{params.year}.pdf",
    )


@router.get("/{dataset}/", summary="A UNHCR dataset, national or UNHCR's, after disclosure control")
def dataset_rows(
    request: HttpRequest, dataset: Dataset, params: Query[StatisticsParams]
) -> HttpResponse | dict[str, Any]:
    name = dataset.replace("-", "_")
    table = selectors.statistics_table(api_context(request), dataset=name, query=params.query())
    if name == "asylum_decisions":
        _with_rates(table)
        table = StatisticsTable(
            **{
                **table.__dict__,
                "measures": (*table.measures, "refugee_recognition_rate", "total_protection_rate", "rates_n"),
            }
        )
    return _answer(table, params.format)
