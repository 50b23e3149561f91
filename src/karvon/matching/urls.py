"""Duplicate review pages."""

from __future__ import annotations

from django.urls import path

from karvon.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("pairs/<int:candidate_id>/", views.pair, name="pair"),
    path("pairs/<int:candidate_id>/decide/", views.decide, name="decide"),
    path("merges/", views.merges, name="merges"),
    path("merges/<int:merge_id>/undo/", views.undo, name="undo"),
]
