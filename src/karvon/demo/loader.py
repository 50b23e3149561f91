"""Load generated demo people into the registry in bulk: explicit ids, large batches, one transaction each.

Rows are built once, as plain tuples in the column order of `COLUMNS`, then written by the fastest path of the
database: PostgreSQL's COPY (psycopg 3's `cursor.copy()`), or `bulk_create` elsewhere (SQLite). Ids are assigned
here, from the highest id in each table, so rows can be linked before they are inserted; the sequences are moved
past them at the end.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import time as dt_time
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Max, Model

from karvon.accounts.models import Office, User
from karvon.audit.services import audit_record
from karvon.demo.generator import DemoPerson, DemoRegistration, generate_registrations
from karvon.registry.contracts import ProfileInput
from karvon.registry.index_keys import person_index_keys
from karvon.registry.models import (
    Household,
    HouseholdMembership,
    IdentityDocument,
    NameSearchKey,
    Person,
    PersonLanguage,
    PersonName,
    PersonNationality,
    ProfileRecord,
    ReferralSuggestion,
    Registration,
    SpecificNeed,
)
from karvon.registry.profiling import referrals_suggested
from karvon.registry.services import document_number_normalised
from karvon_match import normalise_text

BATCH_PEOPLE = 5000

# Every column the loader writes, by attribute name, in the order of the row tuples below. A column left out
# must be nullable without a default (checked by `_check_columns`): the row leaves it NULL.
COLUMNS: dict[type[Model], tuple[str, ...]] = {
    Person: (
        "id",
        "uuid",
        "sex",
        "birth_date",
        "birth_date_precision",
        "place_of_birth",
        "place_of_birth_country",
        "phone",
        "email",
        "address",
        "photo",
        "version",
        "created_at",
        "updated_at",
        "created_by_id",
    ),
    PersonName: ("id", "person_id", "part", "text", "script", "source", "is_primary", "position"),
    NameSearchKey: ("id", "person_id", "key"),
    PersonNationality: ("id", "person_id", "country"),
    PersonLanguage: ("id", "person_id", "language"),
    IdentityDocument: (
        "id",
        "person_id",
        "doc_type",
        "number",
        "number_normalised",
        "issuing_state",
        "issue_date",
        "expiry_date",
        "mrz",
    ),
    Household: ("id", "uuid", "office_id", "created_at", "created_by_id"),
    HouseholdMembership: ("id", "household_id", "person_id", "relationship", "started_on", "ended_on"),
    Registration: (
        "id",
        "uuid",
        "person_id",
        "household_id",
        "office_id",
        "registered_on",
        "met_at",
        "referred_by",
        "arrival_date",
        "transit_countries",
        "created_at",
        "created_by_id",
    ),
    ProfileRecord: (
        "id",
        "person_id",
        "profile_types",
        "fear_of_return",
        "notes",
        "recorded_at",
        "recorded_by_id",
        "office_id",
    ),
    SpecificNeed: ("id", "person_id", "profile_id", "code"),
    ReferralSuggestion: (
        "id",
        "profile_id",
        "person_id",
        "procedure",
        "reason",
        "decision",
        "decision_note",
        "decided_at",
        "decided_by_id",
    ),
}
# Insert order: referenced tables first.
MODELS = tuple(COLUMNS)
# JSON columns travel as JSON text (what COPY takes); bulk_create gets them decoded.
JSON_COLUMNS: dict[type[Model], tuple[str, ...]] = {
    Registration: ("transit_countries",),
    ProfileRecord: ("profile_types",),
}


@lru_cache(maxsize=500_000)
def _normalised(text: str) -> str:
    return normalise_text(text)


@lru_cache(maxsize=500_000)
def _document_normalised(number: str) -> str:
    return document_number_normalised(number)


@lru_cache(maxsize=4096)
def _json_list(items: tuple[str, ...]) -> str:
    return json.dumps(list(items))


def _check_columns() -> None:
    """Fail loudly when a model gained a column the loader would silently leave NULL."""
    for model, columns in COLUMNS.items():
        for field in model._meta.concrete_fields:
            if field.attname not in columns and not (field.null and not field.has_default()):
                raise RuntimeError(f"demo loader: {model.__name__}.{field.attname} is not loaded")


@dataclass
class _Ids:
    """Next free primary key per model: ids are assigned here so rows can be linked before insert."""

    next_ids: dict[type[Model], int]

    @classmethod
    def from_database(cls) -> _Ids:
        return cls({model: (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1 for model in MODELS})

    def take(self, model: type[Model]) -> int:
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def take_many(self, model: type[Model], count: int) -> int:
        """The first of `count` consecutive ids."""
        value = self.next_ids[model]
        self.next_ids[model] = value + count
        return value


@dataclass(frozen=True)
class LoadReport:
    people: int
    households: int
    seconds: float


Rows = dict[type[Model], list[tuple[Any, ...]]]


def _empty_rows() -> Rows:
    return {model: [] for model in MODELS}


def _write(rows: Rows) -> None:
    """Insert one batch in one transaction, on the calling thread's connection."""
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy(rows, own_transaction=own_transaction)
        else:
            _bulk_create(rows)


def _copy(rows: Rows, *, own_transaction: bool) -> None:
    # Search keys in key order: the (key, person) index then takes each batch as a few runs of neighbouring
    # entries instead of tens of thousands of scattered ones.
    rows[NameSearchKey].sort(key=itemgetter(2))
    with connection.cursor() as cursor:
        if own_transaction:  # a setting that outlives the batch would leak into the caller's transaction
            _references_checked_here(cursor, rows)
        for model in MODELS:
            if not rows[model]:
                continue
            column_of = {field.attname: field.column for field in model._meta.concrete_fields if field.column}
            columns = ", ".join(connection.ops.quote_name(column_of[name]) for name in COLUMNS[model])
            table = connection.ops.quote_name(model._meta.db_table)
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows[model]:
                    write_row(row)


def _references_checked_here(cursor: Any, rows: Rows) -> None:
    """Check the batch's foreign keys once, instead of by a trigger per row and key (more than half the load).

    Every reference of a batch points into the same batch, by the ids assigned here, except the offices and the
    loading user; those are checked and locked against deletion (FOR KEY SHARE, as the per-row checks do) before
    the per-row checks are switched off for this transaction (`session_replication_role`, which needs a
    superuser or, from PostgreSQL 15, `GRANT SET ON PARAMETER`). Without that right the per-row checks stay.
    """
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return
    households = rows[Household]
    for model, ids in ((Office, {row[2] for row in households}), (User, {row[4] for row in households})):
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT id FROM {table} WHERE id = ANY(%s) FOR KEY SHARE", [sorted(ids)])  # noqa: S608
        missing = ids - {found for (found,) in cursor.fetchall()}
        if missing:
            raise IntegrityError(f"demo loader: {model.__name__} {sorted(missing)} do not exist")


def _bulk_create(rows: Rows) -> None:
    for model in MODELS:
        if not rows[model]:
            continue
        columns = COLUMNS[model]
        json_at = [columns.index(name) for name in JSON_COLUMNS.get(model, ())]
        objects = []
        for row in rows[model]:
            values = list(row)
            for index in json_at:
                values[index] = json.loads(values[index])
            objects.append(model(**dict(zip(columns, values, strict=True))))
        model._default_manager.bulk_create(objects, batch_size=2000)


class _Writer:
    """Writes batches in order; on PostgreSQL from a second thread and connection, so that the database inserts
    one batch while the next is generated (the wait for the server releases the GIL).

    Inside an enclosing transaction (a test's) the rows must go through the caller's connection: written here.
    """

    def __init__(self) -> None:
        self.threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.error: BaseException | None = None
        self.queue: queue.Queue[Rows | None] = queue.Queue(maxsize=1)
        self.thread: threading.Thread | None = None
        if self.threaded:
            self.thread = threading.Thread(target=self._run, name="demo-loader-writer", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        try:
            while (rows := self.queue.get()) is not None:
                if self.error is None:
                    _write(rows)
        except BaseException as exc:  # handed to the generating thread, which raises it
            self.error = exc
            while self.queue.get() is not None:  # drain, so the producer never blocks on a dead writer
                pass
        finally:
            connection.close()

    def put(self, rows: Rows) -> None:
        if self.error is not None:
            raise self.error
        if self.thread is None:
            _write(rows)
        else:
            self.queue.put(rows)

    def close(self) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


def _person_rows(
    rows: Rows, ids: _Ids, person: DemoPerson, *, person_id: int, user_id: int, at: datetime
) -> None:
    rows[Person].append(
        (
            person_id,
            uuid.uuid4(),
            person.sex,
            person.birth_date,
            person.birth_date_precision,
            person.place_of_birth,
            "",
            person.phone,
            "",
            "",
            "",
            1,
            at,
            at,
            user_id,
        )
    )
    names = rows[PersonName]
    spellings: list[tuple[str, str]] = []
    parts_with_primary: set[str] = set()
    seen: set[tuple[str, str, str]] = set()
    for name in person.names:
        part = name.part
        for spelling in name.spellings:
            text = _normalised(spelling.text)
            if not text or (part, text, spelling.source) in seen:
                continue
            seen.add((part, text, spelling.source))
            is_primary = part not in parts_with_primary
            parts_with_primary.add(part)
            # position: the order of the person's spellings, counted over every name part.
            names.append(
                (
                    ids.take(PersonName),
                    person_id,
                    part,
                    text,
                    spelling.script,
                    spelling.source,
                    is_primary,
                    len(seen) - 1,
                )
            )
            spellings.append((part, text))
    # Name keys for the search box plus blocking keys for matching, as the registry's services store them.
    keys = person_index_keys(spellings, person.birth_date)
    first = ids.take_many(NameSearchKey, len(keys))
    rows[NameSearchKey].extend((first + i, person_id, key) for i, key in enumerate(sorted(keys)))
    for code in dict.fromkeys(person.nationalities):
        rows[PersonNationality].append((ids.take(PersonNationality), person_id, code))
    for code in dict.fromkeys(person.languages):
        rows[PersonLanguage].append((ids.take(PersonLanguage), person_id, code))
    seen_docs: set[tuple[str, str, str]] = set()
    for document in person.documents:
        normalised = _document_normalised(document.number)
        key = (document.doc_type, document.issuing_state, normalised)
        if key in seen_docs:
            continue
        seen_docs.add(key)
        rows[IdentityDocument].append(
            (
                ids.take(IdentityDocument),
                person_id,
                document.doc_type,
                document.number,
                normalised,
                document.issuing_state,
                document.issue_date,
                document.expiry_date,
                "",
            )
        )


def _registration_rows(
    rows: Rows, ids: _Ids, registration: DemoRegistration, *, offices: list[Office], user_id: int
) -> int:
    office_id = offices[registration.office_index % len(offices)].pk
    registered_on = registration.registered_on
    at = datetime.combine(registered_on, dt_time(10, 0), tzinfo=UTC)
    household_id = ids.take(Household)
    rows[Household].append((household_id, uuid.uuid4(), office_id, at, user_id))
    referred_by = "UNHCR" if registration.met_at == "referral" else ""
    transit = _json_list(registration.transit_countries)
    for member in registration.members:
        person = member.person
        person_id = ids.take(Person)
        _person_rows(rows, ids, person, person_id=person_id, user_id=user_id, at=at)
        rows[HouseholdMembership].append(
            (ids.take(HouseholdMembership), household_id, person_id, member.relationship, registered_on, None)
        )
        rows[Registration].append(
            (
                ids.take(Registration),
                uuid.uuid4(),
                person_id,
                household_id,
                office_id,
                registered_on,
                registration.met_at,
                referred_by,
                registration.arrival_date,
                transit,
                at,
                user_id,
            )
        )
        if person.profiles:
            profile_id = ids.take(ProfileRecord)
            rows[ProfileRecord].append(
                (
                    profile_id,
                    person_id,
                    _json_list(person.profiles),
                    "asylum_seeker" in person.profiles,
                    "",
                    at,
                    user_id,
                    office_id,
                )
            )
            for code in dict.fromkeys(person.specific_needs):
                rows[SpecificNeed].append((ids.take(SpecificNeed), person_id, profile_id, code))
            profile = ProfileInput(
                profile_types=person.profiles,
                specific_needs=person.specific_needs,
                fear_of_return="asylum_seeker" in person.profiles,
            )
            for suggestion in referrals_suggested(profile, birth_date=person.birth_date, today=registered_on):
                rows[ReferralSuggestion].append(
                    (
                        ids.take(ReferralSuggestion),
                        profile_id,
                        person_id,
                        suggestion.procedure,
                        suggestion.reason,
                        "pending",
                        "",
                        None,
                        None,
                    )
                )
    return len(registration.members)


def _after_load() -> None:
    """Move the sequences past the ids taken here; on PostgreSQL also refresh the planner's statistics and, outside
    a transaction, the visibility map (VACUUM), without which index-only scans read the table after a bulk load."""
    if connection.vendor != "postgresql":
        return  # SQLite takes max(rowid)+1 by itself
    with connection.cursor() as cursor:
        for model in MODELS:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"  # noqa: S608
            )
        tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in MODELS)
        cursor.execute(f"ANALYZE {tables}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {tables}")


def demo_people_load(
    *,
    people: int,
    state: str,
    seed: int,
    offices: list[Office],
    user: User,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> LoadReport:
    """Generate and insert `people` demo persons with their households, registrations and profiles."""
    started = time.perf_counter()
    _check_columns()
    ids = _Ids.from_database()
    writer = _Writer()
    rows = _empty_rows()
    loaded = households = pending = 0
    registrations: Iterable[DemoRegistration] = generate_registrations(
        seed=seed, people=people, host_state=state, today=now.date(), n_offices=len(offices)
    )
    try:
        for registration in registrations:
            count = _registration_rows(rows, ids, registration, offices=offices, user_id=user.pk)
            loaded += count
            pending += count
            households += 1
            if pending >= BATCH_PEOPLE:
                writer.put(rows)
                rows = _empty_rows()
                pending = 0
                if progress:
                    progress(loaded)
        if pending:
            writer.put(rows)
    finally:
        writer.close()
    _after_load()
    audit_record(
        actor=None,
        action="demo.load",
        object_type="registry",
        occurred_at=now,
        changes={"people": loaded, "households": households, "seed": seed, "state": state},
    )
    return LoadReport(people=loaded, households=households, seconds=time.perf_counter() - started)
