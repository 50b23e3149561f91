"""Web-side access: the acting-user context from a request, and 404 for anything out of scope."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from karvon.accounts.access import AccessContext, UnableToAccess
from karvon.accounts.models import User
from karvon.web.client_address import client_address


def request_context(request: HttpRequest) -> AccessContext:
    ctx = getattr(request, "_karvon_ctx", None)
    if ctx is None:
        user = request.user
        assert isinstance(user, User)
        ctx = AccessContext(user=user, now=timezone.now(), ip_address=client_address(request))
        request._karvon_ctx = ctx  # type: ignore[attr-defined]
    return ctx


def access_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Logged in; and whatever the user may not see is simply not found (404, never 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except (UnableToAccess, ObjectDoesNotExist):
            raise Http404 from None

    return wrapper
