"""App configuration for audit."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "karvon.audit"
    verbose_name = _("Audit")
