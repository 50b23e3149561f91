"""Demo presence records for generated people: entries, exits, stays, permits and addresses, in bulk.

Like the registry's demo loader, this bypasses the services (one service call per record would take hours at
1,000,000 people) and is never used on a real node: rows are built from a `random.Random`, inserted with
`bulk_create` in batches of people (memory stays bounded), and each batch's summaries are computed by the same
code as the services'. Every date it writes is consistent with what the services would accept.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.db.models import Min

from karvon.accounts.models import Office, OfficeKind, User
from karvon.audit.services import audit_record
from karvon.presence.models import AddressPeriod, Movement, Permit, StayRegistration
from karvon.presence.regions import node_regions
from karvon.presence.services import presence_summaries_write, stay_rules
from karvon.registry.models import DocumentType, IdentityDocument, Person, PersonNationality, Registration

BATCH_PEOPLE = 5000
# Citizens of these states come to work under visa-free regimes; the others mostly come to seek protection.
LABOUR_NATIONALITIES = frozenset(
    {"UZB", "TJK", "KGZ", "KAZ", "RUS", "TKM", "AZE", "TUR", "ARM", "BLR", "UKR"}
)
PURPOSES = (("work", 70), ("family", 10), ("study", 8), ("private_visit", 7), ("business", 5))
PERMIT_FOR_PURPOSE = {"work": "work_permit", "study": "study_permit", "family": "temporary_residence"}
OTHER_CROSSING_POINTS = ("Dostyk (railway)", "Khorgos", "Tashkent airport (transit)")
STREETS = (
    "Abay",
    "Tole bi",
    "Zhibek Zholy",
    "Raiymbek",
    "Seifullin",
    "Dostyk",
    "Tauelsizdik",
    "Kabanbay batyr",
)
HOSTS = ("", "", "Kurylys LLP", "Agro-Invest LLP", "a relative", "Service Plus LLP")


@dataclass(frozen=True)
class DemoPresencePerson:
    person_id: int
    nationality: str
    office_id: int
    registered_on: date
    birth_date: date | None = None


@dataclass(frozen=True)
class PresenceDemoReport:
    people: int
    movements: int
    stays: int
    permits: int
    addresses: int
    seconds: float


def demo_people_in_registry(*, batch_size: int = BATCH_PEOPLE) -> Iterator[DemoPresencePerson]:
    """Every current person of the registry, by id, with a nationality and their first registration: streamed."""
    last_id = 0
    while True:
        ids = list(
            Person.objects.filter(pk__gt=last_id, merged_into__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return
        last_id = ids[-1]
        births = dict(Person.objects.filter(pk__in=ids).values_list("pk", "birth_date"))
        nationality = dict(
            PersonNationality.objects.filter(person_id__in=ids)
            .values("person_id")
            .annotate(first=Min("country"))
            .values_list("person_id", "first")
        )
        first_registration: dict[int, tuple[int, date]] = {}
        for person_id, office_id, registered_on in (
            Registration.objects.filter(person_id__in=ids)
            .order_by("person_id", "-registered_on", "-id")
            .values_list("person_id", "office_id", "registered_on")
        ):
            first_registration[person_id] = (office_id, registered_on)  # the earliest comes last
        for person_id in ids:
            if person_id in first_registration:
                office_id, registered_on = first_registration[person_id]
                yield DemoPresencePerson(
                    person_id, nationality.get(person_id, "XXX"), office_id, registered_on, births[person_id]
                )


def _at(day: date) -> datetime:
    return datetime.combine(day, dt_time(6, 0), tzinfo=UTC)


class _Batch:
    """The rows of one batch of people, built in memory and written in dependency order."""

    def __init__(
        self,
        rng: random.Random,
        *,
        user_id: int,
        today: date,
        crossing_points: list[int],
        regions: list[str],
    ) -> None:
        self.rng = rng
        self.user_id = user_id
        self.today = today
        self.crossing_points = crossing_points
        self.regions = regions
        self.purposes = [code for code, weight in PURPOSES for _ in range(weight)]
        self.movements: list[Movement] = []
        # Stays and addresses wait for their entry's id: (entry index in self.movements, row).
        self.stays: list[tuple[int, StayRegistration]] = []
        self.addresses: list[AddressPeriod] = []
        # Permits as chains: each chain's rows extend the one before.
        self.permit_chains: list[list[Permit]] = []

    def _movement(
        self,
        person: DemoPresencePerson,
        direction: str,
        on: date,
        document: tuple[str, str, str] | None,
        purpose: str = "",
    ) -> int:
        point = (
            self.rng.choice(self.crossing_points)
            if self.crossing_points and self.rng.random() < 0.8
            else None
        )
        doc_type, doc_state, number = document or ("", "", "")
        self.movements.append(
            Movement(
                person_id=person.person_id,
                direction=direction,
                crossed_on=on,
                crossing_point_id=point,
                crossing_point_name="" if point else self.rng.choice(OTHER_CROSSING_POINTS),
                document_type=doc_type,
                document_state=doc_state,
                document_number=number,
                office_id=point or person.office_id,
                recorded_at=_at(on),
                recorded_by_id=self.user_id,
                purpose=purpose,
            )
        )
        return len(self.movements) - 1

    def _address(self, person: DemoPresencePerson, lived_from: date, lived_until: date | None = None) -> str:
        region = self.rng.choice(self.regions) if self.regions else ""
        address = (
            f"{self.rng.choice(STREETS)} st. {self.rng.randint(1, 240)}, apt. {self.rng.randint(1, 120)}"
        )
        self.addresses.append(
            AddressPeriod(
                person_id=person.person_id,
                address=address,
                region=region,
                lived_from=lived_from,
                lived_until=lived_until,
                office_id=person.office_id,
                recorded_at=_at(lived_from),
                recorded_by_id=self.user_id,
            )
        )
        return address

    def _stay(self, person: DemoPresencePerson, entry_index: int, on: date, until: date) -> None:
        address = self._address(person, on)
        self.stays.append(
            (
                entry_index,
                StayRegistration(
                    person_id=person.person_id,
                    registered_on=on,
                    address=address,
                    region=self.addresses[-1].region,
                    host=self.rng.choice(HOSTS),
                    registered_until=until,
                    office_id=person.office_id,
                    recorded_at=_at(on),
                    recorded_by_id=self.user_id,
                ),
            )
        )

    def _permits(self, person: DemoPresencePerson, kind: str, start: date) -> date | None:
        """A permit of a year, extended year by year while the person stays; returns the last day covered (None:
        no permit, as it would start after today)."""
        chain: list[Permit] = []
        valid_from = start
        while valid_from <= self.today:
            valid_until = valid_from + timedelta(days=364)
            chain.append(
                Permit(
                    person_id=person.person_id,
                    permit_type=kind,
                    number=f"{kind[:2].upper()}-{person.person_id:07d}-{len(chain) + 1}",
                    valid_from=valid_from,
                    valid_until=valid_until,
                    issuing_office_id=person.office_id,
                    recorded_at=_at(min(valid_from, self.today)),
                    recorded_by_id=self.user_id,
                )
            )
            if valid_until >= self.today or self.rng.random() < 0.2:
                break
            valid_from = valid_until + timedelta(days=1)
        if not chain:
            return None
        self.permit_chains.append(chain)
        return chain[-1].valid_until

    def add(self, person: DemoPresencePerson, document: tuple[str, str, str] | None) -> None:
        rng, today = self.rng, self.today
        if person.nationality == settings.KARVON_NODE_STATE:
            return  # the state's own citizens need no stay registration
        labour = person.nationality in LABOUR_NATIONALITIES
        if rng.random() < (0.1 if labour else 0.6):
            return  # no crossing on record: met and registered in the country (an irregular entry)
        entered = person.registered_on - timedelta(days=rng.randint(0, 5))
        if person.birth_date is not None and entered < person.birth_date:
            entered = person.registered_on
        purpose = rng.choice(self.purposes) if labour else rng.choice(("asylum", "transit", "family"))
        entry = self._movement(person, "entry", entered, document, purpose=purpose)
        if not labour:
            return
        visa_free_end = stay_rules().visa_free_until(entered, person.nationality)
        scenario = rng.random()
        if scenario < 0.08:
            return  # never registered their stay: a missed registration, and later an overstay
        registered_on = min(entered + timedelta(days=rng.randint(0, 2)), today)
        self._stay(person, entry, registered_on, visa_free_end)
        covered = None
        if scenario < 0.3 and purpose in PERMIT_FOR_PURPOSE:
            covered = self._permits(
                person, PERMIT_FOR_PURPOSE[purpose], registered_on + timedelta(days=rng.randint(5, 25))
            )
        if covered is not None:
            if covered < today and rng.random() < 0.7:
                self._movement(person, "exit", covered - timedelta(days=rng.randint(0, 10)), document)
            elif covered >= today and rng.random() < 0.25:
                moved_on = registered_on + timedelta(days=rng.randint(60, 200))
                if moved_on < today:
                    self.addresses[-1].lived_until = moved_on - timedelta(days=1)
                    self._address(person, moved_on)
            return
        # Most seasonal workers leave before their stay ends; some stay on past it.
        if scenario < 0.9:
            left_on = entered + timedelta(days=rng.randint(20, max(21, (visa_free_end - entered).days)))
            if left_on <= today:
                self._movement(person, "exit", left_on, document)

    def write(self) -> tuple[int, int, int, int]:
        Movement.objects.bulk_create(self.movements, batch_size=2000)
        stays = []
        for entry_index, stay in self.stays:
            stay.entry_id = self.movements[entry_index].pk
            stays.append(stay)
        StayRegistration.objects.bulk_create(stays, batch_size=2000)
        AddressPeriod.objects.bulk_create(self.addresses, batch_size=2000)
        permits = 0
        generation = 0
        while True:
            rows = [chain[generation] for chain in self.permit_chains if len(chain) > generation]
            if not rows:
                break
            if generation:
                for chain in self.permit_chains:
                    if len(chain) > generation:
                        chain[generation].extends_id = chain[generation - 1].pk
            Permit.objects.bulk_create(rows, batch_size=2000)
            permits += len(rows)
            generation += 1
        return len(self.movements), len(stays), permits, len(self.addresses)


def _passports(person_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    passports: dict[int, tuple[str, str, str]] = {}
    for person_id, doc_type, state, number in (
        IdentityDocument.objects.filter(person_id__in=person_ids, doc_type=DocumentType.PASSPORT)
        .order_by("person_id", "id")
        .values_list("person_id", "doc_type", "issuing_state", "number")
    ):
        passports.setdefault(person_id, (doc_type, state, number))
    return passports


def presence_demo_load(
    *,
    people: Iterable[DemoPresencePerson],
    rng: random.Random,
    user: User,
    today: date,
    batch_size: int = BATCH_PEOPLE,
    progress: Callable[[int], None] | None = None,
) -> PresenceDemoReport:
    """Create demo presence records for these people and their summaries, batch by batch (one transaction each).

    Migrant workers enter a few days before they are registered; most register their stay on time, some never
    do, some receive work, study or residence permits (extended year by year), most leave before their visa-free
    stay ends and some stay on. People of other nationalities mostly have no crossing on record.
    """
    started = time.monotonic()
    crossing_points = list(
        Office.objects.filter(kind=OfficeKind.BORDER_CROSSING_POINT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    regions = [code for code, _name in node_regions()]
    totals = [0, 0, 0, 0]
    done = 0
    iterator = iter(people)
    while chunk := list(islice(iterator, batch_size)):
        passports = _passports([p.person_id for p in chunk])
        batch = _Batch(rng, user_id=user.pk, today=today, crossing_points=crossing_points, regions=regions)
        for person in chunk:
            batch.add(person, passports.get(person.person_id))
        with transaction.atomic():
            for index, count in enumerate(batch.write()):
                totals[index] += count
            presence_summaries_write([p.person_id for p in chunk], today=today)
        done += len(chunk)
        if progress is not None:
            progress(done)
    movements, stays, permits, addresses = totals
    report = PresenceDemoReport(done, movements, stays, permits, addresses, time.monotonic() - started)
    audit_record(
        actor=None,
        action="presence.demo_load",
        object_type="presence",
        occurred_at=_at(today),
        changes={k: v for k, v in report.__dict__.items() if k != "seconds"},
    )
    return report
