"""Reads of personal data: every one takes the acting user, scopes to their offices and is audited."""

# The search's SQL is built here from the models' table names and fixed fragments; every value the user typed
# goes as a query parameter. Hence no S608 (string-built SQL) findings.
# ruff: noqa: S608

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from karvon.accounts.access import AccessContext, office_ids_in_scope
from karvon.accounts.roles import Capability
from karvon.audit.services import audit_record, audit_record_reads
from karvon.registry.contracts import PersonCard, PersonPage, SearchQuery
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
    Registration,
)
from karvon_match import query_search_keys

# Search ranks at most this many candidates; a broader query is asked to be refined.
SEARCH_CANDIDATE_LIMIT = 500
DATE_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
YEAR = re.compile(r"^(19|20)\d{2}$")


def _scoped(ctx: AccessContext, capability: Capability) -> QuerySet[Person]:
    offices = office_ids_in_scope(ctx, capability)
    if not offices:
        return Person.objects.none()
    in_scope = Registration.objects.filter(person=OuterRef("pk"), office_id__in=offices)
    return Person.objects.filter(Exists(in_scope), merged_into__isnull=True)


def person_scope(*, ctx: AccessContext) -> QuerySet[Person]:
    """Every person the user may see: registered at least once in an office of their scope."""
    return _scoped(ctx, Capability.PERSON_VIEW)


def with_person_details(people: QuerySet[Person]) -> QuerySet[Person]:
    """People with their names (by part and position), nationalities, languages and documents (in the order
    written: the registration's answer, built from the rows as written, is the same as any later read)."""
    return people.prefetch_related(
        Prefetch("names", queryset=PersonName.objects.order_by("part", "position")),
        Prefetch("nationalities", queryset=PersonNationality.objects.order_by("pk")),
        Prefetch("languages", queryset=PersonLanguage.objects.order_by("pk")),
        Prefetch("documents", queryset=IdentityDocument.objects.order_by("pk")),
    )


def person_get(*, ctx: AccessContext, person_uuid: uuid.UUID) -> Person:
    """One person's file, read and audited; Person.DoesNotExist when outside the user's scope."""
    person = with_person_details(person_scope(ctx=ctx)).get(uuid=person_uuid)
    audit_record(
        actor=ctx.user,
        action="person.view",
        object_type="person",
        object_id=str(person.uuid),
        person_uuid=person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
    )
    return person


def person_get_for_write(
    *, ctx: AccessContext, person_uuid: uuid.UUID, capability: Capability = Capability.PERSON_EDIT
) -> Person:
    """The person to change, if the user may change them (the write's own audit event records the access)."""
    return with_person_details(_scoped(ctx, capability)).get(uuid=person_uuid)


def person_for_edit(*, ctx: AccessContext, person_uuid: uuid.UUID) -> Person:
    """The person as the edit form shows them: a read of personal data, so audited like any view."""
    person = person_get_for_write(ctx=ctx, person_uuid=person_uuid)
    audit_record(
        actor=ctx.user,
        action="person.view",
        object_type="person",
        object_id=str(person.uuid),
        person_uuid=person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        changes={"purpose": "edit"},
    )
    return person


def household_get_for_write(*, ctx: AccessContext, household_uuid: uuid.UUID) -> Household:
    offices = office_ids_in_scope(ctx, Capability.PERSON_EDIT) | office_ids_in_scope(
        ctx, Capability.PERSON_REGISTER
    )
    return Household.objects.get(uuid=household_uuid, office_id__in=offices)


def person_photo(*, ctx: AccessContext, person_uuid: uuid.UUID) -> tuple[bytes, str]:
    """A person's photo for display, read through the same scope and audit as their file."""
    person = person_scope(ctx=ctx).exclude(photo="").get(uuid=person_uuid)
    with person.photo.open("rb") as handle:
        content = handle.read()
    audit_record(
        actor=ctx.user,
        action="person.photo_view",
        object_type="person",
        object_id=str(person.uuid),
        person_uuid=person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
    )
    return content, "image/png" if (person.photo.name or "").endswith(".png") else "image/jpeg"


@dataclass(frozen=True)
class PersonFile:
    """Everything the person page shows, gathered in one scoped, audited read."""

    person: Person
    registrations: list[Registration]
    memberships: list[HouseholdMembership]
    household_members: list[HouseholdMembership]
    profiles: list[ProfileRecord]


def person_file(*, ctx: AccessContext, person_uuid: uuid.UUID) -> PersonFile:
    person = person_get(ctx=ctx, person_uuid=person_uuid)
    memberships = list(person.memberships.select_related("household").order_by("-started_on", "-id"))
    current = next((m for m in memberships if m.ended_on is None), None)
    members: list[HouseholdMembership] = []
    if current is not None:
        visible = person_scope(ctx=ctx).values("pk")
        members = list(
            current.household.memberships.filter(ended_on__isnull=True, person__in=visible)
            .select_related("person")
            .prefetch_related("person__names")
            .order_by("id")
        )
    return PersonFile(
        person=person,
        registrations=list(person.registrations.select_related("office").order_by("-registered_on", "-id")),
        memberships=memberships,
        household_members=members,
        profiles=list(
            person.profiles.prefetch_related("specific_needs", "referrals").select_related("recorded_by")
        ),
    )


@dataclass(frozen=True)
class HouseholdFile:
    household: Household
    members: list[HouseholdMembership]
    past_members: list[HouseholdMembership]


def household_file(*, ctx: AccessContext, household_uuid: uuid.UUID) -> HouseholdFile:
    offices = office_ids_in_scope(ctx, Capability.PERSON_VIEW)
    household = Household.objects.select_related("office").get(uuid=household_uuid, office_id__in=offices)
    visible = person_scope(ctx=ctx).values("pk")
    memberships = list(
        household.memberships.filter(person__in=visible)
        .select_related("person")
        .prefetch_related("person__names", "person__nationalities")
        .order_by("started_on", "id")
    )
    audit_record_reads(
        actor=ctx.user,
        action="person.list",
        person_uuids=[m.person.uuid for m in memberships],
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        details={"household": str(household.uuid)},
    )
    return HouseholdFile(
        household=household,
        members=[m for m in memberships if m.ended_on is None],
        past_members=[m for m in memberships if m.ended_on is not None],
    )


def person_card(person: Person, reasons: Iterable[str] = ()) -> PersonCard:
    names = list(person.names.all())

    def primary(part: str) -> str:
        return next((n.text for n in names if n.part == part and n.is_primary), "")

    return PersonCard(
        uuid=person.uuid,
        given=primary("given"),
        family=primary("family"),
        patronymic=primary("patronymic"),
        other_spellings=tuple((n.text, n.script) for n in names if not n.is_primary),
        sex=person.sex,
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        nationalities=tuple(n.country for n in person.nationalities.all()),
        documents=tuple(f"{d.issuing_state} {d.number}" for d in person.documents.all()),
        reasons=tuple(reasons),
    )


def person_cards(person_ids: list[int]) -> list[PersonCard]:
    """The cards of these people, in this order: `person_card` of each as `with_person_details` loads them,
    read as plain values in two queries (the people; their spellings, nationalities and documents), without
    model instances or languages (a card does not show them)."""
    if not person_ids:
        return []
    ids, ids_params = _in("person_id", person_ids)
    people = {
        row[0]: row
        for row in _rows(
            f"SELECT id, uuid, sex, birth_date, birth_date_precision FROM {Person._meta.db_table} WHERE "
            + ids.replace("person_id", "id", 1),
            ids_params,
        )
    }
    # One list of rows (kind, person, sort keys, values): spellings by part and position, nationalities and
    # documents in the order written.
    details = _rows(
        f"SELECT 0, person_id, part, position, text, script, is_primary FROM {PersonName._meta.db_table}"
        f" WHERE {ids} UNION ALL"
        f" SELECT 1, person_id, '', id, country, NULL, NULL FROM {PersonNationality._meta.db_table}"
        f" WHERE {ids} UNION ALL"
        f" SELECT 2, person_id, '', id, issuing_state, number, NULL FROM {IdentityDocument._meta.db_table}"
        f" WHERE {ids} ORDER BY 1, 2, 3, 4",
        ids_params * 3,
    )
    names: dict[int, list[tuple[str, str, str, bool]]] = {pk: [] for pk in people}
    nationalities: dict[int, list[str]] = {pk: [] for pk in people}
    documents: dict[int, list[str]] = {pk: [] for pk in people}
    for kind, person_id, part, _, first, second, is_primary in details:
        if kind == 0:
            names[person_id].append((part, first, second, bool(is_primary)))
        elif kind == 1:
            nationalities[person_id].append(first)
        else:
            documents[person_id].append(f"{first} {second}")
    cards: list[PersonCard] = []
    for pk in person_ids:
        if pk not in people:
            continue
        _, person_uuid, sex, birth_date, precision = people[pk]
        spellings = names[pk]

        def primary(part: str, spellings: list[tuple[str, str, str, bool]] = spellings) -> str:
            return next((text for p, text, _, is_primary in spellings if p == part and is_primary), "")

        cards.append(
            PersonCard(
                uuid=person_uuid if isinstance(person_uuid, uuid.UUID) else uuid.UUID(person_uuid),
                given=primary("given"),
                family=primary("family"),
                patronymic=primary("patronymic"),
                other_spellings=tuple(
                    (text, script) for _, text, script, is_primary in spellings if not is_primary
                ),
                sex=sex,
                birth_date=_as_date(birth_date),
                birth_date_precision=precision,
                nationalities=tuple(nationalities[pk]),
                documents=tuple(documents[pk]),
            )
        )
    return cards


@dataclass(frozen=True)
class ParsedQuery:
    name_tokens: list[frozenset[str]]
    document_numbers: list[str]
    birth_date: date | None
    birth_year: int | None


def parse_search_text(text: str) -> ParsedQuery:
    """Split a search box's text into name keys, document numbers and a date or year of birth."""
    names: list[str] = []
    documents: list[str] = []
    birth_date: date | None = None
    birth_year: int | None = None
    for token in text.split():
        dmy, ymd = DATE_DMY.match(token), DATE_YMD.match(token)
        try:
            if dmy:
                birth_date = date(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1)))
                continue
            if ymd:
                birth_date = date(int(ymd.group(1)), int(ymd.group(2)), int(ymd.group(3)))
                continue
        except ValueError:
            continue
        if YEAR.match(token):
            birth_year = int(token)
        elif any(ch.isdigit() for ch in token):
            documents.append("".join(ch for ch in token.upper() if ch.isalnum()))
        else:
            names.append(token)
    name_tokens = [keys for keys in query_search_keys(" ".join(names)) if keys] if names else []
    return ParsedQuery(name_tokens, documents, birth_date, birth_year)


@dataclass(frozen=True)
class _CandidateSql:
    """The people a search matches: `FROM {source} {joins} WHERE {where}` with `params` (`source` is the person
    table as `p`, or the people a name's keys give joined to it), and the expression (with `folded_params`) that
    counts the query's words of which the person has a folded ("f:") key.
    """

    source: str
    joins: str
    where: str
    params: list[Any]
    folded: str
    folded_params: list[Any]

    def select(self, columns: str, params: list[Any] | None = None, tail: str = "") -> tuple[str, list[Any]]:
        return (
            f"SELECT {columns} FROM {self.source} {self.joins} WHERE {self.where}{tail}",
            [*(params or []), *self.params],
        )


def _in(column: str, values: Iterable[Any]) -> tuple[str, list[Any]]:
    """`column` is one of `values`: one array parameter on PostgreSQL (a list of 500 ids is one value to pass,
    not 500), a list of placeholders elsewhere."""
    items = list(values)
    if len(items) == 1:
        # As the ORM's IN (x): a plain equality, which the planner estimates better than ANY of an array.
        return f"{column} = %s", items
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [items]
    return f"{column} IN ({', '.join(['%s'] * len(items))})", items


def _search_sql(
    offices: frozenset[int], query: SearchQuery, parsed: ParsedQuery, ids: tuple[int, int] | None
) -> _CandidateSql | None:
    """The people a query matches, among the current people registered in `offices`; with `ids` (lowest,
    highest), only those whose ids are in that range. None when the text gives nothing to search by."""
    keys_table = NameSearchKey._meta.db_table
    # The conditions come in the order the ORM wrote them: PostgreSQL's estimates (and so its plans) depend on
    # the order in which it pulls up the subqueries, the scope first.
    scope, params = _in("r.office_id", sorted(offices))
    where = [
        f"EXISTS (SELECT 1 FROM {Registration._meta.db_table} r WHERE r.person_id = p.id AND {scope})",
        "p.merged_into_id IS NULL",
    ]
    join_params: list[Any] = []
    folded_params: list[Any] = []
    # The range goes into every subquery too: each then reads only its own index entries within it.
    in_range = "" if ids is None else " AND {column} BETWEEN %s AND %s"
    range_params: list[Any] = [] if ids is None else [ids[0], ids[1]]
    source, source_params = f"{Person._meta.db_table} p", list[Any]()
    if ids is not None and not parsed.name_tokens:
        where.append("p.id BETWEEN %s AND %s")
        params += range_params
    constrained = False
    folded = "0"
    if parsed.name_tokens:
        # Every word must match: one subquery of nested ones (people with the last word's keys, among them those
        # with the one before...), so the database intersects the words' keys before it looks at the people.
        named, named_params = "", list[Any]()
        for token in reversed(parsed.name_tokens):
            condition, values = _in("k.key", sorted(token))
            inner = f" AND k.person_id IN ({named})" if named else ""
            named = (
                f"SELECT k.person_id FROM {keys_table} k WHERE {condition}"
                + in_range.format(column="k.person_id")
                + inner
            )
            named_params = [*values, *range_params, *named_params]
        # The search starts from the people the keys give, each then looked up (scope, current, date of birth):
        # a subquery with DISTINCT is planned on its own, before the join. Written as a condition on the person
        # table, with the range on it too, PostgreSQL often read every person of the range instead (262,144 for
        # 2,823 with the keys: 33 ms against 8 ms).
        source = (
            f"(SELECT DISTINCT person_id FROM ({named}) named) x"
            f" JOIN {Person._meta.db_table} p ON p.id = x.person_id"
        )
        source_params = named_params
        # Which words the person has a folded key of (for the ranking): probed only for the people found.
        agree: list[str] = []
        for token in parsed.name_tokens:
            folded_keys = sorted(key for key in token if key.startswith("f:"))
            if folded_keys:
                condition, values = _in("a.key", folded_keys)
                # A scalar subquery, probed row by row (an EXISTS here may be planned as a hash of every
                # person with the key).
                agree.append(
                    f"COALESCE((SELECT 1 FROM {keys_table} a WHERE a.person_id = p.id AND {condition} LIMIT 1), 0)"
                )
                folded_params += values
        folded = " + ".join(agree) or "0"
        constrained = True
    for number in parsed.document_numbers:
        where.append(
            f"p.id IN (SELECT d.person_id FROM {IdentityDocument._meta.db_table} d WHERE d.number_normalised = %s"
            + in_range.format(column="d.person_id")
            + ")"
        )
        params += [number, *range_params]
        constrained = True
    for year in (
        parsed.birth_date.year if parsed.birth_date else None,
        parsed.birth_year or query.birth_year,
    ):
        if year:
            where.append("p.birth_date BETWEEN %s AND %s")
            params += [f"{year:04d}-01-01", f"{year:04d}-12-31"]
            constrained = True
    if query.sex:
        where.append("p.sex = %s")
        params.append(query.sex)
    # The nationality and office filters join their tables, as the ORM's filters across relations did (the
    # planner may then start from them); a person registered twice at the office is listed twice, as before.
    joins: list[str] = []
    if query.nationality:
        joins.append(f"JOIN {PersonNationality._meta.db_table} n ON n.person_id = p.id AND n.country = %s")
        join_params.append(query.nationality)
    if query.office_id:
        joins.append(f"JOIN {Registration._meta.db_table} o ON o.person_id = p.id AND o.office_id = %s")
        join_params.append(query.office_id)
    if not constrained and query.text.strip():
        return None
    return _CandidateSql(
        source=source,
        joins=" ".join(joins),
        where=" AND ".join(where),
        params=[*source_params, *join_params, *params],
        folded=folded,
        folded_params=folded_params,
    )


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _rank_of(pk: int, birth_date: date | None, folded: int, parsed: ParsedQuery) -> tuple[int, int]:
    """Spelling-exact ("f:" folded) agreement outranks skeleton-only agreement; a full date outranks a year.

    `folded` is the number of the query's words of which the person has a folded key; newer people first among
    equals."""
    date_agrees = 1 if parsed.birth_date and birth_date == parsed.birth_date else 0
    return (folded + date_agrees, pk)


# The newest candidates are looked for in id ranges, newest first: a first narrow one; then, while the matches found
# so far say the rest holds many more than still needed, a range sized by their density to hold about
# SEARCH_RANGE_OVERSHOOT times what is still needed; else all the rest at once.
SEARCH_FIRST_RANGE = 4_096
SEARCH_RANGE_OVERSHOOT = 1.5


def _newest_candidates(
    offices: frozenset[int], query: SearchQuery, limit: int, parsed: ParsedQuery
) -> list[tuple[int, date | None, int]]:
    """(id, date of birth, words agreeing by a folded key) of the `limit` candidates with the highest ids,
    highest first.

    The same people as the `limit` highest ids of all matches, found range by range from the newest ids. A
    name's keys match tens of thousands of people: asking for all of them and sorting, or walking the people
    backwards until enough match (what a LIMIT makes PostgreSQL do, badly when the estimate of the matches is
    off), costs far more than taking every match of a few ranges, and sorting those here.
    """
    rows: list[tuple[int, date | None, int]] = []
    if not offices:
        return rows
    highest = top = _rows(f"SELECT MAX(id) FROM {Person._meta.db_table}", [])[0][0]
    width = SEARCH_FIRST_RANGE
    while top is not None and highest >= 1 and len(rows) < limit:
        lowest = max(1, highest - width + 1)
        candidates = _search_sql(offices, query, parsed, (lowest, highest))
        if candidates is None:
            break
        sql, params = candidates.select(f"p.id, p.birth_date, {candidates.folded}", candidates.folded_params)
        found = [(pk, _as_date(birth), int(folded)) for pk, birth, folded in _rows(sql, params)]
        found.sort(key=itemgetter(0), reverse=True)
        rows += found
        # The density of matches over every id searched so far: the cost of a range grows with its width (its
        # people, or the keys' index entries in it), so the next one is only as wide as the rest needs.
        density = len(rows) / (top - lowest + 1)
        still_needed = limit - len(rows)
        highest = lowest - 1
        if density * highest > SEARCH_RANGE_OVERSHOOT * still_needed:
            width = math.ceil(SEARCH_RANGE_OVERSHOOT * still_needed / density)
        else:
            width = highest
    return rows[:limit]


def _as_date(value: Any) -> date | None:
    # SQLite hands raw SQL's dates back as text.
    return date.fromisoformat(value) if isinstance(value, str) else value


def person_search(*, ctx: AccessContext, query: SearchQuery, page_size: int) -> PersonPage:
    """The one search box: names in any script or spelling, document numbers, dates of birth; audited."""
    parsed = parse_search_text(query.text)
    offices = office_ids_in_scope(ctx, Capability.PERSON_VIEW)
    if parsed.name_tokens or parsed.birth_date:
        # Rank a bounded candidate set by `_rank`'s rule, on plain values read with the candidates (the words
        # whose folded keys a person has come from the stored keys, which are exactly those of the person's
        # spellings: every write of names rebuilds them); only the page shown is loaded with its details.
        rows = _newest_candidates(offices, query, SEARCH_CANDIDATE_LIMIT + 1, parsed)
        capped = len(rows) > SEARCH_CANDIDATE_LIMIT
        candidates_of = {pk: (birth, folded) for pk, birth, folded in rows[:SEARCH_CANDIDATE_LIMIT]}
        ranked = sorted(candidates_of, key=lambda pk: _rank_of(pk, *candidates_of[pk], parsed), reverse=True)
        total = len(ranked)
        page_count = max(1, -(-total // page_size))
        page = min(max(1, query.page), page_count)
        shown = ranked[(page - 1) * page_size : page * page_size]
    else:
        candidates = _search_sql(offices, query, parsed, None) if offices else None
        if candidates is None:
            return PersonPage(cards=[], page=1, page_count=1, total=0, total_is_capped=False)
        total = _rows(*candidates.select("COUNT(*)"))[0][0]
        capped = False
        page_count = max(1, -(-total // page_size))
        page = min(max(1, query.page), page_count)
        sql, params = candidates.select("p.id", tail=" ORDER BY p.id DESC LIMIT %s OFFSET %s")
        shown = [pk for (pk,) in _rows(sql, [*params, page_size, (page - 1) * page_size])]
    cards = person_cards(shown)
    audit_record_reads(
        actor=ctx.user,
        action="person.search",
        person_uuids=[c.uuid for c in cards],
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        details={"query": query.text[:200], "results": total},
    )
    return PersonPage(cards=cards, page=page, page_count=page_count, total=total, total_is_capped=capped)
