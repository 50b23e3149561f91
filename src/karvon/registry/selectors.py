"""Reads of personal data: every one takes the acting user, scopes to their offices and is audited."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from karvon_match import name_search_keys, query_search_keys

from karvon.accounts.access import AccessContext, office_ids_in_scope
from karvon.accounts.roles import Capability
from karvon.audit.services import audit_record, audit_record_reads
from karvon.registry.contracts import PersonCard, PersonInput, PersonPage, SearchQuery
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


def _with_details(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.prefetch_related(
        Prefetch("names", queryset=PersonName.objects.order_by("part", "position")),
        "nationalities", "languages", "documents",
    )


def person_get(*, ctx: AccessContext, person_uuid: uuid.UUID) -> Person:
    """One person's file, read and audited; Person.DoesNotExist when outside the user's scope."""
    person = _with_details(person_scope(ctx=ctx)).get(uuid=person_uuid)
    audit_record(actor=ctx.user, action="person.view", object_type="person", object_id=str(person.uuid),
                 person_uuid=person.uuid, occurred_at=ctx.now, ip_address=ctx.ip_address)
    return person


def person_get_for_write(*, ctx: AccessContext, person_uuid: uuid.UUID,
                         capability: Capability = Capability.PERSON_EDIT) -> Person:
    """The person to change, if the user may change them (the write's own audit event records the access)."""
    return _with_details(_scoped(ctx, capability)).get(uuid=person_uuid)


def household_get_for_write(*, ctx: AccessContext, household_uuid: uuid.UUID) -> Household:
    offices = office_ids_in_scope(ctx, Capability.PERSON_EDIT) | office_ids_in_scope(ctx, Capability.PERSON_REGISTER)
    return Household.objects.get(uuid=household_uuid, office_id__in=offices)


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
            .select_related("person").prefetch_related("person__names").order_by("id")
        )
    return PersonFile(
        person=person,
        registrations=list(person.registrations.select_related("office").order_by("-registered_on", "-id")),
        memberships=memberships,
        household_members=members,
        profiles=list(person.profiles.prefetch_related("specific_needs", "referrals").select_related("recorded_by")),
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
        household.memberships.filter(person__in=visible).select_related("person")
        .prefetch_related("person__names", "person__nationalities").order_by("started_on", "id")
    )
    audit_record_reads(actor=ctx.user, action="person.list", person_uuids=[m.person.uuid for m in memberships],
                       occurred_at=ctx.now, ip_address=ctx.ip_address, details={"household": str(household.uuid)})
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


def _search_candidates(ctx: AccessContext, query: SearchQuery) -> QuerySet[Person] | None:
    parsed = parse_search_text(query.text)
    people = person_scope(ctx=ctx)
    constrained = False
    for keys in parsed.name_tokens:
        people = people.filter(pk__in=NameSearchKey.objects.filter(key__in=keys).values("person_id"))
        constrained = True
    for number in parsed.document_numbers:
        people = people.filter(pk__in=IdentityDocument.objects.filter(number_normalised=number).values("person_id"))
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


def _rank(person: Person, parsed: ParsedQuery) -> tuple[int, int]:
    """Spelling-exact ("f:" folded) agreement outranks skeleton-only agreement; a full date outranks a year."""
    keys: set[str] = set()
    for name in person.names.all():
        keys |= name_search_keys(name.text)
    folded = sum(1 for token in parsed.name_tokens if any(k.startswith("f:") and k in keys for k in token))
    date_agrees = 1 if parsed.birth_date and person.birth_date == parsed.birth_date else 0
    return (folded + date_agrees, person.pk)


def person_search(*, ctx: AccessContext, query: SearchQuery, page_size: int) -> PersonPage:
    """The one search box: names in any script or spelling, document numbers, dates of birth; audited."""
    parsed = parse_search_text(query.text)
    candidates = _search_candidates(ctx, query)
    if candidates is None:
        return PersonPage(cards=[], page=1, page_count=1, total=0, total_is_capped=False)
    if parsed.name_tokens or parsed.birth_date:
        # Rank a bounded candidate set in Python, where the per-spelling keys are at hand.
        ids = list(candidates.order_by("-pk").values_list("pk", flat=True)[: SEARCH_CANDIDATE_LIMIT + 1])
        capped = len(ids) > SEARCH_CANDIDATE_LIMIT
        ids = ids[:SEARCH_CANDIDATE_LIMIT]
        pool = list(_with_details(Person.objects.filter(pk__in=ids)))
        pool.sort(key=lambda p: _rank(p, parsed), reverse=True)
        total = len(pool)
        page_count = max(1, -(-total // page_size))
        page = min(max(1, query.page), page_count)
        people = pool[(page - 1) * page_size: page * page_size]
    else:
        total = candidates.count()
        capped = False
        page_count = max(1, -(-total // page_size))
        page = min(max(1, query.page), page_count)
        people = list(_with_details(candidates.order_by("-pk"))[(page - 1) * page_size: page * page_size])
    cards = [person_card(p) for p in people]
    audit_record_reads(actor=ctx.user, action="person.search", person_uuids=[c.uuid for c in cards],
                       occurred_at=ctx.now, ip_address=ctx.ip_address,
                       details={"query": query.text[:200], "results": total})
    return PersonPage(cards=cards, page=page, page_count=page_count, total=total, total_is_capped=capped)


def person_similar(*, ctx: AccessContext, draft: PersonInput, limit: int = 5) -> list[PersonCard]:
    """Search before create: people in scope whose names share keys with the draft, best first; audited."""
    family = [n.text for n in draft.names if n.part == "family" and n.text.strip()]
    given = [n.text for n in draft.names if n.part == "given" and n.text.strip()]
    numbers = ["".join(ch for ch in d.number.upper() if ch.isalnum()) for d in draft.documents if d.number.strip()]
    if not (family or given or numbers):
        return []
    people = person_scope(ctx=ctx)
    conditions = Q()
    if numbers:
        conditions |= Q(pk__in=IdentityDocument.objects.filter(number_normalised__in=numbers).values("person_id"))
    name_filter = Q()
    for texts in (family, given):
        keys: set[str] = set()
        for text in texts:
            keys |= name_search_keys(text)
        if keys:
            name_filter &= Q(pk__in=NameSearchKey.objects.filter(key__in=keys).values("person_id"))
    if family or given:
        conditions |= name_filter
    pool = list(_with_details(people.filter(conditions).order_by("-pk"))[:50])
    draft_keys: set[str] = set()
    for name in draft.names:
        draft_keys |= name_search_keys(name.text)
    scored: list[tuple[int, Person, list[str]]] = []
    for person in pool:
        reasons: list[str] = []
        score = 0
        person_keys: set[str] = set()
        for name in person.names.all():
            person_keys |= name_search_keys(name.text)
        shared = draft_keys & person_keys
        if shared:
            folded = sum(1 for k in shared if k.startswith("f:"))
            score += 2 * folded + (len(shared) - folded)
            reasons.append("names")
        if draft.birth_date and person.birth_date:
            if draft.birth_date == person.birth_date:
                score += 3
                reasons.append("date_of_birth")
            elif draft.birth_date.year == person.birth_date.year:
                score += 1
                reasons.append("year_of_birth")
        if numbers and any(d.number_normalised in numbers for d in person.documents.all()):
            score += 5
            reasons.append("document")
        scored.append((score, person, reasons))
    scored.sort(key=lambda item: (item[0], item[1].pk), reverse=True)
    cards = [person_card(person, reasons) for _, person, reasons in scored[:limit]]
    if cards:
        audit_record_reads(actor=ctx.user, action="person.similar", person_uuids=[c.uuid for c in cards],
                           occurred_at=ctx.now, ip_address=ctx.ip_address, details={"results": len(cards)})
    return cards
