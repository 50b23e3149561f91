"""Typed outputs of the certificates' domain calls: what a PDF prints, what a verification says."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from karvon.certificates.models import CertificateKind
from karvon.certificates.validity import STATUS_LABELS, CertificateStatus


@dataclass(frozen=True)
class NameSpelling:
    part: str  # given, family, patronymic
    text: str
    script: str  # Cyrl, Latn, Arab
    is_primary: bool


@dataclass(frozen=True)
class CertificateDocument:
    """Everything printed on one certificate, in plain values: the PDF layout reads nothing else."""

    kind: str
    language: str
    number: str
    state_code: str
    authority: str
    office: str
    names: tuple[NameSpelling, ...]
    birth_date: date | None
    birth_date_precision: str
    sex: str
    nationalities: tuple[str, ...]
    photo: bytes | None
    valid_from: date
    valid_until: date
    issued_on: date
    issued_by: str
    verification_url: str
    status: CertificateStatus
    case_reference: str = ""
    registered_on: date | None = None
    registered_at: str = ""
    # In the office's own time zone, with its name.
    appointment_at: datetime | None = None
    appointment_zone: str = ""
    appointment_place: str = ""
    appointment_kind: str = ""


@dataclass(frozen=True)
class Verification:
    """What the public verification page may say: nothing about the holder. `throttled`: too many codes that were
    not genuine came from the asker's address lately, so this one was not looked up."""

    genuine: bool
    kind: str = ""
    number: str = ""
    valid_until: date | None = None
    status: CertificateStatus | None = None
    throttled: bool = False

    @property
    def kind_label(self) -> str:
        return str(CertificateKind(self.kind).label) if self.kind else ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status]) if self.status else ""


@dataclass(frozen=True)
class CertificateRow:
    """One certificate as a person's list shows it to staff."""

    uuid: uuid.UUID
    kind: str
    number: str
    language: str
    issued_at: datetime
    issued_by: str
    office: str
    valid_from: date
    valid_until: date
    status: CertificateStatus
    basis: str
    revocation_reason: str

    @property
    def kind_label(self) -> str:
        return str(CertificateKind(self.kind).label)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class BasisChoice:
    """A case, appointment or registration a certificate could be issued on, for the issue form."""

    kind: str
    uuid: uuid.UUID
    label: str


@dataclass(frozen=True)
class CertificatePanel:
    person_uuid: uuid.UUID
    certificates: list[CertificateRow]
    can_issue: bool
    bases: list[BasisChoice]
