"""Staff pages of certificates (mounted under /certificates/): the person's panel, issuing, revoking, the PDF."""

from __future__ import annotations

from django.urls import path

from karvon.certificates import views

app_name = "certificates"
urlpatterns = [
    path("person/<uuid:person_uuid>/panel", views.person_panel, name="panel"),
    path("person/<uuid:person_uuid>/issue", views.certificate_issue, name="issue"),
    path("<uuid:certificate_uuid>/revoke", views.certificate_revoke, name="revoke"),
    path("<uuid:certificate_uuid>/pdf", views.certificate_pdf, name="pdf"),
]
