"""The public verification routes (mounted at /verify/, no login): the address a certificate's QR code holds."""

from __future__ import annotations

from django.urls import path

from karvon.certificates import views

app_name = "verify"
# A secret is URL-safe base64, which is exactly what the slug converter matches.
urlpatterns = [
    path("<slug:secret>.json", views.verify_json, name="json"),
    path("<slug:secret>", views.verify_page, name="page"),
]
