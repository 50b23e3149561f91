"""App configuration for the registry."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "karvon.registry"
    verbose_name = _("Registry")
