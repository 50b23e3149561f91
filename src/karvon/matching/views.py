"""Duplicate review pages for supervisors: the queue, a pair side by side, merge, reject, undo."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karvon.matching import selectors, services
from karvon.matching.models import Band, CandidateStatus
from karvon.registry.contracts import UnableToValidate
from karvon.web.access import access_required, request_context


@access_required
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    status = status if status in CandidateStatus.values else "open"
    band = request.GET.get("band", "")
    band = band if band in Band.values else ""
    page = selectors.duplicate_queue_page(
        ctx=request_context(request), status=status, band=band, page_number=request.GET.get("page")
    )
    return render(
        request,
        "matching/queue.html",
        {
            "page": page,
            "status": status,
            "band": band,
            "statuses": CandidateStatus.choices,
            "bands": Band.choices,
        },
    )


@access_required
def pair(request: HttpRequest, candidate_id: int) -> HttpResponse:
    file = selectors.duplicate_pair(ctx=request_context(request), candidate_id=candidate_id)
    return render(request, "matching/pair.html", {"file": file})


@access_required
@require_POST
def decide(request: HttpRequest, candidate_id: int) -> HttpResponse:
    ctx = request_context(request)
    note = request.POST.get("note", "")
    try:
        if request.POST.get("decision") == "merge":
            merge = services.duplicate_merge(
                ctx=ctx,
                candidate_id=candidate_id,
                survivor_uuid=uuid.UUID(request.POST.get("survivor", "")),
                note=note,
            )
            messages.success(
                request,
                _("Merged. Every registration, spelling and document is kept; the merge can be undone."),
            )
            return redirect("registry:person", person_uuid=merge.survivor.uuid)
        services.duplicate_reject(ctx=ctx, candidate_id=candidate_id, note=note)
        messages.success(
            request, _("Recorded as two different people; this pair will not be proposed again.")
        )
    except UnableToValidate as exc:
        for error in exc.errors:
            messages.error(request, error.message)
        return redirect("matching:pair", candidate_id=candidate_id)
    except ValueError:  # no or a malformed survivor id
        messages.error(request, _("Choose the record to keep."))
        return redirect("matching:pair", candidate_id=candidate_id)
    return redirect("matching:queue")


@access_required
def merges(request: HttpRequest) -> HttpResponse:
    page = selectors.merge_list_page(ctx=request_context(request), page_number=request.GET.get("page"))
    return render(request, "matching/merges.html", {"page": page})


@access_required
@require_POST
def undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    try:
        merge = services.merge_undo(ctx=request_context(request), merge_id=merge_id)
    except UnableToValidate as exc:
        for error in exc.errors:
            messages.error(request, error.message)
        return redirect("matching:merges")
    messages.success(request, _("The merge was undone: both records are back as they were."))
    return redirect("registry:person", person_uuid=merge.merged.uuid)
