"""Staff pages: the person's panel, issuing and revoking through htmx, the PDF; out of scope is 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from karvon.audit.models import AuditEvent
from karvon.certificates.models import Certificate
from karvon.certificates.services import certificate_issue
from karvon.certificates.tokens import verification_secret

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_panel_lists_certificates_and_offers_the_bases(users, person, make_case, ctx_for):
    case = make_case(person, state="recognised")
    certificate_issue(
        ctx=ctx_for(users["caseworker"], timezone.now()), kind="refugee_certificate", person_uuid=person.uuid,
        language="ru", case_uuid=case.uuid,
    )  # fmt: skip
    response = logged_in(users["caseworker"]).get(f"/certificates/person/{person.uuid}/panel", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "KAZ-RC-" in html and "Refugee certificate" in html and "Valid" in html
    assert f'value="case:{case.uuid}"' in html and "Registrations" in html
    assert AuditEvent.objects.filter(action="certificate.list", person_uuid=person.uuid).exists()


def test_issuing_through_the_panel_returns_the_panel_with_the_new_number(users, person):
    registration = person.registrations.get()
    client = logged_in(users["officer"])
    response = client.post(
        f"/certificates/person/{person.uuid}/issue",
        {"kind": "registration_confirmation", "basis": f"registration:{registration.uuid}", "language": "en"},
        **HTMX,
    )
    assert response.status_code == 200
    certificate = Certificate.objects.get()
    assert certificate.number in response.content.decode() and "Issued" in response.content.decode()


def test_a_refused_issue_comes_back_with_the_error_on_the_basis(users, person, make_case):
    case = make_case(person, state="finally_rejected")
    response = logged_in(users["caseworker"]).post(
        f"/certificates/person/{person.uuid}/issue",
        {"kind": "refugee_certificate", "basis": "", "language": "ru"},
        **HTMX,
    )
    assert response.status_code == 200 and not Certificate.objects.exists()
    assert "Choose the asylum case" in response.content.decode()
    assert case.reference not in response.content.decode()  # a closed case is offered for no document


def test_without_htmx_issuing_goes_back_to_the_person_page(users, person):
    response = logged_in(users["officer"]).post(
        f"/certificates/person/{person.uuid}/issue",
        {"kind": "registration_confirmation", "basis": "", "language": "ru"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/registry/persons/{person.uuid}/")


def test_revoking_through_the_panel(users, person, ctx_for):
    certificate = certificate_issue(
        ctx=ctx_for(users["officer"], timezone.now()), kind="registration_confirmation", person_uuid=person.uuid,
        language="ru",
    )  # fmt: skip
    client = logged_in(users["officer"])
    response = client.post(f"/certificates/{certificate.uuid}/revoke", {"reason": ""}, **HTMX)
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(f"/certificates/{certificate.uuid}/revoke", {"reason": "Misprint"}, **HTMX)
    assert response.status_code == 200 and "Revoked" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Misprint"


def test_the_pdf_is_served_to_who_may_issue_and_audited_as_a_print(users, person, ctx_for):
    certificate = certificate_issue(
        ctx=ctx_for(users["officer"], timezone.now()), kind="registration_confirmation", person_uuid=person.uuid,
        language="ru",
    )  # fmt: skip
    response = logged_in(users["caseworker"]).get(f"/certificates/{certificate.uuid}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response.content.startswith(b"%PDF")
        and verification_secret(certificate.uuid).encode() in response.content
    )
    assert certificate.number in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="certificate.print")
    assert event.person_uuid == person.uuid and event.actor == users["caseworker"]


def test_another_offices_user_gets_404_everywhere(users, person, ctx_for):
    certificate = certificate_issue(
        ctx=ctx_for(users["officer"], timezone.now()), kind="registration_confirmation", person_uuid=person.uuid,
        language="ru",
    )  # fmt: skip
    client = logged_in(users["other_officer"])
    assert client.get(f"/certificates/person/{person.uuid}/panel", **HTMX).status_code == 404
    assert client.get(f"/certificates/{certificate.uuid}/pdf").status_code == 404
    assert client.post(f"/certificates/{certificate.uuid}/revoke", {"reason": "x"}, **HTMX).status_code == 404
    response = client.post(
        f"/certificates/person/{person.uuid}/issue",
        {"kind": "registration_confirmation", "language": "ru"},
        **HTMX,
    )
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None and Certificate.objects.count() == 1


def test_a_statistician_sees_no_panel(users, person):
    assert (
        logged_in(users["statistician"]).get(f"/certificates/person/{person.uuid}/panel", **HTMX).status_code
        == 404
    )


def test_anonymous_users_are_sent_to_log_in(person):
    response = Client().get(f"/certificates/person/{person.uuid}/panel")
    assert response.status_code == 302 and "login" in response["Location"]
