"""Writes of cases, approvals, appointments and referrals: validation, one transaction, audit, follow-ups."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from karvon.accounts.access import AccessContext, office_ids_in_scope, require_capability
from karvon.accounts.models import Agency, Office
from karvon.accounts.roles import Capability
from karvon.audit.services import audit_record
from karvon.cases.contracts import (
    CaseOpenInput,
    ReferralInput,
    StepInput,
    StepOutcome,
    UnableToTransitionStale,
)
from karvon.cases.models import (
    ApplicationType,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Approval,
    ApprovalStatus,
    Case,
    CaseEvent,
    CaseMember,
    MemberRole,
    ProcedureType,
    Referral,
    ReferralStatus,
    SharedData,
)
from karvon.cases.selectors import (
    case_assignees,
    case_facts,
    case_get_for_write,
    node_rules,
    office_today,
    receiving_agency_ids,
)
from karvon.cases.workflow import (
    WORKFLOWS,
    CaseKind,
    Detail,
    StepRequest,
    Transition,
    decision_level,
    transition_check,
)
from karvon.presence.services import person_presence_refresh
from karvon.registry.contracts import FieldError, UnableToValidate
from karvon.registry.models import Person
from karvon.registry.profiling import age_on
from karvon.registry.selectors import person_get_for_write

KIND_CODES = {
    CaseKind.ASYLUM: "ASY",
    CaseKind.STATELESSNESS: "STL",
    CaseKind.TRAFFICKING: "VOT",
    CaseKind.CHILD_PROTECTION: "UASC",
    CaseKind.RETURN: "AVR",
}

# What a partner needs to see for each procedure, proposed when a referral is written (the officer may change it).
DEFAULT_SHARED: dict[CaseKind, tuple[str, ...]] = {
    CaseKind.ASYLUM: (
        SharedData.IDENTITY,
        SharedData.NATIONALITY,
        SharedData.LANGUAGES,
        SharedData.CONTACT,
        SharedData.SPECIFIC_NEEDS,
        SharedData.DOCUMENTS,
        SharedData.HOUSEHOLD,
    ),
    CaseKind.STATELESSNESS: (
        SharedData.IDENTITY,
        SharedData.NATIONALITY,
        SharedData.LANGUAGES,
        SharedData.CONTACT,
        SharedData.DOCUMENTS,
    ),
    CaseKind.TRAFFICKING: (
        SharedData.IDENTITY,
        SharedData.LANGUAGES,
        SharedData.CONTACT,
        SharedData.SPECIFIC_NEEDS,
    ),
    CaseKind.CHILD_PROTECTION: (
        SharedData.IDENTITY,
        SharedData.NATIONALITY,
        SharedData.LANGUAGES,
        SharedData.CONTACT,
        SharedData.SPECIFIC_NEEDS,
    ),
    CaseKind.RETURN: (SharedData.IDENTITY, SharedData.NATIONALITY, SharedData.DOCUMENTS, SharedData.CONTACT),
}

CHILD_AGE = 18


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise UnableToValidate(errors)


def _reference(case: Case, state: str) -> str:
    return f"{state}-{KIND_CODES[CaseKind(case.kind)]}-{case.began_on.year}-{case.pk:06d}"


def _presence_follow_up(person_ids: Iterable[int], today: date) -> None:
    """A case that changes a person's protection changes their presence status too (same transaction)."""
    person_ids = list(person_ids)
    if person_ids:
        person_presence_refresh(person_ids=person_ids, today=today)


def _open_case(
    *,
    ctx: AccessContext,
    kind: CaseKind,
    person: Person,
    members: list[Person],
    office: Office,
    began_on: date,
    procedure_type: str,
    application_type: str,
    reason: str,
    legal_basis: str,
) -> Case:
    """Create the case, its members and its first event (inside the caller's transaction)."""
    rules = node_rules()
    workflow = WORKFLOWS[kind]
    case = Case.objects.create(
        reference=f"new-{uuid.uuid4()}",
        kind=kind.value,
        person=person,
        office=office,
        state=workflow.initial,
        began_on=began_on,
        state_entered_on=began_on,
        last_event_on=began_on,
        last_contact_on=began_on,
        due_on=rules.due_date(kind, workflow.initial, entered_on=began_on, began_on=began_on),
        procedure_type=procedure_type,
        application_type=application_type,
        created_at=ctx.now,
        created_by=ctx.user,
    )
    case.reference = _reference(case, rules.state)
    case.save(update_fields=["reference"])
    CaseMember.objects.bulk_create(
        [CaseMember(case=case, person=person, role=MemberRole.PRINCIPAL)]
        + [CaseMember(case=case, person=m, role=MemberRole.DEPENDANT) for m in members]
    )
    CaseEvent.objects.create(
        case=case,
        sequence=1,
        transition="open",
        from_state="",
        to_state=workflow.initial,
        occurred_on=began_on,
        recorded_at=ctx.now,
        recorded_by=ctx.user,
        office=office,
        reason=reason,
        legal_basis=legal_basis,
        persons=1 + len(members),
    )
    audit_record(
        actor=ctx.user,
        action="case.open",
        object_type="case",
        object_id=str(case.uuid),
        person_uuid=person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        changes={
            "reference": case.reference,
            "kind": kind.value,
            "office": office.code,
            "began_on": began_on.isoformat(),
            "members": [str(m.uuid) for m in members],
        },
    )
    return case


def case_open(*, ctx: AccessContext, data: CaseOpenInput) -> Case:
    """Open a procedure for a person registered in the user's scope, with household members as dependants."""
    require_capability(ctx, Capability.CASE_OPEN)
    errors: list[FieldError] = []
    try:
        kind = CaseKind(data.kind)
    except ValueError:
        raise UnableToValidate([FieldError("kind", "invalid_choice", _("Choose a procedure."))]) from None
    if data.office_id not in office_ids_in_scope(ctx, Capability.CASE_OPEN):
        errors.append(FieldError("office_id", "not_in_scope", _("Choose one of your offices.")))
    if data.procedure_type not in ProcedureType.values:
        errors.append(FieldError("procedure_type", "invalid_choice", _("Choose a procedure type.")))
    if data.application_type not in ApplicationType.values:
        errors.append(FieldError("application_type", "invalid_choice", _("Choose an application type.")))
    _raise_if(errors)
    office = Office.objects.get(pk=data.office_id)
    person = person_get_for_write(ctx=ctx, person_uuid=data.person_uuid, capability=Capability.CASE_OPEN)
    members: list[Person] = []
    for index, member_uuid in enumerate(data.member_uuids):
        if member_uuid == data.person_uuid:
            continue
        try:
            members.append(
                person_get_for_write(ctx=ctx, person_uuid=member_uuid, capability=Capability.CASE_OPEN)
            )
        except Person.DoesNotExist:
            errors.append(
                FieldError(f"member_uuids.{index}", "not_found", _("No such person in your offices."))
            )
    today = office_today(office, ctx.now)
    if data.began_on > today:
        errors.append(FieldError("began_on", "future", _("A case cannot begin in the future.")))
    elif person.birth_date and data.began_on < person.birth_date:
        errors.append(
            FieldError("began_on", "before_birth", _("A case cannot begin before the person was born."))
        )
    elif data.began_on < today and not data.reason.strip():
        errors.append(
            FieldError("reason", "backdated_without_reason", _("Say why the case is dated in the past."))
        )
    if kind == CaseKind.CHILD_PROTECTION:
        age = age_on(person.birth_date, data.began_on)
        if age is not None and age >= CHILD_AGE:
            errors.append(
                FieldError("person_uuid", "not_a_child", _("Child protection is for children under 18."))
            )
    _raise_if(errors)
    with transaction.atomic():
        # Lock the person so that two officers cannot open the same procedure twice at once.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        already = (
            CaseMember.objects.filter(
                person_id__in=[person.pk, *(m.pk for m in members)],
                case__kind=kind.value,
                case__closed_on__isnull=True,
            )
            .select_related("case")
            .first()
        )
        if already is not None:
            raise UnableToValidate(
                [
                    FieldError(
                        "person_uuid",
                        "case_already_open",
                        _("There is already an open case of this procedure for this person: %(reference)s.")
                        % {"reference": already.case.reference},
                    )
                ]
            )
        case = _open_case(
            ctx=ctx,
            kind=kind,
            person=person,
            members=members,
            office=office,
            began_on=data.began_on,
            procedure_type=data.procedure_type,
            application_type=data.application_type,
            reason=data.reason.strip(),
            legal_basis=data.legal_basis.strip(),
        )
        _presence_follow_up([person.pk, *(m.pk for m in members)], today)
    return case


def _reloaded(case: Case) -> Case:
    """The case as saved, with what its API answer and page show loaded in the same query."""
    return Case.objects.select_related("person", "office", "assigned_to").get(pk=case.pk)


def _stale(case: Case) -> UnableToTransitionStale:
    current = Case.objects.get(pk=case.pk)
    last = current.events.select_related("recorded_by").order_by("-sequence").first()
    return UnableToTransitionStale(
        case_reference=current.reference,
        current_state=current.state,
        current_version=current.version,
        moved_by=last.recorded_by.get_username() if last else "",
        moved_at=last.recorded_at if last else None,
    )


def _interview_at(value: object, office: Office, now: datetime) -> tuple[datetime | None, list[FieldError]]:
    """The interview time, typed in the office's local time (YYYY-MM-DDTHH:MM)."""
    field = f"details.{Detail.INTERVIEW_AT.value}"
    try:
        local = datetime.fromisoformat(str(value))
    except ValueError:
        return None, [FieldError(field, "invalid", _("Enter the date and time as YYYY-MM-DD HH:MM."))]
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(office.time_zone))
    if local <= now:
        return None, [FieldError(field, "past", _("An interview must be scheduled in the future."))]
    return local, []


def _check_step(case: Case, step: StepInput, now: datetime) -> tuple[Transition, datetime | None]:
    rules = node_rules()
    today = office_today(case.office, now)
    request = StepRequest(
        transition=step.transition,
        occurred_on=step.occurred_on,
        reason=step.reason,
        legal_basis=step.legal_basis,
        details=step.details,
    )
    transition, refusals = transition_check(
        case_facts(case), request, today=today, appeal_levels=len(rules.appeal_levels)
    )
    errors = [FieldError(r.field, r.code, r.message) for r in refusals]
    interview_at = None
    if Detail.INTERVIEW_AT in transition.requires and step.details.get(Detail.INTERVIEW_AT.value):
        interview_at, more = _interview_at(step.details[Detail.INTERVIEW_AT.value], case.office, now)
        errors.extend(more)
    if transition.decision is not None and not step.legal_basis.strip():
        errors.append(FieldError("legal_basis", "required", _("A decision must name its legal basis.")))
    _raise_if(errors)
    return transition, interview_at


def _apply(
    *,
    ctx: AccessContext,
    case: Case,
    transition: Transition,
    step: StepInput,
    interview_at: datetime | None,
    recorded_by_id: int,
    approved_by_id: int | None,
) -> CaseEvent:
    """Move the case and write the event; refused if anyone moved the case since `case.version`."""
    rules = node_rules()
    kind = CaseKind(case.kind)
    workflow = WORKFLOWS[kind]
    to_state = transition.target or case.state
    moves = bool(transition.target)
    appeal_level = case.appeal_level + 1 if transition.lodges_appeal else case.appeal_level
    closes = workflow.states[to_state].closed
    entered_on = step.occurred_on if moves else case.state_entered_on
    due_on = None if closes else rules.due_date(kind, to_state, entered_on=entered_on, began_on=case.began_on)
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(
        state=to_state,
        state_entered_on=entered_on,
        last_event_on=step.occurred_on,
        last_contact_on=max(case.last_contact_on, step.occurred_on),
        due_on=due_on,
        closed_on=step.occurred_on if closes else None,
        appeal_level=appeal_level,
        awaiting_approval="",
        version=F("version") + 1,
    )
    if updated == 0:
        raise _stale(case)
    sequence = (case.events.aggregate(last=Max("sequence"))["last"] or 0) + 1
    details = dict(step.details)
    event = CaseEvent.objects.create(
        case=case,
        sequence=sequence,
        transition=transition.name,
        from_state=case.state,
        to_state=to_state,
        occurred_on=step.occurred_on,
        recorded_at=ctx.now,
        recorded_by_id=recorded_by_id,
        approved_by_id=approved_by_id,
        office=case.office,
        reason=step.reason.strip(),
        legal_basis=step.legal_basis.strip(),
        details=details,
        decision=transition.decision.value if transition.decision else "",
        decision_level=decision_level(transition, appeal_level, rules.appeal_level_codes()),
        persons=case.members.count() if transition.decision or transition.lodges_appeal else 1,
    )
    if recorded_by_id == ctx.user.pk:
        event.recorded_by = ctx.user  # the answer names the recorder: no query for what is in hand
    _appointments_follow(ctx=ctx, case=case, transition=transition, interview_at=interview_at)
    audit_record(
        actor=ctx.user,
        action="case.transition",
        object_type="case",
        object_id=str(case.uuid),
        person_uuid=case.person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        changes={
            "reference": case.reference,
            "transition": transition.name,
            "from": case.state,
            "to": to_state,
            "occurred_on": step.occurred_on.isoformat(),
            "approved_by": approved_by_id,
            "reason": step.reason.strip(),
            "legal_basis": step.legal_basis.strip(),
        },
    )
    if workflow.states[to_state].protection != workflow.states[case.state].protection:
        _presence_follow_up(
            case.members.values_list("person_id", flat=True), office_today(case.office, ctx.now)
        )
    return event


def _appointments_follow(
    *, ctx: AccessContext, case: Case, transition: Transition, interview_at: datetime | None
) -> None:
    """Scheduling steps keep the interview appointment in step with the case."""
    scheduled = case.appointments.filter(kind=AppointmentKind.INTERVIEW, status=AppointmentStatus.SCHEDULED)
    if transition.name == "reschedule_interview":
        scheduled.update(status=AppointmentStatus.CANCELLED)
    if interview_at is not None:
        Appointment.objects.create(
            case=case,
            person=case.person,
            office=case.office,
            kind=AppointmentKind.INTERVIEW,
            starts_at=interview_at,
            created_at=ctx.now,
            created_by=ctx.user,
        )
    if transition.name == "record_interview":
        scheduled.update(status=AppointmentStatus.HELD)


def case_transition(*, ctx: AccessContext, case_uuid: uuid.UUID, step: StepInput) -> StepOutcome:
    """Take a step of a case, or ask for a supervisor's approval where the state's rules require it."""
    require_capability(ctx, Capability.CASE_WORK)
    with transaction.atomic():
        case = case_get_for_write(ctx=ctx, case_uuid=case_uuid, capability=Capability.CASE_WORK)
        if case.version != step.expected_version:
            raise _stale(case)
        transition, interview_at = _check_step(case, step, ctx.now)
        if node_rules().needs_approval(CaseKind(case.kind), transition.name):
            updated = Case.objects.filter(pk=case.pk, version=case.version).update(
                awaiting_approval=transition.name, version=F("version") + 1
            )
            if updated == 0:
                raise _stale(case)
            approval = Approval.objects.create(
                case=case,
                transition=transition.name,
                occurred_on=step.occurred_on,
                reason=step.reason.strip(),
                legal_basis=step.legal_basis.strip(),
                details=dict(step.details),
                requested_at=ctx.now,
                requested_by=ctx.user,
            )
            audit_record(
                actor=ctx.user,
                action="case.approval_requested",
                object_type="case",
                object_id=str(case.uuid),
                person_uuid=case.person.uuid,
                occurred_at=ctx.now,
                ip_address=ctx.ip_address,
                changes={
                    "reference": case.reference,
                    "transition": transition.name,
                    "occurred_on": step.occurred_on.isoformat(),
                },
            )
            case = _reloaded(case)
            return StepOutcome(case=case, event=None, approval=approval)
        event = _apply(
            ctx=ctx,
            case=case,
            transition=transition,
            step=step,
            interview_at=interview_at,
            recorded_by_id=ctx.user.pk,
            approved_by_id=None,
        )
        case = _reloaded(case)
    return StepOutcome(case=case, event=event, approval=None)


def approval_decide(*, ctx: AccessContext, approval_id: int, approve: bool, note: str) -> StepOutcome:
    """A supervisor approves (the step is taken, dated as requested) or refuses (with a reason) a waiting step."""
    require_capability(ctx, Capability.CASE_APPROVE)
    offices = office_ids_in_scope(ctx, Capability.CASE_APPROVE)
    with transaction.atomic():
        approval = Approval.objects.select_related("case", "case__office", "case__person").get(
            pk=approval_id, case__office_id__in=offices
        )
        errors: list[FieldError] = []
        if approval.status != ApprovalStatus.PENDING:
            errors.append(FieldError("approval", "already_decided", _("This request was already decided.")))
        elif approval.requested_by_id == ctx.user.pk:
            errors.append(
                FieldError("approval", "own_request", _("Another supervisor must decide your own request."))
            )
        if not approve and not note.strip():
            errors.append(FieldError("note", "required", _("Say why the step is not approved.")))
        _raise_if(errors)
        claimed = Approval.objects.filter(pk=approval.pk, status=ApprovalStatus.PENDING).update(
            status=ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED,
            decided_at=ctx.now,
            decided_by=ctx.user,
            decision_note=note.strip(),
        )
        if claimed == 0:
            raise UnableToValidate(
                [FieldError("approval", "already_decided", _("This request was already decided."))]
            )
        case = approval.case
        audit_record(
            actor=ctx.user,
            action="case.approval_decided",
            object_type="case",
            object_id=str(case.uuid),
            person_uuid=case.person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={
                "reference": case.reference,
                "transition": approval.transition,
                "approved": approve,
                "note": note.strip(),
            },
        )
        event = None
        if approve:
            # Checked again as if the step were asked for now: the case cannot have moved, it was waiting.
            case.awaiting_approval = ""
            step = StepInput(
                transition=approval.transition,
                occurred_on=approval.occurred_on,
                expected_version=case.version,
                reason=approval.reason,
                legal_basis=approval.legal_basis,
                details=approval.details,
            )
            transition, interview_at = _check_step(case, step, ctx.now)
            event = _apply(
                ctx=ctx,
                case=case,
                transition=transition,
                step=step,
                interview_at=interview_at,
                recorded_by_id=approval.requested_by_id,
                approved_by_id=ctx.user.pk,
            )
        else:
            updated = Case.objects.filter(pk=case.pk, version=case.version).update(
                awaiting_approval="", version=F("version") + 1
            )
            if updated == 0:
                raise _stale(case)
        case = _reloaded(case)
        approval.refresh_from_db()
    return StepOutcome(case=case, event=event, approval=approval)


def case_assign(*, ctx: AccessContext, case_uuid: uuid.UUID, user_id: int | None) -> Case:
    """Give a case to a caseworker of its office (or take it back to the office's pool)."""
    require_capability(ctx, Capability.CASE_APPROVE)
    with transaction.atomic():
        case = case_get_for_write(ctx=ctx, case_uuid=case_uuid, capability=Capability.CASE_APPROVE)
        # The same people the case page offers: those who may work the case's office today.
        if user_id is not None and user_id not in {pk for pk, _name in case_assignees(ctx, case)}:
            raise UnableToValidate(
                [FieldError("user_id", "not_in_office", _("Choose a caseworker of the case's office."))]
            )
        Case.objects.filter(pk=case.pk).update(assigned_to_id=user_id)
        audit_record(
            actor=ctx.user,
            action="case.assign",
            object_type="case",
            object_id=str(case.uuid),
            person_uuid=case.person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"reference": case.reference, "assigned_to": user_id},
        )
        case = _reloaded(case)
    return case


def appointment_status_set(*, ctx: AccessContext, appointment_uuid: uuid.UUID, status: str) -> Appointment:
    """Mark an appointment held, missed or cancelled."""
    require_capability(ctx, Capability.CASE_WORK)
    if status not in (AppointmentStatus.HELD, AppointmentStatus.MISSED, AppointmentStatus.CANCELLED):
        raise UnableToValidate(
            [FieldError("status", "invalid_choice", _("Choose held, missed or cancelled."))]
        )
    offices = office_ids_in_scope(ctx, Capability.CASE_WORK)
    with transaction.atomic():
        appointment = Appointment.objects.select_related("person").get(
            uuid=appointment_uuid, office_id__in=offices
        )
        if appointment.status != AppointmentStatus.SCHEDULED:
            raise UnableToValidate(
                [FieldError("status", "already_settled", _("Only a scheduled appointment can be changed."))]
            )
        Appointment.objects.filter(pk=appointment.pk).update(status=status)
        audit_record(
            actor=ctx.user,
            action="appointment.status",
            object_type="appointment",
            object_id=str(appointment.uuid),
            person_uuid=appointment.person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"status": status},
        )
        appointment.refresh_from_db()
    return appointment


def referral_send(*, ctx: AccessContext, data: ReferralInput) -> Referral:
    """Send a person to a partner agency for a procedure, sharing only the chosen categories of their data."""
    require_capability(ctx, Capability.REFERRAL_DECIDE)
    errors: list[FieldError] = []
    try:
        kind = CaseKind(data.procedure)
    except ValueError:
        raise UnableToValidate(
            [FieldError("procedure", "invalid_choice", _("Choose a procedure."))]
        ) from None
    if data.from_office_id not in office_ids_in_scope(ctx, Capability.REFERRAL_DECIDE):
        errors.append(FieldError("from_office_id", "not_in_scope", _("Choose one of your offices.")))
    agency = Agency.objects.filter(pk=data.to_agency_id).first()
    if agency is None:
        errors.append(FieldError("to_agency_id", "not_found", _("Choose a partner agency.")))
    if not data.reason.strip():
        errors.append(FieldError("reason", "required", _("Say why the person is referred.")))
    unknown = [s for s in data.shared if s not in SharedData.values]
    if unknown:
        errors.append(FieldError("shared", "invalid_choice", _("Choose what to share from the list.")))
    elif SharedData.IDENTITY not in data.shared:
        errors.append(
            FieldError("shared", "identity_required", _("A partner needs at least the person's names."))
        )
    _raise_if(errors)
    assert agency is not None
    person = person_get_for_write(
        ctx=ctx, person_uuid=data.person_uuid, capability=Capability.REFERRAL_DECIDE
    )
    from_office = Office.objects.get(pk=data.from_office_id)
    if from_office.agency_id == agency.pk:
        raise UnableToValidate(
            [FieldError("to_agency_id", "same_agency", _("Refer to another agency than your own."))]
        )
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if Referral.objects.filter(
            person=person,
            procedure=kind.value,
            to_agency=agency,
            status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED],
        ).exists():
            raise UnableToValidate(
                [
                    FieldError(
                        "to_agency_id",
                        "already_referred",
                        _("This person is already referred there for this procedure."),
                    )
                ]
            )
        suggestion = None
        if data.suggestion_id is not None:
            suggestion = person.referrals.filter(pk=data.suggestion_id).first()
            if suggestion is None:
                raise UnableToValidate(
                    [FieldError("suggestion_id", "not_found", _("No such suggested referral."))]
                )
        referral = Referral.objects.create(
            person=person,
            procedure=kind.value,
            from_office=from_office,
            to_agency=agency,
            reason=data.reason.strip(),
            shared=sorted(set(data.shared)),
            sent_at=ctx.now,
            sent_by=ctx.user,
            suggestion=suggestion,
        )
        audit_record(
            actor=ctx.user,
            action="referral.send",
            object_type="referral",
            object_id=str(referral.uuid),
            person_uuid=person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"procedure": kind.value, "to_agency": agency.code, "shared": referral.shared},
        )
    return referral


def _referral_for_partner(ctx: AccessContext, referral_uuid: uuid.UUID) -> Referral:
    agencies = receiving_agency_ids(ctx)
    return (
        Referral.objects.select_for_update()
        .select_related("person", "to_agency")
        .get(uuid=referral_uuid, to_agency_id__in=agencies)
    )


def referral_accept(
    *, ctx: AccessContext, referral_uuid: uuid.UUID, office_id: int, note: str = ""
) -> Referral:
    """The partner takes the referral and opens the procedure at one of its offices."""
    require_capability(ctx, Capability.REFERRAL_RECEIVE)
    with transaction.atomic():
        referral = _referral_for_partner(ctx, referral_uuid)
        errors: list[FieldError] = []
        if referral.status != ReferralStatus.SENT:
            errors.append(
                FieldError("referral", "not_pending", _("This referral is no longer waiting for an answer."))
            )
        office = Office.objects.filter(pk=office_id, agency_id=referral.to_agency_id).first()
        if office is None or office_id not in office_ids_in_scope(ctx, Capability.REFERRAL_RECEIVE):
            errors.append(FieldError("office_id", "not_in_scope", _("Choose one of your offices.")))
        _raise_if(errors)
        assert office is not None
        kind = CaseKind(referral.procedure)
        already = (
            CaseMember.objects.filter(
                person=referral.person,
                case__kind=kind.value,
                case__closed_on__isnull=True,
                case__office__agency_id=referral.to_agency_id,
            )
            .select_related("case")
            .first()
        )
        if already is not None:
            case = already.case
        else:
            case = _open_case(
                ctx=ctx,
                kind=kind,
                person=referral.person,
                members=[],
                office=office,
                began_on=office_today(office, ctx.now),
                procedure_type=ProcedureType.GOVERNMENT,
                application_type=ApplicationType.NEW,
                reason=_("Referred by %(office)s") % {"office": referral.from_office.name}
                if referral.from_office_id
                else "",
                legal_basis="",
            )
        Referral.objects.filter(pk=referral.pk).update(
            status=ReferralStatus.ACCEPTED,
            decided_at=ctx.now,
            decided_by=ctx.user,
            decision_note=note.strip(),
            case=case,
        )
        audit_record(
            actor=ctx.user,
            action="referral.accept",
            object_type="referral",
            object_id=str(referral.uuid),
            person_uuid=referral.person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"case": case.reference, "note": note.strip()},
        )
        _presence_follow_up([referral.person_id], office_today(office, ctx.now))
        referral.refresh_from_db()
    return referral


def referral_decline(*, ctx: AccessContext, referral_uuid: uuid.UUID, note: str) -> Referral:
    require_capability(ctx, Capability.REFERRAL_RECEIVE)
    if not note.strip():
        raise UnableToValidate([FieldError("note", "required", _("Say why the referral is declined."))])
    with transaction.atomic():
        referral = _referral_for_partner(ctx, referral_uuid)
        if referral.status != ReferralStatus.SENT:
            raise UnableToValidate(
                [
                    FieldError(
                        "referral", "not_pending", _("This referral is no longer waiting for an answer.")
                    )
                ]
            )
        Referral.objects.filter(pk=referral.pk).update(
            status=ReferralStatus.DECLINED,
            decided_at=ctx.now,
            decided_by=ctx.user,
            decision_note=note.strip(),
        )
        audit_record(
            actor=ctx.user,
            action="referral.decline",
            object_type="referral",
            object_id=str(referral.uuid),
            person_uuid=referral.person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"note": note.strip()},
        )
        referral.refresh_from_db()
    return referral


def referral_revoke(*, ctx: AccessContext, referral_uuid: uuid.UUID, note: str) -> Referral:
    """The sender withdraws a referral: from then on the partner sees nothing more of the person."""
    require_capability(ctx, Capability.REFERRAL_DECIDE)
    if not note.strip():
        raise UnableToValidate([FieldError("note", "required", _("Say why the referral is revoked."))])
    offices = office_ids_in_scope(ctx, Capability.REFERRAL_DECIDE)
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update()
            .select_related("person")
            .get(uuid=referral_uuid, from_office_id__in=offices)
        )
        if referral.status not in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
            raise UnableToValidate(
                [FieldError("referral", "not_open", _("This referral is already closed."))]
            )
        Referral.objects.filter(pk=referral.pk).update(
            status=ReferralStatus.REVOKED, decided_at=ctx.now, decided_by=ctx.user, decision_note=note.strip()
        )
        audit_record(
            actor=ctx.user,
            action="referral.revoke",
            object_type="referral",
            object_id=str(referral.uuid),
            person_uuid=referral.person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"note": note.strip()},
        )
        referral.refresh_from_db()
    return referral
