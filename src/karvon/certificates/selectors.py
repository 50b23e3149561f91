"""Reads of certificates: staff reads are scoped and audited; the public verification shows no personal data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from karvon.accounts.access import AccessContext, has_capability, office_ids_in_scope
from karvon.accounts.models import User
from karvon.accounts.roles import Capability
from karvon.audit.selectors import audit_recent_count
from karvon.audit.services import audit_record
from karvon.cases.models import Appointment, AppointmentStatus, Case, CaseMember
from karvon.cases.workflow import WORKFLOWS, CaseKind
from karvon.certificates.contracts import (
    BasisChoice,
    CertificateDocument,
    CertificatePanel,
    CertificateRow,
    NameSpelling,
    Verification,
)
from karvon.certificates.models import CASE_KINDS, Certificate, CertificateKind
from karvon.certificates.pdf import certificate_pdf_bytes
from karvon.certificates.tokens import token_hash, verification_secret, verification_url
from karvon.certificates.validity import (
    PROTECTION_REQUIRED,
    CertificateFacts,
    CertificateStatus,
    appointment_basis_holds,
    case_basis_holds,
    certificate_status,
)
from karvon.registry.contracts import FieldError, UnableToValidate
from karvon.registry.models import Person, Registration
from karvon.registry.selectors import person_get_for_write, person_scope

# Photos are printed only in the formats the registry accepts; anything else is left out rather than failing.
PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
# A verification secret is 32 URL-safe characters; anything far off is not looked up at all.
SECRET_MAX_LENGTH = 64


def _local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def _basis_holds(certificate: Certificate) -> bool:
    """Whether what the document was issued on still holds, read live (the case may have moved since)."""
    if certificate.kind in CASE_KINDS:
        case = certificate.case
        assert case is not None
        on_case = (
            case.person_id == certificate.person_id
            or CaseMember.objects.filter(case=case, person_id=certificate.person_id).exists()
        )
        protection = WORKFLOWS[CaseKind(case.kind)].states[case.state].protection
        return case_basis_holds(certificate.kind, protection=protection, person_on_case=on_case)
    if certificate.kind == CertificateKind.APPOINTMENT:
        appointment = certificate.appointment
        assert appointment is not None
        return appointment_basis_holds(
            status=appointment.status,
            local_day=_local_day(appointment.starts_at, appointment.office.time_zone),
            slip_day=certificate.valid_until,
        )
    # A registration is a past fact: it cannot lapse (its row is protected from deletion).
    return True


def status_of(certificate: Certificate, *, today: date) -> CertificateStatus:
    facts = CertificateFacts(
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        revoked=certificate.revoked_at is not None,
        superseded=certificate.superseded_at is not None,
        basis_holds=_basis_holds(certificate),
    )
    return certificate_status(facts, today=today)


def _with_basis() -> list[str]:
    return ["case", "appointment__office", "registration__office", "office__agency", "issued_by", "person"]


# A border post's scanner checks a few documents a minute; 30 codes that were not genuine within 10 minutes from one
# address is a scan of guesses (or a broken scanner), answered "try later" until the oldest ages out.
VERIFY_WINDOW = timedelta(minutes=10)
VERIFY_MISSES_PER_ADDRESS = 30


def _verify_misses(ip_address: str, now: datetime) -> int:
    return audit_recent_count(
        action="certificate.verify", since=now - VERIFY_WINDOW, ip_address=ip_address, changes__genuine=False
    )


def certificate_verify(
    *, secret: str, now: datetime, ip_address: str | None, actor: User | None = None
) -> Verification:
    """What the public page shows for a QR code's secret: genuine or not, and if so the document's status.

    Audited as a certificate event without the person: the answer shows nothing about them. The address is
    kept so that a data protection officer can see where checks of a document came from. An address that sent
    many codes that were not genuine lately gets no lookup (`throttled`) until they age out of the window: the
    secrets are far too long to guess, but a scan of guesses should cost the guesser, not the node.
    """

    def audited(verification: Verification, certificate: Certificate | None = None) -> Verification:
        changes: dict[str, object] = {"genuine": verification.genuine}
        if verification.throttled:
            changes["throttled"] = True
        if verification.status is not None:
            changes.update(number=verification.number, status=verification.status.value)
        audit_record(
            actor=actor,
            action="certificate.verify",
            object_type="certificate",
            object_id=str(certificate.uuid) if certificate else "",
            occurred_at=now,
            ip_address=ip_address,
            changes=changes,
        )
        return verification

    if ip_address and _verify_misses(ip_address, now) >= VERIFY_MISSES_PER_ADDRESS:
        return audited(Verification(genuine=False, throttled=True))
    certificate = None
    if 0 < len(secret) <= SECRET_MAX_LENGTH:
        certificate = (
            Certificate.objects.select_related("case", "appointment__office")
            .filter(token_hash=token_hash(secret))
            .first()
        )
    if certificate is None:
        return audited(Verification(genuine=False))
    return audited(
        Verification(
            genuine=True,
            kind=certificate.kind,
            number=certificate.number,
            valid_until=certificate.valid_until,
            status=status_of(certificate, today=timezone.localtime(now).date()),
        ),
        certificate,
    )


def certificate_for_write(*, ctx: AccessContext, certificate_uuid: uuid.UUID) -> Certificate:
    """A certificate whose person the user may issue documents to; Certificate.DoesNotExist otherwise."""
    certificate = Certificate.objects.select_related(*_with_basis()).get(uuid=certificate_uuid)
    try:
        person_get_for_write(
            ctx=ctx, person_uuid=certificate.person.uuid, capability=Capability.CERTIFICATE_ISSUE
        )
    except Person.DoesNotExist:
        raise Certificate.DoesNotExist from None
    return certificate


def _basis_label(certificate: Certificate) -> str:
    if certificate.case is not None:
        return certificate.case.reference
    if certificate.appointment is not None:
        appointment = certificate.appointment
        local = appointment.starts_at.astimezone(ZoneInfo(appointment.office.time_zone))
        return f"{local:%d.%m.%Y %H:%M} · {appointment.office.name}"
    if certificate.registration is not None:
        registration = certificate.registration
        return f"{registration.registered_on:%d.%m.%Y} · {registration.office.name}"
    return ""


def certificate_row(certificate: Certificate, today: date) -> CertificateRow:
    """One certificate as staff see it in a list, with its live status."""
    return CertificateRow(
        uuid=certificate.uuid,
        kind=certificate.kind,
        number=certificate.number,
        language=certificate.language,
        issued_at=certificate.issued_at,
        issued_by=certificate.issued_by.get_full_name() or certificate.issued_by.get_username(),
        office=certificate.office.name,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        status=status_of(certificate, today=today),
        basis=_basis_label(certificate),
        revocation_reason=certificate.revocation_reason,
    )


def certificates_for_person(*, ctx: AccessContext, person_uuid: uuid.UUID) -> list[CertificateRow]:
    """The person's documents, newest first, each with its live status; audited as a read of the person."""
    person = person_scope(ctx=ctx).get(uuid=person_uuid)
    certificates = (
        Certificate.objects.filter(person=person).select_related(*_with_basis()).order_by("-issued_at", "-id")
    )
    rows = [certificate_row(c, ctx.today) for c in certificates]
    audit_record(
        actor=ctx.user,
        action="certificate.list",
        object_type="person",
        object_id=str(person.uuid),
        person_uuid=person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        changes={"certificates": [r.number for r in rows]},
    )
    return rows


def _bases(ctx: AccessContext, person_id: int) -> list[BasisChoice]:
    """What a document could be issued on now, for the issue form; the service checks everything again."""
    choices: list[BasisChoice] = []
    issuing = office_ids_in_scope(ctx, Capability.CERTIFICATE_ISSUE)
    cases = Case.objects.filter(
        Q(person_id=person_id) | Q(members__person_id=person_id),
        kind=CaseKind.ASYLUM,
        office_id__in=issuing & office_ids_in_scope(ctx, Capability.CASE_VIEW),
    ).distinct()
    protections = set(PROTECTION_REQUIRED.values())
    for case in cases.order_by("-began_on"):
        state = WORKFLOWS[CaseKind.ASYLUM].states[case.state]
        if state.protection in protections:
            choices.append(BasisChoice("case", case.uuid, f"{case.reference} · {state.label}"))
    appointments = Appointment.objects.filter(
        person_id=person_id, status=AppointmentStatus.SCHEDULED, office_id__in=issuing
    ).select_related("office")
    for appointment in appointments.order_by("starts_at"):
        local = appointment.starts_at.astimezone(ZoneInfo(appointment.office.time_zone))
        if local.date() >= ctx.today:
            label = f"{local:%d.%m.%Y %H:%M} · {appointment.get_kind_display()} · {appointment.office.name}"
            choices.append(BasisChoice("appointment", appointment.uuid, label))
    registrations = Registration.objects.filter(person_id=person_id, office_id__in=issuing).select_related(
        "office"
    )
    for registration in registrations.order_by("-registered_on", "-id"):
        label = f"{registration.registered_on:%d.%m.%Y} · {registration.office.name}"
        choices.append(BasisChoice("registration", registration.uuid, label))
    return choices


def certificate_panel(*, ctx: AccessContext, person_uuid: uuid.UUID) -> CertificatePanel:
    """The person's documents and, for those who may issue them, what a new one could be issued on."""
    rows = certificates_for_person(ctx=ctx, person_uuid=person_uuid)
    can_issue = has_capability(ctx, Capability.CERTIFICATE_ISSUE)
    bases: list[BasisChoice] = []
    if can_issue:
        try:
            person = person_get_for_write(
                ctx=ctx, person_uuid=person_uuid, capability=Capability.CERTIFICATE_ISSUE
            )
        except Person.DoesNotExist:
            can_issue = False
        else:
            bases = _bases(ctx, person.pk)
    return CertificatePanel(person_uuid=person_uuid, certificates=rows, can_issue=can_issue, bases=bases)


def _photo(certificate: Certificate) -> bytes | None:
    photo = certificate.person.photo
    if not photo:
        return None
    try:
        with photo.open("rb") as handle:
            content: bytes = handle.read()
    except OSError:
        # A missing file must not stop a document being printed; the box says "no photo".
        return None
    return content if content.startswith(PHOTO_SIGNATURES) else None


def _document(certificate: Certificate, secret: str, today: date) -> CertificateDocument:
    person = certificate.person
    names = tuple(
        NameSpelling(n.part, n.text, n.script, n.is_primary)
        for n in person.names.order_by("part", "position")
    )
    issued_by = certificate.issued_by.get_full_name() or certificate.issued_by.get_username()
    values: dict[str, object] = {}
    if certificate.case is not None:
        values["case_reference"] = certificate.case.reference
    if certificate.registration is not None:
        values["registered_on"] = certificate.registration.registered_on
        values["registered_at"] = certificate.registration.office.name
    if certificate.appointment is not None:
        appointment = certificate.appointment
        zone = appointment.office.time_zone
        values["appointment_at"] = appointment.starts_at.astimezone(ZoneInfo(zone))
        values["appointment_zone"] = zone
        values["appointment_place"] = appointment.office.name
        values["appointment_kind"] = appointment.kind
    return CertificateDocument(
        kind=certificate.kind,
        language=certificate.language,
        number=certificate.number,
        state_code=certificate.office.agency.state,
        authority=certificate.office.agency.name,
        office=certificate.office.name,
        names=names,
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        sex=person.sex,
        nationalities=tuple(person.nationalities.order_by("id").values_list("country", flat=True)),
        photo=_photo(certificate),
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        issued_on=timezone.localtime(certificate.issued_at).date(),
        issued_by=issued_by,
        verification_url=verification_url(secret),
        status=status_of(certificate, today=today),
        **values,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class CertificateFile:
    filename: str
    content: bytes


def certificate_pdf(*, ctx: AccessContext, certificate_uuid: uuid.UUID) -> CertificateFile:
    """The document as PDF, for printing or reprinting; a print shows personal data, so it is audited."""
    certificate = certificate_for_write(ctx=ctx, certificate_uuid=certificate_uuid)
    secret = verification_secret(certificate.uuid)
    if token_hash(secret) != certificate.token_hash:
        # The node's certificate key changed since issue: a reprint's QR code would not verify.
        raise UnableToValidate(
            [
                FieldError(
                    "certificate",
                    "key_changed",
                    _(
                        "This document cannot be reprinted: the node's certificate key has changed. Issue a new one."
                    ),
                )
            ]
        )
    content = certificate_pdf_bytes(_document(certificate, secret, ctx.today))
    audit_record(
        actor=ctx.user,
        action="certificate.print",
        object_type="certificate",
        object_id=str(certificate.uuid),
        person_uuid=certificate.person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        changes={"number": certificate.number},
    )
    return CertificateFile(filename=f"{certificate.number}.pdf", content=content)
