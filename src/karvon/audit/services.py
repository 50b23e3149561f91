"""The one way to write an audit event; called inside the transaction of the change it records."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from karvon.accounts.models import User
from karvon.audit.models import AuditEvent


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
) -> AuditEvent:
    return AuditEvent.objects.create(
        occurred_at=occurred_at,
        actor=actor,
        actor_username=actor.get_username() if actor else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_uuid=person_uuid,
        ip_address=ip_address,
        changes=dict(changes or {}),
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
    """One event per person shown in a list or search result: each person's file answers who saw them."""
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                occurred_at=occurred_at,
                actor=actor,
                actor_username=actor.get_username(),
                action=action,
                object_type="person",
                object_id=str(person_uuid),
                person_uuid=person_uuid,
                ip_address=ip_address,
                changes=dict(details),
            )
            for person_uuid in person_uuids
        ]
    )
