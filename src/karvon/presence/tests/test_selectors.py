"""Lists and counts: scoped to the user's offices, audited per person shown, right as days pass without writes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from karvon.accounts.access import UnableToAccess
from karvon.audit.models import AuditEvent
from karvon.presence import selectors, services
from karvon.presence.contracts import PresenceListQuery
from karvon.registry.models import Person

pytestmark = pytest.mark.django_db

NOV_30 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def listed(ctx, kind: str, **query) -> list:
    return [
        row.person_uuid
        for row in selectors.presence_list(ctx=ctx, kind=kind, query=PresenceListQuery(**query)).rows
    ]


def test_a_stay_ending_tomorrow_warns_today_and_is_an_overstay_the_day_after_without_any_write(
    worker, entry_of, stay_of, users, ctx_for
):
    # Entered on 1 September: 90 visa-free days end on 29 November.
    entry = entry_of(worker, date(2026, 9, 1))
    ctx = ctx_for(users["officer"])
    assert listed(ctx, selectors.LIST_MISSED) == [worker.uuid]
    stay_of(worker, entry, date(2026, 9, 10), date(2026, 11, 29))
    assert listed(ctx, selectors.LIST_MISSED) == []
    assert listed(ctx, selectors.LIST_WARNINGS) == [worker.uuid]
    assert listed(ctx, selectors.LIST_WARNINGS, within_days=0) == []
    assert listed(ctx, selectors.LIST_OVERSTAYS) == []
    later = ctx_for(users["officer"], NOV_30)
    assert listed(later, selectors.LIST_OVERSTAYS) == [worker.uuid]
    assert listed(later, selectors.LIST_WARNINGS) == []
    row = selectors.presence_list(ctx=later, kind=selectors.LIST_OVERSTAYS, query=PresenceListQuery()).rows[0]
    assert (row.family, row.due_on, row.days, row.status, row.nationalities) == (
        "Саидов",
        date(2026, 11, 29),
        1,
        "overstayer",
        ("TJK",),
    )


def test_people_who_left_or_are_protected_are_on_no_list(worker, entry_of, users, ctx_for, monkeypatch):
    entry_of(worker, date(2026, 1, 1))
    ctx = ctx_for(users["officer"])
    assert listed(ctx, selectors.LIST_OVERSTAYS) == [worker.uuid]
    monkeypatch.setattr(services, "_protection_statuses", lambda ids: {worker.pk: "refugee"})
    services.person_presence_refresh(person_ids=[worker.pk], today=date(2026, 11, 28))
    assert listed(ctx, selectors.LIST_OVERSTAYS) == [] and listed(ctx, selectors.LIST_MISSED) == []
    monkeypatch.setattr(services, "_protection_statuses", lambda ids: {})
    entry_of(worker, date(2026, 11, 2), direction="exit")
    assert listed(ctx, selectors.LIST_OVERSTAYS) == []


def test_lists_are_scoped_to_the_users_offices(worker, entry_of, users, ctx_for, node):
    entry_of(worker, date(2026, 1, 1))
    assert listed(ctx_for(users["supervisor"]), selectors.LIST_OVERSTAYS) == [worker.uuid]
    assert listed(ctx_for(users["supervisor"]), selectors.LIST_OVERSTAYS, office_id=node["almaty"].pk) == [
        worker.uuid
    ]
    assert listed(ctx_for(users["supervisor"]), selectors.LIST_OVERSTAYS, office_id=node["shymkent"].pk) == []
    assert listed(ctx_for(users["other_officer"]), selectors.LIST_OVERSTAYS) == []
    assert selectors.presence_counts(ctx=ctx_for(users["other_officer"])).total_present == 0
    with pytest.raises(UnableToAccess):
        listed(ctx_for(users["other_officer"]), selectors.LIST_OVERSTAYS, office_id=node["almaty"].pk)
    for role in ("statistician", "dpo", "administrator"):
        with pytest.raises(UnableToAccess):
            listed(ctx_for(users[role]), selectors.LIST_OVERSTAYS)
        with pytest.raises(UnableToAccess):
            selectors.presence_counts(ctx=ctx_for(users[role]))


def test_every_person_shown_in_a_list_is_audited(worker, entry_of, users, ctx_for):
    entry_of(worker, date(2026, 1, 1))
    listed(ctx_for(users["caseworker"]), selectors.LIST_OVERSTAYS)
    event = AuditEvent.objects.get(action="presence.list")
    assert event.person_uuid == worker.uuid and event.actor == users["caseworker"]
    assert event.changes["list"] == "overstays"


def test_the_presence_file_is_scoped_and_audited(worker, entry_of, users, ctx_for):
    entry_of(worker, date(2026, 11, 20))
    file = selectors.presence_file(ctx=ctx_for(users["caseworker"]), person_uuid=worker.uuid)
    assert file.status == "visa_free" and len(file.movements) == 1 and file.registration_missed
    assert AuditEvent.objects.filter(action="presence.view", person_uuid=worker.uuid).count() == 1
    with pytest.raises(Person.DoesNotExist):
        selectors.presence_file(ctx=ctx_for(users["other_officer"]), person_uuid=worker.uuid)
    for role in ("statistician", "dpo", "administrator"):
        with pytest.raises(UnableToAccess):
            selectors.presence_file(ctx=ctx_for(users[role]), person_uuid=worker.uuid)


def test_present_now_counts_people_by_status(users, register, entry_of, permit_of, ctx_for, monkeypatch):
    officer = users["officer"]
    visa_free = register(officer)
    entry_of(visa_free, date(2026, 11, 20))
    permit_holder = register(officer, documents=())
    entry_of(permit_holder, date(2026, 6, 1))
    permit_of(permit_holder, date(2026, 6, 5), date(2027, 6, 4))
    overstayer = register(officer, documents=())
    entry_of(overstayer, date(2026, 1, 10))
    left = register(officer, documents=())
    entry_of(left, date(2026, 1, 10))
    entry_of(left, date(2026, 2, 10), direction="exit")
    refugee = register(officer, documents=())
    unknown = register(officer, documents=())
    monkeypatch.setattr(
        services, "_protection_statuses", lambda ids: {refugee.pk: "refugee"} if refugee.pk in ids else {}
    )
    services.person_presence_refresh(person_ids=[refugee.pk, unknown.pk], today=date(2026, 11, 28))

    counts = selectors.presence_counts(ctx=ctx_for(users["supervisor"]))
    assert {c.status: c.count for c in counts.by_status} == {
        "visa_free": 1,
        "permit:work_permit": 1,
        "overstayer": 1,
        "refugee": 1,
        "no_entry_recorded": 1,
    }
    assert counts.total_present == 5
    assert (counts.missed_registrations, counts.overstays, counts.warnings) == (2, 1, 0)
    # The day the permit ends, its holder is still a permit holder; the day after, an overstayer.
    later = selectors.presence_counts(ctx=ctx_for(users["supervisor"], datetime(2027, 6, 5, 9, tzinfo=UTC)))
    assert {c.status: c.count for c in later.by_status}["overstayer"] == 3
    assert not AuditEvent.objects.filter(action="presence.list").exists()  # counts show nobody


def test_lodging_an_asylum_application_takes_an_overstayer_off_the_list(
    worker, entry_of, users, ctx_for, node
):
    """Through the procedures: case_open calls person_presence_refresh in its transaction."""
    from karvon.cases.contracts import CaseOpenInput
    from karvon.cases.services import case_open

    entry_of(worker, date(2026, 1, 1))
    ctx = ctx_for(users["officer"])
    assert listed(ctx, selectors.LIST_OVERSTAYS) == [worker.uuid]
    case_open(
        ctx=ctx,
        data=CaseOpenInput(
            kind="asylum", person_uuid=worker.uuid, office_id=node["almaty"].pk, began_on=date(2026, 11, 28)
        ),
    )
    assert listed(ctx, selectors.LIST_OVERSTAYS) == []
    counts = selectors.presence_counts(ctx=ctx)
    assert {c.status: c.count for c in counts.by_status} == {"asylum_seeker": 1}
