"""Statistics pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from karvon.statistics import views

app_name = "statistics"
urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("report.pdf", views.report, name="report"),
    path("download/<slug:dataset>.<str:fmt>", views.download, name="download"),
]
