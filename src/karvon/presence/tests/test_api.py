"""The presence API: the same rules as the services — 201 with the record, 422 field by field, 404 outside scope."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from karvon.accounts.services import api_token_issue
from karvon.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def client_for(user, now, language: str = "en") -> Client:
    issued = api_token_issue(user=user, name="test", now=now, valid_days=30)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}", HTTP_ACCEPT_LANGUAGE=language)


def post(client: Client, path: str, payload: object):
    return client.post(path, data=json.dumps(payload), content_type="application/json")


def entry_payload(node, **overrides):
    return {
        "direction": "entry",
        "crossed_on": "2026-11-18",
        "office_id": node["almaty"].pk,
        "crossing_point_id": node["bcp"].pk,
        "document_type": "passport",
        "document_number": "400123456",
        "document_state": "tjk",
        "purpose": "work",
        **overrides,
    }


def test_a_migrant_worker_from_entry_to_stay_registration_and_overstay_warning(worker, users, node, now):
    client = client_for(users["officer"], now)
    base = f"/api/v1/presence/persons/{worker.uuid}"
    response = post(client, f"{base}/movements", entry_payload(node, crossed_on="2026-11-26"))
    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["document_state"] == "TJK"
    detail = client.get(base).json()
    assert detail["registration_missed"] is False and detail["registration_due_on"] == "2026-11-29"
    response = post(
        client,
        f"{base}/stays",
        {
            "entry_id": entry["id"],
            "registered_on": "2026-11-27",
            "address": "Абая 10",
            "region": "kz-75",
            "registered_until": "2026-12-01",
            "office_id": node["almaty"].pk,
        },
    )
    assert response.status_code == 201, response.content
    warnings = client.get("/api/v1/presence/overstay-warnings", {"within_days": 3}).json()
    assert warnings["total"] == 0
    # The visa-free period (to 23.02.2027) outlasts the registration.
    assert client.get(base).json()["lawful_until"] == "2027-02-23"
    counts = client_for(users["supervisor"], now).get("/api/v1/presence/counts").json()
    assert counts["total_present"] == 1 and counts["by_status"][0]["status"] == "registered_stay"
    assert counts["by_status"][0]["label"] == "Registered stay"


def test_bad_input_gives_422_field_by_field_in_the_users_language(worker, users, node, now):
    client = client_for(users["officer"], now, language="ru")
    base = f"/api/v1/presence/persons/{worker.uuid}"
    response = post(
        client,
        f"{base}/permits",
        {
            "permit_type": "work_permit",
            "number": "1",
            "valid_from": "2026-11-01",
            "valid_until": "2026-10-01",
            "office_id": node["almaty"].pk,
        },
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["field"], error["code"]) == ("valid_until", "ends_before_start")
    response = post(
        client, f"{base}/movements", entry_payload(node, crossed_on="2030-01-01", purpose="holiday")
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "purpose"
    response = post(
        client,
        f"{base}/addresses",
        {"address": "x", "region": "KZ-ALA", "lived_from": "2026-11-01", "office_id": node["almaty"].pk},
    )
    assert response.status_code == 422 and response.json()["detail"][0]["code"] == "unknown_region"


def test_outside_scope_everything_is_404(worker, users, node, now):
    client_for(users["officer"], now)
    post(
        client_for(users["officer"], now),
        f"/api/v1/presence/persons/{worker.uuid}/movements",
        entry_payload(node),
    )
    for role in ("other_officer", "statistician", "dpo", "administrator"):
        client = client_for(users[role], now)
        base = f"/api/v1/presence/persons/{worker.uuid}"
        assert client.get(base).status_code == 404, role
        assert post(
            client, f"{base}/movements", entry_payload(node, direction="exit", purpose="")
        ).status_code in (404, 422)
    for role in ("statistician", "dpo", "administrator"):
        assert client_for(users[role], now).get("/api/v1/presence/overstays").status_code == 404
    other = client_for(users["other_officer"], now)
    assert other.get("/api/v1/presence/overstays", {"office_id": node["almaty"].pk}).status_code == 404
    assert AuditEvent.objects.filter(action="presence.exit").count() == 0


def test_permits_are_extended_and_revoked_through_the_api(worker, users, node, now):
    client = client_for(users["officer"], now)
    permit = post(
        client,
        f"/api/v1/presence/persons/{worker.uuid}/permits",
        {
            "permit_type": "work_permit",
            "number": "wp-1",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "office_id": node["almaty"].pk,
        },
    ).json()
    response = post(
        client,
        f"/api/v1/presence/permits/{permit['id']}/extension",
        {
            "number": "WP-2",
            "valid_from": "2027-01-01",
            "valid_until": "2027-12-31",
            "office_id": node["almaty"].pk,
        },
    )
    assert response.status_code == 201 and response.json()["extends_id"] == permit["id"]
    response = post(
        client,
        f"/api/v1/presence/permits/{permit['id']}/revocation",
        {"revoked_on": "2026-11-28", "reason": "fraud"},
    )
    assert response.status_code == 200 and response.json()["revoked_on"] == "2026-11-28"
    detail = client.get(f"/api/v1/presence/persons/{worker.uuid}").json()
    assert [p["number"] for p in detail["permits"]] == ["WP-2", "WP-1"]
    assert (
        client_for(users["other_officer"], now)
        .post(
            f"/api/v1/presence/permits/{permit['id']}/revocation",
            data=json.dumps({"revoked_on": "2026-11-28", "reason": "x"}),
            content_type="application/json",
        )
        .status_code
        == 404
    )
