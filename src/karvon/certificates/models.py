"""Certificates issued to people, and the counters that number them: fields and constraints only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from karvon.accounts.models import Office


class CertificateKind(models.TextChoices):
    ASYLUM_SEEKER = "asylum_seeker_certificate", _("Asylum-seeker certificate")
    REFUGEE = "refugee_certificate", _("Refugee certificate")
    REGISTRATION = "registration_confirmation", _("Registration confirmation")
    APPOINTMENT = "appointment_slip", _("Appointment slip")


class CertificateLanguage(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


# Kinds issued on a case; the other two are issued on a registration and an appointment.
CASE_KINDS = (CertificateKind.ASYLUM_SEEKER.value, CertificateKind.REFUGEE.value)


class Certificate(models.Model):
    """A document handed to a person; its QR code carries a secret of which only the SHA-256 is stored."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("document"), max_length=30, choices=CertificateKind.choices)
    number = models.CharField(_("number"), max_length=40, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="certificates")
    # The basis it was issued on: exactly the one that fits the kind (see the check constraint).
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="certificates", null=True, blank=True
    )
    appointment = models.ForeignKey(
        "cases.Appointment", on_delete=models.PROTECT, related_name="certificates", null=True, blank=True
    )
    registration = models.ForeignKey(
        "registry.Registration", on_delete=models.PROTECT, related_name="certificates", null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=2, choices=CertificateLanguage.choices)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="certificates")
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="supersedes", null=True, blank=True
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    # SHA-256 (hex) of the verification secret; the secret itself is derived again for a reprint.
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=CASE_KINDS,
                        case__isnull=False,
                        appointment__isnull=True,
                        registration__isnull=True,
                    )
                    | Q(
                        kind=CertificateKind.REGISTRATION,
                        registration__isnull=False,
                        case__isnull=True,
                        appointment__isnull=True,
                    )
                    | Q(
                        kind=CertificateKind.APPOINTMENT,
                        appointment__isnull=False,
                        case__isnull=True,
                        registration__isnull=True,
                    )
                ),
                name="certificate_basis_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="certificate_valid_range"
            ),
            models.CheckConstraint(
                condition=Q(language__in=[c.value for c in CertificateLanguage]),
                name="certificate_language_known",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True, revocation_reason="")
                | Q(revoked_at__isnull=False, revoked_by__isnull=False) & ~Q(revocation_reason=""),
                name="certificate_revocation_complete",
            ),
            # The issuing service marks the old one (superseded_at) before it inserts the new one it then links.
            models.CheckConstraint(
                condition=Q(superseded_by__isnull=True)
                | Q(superseded_at__isnull=False) & ~Q(superseded_by=F("id")),
                name="certificate_superseded_by_another",
            ),
            # One current document of a kind per person; slips are per appointment (a person may have several).
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(superseded_at__isnull=True, revoked_at__isnull=True)
                & ~Q(kind=CertificateKind.APPOINTMENT),
                name="certificate_one_current_per_kind",
            ),
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(
                    superseded_at__isnull=True, revoked_at__isnull=True, kind=CertificateKind.APPOINTMENT
                ),
                name="certificate_one_current_slip",
            ),
        ]
        indexes = [models.Index(fields=["person", "kind"], name="certificate_person_kind")]


class CertificateNumberSequence(models.Model):
    """The last number given per kind and year; incremented in the issuing transaction, so numbers never repeat."""

    kind = models.CharField(max_length=30, choices=CertificateKind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="certificate_sequence_once")]
