"""Audit endpoints for data protection officers: search and CSV export of the trail."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router, Schema

from karvon.api import api_context
from karvon.audit.selectors import AuditFilter, audit_event_export_rows, audit_event_search

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    actor_username: str
    action: str
    object_type: str
    object_id: str
    person_uuid: uuid.UUID | None
    ip_address: str | None
    changes: dict[str, Any]


class AuditPageOut(Schema):
    results: list[AuditEventOut]
    next_before_id: int | None


def _filters(
    actor: str,
    action: str,
    person: uuid.UUID | None,
    object_id: str,
    from_date: date | None,
    to_date: date | None,
) -> AuditFilter:
    return AuditFilter(
        actor=actor,
        action=action,
        person_uuid=person,
        object_id=object_id,
        from_date=from_date,
        to_date=to_date,
    )


@router.get(
    "/events", response=AuditPageOut, summary="Search the audit trail (newest first, keyset-paginated)"
)
def audit_events(
    request: HttpRequest,
    actor: str = "",
    action: str = "",
    person: uuid.UUID | None = None,
    object_id: str = "",
    from_date: date | None = None,
    to_date: date | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> AuditPageOut:
    events = audit_event_search(
        ctx=api_context(request), filters=_filters(actor, action, person, object_id, from_date, to_date)
    )
    if before_id is not None:
        events = events.filter(id__lt=before_id)
    limit = max(1, min(limit, 1000))
    rows = list(events.order_by("-id")[: limit + 1])
    return AuditPageOut(
        results=[AuditEventOut.model_validate(e, from_attributes=True) for e in rows[:limit]],
        next_before_id=rows[limit - 1].id if len(rows) > limit else None,
    )


@router.get("/events.csv", summary="Export the filtered audit trail as CSV")
def audit_events_csv(
    request: HttpRequest,
    actor: str = "",
    action: str = "",
    person: uuid.UUID | None = None,
    object_id: str = "",
    from_date: date | None = None,
    to_date: date | None = None,
) -> StreamingHttpResponse:
    rows = audit_event_export_rows(
        ctx=api_context(request), filters=_filters(actor, action, person, object_id, from_date, to_date)
    )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="karvon-audit.csv"'
    return response
