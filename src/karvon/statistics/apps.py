"""App configuration for statistics."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "karvon.statistics"
    verbose_name = _("Statistics")
