"""Reads of the audit trail: its search and export for data protection officers, and the counts throttles take."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet

from karvon.accounts.access import AccessContext, require_capability
from karvon.accounts.roles import Capability
from karvon.audit.models import AuditEvent
from karvon.audit.services import audit_record


def audit_recent_count(*, action: str, since: datetime, **match: object) -> int:
    """How many `action` events after `since` match `match` (field lookups): what a throttle counts. The two
    throttles' lookups are served by AuditEvent's partial indexes (failed sign-ins by name and by address,
    certificate checks by address); another lookup would read the `action` index."""
    return AuditEvent.objects.filter(action=action, occurred_at__gt=since, **match).count()


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    person_uuid: uuid.UUID | None = None
    object_id: str = ""
    from_date: date | None = None
    to_date: date | None = None


def _filtered(filters: AuditFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if filters.actor:
        events = events.filter(actor_username__iexact=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.person_uuid:
        events = events.filter(person_uuid=filters.person_uuid)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.from_date:
        events = events.filter(occurred_at__gte=datetime.combine(filters.from_date, time.min).astimezone())
    if filters.to_date:
        end = datetime.combine(filters.to_date + timedelta(days=1), time.min).astimezone()
        events = events.filter(occurred_at__lt=end)
    return events


def audit_event_search(*, ctx: AccessContext, filters: AuditFilter) -> QuerySet[AuditEvent]:
    require_capability(ctx, Capability.AUDIT_VIEW)
    return _filtered(filters)


EXPORT_COLUMNS = (
    "occurred_at",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "person_uuid",
    "ip_address",
    "changes",
)


def audit_event_export_rows(*, ctx: AccessContext, filters: AuditFilter) -> Iterator[str]:
    """CSV lines of the filtered trail; access is checked and the export audited before the first line."""
    require_capability(ctx, Capability.AUDIT_VIEW)
    audit_record(
        actor=ctx.user,
        action="audit.export",
        object_type="audit_event",
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        changes={k: str(v) for k, v in filters.__dict__.items() if v},
    )
    return _csv_lines(filters)


def _csv_lines(filters: AuditFilter) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    yield _drain(buffer)
    for event in _filtered(filters).order_by("occurred_at", "id").iterator(chunk_size=2000):
        writer.writerow(
            [
                event.occurred_at.isoformat(),
                event.actor_username,
                event.action,
                event.object_type,
                event.object_id,
                event.person_uuid or "",
                event.ip_address or "",
                event.changes,
            ]
        )
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    value = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return value
