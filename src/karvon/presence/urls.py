"""Presence pages."""

from __future__ import annotations

from django.urls import path

from karvon.presence import views

app_name = "presence"
urlpatterns = [
    path("", views.present_now, name="present_now"),
    path("missed-registrations/", views.missed_registrations, name="missed_registrations"),
    path("overstays/", views.overstays, name="overstays"),
    path("overstay-warnings/", views.overstay_warnings, name="overstay_warnings"),
    path("person/<uuid:person_uuid>/", views.person_presence, name="person"),
    path("person/<uuid:person_uuid>/panel", views.person_panel, name="panel"),
    path("person/<uuid:person_uuid>/movements/", views.movement_new, name="movement_new"),
    path("person/<uuid:person_uuid>/stays/", views.stay_new, name="stay_new"),
    path("person/<uuid:person_uuid>/permits/", views.permit_new, name="permit_new"),
    path(
        "person/<uuid:person_uuid>/permits/<int:permit_id>/extend/", views.permit_extend, name="permit_extend"
    ),
    path(
        "person/<uuid:person_uuid>/permits/<int:permit_id>/revoke/", views.permit_revoke, name="permit_revoke"
    ),
    path("person/<uuid:person_uuid>/addresses/", views.address_new, name="address_new"),
]
