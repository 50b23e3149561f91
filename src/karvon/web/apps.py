"""App configuration for the web interface."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "karvon.web"
    verbose_name = "Web"

    def ready(self) -> None:
        from karvon.web import checks  # noqa: F401  (registers the system checks)
