"""Rebuilding the stored name search keys: exactly the names' keys, only the differences written, twice is a no-op."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from karvon.registry.contracts import SearchQuery
from karvon.registry.index_keys import person_index_keys
from karvon.registry.models import NameSearchKey, Person
from karvon.registry.search_keys import search_keys_rebuild_all
from karvon.registry.selectors import person_search

pytestmark = pytest.mark.django_db


def stored_keys(person: Person) -> set[str]:
    return set(NameSearchKey.objects.filter(person=person).values_list("key", flat=True))


def names_keys(person: Person) -> set[str]:
    person.refresh_from_db()
    return person_index_keys(person.names.values_list("part", "text"), person.birth_date)


def found(users, ctx_for, text: str) -> list:
    page = person_search(ctx=ctx_for(users["officer"]), query=SearchQuery(text=text), page_size=25)
    return [card.uuid for card in page.cards]


def test_keys_of_an_older_version_are_replaced_by_the_names_keys(users, register, ctx_for):
    saidov = register(users["officer"])
    other = register(users["officer"])
    untouched = names_keys(other)
    # As a database filled by an earlier version: the keys derived since missing, one no longer derived.
    kept = sorted(stored_keys(saidov))[0]
    NameSearchKey.objects.filter(person=saidov).exclude(key=kept).delete()
    NameSearchKey.objects.create(person=saidov, key="old:saidov")
    assert found(users, ctx_for, "Саидов") == [other.uuid]

    done = search_keys_rebuild_all(chunk_size=1)

    assert stored_keys(saidov) == names_keys(saidov)
    assert stored_keys(other) == untouched
    assert (done.people, done.people_changed, done.keys_removed) == (2, 1, 1)
    assert done.keys_added == len(names_keys(saidov)) - 1
    assert set(found(users, ctx_for, "Саидов")) == {saidov.uuid, other.uuid}
    again = search_keys_rebuild_all()
    assert (again.people_changed, again.keys_added, again.keys_removed) == (0, 0, 0)


def test_a_merged_away_person_keeps_no_keys(users, register):
    survivor, merged = register(users["officer"]), register(users["officer"])
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)

    search_keys_rebuild_all()

    assert stored_keys(merged) == set()
    assert stored_keys(survivor) == names_keys(survivor)


def test_the_command_says_what_it_changed(users, register):
    person = register(users["officer"])
    NameSearchKey.objects.filter(person=person).delete()
    out = StringIO()

    call_command("search_keys_rebuild", stdout=out, stderr=StringIO())

    assert "1 people read" in out.getvalue()
    assert f"keys changed for 1 ({len(names_keys(person))} added, 0 removed)" in out.getvalue()
    assert stored_keys(person) == names_keys(person)
