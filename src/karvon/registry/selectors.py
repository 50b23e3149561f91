"""Reads of personal data: every one takes the acting user, scopes to their offices and is audited."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

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
    PersonName,
    ProfileRecord,
    Registration,
)
from karvon_match import name_search_keys, query_search_keys

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
    return people.prefetch_related(
        Prefetch("names", queryset=PersonName.objects.order_by("part", "position")),
        "nationalities",
        "languages",
        "documents",
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


def _search_candidates(
    ctx: AccessContext, query: SearchQuery, ids: tuple[int, int] | None = None
) -> QuerySet[Person] | None:
    """The people a query matches; with `ids` (lowest, highest), only those whose ids are in that range."""
    parsed = parse_search_text(query.text)
    people = person_scope(ctx=ctx)
    # The range goes into every subquery too: each then reads only its own index entries within it.
    in_range = {} if ids is None else {"person_id__gte": ids[0], "person_id__lte": ids[1]}
    if ids is not None:
        people = people.filter(pk__range=ids)
    constrained = False
    # Every word must match: one subquery of nested ones (people with the last word's keys, among them those
    # with the one before...), so the database intersects the words' keys before it looks at the people.
    named: QuerySet[NameSearchKey, Any] | None = None
    for keys in reversed(parsed.name_tokens):
        matching = NameSearchKey.objects.filter(key__in=keys, **in_range)
        if named is not None:
            matching = matching.filter(person_id__in=named)
        named = matching.values("person_id")
    if named is not None:
        people = people.filter(pk__in=named)
        constrained = True
    for number in parsed.document_numbers:
        people = people.filter(
            pk__in=IdentityDocument.objects.filter(number_normalised=number, **in_range).values("person_id")
        )
        constrained = True
    if parsed.birth_date:
        people = people.filter(birth_date__year=parsed.birth_date.year)
        constrained = True
    year = parsed.birth_year or query.birth_year
    if year:
        people = people.filter(birth_date__year=year)
        constrained = True
    if query.sex:
        people = people.filter(sex=query.sex)
    if query.nationality:
        people = people.filter(nationalities__country=query.nationality)
    if query.office_id:
        people = people.filter(registrations__office_id=query.office_id)
    if not constrained and query.text.strip():
        return None
    return people


def _rank_of(pk: int, birth_date: date | None, keys: set[str], parsed: ParsedQuery) -> tuple[int, int]:
    folded = sum(1 for token in parsed.name_tokens if any(k.startswith("f:") and k in keys for k in token))
    date_agrees = 1 if parsed.birth_date and birth_date == parsed.birth_date else 0
    return (folded + date_agrees, pk)


def _rank(person: Person, parsed: ParsedQuery) -> tuple[int, int]:
    """Spelling-exact ("f:" folded) agreement outranks skeleton-only agreement; a full date outranks a year."""
    keys: set[str] = set()
    for name in person.names.all():
        keys |= name_search_keys(name.text)
    return _rank_of(person.pk, person.birth_date, keys, parsed)


# The newest candidates are looked for in id ranges, newest first: a first narrow one, then wider ones while
# the matches found so far say the rest holds many more than still needed, else all the rest at once.
SEARCH_FIRST_RANGE = 16_384
SEARCH_RANGE_GROWTH = 4
SEARCH_RANGE_OVERSHOOT = 4


def _newest_candidates(ctx: AccessContext, query: SearchQuery, limit: int) -> list[tuple[int, date | None]]:
    """(id, date of birth) of the `limit` candidates with the highest ids, highest first.

    The same rows as `_search_candidates(...).order_by("-pk")[:limit]`, found range by range from the newest
    ids. A name's keys match tens of thousands of people: asking for all of them and sorting, or walking the
    people backwards until enough match (what a LIMIT makes PostgreSQL do, badly when the estimate of the
    matches is off), costs far more than taking every match of a few ranges, and sorting those here.
    """
    highest = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    rows: list[tuple[int, date | None]] = []
    width = SEARCH_FIRST_RANGE
    while highest is not None and highest >= 1 and len(rows) < limit:
        lowest = max(1, highest - width + 1)
        candidates = _search_candidates(ctx, query, ids=(lowest, highest))
        if candidates is None:
            break
        found = list(candidates.values_list("pk", "birth_date"))
        found.sort(key=itemgetter(0), reverse=True)
        rows += found
        expected_in_rest = len(found) / (highest - lowest + 1) * (lowest - 1)
        many_more = expected_in_rest > SEARCH_RANGE_OVERSHOOT * (limit - len(rows))
        highest = lowest - 1
        width = width * SEARCH_RANGE_GROWTH if many_more else highest
    return rows[:limit]


def person_search(*, ctx: AccessContext, query: SearchQuery, page_size: int) -> PersonPage:
    """The one search box: names in any script or spelling, document numbers, dates of birth; audited."""
    parsed = parse_search_text(query.text)
    candidates = _search_candidates(ctx, query)
    if candidates is None:
        return PersonPage(cards=[], page=1, page_count=1, total=0, total_is_capped=False)
    if parsed.name_tokens or parsed.birth_date:
        # Rank a bounded candidate set in Python by `_rank`'s rule, on plain values: only the page shown is
        # loaded with its details.
        rows = _newest_candidates(ctx, query, SEARCH_CANDIDATE_LIMIT + 1)
        capped = len(rows) > SEARCH_CANDIDATE_LIMIT
        births = dict(rows[:SEARCH_CANDIDATE_LIMIT])
        # The folded keys of the query that each candidate has. The stored keys are those of the person's
        # spellings (every write of names rebuilds them, and the candidates were found by them), so this is
        # what `_rank` computes from the names, read from the index instead of recomputed for ~3,000 spellings.
        keys: dict[int, set[str]] = {pk: set() for pk in births}
        folded = {key for token in parsed.name_tokens for key in token if key.startswith("f:")}
        if folded:
            agreeing = NameSearchKey.objects.filter(person_id__in=births, key__in=folded)
            for person_id, key in agreeing.values_list("person_id", "key"):
                keys[person_id].add(key)
        ranked = sorted(births, key=lambda pk: _rank_of(pk, births[pk], keys[pk], parsed), reverse=True)
        total = len(ranked)
        page_count = max(1, -(-total // page_size))
        page = min(max(1, query.page), page_count)
        shown = ranked[(page - 1) * page_size : page * page_size]
        details = {p.pk: p for p in with_person_details(Person.objects.filter(pk__in=shown))}
        people = [details[pk] for pk in shown]
    else:
        total = candidates.count()
        capped = False
        page_count = max(1, -(-total // page_size))
        page = min(max(1, query.page), page_count)
        people = list(
            with_person_details(candidates.order_by("-pk"))[(page - 1) * page_size : page * page_size]
        )
    cards = [person_card(p) for p in people]
    audit_record_reads(
        actor=ctx.user,
        action="person.search",
        person_uuids=[c.uuid for c in cards],
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        details={"query": query.text[:200], "results": total},
    )
    return PersonPage(cards=cards, page=page, page_count=page_count, total=total, total_is_capped=capped)
