"""Writes of certificates: issuing (which supersedes the previous one) and revoking; validated, atomic, audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from karvon.accounts.access import AccessContext, office_ids_in_scope, require_capability
from karvon.accounts.models import Office
from karvon.accounts.roles import Capability
from karvon.audit.services import audit_record
from karvon.cases.models import Appointment, AppointmentStatus, Case, CaseMember
from karvon.cases.rules import state_rules
from karvon.cases.selectors import case_get_for_write
from karvon.cases.workflow import PROTECTION_LABELS, WORKFLOWS, CaseKind
from karvon.certificates.models import (
    CASE_KINDS,
    Certificate,
    CertificateKind,
    CertificateLanguage,
    CertificateNumberSequence,
)
from karvon.certificates.selectors import certificate_for_write
from karvon.certificates.tokens import token_hash, verification_secret
from karvon.certificates.validity import PROTECTION_REQUIRED
from karvon.registry.contracts import FieldError, UnableToValidate
from karvon.registry.models import Person, Registration
from karvon.registry.selectors import person_get_for_write

# The kind's code in a certificate number, e.g. KAZ-RC-2026-000123.
NUMBER_CODES = {
    CertificateKind.ASYLUM_SEEKER.value: "AS",
    CertificateKind.REFUGEE.value: "RC",
    CertificateKind.REGISTRATION.value: "RG",
    CertificateKind.APPOINTMENT.value: "AP",
}
REVOCATION_REASON_MAX = 1000


@dataclass(frozen=True)
class _Basis:
    """What a certificate is issued on, where, and until when."""

    office: Office
    valid_until: date
    case: Case | None = None
    appointment: Appointment | None = None
    registration: Registration | None = None

    def audit(self) -> dict[str, str]:
        if self.case is not None:
            return {"case": str(self.case.uuid), "reference": self.case.reference, "state": self.case.state}
        if self.appointment is not None:
            return {
                "appointment": str(self.appointment.uuid),
                "starts_at": self.appointment.starts_at.isoformat(),
            }
        assert self.registration is not None
        return {"registration": str(self.registration.uuid)}


def _refuse(field: str, code: str, message: str) -> UnableToValidate:
    return UnableToValidate([FieldError(field, code, message)])


def _validity_end(kind: str, today: date) -> date:
    days = state_rules(settings.KARVON_NODE_STATE).certificate_validity_days[kind]
    # The day of issue counts as the first day of validity.
    return today + timedelta(days=max(days - 1, 0))


def _unexpected(kind: str, **given: object) -> list[FieldError]:
    label = CertificateKind(kind).label
    return [
        FieldError(field, "not_expected", _("A %(document)s is not issued on this.") % {"document": label})
        for field, value in given.items()
        if value is not None
    ]


def _case_basis(ctx: AccessContext, kind: str, person: Person, case_uuid: uuid.UUID | None) -> _Basis:
    if case_uuid is None:
        raise _refuse("case_uuid", "required", _("Choose the asylum case the document is issued on."))
    try:
        case = case_get_for_write(ctx=ctx, case_uuid=case_uuid, capability=Capability.CASE_VIEW)
    except Case.DoesNotExist:
        raise _refuse("case_uuid", "not_found", _("There is no such case among those you may see.")) from None
    if case.kind != CaseKind.ASYLUM:
        raise _refuse("case_uuid", "not_asylum", _("This document is issued on an asylum case only."))
    on_case = case.person_id == person.pk or CaseMember.objects.filter(case=case, person=person).exists()
    if not on_case:
        raise _refuse("case_uuid", "other_person", _("This person is not covered by the case."))
    state = WORKFLOWS[CaseKind.ASYLUM].states[case.state]
    required = PROTECTION_REQUIRED[kind]
    if state.protection != required:
        raise _refuse(
            "case_uuid",
            "no_protection",
            _("The case is at the stage “%(stage)s”, which does not give the status “%(status)s”.")
            % {"stage": state.label, "status": PROTECTION_LABELS[required]},
        )
    if case.office_id not in office_ids_in_scope(ctx, Capability.CERTIFICATE_ISSUE):
        raise _refuse(
            "case_uuid",
            "other_office",
            _("The case is handled by %(office)s, where you may not issue documents.")
            % {"office": case.office.name},
        )
    return _Basis(office=case.office, valid_until=_validity_end(kind, ctx.today), case=case)


def _registration_basis(ctx: AccessContext, person: Person, registration_uuid: uuid.UUID | None) -> _Basis:
    offices = office_ids_in_scope(ctx, Capability.CERTIFICATE_ISSUE)
    registrations = Registration.objects.filter(person=person, office_id__in=offices).select_related("office")
    if registration_uuid is not None:
        registrations = registrations.filter(uuid=registration_uuid)
    registration = registrations.order_by("-registered_on", "-id").first()
    if registration is None:
        raise _refuse(
            "registration_uuid",
            "not_found",
            _("There is no such registration at an office where you issue documents."),
        )
    return _Basis(
        office=registration.office,
        valid_until=_validity_end(CertificateKind.REGISTRATION, ctx.today),
        registration=registration,
    )


def _appointment_basis(ctx: AccessContext, person: Person, appointment_uuid: uuid.UUID | None) -> _Basis:
    if appointment_uuid is None:
        raise _refuse("appointment_uuid", "required", _("Choose the appointment the slip is for."))
    appointment = (
        Appointment.objects.filter(uuid=appointment_uuid, person=person)
        .select_related("office", "case")
        .first()
    )
    if appointment is None:
        raise _refuse("appointment_uuid", "not_found", _("This person has no such appointment."))
    if appointment.status != AppointmentStatus.SCHEDULED:
        raise _refuse(
            "appointment_uuid",
            "not_scheduled",
            _("Only a scheduled appointment gets a slip; this one is “%(status)s”.")
            % {"status": appointment.get_status_display()},
        )
    day = appointment.starts_at.astimezone(ZoneInfo(appointment.office.time_zone)).date()
    if day < ctx.today:
        raise _refuse("appointment_uuid", "past", _("The appointment has already taken place."))
    if appointment.office_id not in office_ids_in_scope(ctx, Capability.CERTIFICATE_ISSUE):
        raise _refuse(
            "appointment_uuid",
            "other_office",
            _("The appointment is at %(office)s, where you may not issue documents.")
            % {"office": appointment.office.name},
        )
    return _Basis(office=appointment.office, valid_until=day, appointment=appointment)


def _next_number(kind: str, year: int) -> str:
    """The next number of this kind and year; the row stays locked until the issuing transaction ends."""
    sequence, _created = CertificateNumberSequence.objects.get_or_create(kind=kind, year=year)
    CertificateNumberSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    number = CertificateNumberSequence.objects.values_list("last_number", flat=True).get(pk=sequence.pk)
    return f"{settings.KARVON_NODE_STATE}-{NUMBER_CODES[kind]}-{year}-{number:06d}"


def certificate_issue(
    *,
    ctx: AccessContext,
    kind: str,
    person_uuid: uuid.UUID,
    language: str,
    case_uuid: uuid.UUID | None = None,
    appointment_uuid: uuid.UUID | None = None,
    registration_uuid: uuid.UUID | None = None,
) -> Certificate:
    """Issue a document to a person on a basis that fits its kind; the previous current one is superseded."""
    require_capability(ctx, Capability.CERTIFICATE_ISSUE)
    errors: list[FieldError] = []
    if kind not in CertificateKind.values:
        errors.append(FieldError("kind", "invalid_choice", _("Choose the kind of document.")))
    if language not in CertificateLanguage.values:
        errors.append(FieldError("language", "invalid_choice", _("Choose Russian or English.")))
    if kind in CASE_KINDS:
        errors += _unexpected(kind, appointment_uuid=appointment_uuid, registration_uuid=registration_uuid)
    elif kind == CertificateKind.REGISTRATION:
        errors += _unexpected(kind, case_uuid=case_uuid, appointment_uuid=appointment_uuid)
    elif kind == CertificateKind.APPOINTMENT:
        errors += _unexpected(kind, case_uuid=case_uuid, registration_uuid=registration_uuid)
    if errors:
        raise UnableToValidate(errors)
    person = person_get_for_write(ctx=ctx, person_uuid=person_uuid, capability=Capability.CERTIFICATE_ISSUE)
    if kind in CASE_KINDS:
        basis = _case_basis(ctx, kind, person, case_uuid)
    elif kind == CertificateKind.REGISTRATION:
        basis = _registration_basis(ctx, person, registration_uuid)
    else:
        basis = _appointment_basis(ctx, person, appointment_uuid)

    with transaction.atomic():
        # Two officials issuing to the same person at once: the second waits here, then supersedes the first.
        Person.objects.select_for_update().filter(pk=person.pk).exists()
        current = Certificate.objects.select_for_update().filter(
            person=person, kind=kind, superseded_at__isnull=True, revoked_at__isnull=True
        )
        if kind == CertificateKind.APPOINTMENT:
            current = current.filter(appointment=basis.appointment)
        previous = list(current)
        # Marked first, linked after the insert: the one-current-per-kind constraint reads superseded_at.
        Certificate.objects.filter(pk__in=[c.pk for c in previous]).update(superseded_at=ctx.now)
        certificate_uuid = uuid.uuid4()
        certificate = Certificate.objects.create(
            uuid=certificate_uuid,
            kind=kind,
            number=_next_number(kind, ctx.today.year),
            person=person,
            case=basis.case,
            appointment=basis.appointment,
            registration=basis.registration,
            language=language,
            office=basis.office,
            issued_at=ctx.now,
            issued_by=ctx.user,
            valid_from=ctx.today,
            valid_until=basis.valid_until,
            token_hash=token_hash(verification_secret(certificate_uuid)),
        )
        Certificate.objects.filter(pk__in=[c.pk for c in previous]).update(superseded_by=certificate)
        changes: dict[str, Any] = {
            "number": certificate.number,
            "kind": kind,
            "language": language,
            "office": basis.office.code,
            "valid_from": certificate.valid_from.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
            "basis": basis.audit(),
        }
        if previous:
            changes["supersedes"] = [c.number for c in previous]
        audit_record(
            actor=ctx.user,
            action="certificate.issue",
            object_type="certificate",
            object_id=str(certificate.uuid),
            person_uuid=person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes=changes,
        )
    return certificate


def certificate_revoke(*, ctx: AccessContext, certificate_uuid: uuid.UUID, reason: str) -> Certificate:
    """Revoke a document for good: from now on its QR code verifies as revoked."""
    require_capability(ctx, Capability.CERTIFICATE_ISSUE)
    certificate = certificate_for_write(ctx=ctx, certificate_uuid=certificate_uuid)
    reason = reason.strip()
    if not reason:
        raise _refuse("reason", "required", _("Say why the document is revoked."))
    if len(reason) > REVOCATION_REASON_MAX:
        raise _refuse("reason", "too_long", _("At most %(max)s characters.") % {"max": REVOCATION_REASON_MAX})
    with transaction.atomic():
        # Conditional: of two officials revoking at once, one wins and the other is told.
        updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=ctx.now, revoked_by=ctx.user, revocation_reason=reason
        )
        if not updated:
            raise _refuse("reason", "already_revoked", _("This document is already revoked."))
        audit_record(
            actor=ctx.user,
            action="certificate.revoke",
            object_type="certificate",
            object_id=str(certificate.uuid),
            person_uuid=certificate.person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"number": certificate.number, "reason": reason},
        )
    certificate.refresh_from_db()
    return certificate
