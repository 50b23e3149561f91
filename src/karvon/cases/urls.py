"""Procedures pages under /cases/."""

from __future__ import annotations

from django.urls import path

from karvon.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("overview/", views.case_overview, name="overview"),
    path("calendar/", views.calendar, name="calendar"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<uuid:referral_uuid>/", views.referral_detail, name="referral"),
    path("referrals/<uuid:referral_uuid>/act/", views.referral_act, name="referral_act"),
    path("approvals/<int:approval_id>/decide/", views.approval_decide, name="approval_decide"),
    path("person/<uuid:person_uuid>/open/", views.case_open, name="open"),
    path("person/<uuid:person_uuid>/refer/", views.referral_new, name="refer"),
    path("person/<uuid:person_uuid>/panel/", views.person_panel, name="person_panel"),
    path("<uuid:case_uuid>/", views.case_detail, name="case"),
    path("<uuid:case_uuid>/step/", views.case_step, name="step"),
    path("<uuid:case_uuid>/assign/", views.case_assign, name="assign"),
]
