"""App configuration for matching."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "karvon.matching"
    verbose_name = _("Matching")
