"""The one-row-per-person features of real-time matching: used only at the person's current version."""

from __future__ import annotations

import pytest
from django.db.models import F

from karvon.matching import services
from karvon.matching.candidates import (
    candidate_records,
    rebuild_all_candidate_features,
    refresh_candidate_features,
)
from karvon.matching.models import CandidateFeatures, DuplicateCandidate
from karvon.matching.realtime import FEATURES, candidate_features, records_of_people
from karvon.registry.contracts import DocumentInput, NameInput
from karvon.registry.models import Person, PersonName

pytestmark = pytest.mark.django_db

LATIN_TWIN = {
    "names": (
        NameInput("given", "Farrukh", "Latn", "document"),
        NameInput("family", "Saydov", "Latn", "document"),
    ),
    "documents": (DocumentInput("passport", "4OO123456", "TJK"),),
}


def versions_of(*people: Person) -> dict[int, int]:
    return dict(Person.objects.filter(pk__in=[p.pk for p in people]).values_list("pk", "version"))


def test_a_missing_row_is_built_on_first_read_and_equals_the_registry(users, register):
    person = register(users["officer"])
    CandidateFeatures.objects.all().delete()
    found = candidate_records(versions_of(person))
    assert found == records_of_people([person.pk])
    row = CandidateFeatures.objects.get(person=person)
    assert row.version == Person.objects.get(pk=person.pk).version


def test_a_stale_row_is_never_used(users, register):
    person = register(users["officer"])
    refresh_candidate_features([person.pk])
    # A change that bypassed the refresh: new spelling, version raised (as every service does).
    PersonName.objects.create(person=person, part="given", text="Zafar", script="Latn", source="declared")
    Person.objects.filter(pk=person.pk).update(version=F("version") + 1)
    record = candidate_records(versions_of(person))[person.pk]
    assert "Zafar" in record.given_names
    assert CandidateFeatures.objects.get(person=person).version == Person.objects.get(pk=person.pk).version


def test_features_follow_a_merge_and_its_undo(
    users, register, ctx_for, now, django_capture_on_commit_callbacks
):
    first = register(users["officer"])
    second = register(users["officer"], **LATIN_TWIN)
    rebuild_all_candidate_features()
    services.duplicate_check(person_id=second.pk, now=now)
    ctx = ctx_for(users["supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        merge = services.duplicate_merge(
            ctx=ctx, candidate_id=DuplicateCandidate.objects.get().pk, survivor_uuid=first.uuid, note=""
        )
    # The survivor's row was rewritten at its new version and holds the merged record's spellings;
    # the merged record has no row.
    row = CandidateFeatures.objects.get(person=first)
    assert row.version == Person.objects.get(pk=first.pk).version
    assert "Saydov" in row.payload[1]
    assert not CandidateFeatures.objects.filter(person=second).exists()
    assert any(s.text == "Saydov" for s in candidate_features([first.pk])[first.pk].family.spellings)
    with django_capture_on_commit_callbacks(execute=True):
        services.merge_undo(ctx=ctx, merge_id=merge.pk)
    for person in (first, second):
        row = CandidateFeatures.objects.get(person=person)
        assert row.version == Person.objects.get(pk=person.pk).version
        assert candidate_records({person.pk: row.version}) == records_of_people([person.pk])
    assert "Saydov" not in CandidateFeatures.objects.get(person=first).payload[1]
    FEATURES._items.clear()
