"""One search box finds a person whatever script or spelling was typed, and by document or date of birth."""

from __future__ import annotations

from datetime import date

import pytest

from karvon.registry.contracts import DocumentInput, NameInput, SearchQuery
from karvon.registry.selectors import parse_search_text, person_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(users, register):
    saidov = register(users["officer"])
    muhammad = register(
        users["officer"],
        names=(NameInput("given", "محمد", "Arab"), NameInput("family", "رحیمی", "Arab")),
        nationalities=("AFG",),
        languages=("prs",),
        documents=(DocumentInput("passport", "P1234567", "AFG"),),
        birth_date=date(1985, 1, 1),
        birth_date_precision="year",
    )
    karimov = register(
        users["officer"],
        names=(NameInput("given", "Ulugbek", "Latn"), NameInput("family", "Karimov", "Latn")),
        nationalities=("UZB",),
        documents=(),
        birth_date=date(1979, 8, 30),
    )
    register(
        users["other_officer"],
        office="shymkent",
        names=(NameInput("given", "Farrukh", "Latn"), NameInput("family", "Saidov", "Latn")),
        documents=(),
    )
    return {"saidov": saidov, "muhammad": muhammad, "karimov": karimov}


def found(users, ctx_for, text: str) -> list:
    page = person_search(ctx=ctx_for(users["officer"]), query=SearchQuery(text=text), page_size=25)
    return [card.uuid for card in page.cards]


@pytest.mark.parametrize(
    "text", ["Саидов", "Saidov", "Saydov", "SAIDOV", "saidov farrukh", "Фаррух Саидов", "سعیدوف"]
)
def test_saidov_in_any_script(users, ctx_for, people, text):
    assert found(users, ctx_for, text) == [people["saidov"].uuid]


@pytest.mark.parametrize("text", ["Мухаммад", "Muhammad", "Mohammad", "محمد", "Mohammed Rahimi"])
def test_muhammad_in_any_script(users, ctx_for, people, text):
    assert people["muhammad"].uuid in found(users, ctx_for, text)


def test_by_document_number_with_or_without_separators(users, ctx_for, people):
    assert found(users, ctx_for, "P1234567") == [people["muhammad"].uuid]
    assert found(users, ctx_for, "p-1234567") == [people["muhammad"].uuid]


def test_by_date_of_birth(users, ctx_for, people):
    assert found(users, ctx_for, "30.08.1979") == [people["karimov"].uuid]
    assert found(users, ctx_for, "Karimov 1979") == [people["karimov"].uuid]


def test_different_names_do_not_match(users, ctx_for, people):
    assert found(users, ctx_for, "Kamilov") == []


def test_people_of_another_office_are_not_found(users, ctx_for, people):
    # bob's Farrukh Saidov (Shymkent) is invisible to alice (Almaty).
    assert len(found(users, ctx_for, "Saidov")) == 1


def test_the_search_text_is_split_into_names_documents_and_dates():
    parsed = parse_search_text("Saidov N1234567 12.03.1990")
    assert len(parsed.name_tokens) == 1
    assert parsed.document_numbers == ["N1234567"] and parsed.birth_date == date(1990, 3, 12)
    assert parse_search_text("31.02.1990").birth_date is None


def test_a_list_without_a_query_is_paginated(users, ctx_for, people):
    page = person_search(ctx=ctx_for(users["officer"]), query=SearchQuery(page=2), page_size=2)
    assert page.total == 3 and page.page == 2 and page.page_count == 2 and len(page.cards) == 1


def test_cards_are_read_as_the_full_records_show_them(users, register, ctx_for):
    from karvon.registry.models import Person
    from karvon.registry.selectors import person_card, person_cards, with_person_details

    people = [
        register(users["officer"]),
        register(
            users["officer"],
            names=(
                NameInput("family", "Rahimi", "Latn"),
                NameInput("given", "Ahmad", "Latn"),
                NameInput("family", "رحیمی", "Arab"),
                NameInput("given", "احمد", "Arab"),
            ),
            nationalities=("AFG", "IRN"),
            documents=(DocumentInput("passport", "P1", "AFG"), DocumentInput("national_id", "N-2", "AFG")),
        ),
        register(
            users["officer"], names=(NameInput("given", "Ali", "Latn"),), nationalities=(), documents=()
        ),
    ]
    ids = [people[2].pk, people[0].pk, people[1].pk]
    full = {p.pk: p for p in with_person_details(Person.objects.filter(pk__in=ids))}
    assert person_cards(ids) == [person_card(full[pk]) for pk in ids]
    assert person_cards([]) == []


def test_the_search_audits_every_person_listed(users, register, ctx_for):
    from karvon.audit.models import AuditEvent

    first, second = register(users["officer"]), register(users["officer"])
    page = person_search(ctx=ctx_for(users["officer"]), query=SearchQuery(text="Saidov"), page_size=25)
    assert {c.uuid for c in page.cards} == {first.uuid, second.uuid}
    events = AuditEvent.objects.filter(action="person.search").order_by("id")
    assert [e.person_uuid for e in events] == [c.uuid for c in page.cards]
    for event in events:
        assert event.actor_username == "alice" and event.object_type == "person"
        assert event.object_id == str(event.person_uuid) and event.ip_address == "127.0.0.1"
        assert event.changes == {"query": "Saidov", "results": 2}


@pytest.mark.parametrize("first_range", [1, 2, 3, 1_000])
def test_the_newest_matches_are_found_range_by_range(users, register, ctx_for, monkeypatch, first_range):
    """However the ids are split into ranges, the candidates are the `limit` newest matches in scope."""
    from karvon.registry import selectors

    monkeypatch.setattr(selectors, "SEARCH_CANDIDATE_LIMIT", 4)
    monkeypatch.setattr(selectors, "SEARCH_FIRST_RANGE", first_range)
    karimovs = []
    for number in range(9):
        given = "Ulugbek" if number % 3 else "Bobur"
        karimovs.append(
            register(
                users["officer"],
                names=(NameInput("given", given, "Latn"), NameInput("family", "Karimov", "Latn")),
                documents=(),
            )
        )
        # Others between them: another name, and a Karimov the officer may not see.
        register(users["officer"], documents=())
        register(
            users["other_officer"],
            office="shymkent",
            names=(NameInput("given", "Ulugbek", "Latn"), NameInput("family", "Karimov", "Latn")),
            documents=(),
        )

    def search(text: str):
        return person_search(ctx=ctx_for(users["officer"]), query=SearchQuery(text=text), page_size=25)

    page = search("Karimov")
    assert [c.uuid for c in page.cards] == [p.uuid for p in reversed(karimovs[-4:])]
    assert page.total == 4 and page.total_is_capped
    ulugbeks = [p for number, p in enumerate(karimovs) if number % 3]
    page = search("Ulugbek Karimov")
    assert [c.uuid for c in page.cards] == [p.uuid for p in reversed(ulugbeks[-4:])]
    page = search("Bobur Karimov")
    assert [c.uuid for c in page.cards] == [karimovs[6].uuid, karimovs[3].uuid, karimovs[0].uuid]
    assert page.total == 3 and not page.total_is_capped
