"""Audit events: append-only (database triggers refuse UPDATE and DELETE on both SQLite and PostgreSQL)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    # The username is copied so the trail stays readable if an account is renamed.
    # No index of its own: audit_actor_time (actor, occurred_at) serves every lookup by actor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    actor_username = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    object_type = models.CharField(_("record type"), max_length=40)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    # The person concerned, so a data protection officer can answer "who saw this person's file".
    person_uuid = models.UUIDField(_("person"), null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    changes = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time"),
            # What the throttles count (accounts.sign_in, certificates.selectors.certificate_verify): recent failed
            # sign-ins by name and by address, recent certificate checks by address. Partial, so that the many
            # other events (every registration and search writes some) add no entries to them.
            models.Index(
                fields=["actor_username", "occurred_at"],
                name="audit_sign_in_failures",
                condition=Q(action="user.sign_in_failed"),
            ),
            models.Index(
                fields=["ip_address", "occurred_at"],
                name="audit_throttled_by_address",
                condition=Q(action__in=["user.sign_in_failed", "certificate.verify"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"
