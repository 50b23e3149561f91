"""URL routes: the web pages, the REST API under /api/v1/ and the language switch."""

from __future__ import annotations

from django.urls import include, path

from karvon.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("karvon.accounts.urls")),
    path("", include("karvon.web.urls")),
    path("registry/", include("karvon.registry.urls")),
    path("audit/", include("karvon.audit.urls")),
    path("duplicates/", include("karvon.matching.urls")),
    path("statistics/", include("karvon.statistics.urls")),
    path("cases/", include("karvon.cases.urls")),
    path("presence/", include("karvon.presence.urls")),
    path("certificates/", include("karvon.certificates.urls")),
    # Public, no login: the address printed in every certificate's QR code.
    path("verify/", include("karvon.certificates.verify_urls")),
]

handler404 = "karvon.web.views.page_not_found"
