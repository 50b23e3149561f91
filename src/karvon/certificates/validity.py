"""Whether a certificate is valid today, from plain facts (no ORM): what the public verification says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from karvon.cases.workflow import ASYLUM_SEEKER, REFUGEE


class CertificateStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    # The basis lapsed: the status ended, the case closed, the appointment was cancelled or moved.
    NO_LONGER_VALID = "no_longer_valid"


STATUS_LABELS: dict[CertificateStatus, Promise] = {
    CertificateStatus.VALID: _("Valid"),
    CertificateStatus.EXPIRED: _("Expired"),
    CertificateStatus.NOT_YET_VALID: _("Not yet valid"),
    CertificateStatus.REVOKED: _("Revoked"),
    CertificateStatus.SUPERSEDED: _("Replaced by a newer document"),
    CertificateStatus.NO_LONGER_VALID: _("No longer valid"),
}

# The protection a case must give, by certificate kind. Complementary protection does not give a refugee
# certificate: a state whose law says otherwise would add it here through its rules, not by editing this line.
PROTECTION_REQUIRED: dict[str, str] = {
    "asylum_seeker_certificate": ASYLUM_SEEKER,
    "refugee_certificate": REFUGEE,
}

# Appointments still leading to the meeting: a held one keeps its slip until the day ends.
APPOINTMENT_STATUSES_KEEPING_SLIP = frozenset({"scheduled", "held"})


@dataclass(frozen=True)
class CertificateFacts:
    valid_from: date
    valid_until: date
    revoked: bool
    superseded: bool
    basis_holds: bool


def certificate_status(facts: CertificateFacts, *, today: date) -> CertificateStatus:
    """The one status shown; the order says the least about the holder first (expired before basis lapsed)."""
    if facts.revoked:
        return CertificateStatus.REVOKED
    if facts.superseded:
        return CertificateStatus.SUPERSEDED
    if today > facts.valid_until:
        return CertificateStatus.EXPIRED
    if today < facts.valid_from:
        return CertificateStatus.NOT_YET_VALID
    if not facts.basis_holds:
        return CertificateStatus.NO_LONGER_VALID
    return CertificateStatus.VALID


def case_basis_holds(kind: str, *, protection: str, person_on_case: bool) -> bool:
    """A case-based certificate holds while the case's stage gives the protection the kind needs."""
    return person_on_case and protection == PROTECTION_REQUIRED[kind]


def appointment_basis_holds(*, status: str, local_day: date, slip_day: date) -> bool:
    """A slip holds while its appointment is on and still on the day printed on it."""
    return status in APPOINTMENT_STATUSES_KEEPING_SLIP and local_day == slip_day
