"""Writes of the registry: one service per state change, each validated, atomic and audited."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, time
from decimal import Decimal
from ipaddress import IPv4Address, IPv4Interface, IPv6Address, IPv6Interface
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import F, Model
from django.tasks import Task
from django.tasks.signals import task_enqueued
from django.utils.translation import gettext as _
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from psycopg.types.json import Jsonb

from karvon.accounts.access import (
    AccessContext,
    UnableToAccess,
    office_ids_in_scope,
    require_capability,
    require_office,
)
from karvon.accounts.models import Office
from karvon.accounts.roles import Capability
from karvon.audit.models import AuditEvent
from karvon.audit.services import AuditEntry, audit_events, audit_record
from karvon.matching.candidates import refresh_candidate_features
from karvon.matching.tasks import duplicate_check_enqueue, duplicate_check_task
from karvon.presence.tasks import presence_refresh_enqueue, presence_refresh_task
from karvon.registry import validation
from karvon.registry.contracts import (
    ChangeByOthers,
    FieldError,
    MemberInput,
    PersonInput,
    ProfileInput,
    RegistrationInput,
    UnableToSaveStaleEdit,
    UnableToValidate,
)
from karvon.registry.index_keys import person_index_keys
from karvon.registry.models import (
    DatePrecision,
    Household,
    HouseholdMembership,
    IdentityDocument,
    NameSearchKey,
    Person,
    PersonLanguage,
    PersonName,
    PersonNationality,
    ProfileRecord,
    ReferralDecision,
    ReferralSuggestion,
    Registration,
    Relationship,
    SpecificNeed,
)
from karvon.registry.profiling import referrals_suggested
from karvon.registry.selectors import household_get_for_write, person_get_for_write
from karvon_match import normalise_text


def document_number_normalised(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def _birth_date_stored(person: PersonInput) -> date | None:
    """Dates known to the month or year are stored on the first day, as UNHCR's systems do."""
    value = person.birth_date
    if value is None:
        return None
    if person.birth_date_precision == DatePrecision.MONTH:
        return value.replace(day=1)
    if person.birth_date_precision in (DatePrecision.YEAR, DatePrecision.ESTIMATED):
        return value.replace(month=1, day=1)
    return value


@dataclass
class _Rows:
    """New rows of one model, to insert in this order. `parents` names, by the attname of a foreign key, the
    one-row `_Rows` inserted before them in the same `_insert` that the key points to."""

    model: type[Model]
    objs: Sequence[Model]
    parents: dict[str, _Rows] = dataclass_field(default_factory=dict)
    # Columns whose value follows from the ids of one-row groups inserted before them in the same `_insert`
    # (a queued task's arguments name the new person's id), by attname.
    computed: dict[str, _Computed] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class _Computed:
    """A column computed from the ids of `sources`: in SQL (`sql`, with {0}, {1}, … for the ids) and, to set the
    same value on the objects (and to write it on other databases), in Python (`value(*ids)`)."""

    sql: str
    value: Callable[..., Any]
    sources: tuple[_Rows, ...]


@dataclass(frozen=True)
class _Table:
    """What an INSERT of a model needs: its table, and its columns with their PostgreSQL types."""

    table: str
    fields: tuple[Any, ...]
    columns: str
    types: dict[str, str]


_TABLES: dict[type[Model], _Table] = {}


class _PreparedCursor(psycopg.Cursor[Any]):
    """A cursor with server-side binding whose statements are prepared on first use and kept by the connection.

    `_insert`'s statement is the same text for every registration of one person (only its one parameter changes),
    so PostgreSQL parses and plans it once per connection instead of once per registration (about 1.4 ms of its
    CPU for the eleven INSERTs). Django's own cursors bind on the client side and never prepare."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None
    ) -> Any:
        return super().execute(query, params, prepare=True, binary=binary)


def _table(model: type[Model], db: Any) -> _Table:
    known = _TABLES.get(model)
    if known is None:
        meta = model._meta
        fields = tuple(f for f in meta.concrete_fields if f is not meta.auto_field)
        known = _TABLES[model] = _Table(
            table=db.ops.quote_name(meta.db_table),
            fields=fields,
            columns=", ".join(db.ops.quote_name(f.column) for f in fields),
            types={f.attname: str(f.db_type(db)) for f in fields},
        )
    return known


def _json_cell(value: Any) -> Any:
    """A value as `get_db_prep_save` gives it for PostgreSQL, in JSON (cast back to the column's type in SQL)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal | IPv4Address | IPv6Address | IPv4Interface | IPv6Interface):
        return str(value)
    if isinstance(value, Jsonb):
        return (value.dumps or json.dumps)(value.obj)  # a JSON column's text, as the ORM would send it
    raise TypeError(f"cannot pass {type(value).__name__} to _insert")


def _insert(groups: list[_Rows]) -> None:
    """Insert new model instances, as `save()` / `bulk_create()` would (the same values, ids set on them).

    On PostgreSQL all of them go in one prepared statement, one data-modifying CTE per group (a registration is a
    household, a person, their spellings, keys, nationalities, languages and documents, a membership, a
    registration, the audit events and the queued tasks), with every value in one JSON parameter: the ORM's
    INSERTs cost each a round trip and far more CPU, in Python (building, quoting each value) and in the database,
    than the rows themselves. The text depends only on the groups' models and parents, never on how many rows
    each has (an empty group is an INSERT of no rows), so the statement of a one-person registration is prepared
    once per connection. Elsewhere the groups go one `save()` or `bulk_create()` each.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        for group in groups:
            for attname, parent in group.parents.items():
                for obj in group.objs:
                    setattr(obj, attname, parent.objs[0].pk)
            _set_computed(group)
            if len(group.objs) == 1:
                group.objs[0].save(force_insert=True)
            elif group.objs:
                group.model._default_manager.bulk_create(group.objs)
        return
    number = {id(group): index for index, group in enumerate(groups)}
    shape = tuple(
        (
            group.model,
            tuple((attname, number[id(parent)]) for attname, parent in group.parents.items()),
            tuple(
                (attname, c.sql, tuple(number[id(source)] for source in c.sources))
                for attname, c in group.computed.items()
            ),
        )
        for group in groups
    )
    statement = _STATEMENTS.get(shape)
    if statement is None:
        statement = _STATEMENTS[shape] = _insert_statement(shape, db)
    payload: list[list[list[Any]]] = []
    for group in groups:
        typed = [
            f
            for f in _table(group.model, db).fields
            if f.attname not in group.parents and f.attname not in group.computed
        ]
        payload.append(
            [[_json_cell(f.get_db_prep_save(f.pre_save(obj, True), db)) for f in typed] for obj in group.objs]
        )
    db.ensure_connection()
    raw = _PreparedCursor(db.connection)
    # Django's wrapper, for its error translation and query log.
    with (CursorDebugWrapper if db.queries_logged else CursorWrapper)(raw, db) as cursor:
        cursor.execute(statement, [json.dumps(payload)])
        assigned = cursor.fetchone()
    for group, group_ids in zip(groups, assigned, strict=True):
        # Ids from a sequence come back in the order of the objects; a primary key the object had (a uuid) stays.
        generated = group.model._meta.auto_field is not None
        for obj, pk in zip(group.objs, group_ids or [], strict=True):
            if generated:
                obj.pk = pk
            for attname, parent in group.parents.items():
                setattr(obj, attname, parent.objs[0].pk)
            obj._state.adding = False
            obj._state.db = db.alias
        _set_computed(group)


def _set_computed(group: _Rows) -> None:
    for attname, computed in group.computed.items():
        value = computed.value(*(source.objs[0].pk for source in computed.sources))
        for obj in group.objs:
            setattr(obj, attname, value)


_STATEMENTS: dict[tuple[Any, ...], str] = {}


def _insert_statement(
    shape: tuple[
        tuple[type[Model], tuple[tuple[str, int], ...], tuple[tuple[str, str, tuple[int, ...]], ...]], ...
    ],
    db: Any,
) -> str:
    """The SQL of `_insert` for groups of these models, each with its parents (attname, index of the parent's group)
    and its computed columns (attname, SQL, indexes of the groups whose ids the SQL takes).

    Each group's rows come from its element of the JSON array parameter, in order (ORDER BY: the ids follow the
    order of the objects); a parent's id is a scalar subquery on the parent's CTE. The planner assumes 100 rows
    a function; with one scalar subquery per parent (not a join of the CTEs, whose products of such guesses it
    once estimated high enough to compile the statement with JIT, 45 ms each time) the plan stays cheap."""
    ctes: list[str] = []
    for index, (model, parents, computed) in enumerate(shape):
        table = _table(model, db)
        parent_of = dict(parents)
        computed_names = {attname for attname, _, _ in computed}
        typed = [f for f in table.fields if f.attname not in parent_of and f.attname not in computed_names]
        cell = {f.attname: f"(row.value->>{i})::{table.types[f.attname]}" for i, f in enumerate(typed)}
        for attname, sql, sources in computed:
            cell[attname] = sql.format(*(f"(SELECT id FROM t{source})" for source in sources))  # noqa: S608
        select = ", ".join(
            f"(SELECT id FROM t{parent_of[f.attname]})"  # noqa: S608
            if f.attname in parent_of
            else cell[f.attname]
            for f in table.fields
        )
        # Names in the SQL come from the models; every value is in the one parameter.
        ctes.append(
            f"t{index} AS (INSERT INTO {table.table} ({table.columns}) SELECT {select}"  # noqa: S608
            f" FROM (SELECT e.value, e.position FROM payload, jsonb_array_elements(payload.rows->{index})"
            " WITH ORDINALITY AS e (value, position)) row ORDER BY row.position RETURNING id)"
        )
    ids = ", ".join(f"(SELECT array_agg(id ORDER BY id) FROM t{index})" for index in range(len(shape)))  # noqa: S608
    return f"WITH payload AS (SELECT %s::jsonb AS rows), {', '.join(ctes)} SELECT {ids}"


def _detail_rows(person: Person, data: PersonInput) -> dict[str, list[Any]]:
    """The names, keys, nationalities, languages and documents of `data`, as new rows of `person`."""
    names: list[PersonName] = []
    seen_primary: set[str] = set()
    seen_spelling: set[tuple[str, str, str]] = set()
    for position, name in enumerate(data.names):
        text = normalise_text(name.text)
        if not text or (name.part, text, name.source) in seen_spelling:
            continue
        seen_spelling.add((name.part, text, name.source))
        names.append(
            PersonName(
                person=person,
                part=name.part,
                text=text,
                script=name.script,
                source=name.source,
                is_primary=name.part not in seen_primary,
                position=position,
            )
        )
        seen_primary.add(name.part)
    keys = person_index_keys(((n.part, n.text) for n in names), person.birth_date)
    return {
        "names": names,
        # By id, not by instance: a person has 20–30 keys, never read back, and setting the relation through its
        # descriptor cost more than the rest of each row (a new person's id is set by `_insert`).
        "search_keys": [NameSearchKey(person_id=person.pk, key=key) for key in sorted(keys)],
        "nationalities": [
            PersonNationality(person=person, country=code) for code in dict.fromkeys(data.nationalities)
        ],
        "languages": [PersonLanguage(person=person, language=code) for code in dict.fromkeys(data.languages)],
        "documents": [
            IdentityDocument(
                person=person,
                doc_type=doc.doc_type,
                number=doc.number.strip().upper(),
                number_normalised=document_number_normalised(doc.number),
                issuing_state=doc.issuing_state,
                issue_date=doc.issue_date,
                expiry_date=doc.expiry_date,
                mrz=doc.mrz.strip(),
            )
            for doc in data.documents
        ],
    }


_DETAIL_MODELS: dict[str, type[Model]] = {
    "names": PersonName,
    "search_keys": NameSearchKey,
    "nationalities": PersonNationality,
    "languages": PersonLanguage,
    "documents": IdentityDocument,
}


def _detail_groups(details: dict[str, list[Any]], person_rows: _Rows | None = None) -> list[_Rows]:
    parents = {"person_id": person_rows} if person_rows is not None else {}
    return [_Rows(_DETAIL_MODELS[relation], rows, dict(parents)) for relation, rows in details.items()]


def _keep_details(person: Person, details: dict[str, list[Any]]) -> None:
    """Keep the rows just written on `person` as `with_person_details` reads them back (names by part and
    position, the others in the order written), so the audit snapshot and the answer need no second read."""
    for relation in ("names", "nationalities", "languages", "documents"):
        rows = details[relation]
        if relation == "names":
            rows = sorted(rows, key=lambda n: (n.part, n.position))
        _keep_prefetched(person, relation, rows)


def _write_person_details(person: Person, data: PersonInput) -> None:
    """Replace the person's names, keys, nationalities, languages and documents with those of `data`."""
    person.names.all().delete()
    person.search_keys.all().delete()
    person.nationalities.all().delete()
    person.languages.all().delete()
    person.documents.all().delete()
    details = _detail_rows(person, data)
    _insert(_detail_groups(details))
    _keep_details(person, details)


def _keep_prefetched(person: Person, relation: str, rows: list[Any]) -> None:
    """Put rows just written into the person's prefetch cache, as `prefetch_related(relation)` would."""
    cache: dict[str, Any] = person.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(relation, None)
    queryset = getattr(person, relation).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    cache[relation] = queryset


def _person_fields(data: PersonInput) -> dict[str, Any]:
    return {
        "sex": data.sex,
        "birth_date": _birth_date_stored(data),
        "birth_date_precision": data.birth_date_precision,
        "place_of_birth": data.place_of_birth.strip(),
        "place_of_birth_country": data.place_of_birth_country,
        "phone": data.phone.strip(),
        "email": data.email.strip(),
        "address": data.address.strip(),
    }


def person_snapshot(person: Person, details: dict[str, list[Any]] | None = None) -> dict[str, str]:
    """A flat, comparable picture of a person, for change records and conflict messages.

    `details` gives the person's names, nationalities, languages and documents as just built (a person being
    registered, not yet written); without it they are read through the person."""
    if details is None:
        details = {
            relation: list(getattr(person, relation).all())
            for relation in ("names", "nationalities", "languages", "documents")
        }
    snapshot = {
        key: str(getattr(person, key) or "")
        for key in (
            "sex",
            "birth_date",
            "birth_date_precision",
            "place_of_birth",
            "place_of_birth_country",
            "phone",
            "email",
            "address",
        )
    }
    names = sorted(details["names"], key=lambda n: (n.part, n.position))
    for part in ("given", "family", "patronymic"):
        snapshot[f"names.{part}"] = "; ".join(
            f"{n.text} [{n.script}, {n.source}]" for n in names if n.part == part
        )
    snapshot["nationalities"] = ", ".join(sorted(n.country for n in details["nationalities"]))
    snapshot["languages"] = ", ".join(sorted(n.language for n in details["languages"]))
    snapshot["documents"] = "; ".join(
        sorted(
            f"{d.doc_type} {d.issuing_state} {d.number} {d.issue_date or ''}–{d.expiry_date or ''}"
            for d in details["documents"]
        )
    )
    return snapshot


def _diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {key: [before.get(key, ""), value] for key, value in after.items() if before.get(key, "") != value}


def _new_person(ctx: AccessContext, data: PersonInput) -> Person:
    return Person(created_at=ctx.now, updated_at=ctx.now, created_by=ctx.user, **_person_fields(data))


def _new_registration(
    ctx: AccessContext, person: Person, household: Household | None, registration: RegistrationInput
) -> Registration:
    return Registration(
        person=person,
        household=household,
        office_id=registration.office_id,
        registered_on=registration.registered_on,
        met_at=registration.met_at,
        referred_by=registration.referred_by.strip(),
        arrival_date=registration.arrival_date,
        transit_countries=list(registration.transit_countries),
        created_at=ctx.now,
        created_by=ctx.user,
    )


def _check_registration_office(ctx: AccessContext, registration: RegistrationInput) -> None:
    try:
        require_office(ctx, Capability.PERSON_REGISTER, registration.office_id)
    except UnableToAccess:
        raise UnableToValidate(
            [
                FieldError(
                    "registration.office_id",
                    "office_not_allowed",
                    _("You cannot register people in this office."),
                )
            ]
        ) from None


def _register_members(
    ctx: AccessContext,
    household: Household,
    members: list[MemberInput],
    registration: RegistrationInput,
    *,
    new_household: bool,
) -> list[Person]:
    """New people in a household: each person with their details, membership and registration event, and the
    audit events (`person.create` each, then `household.create` for a new household), all written in one
    `_insert` (the household's own row first when it is new)."""
    household_rows = _Rows(Household, [household])
    groups = [household_rows] if new_household else []
    household_parent = {"household_id": household_rows} if new_household else {}
    people: list[tuple[Person, dict[str, list[Any]]]] = []
    events: list[AuditEntry] = []
    for member in members:
        person = _new_person(ctx, member.person)
        details = _detail_rows(person, member.person)
        person_rows = _Rows(Person, [person])
        parents = {"person_id": person_rows, **household_parent}
        membership = HouseholdMembership(
            household=household,
            person=person,
            relationship=member.relationship,
            started_on=registration.registered_on,
        )
        groups += [
            person_rows,
            *_detail_groups(details, person_rows),
            _Rows(HouseholdMembership, [membership], parents),
            _Rows(Registration, [_new_registration(ctx, person, household, registration)], parents),
        ]
        people.append((person, details))
        events.append(
            AuditEntry(
                action="person.create",
                object_type="person",
                object_id=str(person.uuid),
                person_uuid=person.uuid,
                changes={
                    "version": 1,
                    "household": str(household.uuid),
                    "office": registration.office_id,
                    "fields": _diff({}, person_snapshot(person, details)),
                },
            )
        )
    if new_household:
        events.append(
            AuditEntry(
                action="household.create",
                object_type="household",
                object_id=str(household.uuid),
                changes={"members": len(members)},
            )
        )
    groups.append(
        _Rows(
            AuditEvent,
            audit_events(actor=ctx.user, occurred_at=ctx.now, ip_address=ctx.ip_address, entries=events),
        )
    )
    task_groups, after_commit = _queue_after_registration([rows for rows in groups if rows.model is Person])
    _insert(groups + task_groups)
    transaction.on_commit(after_commit)
    for person, details in people:
        _keep_details(person, details)
    return [person for person, _ in people]


def _queue_after_registration(people: list[_Rows]) -> tuple[list[_Rows], Callable[[], None]]:
    """Queue the work that follows a registration of these people (one-row groups of `_insert`): the duplicate
    check of each and the refresh of their presence, the calls `duplicate_check_enqueue` and
    `presence_refresh_enqueue` make. Call before the registration's `_insert`, and give the callback returned to
    `transaction.on_commit` after it.

    With django-tasks-db's queue (the default) the task rows are returned, to be written in the registration's own
    statement, their arguments (the new people's ids) computed there: a worker sees them exactly when the
    registration is committed, never before and never without it (a transactional outbox, ADR 0012). Enqueued on
    commit instead, each task was an INSERT in a transaction of its own, with its own commit (a WAL flush), and
    was lost if the process died between the commits. Any other backend (e.g. the immediate one) is called on
    commit, as before, and no rows are returned."""
    if not all(isinstance(task.get_backend(), DatabaseBackend) for task in _QUEUED):

        def enqueue() -> None:
            person_ids = [rows.objs[0].pk for rows in people]
            duplicate_check_enqueue(person_ids)
            presence_refresh_enqueue(person_ids)

        return [], enqueue
    groups = [
        _Rows(
            DBTaskResult,
            [_task_row(duplicate_check_task)],
            computed={"args_kwargs": _Computed(_ONE_ID_ARGUMENT, _one_id_argument, (rows,))},
        )
        for rows in people
    ]
    ids_sql = ", ".join(f"{{{number}}}" for number in range(len(people)))
    groups.append(
        _Rows(
            DBTaskResult,
            [_task_row(presence_refresh_task)],
            computed={
                "args_kwargs": _Computed(
                    f"jsonb_build_object('args', jsonb_build_array(jsonb_build_array({ids_sql})),"
                    " 'kwargs', jsonb_build_object())",
                    _id_list_argument,
                    tuple(people),
                )
            },
        )
    )

    def announce() -> None:
        # What DatabaseBackend.enqueue does after its INSERT (Django's receiver logs it).
        for group in groups:
            for row in group.objs:
                assert isinstance(row, DBTaskResult)
                task_enqueued.send(DatabaseBackend, task_result=row.task_result)

    return groups, announce


_QUEUED: tuple[Task[Any, Any], ...] = (duplicate_check_task, presence_refresh_task)
# The arguments of duplicate_check_task(person_id) and of presence_refresh_task(person_ids), as
# DatabaseBackend.enqueue stores them (normalize_json({"args": args, "kwargs": kwargs})).
_ONE_ID_ARGUMENT = "jsonb_build_object('args', jsonb_build_array({0}), 'kwargs', jsonb_build_object())"


def _one_id_argument(person_id: int) -> dict[str, Any]:
    return {"args": [person_id], "kwargs": {}}


def _id_list_argument(*person_ids: int) -> dict[str, Any]:
    return {"args": [list(person_ids)], "kwargs": {}}


_VALIDATED: set[Task[Any, Any]] = set()


def _task_row(task: Task[Any, Any]) -> DBTaskResult[Any, Any]:
    """The row `DatabaseBackend.enqueue(task, args, {})` inserts, not yet saved; its `args_kwargs` is computed in
    the INSERT."""
    backend = task.get_backend()
    if task not in _VALIDATED:
        # A task is a module-level constant: what the backend checks of it (its function, priority) never changes.
        backend.validate_task(task)
        _VALIDATED.add(task)
    return DBTaskResult(
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        # As django-tasks-db's pre_save receiver sets it (a bulk insert sends no signal).
        run_after=task.run_after or get_date_max(),
        backend_name=backend.alias,
    )


def person_register(*, ctx: AccessContext, person: PersonInput, registration: RegistrationInput) -> Person:
    """Register one person met alone: the person, their registration event and a one-person household.

    The person comes back with their names, nationalities, languages and documents as written."""
    try:
        _, people = _household_register(
            ctx=ctx,
            registration=registration,
            members=[MemberInput(person=person, relationship=Relationship.PRINCIPAL)],
        )
    except UnableToValidate as exc:
        # One person, so errors name the person's fields, not "members.0.…".
        raise UnableToValidate(
            [FieldError(e.field.removeprefix("members.0."), e.code, e.message) for e in exc.errors]
        ) from None
    return people[0]


def household_register(
    *, ctx: AccessContext, registration: RegistrationInput, members: list[MemberInput]
) -> Household:
    """Register people met together: a household, each member, and one registration event each."""
    household, _ = _household_register(ctx=ctx, registration=registration, members=members)
    return household


def _household_register(
    *, ctx: AccessContext, registration: RegistrationInput, members: list[MemberInput]
) -> tuple[Household, list[Person]]:
    require_capability(ctx, Capability.PERSON_REGISTER)
    _check_registration_office(ctx, registration)
    errors = validation.members_errors(members, today=ctx.today)
    errors += validation.registration_errors(
        registration, today=ctx.today, birth_dates=[m.person.birth_date for m in members]
    )
    if errors:
        raise UnableToValidate(errors)
    with transaction.atomic():
        household = Household(office_id=registration.office_id, created_at=ctx.now, created_by=ctx.user)
        people = _register_members(ctx, household, members, registration, new_household=True)
    return household, people


def household_member_add(
    *, ctx: AccessContext, household_uuid: uuid.UUID, member: MemberInput, registration: RegistrationInput
) -> Person:
    """Register a new person into an existing household (a family member met later).

    The person comes back with their names, nationalities, languages and documents as written."""
    require_capability(ctx, Capability.PERSON_REGISTER)
    _check_registration_office(ctx, registration)
    errors = [
        FieldError(f"member.{e.field}", e.code, e.message)
        for e in validation.person_errors(member.person, today=ctx.today)
    ]
    if member.relationship == Relationship.PRINCIPAL:
        errors.append(
            FieldError(
                "member.relationship", "one_principal", _("The household already has a principal applicant.")
            )
        )
    errors += validation.registration_errors(
        registration, today=ctx.today, birth_dates=[member.person.birth_date]
    )
    if errors:
        raise UnableToValidate(errors)
    with transaction.atomic():
        household = household_get_for_write(ctx=ctx, household_uuid=household_uuid)
        [person] = _register_members(ctx, household, [member], registration, new_household=False)
    return person


def household_member_move(
    *,
    ctx: AccessContext,
    person_uuid: uuid.UUID,
    household_uuid: uuid.UUID | None,
    relationship: str,
    on_date: date,
) -> HouseholdMembership:
    """Move a person to another household (or a new one of their own); the old membership ends, kept as history."""
    require_capability(ctx, Capability.PERSON_EDIT)
    if relationship not in Relationship.values:
        raise UnableToValidate([FieldError("relationship", "invalid_choice", _("Choose a relationship."))])
    if on_date > ctx.today:
        raise UnableToValidate([FieldError("on_date", "future", _("The date is in the future."))])
    with transaction.atomic():
        person = person_get_for_write(ctx=ctx, person_uuid=person_uuid)
        current = (
            HouseholdMembership.objects.select_for_update()
            .filter(person=person, ended_on__isnull=True)
            .first()
        )
        if current is not None and on_date < current.started_on:
            raise UnableToValidate(
                [FieldError("on_date", "before_start", _("The date is before the current membership began."))]
            )
        if household_uuid is None:
            latest_office = person.registrations.order_by("-registered_on", "-id").values_list(
                "office_id", flat=True
            )
            office_id = current.household.office_id if current else latest_office.first()
            if office_id is None:
                raise UnableToValidate(
                    [FieldError("household", "no_office", _("The person has no registration."))]
                )
            target = Household.objects.create(office_id=office_id, created_at=ctx.now, created_by=ctx.user)
            relationship = Relationship.PRINCIPAL
        else:
            target = household_get_for_write(ctx=ctx, household_uuid=household_uuid)
        if current is not None and current.household_id == target.pk:
            raise UnableToValidate(
                [FieldError("household", "same", _("The person is already in this household."))]
            )
        if (
            relationship == Relationship.PRINCIPAL
            and target.memberships.filter(ended_on__isnull=True, relationship=Relationship.PRINCIPAL).exists()
        ):
            raise UnableToValidate(
                [
                    FieldError(
                        "relationship", "one_principal", _("The household already has a principal applicant.")
                    )
                ]
            )
        if current is not None:
            current.ended_on = on_date
            current.save(update_fields=["ended_on"])
        membership = HouseholdMembership.objects.create(
            household=target, person=person, relationship=relationship, started_on=on_date
        )
        audit_record(
            actor=ctx.user,
            action="household.move",
            object_type="person",
            object_id=str(person.uuid),
            person_uuid=person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={
                "from": str(current.household.uuid) if current else None,
                "to": str(target.uuid),
                "relationship": relationship,
                "on": on_date.isoformat(),
            },
        )
    return membership


def _changes_since(person: Person, version: int) -> list[ChangeByOthers]:
    changes: list[ChangeByOthers] = []
    events = AuditEvent.objects.filter(person_uuid=person.uuid, action="person.update").order_by(
        "occurred_at", "id"
    )
    for event in events:
        if int(event.changes.get("version", 0)) <= version:
            continue
        for field, (old, new) in event.changes.get("fields", {}).items():
            changes.append(
                ChangeByOthers(
                    actor=event.actor_username,
                    occurred_at=event.occurred_at.isoformat(),
                    field=field,
                    old=old,
                    new=new,
                )
            )
    return changes


def person_update(
    *, ctx: AccessContext, person_uuid: uuid.UUID, based_on_version: int, person: PersonInput
) -> Person:
    """Save an edit made on `based_on_version`; refused, with what others changed, if a newer version exists."""
    require_capability(ctx, Capability.PERSON_EDIT)
    errors = validation.person_errors(person, today=ctx.today)
    if errors:
        raise UnableToValidate(errors)
    with transaction.atomic():
        record = person_get_for_write(ctx=ctx, person_uuid=person_uuid)
        # The conditional UPDATE is the lock: of two saves based on the same version exactly one matches.
        updated = Person.objects.filter(pk=record.pk, version=based_on_version).update(
            version=F("version") + 1, updated_at=ctx.now, **_person_fields(person)
        )
        if updated == 0:
            record.refresh_from_db()
            raise UnableToSaveStaleEdit(
                current_version=record.version, changes=_changes_since(record, based_on_version)
            )
        before = person_snapshot(record)
        record.refresh_from_db()
        _write_person_details(record, person)
        changed = _diff(before, person_snapshot(record))
        audit_record(
            actor=ctx.user,
            action="person.update",
            object_type="person",
            object_id=str(record.uuid),
            person_uuid=record.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"version": record.version, "fields": changed},
        )
        # The real-time matcher's prepared row follows the new names, documents and nationalities.
        person_id = record.pk
        transaction.on_commit(lambda: refresh_candidate_features([person_id]))
    return record


def profile_record(
    *, ctx: AccessContext, person_uuid: uuid.UUID, office_id: int, profile: ProfileInput
) -> ProfileRecord:
    """Record a profiling of a person with their specific needs, and the referrals it suggests."""
    require_capability(ctx, Capability.PROFILE_EDIT)
    errors = validation.profile_errors(profile)
    if office_id not in office_ids_in_scope(ctx, Capability.PROFILE_EDIT):
        errors.append(
            FieldError("office_id", "office_not_allowed", _("You cannot record profiles in this office."))
        )
    if errors:
        raise UnableToValidate(errors)
    with transaction.atomic():
        person = person_get_for_write(ctx=ctx, person_uuid=person_uuid, capability=Capability.PROFILE_EDIT)
        record = ProfileRecord.objects.create(
            person=person,
            profile_types=list(dict.fromkeys(profile.profile_types)),
            fear_of_return=profile.fear_of_return,
            notes=profile.notes.strip(),
            recorded_at=ctx.now,
            recorded_by=ctx.user,
            office_id=office_id,
        )
        SpecificNeed.objects.bulk_create(
            [
                SpecificNeed(person=person, profile=record, code=code)
                for code in dict.fromkeys(profile.specific_needs)
            ]
        )
        suggestions = referrals_suggested(profile, birth_date=person.birth_date, today=ctx.today)
        ReferralSuggestion.objects.bulk_create(
            [
                ReferralSuggestion(
                    profile=record, person=person, procedure=s.procedure, reason=s.reason[:300]
                )
                for s in suggestions
            ]
        )
        audit_record(
            actor=ctx.user,
            action="profile.create",
            object_type="profile",
            object_id=str(record.pk),
            person_uuid=person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={
                "profile_types": record.profile_types,
                "specific_needs": list(profile.specific_needs),
                "fear_of_return": profile.fear_of_return,
                "suggested": [s.procedure for s in suggestions],
            },
        )
    return record


def referral_decide(*, ctx: AccessContext, referral_id: int, decision: str, note: str) -> ReferralSuggestion:
    """The officer accepts or declines a suggested referral; declining needs a reason."""
    require_capability(ctx, Capability.REFERRAL_DECIDE)
    errors: list[FieldError] = []
    if decision not in (ReferralDecision.ACCEPTED, ReferralDecision.DECLINED):
        errors.append(FieldError("decision", "invalid_choice", _("Choose to refer or not to refer.")))
    if decision == ReferralDecision.DECLINED and not note.strip():
        errors.append(FieldError("note", "required", _("Say why the person is not referred.")))
    if errors:
        raise UnableToValidate(errors)
    with transaction.atomic():
        referral = ReferralSuggestion.objects.select_for_update().select_related("person").get(pk=referral_id)
        person_get_for_write(ctx=ctx, person_uuid=referral.person.uuid, capability=Capability.REFERRAL_DECIDE)
        if referral.decision != ReferralDecision.PENDING:
            raise UnableToValidate(
                [FieldError("decision", "already_decided", _("This referral was already decided."))]
            )
        referral.decision = decision
        referral.decision_note = note.strip()
        referral.decided_at = ctx.now
        referral.decided_by = ctx.user
        referral.save(update_fields=["decision", "decision_note", "decided_at", "decided_by"])
        audit_record(
            actor=ctx.user,
            action="referral.decide",
            object_type="referral",
            object_id=str(referral.pk),
            person_uuid=referral.person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"procedure": referral.procedure, "decision": decision, "note": referral.decision_note},
        )
    return referral


PHOTO_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def person_photo_set(*, ctx: AccessContext, person_uuid: uuid.UUID, content: bytes) -> Person:
    """Store a person's photo (JPEG or PNG, checked by its bytes, not its name), replacing any earlier one."""
    from django.conf import settings
    from django.core.files.base import ContentFile

    require_capability(ctx, Capability.PERSON_EDIT)
    kind = next((ext for signature, ext in PHOTO_SIGNATURES.items() if content.startswith(signature)), None)
    if kind is None:
        raise UnableToValidate(
            [FieldError("photo", "invalid_image", _("The photo must be a JPEG or PNG image."))]
        )
    if len(content) > settings.KARVON_PHOTO_MAX_BYTES:
        raise UnableToValidate(
            [
                FieldError(
                    "photo",
                    "too_large",
                    _("The photo is larger than %(max)d kB.")
                    % {"max": settings.KARVON_PHOTO_MAX_BYTES // 1024},
                )
            ]
        )
    with transaction.atomic():
        person = person_get_for_write(ctx=ctx, person_uuid=person_uuid)
        old_name = person.photo.name if person.photo else ""
        # A random file name: the person's identifier must not be guessable from the storage path.
        person.photo.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(content), save=False)
        Person.objects.filter(pk=person.pk).update(
            photo=person.photo.name, version=F("version") + 1, updated_at=ctx.now
        )
        audit_record(
            actor=ctx.user,
            action="person.photo",
            object_type="person",
            object_id=str(person.uuid),
            person_uuid=person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"bytes": len(content), "replaced": bool(old_name)},
        )
        if old_name:
            storage, name = person.photo.storage, old_name
            transaction.on_commit(lambda: storage.delete(name))
    return person


def office_for_registration(ctx: AccessContext) -> Office | None:
    """The office a new registration defaults to: the user's first office where they may register."""
    office_ids = office_ids_in_scope(ctx, Capability.PERSON_REGISTER)
    return Office.objects.filter(pk__in=office_ids).order_by("name").first()
