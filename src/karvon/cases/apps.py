"""App configuration for the procedures (cases)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "karvon.cases"
    verbose_name = _("Procedures")
