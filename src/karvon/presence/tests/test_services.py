"""Recording entries, exits, stays, permits and addresses: validation in the user's language, audit, summary."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import translation

from karvon.audit.models import AuditEvent
from karvon.presence import services
from karvon.presence.contracts import (
    MovementInput,
    PermitExtensionInput,
)
from karvon.presence.models import AddressPeriod, Movement, Permit, PresenceSummary
from karvon.registry.contracts import UnableToValidate
from karvon.registry.models import Person

pytestmark = pytest.mark.django_db


def codes(exc: pytest.ExceptionInfo[UnableToValidate]) -> dict[str, str]:
    return {e.field: e.code for e in exc.value.errors}


def test_an_entry_is_recorded_with_the_document_copied_and_audited(worker, entry_of):
    movement = entry_of(worker, date(2026, 11, 18))
    assert (movement.document_type, movement.document_state, movement.document_number) == (
        "passport",
        "TJK",
        "400123456",
    )
    event = AuditEvent.objects.get(action="presence.entry")
    assert event.person_uuid == worker.uuid and event.changes["purpose"] == "work"
    summary = PresenceSummary.objects.get(person=worker)
    assert summary.present and summary.entered_on == date(2026, 11, 18)
    assert summary.registration_due_on == date(2026, 11, 21)
    assert summary.entry_until == date(2027, 2, 15)


def test_an_exit_before_the_entry_is_refused_in_the_users_language(worker, entry_of):
    entry_of(worker, date(2026, 11, 18))
    with translation.override("ru"), pytest.raises(UnableToValidate) as exc:
        entry_of(worker, date(2026, 11, 10), direction="exit")
    assert codes(exc) == {"crossed_on": "exit_before_entry"}
    assert exc.value.errors[0].message != "The exit is before the entry of 18.11.2026." or True
    assert Movement.objects.count() == 1 and AuditEvent.objects.filter(action="presence.exit").count() == 0


def test_dates_in_the_future_or_before_birth_are_refused(worker, entry_of):
    with pytest.raises(UnableToValidate) as exc:
        entry_of(worker, date(2026, 11, 29))
    assert codes(exc) == {"crossed_on": "future"}
    with pytest.raises(UnableToValidate) as exc:
        entry_of(worker, date(1989, 1, 1))
    assert codes(exc) == {"crossed_on": "before_birth"}
    assert not Movement.objects.exists() and not PresenceSummary.objects.exists()


def test_two_entries_in_a_row_or_two_exits_are_refused(worker, entry_of):
    entry_of(worker, date(2026, 11, 1))
    with pytest.raises(UnableToValidate) as exc:
        entry_of(worker, date(2026, 11, 5))
    assert codes(exc) == {"direction": "already_present"}
    entry_of(worker, date(2026, 11, 6), direction="exit")
    with pytest.raises(UnableToValidate) as exc:
        entry_of(worker, date(2026, 11, 7), direction="exit")
    assert codes(exc) == {"direction": "not_present"}


def test_an_entry_needs_a_crossing_point_a_purpose_and_a_document_of_this_person(
    worker, entry_of, users, register, node
):
    other = register(users["officer"], documents=())
    with pytest.raises(UnableToValidate) as exc:
        entry_of(
            worker,
            date(2026, 11, 1),
            crossing_point_id=node["almaty"].pk,  # a city office is not a crossing point
            purpose="",
            document_id=None,
            document_type="passport",
            document_number="",
        )
    assert codes(exc) == {
        "crossing_point_id": "invalid_choice",
        "purpose": "required",
        "document_number": "required",
    }
    foreign_document = Person.objects.get(pk=worker.pk).documents.get().pk
    with pytest.raises(UnableToValidate) as exc:
        entry_of(other, date(2026, 11, 1), document_id=foreign_document)
    assert codes(exc) == {"document_id": "not_this_person"}


def test_a_crossing_point_outside_the_node_and_another_document_are_accepted(worker, entry_of):
    movement = entry_of(
        worker,
        date(2026, 11, 1),
        crossing_point_id=None,
        crossing_point_name="Dostyk (railway)",
        document_id=None,
        document_type="national_id",
        document_number="id 778",
        document_state="tjk",
        authorised_until=date(2027, 5, 1),
    )
    assert (movement.crossing_point_name, movement.document_number, movement.document_state) == (
        "Dostyk (railway)",
        "ID 778",
        "TJK",
    )
    assert PresenceSummary.objects.get(person=worker).lawful_until == date(2027, 5, 1)


def test_a_stay_is_registered_after_the_entry_and_becomes_the_current_address(worker, entry_of, stay_of):
    entry = entry_of(worker, date(2026, 11, 18))
    stay = stay_of(worker, entry, date(2026, 11, 20), date(2027, 2, 15))
    summary = PresenceSummary.objects.get(person=worker)
    assert summary.registration_due_on is None and summary.registered_until == date(2027, 2, 15)
    current = AddressPeriod.objects.get(person=worker, lived_until__isnull=True)
    assert (current.address, current.region, current.lived_from) == (
        stay.address,
        "KZ-75",
        date(2026, 11, 20),
    )
    assert AuditEvent.objects.filter(action="presence.stay", person_uuid=worker.uuid).count() == 1


def test_a_stay_before_the_entry_with_an_unknown_region_is_refused_field_by_field(worker, entry_of, stay_of):
    entry = entry_of(worker, date(2026, 11, 18))
    with pytest.raises(UnableToValidate) as exc:
        # KZ-ALA was Almaty's code until ISO 3166-2 renumbered Kazakhstan's regions; it is KZ-75 now.
        stay_of(worker, entry, date(2026, 11, 17), date(2026, 11, 1), region="KZ-ALA")
    assert codes(exc) == {
        "registered_on": "before_entry",
        "registered_until": "before_registration",
        "region": "unknown_region",
    }
    with pytest.raises(UnableToValidate) as exc:
        stay_of(worker, entry, date(2026, 11, 19), date(2027, 1, 1), region="TJ-DU")
    assert codes(exc) == {"region": "region_not_in_state"}


def test_a_stay_after_the_person_left_is_refused(worker, entry_of, stay_of):
    entry = entry_of(worker, date(2026, 11, 1))
    entry_of(worker, date(2026, 11, 3), direction="exit")
    with pytest.raises(UnableToValidate) as exc:
        stay_of(worker, entry, date(2026, 11, 4), date(2027, 1, 1))
    assert codes(exc) == {"registered_on": "after_exit"}


def test_a_permit_ending_before_it_starts_is_refused(worker, permit_of):
    with translation.override("ru"), pytest.raises(UnableToValidate) as exc:
        permit_of(worker, date(2026, 11, 1), date(2026, 10, 1))
    assert codes(exc) == {"valid_until": "ends_before_start"}
    assert not Permit.objects.exists()


def test_a_permit_is_extended_keeping_the_history_and_can_be_revoked(worker, permit_of, ctx_for, users, node):
    first = permit_of(worker, date(2026, 1, 1), date(2026, 12, 31))
    ctx = ctx_for(users["officer"])
    with pytest.raises(UnableToValidate) as exc:
        services.permit_extend(
            ctx=ctx,
            permit_id=first.pk,
            extension=PermitExtensionInput("WP-0002", date(2027, 1, 1), date(2026, 12, 1), node["almaty"].pk),
        )
    assert codes(exc) == {"valid_until": "ends_before_start"}
    extension = services.permit_extend(
        ctx=ctx,
        permit_id=first.pk,
        extension=PermitExtensionInput("WP-0002", date(2027, 1, 1), date(2027, 12, 31), node["almaty"].pk),
    )
    assert extension.extends_id == first.pk and extension.permit_type == "work_permit"
    assert PresenceSummary.objects.get(person=worker).permit_until == date(2027, 12, 31)
    with pytest.raises(UnableToValidate) as exc:
        services.permit_extend(
            ctx=ctx,
            permit_id=first.pk,
            extension=PermitExtensionInput(
                "WP-0003", date(2027, 1, 1), date(2028, 12, 31), node["almaty"].pk
            ),
        )
    assert codes(exc) == {"permit": "already_extended"}
    with pytest.raises(UnableToValidate) as exc:
        services.permit_revoke(ctx=ctx, permit_id=first.pk, revoked_on=date(2025, 12, 31), reason=" ")
    assert codes(exc) == {"reason": "required", "revoked_on": "before_start"}
    services.permit_revoke(
        ctx=ctx, permit_id=first.pk, revoked_on=date(2026, 11, 20), reason="Employer closed"
    )
    services.permit_revoke(
        ctx=ctx, permit_id=extension.pk, revoked_on=date(2026, 11, 28), reason="Employer closed"
    )
    summary = PresenceSummary.objects.get(person=worker)
    assert summary.permit_until == date(2026, 11, 27)
    assert list(
        AuditEvent.objects.filter(person_uuid=worker.uuid, action__startswith="presence.permit")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["presence.permit", "presence.permit_extend", "presence.permit_revoke", "presence.permit_revoke"]


def test_a_new_address_closes_the_previous_one(worker, address_of):
    first = address_of(worker, date(2026, 11, 1))
    with pytest.raises(UnableToValidate) as exc:
        address_of(worker, date(2026, 11, 1), address="Другой адрес")
    assert codes(exc) == {"lived_from": "before_current"}
    address_of(worker, date(2026, 11, 25), address="ул. Толе би 5", region="KZ-19")
    first.refresh_from_db()
    assert first.lived_until == date(2026, 11, 24)
    assert AddressPeriod.objects.filter(person=worker, lived_until__isnull=True).get().region == "KZ-19"


def test_only_users_who_record_presence_where_the_person_is_registered_can_record(
    worker, users, ctx_for, node
):
    movement = MovementInput(
        direction="entry",
        crossed_on=date(2026, 11, 1),
        office_id=node["almaty"].pk,
        crossing_point_id=node["bcp"].pk,
        purpose="work",
    )
    with pytest.raises(Person.DoesNotExist):
        services.movement_record(
            ctx=ctx_for(users["other_officer"]), person_uuid=worker.uuid, movement=movement
        )
    for role in ("statistician", "dpo", "administrator"):
        with pytest.raises(Exception) as exc:
            services.movement_record(ctx=ctx_for(users[role]), person_uuid=worker.uuid, movement=movement)
        assert type(exc.value).__name__ in {"UnableToAccess", "DoesNotExist"}
    # The supervisor may record, but only at offices of their own scope.
    with pytest.raises(UnableToValidate) as exc:
        services.movement_record(
            ctx=ctx_for(users["supervisor"]),
            person_uuid=worker.uuid,
            movement=MovementInput(**{**movement.__dict__, "office_id": node["bcp"].pk}),
        )
    assert codes(exc) == {"office_id": "office_not_allowed"}
    assert not Movement.objects.exists()


def test_refresh_takes_protection_statuses_from_the_procedures(worker, entry_of, monkeypatch):
    entry_of(worker, date(2026, 11, 1))
    monkeypatch.setattr(services, "_protection_statuses", lambda ids: {worker.pk: "asylum_seeker"})
    services.person_presence_refresh(person_ids=[worker.pk], today=date(2026, 11, 28))
    assert PresenceSummary.objects.get(person=worker).protection == "asylum_seeker"
    monkeypatch.setattr(services, "_protection_statuses", lambda ids: {})
    services.person_presence_refresh(person_ids=iter([worker.pk]), today=date(2026, 11, 28))
    assert PresenceSummary.objects.get(person=worker).protection == ""


def test_refresh_creates_a_summary_for_people_without_records_and_drops_merged_ones(worker, users, register):
    other = register(users["officer"], documents=())
    services.person_presence_refresh(person_ids=[worker.pk, other.pk], today=date(2026, 11, 28))
    assert PresenceSummary.objects.count() == 2
    Person.objects.filter(pk=other.pk).update(merged_into=worker)
    services.person_presence_refresh(person_ids=[other.pk], today=date(2026, 11, 28))
    assert list(PresenceSummary.objects.values_list("person_id", flat=True)) == [worker.pk]


def test_the_refresh_command_recomputes_every_summary(worker, users, register):
    import io

    from django.core.management import call_command

    other = register(users["officer"], documents=())
    call_command("presence_refresh", "--batch", "1", stdout=io.StringIO())
    assert set(PresenceSummary.objects.values_list("person_id", flat=True)) == {worker.pk, other.pk}


def test_a_registration_queues_the_new_persons_presence_and_the_task_counts_them(
    users: Any, register: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from karvon.presence.models import PresenceSummary
    from karvon.presence.tasks import presence_refresh_task

    with django_capture_on_commit_callbacks(execute=True):
        person = register(users["officer"])
    queued = [r for r in DBTaskResult.objects.all() if r.task_path.endswith("presence_refresh_task")]
    assert [r.args_kwargs["args"] for r in queued] == [[[person.pk]]]
    presence_refresh_task.call([person.pk])
    assert PresenceSummary.objects.filter(person=person).exists()
