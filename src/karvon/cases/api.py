"""Procedures endpoints: cases and their steps, approvals, appointments and referrals; one domain call each."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from karvon.api import api, api_context
from karvon.cases import selectors, services
from karvon.cases.contracts import CaseOpenInput, ReferralInput, StepInput, UnableToTransitionStale
from karvon.cases.models import Appointment, Approval, Case, CaseEvent, Referral
from karvon.cases.selectors import CaseFile, CasePage, PersonSummary
from karvon.cases.workflow import WORKFLOWS, CaseKind, Transition

router = Router(tags=["procedures"])

KindLiteral = Literal["asylum", "statelessness", "trafficking", "child_protection", "return"]


@api.exception_handler(UnableToTransitionStale)
def on_stale_case(request: HttpRequest, exc: UnableToTransitionStale) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _(
                "Someone else moved this case after you opened it (now: %(state)s). Nothing was saved; "
                "reload and decide again."
            )
            % {"state": exc.current_state},
            "current_state": exc.current_state,
            "current_version": exc.current_version,
            "moved_by": exc.moved_by,
            "moved_at": exc.moved_at.isoformat() if exc.moved_at else None,
        },
        status=409,
    )


class StepOut(Schema):
    name: str
    label: str
    requires: list[str]
    decision: str | None


def _steps(steps: list[Transition]) -> list[StepOut]:
    return [
        StepOut(
            name=t.name,
            label=str(t.label),
            requires=sorted(d.value for d in t.requires),
            decision=t.decision.value if t.decision else None,
        )
        for t in steps
    ]


class CaseOut(Schema):
    uuid: UUID
    reference: str
    kind: str
    state: str
    state_label: str
    person_uuid: UUID
    office: str
    began_on: date
    state_entered_on: date
    due_on: date | None
    closed_on: date | None
    appeal_level: int
    procedure_type: str
    application_type: str
    awaiting_approval: str
    assigned_to: str | None
    version: int


def case_out(case: Case) -> CaseOut:
    return CaseOut(
        uuid=case.uuid,
        reference=case.reference,
        kind=case.kind,
        state=case.state,
        state_label=str(WORKFLOWS[CaseKind(case.kind)].states[case.state].label),
        person_uuid=case.person.uuid,
        office=case.office.code,
        began_on=case.began_on,
        state_entered_on=case.state_entered_on,
        due_on=case.due_on,
        closed_on=case.closed_on,
        appeal_level=case.appeal_level,
        procedure_type=case.procedure_type,
        application_type=case.application_type,
        awaiting_approval=case.awaiting_approval,
        assigned_to=case.assigned_to.get_username() if case.assigned_to else None,
        version=case.version,
    )


class EventOut(Schema):
    sequence: int
    transition: str
    from_state: str
    to_state: str
    occurred_on: date
    recorded_at: datetime
    recorded_by: str
    approved_by: str | None
    reason: str
    legal_basis: str
    details: dict[str, Any]
    decision: str
    decision_level: str
    persons: int


def event_out(event: CaseEvent) -> EventOut:
    return EventOut(
        sequence=event.sequence,
        transition=event.transition,
        from_state=event.from_state,
        to_state=event.to_state,
        occurred_on=event.occurred_on,
        recorded_at=event.recorded_at,
        recorded_by=event.recorded_by.get_username(),
        approved_by=event.approved_by.get_username() if event.approved_by else None,
        reason=event.reason,
        legal_basis=event.legal_basis,
        details=event.details,
        decision=event.decision,
        decision_level=event.decision_level,
        persons=event.persons,
    )


class ApprovalOut(Schema):
    id: int
    case_uuid: UUID
    case_reference: str
    transition: str
    occurred_on: date
    reason: str
    legal_basis: str
    requested_by: str
    requested_at: datetime
    status: str
    decided_by: str | None
    decision_note: str


def approval_out(approval: Approval) -> ApprovalOut:
    return ApprovalOut(
        id=approval.pk,
        case_uuid=approval.case.uuid,
        case_reference=approval.case.reference,
        transition=approval.transition,
        occurred_on=approval.occurred_on,
        reason=approval.reason,
        legal_basis=approval.legal_basis,
        requested_by=approval.requested_by.get_username(),
        requested_at=approval.requested_at,
        status=approval.status,
        decided_by=approval.decided_by.get_username() if approval.decided_by else None,
        decision_note=approval.decision_note,
    )


class AppointmentOut(Schema):
    uuid: UUID
    kind: str
    starts_at: datetime
    local_time: str
    office: str
    status: str
    case_reference: str | None


def appointment_out(appointment: Appointment) -> AppointmentOut:
    from zoneinfo import ZoneInfo

    local = appointment.starts_at.astimezone(ZoneInfo(appointment.office.time_zone))
    return AppointmentOut(
        uuid=appointment.uuid,
        kind=appointment.kind,
        starts_at=appointment.starts_at,
        local_time=f"{local:%Y-%m-%d %H:%M} {appointment.office.time_zone}",
        office=appointment.office.code,
        status=appointment.status,
        case_reference=appointment.case.reference if appointment.case else None,
    )


class PersonSummaryOut(Schema):
    uuid: UUID
    names: list[dict[str, str]]
    sex: str | None
    birth_date: date | None
    nationalities: list[str] | None
    languages: list[str] | None
    contact: str | None
    specific_needs: list[str] | None
    documents: list[str] | None
    household: list[str] | None
    full_file: bool
    shared: list[str]


def person_out(person: PersonSummary) -> PersonSummaryOut:
    return PersonSummaryOut(
        uuid=person.uuid,
        names=[{"part": p, "text": t, "script": s} for p, t, s in person.names],
        sex=person.sex,
        birth_date=person.birth_date,
        nationalities=person.nationalities,
        languages=person.languages,
        contact=person.contact,
        specific_needs=person.specific_needs,
        documents=person.documents,
        household=person.household,
        full_file=person.full_file,
        shared=list(person.shared),
    )


class CaseFileOut(Schema):
    case: CaseOut
    person: PersonSummaryOut
    members: list[dict[str, str]]
    events: list[EventOut]
    next_steps: list[StepOut]
    pending_approval: ApprovalOut | None
    appointments: list[AppointmentOut]


def case_file_out(file: CaseFile) -> CaseFileOut:
    return CaseFileOut(
        case=case_out(file.case),
        person=person_out(file.person),
        members=[{"person_uuid": str(m.person.uuid), "role": m.role} for m in file.members],
        events=[event_out(e) for e in file.events],
        next_steps=_steps(file.next_steps),
        pending_approval=approval_out(file.pending_approval) if file.pending_approval else None,
        appointments=[appointment_out(a) for a in file.appointments],
    )


class CaseOpenIn(Schema):
    kind: KindLiteral
    person_uuid: UUID
    office_id: int
    began_on: date
    member_uuids: list[UUID] = Field(default_factory=list, max_length=30)
    procedure_type: Literal["G", "J", "U"] = "G"
    application_type: Literal["N", "R"] = "N"
    reason: str = Field("", max_length=2000)
    legal_basis: str = Field("", max_length=300)


@router.post("/cases", response={201: CaseOut}, summary="Open a case (procedure) for a registered person")
def case_open(request: HttpRequest, payload: CaseOpenIn) -> Status[CaseOut]:
    case = services.case_open(
        ctx=api_context(request),
        data=CaseOpenInput(
            kind=payload.kind,
            person_uuid=payload.person_uuid,
            office_id=payload.office_id,
            began_on=payload.began_on,
            member_uuids=tuple(payload.member_uuids),
            procedure_type=payload.procedure_type,
            application_type=payload.application_type,
            reason=payload.reason,
            legal_basis=payload.legal_basis,
        ),
    )
    return Status(201, case_out(case))


@router.get("/cases/{case_uuid}", response=CaseFileOut, summary="A case with its event log and next steps")
def case_detail(request: HttpRequest, case_uuid: UUID) -> CaseFileOut:
    return case_file_out(selectors.case_file(ctx=api_context(request), case_uuid=case_uuid))


class StepIn(Schema):
    transition: str = Field(max_length=60)
    occurred_on: date
    expected_version: int = Field(description="The case's version when you loaded it; 409 if it moved since")
    reason: str = Field("", max_length=4000)
    legal_basis: str = Field("", max_length=300)
    details: dict[str, Any] = Field(default_factory=dict)


class StepResultOut(Schema):
    case: CaseOut
    event: EventOut | None
    approval: ApprovalOut | None


@router.post(
    "/cases/{case_uuid}/transitions",
    response={201: StepResultOut, 202: StepResultOut},
    summary="Take a step; 202 when it waits for a supervisor's approval",
)
def case_transition(request: HttpRequest, case_uuid: UUID, payload: StepIn) -> Status[StepResultOut]:
    outcome = services.case_transition(
        ctx=api_context(request),
        case_uuid=case_uuid,
        step=StepInput(
            transition=payload.transition,
            occurred_on=payload.occurred_on,
            expected_version=payload.expected_version,
            reason=payload.reason,
            legal_basis=payload.legal_basis,
            details=payload.details,
        ),
    )
    result = StepResultOut(
        case=case_out(outcome.case),
        event=event_out(outcome.event) if outcome.event else None,
        approval=approval_out(outcome.approval) if outcome.approval else None,
    )
    return Status(202 if outcome.approval else 201, result)


class CaseRowOut(Schema):
    case: CaseOut
    person_name: str
    overdue: bool
    next_steps: list[StepOut]


class CasePageOut(Schema):
    rows: list[CaseRowOut]
    page: int
    page_count: int
    total: int


def page_out(page: CasePage) -> CasePageOut:
    return CasePageOut(
        rows=[
            CaseRowOut(
                case=case_out(r.case),
                person_name=r.person_name,
                overdue=r.overdue,
                next_steps=_steps(r.next_steps),
            )
            for r in page.rows
        ],
        page=page.page,
        page_count=page.page_count,
        total=page.total,
    )


@router.get("/cases", response=CasePageOut, summary="My open cases, soonest due first; or the overdue list")
def case_list(
    request: HttpRequest, overdue: bool = False, office_id: int | None = None, page: int = 1
) -> CasePageOut:
    ctx = api_context(request)
    if overdue:
        return page_out(selectors.overdue_cases(ctx=ctx, office_id=office_id, page=page))
    return page_out(selectors.my_cases(ctx=ctx, page=page))


class StageOut(Schema):
    kind: str
    state: str
    label: str
    count: int
    overdue: int


class OverviewOut(Schema):
    stages: list[StageOut]
    open_total: int
    overdue_total: int
    approvals_waiting: int
    abandonment_candidates: int


@router.get(
    "/cases-overview", response=OverviewOut, summary="Pending cases by stage, overdue, approvals (counts)"
)
def case_overview(request: HttpRequest, office_id: int | None = None) -> OverviewOut:
    overview = selectors.supervisor_overview(ctx=api_context(request), office_id=office_id)
    return OverviewOut(
        stages=[StageOut(**s.__dict__) for s in overview.stages],
        open_total=overview.open_total,
        overdue_total=overview.overdue_total,
        approvals_waiting=len(overview.approvals),
        abandonment_candidates=overview.abandonment_candidates,
    )


@router.get("/approvals", response=list[ApprovalOut], summary="Steps waiting for your approval")
def approval_list(request: HttpRequest) -> list[ApprovalOut]:
    return [approval_out(a) for a in selectors.approvals_waiting(ctx=api_context(request))]


class ApprovalDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=2000)


@router.post(
    "/approvals/{approval_id}/decision", response=StepResultOut, summary="Approve or refuse a waiting step"
)
def approval_decide(request: HttpRequest, approval_id: int, payload: ApprovalDecisionIn) -> StepResultOut:
    outcome = services.approval_decide(
        ctx=api_context(request), approval_id=approval_id, approve=payload.approve, note=payload.note
    )
    return StepResultOut(
        case=case_out(outcome.case),
        event=event_out(outcome.event) if outcome.event else None,
        approval=approval_out(outcome.approval) if outcome.approval else None,
    )


class AssignIn(Schema):
    user_id: int | None


@router.post("/cases/{case_uuid}/assignment", response=CaseOut, summary="Give the case to a caseworker")
def case_assign(request: HttpRequest, case_uuid: UUID, payload: AssignIn) -> CaseOut:
    return case_out(
        services.case_assign(ctx=api_context(request), case_uuid=case_uuid, user_id=payload.user_id)
    )


class CalendarEntryOut(Schema):
    appointment: AppointmentOut
    person_name: str


@router.get(
    "/appointments", response=list[CalendarEntryOut], summary="An office's appointments, in its time zone"
)
def appointment_calendar(
    request: HttpRequest, office_id: int, first_day: date, days: int = 7
) -> list[CalendarEntryOut]:
    entries = selectors.appointments_calendar(
        ctx=api_context(request), office_id=office_id, first_day=first_day, days=days
    )
    return [
        CalendarEntryOut(appointment=appointment_out(e.appointment), person_name=e.person_name)
        for e in entries
    ]


class AppointmentStatusIn(Schema):
    status: Literal["held", "missed", "cancelled"]


@router.post(
    "/appointments/{appointment_uuid}/status",
    response=AppointmentOut,
    summary="Mark held, missed or cancelled",
)
def appointment_status(
    request: HttpRequest, appointment_uuid: UUID, payload: AppointmentStatusIn
) -> AppointmentOut:
    return appointment_out(
        services.appointment_status_set(
            ctx=api_context(request), appointment_uuid=appointment_uuid, status=payload.status
        )
    )


@router.get("/persons/{person_uuid}/cases", response=list[CaseOut], summary="A person's cases you may see")
def person_cases(request: HttpRequest, person_uuid: UUID) -> list[CaseOut]:
    return [
        case_out(c) for c in selectors.cases_for_person(ctx=api_context(request), person_uuid=person_uuid)
    ]


class ReferralIn(Schema):
    person_uuid: UUID
    procedure: KindLiteral
    from_office_id: int
    to_agency_id: int
    reason: str = Field(max_length=2000)
    shared: list[
        Literal["identity", "nationality", "languages", "contact", "specific_needs", "documents", "household"]
    ] = Field(min_length=1, max_length=7)
    suggestion_id: int | None = None


class ReferralOut(Schema):
    uuid: UUID
    procedure: str
    from_office: str
    to_agency: str
    reason: str
    shared: list[str]
    status: str
    sent_at: datetime
    decided_at: datetime | None
    decision_note: str
    case_uuid: UUID | None


def referral_out(referral: Referral) -> ReferralOut:
    return ReferralOut(
        uuid=referral.uuid,
        procedure=referral.procedure,
        from_office=referral.from_office.code,
        to_agency=referral.to_agency.code,
        reason=referral.reason,
        shared=list(referral.shared),
        status=referral.status,
        sent_at=referral.sent_at,
        decided_at=referral.decided_at,
        decision_note=referral.decision_note,
        case_uuid=referral.case.uuid if referral.case else None,
    )


@router.post("/referrals", response={201: ReferralOut}, summary="Refer a person to a partner agency")
def referral_send(request: HttpRequest, payload: ReferralIn) -> Status[ReferralOut]:
    referral = services.referral_send(
        ctx=api_context(request),
        data=ReferralInput(
            person_uuid=payload.person_uuid,
            procedure=payload.procedure,
            from_office_id=payload.from_office_id,
            to_agency_id=payload.to_agency_id,
            reason=payload.reason,
            shared=tuple(payload.shared),
            suggestion_id=payload.suggestion_id,
        ),
    )
    return Status(201, referral_out(referral))


@router.get(
    "/referrals",
    response=list[ReferralOut],
    summary="Referrals to your agency (inbox) or sent by your offices",
)
def referral_list(
    request: HttpRequest, box: Literal["inbox", "sent"] = "inbox", status: str = "sent"
) -> list[ReferralOut]:
    ctx = api_context(request)
    referrals = (
        selectors.referral_inbox(ctx=ctx, status=status)
        if box == "inbox"
        else selectors.referrals_sent(ctx=ctx)
    )
    return [referral_out(r) for r in referrals]


class ReferredPersonOut(Schema):
    referral: ReferralOut
    person: PersonSummaryOut


@router.get(
    "/referrals/{referral_uuid}", response=ReferredPersonOut, summary="A referral and only the data it shares"
)
def referral_detail(request: HttpRequest, referral_uuid: UUID) -> ReferredPersonOut:
    seen = selectors.referred_person(ctx=api_context(request), referral_uuid=referral_uuid)
    return ReferredPersonOut(referral=referral_out(seen.referral), person=person_out(seen.person))


class ReferralAcceptIn(Schema):
    office_id: int
    note: str = Field("", max_length=2000)


class NoteIn(Schema):
    note: str = Field(max_length=2000)


@router.post(
    "/referrals/{referral_uuid}/accept", response=ReferralOut, summary="Accept: opens the case at your office"
)
def referral_accept(request: HttpRequest, referral_uuid: UUID, payload: ReferralAcceptIn) -> ReferralOut:
    return referral_out(
        services.referral_accept(
            ctx=api_context(request),
            referral_uuid=referral_uuid,
            office_id=payload.office_id,
            note=payload.note,
        )
    )


@router.post("/referrals/{referral_uuid}/decline", response=ReferralOut, summary="Decline, saying why")
def referral_decline(request: HttpRequest, referral_uuid: UUID, payload: NoteIn) -> ReferralOut:
    return referral_out(
        services.referral_decline(ctx=api_context(request), referral_uuid=referral_uuid, note=payload.note)
    )


@router.post("/referrals/{referral_uuid}/revoke", response=ReferralOut, summary="Revoke a referral you sent")
def referral_revoke(request: HttpRequest, referral_uuid: UUID, payload: NoteIn) -> ReferralOut:
    return referral_out(
        services.referral_revoke(ctx=api_context(request), referral_uuid=referral_uuid, note=payload.note)
    )
