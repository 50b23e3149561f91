"""What every page needs: the user's capabilities for the navigation, the node's identity."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from karvon.accounts.access import has_capability
from karvon.accounts.models import User
from karvon.accounts.roles import Capability
from karvon.registry.codelists import country_name
from karvon.web.access import request_context


def karvon(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {
        "node_state": settings.KARVON_NODE_STATE,
        "node_state_name": country_name(settings.KARVON_NODE_STATE),
        "can": {},
    }
    if isinstance(getattr(request, "user", None), User) and request.user.is_authenticated:
        ctx = request_context(request)
        context["can"] = {
            capability.name.lower(): has_capability(ctx, capability) for capability in Capability
        }
    return context
