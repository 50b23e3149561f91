"""App configuration for presence."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresenceConfig(AppConfig):
    name = "karvon.presence"
    verbose_name = _("Presence")
