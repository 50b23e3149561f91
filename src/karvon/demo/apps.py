"""App configuration for the demo data."""

from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "karvon.demo"
    verbose_name = "Demo data"
