"""Load generated demo people into the registry in bulk: explicit ids, large batches, one transaction each."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time as dt_time
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Max, Model
from karvon_match import name_search_keys, normalise_text

from karvon.accounts.models import Office, User
from karvon.audit.services import audit_record
from karvon.demo.generator import DemoPerson, DemoRegistration, generate_registrations
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
from karvon.registry.contracts import ProfileInput
from karvon.registry.profiling import referrals_suggested
from karvon.registry.services import document_number_normalised

BATCH_PEOPLE = 5000
MODELS = (Person, PersonName, NameSearchKey, PersonNationality, PersonLanguage, IdentityDocument, Household,
          HouseholdMembership, Registration, ProfileRecord, SpecificNeed, ReferralSuggestion)


@lru_cache(maxsize=500_000)
def _keys(text: str) -> frozenset[str]:
    return name_search_keys(text)


@lru_cache(maxsize=500_000)
def _normalised(text: str) -> str:
    return normalise_text(text)


@dataclass
class _Ids:
    """Next free primary key per model: ids are assigned here so rows can be linked before insert."""

    next_ids: dict[type[Model], int]

    @classmethod
    def from_database(cls) -> _Ids:
        return cls({model: (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for model in MODELS})

    def take(self, model: type[Model]) -> int:
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value


@dataclass(frozen=True)
class LoadReport:
    people: int
    households: int
    seconds: float


class _Batch:
    def __init__(self) -> None:
        self.rows: dict[type[Model], list[Model]] = {model: [] for model in MODELS}

    def add(self, row: Model) -> None:
        self.rows[type(row)].append(row)

    def flush(self) -> None:
        with transaction.atomic():
            for model in MODELS:
                if self.rows[model]:
                    model.objects.bulk_create(self.rows[model], batch_size=2000)
                    self.rows[model] = []


def _person_rows(batch: _Batch, ids: _Ids, person: DemoPerson, *, person_id: int, user: User,
                 at: datetime) -> None:
    batch.add(Person(id=person_id, sex=person.sex, birth_date=person.birth_date,
                     birth_date_precision=person.birth_date_precision, place_of_birth=person.place_of_birth,
                     phone=person.phone, created_at=at, updated_at=at, created_by=user))
    keys: set[str] = set()
    position = 0
    parts_with_primary: set[str] = set()
    seen: set[tuple[str, str, str]] = set()
    for name in person.names:
        for spelling in name.spellings:
            text = _normalised(spelling.text)
            if not text or (name.part, text, spelling.source) in seen:
                continue
            seen.add((name.part, text, spelling.source))
            is_primary = name.part not in parts_with_primary
            parts_with_primary.add(name.part)
            batch.add(PersonName(id=ids.take(PersonName), person_id=person_id, part=name.part, text=text,
                                 script=spelling.script, source=spelling.source, is_primary=is_primary,
                                 position=position))
            position += 1
            keys |= _keys(text)
    for key in sorted(keys):
        batch.add(NameSearchKey(id=ids.take(NameSearchKey), person_id=person_id, key=key))
    for code in dict.fromkeys(person.nationalities):
        batch.add(PersonNationality(id=ids.take(PersonNationality), person_id=person_id, country=code))
    for code in dict.fromkeys(person.languages):
        batch.add(PersonLanguage(id=ids.take(PersonLanguage), person_id=person_id, language=code))
    seen_docs: set[tuple[str, str, str]] = set()
    for document in person.documents:
        normalised = document_number_normalised(document.number)
        key = (document.doc_type, document.issuing_state, normalised)
        if key in seen_docs:
            continue
        seen_docs.add(key)
        batch.add(IdentityDocument(id=ids.take(IdentityDocument), person_id=person_id, doc_type=document.doc_type,
                                   number=document.number, number_normalised=normalised,
                                   issuing_state=document.issuing_state, issue_date=document.issue_date,
                                   expiry_date=document.expiry_date))


def _registration_rows(batch: _Batch, ids: _Ids, registration: DemoRegistration, *, offices: list[Office],
                       user: User) -> int:
    office = offices[registration.office_index % len(offices)]
    at = datetime.combine(registration.registered_on, dt_time(10, 0), tzinfo=UTC)
    household_id = ids.take(Household)
    batch.add(Household(id=household_id, office_id=office.pk, created_at=at, created_by=user))
    for member in registration.members:
        person_id = ids.take(Person)
        _person_rows(batch, ids, member.person, person_id=person_id, user=user, at=at)
        batch.add(HouseholdMembership(id=ids.take(HouseholdMembership), household_id=household_id,
                                      person_id=person_id, relationship=member.relationship,
                                      started_on=registration.registered_on))
        batch.add(Registration(id=ids.take(Registration), person_id=person_id, household_id=household_id,
                               office_id=office.pk, registered_on=registration.registered_on,
                               met_at=registration.met_at,
                               referred_by="UNHCR" if registration.met_at == "referral" else "",
                               arrival_date=registration.arrival_date,
                               transit_countries=list(registration.transit_countries), created_at=at,
                               created_by=user))
        if member.person.profiles:
            profile_id = ids.take(ProfileRecord)
            batch.add(ProfileRecord(id=profile_id, person_id=person_id, profile_types=list(member.person.profiles),
                                    fear_of_return="asylum_seeker" in member.person.profiles, recorded_at=at,
                                    recorded_by=user, office_id=office.pk))
            for code in dict.fromkeys(member.person.specific_needs):
                batch.add(SpecificNeed(id=ids.take(SpecificNeed), person_id=person_id, profile_id=profile_id,
                                       code=code))
            profile = ProfileInput(profile_types=member.person.profiles, specific_needs=member.person.specific_needs,
                                   fear_of_return="asylum_seeker" in member.person.profiles)
            for suggestion in referrals_suggested(profile, birth_date=member.person.birth_date,
                                                  today=registration.registered_on):
                batch.add(ReferralSuggestion(id=ids.take(ReferralSuggestion), profile_id=profile_id,
                                             person_id=person_id, procedure=suggestion.procedure,
                                             reason=suggestion.reason))
    return len(registration.members)


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return  # SQLite takes max(rowid)+1 by itself
    with connection.cursor() as cursor:
        for model in MODELS:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"  # noqa: S608
            )


def demo_people_load(*, people: int, state: str, seed: int, offices: list[Office], user: User, now: datetime,
                     progress: Callable[[int], None] | None = None) -> LoadReport:
    """Generate and insert `people` demo persons with their households, registrations and profiles."""
    started = time.perf_counter()
    ids = _Ids.from_database()
    batch = _Batch()
    loaded = households = pending = 0
    registrations: Iterable[DemoRegistration] = generate_registrations(
        seed=seed, people=people, host_state=state, today=now.date(), n_offices=len(offices)
    )
    for registration in registrations:
        count = _registration_rows(batch, ids, registration, offices=offices, user=user)
        loaded += count
        pending += count
        households += 1
        if pending >= BATCH_PEOPLE:
            batch.flush()
            pending = 0
            if progress:
                progress(loaded)
    batch.flush()
    _reset_sequences()
    audit_record(actor=None, action="demo.load", object_type="registry", occurred_at=now,
                 changes={"people": loaded, "households": households, "seed": seed, "state": state})
    return LoadReport(people=loaded, households=households, seconds=time.perf_counter() - started)
