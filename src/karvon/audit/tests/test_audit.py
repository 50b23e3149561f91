"""The audit trail is append-only, searchable and exportable by data protection officers only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from django.test import Client

from karvon.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_database_refuses_to_change_or_delete_an_event(users, register):
    register(users["officer"])
    event = AuditEvent.objects.filter(action="person.create").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "person.create"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [("dpo", 200), ("officer", 404), ("supervisor", 404), ("statistician", 404), ("administrator", 404)],
)
def test_only_the_data_protection_officer_opens_the_trail(users, role, status):
    assert login(users[role]).get("/audit/").status_code == status
    assert login(users[role]).get("/audit/export.csv").status_code == status


def test_the_dpo_finds_who_viewed_a_person_and_exports_it(users, register):
    person = register(users["officer"])
    login(users["caseworker"]).get(f"/registry/persons/{person.uuid}/")
    dpo = login(users["dpo"])
    page = dpo.get("/audit/", {"person": str(person.uuid), "action": "person.view"})
    assert "dilnoza" in page.content.decode()
    export = dpo.get("/audit/export.csv", {"person": str(person.uuid)})
    body = b"".join(export.streaming_content).decode()
    assert body.startswith("occurred_at,actor_username,action")
    assert "person.view" in body and "person.create" in body
    assert AuditEvent.objects.filter(action="audit.export", actor_username="dora").exists()


def test_the_audit_api_pages_through_events(users, register, now):
    from karvon.accounts.services import api_token_issue

    register(users["officer"])
    token = api_token_issue(user=users["dpo"], name="t", now=now, valid_days=1).secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    first = client.get("/api/v1/audit/events", {"limit": 2}).json()
    assert len(first["results"]) == 2 and first["next_before_id"]
    officer = api_token_issue(user=users["officer"], name="t", now=now, valid_days=1).secret
    assert Client(HTTP_AUTHORIZATION=f"Bearer {officer}").get("/api/v1/audit/events").status_code == 404


def test_opening_the_edit_form_is_an_audited_view(users, register):
    person = register(users["officer"])
    login(users["caseworker"]).get(f"/registry/persons/{person.uuid}/edit/")
    event = AuditEvent.objects.get(action="person.view", person_uuid=person.uuid, actor_username="dilnoza")
    assert event.changes == {"purpose": "edit"}


def test_reads_of_a_list_are_one_event_per_person_as_the_orm_writes_them(users, now):
    import uuid

    from karvon.audit.services import audit_record_reads

    people = [uuid.uuid4() for _ in range(3)]
    details = {"query": "Саидов 1990", "results": 3}
    audit_record_reads(
        actor=users["officer"],
        action="person.search",
        person_uuids=people,
        occurred_at=now,
        ip_address="10.0.0.7",
        details=details,
    )
    audit_record_reads(
        actor=users["officer"],
        action="person.list",
        person_uuids=[],
        occurred_at=now,
        ip_address=None,
        details={},
    )
    events = list(AuditEvent.objects.filter(action__startswith="person.").order_by("id"))
    assert [e.person_uuid for e in events] == people
    for event in events:
        assert (event.occurred_at, event.actor_id, event.actor_username) == (
            now,
            users["officer"].pk,
            "alice",
        )
        assert (event.action, event.object_type, event.object_id) == (
            "person.search",
            "person",
            str(event.person_uuid),
        )
        assert event.ip_address == "10.0.0.7" and event.changes == details
