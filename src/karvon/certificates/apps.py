"""App configuration for certificates."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "karvon.certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from karvon.certificates import checks  # noqa: F401  (registers the system checks)
