"""The resident candidate index answers exactly as the database path does, and stays fresh after every change."""

from __future__ import annotations

import random
import socketserver
import threading
from datetime import date
from typing import Any

import pytest
from conftest import NOW, person_input
from django.db import connections

from karvon.accounts.access import office_ids_in_scope
from karvon.accounts.roles import Capability
from karvon.audit.models import AuditEvent
from karvon.demo.loader import demo_people_load
from karvon.matching import index_service, services
from karvon.matching.candidates import rebuild_all_candidate_features
from karvon.matching.models import DuplicateCandidate
from karvon.matching.realtime import (
    FEATURES,
    NODE_WIDE,
    ScoredCandidate,
    database_candidates,
    record_of_draft,
)
from karvon.matching.resident import (
    AuditFeed,
    CandidateIndex,
    UnableToFollowChanges,
    answer,
    resident_candidates,
)
from karvon.registry.contracts import DocumentInput, NameInput, PersonInput
from karvon.registry.models import Person
from karvon.registry.selectors import person_scope
from karvon.registry.services import person_update

pytestmark = pytest.mark.django_db

LATIN_TWIN = person_input(
    names=(
        NameInput("given", "Farrukh", "Latn", "document"),
        NameInput("family", "Saydov", "Latn", "document"),
    ),
    documents=(DocumentInput("passport", "4OO123456", "TJK"),),
)
OCR = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B"})


def draft_of(person: Person, rng: random.Random) -> PersonInput:
    """The person written another way, as bench/realtime_bench.py does: Latin primary spellings, a document read
    with OCR confusions half of the time, sometimes the year of birth only."""
    from karvon_match import to_latin

    names = tuple(
        NameInput(n.part, to_latin(n.text).title() if n.script != "Latn" else n.text, "Latn", "document")
        for n in person.names.all()
        if n.is_primary
    )
    documents = tuple(
        DocumentInput(
            d.doc_type, d.number.translate(OCR) if rng.random() < 0.5 else d.number, d.issuing_state
        )
        for d in person.documents.all()[:1]
    )
    return PersonInput(
        names=names,
        sex=person.sex,
        birth_date=person.birth_date,
        birth_date_precision="year" if rng.random() < 0.2 else person.birth_date_precision,
        nationalities=tuple(n.country for n in person.nationalities.all()),
        documents=documents,
    )


def both_paths(index, record, people, offices, **options):
    """The database path's answer and the index's (brought up to date first), for the same question."""
    # Ids and versions repeat from test to test (each rolls back): the process cache keyed by them must not.
    FEATURES._items.clear()
    expected = database_candidates(record, people, **options)
    found = answer(
        index,
        record,
        offices=offices,
        exclude_id=options.get("exclude_id"),
        limit=options.get("limit", 5),
        minimum_probability=options.get("minimum_probability", 0.0),
    )
    return expected, found


def test_the_index_answers_as_the_database_does_on_a_generated_registry(node, users, ctx_for):
    demo_people_load(
        people=900,
        state="KAZ",
        seed=11,
        offices=[node["almaty"], node["shymkent"], node["bcp"]],
        user=users["officer"],
        now=NOW,
    )
    # Half of the prepared rows written: the other half is built from the registry tables, as on first read.
    rebuild_all_candidate_features()
    Person.objects.filter(pk__in=list(Person.objects.values_list("pk", flat=True)[::2])).update(version=2)
    index = CandidateIndex.build()
    ctx = ctx_for(users["officer"])
    officer_offices = office_ids_in_scope(ctx, Capability.PERSON_VIEW)
    rng = random.Random(5)
    people = list(Person.objects.order_by("?").prefetch_related("names", "documents", "nationalities")[:120])
    found_any = 0
    for person in people:
        record = record_of_draft(draft_of(person, rng))
        node_wide = Person.objects.filter(merged_into__isnull=True)
        expected, found = both_paths(index, record, node_wide, NODE_WIDE, limit=10)
        assert found == expected
        found_any += bool(found)
        expected, found = both_paths(
            index, record, person_scope(ctx=ctx), officer_offices, minimum_probability=0.05
        )
        assert found == expected
        expected, found = both_paths(index, record, node_wide, NODE_WIDE, exclude_id=person.pk)
        assert found == expected
    assert found_any > 100
    # People read again since the build (as after a change) answer from the overlay, not their build-time postings.
    index.reload(Person.objects.order_by("?").values_list("pk", flat=True)[:300])
    for person in people[:60]:
        record = record_of_draft(draft_of(person, rng))
        expected, found = both_paths(
            index, record, Person.objects.filter(merged_into__isnull=True), NODE_WIDE
        )
        assert found == expected


@pytest.fixture
def index(users, register):
    register(
        users["officer"],
        names=(NameInput("given", "Jamshed", "Latn"), NameInput("family", "Rahimov", "Latn")),
        birth_date=date(1985, 6, 1),
        documents=(DocumentInput("passport", "R1000001", "TJK"),),
    )
    return CandidateIndex.build()


def ids_found(index, draft, offices=NODE_WIDE):
    found = answer(
        index, record_of_draft(draft), offices=offices, exclude_id=None, limit=5, minimum_probability=0.0
    )
    assert found is not None
    return [c.person_id for c in found]


def test_a_person_registered_a_moment_ago_is_found(index, users, register):
    assert ids_found(index, LATIN_TWIN) == []
    person = register(users["officer"])
    assert ids_found(index, LATIN_TWIN) == [person.pk]


def test_an_edit_is_followed(index, users, register, ctx_for):
    person = register(users["officer"])
    assert ids_found(index, LATIN_TWIN) == [person.pk]
    renamed = person_input(
        names=(NameInput("given", "Bakhtiyor", "Latn"), NameInput("family", "Nazarov", "Latn")),
        birth_date=date(1971, 1, 5),
        documents=(DocumentInput("passport", "N7770001", "TJK"),),
    )
    person_update(ctx=ctx_for(users["officer"]), person_uuid=person.uuid, based_on_version=1, person=renamed)
    assert ids_found(index, LATIN_TWIN) == []
    assert ids_found(index, renamed) == [person.pk]
    record = record_of_draft(renamed)
    expected, found = both_paths(index, record, Person.objects.filter(merged_into__isnull=True), NODE_WIDE)
    assert found == expected


def test_a_merge_and_its_undo_are_followed(index, users, register, ctx_for, now):
    first = register(users["officer"])
    second = register(
        users["other_officer"],
        office="shymkent",
        names=LATIN_TWIN.names,
        documents=(*LATIN_TWIN.documents, DocumentInput("passport", "TJ5550001", "TJK")),
    )
    services.duplicate_check(person_id=second.pk, now=now)
    officer = ctx_for(users["officer"])
    almaty = office_ids_in_scope(officer, Capability.PERSON_VIEW)
    by_document = person_input(names=(), documents=(DocumentInput("passport", "TJ5550001", "TJK"),))
    assert ids_found(index, by_document, almaty) == []
    assert set(ids_found(index, LATIN_TWIN)) == {first.pk, second.pk}

    merge = services.duplicate_merge(
        ctx=ctx_for(users["supervisor"]),
        candidate_id=DuplicateCandidate.objects.get().pk,
        survivor_uuid=first.uuid,
        note="",
    )
    # The merged record is gone; the survivor holds its document, and so its Shymkent registration: still in
    # the Almaty officer's scope through its own.
    assert ids_found(index, LATIN_TWIN) == [first.pk]
    assert ids_found(index, by_document, almaty) == [first.pk]
    node_wide = Person.objects.filter(merged_into__isnull=True)
    for draft, people, offices in (
        (LATIN_TWIN, node_wide, NODE_WIDE),
        (by_document, person_scope(ctx=officer), almaty),
    ):
        expected, found = both_paths(index, record_of_draft(draft), people, offices)
        assert found == expected

    services.merge_undo(ctx=ctx_for(users["supervisor"]), merge_id=merge.pk)
    assert set(ids_found(index, LATIN_TWIN)) == {first.pk, second.pk}
    assert ids_found(index, by_document, almaty) == []
    assert ids_found(index, by_document) == [second.pk]


def test_an_event_committed_out_of_order_is_not_missed(users, register):
    person = register(users["officer"])
    feed = AuditFeed.start()
    high = feed.high

    def event(event_id: int) -> None:
        AuditEvent.objects.create(
            id=event_id,
            occurred_at=NOW,
            action="person.update",
            object_type="person",
            person_uuid=person.uuid,
        )

    # A later transaction commits first: the id it skipped is asked for again until it appears.
    event(high + 2)
    assert feed.read() == {person.uuid}
    assert high + 1 in feed.gaps
    assert feed.read() == set()
    event(high + 1)
    assert feed.read() == {person.uuid}
    assert high + 1 not in feed.gaps


def test_a_gap_is_given_up_after_the_longest_transaction(users, register):
    register(users["officer"])
    clock = [0.0]
    feed = AuditFeed.start(clock=lambda: clock[0])
    AuditEvent.objects.create(id=feed.high + 2, occurred_at=NOW, action="person.view", object_type="person")
    feed.read()
    clock[0] = 301.0
    feed.read()
    assert feed.gaps == {}


def test_a_bulk_load_asks_for_a_new_build(index, node, users):
    demo_people_load(people=3, state="KAZ", seed=3, offices=[node["almaty"]], user=users["officer"], now=NOW)
    with pytest.raises(UnableToFollowChanges):
        index.sync()


def test_without_an_index_or_inside_a_transaction_the_database_answers(settings, users, register):
    register(users["officer"])
    record = record_of_draft(LATIN_TWIN)
    settings.KARVON_CANDIDATE_INDEX = "off"
    assert resident_candidates(record, offices=NODE_WIDE) is None
    for mode in ("process", "server"):
        settings.KARVON_CANDIDATE_INDEX = mode
        assert resident_candidates(record, offices=NODE_WIDE) is None  # a test runs inside a transaction


class _SharingHandler(index_service._Handler):
    """Reads through the test's connection: the test's data is not committed."""

    shared: Any = None

    def setup(self) -> None:
        connections["default"] = self.shared
        super().setup()


def test_the_scoring_process_answers_over_its_socket(tmp_path, settings, users, register):
    person = register(users["officer"])
    state = index_service._State()
    state.index = CandidateIndex.build()
    path = str(tmp_path / "index.sock")
    shared = connections["default"]
    shared.inc_thread_sharing()
    _SharingHandler.shared = shared
    server = socketserver.UnixStreamServer(path, _SharingHandler)
    server.state = state  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.KARVON_CANDIDATE_INDEX_SOCKET = path
    record = record_of_draft(LATIN_TWIN)

    def ask() -> list[ScoredCandidate] | None:
        # What `resident_candidates` asks with KARVON_CANDIDATE_INDEX=server, outside a transaction.
        return index_service.ask(record, offices=NODE_WIDE, exclude_id=None, limit=5, minimum_probability=0.0)

    try:
        found = ask()
        assert found == database_candidates(record, Person.objects.filter(merged_into__isnull=True))
        assert found is not None and found[0].person_id == person.pk
        # Asked again on the same connection, after a new registration: found at once.
        twin = register(users["officer"], names=LATIN_TWIN.names, documents=LATIN_TWIN.documents)
        found = ask()
        assert found is not None and {c.person_id for c in found} == {person.pk, twin.pk}
    finally:
        # The client's connection first: the handler serves it until it is closed.
        if index_service._local.sock is not None:
            index_service._local.sock.close()
            index_service._local.sock = None
        server.shutdown()
        server.server_close()
        shared.dec_thread_sharing()
    # Nobody listening: no answer, the database path is used.
    assert ask() is None
