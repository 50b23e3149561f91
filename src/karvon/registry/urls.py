"""Registry pages."""

from __future__ import annotations

from django.urls import path

from karvon.registry import views

app_name = "registry"
urlpatterns = [
    path("persons/", views.person_list, name="persons"),
    path("persons/<uuid:person_uuid>/", views.person_detail, name="person"),
    path("persons/<uuid:person_uuid>/edit/", views.person_edit, name="person_edit"),
    path("persons/<uuid:person_uuid>/profile/", views.profile_new, name="profile_new"),
    path("persons/<uuid:person_uuid>/photo/", views.person_photo, name="person_photo"),
    path("persons/<uuid:person_uuid>/photo/upload/", views.person_photo_upload, name="person_photo_upload"),
    path("persons/<uuid:person_uuid>/household/", views.household_move, name="household_move"),
    path("register/", views.register, name="register"),
    path("similar/", views.person_similar, name="similar"),
    path("households/<uuid:household_uuid>/", views.household_detail, name="household"),
    path("households/<uuid:household_uuid>/members/add/", views.household_member_add, name="member_add"),
    path("referrals/<int:referral_id>/decide/", views.referral_decide, name="referral_decide"),
]
