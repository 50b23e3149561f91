"""Demo and benchmark cases: walks the real transition tables for registered people and inserts in bulk."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, ExtractYear, LPad

from karvon.accounts.models import Office, User
from karvon.cases.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Approval,
    Case,
    CaseEvent,
    CaseMember,
    MemberRole,
)
from karvon.cases.rules import StateRules, state_rules
from karvon.cases.services import KIND_CODES
from karvon.cases.workflow import WORKFLOWS, CaseKind, Detail
from karvon.registry.models import HouseholdMembership, Person, PersonNationality, Registration, SpecificNeed

BATCH = 5000

# The usual course of each procedure: from a stage, the steps taken and how often, and the days they take.
COURSE: dict[CaseKind, dict[str, list[tuple[str, float, tuple[int, int]]]]] = {
    CaseKind.ASYLUM: {
        "lodged": [("register_application", 0.97, (1, 5)), ("withdraw", 0.03, (2, 20))],
        "registered": [
            ("schedule_interview", 0.95, (2, 15)),
            ("withdraw", 0.03, (5, 30)),
            ("close_abandoned", 0.02, (90, 120)),
        ],
        "interview_scheduled": [("record_interview", 0.9, (7, 30)), ("reschedule_interview", 0.1, (3, 10))],
        "interviewed": [("complete_assessment", 1.0, (5, 25))],
        "assessed": [
            ("recognise_refugee", 0.38, (5, 40)),
            ("grant_complementary_protection", 0.1, (5, 40)),
            ("grant_humanitarian_protection", 0.04, (5, 40)),
            ("reject", 0.44, (5, 40)),
            ("exclude", 0.04, (5, 40)),
        ],
        "rejected": [("lodge_appeal", 0.6, (3, 25)), ("finalise_rejection", 0.4, (31, 40))],
        "excluded": [("lodge_appeal", 0.7, (3, 25)), ("finalise_rejection", 0.3, (31, 40))],
        "appeal_lodged": [
            ("uphold_on_appeal", 0.6, (30, 120)),
            ("recognise_on_appeal", 0.25, (30, 120)),
            ("complementary_on_appeal", 0.05, (30, 120)),
            ("remit_on_appeal", 0.1, (30, 120)),
        ],
        "appeal_rejected": [("lodge_appeal", 0.3, (5, 25)), ("finalise_rejection", 0.7, (31, 40))],
        "recognised": [
            ("record_contact", 0.7, (60, 240)),
            ("resettlement", 0.05, (90, 400)),
            ("naturalisation", 0.02, (300, 900)),
            ("voluntary_repatriation", 0.03, (90, 400)),
            ("departure", 0.02, (60, 300)),
        ],
        "complementary_protection": [
            ("record_contact", 0.7, (60, 240)),
            ("lodge_appeal", 0.1, (3, 25)),
            ("departure", 0.03, (60, 300)),
        ],
        "humanitarian_protection": [("record_contact", 0.7, (60, 240)), ("departure", 0.05, (60, 300))],
        "finally_rejected": [],
    },
    CaseKind.STATELESSNESS: {
        "lodged": [("register_application", 1.0, (1, 10))],
        "registered": [("schedule_interview", 1.0, (5, 30))],
        "interview_scheduled": [("record_interview", 1.0, (7, 40))],
        "interviewed": [("recognise_stateless", 0.6, (20, 90)), ("reject", 0.4, (20, 90))],
        "rejected": [("lodge_appeal", 0.5, (5, 25)), ("finalise_rejection", 0.5, (31, 40))],
        "appeal_lodged": [("recognise_on_appeal", 0.4, (30, 120)), ("uphold_on_appeal", 0.6, (30, 120))],
        "appeal_rejected": [("finalise_rejection", 1.0, (31, 40))],
        "recognised_stateless": [("record_contact", 0.5, (90, 300)), ("naturalisation", 0.05, (300, 900))],
    },
    CaseKind.TRAFFICKING: {
        "presumed": [("identify_victim", 0.8, (2, 10)), ("not_identified", 0.2, (2, 10))],
        "identified": [("start_reflection_period", 0.7, (1, 5)), ("start_assistance", 0.3, (1, 5))],
        "reflection_period": [("start_assistance", 0.85, (20, 30)), ("withdraw", 0.15, (5, 30))],
        "assisted": [
            ("refer_to_partner", 0.3, (5, 30)),
            ("complete_assistance", 0.5, (60, 180)),
            ("assisted_return", 0.2, (30, 120)),
        ],
    },
    CaseKind.CHILD_PROTECTION: {
        "opened": [("complete_bia", 0.9, (1, 3)), ("start_tracing", 0.1, (1, 3))],
        "assessed": [
            ("arrange_care", 0.4, (1, 5)),
            ("start_tracing", 0.4, (3, 15)),
            ("complete_bid", 0.2, (20, 40)),
        ],
        "tracing": [("family_traced", 0.5, (20, 90)), ("tracing_unsuccessful", 0.5, (60, 120))],
        "traced": [("reunify", 0.7, (10, 40)), ("complete_bid", 0.3, (10, 30))],
        "determined": [
            ("reunify", 0.5, (10, 60)),
            ("resettlement", 0.2, (60, 200)),
            ("naturalisation", 0.1, (200, 600)),
        ],
    },
    CaseKind.RETURN: {
        "requested": [
            ("approve_assistance", 0.8, (5, 30)),
            ("decline_assistance", 0.1, (5, 30)),
            ("withdraw", 0.1, (5, 30)),
        ],
        "approved": [("assisted_return", 0.9, (10, 60)), ("withdraw", 0.1, (5, 30))],
    },
}


# Determination procedures of the region take many months; the spans above are multiplied by this.
PACE = {CaseKind.ASYLUM: 3, CaseKind.STATELESSNESS: 3}


@dataclass(frozen=True)
class CasesLoadReport:
    cases: int
    events: int
    seconds: float


@dataclass
class _Person:
    pk: int
    birth_date: date | None
    nationality: str
    office_id: int
    registered_on: date
    needs: set[str] = field(default_factory=set)
    household_id: int | None = None
    is_principal: bool = False


def _people(start_id: int, end_id: int) -> list[_Person]:
    """People with id in [start, end) and what choosing a procedure needs to know of them."""
    people: dict[int, _Person] = {}
    registrations = (
        Registration.objects.filter(person_id__gte=start_id, person_id__lt=end_id)
        .order_by("person_id", "registered_on", "id")
        .values_list("person_id", "office_id", "registered_on")
    )
    births = dict(
        Person.objects.filter(pk__gte=start_id, pk__lt=end_id, merged_into__isnull=True).values_list(
            "pk", "birth_date"
        )
    )
    for person_id, office_id, registered_on in registrations:
        if person_id in births and person_id not in people:
            people[person_id] = _Person(person_id, births[person_id], "", office_id, registered_on)
    for person_id, country in PersonNationality.objects.filter(
        person_id__gte=start_id, person_id__lt=end_id
    ).values_list("person_id", "country"):
        if person_id in people and not people[person_id].nationality:
            people[person_id].nationality = country
    for person_id, code in SpecificNeed.objects.filter(
        person_id__gte=start_id, person_id__lt=end_id
    ).values_list("person_id", "code"):
        if person_id in people:
            people[person_id].needs.add(code)
    for person_id, household_id, relationship in HouseholdMembership.objects.filter(
        person_id__gte=start_id, person_id__lt=end_id, ended_on__isnull=True
    ).values_list("person_id", "household_id", "relationship"):
        if person_id in people:
            people[person_id].household_id = household_id
            people[person_id].is_principal = relationship == "principal"
    return list(people.values())


def _kind_for(person: _Person, rng: random.Random, today: date, extra_share: float) -> CaseKind | None:
    kind = _natural_kind(person, rng, today)
    if kind is None and extra_share and rng.random() < extra_share:
        # Benchmarks need more cases than the demo's mix gives: the same procedures, more often.
        kind = rng.choices(
            [CaseKind.ASYLUM, CaseKind.STATELESSNESS, CaseKind.TRAFFICKING, CaseKind.RETURN],
            weights=[70, 10, 10, 10],
        )[0]
    return kind


def _natural_kind(person: _Person, rng: random.Random, today: date) -> CaseKind | None:
    age = (today - person.birth_date).days // 365 if person.birth_date else None
    if "SC-UC" in person.needs or "SC-SC" in person.needs:
        return CaseKind.CHILD_PROTECTION
    if person.nationality in ("XXA", "XXX"):
        return CaseKind.STATELESSNESS if rng.random() < 0.5 else None
    if person.is_principal and person.nationality in ("AFG", "IRN", "PAK"):
        return CaseKind.ASYLUM if rng.random() < 0.75 else None
    if age is not None and age >= 18 and person.nationality in ("UZB", "TJK", "KGZ") and rng.random() < 0.006:
        return CaseKind.TRAFFICKING
    if person.is_principal and rng.random() < 0.02:
        return CaseKind.ASYLUM
    if rng.random() < 0.004:
        return CaseKind.RETURN
    return None


@dataclass
class _Batch:
    cases: list[Case] = field(default_factory=list)
    members: list[list[int]] = field(default_factory=list)
    events: list[list[CaseEvent]] = field(default_factory=list)
    interviews: list[datetime | None] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)


def _walk(
    kind: CaseKind, began_on: date, today: date, rng: random.Random, rules: StateRules, office: Office
) -> tuple[list[tuple[str, str, str, date, dict[str, object]]], datetime | None]:
    """Steps (transition, from, to, date, details) from the start until today, and a pending interview time."""
    workflow = WORKFLOWS[kind]
    state = workflow.initial
    on = began_on
    appeal_level = 0
    steps: list[tuple[str, str, str, date, dict[str, object]]] = []
    interview: datetime | None = None
    zone = ZoneInfo(office.time_zone)
    for _ in range(40):
        options = COURSE[kind].get(state, [])
        options = [
            o
            for o in options
            if not (
                WORKFLOWS[kind].transitions[o[0]].lodges_appeal and appeal_level >= len(rules.appeal_levels)
            )
        ]
        if not options:
            break
        names, weights, spans = zip(*options, strict=True)
        pick = rng.choices(range(len(names)), weights=weights)[0]
        name, (low, high) = names[pick], spans[pick]
        next_on = on + timedelta(days=rng.randint(low, high) * PACE.get(kind, 1))
        transition = workflow.transitions[name]
        if name in ("schedule_interview", "reschedule_interview"):
            interview_on = next_on + timedelta(days=rng.randint(5, 30))
            interview = datetime.combine(
                interview_on, day_time(rng.choice((9, 10, 11, 14, 15)), 0), tzinfo=zone
            )
        if next_on > today:
            break
        details: dict[str, object] = {}
        if Detail.INTERVIEW_AT in transition.requires and interview is not None:
            details["interview_at"] = interview.strftime("%Y-%m-%dT%H:%M")
        if Detail.EXPLOITATION in transition.requires:
            details = {
                "exploitation": [
                    rng.choice(
                        [
                            "forced_labour_construction",
                            "forced_labour_agriculture",
                            "sexual",
                            "forced_labour_domestic",
                        ]
                    )
                ],
                "means_of_control": rng.sample(
                    ["debt_bondage", "withholds_documents", "threats", "restricts_movement"], 2
                ),
            }
        if Detail.CARE_ARRANGEMENT in transition.requires:
            details = {"care_arrangement": rng.choice(["kinship_care", "foster_care", "residential_care"])}
        if Detail.PARTNER in transition.requires:
            details = {"partner": "Counter-trafficking NGO"}
        if Detail.DESTINATION in transition.requires:
            details = {"destination": "TJK"}
        target = transition.target or state
        if transition.lodges_appeal:
            appeal_level += 1
        steps.append((name, state, target, next_on, details))
        state, on = target, next_on
        if name == "record_interview":
            interview = None
    return steps, interview


def _flush(batch: _Batch, rules: StateRules, recorder_id: int, approver_id: int) -> int:
    if not batch.cases:
        return 0
    with transaction.atomic():
        created = Case.objects.bulk_create(batch.cases, batch_size=BATCH)
        members: list[CaseMember] = []
        events: list[CaseEvent] = []
        appointments: list[Appointment] = []
        approvals: list[Approval] = []
        for case, member_ids, case_events, interview, pending in zip(
            created, batch.members, batch.events, batch.interviews, batch.pending, strict=True
        ):
            members.extend(
                CaseMember(
                    case_id=case.pk,
                    person_id=pid,
                    role=MemberRole.PRINCIPAL if i == 0 else MemberRole.DEPENDANT,
                )
                for i, pid in enumerate(member_ids)
            )
            for event in case_events:
                event.case_id = case.pk
                events.append(event)
            if interview is not None and case.state == "interview_scheduled":
                appointments.append(
                    Appointment(
                        case_id=case.pk,
                        person_id=case.person_id,
                        office_id=case.office_id,
                        kind=AppointmentKind.INTERVIEW,
                        starts_at=interview,
                        status=AppointmentStatus.SCHEDULED,
                        created_at=case.created_at,
                        created_by_id=recorder_id,
                    )
                )
            if pending:
                approvals.append(
                    Approval(
                        case_id=case.pk,
                        transition=pending,
                        occurred_on=case.last_event_on,
                        legal_basis="Law on Refugees",
                        requested_at=case.created_at,
                        requested_by_id=recorder_id,
                    )
                )
        CaseMember.objects.bulk_create(members, batch_size=BATCH)
        CaseEvent.objects.bulk_create(events, batch_size=BATCH)
        Appointment.objects.bulk_create(appointments, batch_size=BATCH)
        Approval.objects.bulk_create(approvals, batch_size=BATCH)
    count = len(events)
    batch.cases.clear()
    batch.members.clear()
    batch.events.clear()
    batch.interviews.clear()
    batch.pending.clear()
    return count


def _id_ranges(step: int) -> Iterator[tuple[int, int]]:
    bounds = Person.objects.order_by("pk").values_list("pk", flat=True)
    first = bounds.first()
    last = bounds.last()
    if first is None or last is None:
        return
    for start in range(first, last + 1, step):
        yield start, start + step


def demo_cases_load(
    *,
    state: str,
    seed: int,
    today: date,
    recorder: User,
    approver: User,
    extra_share: float = 0.0,
    progress: Callable[[int, int], None] | None = None,
) -> CasesLoadReport:
    """Open and walk cases for the registered people who would have them; idempotent only on an empty case table."""
    started = time.perf_counter()
    rules = state_rules(state)
    rng = random.Random(seed)
    offices = {o.pk: o for o in Office.objects.all()}
    batch = _Batch()
    cases = events = 0
    covered: set[int] = set()
    household_members: dict[int, list[int]] = {}
    for start, end in _id_ranges(20_000):
        people = _people(start, end)
        household_members.clear()
        for p in people:
            if p.household_id is not None:
                household_members.setdefault(p.household_id, []).append(p.pk)
        for person in people:
            if person.pk in covered:
                continue
            kind = _kind_for(person, rng, today, extra_share)
            if kind is None:
                continue
            began_on = min(person.registered_on + timedelta(days=rng.randint(0, 7)), today)
            if person.birth_date and began_on < person.birth_date:
                continue
            office = offices[person.office_id]
            steps, interview = _walk(kind, began_on, today, rng, rules, office)
            member_ids = [person.pk]
            if kind == CaseKind.ASYLUM and person.household_id is not None:
                member_ids += [
                    m
                    for m in household_members.get(person.household_id, [])
                    if m != person.pk and m not in covered
                ]
            covered.update(member_ids)
            workflow = WORKFLOWS[kind]
            state_now = steps[-1][2] if steps else workflow.initial
            last_on = steps[-1][3] if steps else began_on
            entered_on = next((s[3] for s in reversed(steps) if s[1] != s[2]), began_on)
            closes = workflow.states[state_now].closed
            pending = ""
            if state_now == "assessed" and rng.random() < 0.5:
                pending = "reject" if rng.random() < 0.5 else "recognise_refugee"
            created_at = datetime.combine(began_on, day_time(9, 0), tzinfo=UTC)
            case = Case(
                reference=f"demo-{state}-{len(batch.cases)}-{start}-{person.pk}",
                kind=kind.value,
                person_id=person.pk,
                office_id=office.pk,
                state=state_now,
                began_on=began_on,
                state_entered_on=entered_on,
                last_event_on=last_on,
                last_contact_on=last_on,
                due_on=None
                if closes
                else rules.due_date(kind, state_now, entered_on=entered_on, began_on=began_on),
                closed_on=last_on if closes else None,
                appeal_level=sum(1 for s in steps if workflow.transitions[s[0]].lodges_appeal),
                awaiting_approval=pending,
                version=len(steps) + 1 + (1 if pending else 0),
                created_at=created_at,
                created_by_id=recorder.pk,
            )
            case_events = [
                CaseEvent(
                    sequence=1,
                    transition="open",
                    from_state="",
                    to_state=workflow.initial,
                    occurred_on=began_on,
                    recorded_at=created_at,
                    recorded_by_id=recorder.pk,
                    office_id=office.pk,
                    persons=len(member_ids),
                )
            ]
            appeal_level = 0
            for i, (name, source, target, on, details) in enumerate(steps, start=2):
                transition = workflow.transitions[name]
                if transition.lodges_appeal:
                    appeal_level += 1
                level = ""
                if transition.instance == "first":
                    level = "FI"
                elif transition.instance == "appeal" or transition.lodges_appeal:
                    codes = rules.appeal_level_codes()
                    level = codes[min(appeal_level, len(codes)) - 1] if appeal_level else "AR"
                case_events.append(
                    CaseEvent(
                        sequence=i,
                        transition=name,
                        from_state=source,
                        to_state=target,
                        occurred_on=on,
                        recorded_at=datetime.combine(on, day_time(10, 0), tzinfo=UTC),
                        recorded_by_id=recorder.pk,
                        approved_by_id=approver.pk if rules.needs_approval(kind, name) else None,
                        office_id=office.pk,
                        details=details,
                        legal_basis="Law on Refugees" if transition.decision else "",
                        decision=transition.decision.value if transition.decision else "",
                        decision_level=level,
                        persons=len(member_ids) if transition.decision or transition.lodges_appeal else 1,
                    )
                )
            batch.cases.append(case)
            batch.members.append(member_ids)
            batch.events.append(case_events)
            batch.interviews.append(interview)
            batch.pending.append(pending)
            cases += 1
            if len(batch.cases) >= BATCH // 2:
                events += _flush(batch, rules, recorder.pk, approver.pk)
                if progress:
                    progress(cases, events)
    events += _flush(batch, rules, recorder.pk, approver.pk)
    _references(state)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE cases_case, cases_caseevent, cases_casemember, cases_appointment, cases_approval"
            )
    return CasesLoadReport(cases=cases, events=events, seconds=time.perf_counter() - started)


def _references(state: str) -> None:
    """Give the demo cases the references the service gives: STATE-KIND-YEAR-000123 (from their ids)."""
    for kind, code in KIND_CODES.items():
        years = (
            Case.objects.filter(reference__startswith="demo-", kind=kind.value)
            .annotate(year=ExtractYear("began_on"))
            .values_list("year", flat=True)
            .distinct()
        )
        for year in years:
            Case.objects.filter(reference__startswith="demo-", kind=kind.value, began_on__year=year).update(
                reference=Concat(
                    Value(f"{state}-{code}-{year}-"),
                    LPad(Cast(F("id"), output_field=CharField()), 6, Value("0")),
                    output_field=CharField(),
                )
            )
