"""Public verification: genuine or not, the live status, nothing about the holder, audited without the person."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from karvon.audit.models import AuditEvent
from karvon.cases.models import Case
from karvon.certificates.selectors import certificate_verify
from karvon.certificates.services import certificate_issue, certificate_revoke
from karvon.certificates.tokens import verification_secret
from karvon.certificates.validity import CertificateStatus

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def verify(certificate, now=NOW):
    return certificate_verify(secret=verification_secret(certificate.uuid), now=now, ip_address="203.0.113.7")


def refugee_certificate(users, ctx_for, person, make_case, now=NOW):
    case = make_case(person, state="recognised")
    ctx = ctx_for(users["caseworker"], now)
    return case, certificate_issue(
        ctx=ctx, kind="refugee_certificate", person_uuid=person.uuid, language="ru", case_uuid=case.uuid
    )


def test_a_genuine_valid_certificate_verifies_as_valid(users, ctx_for, person, make_case):
    _case, certificate = refugee_certificate(users, ctx_for, person, make_case)
    result = verify(certificate)
    assert result.genuine and result.status == CertificateStatus.VALID
    assert result.number == certificate.number and result.valid_until == certificate.valid_until


def test_an_unknown_code_is_not_genuine_and_the_attempt_is_audited(db):
    assert not certificate_verify(secret="x" * 32, now=NOW, ip_address="203.0.113.7").genuine
    assert not certificate_verify(secret="", now=NOW, ip_address=None).genuine
    event = AuditEvent.objects.filter(action="certificate.verify").first()
    assert event.changes == {"genuine": False} and event.person_uuid is None


def test_a_verification_is_audited_as_a_certificate_event_without_the_person(
    users, ctx_for, person, make_case
):
    _case, certificate = refugee_certificate(users, ctx_for, person, make_case)
    verify(certificate)
    event = AuditEvent.objects.get(action="certificate.verify")
    assert event.object_type == "certificate" and event.object_id == str(certificate.uuid)
    assert event.person_uuid is None and event.actor is None and event.ip_address == "203.0.113.7"
    assert event.changes == {"genuine": True, "number": certificate.number, "status": "valid"}


def test_the_status_is_computed_live_when_refugee_status_ends(users, ctx_for, person, make_case):
    case, certificate = refugee_certificate(users, ctx_for, person, make_case)
    # The procedure's service moves the case; here the stage is set directly.
    Case.objects.filter(pk=case.pk).update(state="revoked")
    assert verify(certificate).status == CertificateStatus.NO_LONGER_VALID


def test_an_asylum_seeker_certificate_lapses_when_the_rejection_becomes_final(
    users, ctx_for, person, make_case
):
    case = make_case(person, state="rejected")
    ctx = ctx_for(users["caseworker"])
    certificate = certificate_issue(
        ctx=ctx, kind="asylum_seeker_certificate", person_uuid=person.uuid, language="en", case_uuid=case.uuid
    )
    assert verify(certificate).status == CertificateStatus.VALID
    Case.objects.filter(pk=case.pk).update(state="finally_rejected")
    assert verify(certificate).status == CertificateStatus.NO_LONGER_VALID


def test_a_slip_lapses_when_the_appointment_is_cancelled(users, ctx_for, person, make_appointment):
    appointment = make_appointment(person)
    certificate = certificate_issue(
        ctx=ctx_for(users["caseworker"]), kind="appointment_slip", person_uuid=person.uuid, language="ru",
        appointment_uuid=appointment.uuid,
    )  # fmt: skip
    assert verify(certificate).status == CertificateStatus.VALID
    appointment.status = "cancelled"
    appointment.save(update_fields=["status"])
    assert verify(certificate).status == CertificateStatus.NO_LONGER_VALID


def test_revoked_superseded_and_expired_certificates_say_so(users, ctx_for, person, make_case):
    _case, first = refugee_certificate(users, ctx_for, person, make_case)
    ctx = ctx_for(users["caseworker"])
    second = certificate_issue(
        ctx=ctx, kind="refugee_certificate", person_uuid=person.uuid, language="en", case_uuid=first.case.uuid
    )
    assert verify(first).status == CertificateStatus.SUPERSEDED
    assert verify(second, now=NOW + timedelta(days=400)).status == CertificateStatus.EXPIRED
    certificate_revoke(ctx=ctx, certificate_uuid=second.uuid, reason="Obtained by fraud")
    assert verify(second).status == CertificateStatus.REVOKED


def test_the_page_shows_status_number_and_kind_and_no_personal_data(users, ctx_for, person, make_case):
    _case, certificate = refugee_certificate(users, ctx_for, person, make_case, now=timezone.now())
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/verify/{verification_secret(certificate.uuid)}")
    assert response.status_code == 200
    html = response.content.decode()
    assert certificate.number in html and "Refugee certificate" in html and "Valid" in html
    for private in (
        "Фаррух",
        "Саидов",
        "SAIDOV",
        "Рустамович",
        "سعیدوف",
        "1990",
        "12.03",
        str(person.uuid),
        "Almaty office",
    ):
        assert private not in html
    # An anonymous visitor sees none of the staff navigation.
    assert "/registry/" not in html and "Audit" not in html
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "no-referrer"


def test_the_page_speaks_russian(users, ctx_for, person, make_case):
    _case, certificate = refugee_certificate(users, ctx_for, person, make_case, now=timezone.now())
    response = Client().get(f"/verify/{verification_secret(certificate.uuid)}", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200 and '<html lang="ru">' in response.content.decode()


def test_a_forged_code_gets_a_not_genuine_page(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert response.status_code == 404
    assert "No document with this code" in response.content.decode()


def test_the_json_variant_answers_machines(users, ctx_for, person, make_case):
    _case, certificate = refugee_certificate(users, ctx_for, person, make_case, now=timezone.now())
    response = Client().get(f"/verify/{verification_secret(certificate.uuid)}.json")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body == {
        "genuine": True,
        "kind": "refugee_certificate",
        "number": certificate.number,
        "valid_until": certificate.valid_until.isoformat(),
        "status": "valid",
        "valid": True,
        "throttled": False,
    }
    assert Client().get("/verify/nothing-here.json").json() == {
        "genuine": False, "kind": None, "number": None, "valid_until": None, "status": None, "valid": False,
        "throttled": False,
    }  # fmt: skip


def test_the_api_verifies_without_a_token(users, ctx_for, person, make_case):
    _case, certificate = refugee_certificate(users, ctx_for, person, make_case, now=timezone.now())
    response = Client().get(f"/api/v1/certificates/verify/{verification_secret(certificate.uuid)}")
    assert response.status_code == 200
    assert response.json()["status"] == "valid" and response.json()["number"] == certificate.number
    assert set(response.json()) == {
        "genuine",
        "kind",
        "number",
        "valid_until",
        "status",
        "valid",
        "throttled",
    }


def test_an_address_sending_many_codes_that_are_not_genuine_is_made_to_wait(
    users, ctx_for, person, make_case
):
    from karvon.certificates.selectors import VERIFY_MISSES_PER_ADDRESS, VERIFY_WINDOW

    _case, certificate = refugee_certificate(users, ctx_for, person, make_case)
    for number in range(VERIFY_MISSES_PER_ADDRESS):
        guess = certificate_verify(secret=f"guess{number:027d}", now=NOW, ip_address="203.0.113.7")
        assert not guess.genuine and not guess.throttled
    # Now even a genuine code is not looked up from that address, and the refusal is audited ...
    refused = verify(certificate, now=NOW + timedelta(minutes=1))
    assert refused.throttled and not refused.genuine and refused.number == ""
    assert AuditEvent.objects.filter(action="certificate.verify", changes__throttled=True).count() == 1
    # ... while another address is answered, and so is this one once the guesses have aged out of the window.
    other = certificate_verify(
        secret=verification_secret(certificate.uuid),
        now=NOW + timedelta(minutes=1),
        ip_address="198.51.100.9",
    )
    assert other.genuine
    assert verify(certificate, now=NOW + VERIFY_WINDOW + timedelta(minutes=2)).genuine


def test_a_throttled_address_is_told_so_on_the_page_the_json_and_the_api(db, settings):
    from karvon.certificates.selectors import VERIFY_MISSES_PER_ADDRESS

    for number in range(VERIFY_MISSES_PER_ADDRESS):
        certificate_verify(secret=f"guess{number:027d}", now=timezone.now(), ip_address="127.0.0.1")
    page = Client(HTTP_ACCEPT_LANGUAGE="ru").get("/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert page.status_code == 429
    assert "Подождите десять минут" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    answer = Client().get("/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.json")
    assert answer.status_code == 429 and answer.json()["throttled"] is True
    api = Client().get("/api/v1/certificates/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert api.status_code == 429 and api.json()["throttled"] is True and api.json()["genuine"] is False
