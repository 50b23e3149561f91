"""Reads of cases, referrals and appointments: each takes the acting user, scopes to their offices, audits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from karvon.accounts.access import AccessContext, has_capability, office_ids_in_scope
from karvon.accounts.models import Agency, Office
from karvon.accounts.roles import Capability
from karvon.audit.services import audit_record, audit_record_reads
from karvon.cases.models import (
    Appointment,
    AppointmentStatus,
    Approval,
    ApprovalStatus,
    Case,
    CaseEvent,
    CaseMember,
    Referral,
    ReferralStatus,
    SharedData,
)
from karvon.cases.rules import StateRules, state_rules
from karvon.cases.workflow import (
    COMPLEMENTARY_PROTECTION,
    HUMANITARIAN_PROTECTION,
    REFUGEE,
    STATELESS,
    WORKFLOWS,
    CaseFacts,
    CaseKind,
    Transition,
    next_steps,
)
from karvon.presence.contracts import PresenceCounts
from karvon.presence.selectors import presence_counts
from karvon.registry.models import Person, PersonName
from karvon.registry.selectors import person_scope

PAGE_SIZE = 50

# When a person has several open cases, the status they hold is the strongest one.
PROTECTION_PRIORITY = (
    REFUGEE,
    COMPLEMENTARY_PROTECTION,
    HUMANITARIAN_PROTECTION,
    STATELESS,
    "asylum_seeker",
    "statelessness_applicant",
    "trafficking_victim",
    "unaccompanied_child",
)


def node_rules() -> StateRules:
    return state_rules(settings.KARVON_NODE_STATE)


def office_today(office: Office, now: datetime) -> date:
    """The calendar day at the office: a step in Bishkek at 23:30 is not dated by Almaty's clock."""
    return now.astimezone(ZoneInfo(office.time_zone)).date()


def case_facts(case: Case) -> CaseFacts:
    return CaseFacts(
        kind=CaseKind(case.kind),
        state=case.state,
        began_on=case.began_on,
        last_event_on=case.last_event_on,
        appeal_level=case.appeal_level,
        awaiting_approval=case.awaiting_approval,
    )


def case_next_steps(case: Case) -> list[Transition]:
    if case.awaiting_approval:
        return []
    return next_steps(case_facts(case), appeal_levels=len(node_rules().appeal_levels))


def case_scope(ctx: AccessContext, capability: Capability = Capability.CASE_VIEW) -> QuerySet[Case]:
    """Cases of the offices where the user holds the capability."""
    offices = office_ids_in_scope(ctx, capability)
    if not offices:
        return Case.objects.none()
    return Case.objects.filter(office_id__in=offices)


def _audit_case_read(ctx: AccessContext, case: Case, purpose: str) -> None:
    audit_record(
        actor=ctx.user,
        action="case.view",
        object_type="case",
        object_id=str(case.uuid),
        person_uuid=case.person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        changes={"purpose": purpose, "reference": case.reference},
    )


def case_get(*, ctx: AccessContext, case_uuid: uuid.UUID) -> Case:
    """One case, read and audited; Case.DoesNotExist outside the user's scope."""
    case = case_scope(ctx).select_related("person", "office").get(uuid=case_uuid)
    _audit_case_read(ctx, case, "view")
    return case


def case_get_for_write(*, ctx: AccessContext, case_uuid: uuid.UUID, capability: Capability) -> Case:
    """The case to change, if the user may (the write's own audit event records the access)."""
    return case_scope(ctx, capability).select_related("person", "office").get(uuid=case_uuid)


@dataclass(frozen=True)
class PersonSummary:
    """What a case page shows of its person: everything for registry staff, only what a referral shares for partners."""

    uuid: uuid.UUID
    names: list[tuple[str, str, str]]  # (part, text, script)
    sex: str | None
    birth_date: date | None
    nationalities: list[str] | None
    languages: list[str] | None
    contact: str | None
    specific_needs: list[str] | None
    documents: list[str] | None
    household: list[str] | None
    full_file: bool
    shared: tuple[str, ...]

    @property
    def display_name(self) -> str:
        given = next((t for p, t, _ in self.names if p == "given"), "")
        family = next((t for p, t, _ in self.names if p == "family"), "")
        return f"{family} {given}".strip() or "—"


def _person_summary(person: Person, shared: Iterable[str] | None) -> PersonSummary:
    """The person's data, limited to the shared categories when `shared` is given."""
    full = shared is None
    allowed = set(SharedData.values) if shared is None else set(shared)
    names = list(PersonName.objects.filter(person=person).order_by("part", "-is_primary", "position"))
    identity = SharedData.IDENTITY in allowed
    return PersonSummary(
        uuid=person.uuid,
        names=[(n.part, n.text, n.script) for n in names] if identity else [],
        sex=person.sex if identity else None,
        birth_date=person.birth_date if identity else None,
        nationalities=[n.country for n in person.nationalities.all()]
        if SharedData.NATIONALITY in allowed
        else None,
        languages=[lang.language for lang in person.languages.all()]
        if SharedData.LANGUAGES in allowed
        else None,
        contact=" · ".join(v for v in (person.phone, person.email, person.address) if v)
        if SharedData.CONTACT in allowed
        else None,
        specific_needs=sorted({n.code for n in person.specific_needs.all()})
        if SharedData.SPECIFIC_NEEDS in allowed
        else None,
        documents=[f"{d.get_doc_type_display()} {d.issuing_state} {d.number}" for d in person.documents.all()]
        if SharedData.DOCUMENTS in allowed
        else None,
        household=_household_of(person) if SharedData.HOUSEHOLD in allowed else None,
        full_file=full,
        shared=tuple(sorted(allowed)),
    )


def _household_of(person: Person) -> list[str]:
    """The other current members of the person's household: name and relationship to the principal."""
    from karvon.registry.models import HouseholdMembership

    households = HouseholdMembership.objects.filter(person=person, ended_on__isnull=True).values(
        "household_id"
    )
    members = list(
        HouseholdMembership.objects.filter(household_id__in=households, ended_on__isnull=True)
        .exclude(person=person)
        .order_by("id")
    )
    names = _display_names(m.person_id for m in members)
    return [f"{names.get(m.person_id, '—')} ({m.get_relationship_display()})" for m in members]


@dataclass(frozen=True)
class CaseFile:
    case: Case
    person: PersonSummary
    members: list[CaseMember]
    events: list[CaseEvent]
    pending_approval: Approval | None
    appointments: list[Appointment]
    next_steps: list[Transition]
    referral: Referral | None
    today: date
    assignees: list[tuple[int, str]]


def case_assignees(ctx: AccessContext, case: Case) -> list[tuple[int, str]]:
    """Caseworkers who may work the case's office, offered to a supervisor of that office; empty for others."""
    from karvon.accounts.models import RoleAssignment, User
    from karvon.accounts.roles import roles_with

    if case.office_id not in office_ids_in_scope(ctx, Capability.CASE_APPROVE):
        return []
    today = ctx.today
    assignments = RoleAssignment.objects.filter(
        Q(office_id=case.office_id) | Q(office__isnull=True, agency_id=case.office.agency_id),
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        role__in=[r.value for r in roles_with(Capability.CASE_WORK)],
        valid_from__lte=today,
        user__is_active=True,
    )
    users = User.objects.filter(pk__in=assignments.values("user_id")).order_by("last_name", "username")
    return [(u.pk, u.get_full_name() or u.username) for u in users]


def case_file(*, ctx: AccessContext, case_uuid: uuid.UUID) -> CaseFile:
    """Everything the case page shows, in one scoped and audited read."""
    case = case_get(ctx=ctx, case_uuid=case_uuid)
    referral = Referral.objects.filter(case=case).select_related("from_office", "to_agency").first()
    in_registry = person_scope(ctx=ctx).filter(pk=case.person_id).exists()
    if in_registry:
        shared: list[str] | None = None
    elif referral is not None and referral.status == ReferralStatus.ACCEPTED:
        shared = list(referral.shared)
    else:
        # A partner whose referral was revoked keeps its case record but sees nothing more of the person.
        shared = []
    return CaseFile(
        case=case,
        person=_person_summary(case.person, shared),
        members=list(case.members.select_related("person").prefetch_related("person__names").order_by("id")),
        events=list(case.events.select_related("recorded_by", "approved_by", "office").order_by("sequence")),
        pending_approval=case.approvals.filter(status=ApprovalStatus.PENDING)
        .select_related("requested_by")
        .first(),
        appointments=list(case.appointments.select_related("office").order_by("starts_at")),
        next_steps=case_next_steps(case),
        referral=referral,
        today=office_today(case.office, ctx.now),
        assignees=case_assignees(ctx, case),
    )


def cases_for_person(*, ctx: AccessContext, person_uuid: uuid.UUID) -> list[Case]:
    """The cases of a person (as principal or member) that the user may see; audited as a list read."""
    cases = list(
        case_scope(ctx)
        .filter(Q(person__uuid=person_uuid) | Q(members__person__uuid=person_uuid))
        .distinct()
        .select_related("office", "person")
        .order_by("-began_on", "-id")
    )
    if cases:
        audit_record(
            actor=ctx.user,
            action="case.list",
            object_type="person",
            object_id=str(person_uuid),
            person_uuid=person_uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"cases": [c.reference for c in cases]},
        )
    return cases


def protection_statuses(*, person_ids: Iterable[int]) -> dict[int, str]:
    """Person id → the protection status their open cases give them now; people without one are absent."""
    ids = list(person_ids)
    found: dict[int, str] = {}
    rank = {status: i for i, status in enumerate(PROTECTION_PRIORITY)}
    for start in range(0, len(ids), 900):
        rows = CaseMember.objects.filter(
            person_id__in=ids[start : start + 900], case__closed_on__isnull=True
        ).values_list("person_id", "case__kind", "case__state")
        for person_id, kind, state in rows:
            status = WORKFLOWS[CaseKind(kind)].states[state].protection
            if not status:
                continue
            current = found.get(person_id)
            if current is None or rank.get(status, 99) < rank.get(current, 99):
                found[person_id] = status
    return found


def case_protection_now(case: Case) -> str:
    """The protection the case gives its persons in its current stage ("" when closed or none)."""
    return WORKFLOWS[CaseKind(case.kind)].states[case.state].protection


@dataclass(frozen=True)
class CaseRow:
    """A line of a work list: enough to act on, no more personal data than a name."""

    case: Case
    person_name: str
    next_steps: list[Transition]
    overdue: bool


def _rows(ctx: AccessContext, cases: list[Case], purpose: str) -> list[CaseRow]:
    names = _display_names({c.person_id for c in cases})
    audit_record_reads(
        actor=ctx.user,
        action="case.list",
        person_uuids=[c.person.uuid for c in cases],
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        details={"list": purpose},
    )
    return [
        CaseRow(
            case=c,
            person_name=names.get(c.person_id, "—"),
            next_steps=case_next_steps(c),
            overdue=c.due_on is not None and c.due_on < office_today(c.office, ctx.now),
        )
        for c in cases
    ]


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    page: int
    page_count: int
    total: int


def _page(ctx: AccessContext, cases: QuerySet[Case], page: int, purpose: str) -> CasePage:
    total = cases.count()
    page_count = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), page_count)
    chunk = list(cases.select_related("person", "office")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return CasePage(rows=_rows(ctx, chunk, purpose), page=page, page_count=page_count, total=total)


def my_cases(*, ctx: AccessContext, page: int = 1) -> CasePage:
    """The caseworker's open cases: assigned to them, or unassigned at their offices; soonest due first."""
    cases = (
        case_scope(ctx)
        .filter(closed_on__isnull=True)
        .filter(Q(assigned_to=ctx.user) | Q(assigned_to__isnull=True))
        .order_by("due_on", "id")
    )
    return _page(ctx, cases, page, "my_cases")


def overdue_cases(*, ctx: AccessContext, office_id: int | None = None, page: int = 1) -> CasePage:
    """Open cases whose next step is past due, oldest first; for one office or all in scope."""
    today = timezone.localtime(ctx.now).date()
    cases = case_scope(ctx).filter(closed_on__isnull=True, due_on__lt=today)
    if office_id is not None:
        cases = cases.filter(office_id=office_id)
    return _page(ctx, cases.order_by("due_on", "id"), page, "overdue")


@dataclass(frozen=True)
class StageCount:
    kind: str
    state: str
    label: str
    count: int
    overdue: int


@dataclass(frozen=True)
class SupervisorOverview:
    stages: list[StageCount]
    open_total: int
    overdue_total: int
    approvals: list[Approval]
    abandonment_candidates: int
    abandonment_days: int
    # Who is present now in the supervisor's offices, when they may see presence (counts only).
    presence: PresenceCounts | None


def supervisor_overview(*, ctx: AccessContext, office_id: int | None = None) -> SupervisorOverview:
    """Pending cases by stage, approvals waiting, overdue and silent cases: counts, no personal data."""
    today = timezone.localtime(ctx.now).date()
    cases = case_scope(ctx).filter(closed_on__isnull=True)
    if office_id is not None:
        cases = cases.filter(office_id=office_id)
    rules = node_rules()
    silent_since = today - timedelta(days=rules.abandonment_after_days)
    stages = []
    open_total = overdue_total = abandonment = 0
    # One pass over the open cases (an index-only scan of `case_open_stage`): stages, overdue, silent applications.
    for row in (
        cases.values("kind", "state")
        .annotate(
            count=Count("id"),
            overdue=Count("id", filter=Q(due_on__lt=today)),
            silent=Count(
                "id",
                filter=Q(
                    last_contact_on__lt=silent_since, kind__in=[CaseKind.ASYLUM, CaseKind.STATELESSNESS]
                ),
            ),
        )
        .order_by("kind", "state")
    ):
        workflow = WORKFLOWS[CaseKind(row["kind"])]
        stages.append(
            StageCount(
                kind=row["kind"],
                state=row["state"],
                label=str(workflow.states[row["state"]].label),
                count=row["count"],
                overdue=row["overdue"],
            )
        )
        open_total += row["count"]
        overdue_total += row["overdue"]
        abandonment += row["silent"]
    approvals_scope = office_ids_in_scope(ctx, Capability.CASE_APPROVE)
    approvals = list(
        Approval.objects.filter(status=ApprovalStatus.PENDING, case__office_id__in=approvals_scope)
        .select_related("case", "requested_by", "case__office")
        .order_by("requested_at")[:100]
    )
    return SupervisorOverview(
        stages=stages,
        open_total=open_total,
        overdue_total=overdue_total,
        approvals=approvals,
        abandonment_candidates=abandonment,
        abandonment_days=rules.abandonment_after_days,
        presence=presence_counts(ctx=ctx, office_id=office_id)
        if has_capability(ctx, Capability.PRESENCE_VIEW)
        else None,
    )


def approvals_waiting(*, ctx: AccessContext) -> list[Approval]:
    offices = office_ids_in_scope(ctx, Capability.CASE_APPROVE)
    return list(
        Approval.objects.filter(status=ApprovalStatus.PENDING, case__office_id__in=offices)
        .select_related("case", "requested_by", "case__office")
        .order_by("requested_at")
    )


@dataclass(frozen=True)
class CalendarEntry:
    appointment: Appointment
    local_start: datetime
    person_name: str


def appointments_calendar(
    *, ctx: AccessContext, office_id: int, first_day: date, days: int = 7
) -> list[CalendarEntry]:
    """Appointments of one office over some days, in the office's own time zone; audited as a list read."""
    if not 1 <= days <= 31:
        from karvon.registry.contracts import FieldError, UnableToValidate

        raise UnableToValidate([FieldError("days", "out_of_range", str(_("Between 1 and 31 days.")))])
    if office_id not in office_ids_in_scope(ctx, Capability.CASE_VIEW):
        raise Office.DoesNotExist
    office = Office.objects.get(pk=office_id)
    zone = ZoneInfo(office.time_zone)
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=zone)
    end = start + timedelta(days=days)
    appointments = list(
        Appointment.objects.filter(office_id=office_id, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("person", "case", "office")
        .order_by("starts_at")
    )
    names = {
        person_id: text
        for person_id, text in PersonName.objects.filter(
            person_id__in={a.person_id for a in appointments}, is_primary=True, part="family"
        ).values_list("person_id", "text")
    }
    audit_record_reads(
        actor=ctx.user,
        action="appointment.list",
        person_uuids=[a.person.uuid for a in appointments],
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        details={"office": office.code, "from": first_day.isoformat(), "days": days},
    )
    return [CalendarEntry(a, a.starts_at.astimezone(zone), names.get(a.person_id, "—")) for a in appointments]


def appointment_get(*, ctx: AccessContext, appointment_uuid: uuid.UUID) -> Appointment:
    offices = office_ids_in_scope(ctx, Capability.CASE_VIEW)
    appointment = Appointment.objects.select_related("person", "office", "case").get(
        uuid=appointment_uuid, office_id__in=offices
    )
    audit_record(
        actor=ctx.user,
        action="appointment.view",
        object_type="appointment",
        object_id=str(appointment.uuid),
        person_uuid=appointment.person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
    )
    return appointment


def receiving_agency_ids(ctx: AccessContext) -> set[int]:
    offices = office_ids_in_scope(ctx, Capability.REFERRAL_RECEIVE)
    return set(Office.objects.filter(pk__in=offices).values_list("agency_id", flat=True))


def referral_inbox(*, ctx: AccessContext, status: str = ReferralStatus.SENT) -> list[Referral]:
    """Referrals sent to the user's agencies; a partner sees the person only through `referred_person`."""
    agencies = receiving_agency_ids(ctx)
    return list(
        Referral.objects.filter(to_agency_id__in=agencies, status=status)
        .select_related("from_office", "to_agency", "case")
        .order_by("-sent_at")[:200]
    )


def referrals_sent(*, ctx: AccessContext) -> list[Referral]:
    offices = office_ids_in_scope(ctx, Capability.REFERRAL_DECIDE)
    return list(
        Referral.objects.filter(from_office_id__in=offices)
        .select_related("from_office", "to_agency", "case")
        .order_by("-sent_at")[:200]
    )


def referrals_for_person(*, ctx: AccessContext, person_uuid: uuid.UUID) -> list[Referral]:
    """Referrals of a person the user sees in the registry (the person page's audit covers the read)."""
    if not person_scope(ctx=ctx).filter(uuid=person_uuid).exists():
        return []
    return list(
        Referral.objects.filter(person__uuid=person_uuid)
        .select_related("from_office", "to_agency", "case")
        .order_by("-sent_at")
    )


@dataclass(frozen=True)
class ReferredPerson:
    referral: Referral
    person: PersonSummary
    # Where the user could open the case on accepting (their offices in the receiving agency).
    receiving_offices: list[Office]


def referral_get(*, ctx: AccessContext, referral_uuid: uuid.UUID) -> Referral:
    """A referral the user sent (their offices) or received (their agencies); DoesNotExist otherwise."""
    sent_from = office_ids_in_scope(ctx, Capability.REFERRAL_DECIDE)
    agencies = receiving_agency_ids(ctx)
    return Referral.objects.select_related("person", "from_office", "to_agency", "case").get(
        Q(from_office_id__in=sent_from) | Q(to_agency_id__in=agencies), uuid=referral_uuid
    )


def referred_person(*, ctx: AccessContext, referral_uuid: uuid.UUID) -> ReferredPerson:
    """The referred person as the receiving partner may see them: only the categories the referral shares."""
    referral = referral_get(ctx=ctx, referral_uuid=referral_uuid)
    receiving = referral.to_agency_id in receiving_agency_ids(ctx)
    in_registry = person_scope(ctx=ctx).filter(pk=referral.person_id).exists()
    # A revoked or declined referral shows the partner nothing more of the person.
    if receiving and not in_registry and referral.status in (ReferralStatus.REVOKED, ReferralStatus.DECLINED):
        shared: list[str] | None = []
    else:
        shared = None if in_registry else list(referral.shared)
    audit_record(
        actor=ctx.user,
        action="person.view",
        object_type="referral",
        object_id=str(referral.uuid),
        person_uuid=referral.person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        changes={"purpose": "referral", "shared": shared if shared is not None else "full file"},
    )
    offices = [
        o
        for o in Office.objects.filter(pk__in=office_ids_in_scope(ctx, Capability.REFERRAL_RECEIVE)).order_by(
            "name"
        )
        if o.agency_id == referral.to_agency_id
    ]
    return ReferredPerson(
        referral=referral, person=_person_summary(referral.person, shared), receiving_offices=offices
    )


def partner_agencies(*, exclude_agency_ids: Iterable[int] = ()) -> list[Agency]:
    return list(Agency.objects.exclude(pk__in=list(exclude_agency_ids)).order_by("name"))


@dataclass(frozen=True)
class PersonProcedures:
    """The procedures panel of a person's page."""

    person_uuid: uuid.UUID
    cases: list[Case]
    referrals: list[Referral]


def person_procedures(*, ctx: AccessContext, person_uuid: uuid.UUID) -> PersonProcedures:
    return PersonProcedures(
        person_uuid=person_uuid,
        cases=cases_for_person(ctx=ctx, person_uuid=person_uuid),
        referrals=referrals_for_person(ctx=ctx, person_uuid=person_uuid),
    )


@dataclass(frozen=True)
class OpenCaseForm:
    """What the "open a case" form offers: the person, their household members, the user's offices."""

    person: Person
    members: list[tuple[uuid.UUID, str]]
    offices: list[Office]


def _display_names(person_ids: Iterable[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for person_id, part, text in (
        PersonName.objects.filter(
            person_id__in=list(person_ids), is_primary=True, part__in=["given", "family"]
        )
        .order_by("part")
        .values_list("person_id", "part", "text")
    ):
        names[person_id] = f"{names.get(person_id, '')} {text}".strip() if part == "given" else text
    return names


def case_open_form(*, ctx: AccessContext, person_uuid: uuid.UUID) -> OpenCaseForm:
    from karvon.registry.models import HouseholdMembership
    from karvon.registry.selectors import person_get_for_write

    person = person_get_for_write(ctx=ctx, person_uuid=person_uuid, capability=Capability.CASE_OPEN)
    visible = person_scope(ctx=ctx).values("pk")
    household_ids = HouseholdMembership.objects.filter(person=person, ended_on__isnull=True).values(
        "household_id"
    )
    member_ids = list(
        HouseholdMembership.objects.filter(
            household_id__in=household_ids, ended_on__isnull=True, person__in=visible
        )
        .exclude(person=person)
        .values_list("person_id", flat=True)
    )
    names = _display_names([person.pk, *member_ids])
    uuids = dict(Person.objects.filter(pk__in=member_ids).values_list("pk", "uuid"))
    audit_record_reads(
        actor=ctx.user,
        action="person.list",
        person_uuids=[person.uuid, *uuids.values()],
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        details={"purpose": "open_case"},
    )
    return OpenCaseForm(
        person=person,
        members=[(uuids[i], names.get(i, "—")) for i in member_ids],
        offices=list(
            Office.objects.filter(pk__in=office_ids_in_scope(ctx, Capability.CASE_OPEN)).order_by("name")
        ),
    )


@dataclass(frozen=True)
class ReferralForm:
    person_name: str
    offices: list[Office]
    agencies: list[Agency]


def referral_form(*, ctx: AccessContext, person_uuid: uuid.UUID) -> ReferralForm:
    from karvon.registry.selectors import person_get_for_write

    person = person_get_for_write(ctx=ctx, person_uuid=person_uuid, capability=Capability.REFERRAL_DECIDE)
    offices = list(
        Office.objects.filter(pk__in=office_ids_in_scope(ctx, Capability.REFERRAL_DECIDE)).order_by("name")
    )
    return ReferralForm(
        person_name=_display_names([person.pk]).get(person.pk, "—"),
        offices=offices,
        agencies=partner_agencies(exclude_agency_ids={o.agency_id for o in offices}),
    )


@dataclass(frozen=True)
class ReferralBoxes:
    inbox: list[Referral]
    sent: list[Referral]
    receiving_offices: list[Office]


def referral_boxes(*, ctx: AccessContext) -> ReferralBoxes:
    return ReferralBoxes(
        inbox=referral_inbox(ctx=ctx),
        sent=referrals_sent(ctx=ctx),
        receiving_offices=list(
            Office.objects.filter(pk__in=office_ids_in_scope(ctx, Capability.REFERRAL_RECEIVE)).order_by(
                "name"
            )
        ),
    )


def calendar_offices(*, ctx: AccessContext) -> list[Office]:
    return list(Office.objects.filter(pk__in=office_ids_in_scope(ctx, Capability.CASE_VIEW)).order_by("name"))


@dataclass(frozen=True)
class WorkList:
    """A page of the caseworker's or the overdue list, and the offices it can be narrowed to."""

    page: CasePage
    offices: list[Office]


def case_work_list(*, ctx: AccessContext, overdue: bool, office_id: int | None, page: int) -> WorkList:
    cases = (
        overdue_cases(ctx=ctx, office_id=office_id, page=page) if overdue else my_cases(ctx=ctx, page=page)
    )
    return WorkList(page=cases, offices=calendar_offices(ctx=ctx))


@dataclass(frozen=True)
class CalendarWeek:
    office_id: int
    offices: list[Office]
    entries: list[CalendarEntry]


def calendar_week(
    *, ctx: AccessContext, office_id: int | None, first_day: date, days: int = 7
) -> CalendarWeek:
    """An office's appointments (the user's first office when none is asked for) and the offices to choose from."""
    offices = calendar_offices(ctx=ctx)
    if not offices:
        raise Office.DoesNotExist
    chosen = office_id if office_id in {o.pk for o in offices} else offices[0].pk
    return CalendarWeek(
        office_id=chosen,
        offices=offices,
        entries=appointments_calendar(ctx=ctx, office_id=chosen, first_day=first_day, days=days),
    )
