"""Procedures pages: each view parses input, makes one domain call and renders (or redirects)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karvon.accounts.access import require_capability
from karvon.accounts.roles import Capability
from karvon.cases import forms, selectors, services
from karvon.cases.contracts import UnableToTransitionStale
from karvon.cases.models import ApplicationType, ProcedureType, SharedData
from karvon.cases.services import DEFAULT_SHARED
from karvon.cases.workflow import (
    CARE_ARRANGEMENTS,
    CASE_KIND_LABELS,
    EXPLOITATION_TYPES,
    MEANS_OF_CONTROL,
    CaseKind,
)
from karvon.registry.contracts import FieldError, UnableToValidate
from karvon.web.access import access_required, request_context


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@access_required
def case_list(request: HttpRequest) -> HttpResponse:
    ctx = request_context(request)
    require_capability(ctx, Capability.CASE_VIEW)
    view = "overdue" if request.GET.get("view") == "overdue" else "mine"
    office = request.GET.get("office", "")
    work = selectors.case_work_list(
        ctx=ctx,
        overdue=view == "overdue",
        office_id=int(office) if office.isdigit() else None,
        page=_page_number(request),
    )
    context = {"page": work.page, "view": view, "office": office, "offices": work.offices}
    return render(request, "cases/case_list.html", context)


@access_required
def case_overview(request: HttpRequest) -> HttpResponse:
    ctx = request_context(request)
    require_capability(ctx, Capability.CASE_APPROVE)
    return render(request, "cases/overview.html", {"overview": selectors.supervisor_overview(ctx=ctx)})


def _case_page(
    request: HttpRequest, case_uuid: uuid.UUID, errors: list[FieldError] | None = None, status: int = 200
) -> HttpResponse:
    file = selectors.case_file(ctx=request_context(request), case_uuid=case_uuid)
    context: dict[str, Any] = {
        "file": file,
        "case": file.case,
        "errors": errors or [],
        "posted": request.POST if errors else {},
        "exploitation_types": EXPLOITATION_TYPES.items(),
        "means_of_control": MEANS_OF_CONTROL.items(),
        "care_arrangements": CARE_ARRANGEMENTS.items(),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@access_required
def case_detail(request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
    return _case_page(request, case_uuid)


@access_required
@require_POST
def case_step(request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
    ctx = request_context(request)
    try:
        outcome = services.case_transition(ctx=ctx, case_uuid=case_uuid, step=forms.step_input(request.POST))
    except UnableToValidate as exc:
        return _case_page(request, case_uuid, exc.errors, status=422)
    except UnableToTransitionStale as exc:
        messages.error(
            request,
            _(
                "Someone else (%(user)s) moved this case while you had it open; it is now at “%(state)s”. "
                "Nothing was saved: check and decide again."
            )
            % {"user": exc.moved_by, "state": exc.current_state},
        )
        return redirect("cases:case", case_uuid=case_uuid)
    if outcome.approval is not None:
        messages.info(request, _("The step waits for a supervisor's approval."))
    else:
        messages.success(request, _("Step recorded."))
    return redirect("cases:case", case_uuid=case_uuid)


@access_required
@require_POST
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    ctx = request_context(request)
    approve = request.POST.get("decision") == "approve"
    try:
        outcome = services.approval_decide(
            ctx=ctx, approval_id=approval_id, approve=approve, note=request.POST.get("note", "")
        )
    except UnableToValidate as exc:
        for error in exc.errors:
            messages.error(request, error.message)
        return redirect(request.POST.get("next") or "cases:overview")
    messages.success(
        request,
        _("Approved: the step is recorded.") if approve else _("Refused: the case stays where it was."),
    )
    return redirect("cases:case", case_uuid=outcome.case.uuid)


@access_required
@require_POST
def case_assign(request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
    user = request.POST.get("user_id", "")
    try:
        services.case_assign(
            ctx=request_context(request), case_uuid=case_uuid, user_id=int(user) if user.isdigit() else None
        )
    except UnableToValidate as exc:
        for error in exc.errors:
            messages.error(request, error.message)
    else:
        messages.success(request, _("Assignment saved."))
    return redirect("cases:case", case_uuid=case_uuid)


@access_required
def case_open(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    ctx = request_context(request)
    errors: list[FieldError] = []
    if request.method == "POST":
        try:
            case = services.case_open(ctx=ctx, data=forms.case_open_input(request.POST, person_uuid))
        except UnableToValidate as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
            return redirect("cases:case", case_uuid=case.uuid)
    form = selectors.case_open_form(ctx=ctx, person_uuid=person_uuid)
    context = {
        "form": form,
        "errors": errors,
        "posted": request.POST,
        "kinds": [(k.value, label) for k, label in CASE_KIND_LABELS.items()],
        "procedure_types": ProcedureType.choices,
        "application_types": ApplicationType.choices,
        "today": timezone.localdate(),
    }
    return render(request, "cases/case_open.html", context, status=422 if errors else 200)


@access_required
def calendar(request: HttpRequest) -> HttpResponse:
    ctx = request_context(request)
    require_capability(ctx, Capability.CASE_VIEW)
    office = request.GET.get("office", "")
    first_day = parse_date(request.GET.get("from", "") or "") or timezone.localdate()
    week = selectors.calendar_week(
        ctx=ctx, office_id=int(office) if office.isdigit() else None, first_day=first_day
    )
    days: dict[date, list[selectors.CalendarEntry]] = {first_day + timedelta(days=i): [] for i in range(7)}
    for entry in week.entries:
        days.setdefault(entry.local_start.date(), []).append(entry)
    context = {
        "days": days,
        "office_id": week.office_id,
        "offices": week.offices,
        "previous": first_day - timedelta(days=7),
        "next": first_day + timedelta(days=7),
        "first_day": first_day,
    }
    return render(request, "cases/calendar.html", context)


@access_required
def referral_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "cases/referral_list.html", {"boxes": selectors.referral_boxes(ctx=request_context(request))}
    )


@access_required
def referral_new(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    ctx = request_context(request)
    errors: list[FieldError] = []
    if request.method == "POST":
        try:
            referral = services.referral_send(ctx=ctx, data=forms.referral_input(request.POST, person_uuid))
        except UnableToValidate as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Referral sent."))
            return redirect("cases:referral", referral_uuid=referral.uuid)
    procedure = request.POST.get("procedure") or request.GET.get("procedure") or CaseKind.ASYLUM.value
    try:
        default_shared = [s.value if hasattr(s, "value") else s for s in DEFAULT_SHARED[CaseKind(procedure)]]
    except ValueError:
        default_shared = [SharedData.IDENTITY.value]
    context = {
        "form": selectors.referral_form(ctx=ctx, person_uuid=person_uuid),
        "person_uuid": person_uuid,
        "errors": errors,
        "posted": request.POST,
        "procedure": procedure,
        "kinds": [(k.value, label) for k, label in CASE_KIND_LABELS.items()],
        "shared_choices": SharedData.choices,
        "shared": request.POST.getlist("shared") if request.method == "POST" else default_shared,
    }
    return render(request, "cases/referral_new.html", context, status=422 if errors else 200)


@access_required
def referral_detail(request: HttpRequest, referral_uuid: uuid.UUID) -> HttpResponse:
    seen = selectors.referred_person(ctx=request_context(request), referral_uuid=referral_uuid)
    return render(
        request, "cases/referral_detail.html", {"seen": seen, "boxes_offices": seen.receiving_offices}
    )


@access_required
@require_POST
def referral_act(request: HttpRequest, referral_uuid: uuid.UUID) -> HttpResponse:
    ctx = request_context(request)
    action = request.POST.get("action")
    note = request.POST.get("note", "")
    try:
        if action == "accept":
            office = request.POST.get("office_id", "")
            referral = services.referral_accept(
                ctx=ctx,
                referral_uuid=referral_uuid,
                office_id=int(office) if office.isdigit() else 0,
                note=note,
            )
            if referral.case is not None:
                messages.success(
                    request,
                    _("Referral accepted: case %(reference)s opened.")
                    % {"reference": referral.case.reference},
                )
                return redirect("cases:case", case_uuid=referral.case.uuid)
        elif action == "decline":
            services.referral_decline(ctx=ctx, referral_uuid=referral_uuid, note=note)
            messages.success(request, _("Referral declined."))
        elif action == "revoke":
            services.referral_revoke(ctx=ctx, referral_uuid=referral_uuid, note=note)
            messages.success(request, _("Referral revoked."))
    except UnableToValidate as exc:
        for error in exc.errors:
            messages.error(request, error.message)
    return redirect("cases:referral", referral_uuid=referral_uuid)


@access_required
def person_panel(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    """The procedures of a person, as an HTMX fragment of the person's page."""
    procedures = selectors.person_procedures(ctx=request_context(request), person_uuid=person_uuid)
    return render(request, "cases/partials/person_panel.html", {"procedures": procedures})
