"""Statistics pages: the dashboard of national and UNHCR figures side by side, and the downloads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from karvon.registry.contracts import UnableToValidate
from karvon.statistics import selectors
from karvon.statistics.contracts import StatisticsQuery
from karvon.statistics.exports import table_csv, table_sdmx_csv
from karvon.web.access import access_required, request_context

DOWNLOADABLE = {"population", "asylum_decisions", "asylum_applications", "demographics", "solutions", "flows"}


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
        {"data": data, "params": request.GET, "query_string": request.GET.urlencode()},
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
    body, content_type, suffix = (
        (table_sdmx_csv(table), "application/vnd.sdmx.data+csv; version=2.0.0", "sdmx.csv")
        if fmt == "sdmx-csv"
        else (table_csv(table), "text/csv; charset=utf-8", "csv")
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{dataset}-{table.source}.{suffix}"'
    return response
