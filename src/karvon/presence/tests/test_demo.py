"""The demo loader: records the services would accept, the same for the same seed, summaries filled."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import transaction

from karvon.presence.demo import DemoPresencePerson, demo_people_in_registry, presence_demo_load
from karvon.presence.models import Movement, Permit, PresenceSummary, StayRegistration

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)


@pytest.fixture
def demo_people(users, node, register) -> list[DemoPresencePerson]:
    people = [
        register(users["officer"], documents=(), nationalities=("AFG",) if i % 4 == 0 else ("UZB",))
        for i in range(24)
    ]
    streamed = list(demo_people_in_registry(batch_size=5))
    assert [p.person_id for p in streamed] == [p.pk for p in people]
    assert streamed[1] == DemoPresencePerson(
        people[1].pk, "UZB", node["almaty"].pk, date(2026, 11, 20), date(1990, 3, 12)
    )
    # Registered over three years, as the demo generator spreads them.
    return [
        DemoPresencePerson(
            p.person_id,
            p.nationality,
            p.office_id,
            date(2024 + i % 3, 1 + i % 10, 1 + i),
            p.birth_date,
        )
        for i, p in enumerate(streamed)
    ]


def snapshot() -> list[tuple]:
    return list(
        Movement.objects.values_list("person_id", "direction", "crossed_on", "purpose").order_by("id")
    )


def test_demo_records_are_consistent_and_summarised(demo_people, users):
    report = presence_demo_load(
        people=demo_people, rng=random.Random(7), user=users["officer"], today=TODAY, batch_size=7
    )
    assert report.people == 24 and PresenceSummary.objects.count() == 24
    assert report.movements == Movement.objects.count() > 0
    for person in demo_people:
        directions = list(
            Movement.objects.filter(person_id=person.person_id)
            .order_by("crossed_on", "id")
            .values_list("direction", "crossed_on")
        )
        assert [d for d, _ in directions] == ["entry", "exit"][: len(directions)]
        assert all(on <= TODAY for _, on in directions)
    for stay in StayRegistration.objects.select_related("entry"):
        assert stay.entry.crossed_on <= stay.registered_on <= stay.registered_until
    for permit in Permit.objects.exclude(extends=None).select_related("extends"):
        assert permit.valid_from > permit.extends.valid_until


def test_the_same_seed_gives_the_same_records(demo_people, users):
    with transaction.atomic():
        presence_demo_load(people=demo_people, rng=random.Random(3), user=users["officer"], today=TODAY)
        first = snapshot()
        transaction.set_rollback(True)
    presence_demo_load(people=demo_people, rng=random.Random(3), user=users["officer"], today=TODAY)
    assert snapshot() == first and first


def test_the_tallies_agree_with_the_summaries_on_every_day(
    demo_people, users, ctx_for, entry_of, monkeypatch
):
    """The counts and totals come from the tallies; recomputed here person by person, day by day."""
    from datetime import UTC, datetime, timedelta

    from karvon.presence import selectors, services
    from karvon.presence.lawful_stay import is_overstaying, is_registration_missed, state_of, status_on
    from karvon.registry.models import Person

    presence_demo_load(people=demo_people, rng=random.Random(11), user=users["officer"], today=TODAY)
    # Later writes move the tallies too: a protection status, an exit, a merge.
    ids = [p.person_id for p in demo_people]
    monkeypatch.setattr(services, "_protection_statuses", lambda person_ids: {ids[0]: "refugee"})
    services.person_presence_refresh(person_ids=ids[:2], today=TODAY)
    Person.objects.filter(pk=ids[3]).update(merged_into_id=ids[4])
    services.person_presence_refresh(person_ids=[ids[3]], today=TODAY)

    summaries = [state_of(s) for s in PresenceSummary.objects.all()]
    for day in [TODAY + timedelta(days=n) for n in range(-300, 800, 7)]:
        counts = selectors.presence_counts(
            ctx=ctx_for(
                users["supervisor"],
                datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=6),
            ),
            within_days=30,
        )
        expected: dict[str, int] = {}
        for state in summaries:
            if state.present:
                expected[status_on(state, day)] = expected.get(status_on(state, day), 0) + 1
        assert {c.status: c.count for c in counts.by_status} == expected, day
        assert counts.overstays == sum(is_overstaying(s, day) for s in summaries), day
        assert counts.missed_registrations == sum(is_registration_missed(s, day) for s in summaries), day
        assert counts.warnings == sum(
            s.present
            and not s.protection
            and s.lawful_until is not None
            and day <= s.lawful_until <= day + timedelta(days=30)
            for s in summaries
        )
