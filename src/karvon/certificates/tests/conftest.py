"""Fixtures of the certificate tests: a registered person, cases and appointments made through the models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from karvon.cases.models import Appointment, Case, CaseMember

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
def person(users: dict[str, Any], register: Callable[..., Any]) -> Any:
    """Фаррух Саидов, registered in Almaty by alice, with a Dari spelling of his name."""
    from karvon.registry.contracts import NameInput

    # The root fixture's spellings (its `register` defaults), plus the Dari ones.
    names = (
        NameInput("given", "Фаррух", "Cyrl"),
        NameInput("family", "Саидов", "Cyrl"),
        NameInput("patronymic", "Рустамович", "Cyrl"),
        NameInput("family", "SAIDOV", "Latn", "document"),
        NameInput("family", "سعیدوف", "Arab"),
        NameInput("given", "فرخ", "Arab"),
    )
    return register(users["officer"], names=names)


@pytest.fixture
def make_case(node: dict[str, Any], users: dict[str, Any]) -> Callable[..., Case]:
    """An asylum case at a given stage, created directly: the procedures' services are not what is tested here."""
    counter = iter(range(1, 1000))

    def make(
        person: Any, state: str = "registered", office: str = "almaty", kind: str = "asylum", **extra: Any
    ) -> Case:
        number = next(counter)
        return Case.objects.create(
            reference=f"KAZ-ASY-2026-{number:05d}",
            kind=kind,
            person=person,
            office=node[office],
            state=state,
            began_on=date(2026, 11, 21),
            state_entered_on=date(2026, 11, 21),
            last_event_on=date(2026, 11, 21),
            last_contact_on=date(2026, 11, 21),
            created_at=NOW,
            created_by=users["caseworker"],
            **extra,
        )

    return make


@pytest.fixture
def add_member() -> Callable[..., CaseMember]:
    def add(case: Case, person: Any, role: str = "dependant") -> CaseMember:
        return CaseMember.objects.create(case=case, person=person, role=role)

    return add


@pytest.fixture
def make_appointment(node: dict[str, Any], users: dict[str, Any]) -> Callable[..., Appointment]:
    def make(
        person: Any,
        starts_at: datetime = datetime(2026, 12, 3, 5, 30, tzinfo=UTC),
        office: str = "almaty",
        **extra: Any,
    ) -> Appointment:
        return Appointment.objects.create(
            person=person,
            office=node[office],
            kind=extra.pop("kind", "interview"),
            starts_at=starts_at,
            created_at=NOW,
            created_by=users["caseworker"],
            **extra,
        )

    return make
