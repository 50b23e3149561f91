"""The REST API under /api/v1/: bearer-token auth, field-specific errors, OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from karvon.accounts.access import AccessContext, UnableToAccess
from karvon.accounts.models import User
from karvon.accounts.services import api_token_authenticate
from karvon.registry.contracts import UnableToSaveStaleEdit, UnableToValidate
from karvon.web.client_address import client_address


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return api_token_authenticate(secret=token, now=timezone.now())


api = NinjaAPI(
    title="Karvon API",
    version="1",
    description=(
        "National node registry of the Almaty Process states. "
        "Authenticate with `Authorization: Bearer <token>`."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)


def api_context(request: HttpRequest) -> AccessContext:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return AccessContext(user=user, now=timezone.now(), ip_address=client_address(request))


# Pydantic's English messages become the user's language here, keyed by pydantic's error type.
def _pydantic_message(error: dict[str, Any]) -> tuple[str, str]:
    kind = str(error.get("type", "invalid"))
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "date_from_datetime_parsing": _("Enter a real date as YYYY-MM-DD."),
        "date_parsing": _("Enter a real date as YYYY-MM-DD."),
        "date_type": _("Enter a real date as YYYY-MM-DD."),
        "string_type": _("Enter text."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "bool_parsing": _("Enter true or false."),
        "list_type": _("Enter a list."),
        "model_attributes_type": _("Enter an object."),
        "dict_type": _("Enter an object."),
        "json_invalid": _("The request body is not valid JSON."),
        "uuid_parsing": _("Enter a valid identifier."),
        "extra_forbidden": _("This field is not known."),
        "literal_error": _("Choose one of: %(expected)s.") % {"expected": ctx.get("expected", "")},
        "enum": _("Choose one of: %(expected)s.") % {"expected": ctx.get("expected", "")},
        "string_too_long": _("At most %(max)s characters.") % {"max": ctx.get("max_length", "")},
        "string_too_short": _("At least %(min)s characters.") % {"min": ctx.get("min_length", "")},
        "too_long": _("At most %(max)s items.") % {"max": ctx.get("max_length", "")},
        "too_short": _("At least %(min)s items.") % {"min": ctx.get("min_length", "")},
    }
    return kind, str(messages.get(kind, error.get("msg", _("This value is not valid."))))


def _field_path(loc: list[Any]) -> str:
    parts = [str(p) for p in loc]
    # ninja prefixes body errors with ("body", "<parameter name>").
    if parts[:1] == ["body"]:
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts[:1] in (["query"], ["path"]):
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = []
    for error in exc.errors:
        code, message = _pydantic_message(error)
        detail.append({"field": _field_path(list(error.get("loc", []))), "code": code, "message": message})
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(UnableToValidate)
def on_domain_validation(request: HttpRequest, exc: UnableToValidate) -> HttpResponse:
    detail = [{"field": e.field, "code": e.code, "message": e.message} for e in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(UnableToSaveStaleEdit)
def on_stale_edit(request: HttpRequest, exc: UnableToSaveStaleEdit) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _(
                "Someone else saved this person after you opened it. Nothing was saved; "
                "reload, check their changes and apply yours again."
            ),
            "current_version": exc.current_version,
            "changes": [c.__dict__ for c in exc.changes],
        },
        status=409,
    )


@api.exception_handler(UnableToAccess)
def on_no_access(request: HttpRequest, exc: UnableToAccess) -> HttpResponse:
    # 404, never 403: a user must not learn that a record they may not see exists.
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ObjectDoesNotExist)
def on_not_found(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("A valid API token is required.")}, status=401)


def _register_routers() -> None:
    from karvon.audit.api import router as audit_router
    from karvon.cases.api import router as cases_router
    from karvon.certificates.api import router as certificates_router
    from karvon.presence.api import router as presence_router
    from karvon.registry.api import router as registry_router
    from karvon.statistics.api import router as statistics_router

    api.add_router("/", registry_router)
    api.add_router("/audit/", audit_router)
    api.add_router("/", cases_router)
    api.add_router("/certificates/", certificates_router)
    api.add_router("/presence/", presence_router)
    api.add_router("/statistics/", statistics_router)


_register_routers()
