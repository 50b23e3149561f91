"""Presence fixtures: a registered Tajik worker and helpers that record through the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from karvon.presence import services
from karvon.presence.contracts import AddressInput, MovementInput, PermitInput, StayInput


@pytest.fixture
def worker(users: dict[str, Any], register: Callable[..., Any]) -> Any:
    """Farrukh Saidov, TJK, born 12.03.1990, registered in Almaty by alice on 20.11.2026."""
    return register(users["officer"])


@pytest.fixture
def entry_of(node: dict[str, Any], ctx_for: Callable[..., Any], users: dict[str, Any]) -> Callable[..., Any]:
    def record(
        person: Any,
        on: date,
        *,
        user: Any = None,
        direction: str = "entry",
        now: Any = None,
        **overrides: Any,
    ) -> Any:
        values: dict[str, Any] = {
            "direction": direction,
            "crossed_on": on,
            "office_id": node["almaty"].pk,
            "crossing_point_id": node["bcp"].pk,
            "purpose": "work" if direction == "entry" else "",
        }
        values.update(overrides)
        if "document_id" not in values:
            document = person.documents.first()
            values["document_id"] = document.pk if document else None
        return services.movement_record(
            ctx=ctx_for(user or users["officer"], *([now] if now else [])),
            person_uuid=person.uuid,
            movement=MovementInput(**values),
        )

    return record


@pytest.fixture
def stay_of(node: dict[str, Any], ctx_for: Callable[..., Any], users: dict[str, Any]) -> Callable[..., Any]:
    def record(person: Any, entry: Any, on: date, until: date, **overrides: Any) -> Any:
        values: dict[str, Any] = {
            "entry_id": entry.pk,
            "registered_on": on,
            "address": "ул. Абая 10, кв. 5",
            "region": "KZ-75",
            "registered_until": until,
            "office_id": node["almaty"].pk,
            "host": "ТОО Курылыс",
        }
        values.update(overrides)
        return services.stay_register(
            ctx=ctx_for(users["officer"]), person_uuid=person.uuid, stay=StayInput(**values)
        )

    return record


@pytest.fixture
def permit_of(node: dict[str, Any], ctx_for: Callable[..., Any], users: dict[str, Any]) -> Callable[..., Any]:
    def record(person: Any, valid_from: date, valid_until: date | None, **overrides: Any) -> Any:
        values: dict[str, Any] = {
            "permit_type": "work_permit",
            "number": "WP-0001",
            "valid_from": valid_from,
            "valid_until": valid_until,
            "office_id": node["almaty"].pk,
        }
        values.update(overrides)
        return services.permit_record(
            ctx=ctx_for(users["officer"]), person_uuid=person.uuid, permit=PermitInput(**values)
        )

    return record


@pytest.fixture
def address_of(
    node: dict[str, Any], ctx_for: Callable[..., Any], users: dict[str, Any]
) -> Callable[..., Any]:
    def record(
        person: Any, lived_from: date, address: str = "мкр. Самал-2, 33", region: str = "KZ-75"
    ) -> Any:
        return services.address_record(
            ctx=ctx_for(users["officer"]),
            person_uuid=person.uuid,
            address=AddressInput(
                address=address, region=region, lived_from=lived_from, office_id=node["almaty"].pk
            ),
        )

    return record
