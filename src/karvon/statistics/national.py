"""The node's own stocks at a reference date — population type, demographics, presence, specific needs — from
the registry, the procedures and presence records; only counts leave this module, never a person."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Max, Min, TextField, Value
from django.db.models.functions import Cast, TruncDate

from karvon.cases.models import Case, CaseEvent, CaseMember
from karvon.cases.selectors import PROTECTION_PRIORITY
from karvon.cases.workflow import WORKFLOWS, CaseKind
from karvon.presence.lawful_stay import (
    AUTHORISED,
    NO_ENTRY_RECORDED,
    OVERSTAYER,
    PERMIT_PREFIX,
    REGISTERED_STAY,
    STATE_FIELDS,
    VISA_FREE,
    PresenceState,
    is_registration_missed,
    status_on,
)
from karvon.presence.models import Movement, PresenceSummary
from karvon.registry.models import Person, PersonNationality, ProfileRecord, Registration, SpecificNeed
from karvon.statistics.classification import (
    MIGRANTS,
    age_band,
    age_on,
    population_type,
    youth_bands,
)
from karvon.statistics.models import PRESENCE_STATUS_MEASURES, SPECIFIC_NEED_CATEGORIES

# Stages after which a person is no longer among the foreigners present: gone, or a citizen.
LEFT_STOCK_STATES = frozenset({"repatriated", "resettled", "naturalised", "returned", "departed"})
POPULATION_COLUMN = {
    "REF": "refugees",
    "ASY": "asylum_seekers",
    "OIP": "oip",
    "STA": "stateless",
    MIGRANTS: "migrants",
}
# The presence app's status codes (and the procedures' protection codes) → the presence dataset's columns.
PRESENCE_COLUMN = {
    "asylum_seeker": "asylum_seekers",
    "refugee": "refugees",
    "complementary_protection": "complementary_protection",
    "humanitarian_protection": "humanitarian_protection",
    "statelessness_applicant": "statelessness_applicants",
    "stateless": "stateless",
    "trafficking_victim": "trafficking_victims",
    "unaccompanied_child": "unaccompanied_children",
    REGISTERED_STAY: "registered_stay",
    VISA_FREE: "visa_free",
    AUTHORISED: "authorised_entry",
    NO_ENTRY_RECORDED: "no_entry_recorded",
    OVERSTAYER: "overstayers",
}
CHUNK = 20_000


class PersonCount(NamedTuple):
    """What one person contributes to the tables: no name, no identifier leaves the module (a tuple: a million
    of them are made per date)."""

    sex: str
    birth_date: date | None
    coo: str
    population: str
    presence_status: str
    registration_missed: bool
    need_categories: frozenset[str]


def _rows(queryset: Any, *fields: str) -> Iterator[tuple[Any, ...]]:
    # One client-side fetch: a server-side cursor (iterator()) costs a round trip per chunk, which at a million
    # rows took longer than the rows' memory is worth (a few hundred MB for one recomputation).
    return iter(queryset.values_list(*fields))


CaseStates = list[tuple[int, str, str]]  # (person id, case kind, stage at the end of a date)


def case_states_at(dates: list[date]) -> dict[date, CaseStates]:
    """For each date, every case begun by then with the stage it was in at the end of that date."""
    latest_step = CaseEvent.objects.aggregate(latest=Max("occurred_on"))["latest"]
    states: dict[date, CaseStates] = {}
    current = [d for d in dates if latest_step is None or latest_step <= d]
    if current:
        # No step is dated after these dates: each case is where it is now (the common case, and the fast one).
        rows = list(
            _rows(CaseMember.objects.all(), "person_id", "case__kind", "case__state", "case__began_on")
        )
        for day in current:
            states[day] = [
                (person_id, kind, stage) for person_id, kind, stage, began_on in rows if began_on <= day
            ]
    past = sorted(set(dates) - set(current))
    if not past:
        return states
    # Steps are dated in order (a step before the previous one is refused), so the stage at the end of a date is
    # the target of the step dated on or before it whose next step (if any) is dated after it. One pass of the
    # event log for every past date.
    member = connection.ops.quote_name(CaseMember._meta.db_table)
    case = connection.ops.quote_name(Case._meta.db_table)
    event = connection.ops.quote_name(CaseEvent._meta.db_table)
    days = " UNION ALL ".join(["SELECT %s AS on_date"] * len(past))
    statement = (
        "WITH steps AS (SELECT e.case_id, e.to_state, e.occurred_on, "  # noqa: S608 - table names from the models
        f"LEAD(e.occurred_on) OVER (PARTITION BY e.case_id ORDER BY e.sequence) AS next_on FROM {event} e) "
        f"SELECT d.on_date, m.person_id, c.kind, s.to_state FROM steps s JOIN ({days}) d "
        "ON s.occurred_on <= d.on_date AND (s.next_on IS NULL OR s.next_on > d.on_date) "
        f"JOIN {case} c ON c.id = s.case_id JOIN {member} m ON m.case_id = c.id WHERE c.began_on <= d.on_date"
    )
    # SQLite answers the dates as text, PostgreSQL as dates: each distinct value is converted once.
    bucket_of: dict[Any, CaseStates] = {}
    for day in past:
        states[day] = []
    with connection.cursor() as cursor:
        cursor.execute(statement, past)
        while rows := cursor.fetchmany(CHUNK):
            for row in rows:
                bucket = bucket_of.get(row[0])
                if bucket is None:
                    bucket = bucket_of[row[0]] = states[date.fromisoformat(str(row[0])[:10])]
                bucket.append(row[1:])
    return states


def protection_and_departures(
    reference_date: date, states: CaseStates | None = None
) -> tuple[dict[int, str], set[int], set[int]]:
    """Per person at the date: the strongest protection status their cases give; who had an asylum case; who
    had left the foreign population through a case (repatriated, resettled, naturalised, returned, departed)."""
    rank = {status: i for i, status in enumerate(PROTECTION_PRIORITY)}
    # (kind, stage) → protection, looked up once per stage rather than once per case.
    status_of = {
        (kind.value, code): state.protection
        for kind, workflow in WORKFLOWS.items()
        for code, state in workflow.states.items()
    }
    protection: dict[int, str] = {}
    asylum_applicants: set[int] = set()
    left: set[int] = set()
    if states is None:
        states = case_states_at([reference_date])[reference_date]
    for person_id, kind, stage in states:
        if kind == CaseKind.ASYLUM:
            asylum_applicants.add(person_id)
        if stage in LEFT_STOCK_STATES:
            left.add(person_id)
            continue
        status = status_of[(kind, stage)]
        if status and rank.get(status, 99) < rank.get(protection.get(person_id, ""), 99):
            protection[person_id] = status
    return protection, asylum_applicants, left


# The presence app's summary fields in PresenceState's order (the states are built from these rows
# positionally), with the protection read as "": at a date it comes from the cases.
_SUMMARY_FIELDS = ("person_id", *("no_protection" if name == "protection" else name for name in STATE_FIELDS))


@dataclass
class RegistrySnapshot:
    """What does not depend on the reference date, read once for every date a recomputation counts at: the
    people, their first registration and first nationality, their profiles and crossings in time order, the
    needs of each profile and the presence app's stay records."""

    people: list[tuple[int, str, date | None]]
    first_registered: dict[int, date]
    nationalities: dict[int, str]
    # Per person, (day recorded, profile id, types as stored JSON text) oldest first; most people have one.
    profiles: dict[int, list[tuple[date, int, str]]]
    needs: dict[int, frozenset[str]]
    stays: dict[int, PresenceState]
    crossings: dict[int, list[tuple[date, str]]]


def registry_snapshot() -> RegistrySnapshot:
    first_registered: dict[int, date] = {}
    for person_id, registered_on in _rows(
        Registration.objects.order_by().values("person_id").annotate(first=Min("registered_on")),
        "person_id",
        "first",
    ):
        first_registered[person_id] = registered_on
    nationalities: dict[int, str] = {}
    for person_id, country in _rows(
        PersonNationality.objects.order_by("person_id", "pk"), "person_id", "country"
    ):
        nationalities.setdefault(person_id, country)
    profiles: dict[int, list[tuple[date, int, str]]] = defaultdict(list)
    # The types as text: a few distinct lists recur a million times; each is parsed once (`_population`).
    for person_id, recorded_on, profile_id, types in _rows(
        ProfileRecord.objects.order_by("person_id", "recorded_at", "pk").annotate(
            # The day in the node's time zone, as "at the end of the reference date" means there.
            recorded_on=TruncDate("recorded_at"),
            types_text=Cast("profile_types", TextField()),
        ),
        "person_id",
        "recorded_on",
        "pk",
        "types_text",
    ):
        profiles[person_id].append((recorded_on, profile_id, types or "[]"))
    categories: dict[int, set[str]] = defaultdict(set)
    for profile_id, code in _rows(SpecificNeed.objects.all(), "profile_id", "code"):
        categories[profile_id].add(code.split("-", 1)[0])
    stays: dict[int, PresenceState] = {}
    # The protection at a date comes from the cases, not from the summary's current one: read as "".
    for person_id, *values in _rows(
        PresenceSummary.objects.annotate(no_protection=Value("")), *_SUMMARY_FIELDS
    ):
        stays[person_id] = PresenceState(*values)
    crossings: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for person_id, crossed_on, direction in _rows(
        Movement.objects.order_by("person_id", "crossed_on", "id"), "person_id", "crossed_on", "direction"
    ):
        crossings[person_id].append((crossed_on, direction))
    return RegistrySnapshot(
        people=list(_rows(Person.objects.filter(merged_into__isnull=True), "pk", "sex", "birth_date")),
        first_registered=first_registered,
        nationalities=nationalities,
        profiles=dict(profiles),
        needs={profile_id: frozenset(codes) for profile_id, codes in categories.items()},
        stays=stays,
        crossings=dict(crossings),
    )


def _latest_profile(history: list[tuple[date, int, str]], reference_date: date) -> tuple[int, str]:
    for recorded_on, profile_id, types in reversed(history):
        if recorded_on <= reference_date:
            return profile_id, types
    return 0, "[]"


@lru_cache(maxsize=4096)
def _population(types_text: str, protection: str, had_asylum_case: bool) -> str:
    return population_type(json.loads(types_text), protection=protection, had_asylum_case=had_asylum_case)


def _exited(history: list[tuple[date, str]], reference_date: date) -> bool:
    """The last crossing recorded on or before the date is an exit."""
    for crossed_on, direction in reversed(history):
        if crossed_on <= reference_date:
            return direction == "exit"
    return False


def _stay_status(state: PresenceState | None, reference_date: date) -> tuple[str, bool]:
    if state is None:
        return NO_ENTRY_RECORDED, False
    status = status_on(state, reference_date)
    if status.startswith(PERMIT_PREFIX):
        status = "permit"
    return status, is_registration_missed(state, reference_date)


def first_registration_year() -> int | None:
    """Where a full recomputation starts: the year of the registry's first registration."""
    first = Registration.objects.order_by("registered_on").values_list("registered_on", flat=True).first()
    return first.year if first else None


def people_counted(
    reference_date: date, snapshot: RegistrySnapshot | None = None, states: CaseStates | None = None
) -> Iterator[PersonCount]:
    """Each person in the country at the end of the date, once: registered by then, not merged into another
    record, not left through a procedure or by a recorded exit (unless a procedure protects them again)."""
    snapshot = snapshot if snapshot is not None else registry_snapshot()
    protection, asylum_applicants, left = protection_and_departures(reference_date, states)
    for person_id, sex, birth_date in snapshot.people:
        registered_on = snapshot.first_registered.get(person_id)
        if registered_on is None or registered_on > reference_date:
            continue
        status = protection.get(person_id, "")
        if not status and (
            person_id in left or _exited(snapshot.crossings.get(person_id, []), reference_date)
        ):
            continue
        profile_id, profile_types = _latest_profile(snapshot.profiles.get(person_id, []), reference_date)
        if status:
            stay_status, missed = status, False
        else:
            stay_status, missed = _stay_status(snapshot.stays.get(person_id), reference_date)
        yield PersonCount(
            sex=sex,
            birth_date=birth_date,
            coo=snapshot.nationalities.get(person_id, "UNK"),
            population=_population(profile_types, status, person_id in asylum_applicants),
            presence_status=stay_status,
            registration_missed=missed,
            need_categories=snapshot.needs.get(profile_id, frozenset()),
        )


DEMOGRAPHIC_MEASURES = tuple(
    f"{sex}_{band}"
    for sex in ("f", "m")
    for band in ("0_4", "5_11", "12_17", "18_59", "60", "other", "total")
)


def national_datasets(
    people: Iterable[PersonCount], *, reference_date: date, state: str
) -> dict[str, list[dict[str, Any]]]:
    """Stocks by origin and population type, demographics by sex and age band (UNHCR's layout), presence by
    status and specific needs by category, all at the reference date."""
    # A million people fall into a few thousand distinct combinations: count those first, then spread each
    # combination over the tables' cells once.
    people_by_kind: Counter[tuple[str, str, str, int | None]] = Counter()
    present_by_status: Counter[tuple[str, str, bool]] = Counter()
    needs_by_set: Counter[tuple[str, frozenset[str]]] = Counter()
    for person in people:
        people_by_kind[
            (person.coo, person.population, person.sex, age_on(person.birth_date, reference_date))
        ] += 1
        present_by_status[(person.coo, person.presence_status, person.registration_missed)] += 1
        if person.need_categories:
            needs_by_set[(person.coo, person.need_categories)] += 1
    stocks: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(POPULATION_COLUMN.values(), 0))
    demography: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (coo, population, sex, age), n in people_by_kind.items():
        stocks[coo][POPULATION_COLUMN[population]] += n
        cells = demography[(coo, population)]
        if sex in {"F", "M"}:
            prefix = sex.lower()
            cells[f"{prefix}_{age_band(age)}"] += n
            cells[f"{prefix}_total"] += n
        cells["total"] += n
        young, youth = youth_bands(age)
        cells["y_15_24"] += n * young
        cells["y_15_34"] += n * youth
    presence: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (coo, status, missed), n in present_by_status.items():
        here = presence[coo]
        here["permit_holders" if status == "permit" else PRESENCE_COLUMN[status]] += n
        here["present"] += n
        here["registration_missed"] += n * missed
    needs: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (coo, categories), n in needs_by_set.items():
        for category in categories:
            needs[coo][category.lower()] += n
        needs[coo]["persons"] += n
    year = reference_date.year
    where = {"year": year, "coa": state}
    return {
        "population": [{**where, "coo": coo, **counts} for coo, counts in sorted(stocks.items())],
        "demographics": [
            {
                **where,
                "coo": coo,
                "pop_type": kind,
                "location": "",
                "loc_type": "",
                "acc_type": "",
                **{measure: cells.get(measure, 0) for measure in DEMOGRAPHIC_MEASURES},
                "total": cells["total"],
                "y_15_24": cells["y_15_24"],
                "y_15_34": cells["y_15_34"],
            }
            for (coo, kind), cells in sorted(demography.items())
        ],
        "presence": [
            {
                **where,
                "coo": coo,
                "reference_date": reference_date,
                **{measure: cells.get(measure, 0) for measure in PRESENCE_STATUS_MEASURES},
                "present": cells["present"],
                "registration_missed": cells["registration_missed"],
            }
            for coo, cells in sorted(presence.items())
        ],
        "specific_needs": [
            {
                **where,
                "coo": coo,
                "reference_date": reference_date,
                **{category.lower(): cells.get(category.lower(), 0) for category in SPECIFIC_NEED_CATEGORIES},
                "persons": cells["persons"],
            }
            for coo, cells in sorted(needs.items())
        ],
    }


def movement_flows_by_year(
    *, years: range, until: date, state: str, snapshot: RegistrySnapshot | None = None
) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Arrivals (people first registered in the year, not merged), entries and exits of every year of the span up
    to `until`, by the person's first nationality, from the snapshot already in memory."""
    snapshot = snapshot if snapshot is not None else registry_snapshot()
    first_day = date(years.start, 1, 1)
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: {"arrivals": 0, "entries": 0, "exits": 0}
    )
    for person_id, _sex, _birth_date in snapshot.people:
        coo = snapshot.nationalities.get(person_id, "UNK")
        registered_on = snapshot.first_registered.get(person_id)
        if registered_on is not None and first_day <= registered_on <= until:
            counts[(registered_on.year, coo)]["arrivals"] += 1
        for crossed_on, direction in snapshot.crossings.get(person_id, ()):
            if first_day <= crossed_on <= until:
                counts[(crossed_on.year, coo)]["entries" if direction == "entry" else "exits"] += 1
    result: dict[int, dict[str, list[dict[str, Any]]]] = {year: {"movements": []} for year in years}
    for (year, coo), cells in sorted(counts.items()):
        result[year]["movements"].append({"year": year, "coo": coo, "coa": state, **cells})
    return result


def movement_flow_datasets(*, year: int, until: date, state: str) -> dict[str, list[dict[str, Any]]]:
    return movement_flows_by_year(years=range(year, year + 1), until=until, state=state)[year]
