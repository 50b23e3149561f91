"""The user's own API tokens: issue one, shown once."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from karvon.accounts.services import api_token_issue
from karvon.web.access import access_required, request_context


@access_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    ctx = request_context(request)
    issued = None
    if request.method == "POST":
        name = (request.POST.get("name") or "API").strip()[:100]
        issued = api_token_issue(
            user=ctx.user, name=name, now=ctx.now, valid_days=settings.KARVON_API_TOKEN_DAYS
        )
    return render(request, "accounts/tokens.html", {"issued": issued})
