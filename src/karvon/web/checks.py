"""System checks: refuse to run a production node with demo secrets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register()
def demo_secret_key_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if not settings.DEBUG and settings.SECRET_KEY.startswith("insecure-demo-key"):
        return [
            Warning(
                "KARVON_SECRET_KEY is the demo key while DEBUG is off.",
                hint="Set KARVON_SECRET_KEY to a long random value.",
                id="karvon.W001",
            )
        ]
    return []
