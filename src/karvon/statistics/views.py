"""Statistics pages: the dashboard of national and UNHCR figures side by side, and the downloads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from karvon.registry.contracts import UnableToValidate
from karvon.statistics import selectors
from karvon.statistics.charts import dashboard_charts
from karvon.statistics.contracts import StatisticsQuery
from karvon.statistics.exports import XLSX_CONTENT_TYPE, table_csv, table_sdmx_csv, table_xlsx
from karvon.statistics.report import meeting_report_pdf
from karvon.web.access import access_required, request_context

DOWNLOADABLE = {
    "population",
    "asylum_decisions",
    "asylum_applications",
    "demographics",
    "solutions",
    "flows",
    "presence",
    "specific_needs",
    "movements",
}
FORMATS = (("csv", "CSV"), ("xlsx", "XLSX"), ("sdmx-csv", "SDMX-CSV 2.0"))


def _datasets() -> list[tuple[str, str, bool]]:
    """(dataset, label, national only): UNHCR publishes no presence or specific-needs figures."""
    return [
        ("population", _("Population by type"), False),
        ("asylum_applications", _("Asylum applications"), False),
        ("asylum_decisions", _("Asylum decisions"), False),
        ("demographics", _("Sex and age"), False),
        ("solutions", _("Solutions"), False),
        ("flows", _("Flows"), False),
        ("presence", _("Presence by status"), True),
        ("specific_needs", _("Specific needs"), True),
        ("movements", _("Arrivals, entries and exits"), True),
    ]


def _year(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def _query(request: HttpRequest) -> StatisticsQuery:
    """The filters live in the URL, with the UNHCR API's names, so that a view can be bookmarked and shared."""
    return StatisticsQuery(
        source=request.GET.get("source", "unhcr") or "unhcr",
        coo=tuple(code.strip().upper() for code in request.GET.get("coo", "").split(",") if code.strip()),
        coa=tuple(code.strip().upper() for code in request.GET.get("coa", "").split(",") if code.strip()),
        year_from=_year(request.GET.get("yearFrom")),
        year_to=_year(request.GET.get("yearTo")),
        coo_all=request.GET.get("coo_all") == "true",
    )


@access_required
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        data = selectors.statistics_dashboard(request_context(request), query=_query(request))
    except UnableToValidate as error:
        return render(
            request, "statistics/dashboard.html", {"errors": error.errors, "params": request.GET}, status=400
        )
    return render(
        request,
        "statistics/dashboard.html",
        {
            "data": data,
            "charts": dashboard_charts(data),
            "formats": FORMATS,
            "datasets": _datasets(),
            "sources": ("unhcr", "national"),
            "report_year": data.query.year_to,
            "params": request.GET,
            "query_string": request.GET.urlencode(),
        },
    )


@access_required
def download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    if dataset not in DOWNLOADABLE:
        return HttpResponse(status=404)
    try:
        table = selectors.statistics_table(request_context(request), dataset=dataset, query=_query(request))
    except UnableToValidate as error:
        return HttpResponse(
            "\n".join(f"{e.field}: {e.message}" for e in error.errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    body: str | bytes
    if fmt == "sdmx-csv":
        body, content_type, suffix = (
            table_sdmx_csv(table),
            "application/vnd.sdmx.data+csv; version=2.0.0",
            "sdmx.csv",
        )
    elif fmt == "xlsx":
        body, content_type, suffix = (
            table_xlsx(
                table, threshold=selectors.disclosure_threshold(), method=selectors.disclosure_method()
            ),
            XLSX_CONTENT_TYPE,
            "xlsx",
        )
    else:
        body, content_type, suffix = table_csv(table), "text/csv; charset=utf-8", "csv"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{dataset}-{table.source}.{suffix}"'
    return response


@access_required
def report(request: HttpRequest) -> HttpResponse:
    """The printable meeting report of one year (default: the last full year) for the node's state."""
    year = _year(request.GET.get("year")) or request_context(request).today.year - 1
    try:
        data = selectors.statistics_report(
            request_context(request), year=year, source=request.GET.get("source", "unhcr") or "unhcr"
        )
    except UnableToValidate as error:
        return HttpResponse(
            "\n".join(f"{e.field}: {e.message}" for e in error.errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(meeting_report_pdf(data, year=year), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="statistics-{data.state}-{year}.pdf"'
    return response
