"""Users, agencies, offices, scoped role assignments and API tokens: fields and constraints only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from karvon.accounts.roles import ROLE_LABELS


class User(AbstractUser):
    """An official of the node; what they may see comes only from their role assignments."""

    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)


class AgencyKind(models.TextChoices):
    MIGRATION_SERVICE = "migration_service", _("Migration service")
    BORDER_SERVICE = "border_service", _("Border service")
    ASYLUM_AUTHORITY = "asylum_authority", _("Asylum authority")
    UNHCR = "unhcr", _("UNHCR")
    IOM = "iom", _("IOM")
    NGO = "ngo", _("Non-governmental organisation")
    OTHER = "other", _("Other")


class Agency(models.Model):
    state = models.CharField(_("state"), max_length=3)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfficeKind(models.TextChoices):
    CITY_OFFICE = "city_office", _("City office")
    BORDER_CROSSING_POINT = "border_crossing_point", _("Border crossing point")
    RECEPTION_CENTRE = "reception_centre", _("Reception centre")
    DETENTION_CENTRE = "detention_centre", _("Detention centre")
    HEADQUARTERS = "headquarters", _("Headquarters")


class Office(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="offices")
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OfficeKind.choices)
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Almaty")

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    """A role held in an office, or in a whole agency when office is empty, until an optional end date."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=40, choices=list(ROLE_LABELS.items()))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="role_assignments")
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="role_assignments", null=True, blank=True
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="role_assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.office or self.agency}"


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored, the secret is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
