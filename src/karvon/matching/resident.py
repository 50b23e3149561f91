"""The resident candidate index: every person's blocking postings, scope and comparison record held in memory.

The database path (`realtime.database_candidates`) reads, for each draft, the blocking postings in
`registry_namesearchkey` and `registry_identitydocument`, the scope in `registry_registration` and the candidates'
prepared rows; under load those reads are most of its time. This index holds the same data in the long-running
process that scores (the scoring process of `karvon candidate_index_serve`, or one process alone), ranks and
scopes exactly as the SQL does, and scores with the same code, so its answers are the database path's answers.

Freshness: every change to what matching reads of a person (a registration, an edit, a merge, its undo) goes
through a service that writes an audit event naming the person in the same transaction. Before each answer the
index reads the audit events committed since the last one it saw (`AuditFeed`) and reloads those people from the
registry tables. An answer therefore reflects every change committed before it was asked. See
docs/adr/0103-resident-candidate-index.md.
"""

from __future__ import annotations

import gc
import heapq
import json
import logging
import threading
import time
import uuid
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from operator import itemgetter

from django.conf import settings
from django.db import connection

from karvon.audit.models import AuditEvent
from karvon.matching.candidates import record_of_payload
from karvon.matching.models import CandidateFeatures
from karvon.matching.realtime import (
    CANDIDATE_LIMIT,
    NODE_WIDE,
    Scope,
    ScoredCandidate,
    best_blocked,
    document_numbers,
    draft_blocking,
    records_of_people,
    score_prepared,
)
from karvon.registry.models import IdentityDocument, NameSearchKey, Person, Registration
from karvon_match import PersonRecord, person_features
from karvon_match.dates import BirthDateFeatures
from karvon_match.features import NameFeatures, PersonFeatures

logger = logging.getLogger(__name__)

# Only these keys are ever looked up by a draft (`index_keys.draft_blocking_keys`); the search keys are not held.
BLOCKING_PREFIXES = ("fy:", "gy:", "fg:")
# Audited actions that change what matching reads of a person: names, sex, date of birth, documents,
# nationality, place of birth, registrations (the scope), merged or not. Each service that makes such a change
# writes one of them, naming the person, in the transaction of the change (person.photo raises the version
# too: reloading costs little). A new service that changes these must use one of them or be added here.
PERSON_WRITES = frozenset(
    {"person.create", "person.update", "person.merge", "person.unmerge", "person.photo"}
)
# Bulk writes that name no person (the demo loader inserts people in bulk): the index is built again.
BULK_WRITES = frozenset({"demo.load"})
# An audit id below the highest seen but not yet seen belongs to a transaction still open (ids are taken when a
# row is written, commits come in any order) or rolled back. It is asked for again on every read until it appears
# or this many seconds pass: longer than any transaction of a service.
GAP_SECONDS = 300.0
GAP_LIMIT = 5_000
# At start, ids this far below the highest are checked for transactions still open.
START_WINDOW = 2_000
BUILD_RANGE = 50_000


class UnableToFollowChanges(Exception):
    """The audit trail cannot be followed person by person (a bulk load, too many open gaps): build again."""


@dataclass
class AuditFeed:
    """The audit trail read as a change feed: the events above the highest id seen, and the ids below it not seen
    yet (transactions that took their id earlier but committed later)."""

    high: int
    gaps: dict[int, float] = field(default_factory=dict)
    clock: Callable[[], float] = time.monotonic

    @classmethod
    def start(cls, clock: Callable[[], float] = time.monotonic) -> AuditFeed:
        """The feed as of now; read it before reading the data, so that nothing committed after is missed."""
        table = AuditEvent._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608
            high = int(cursor.fetchone()[0] or 0)
            cursor.execute(f"SELECT id FROM {table} WHERE id > %s", [high - START_WINDOW])  # noqa: S608
            seen = {int(row[0]) for row in cursor.fetchall()}
        feed = cls(high=high, clock=clock)
        started = clock()
        feed.gaps = {i: started for i in range(max(1, high - START_WINDOW + 1), high + 1) if i not in seen}
        return feed

    def read(self) -> set[uuid.UUID]:
        """The people named by person writes committed since the last read; raises UnableToFollowChanges."""
        table = AuditEvent._meta.db_table
        gaps = sorted(self.gaps)
        sql = f"SELECT id, action, person_uuid FROM {table} WHERE id > %s"  # noqa: S608
        if gaps:
            sql += f" OR id IN ({', '.join(['%s'] * len(gaps))})"
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.high, *gaps])
            rows = cursor.fetchall()
        now = self.clock()
        changed: set[uuid.UUID] = set()
        for event_id, action, person_uuid in sorted(rows):
            event_id = int(event_id)
            if action in BULK_WRITES:
                raise UnableToFollowChanges(action)
            if action in PERSON_WRITES and person_uuid is not None:
                changed.add(
                    person_uuid if isinstance(person_uuid, uuid.UUID) else uuid.UUID(str(person_uuid))
                )
            if event_id > self.high:
                for missing in range(self.high + 1, event_id):
                    self.gaps[missing] = now
                self.high = event_id
            else:
                self.gaps.pop(event_id, None)
        for missing, since in list(self.gaps.items()):
            if now - since > GAP_SECONDS:
                del self.gaps[missing]
        if len(self.gaps) > GAP_LIMIT:
            raise UnableToFollowChanges("gaps")
        return changed


class CandidateIndex:
    """Blocking postings, scope and comparison records of every person, with the database path's ranking.

    Postings loaded at build time stay as they were; a person reloaded since is marked `_moved` (their build-time
    postings no longer count) and their current postings go to small overlay tables. Not thread-safe: callers
    hold `lock` around `sync` and `candidates`.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.feed = AuditFeed(high=0)
        self.built_seconds = 0.0
        self.people = 0
        # key -> person id, or the ids (one per posting), as loaded at build time
        self._keys: dict[str, int | array[int]] = {}
        # normalised document number -> person ids, one per document row (a person holding it twice counts twice)
        self._documents: dict[str, int | array[int]] = {}
        self._moved: set[int] = set()
        self._fresh_keys: dict[str, set[int]] = {}
        self._fresh_documents: dict[str, list[int]] = {}
        self._fresh_of: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # By person id: 1 when the person exists and is not merged away; their first office; their prepared
        # comparison features (prepared once: preparing 20 candidates per draft would cost as much as scoring them).
        self._current = bytearray()
        self._office = array("i")
        self._more_offices: dict[int, frozenset[int]] = {}
        self._features: list[PersonFeatures | None] = []
        # Equal parts of features (a name's spellings, a date of birth) are kept once: names repeat endlessly.
        self._names: dict[NameFeatures, NameFeatures] = {}
        self._births: dict[BirthDateFeatures, BirthDateFeatures] = {}

    # Building -------------------------------------------------------------------------------------------

    @classmethod
    def build(cls, progress: Callable[[int], None] | None = None) -> CandidateIndex:
        """Read every person from the database, a range of ids at a time."""
        started = time.perf_counter()
        index = cls()
        index.feed = AuditFeed.start()
        top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        index._grow(top)
        # People registered after `top` was read come through the feed, which started before it.
        for start in range(0, top, BUILD_RANGE):
            index._load_range(start, min(top, start + BUILD_RANGE))
            if progress is not None:
                progress(min(top, start + BUILD_RANGE))
        index.people = sum(index._current)
        # Millions of long-lived objects: the cyclic collector would walk them all on each full collection, inside
        # some answer. They never form garbage cycles: leave them out of it.
        gc.collect()
        gc.freeze()
        index.built_seconds = time.perf_counter() - started
        return index

    def _grow(self, top: int) -> None:
        missing = top + 1 - len(self._current)
        if missing > 0:
            self._current.extend(bytes(missing))
            self._office.frombytes(bytes(self._office.itemsize * missing))
            self._features.extend([None] * missing)

    def _load_range(self, low: int, high: int) -> None:
        pg = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, version, merged_into_id FROM {Person._meta.db_table} "  # noqa: S608
                "WHERE id > %s AND id <= %s",
                [low, high],
            )
            versions: dict[int, int] = {}
            for pk, version, merged_into in cursor.fetchall():
                if merged_into is None:
                    versions[pk] = version
                    self._current[pk] = 1
            cursor.execute(
                f"SELECT person_id, office_id FROM {Registration._meta.db_table} "  # noqa: S608
                "WHERE person_id > %s AND person_id <= %s",
                [low, high],
            )
            for person_id, office_id in cursor.fetchall():
                self._add_office(person_id, office_id)
            prefixes = " OR ".join(["key LIKE %s"] * len(BLOCKING_PREFIXES))
            cursor.execute(
                f"SELECT key, person_id FROM {NameSearchKey._meta.db_table} "  # noqa: S608
                f"WHERE person_id > %s AND person_id <= %s AND ({prefixes}) ORDER BY person_id",
                [low, high, *(f"{p}%" for p in BLOCKING_PREFIXES)],
            )
            for key, person_id in cursor.fetchall():
                _post(self._keys, key, person_id)
            cursor.execute(
                f"SELECT person_id, number_normalised FROM {IdentityDocument._meta.db_table} "  # noqa: S608
                "WHERE person_id > %s AND person_id <= %s ORDER BY id",
                [low, high],
            )
            for person_id, number in cursor.fetchall():
                _post(self._documents, number, person_id)
            payload = "payload::text" if pg else "payload"
            cursor.execute(
                f"SELECT person_id, version, {payload} FROM {CandidateFeatures._meta.db_table} "  # noqa: S608
                "WHERE person_id > %s AND person_id <= %s",
                [low, high],
            )
            for person_id, version, text in cursor.fetchall():
                if versions.get(person_id) == version:
                    payload = json.loads(text) if isinstance(text, str) else text
                    self._prepare(person_id, record_of_payload(person_id, payload))
        # Rows missing or older than the person: from the registry tables, as `candidates.candidate_records` does.
        stale = [pk for pk in versions if self._features[pk] is None]
        for pk, record in records_of_people(stale).items():
            self._prepare(pk, record)

    def _prepare(self, pk: int, record: PersonRecord | None) -> None:
        if record is None:
            self._features[pk] = None
            return
        features = person_features(record)
        names = self._names
        self._features[pk] = replace(
            features,
            given=names.setdefault(features.given, features.given),
            family=names.setdefault(features.family, features.family),
            patronymic=names.setdefault(features.patronymic, features.patronymic),
            birth=self._births.setdefault(features.birth, features.birth),
            place=names.setdefault(features.place, features.place),
        )

    def _add_office(self, person_id: int, office_id: int) -> None:
        first = self._office[person_id]
        if first == 0:
            self._office[person_id] = office_id
        elif first != office_id:
            self._more_offices[person_id] = self._more_offices.get(person_id, frozenset({first})) | {
                office_id
            }

    # Freshness -------------------------------------------------------------------------------------------

    def sync(self) -> int:
        """Reload the people changed since the last call; returns how many. Raises UnableToFollowChanges."""
        return self.reload_named(self.feed.read())

    def reload_named(self, changed: set[uuid.UUID]) -> int:
        if not changed:
            return 0
        ids = list(Person.objects.filter(uuid__in=changed).values_list("pk", flat=True))
        self.reload(ids)
        return len(ids)

    def reload(self, ids: Iterable[int]) -> None:
        """Read these people again from the registry tables (committed data only, when not in a transaction)."""
        ids = sorted(set(ids))
        if not ids:
            return
        self._grow(ids[-1])
        current = set(
            Person.objects.filter(pk__in=ids, merged_into__isnull=True).values_list("pk", flat=True)
        )
        offices: dict[int, set[int]] = {pk: set() for pk in ids}
        for person_id, office_id in Registration.objects.filter(person_id__in=ids).values_list(
            "person_id", "office_id"
        ):
            offices[person_id].add(office_id)
        keys: dict[int, list[str]] = {pk: [] for pk in ids}
        for person_id, key in NameSearchKey.objects.filter(person_id__in=ids).values_list("person_id", "key"):
            if key.startswith(BLOCKING_PREFIXES):
                keys[person_id].append(key)
        documents = document_numbers(ids)
        records = records_of_people(sorted(current))
        for pk in ids:
            self._forget_fresh(pk)
            self._moved.add(pk)
            self._current[pk] = 1 if pk in current else 0
            self._office[pk] = min(offices[pk], default=0)
            self._more_offices.pop(pk, None)
            if len(offices[pk]) > 1:
                self._more_offices[pk] = frozenset(offices[pk])
            self._prepare(pk, records.get(pk))
            for key in keys[pk]:
                self._fresh_keys.setdefault(key, set()).add(pk)
            for number in documents[pk]:
                self._fresh_documents.setdefault(number, []).append(pk)
            self._fresh_of[pk] = (tuple(keys[pk]), tuple(documents[pk]))

    def _forget_fresh(self, pk: int) -> None:
        keys, documents = self._fresh_of.pop(pk, ((), ()))
        for key in keys:
            self._fresh_keys[key].discard(pk)
        for number in documents:
            holders = self._fresh_documents[number]
            holders[:] = [p for p in holders if p != pk]

    # Answering ------------------------------------------------------------------------------------------

    def _document_holders(self, number: str) -> list[int]:
        """One id per document row with this number: build-time rows of people not changed since, then current."""
        loaded = self._documents.get(number)
        found: list[int] = [] if loaded is None else [loaded] if isinstance(loaded, int) else list(loaded)
        if self._moved and found:
            found = [pk for pk in found if pk not in self._moved]
        found.extend(self._fresh_documents.get(number, ()))
        return found

    def postings(self, keys: list[str], documents: list[str]) -> list[tuple[int, int]]:
        """(person id, weight) as `realtime._postings` gives them: at most 20 document rows (10 each), and the 80
        people sharing the most blocking keys (1 a key), most first, then highest id."""
        found: list[tuple[int, int]] = []
        if documents:
            rows: list[int] = []
            for number in documents:
                rows.extend(self._document_holders(number))
            found.extend((pk, 10) for pk in rows[:CANDIDATE_LIMIT])
        if keys:
            found.extend(self._most_shared(keys, CANDIDATE_LIMIT * 4))
        return found

    def _most_shared(self, keys: list[str], n: int) -> list[tuple[int, int]]:
        """The `n` people holding the most of these keys, most first, then highest id: what `ORDER BY
        COUNT(*) DESC, person_id DESC LIMIT n` gives. A common name's keys hold thousands of people, so the
        per-person work is left to C (`Counter.update` over the arrays, set operations); Python loops over the
        people sharing two keys or more, and over the highest ids of the rest, found in the lists' tails (the
        build-time arrays are in id order)."""
        loaded = [held for key in keys if (held := self._keys.get(key)) is not None]
        counts: Counter[int] = Counter()
        for held in loaded:
            if isinstance(held, int):
                counts[held] += 1
            else:
                counts.update(held)
        if self._moved:
            # Build-time postings of people changed since no longer hold; their current ones are in the overlay.
            for pk in self._moved.intersection(counts):
                del counts[pk]
        fresh: set[int] = set()
        for key in keys:
            holders = self._fresh_keys.get(key)
            if holders:
                fresh |= holders
                for pk in holders:
                    counts[pk] += 1
        by_count = itemgetter(1, 0)
        shared = [(pk, count) for pk, count in counts.items() if count > 1]
        if len(shared) >= n:
            return heapq.nlargest(n, shared, key=by_count)
        # Everyone sharing two keys or more, then the highest ids among those sharing one. In each id-ordered
        # array, those are in its last n entries, once people moved since the build are skipped.
        tail = n + len(self._moved)
        once = fresh.union(*(held[-tail:] if not isinstance(held, int) else (held,) for held in loaded))
        single = heapq.nlargest(n - len(shared), (pk for pk in once if counts.get(pk) == 1))
        return sorted(shared, key=by_count, reverse=True) + [(pk, 1) for pk in single]

    def allowed(self, pk: int, offices: Scope) -> bool:
        """The scope rule of `registry.selectors.person_scope`: not merged away, registered at one of `offices`."""
        if pk >= len(self._current) or not self._current[pk]:
            return False
        if offices == NODE_WIDE:
            return True
        if self._office[pk] in offices:
            return True
        more = self._more_offices.get(pk)
        return more is not None and not offices.isdisjoint(more)

    def features(self, pk: int) -> PersonFeatures | None:
        return self._features[pk] if pk < len(self._features) else None

    def candidates(
        self,
        record: PersonRecord,
        *,
        offices: Scope,
        exclude_id: int | None = None,
        limit: int = 5,
        minimum_probability: float = 0.0,
    ) -> list[ScoredCandidate]:
        """What `realtime.database_candidates` answers for the same data, from memory."""
        keys, documents = draft_blocking(record)
        if not keys and not documents:
            return []
        best = best_blocked(self.postings(keys, documents), exclude_id)
        chosen = [pk for pk in best if self.allowed(pk, offices)][:CANDIDATE_LIMIT]
        prepared = {pk: f for pk in chosen if (f := self.features(pk)) is not None}
        if not prepared:
            return []
        return score_prepared(
            person_features(record), prepared, limit=limit, minimum_probability=minimum_probability
        )


def _post(table: dict[str, int | array[int]], value: str, person_id: int) -> None:
    """Add one posting; a value held by one person (most of them) costs an int, not an array."""
    held = table.get(value)
    if held is None:
        table[value] = person_id
    elif isinstance(held, int):
        table[value] = array("i", (held, person_id))
    else:
        held.append(person_id)


class _InProcess:
    """The index of this process (`KARVON_CANDIDATE_INDEX=process`), built in a background thread on first use."""

    def __init__(self) -> None:
        self.index: CandidateIndex | None = None
        self._building = threading.Lock()

    def get(self) -> CandidateIndex | None:
        if self.index is None and self._building.acquire(blocking=False):
            threading.Thread(target=self._build, name="candidate-index", daemon=True).start()
        return self.index

    def _build(self) -> None:
        try:
            self.index = CandidateIndex.build()
            logger.info(
                "candidate index built: %d people in %.1f s", self.index.people, self.index.built_seconds
            )
        finally:
            connection.close()
            self._building.release()

    def drop(self) -> None:
        self.index = None


IN_PROCESS = _InProcess()


def answer(
    index: CandidateIndex,
    record: PersonRecord,
    *,
    offices: Scope,
    exclude_id: int | None,
    limit: int,
    minimum_probability: float,
) -> list[ScoredCandidate] | None:
    """Bring the index up to date, then answer: the answer reflects every change committed before the call.
    None when the index must be built again (the caller asks the database)."""
    with index.lock:
        try:
            index.sync()
        except UnableToFollowChanges:
            return None
        return index.candidates(
            record,
            offices=offices,
            exclude_id=exclude_id,
            limit=limit,
            minimum_probability=minimum_probability,
        )


def resident_candidates(
    record: PersonRecord,
    *,
    offices: Scope,
    exclude_id: int | None = None,
    limit: int = 5,
    minimum_probability: float = 0.0,
) -> list[ScoredCandidate] | None:
    """The index's answer, or None when there is none to give (no index configured or built yet, the scoring
    process unreachable, or a transaction open on this connection): the caller then asks the database."""
    mode = getattr(settings, "KARVON_CANDIDATE_INDEX", "off")
    if mode not in ("server", "process") or connection.in_atomic_block:
        # Inside a transaction the caller may have changed people it has not committed: the index, which reads
        # committed changes only (and must not read uncommitted ones into memory shared by every request),
        # would not see them. The database path answers instead.
        return None
    if mode == "server":
        from karvon.matching.index_service import ask

        return ask(
            record,
            offices=offices,
            exclude_id=exclude_id,
            limit=limit,
            minimum_probability=minimum_probability,
        )
    index = IN_PROCESS.get()
    if index is None:
        return None
    found = answer(
        index,
        record,
        offices=offices,
        exclude_id=exclude_id,
        limit=limit,
        minimum_probability=minimum_probability,
    )
    if found is None:
        IN_PROCESS.drop()
    return found
