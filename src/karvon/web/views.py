"""Home page and error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from karvon.accounts.selectors import user_overview
from karvon.web.access import access_required, request_context


@access_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"overview": user_overview(ctx=request_context(request))})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)
