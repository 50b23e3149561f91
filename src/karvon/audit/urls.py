"""Audit pages for data protection officers."""

from __future__ import annotations

from django.urls import path

from karvon.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_event_list, name="events"),
    path("export.csv", views.audit_event_export, name="export"),
]
