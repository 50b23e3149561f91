"""System checks: a production node must print QR codes that reach it, under a key of its own."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

from karvon.certificates.tokens import public_base_url


@register()
def certificate_settings_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.DEBUG:
        return []
    warnings: list[Warning] = []
    if not public_base_url().startswith("https://"):
        warnings.append(
            Warning(
                f"KARVON_PUBLIC_URL is {public_base_url()!r}: printed QR codes will point there.",
                hint="Set KARVON_PUBLIC_URL to the node's public https address before issuing certificates.",
                id="karvon.W300",
            )
        )
    if not getattr(settings, "KARVON_CERTIFICATE_KEY", ""):
        warnings.append(
            Warning(
                "KARVON_CERTIFICATE_KEY is not set: certificate codes are derived from SECRET_KEY.",
                hint="Set KARVON_CERTIFICATE_KEY once and keep it; rotating SECRET_KEY then leaves reprints working.",
                id="karvon.W301",
            )
        )
    return warnings
