"""The status a certificate verifies with, from plain facts."""

from __future__ import annotations

from datetime import date

import pytest

from karvon.certificates.validity import (
    CertificateFacts,
    CertificateStatus,
    appointment_basis_holds,
    case_basis_holds,
    certificate_status,
)

TODAY = date(2026, 11, 28)


def facts(**overrides):
    values = {
        "valid_from": date(2026, 11, 1),
        "valid_until": date(2026, 12, 31),
        "revoked": False,
        "superseded": False,
        "basis_holds": True,
    }
    values.update(overrides)
    return CertificateFacts(**values)


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({}, CertificateStatus.VALID),
        ({"valid_until": TODAY}, CertificateStatus.VALID),
        ({"valid_until": date(2026, 11, 27)}, CertificateStatus.EXPIRED),
        ({"valid_from": date(2026, 11, 29)}, CertificateStatus.NOT_YET_VALID),
        ({"basis_holds": False}, CertificateStatus.NO_LONGER_VALID),
        ({"superseded": True, "basis_holds": False}, CertificateStatus.SUPERSEDED),
        ({"revoked": True, "superseded": True}, CertificateStatus.REVOKED),
        # Expired says less about the holder than "no longer valid": it wins.
        ({"valid_until": date(2026, 11, 1), "basis_holds": False}, CertificateStatus.EXPIRED),
    ],
)
def test_the_status_follows_revocation_supersession_dates_then_basis(overrides, status):
    assert certificate_status(facts(**overrides), today=TODAY) == status


def test_a_case_basis_needs_the_exact_protection_and_the_person_on_the_case():
    assert case_basis_holds("refugee_certificate", protection="refugee", person_on_case=True)
    assert not case_basis_holds(
        "refugee_certificate", protection="complementary_protection", person_on_case=True
    )
    assert not case_basis_holds("refugee_certificate", protection="refugee", person_on_case=False)
    assert case_basis_holds("asylum_seeker_certificate", protection="asylum_seeker", person_on_case=True)
    assert not case_basis_holds("asylum_seeker_certificate", protection="", person_on_case=True)


def test_a_slip_lapses_when_the_appointment_is_cancelled_missed_or_moved():
    day = date(2026, 12, 3)
    assert appointment_basis_holds(status="scheduled", local_day=day, slip_day=day)
    assert appointment_basis_holds(status="held", local_day=day, slip_day=day)
    assert not appointment_basis_holds(status="cancelled", local_day=day, slip_day=day)
    assert not appointment_basis_holds(status="missed", local_day=day, slip_day=day)
    assert not appointment_basis_holds(status="scheduled", local_day=date(2026, 12, 4), slip_day=day)


def test_a_production_node_is_warned_about_the_public_address_and_the_key(settings):
    from karvon.certificates.checks import certificate_settings_check

    settings.DEBUG = False
    settings.KARVON_PUBLIC_URL = "http://127.0.0.1:8000"
    settings.KARVON_CERTIFICATE_KEY = ""
    assert {w.id for w in certificate_settings_check(None)} == {"karvon.W300", "karvon.W301"}
    settings.KARVON_PUBLIC_URL = "https://migration.example.kz"
    settings.KARVON_CERTIFICATE_KEY = "k" * 50
    assert certificate_settings_check(None) == []
    settings.DEBUG = True
    settings.KARVON_PUBLIC_URL = "http://127.0.0.1:8000"
    assert certificate_settings_check(None) == []
