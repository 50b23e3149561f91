"""Presence pages: the person's panel (an htmx fragment or a page), present-now counts and the three lists."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karvon.accounts.access import AccessContext
from karvon.presence import selectors, services
from karvon.presence.contracts import PresenceFile, PresenceListQuery
from karvon.presence.forms import (
    AddressForm,
    ListFilterForm,
    MovementForm,
    PermitExtendForm,
    PermitForm,
    PermitRevokeForm,
    PresenceForm,
    StayForm,
)
from karvon.presence.models import Direction
from karvon.registry.contracts import UnableToValidate
from karvon.web.access import access_required, request_context


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _entry_choices(file: PresenceFile) -> list[tuple[Any, str]]:
    return [
        (
            m.pk,
            f"{m.crossed_on:%d.%m.%Y} · {m.crossing_point.name if m.crossing_point else m.crossing_point_name}",
        )
        for m in file.movements
        if m.direction == Direction.ENTRY
    ]


def _blank_forms(file: PresenceFile) -> dict[str, PresenceForm]:
    if not file.record_choices:
        return {}
    choices = file.record_choices
    return {
        "movement": MovementForm(prefix="mv", choices=choices, documents=file.documents),
        "stay": StayForm(prefix="st", choices=choices, entries=_entry_choices(file)),
        "permit": PermitForm(prefix="pm", choices=choices),
        "address": AddressForm(prefix="ad", choices=choices),
    }


def _render_panel(
    request: HttpRequest,
    file: PresenceFile,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
    fragment: bool | None = None,
) -> HttpResponse:
    fragment = _is_htmx(request) if fragment is None else fragment
    context: dict[str, Any] = {
        "file": file,
        "forms": _blank_forms(file),
        "bound": bound or {},
        "fragment": fragment,
        "extend_form": PermitExtendForm(prefix="px", choices=file.record_choices)
        if file.record_choices
        else None,
        "revoke_form": PermitRevokeForm(prefix="pr"),
    }
    if bound and bound.get("name") in context["forms"]:
        context["forms"][bound["name"]] = bound["form"]
    template = "presence/partials/panel.html" if fragment else "presence/person.html"
    # htmx swaps only 2xx answers: a form with errors comes back as 200 in a fragment, 422 on a full page.
    return render(request, template, context, status=200 if fragment else status)


@access_required
def person_panel(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    """The panel alone, for `hx-get` from the person page."""
    file = selectors.presence_file(ctx=request_context(request), person_uuid=person_uuid)
    return _render_panel(request, file, fragment=True)


@access_required
def person_presence(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    """The panel on a page of its own (without javascript, and after a form is posted without htmx)."""
    file = selectors.presence_file(ctx=request_context(request), person_uuid=person_uuid)
    return _render_panel(request, file)


def _after_save(request: HttpRequest, person_uuid: uuid.UUID, message: str) -> HttpResponse:
    messages.success(request, message)
    name = "presence:panel" if _is_htmx(request) else "presence:person"
    response = HttpResponseRedirect(reverse(name, kwargs={"person_uuid": person_uuid}))
    response.status_code = 303  # "see other": the answer to a POST is read with GET (htmx follows it too)
    return response


def _record(
    request: HttpRequest,
    person_uuid: uuid.UUID,
    name: str,
    make_form: Callable[[PresenceFile], PresenceForm],
    save: Callable[[AccessContext, PresenceForm, PresenceFile], object],
    message: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Validate the form, call the service, and answer the panel again (with the form's errors if any)."""
    ctx = request_context(request)
    file = selectors.presence_file(ctx=ctx, person_uuid=person_uuid)
    if not file.record_choices:
        raise Http404
    form = make_form(file)
    if form.is_valid():
        try:
            save(ctx, form, file)
            return _after_save(request, person_uuid, message)
        except UnableToValidate as exc:
            form.add_domain_errors(exc.errors)
    return _render_panel(request, file, bound={"name": name, "form": form, **(extra or {})}, status=422)


def _typed(form: forms.Form, kind: type[PresenceForm]) -> Any:
    assert isinstance(form, kind)
    return form


@access_required
@require_POST
def movement_new(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    return _record(
        request,
        person_uuid,
        "movement",
        lambda f: MovementForm(request.POST, prefix="mv", choices=f.record_choices, documents=f.documents),
        lambda ctx, form, f: services.movement_record(
            ctx=ctx, person_uuid=person_uuid, movement=_typed(form, MovementForm).to_input()
        ),
        _("The entry or exit was recorded."),
    )


@access_required
@require_POST
def stay_new(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    return _record(
        request,
        person_uuid,
        "stay",
        lambda f: StayForm(request.POST, prefix="st", choices=f.record_choices, entries=_entry_choices(f)),
        lambda ctx, form, f: services.stay_register(
            ctx=ctx, person_uuid=person_uuid, stay=_typed(form, StayForm).to_input()
        ),
        _("The stay was registered."),
    )


@access_required
@require_POST
def permit_new(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    return _record(
        request,
        person_uuid,
        "permit",
        lambda f: PermitForm(request.POST, prefix="pm", choices=f.record_choices),
        lambda ctx, form, f: services.permit_record(
            ctx=ctx, person_uuid=person_uuid, permit=_typed(form, PermitForm).to_input()
        ),
        _("The permit was recorded."),
    )


def _own_permit(file: PresenceFile, permit_id: int) -> None:
    # The permit must be one of this person's: the URL names both.
    if not any(p.pk == permit_id for p in file.permits):
        raise Http404


@access_required
@require_POST
def permit_extend(request: HttpRequest, person_uuid: uuid.UUID, permit_id: int) -> HttpResponse:
    def make(f: PresenceFile) -> PresenceForm:
        _own_permit(f, permit_id)
        return PermitExtendForm(request.POST, prefix="px", choices=f.record_choices)

    return _record(
        request,
        person_uuid,
        "extend",
        make,
        lambda ctx, form, f: services.permit_extend(
            ctx=ctx, permit_id=permit_id, extension=_typed(form, PermitExtendForm).to_input()
        ),
        _("The permit was extended."),
        extra={"permit_id": permit_id},
    )


@access_required
@require_POST
def permit_revoke(request: HttpRequest, person_uuid: uuid.UUID, permit_id: int) -> HttpResponse:
    def make(f: PresenceFile) -> PresenceForm:
        _own_permit(f, permit_id)
        return PermitRevokeForm(request.POST, prefix="pr")

    def save(ctx: AccessContext, form: PresenceForm, f: PresenceFile) -> object:
        return services.permit_revoke(
            ctx=ctx,
            permit_id=permit_id,
            revoked_on=form.cleaned_data["revoked_on"],
            reason=form.cleaned_data["reason"],
        )

    return _record(
        request,
        person_uuid,
        "revoke",
        make,
        save,
        _("The permit was revoked."),
        extra={"permit_id": permit_id},
    )


@access_required
@require_POST
def address_new(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    return _record(
        request,
        person_uuid,
        "address",
        lambda f: AddressForm(request.POST, prefix="ad", choices=f.record_choices),
        lambda ctx, form, f: services.address_record(
            ctx=ctx, person_uuid=person_uuid, address=_typed(form, AddressForm).to_input()
        ),
        _("The address was recorded; the previous one is kept in the history."),
    )


def _page_number(request: HttpRequest) -> int:
    page = request.GET.get("page", "1")
    return int(page) if page.isdigit() else 1


@access_required
def present_now(request: HttpRequest) -> HttpResponse:
    """For a supervisor: who is present now, under which status, and how many are on each list."""
    ctx = request_context(request)
    form = ListFilterForm(request.GET or None, offices=selectors.presence_offices(ctx=ctx))
    data = form.cleaned_data if form.is_valid() else {}
    counts = selectors.presence_counts(
        ctx=ctx, office_id=data.get("office"), within_days=data.get("days") or 7
    )
    return render(
        request,
        "presence/present_now.html",
        {"counts": counts, "form": form, "query": request.GET.urlencode()},
    )


def _list_page(request: HttpRequest, kind: str) -> HttpResponse:
    ctx = request_context(request)
    form = ListFilterForm(request.GET or None, offices=selectors.presence_offices(ctx=ctx))
    data = form.cleaned_data if form.is_valid() else {}
    days = data.get("days")
    result = selectors.presence_list(
        ctx=ctx,
        kind=kind,
        query=PresenceListQuery(
            office_id=data.get("office"), page=_page_number(request), within_days=7 if days is None else days
        ),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "presence/list.html",
        {"kind": kind, "result": result, "form": form, "query": query.urlencode()},
    )


@access_required
def missed_registrations(request: HttpRequest) -> HttpResponse:
    return _list_page(request, selectors.LIST_MISSED)


@access_required
def overstays(request: HttpRequest) -> HttpResponse:
    return _list_page(request, selectors.LIST_OVERSTAYS)


@access_required
def overstay_warnings(request: HttpRequest) -> HttpResponse:
    return _list_page(request, selectors.LIST_WARNINGS)
