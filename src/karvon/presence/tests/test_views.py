"""The presence pages: the htmx panel with its forms, present-now counts and the lists, scoped (404 outside)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from karvon.presence.models import Movement, Permit

pytestmark = pytest.mark.django_db

ALL_ROLES = ["officer", "other_officer", "caseworker", "supervisor", "statistician", "dpo", "administrator"]
SEES_ALMATY = {"officer", "caseworker", "supervisor"}


def login(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_panel_as_every_role(worker, users, role):
    client = login(users[role])
    for url in (f"/presence/person/{worker.uuid}/panel", f"/presence/person/{worker.uuid}/"):
        response = client.get(url)
        assert response.status_code == (200 if role in SEES_ALMATY else 404), (role, url)
    panel = client.get(f"/presence/person/{worker.uuid}/panel")
    if role in SEES_ALMATY:
        body = panel.content.decode()
        assert body.startswith('<div id="presence-panel"') and "<html" not in body
        assert "Record an entry or exit" in body


@pytest.mark.parametrize("role", ALL_ROLES)
def test_present_now_and_the_lists_as_every_role(users, role):
    client = login(users[role])
    for url in (
        "/presence/",
        "/presence/missed-registrations/",
        "/presence/overstays/",
        "/presence/overstay-warnings/",
    ):
        expected = 404 if role in {"statistician", "dpo", "administrator"} else 200
        assert client.get(url).status_code == expected, (role, url)


def test_an_entry_posted_with_htmx_comes_back_as_the_panel(worker, users, node):
    client = login(users["officer"], "ru")
    data = {
        "mv-direction": "entry",
        "mv-crossed_on": "18.11.2026",
        "mv-crossing_point": str(node["bcp"].pk),
        "mv-document": str(worker.documents.get().pk),
        "mv-purpose": "work",
        "mv-office": str(node["almaty"].pk),
    }
    response = client.post(f"/presence/person/{worker.uuid}/movements/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 303 and response["Location"] == f"/presence/person/{worker.uuid}/panel"
    response = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="presence-panel"') and "18.11.2026" in body
    assert Movement.objects.filter(person=worker).count() == 1


def test_a_form_with_errors_keeps_them_on_the_fields(worker, users, node):
    client = login(users["officer"])
    data = {
        "pm-permit_type": "work_permit",
        "pm-number": "WP-1",
        "pm-valid_from": "01.11.2026",
        "pm-valid_until": "01.10.2026",
        "pm-office": str(node["almaty"].pk),
    }
    response = client.post(f"/presence/person/{worker.uuid}/permits/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps 2xx only
    assert "The permit ends before it starts." in response.content.decode()
    response = client.post(f"/presence/person/{worker.uuid}/permits/", data)
    assert response.status_code == 422 and "<html" in response.content.decode()
    assert not Permit.objects.exists()


def test_others_cannot_post(worker, users, node):
    data = {
        "ad-address": "x",
        "ad-region": "KZ-75",
        "ad-lived_from": "01.11.2026",
        "ad-office": str(node["almaty"].pk),
    }
    assert (
        login(users["other_officer"]).post(f"/presence/person/{worker.uuid}/addresses/", data).status_code
        == 404
    )


def test_the_overstay_list_shows_the_person_with_a_link(worker, users, entry_of):
    entry_of(worker, date(2026, 1, 1))
    body = login(users["supervisor"]).get("/presence/overstays/").content.decode()
    assert "Саидов" in body and f"/registry/persons/{worker.uuid}/" in body
    body = login(users["supervisor"], "ru").get("/presence/").content.decode()
    assert "/presence/overstays/" in body
