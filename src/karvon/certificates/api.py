"""Certificate endpoints: issue, list, print, revoke with a token; verify without one (what a QR code holds)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal, cast

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from karvon.api import api_context
from karvon.certificates import selectors, services
from karvon.certificates.contracts import CertificateRow
from karvon.certificates.selectors import certificate_row
from karvon.certificates.tokens import verification_secret, verification_url
from karvon.web.client_address import client_address

router = Router(tags=["certificates"])

Kind = Literal[
    "asylum_seeker_certificate", "refugee_certificate", "registration_confirmation", "appointment_slip"
]
StatusCode = Literal["valid", "expired", "not_yet_valid", "revoked", "superseded", "no_longer_valid"]


class IssueIn(Schema):
    kind: Kind
    person_uuid: uuid.UUID
    language: Literal["ru", "en"]
    case_uuid: uuid.UUID | None = Field(None, description="Asylum-seeker and refugee certificates")
    appointment_uuid: uuid.UUID | None = Field(None, description="Appointment slips")
    registration_uuid: uuid.UUID | None = Field(
        None, description="Registration confirmations; empty: the person's latest registration"
    )


class RevokeIn(Schema):
    reason: str = Field(min_length=1, max_length=services.REVOCATION_REASON_MAX)


class CertificateOut(Schema):
    uuid: uuid.UUID
    kind: Kind
    number: str
    language: str
    issued_at: datetime
    issued_by: str
    office: str
    valid_from: date
    valid_until: date
    status: StatusCode
    basis: str
    revocation_reason: str

    @staticmethod
    def of_row(row: CertificateRow) -> CertificateOut:
        return CertificateOut(
            uuid=row.uuid,
            kind=cast(Kind, row.kind),
            number=row.number,
            language=row.language,
            issued_at=row.issued_at,
            issued_by=row.issued_by,
            office=row.office,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            status=row.status.value,
            basis=row.basis,
            revocation_reason=row.revocation_reason,
        )


class IssuedOut(CertificateOut):
    # Returned once, when issued, so that a client can print its own QR code; it is derived again for reprints.
    verification_url: str


class VerificationOut(Schema):
    genuine: bool
    kind: Kind | None = None
    number: str | None = None
    valid_until: date | None = None
    status: StatusCode | None = None
    valid: bool
    throttled: bool = Field(
        False,
        description="Too many codes that were not genuine came from this address lately: not looked up (429)",
    )


@router.post(
    "/", response={201: IssuedOut}, summary="Issue a certificate (supersedes the person's current one)"
)
def certificate_issue(request: HttpRequest, payload: IssueIn) -> Status[Any]:
    ctx = api_context(request)
    certificate = services.certificate_issue(
        ctx=ctx,
        kind=payload.kind,
        person_uuid=payload.person_uuid,
        language=payload.language,
        case_uuid=payload.case_uuid,
        appointment_uuid=payload.appointment_uuid,
        registration_uuid=payload.registration_uuid,
    )
    row = CertificateOut.of_row(certificate_row(certificate, ctx.today))
    url = verification_url(verification_secret(certificate.uuid))
    return Status(201, IssuedOut(**row.model_dump(), verification_url=url))


@router.get("/persons/{person_uuid}", response=list[CertificateOut], summary="A person's certificates")
def certificates_for_person(request: HttpRequest, person_uuid: uuid.UUID) -> list[CertificateOut]:
    rows = selectors.certificates_for_person(ctx=api_context(request), person_uuid=person_uuid)
    return [CertificateOut.of_row(row) for row in rows]


@router.get("/{certificate_uuid}/pdf", summary="The certificate as PDF (audited as a print)")
def certificate_pdf(request: HttpRequest, certificate_uuid: uuid.UUID) -> HttpResponse:
    document = selectors.certificate_pdf(ctx=api_context(request), certificate_uuid=certificate_uuid)
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/{certificate_uuid}/revoke", response=CertificateOut, summary="Revoke a certificate for good")
def certificate_revoke(
    request: HttpRequest, certificate_uuid: uuid.UUID, payload: RevokeIn
) -> CertificateOut:
    ctx = api_context(request)
    certificate = services.certificate_revoke(
        ctx=ctx, certificate_uuid=certificate_uuid, reason=payload.reason
    )
    return CertificateOut.of_row(certificate_row(certificate, ctx.today))


@router.get(
    "/verify/{secret}",
    auth=None,
    response={200: VerificationOut, 429: VerificationOut},
    summary="Verify a certificate from its QR code (no token; says nothing about the holder)",
)
def certificate_verify(request: HttpRequest, secret: str) -> Status[VerificationOut]:
    verification = selectors.certificate_verify(
        secret=secret, now=timezone.now(), ip_address=client_address(request)
    )
    answer = VerificationOut(
        genuine=verification.genuine,
        kind=cast(Kind, verification.kind) if verification.kind else None,
        number=verification.number or None,
        valid_until=verification.valid_until,
        status=verification.status.value if verification.status else None,
        valid=verification.status == "valid",
        throttled=verification.throttled,
    )
    return Status(429 if verification.throttled else 200, answer)
