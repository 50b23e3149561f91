"""Audit pages: search the trail and export it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from karvon.audit.forms import AuditFilterForm
from karvon.audit.selectors import audit_event_export_rows, audit_event_search
from karvon.web.access import access_required, request_context


@access_required
def audit_event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = audit_event_search(ctx=request_context(request), filters=form.to_filter()).order_by("-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/events.html", {"form": form, "page": page})


@access_required
def audit_event_export(request: HttpRequest) -> StreamingHttpResponse:
    form = AuditFilterForm(request.GET or None)
    rows = audit_event_export_rows(ctx=request_context(request), filters=form.to_filter())
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="karvon-audit.csv"'
    return response
