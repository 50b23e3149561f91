"""Shared test fixtures: a small node (agencies, offices), one user per role, and helpers to register people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

# Property tests judge correctness, not speed: on a shared 2-core CI machine input generation can be slow, and a
# "too slow" health check or a per-example deadline would fail a correct test.
settings.register_profile("karvon", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("karvon")


@pytest.fixture(autouse=True)
def _language_reset() -> Any:
    """Each test starts and ends in the default language: a page answered in Russian (the locale middleware
    activates the reader's language for the thread) must not make a later test's messages Russian."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def node(db: Any) -> dict[str, Any]:
    """Two agencies, three offices: Almaty and Shymkent (migration service) and a border crossing point."""
    from karvon.accounts.models import Agency, Office

    migration = Agency.objects.create(
        state="KAZ", code="kaz-migration", name="Migration Service", kind="migration_service"
    )
    border = Agency.objects.create(
        state="KAZ", code="kaz-border", name="Border Service", kind="border_service"
    )
    almaty = Office.objects.create(agency=migration, code="ALA", name="Almaty office", kind="city_office")
    shymkent = Office.objects.create(agency=migration, code="SHY", name="Shymkent office", kind="city_office")
    bcp = Office.objects.create(
        agency=border, code="BCP", name="Zhibek Zholy BCP", kind="border_crossing_point"
    )
    return {"migration": migration, "border": border, "almaty": almaty, "shymkent": shymkent, "bcp": bcp}


@pytest.fixture
def make_user(node: dict[str, Any]) -> Callable[..., Any]:
    from karvon.accounts.models import User
    from karvon.accounts.roles import Role
    from karvon.accounts.services import role_assign

    def make(
        username: str,
        role: str,
        *,
        office: str | None = "almaty",
        agency: str = "migration",
        valid_until: date | None = None,
    ) -> Any:
        # No password: tests log in with force_login or a token, and hashing would cost ~0.3 s a user.
        user = User.objects.create_user(username=username)
        role_assign(
            user=user,
            role=Role(role),
            agency=node[agency],
            office=node[office] if office else None,
            valid_from=date(2026, 1, 1),
            valid_until=valid_until,
            granted_by=None,
            now=NOW,
        )
        return user

    return make


@pytest.fixture
def users(make_user: Callable[..., Any]) -> dict[str, Any]:
    """alice registers in Almaty, bob in Shymkent; carol supervises the whole migration service."""
    return {
        "officer": make_user("alice", "registration_officer"),
        "other_officer": make_user("bob", "registration_officer", office="shymkent"),
        "caseworker": make_user("dilnoza", "caseworker"),
        "supervisor": make_user("carol", "supervisor", office=None),
        "statistician": make_user("stan", "statistician", office=None),
        "dpo": make_user("dora", "data_protection_officer", office=None),
        "administrator": make_user("adam", "administrator", office=None),
    }


@pytest.fixture
def ctx_for() -> Callable[[Any], Any]:
    from karvon.accounts.access import AccessContext

    def make(user: Any, now: datetime = NOW) -> AccessContext:
        return AccessContext(user=user, now=now, ip_address="127.0.0.1")

    return make


def person_input(**overrides: Any) -> Any:
    from karvon.registry.contracts import DocumentInput, NameInput, PersonInput

    values: dict[str, Any] = {
        "names": (
            NameInput("given", "Фаррух", "Cyrl"),
            NameInput("family", "Саидов", "Cyrl"),
            NameInput("patronymic", "Рустамович", "Cyrl"),
            NameInput("family", "SAIDOV", "Latn", "document"),
        ),
        "sex": "M",
        "birth_date": date(1990, 3, 12),
        "nationalities": ("TJK",),
        "languages": ("tgk", "rus"),
        "documents": (DocumentInput("passport", "400123456", "TJK", date(2020, 1, 10), date(2030, 1, 9)),),
    }
    values.update(overrides)
    return PersonInput(**values)


@pytest.fixture
def register(ctx_for: Callable[[Any], Any], node: dict[str, Any]) -> Callable[..., Any]:
    """Register a person through the service (the one write path), at an office of the node."""
    from karvon.registry.contracts import RegistrationInput
    from karvon.registry.services import person_register

    def do(user: Any, office: str = "almaty", **overrides: Any) -> Any:
        registration = RegistrationInput(
            office_id=node[office].pk,
            registered_on=date(2026, 11, 20),
            met_at="in_country",
            arrival_date=date(2026, 11, 1),
            transit_countries=("TJK",),
        )
        return person_register(ctx=ctx_for(user), person=person_input(**overrides), registration=registration)

    return do
