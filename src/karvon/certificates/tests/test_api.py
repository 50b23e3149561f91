"""The certificates API: the same rules as the pages — scoped (404), validated field by field (422), audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from karvon.accounts.services import api_token_issue
from karvon.audit.models import AuditEvent
from karvon.certificates.models import Certificate

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    issued = api_token_issue(user=user, name="test", now=timezone.now(), valid_days=30)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}", HTTP_ACCEPT_LANGUAGE="en")


def test_issuing_returns_the_certificate_and_its_verification_address(users, person, make_case):
    case = make_case(person, state="recognised")
    response = client_for(users["caseworker"]).post(
        "/api/v1/certificates/",
        {
            "kind": "refugee_certificate",
            "person_uuid": str(person.uuid),
            "case_uuid": str(case.uuid),
            "language": "en",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["number"].startswith("KAZ-RC-") and body["status"] == "valid" and body["basis"] == case.reference
    )
    assert body["verification_url"].startswith("http://127.0.0.1:8000/verify/")
    verified = Client().get(body["verification_url"].removeprefix("http://127.0.0.1:8000") + ".json").json()
    assert verified["genuine"] and verified["number"] == body["number"]


def test_a_refused_basis_is_a_422_naming_the_field(users, person, make_case):
    case = make_case(person, state="complementary_protection")
    response = client_for(users["caseworker"]).post(
        "/api/v1/certificates/",
        {
            "kind": "refugee_certificate",
            "person_uuid": str(person.uuid),
            "case_uuid": str(case.uuid),
            "language": "ru",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "case_uuid"
    assert response.json()["detail"][0]["code"] == "no_protection"


def test_listing_printing_and_revoking(users, person):
    client = client_for(users["officer"])
    issued = client.post(
        "/api/v1/certificates/",
        {"kind": "registration_confirmation", "person_uuid": str(person.uuid), "language": "ru"},
        content_type="application/json",
    ).json()
    listed = client.get(f"/api/v1/certificates/persons/{person.uuid}").json()
    assert [c["number"] for c in listed] == [issued["number"]] and "verification_url" not in listed[0]
    pdf = client.get(f"/api/v1/certificates/{issued['uuid']}/pdf")
    assert (
        pdf.status_code == 200
        and pdf.content.startswith(b"%PDF")
        and pdf["Content-Type"] == "application/pdf"
    )
    revoked = client.post(
        f"/api/v1/certificates/{issued['uuid']}/revoke", {"reason": "Lost"}, content_type="application/json"
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert set(AuditEvent.objects.filter(person_uuid=person.uuid).values_list("action", flat=True)) >= {
        "certificate.issue", "certificate.list", "certificate.print", "certificate.revoke",
    }  # fmt: skip


def test_another_offices_user_gets_404(users, person):
    issued = (
        client_for(users["officer"])
        .post(
            "/api/v1/certificates/",
            {"kind": "registration_confirmation", "person_uuid": str(person.uuid), "language": "ru"},
            content_type="application/json",
        )
        .json()
    )
    client = client_for(users["other_officer"])
    assert client.get(f"/api/v1/certificates/persons/{person.uuid}").status_code == 404
    assert client.get(f"/api/v1/certificates/{issued['uuid']}/pdf").status_code == 404
    response = client.post(
        f"/api/v1/certificates/{issued['uuid']}/revoke", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/certificates/",
        {"kind": "registration_confirmation", "person_uuid": str(person.uuid), "language": "ru"},
        content_type="application/json",
    )
    assert response.status_code == 404 and Certificate.objects.count() == 1


def test_a_token_is_needed_except_to_verify(person):
    assert Client().get(f"/api/v1/certificates/persons/{person.uuid}").status_code == 401
    assert Client().get("/api/v1/certificates/verify/unknown").json()["genuine"] is False


def test_an_expired_token_is_refused(users, person):
    issued = api_token_issue(
        user=users["officer"], name="t", now=timezone.now() - timedelta(days=40), valid_days=30
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert client.get(f"/api/v1/certificates/persons/{person.uuid}").status_code == 401
