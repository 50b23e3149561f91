"""The printed certificate: a one-page PDF with the holder, the photo and the QR code's address; reprints match."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from PIL import Image

from karvon.audit.models import AuditEvent
from karvon.certificates.selectors import certificate_pdf
from karvon.certificates.services import certificate_issue
from karvon.certificates.tokens import verification_secret, verification_url
from karvon.registry.contracts import UnableToValidate
from karvon.registry.services import person_photo_set

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def pdf_text(content: bytes) -> str | None:
    """The text poppler reads from the PDF, or None where poppler-utils is not installed."""
    executable = shutil.which("pdftotext")
    if executable is None:
        return None
    return subprocess.run(
        [executable, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def photographed(person, users, ctx_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (70, 90), (120, 140, 160)).save(image, "PNG")
    person_photo_set(ctx=ctx_for(users["officer"]), person_uuid=person.uuid, content=image.getvalue())
    return person


def test_a_certificate_prints_as_pdf_with_the_verification_address(users, ctx_for, photographed, make_case):
    case = make_case(photographed, state="recognised")
    ctx = ctx_for(users["caseworker"])
    certificate = certificate_issue(
        ctx=ctx, kind="refugee_certificate", person_uuid=photographed.uuid, language="ru", case_uuid=case.uuid
    )
    document = certificate_pdf(ctx=ctx, certificate_uuid=certificate.uuid)
    url = verification_url(verification_secret(certificate.uuid))
    assert document.content.startswith(b"%PDF-") and document.filename == f"{certificate.number}.pdf"
    # The QR code is a link to the same address (a URI annotation), and the photo is embedded as an image.
    assert f"/URI ({url})".encode() in document.content
    assert b"/Subtype /Image" in document.content
    text = pdf_text(document.content)
    if text is not None:
        for expected in (
            "Удостоверение беженца", "Refugee certificate", certificate.number, "Саидов", "Фаррух",
            "SAIDOV", "12.03.1990", "Таджикистан", case.reference, url,
        ):  # fmt: skip
            assert expected in text, expected
    event = AuditEvent.objects.get(action="certificate.print")
    assert event.person_uuid == photographed.uuid and event.changes == {"number": certificate.number}


def test_an_appointment_slip_prints_the_time_at_the_office(users, ctx_for, person, make_appointment):
    appointment = make_appointment(person, starts_at=datetime(2026, 12, 3, 5, 30, tzinfo=UTC))
    ctx = ctx_for(users["caseworker"])
    certificate = certificate_issue(
        ctx=ctx,
        kind="appointment_slip",
        person_uuid=person.uuid,
        language="en",
        appointment_uuid=appointment.uuid,
    )
    text = pdf_text(certificate_pdf(ctx=ctx, certificate_uuid=certificate.uuid).content)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    # 05:30 UTC is 10:30 in Almaty.
    assert "Appointment slip" in text and "03.12.2026 10:30 (Asia/Almaty)" in text and "Almaty office" in text


def test_a_reprint_carries_the_same_qr_code_address(users, ctx_for, person):
    ctx = ctx_for(users["officer"])
    certificate = certificate_issue(
        ctx=ctx, kind="registration_confirmation", person_uuid=person.uuid, language="en"
    )
    first = certificate_pdf(ctx=ctx, certificate_uuid=certificate.uuid).content
    second = certificate_pdf(ctx=ctx, certificate_uuid=certificate.uuid).content
    url = verification_url(verification_secret(certificate.uuid)).encode()
    assert url in first and url in second
    assert AuditEvent.objects.filter(action="certificate.print").count() == 2


def test_a_changed_node_key_refuses_a_reprint_whose_code_would_not_verify(users, ctx_for, person, settings):
    ctx = ctx_for(users["officer"])
    certificate = certificate_issue(
        ctx=ctx, kind="registration_confirmation", person_uuid=person.uuid, language="en"
    )
    settings.KARVON_CERTIFICATE_KEY = "another-key"
    with pytest.raises(UnableToValidate) as exc:
        certificate_pdf(ctx=ctx, certificate_uuid=certificate.uuid)
    assert exc.value.errors[0].code == "key_changed"


def test_a_letter_the_font_lacks_prints_as_a_visible_mark_not_dropped():
    from karvon.certificates.pdf import FONT, MISSING_GLYPH, _Page

    page = _Page()
    page.set_font(FONT, "", 10)
    # Pashto's ۍ (U+06CD) is not in DejaVu Sans; Dari letters are.
    assert page.normalize_text("ځدرۍ") == "ځدر" + MISSING_GLYPH
    assert page.normalize_text("محمد Мохаммад") == "محمد Мохаммад"
