"""The one way to write an audit event; called inside the transaction of the change it records."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from karvon.accounts.models import User
from karvon.audit.models import AuditEvent


def _event(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: str,
    occurred_at: datetime,
    person_uuid: uuid.UUID | None,
    ip_address: str | None,
    changes: Mapping[str, Any] | None,
    claimed_username: str = "",
) -> AuditEvent:
    return AuditEvent(
        occurred_at=occurred_at,
        actor=actor,
        actor_username=actor.get_username() if actor else claimed_username[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_uuid=person_uuid,
        ip_address=ip_address,
        changes=dict(changes or {}),
    )


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: str = "",
    occurred_at: datetime,
    person_uuid: uuid.UUID | None = None,
    ip_address: str | None = None,
    changes: Mapping[str, Any] | None = None,
    claimed_username: str = "",
) -> AuditEvent:
    """Write one event. `claimed_username` is the name typed by someone not signed in (a failed sign-in), kept as
    the event's "who" when there is no `actor`."""
    event = _event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        occurred_at=occurred_at,
        person_uuid=person_uuid,
        ip_address=ip_address,
        changes=changes,
        claimed_username=claimed_username,
    )
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class AuditEntry:
    """One event of a change that writes several at once (see `audit_record_all`)."""

    action: str
    object_type: str
    object_id: str = ""
    person_uuid: uuid.UUID | None = None
    changes: Mapping[str, Any] | None = None


def audit_events(
    *, actor: User | None, occurred_at: datetime, ip_address: str | None, entries: Iterable[AuditEntry]
) -> list[AuditEvent]:
    """The events of one change by one actor, not yet saved: for a service that writes them in one statement
    with the rows of the change itself (inside its transaction, as always)."""
    return [
        _event(
            actor=actor,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            occurred_at=occurred_at,
            person_uuid=entry.person_uuid,
            ip_address=ip_address,
            changes=entry.changes,
        )
        for entry in entries
    ]


def audit_record_all(
    *, actor: User | None, occurred_at: datetime, ip_address: str | None, entries: Iterable[AuditEntry]
) -> list[AuditEvent]:
    """Several events of one change by one actor, in one INSERT, in the order given (the order of their ids)."""
    return AuditEvent.objects.bulk_create(
        audit_events(actor=actor, occurred_at=occurred_at, ip_address=ip_address, entries=entries)
    )


def audit_record_reads(
    *,
    actor: User,
    action: str,
    person_uuids: Iterable[uuid.UUID],
    occurred_at: datetime,
    ip_address: str | None,
    details: Mapping[str, Any],
) -> None:
    """One event per person shown in a list or search result: each person's file answers who saw them.

    On PostgreSQL the events are one INSERT of one row per person, the people's ids passed as one array and
    the rest once (a search writes 25 events per request); elsewhere through the ORM. Either way the statement
    is atomic, and the rows are those `bulk_create` would write, in the order given.
    """
    people = list(person_uuids)
    if not people:
        return
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(
            [
                _event(
                    actor=actor,
                    action=action,
                    object_type="person",
                    object_id=str(person_uuid),
                    occurred_at=occurred_at,
                    person_uuid=person_uuid,
                    ip_address=ip_address,
                    changes=details,
                )
                for person_uuid in people
            ]
        )
        return
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (occurred_at, actor_id, actor_username, action, object_type, object_id,"  # noqa: S608
            " person_uuid, ip_address, changes)"
            " SELECT %s, %s, %s, %s, 'person', shown.person_uuid::text, shown.person_uuid, %s::inet, %s::jsonb"
            " FROM unnest(%s::uuid[]) WITH ORDINALITY AS shown (person_uuid, position) ORDER BY shown.position",
            [
                occurred_at,
                actor.pk,
                actor.get_username(),
                action,
                ip_address,
                json.dumps(dict(details)),
                people,
            ],
        )
