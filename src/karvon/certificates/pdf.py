"""The one-page A4 PDF of a certificate, laid out from a CertificateDocument (no ORM, no clock)."""

from __future__ import annotations

import gettext
import io
from datetime import date
from functools import cache
from pathlib import Path

import pycountry
import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from karvon.certificates.contracts import CertificateDocument, NameSpelling
from karvon.certificates.validity import CertificateStatus
from karvon.certificates.wording import APPOINTMENT_KINDS, LABELS, SEX, STATEMENTS, TITLES, other_language

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVuSans"
PAGE_WIDTH = 210.0
MARGIN = 15.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_WIDTH = 62.0
PHOTO_WIDTH, PHOTO_HEIGHT = 35.0, 45.0
QR_SIZE = 38.0
INK = (20, 20, 20)
MUTED = (95, 95, 95)
ALERT = (190, 30, 30)
PART_ORDER = ("family", "given", "patronymic")
MISSING_GLYPH = "\ufffd"


@cache
def _country_catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country(code: str, language: str, *, official: bool = False) -> str:
    record = pycountry.countries.get(alpha_3=code)
    if record is None:
        return code
    name = getattr(record, "official_name", record.name) if official else record.name
    return _country_catalogue(language).gettext(name)


def _date(value: date | None, precision: str = "exact") -> str:
    if value is None:
        return "—"
    if precision == "year" or precision == "estimated":
        return f"{value.year}"
    if precision == "month":
        return f"{value.month:02d}.{value.year}"
    return value.strftime("%d.%m.%Y")


class _Page(FPDF):
    """An FPDF with the vendored font and text shaping: Arabic-script names join and run right to left."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=False)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        # HarfBuzz (uharfbuzz) shapes each run and fpdf2 applies the Unicode bidi algorithm: without it, Dari
        # names would print as isolated letters in the wrong order.
        self.set_text_shaping(use_shaping_engine=True)
        self.set_text_color(*INK)

    def normalize_text(self, text: str) -> str:
        """A letter the font lacks prints as U+FFFD, where fpdf2 would silently drop it and misspell the name."""
        cmap: dict[int, str] = getattr(self.current_font, "cmap", {})
        if cmap and any(ord(ch) not in cmap for ch in text):
            text = "".join(ch if ord(ch) in cmap or ch in "\n\r\t" else MISSING_GLYPH for ch in text)
        return super().normalize_text(text)

    def text_line(
        self,
        text: str,
        *,
        size: float,
        bold: bool = False,
        align: Align = Align.L,
        height: float = 0,
        color: tuple[int, int, int] = INK,
        width: float = 0,
    ) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(
            width or CONTENT_WIDTH,
            height or size * 0.5,
            text,
            align=align,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_text_color(*INK)


def _labels(document: CertificateDocument, key: str) -> tuple[str, str]:
    second = other_language(document.language)
    return LABELS[document.language][key], LABELS[second][key]


def _field(pdf: _Page, label: tuple[str, str], value: str, *, width: float, bold: bool = False) -> None:
    """A row: the label in both languages on the left, the value on the right."""
    top = pdf.get_y()
    pdf.set_xy(MARGIN, top)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        LABEL_WIDTH - 2, 4, f"{label[0]} / {label[1]}", align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    label_bottom = pdf.get_y()
    pdf.set_xy(MARGIN + LABEL_WIDTH, top)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B" if bold else "", 10.5)
    pdf.multi_cell(width - LABEL_WIDTH, 5, value or "—", align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), label_bottom) + 1.2)


def _primary(names: tuple[NameSpelling, ...], part: str) -> str:
    return next((n.text for n in names if n.part == part and n.is_primary), "")


def _other_spellings(names: tuple[NameSpelling, ...]) -> list[str]:
    """Every other recorded spelling, one per script and part, in the order family, given, patronymic."""
    lines: list[str] = []
    for script in ("Cyrl", "Latn", "Arab"):
        parts: list[str] = []
        for part in PART_ORDER:
            spellings = [n.text for n in names if n.part == part and n.script == script and not n.is_primary]
            parts.extend(dict.fromkeys(spellings))
        if parts:
            lines.append(" ".join(parts))
    return lines


def _qr(pdf: _Page, url: str, x: float, y: float, size: float) -> None:
    """The QR code drawn as vector squares: sharp at any printer resolution, no image library involved."""
    qr = segno.make(url, error="m", micro=False)
    border = 2
    modules = len(qr.matrix)
    unit = size / (modules + 2 * border)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row, line in enumerate(qr.matrix):
        column = 0
        while column < modules:
            if line[column]:
                start = column
                while column < modules and line[column]:
                    column += 1
                # Runs of dark modules as one rectangle: fewer drawing operations, no hairline gaps.
                pdf.rect(
                    x + (border + start) * unit,
                    y + (border + row) * unit,
                    (column - start) * unit,
                    unit,
                    style="F",
                )
            else:
                column += 1
    pdf.link(x, y, size, size, url)


def _watermark(pdf: _Page, document: CertificateDocument) -> None:
    """Printed across a copy of a document that is not valid (revoked, replaced, expired): a file copy only."""
    lines = (LABELS[document.language]["not_valid"], LABELS[other_language(document.language)]["not_valid"])
    with pdf.local_context(fill_opacity=0.25, text_color=ALERT):
        pdf.set_font(FONT, "B", 40)
        with pdf.rotation(35, PAGE_WIDTH / 2, 150):
            for offset, line in enumerate(lines):
                pdf.set_xy(0, 132 + offset * 20)
                pdf.cell(PAGE_WIDTH, 18, line, align=Align.C)


def certificate_pdf_bytes(document: CertificateDocument) -> bytes:
    """The certificate as PDF bytes: header, title, holder, basis, validity, issuer and the QR code."""
    lang, second = document.language, other_language(document.language)
    pdf = _Page()
    pdf.set_title(TITLES["en"][document.kind])
    pdf.set_lang(lang)
    pdf.set_creator("Karvon")
    pdf.add_page()

    # Header: the state and the issuing authority.
    pdf.text_line(
        country(document.state_code, lang, official=True).upper(), size=12, bold=True, align=Align.C
    )
    pdf.text_line(country(document.state_code, second, official=True), size=8.5, align=Align.C, color=MUTED)
    pdf.ln(1)
    pdf.text_line(document.authority, size=10, align=Align.C)
    pdf.text_line(document.office, size=9, align=Align.C, color=MUTED)
    pdf.ln(2)
    pdf.set_draw_color(*INK)
    pdf.line(MARGIN, pdf.get_y(), PAGE_WIDTH - MARGIN, pdf.get_y())
    pdf.ln(5)

    # Title and number.
    pdf.text_line(TITLES[lang][document.kind], size=16, bold=True, align=Align.C, height=7.5)
    pdf.text_line(TITLES[second][document.kind], size=10.5, align=Align.C, color=MUTED, height=5.5)
    pdf.ln(1.5)
    number_label = _labels(document, "number")
    pdf.text_line(
        f"{number_label[0]} / {number_label[1]}: {document.number}", size=11, bold=True, align=Align.C
    )
    pdf.ln(3)
    pdf.text_line(STATEMENTS[lang][document.kind], size=9.5, height=4.6)
    pdf.text_line(STATEMENTS[second][document.kind], size=8, height=3.9, color=MUTED)
    pdf.ln(4)

    # The holder, with the photo on the right.
    top = pdf.get_y()
    photo_x = PAGE_WIDTH - MARGIN - PHOTO_WIDTH
    fields_width = CONTENT_WIDTH - PHOTO_WIDTH - 6
    pdf.set_draw_color(*MUTED)
    pdf.rect(photo_x, top, PHOTO_WIDTH, PHOTO_HEIGHT)
    if document.photo:
        pdf.image(
            io.BytesIO(document.photo),
            x=photo_x,
            y=top,
            w=PHOTO_WIDTH,
            h=PHOTO_HEIGHT,
            keep_aspect_ratio=True,
        )
    else:
        pdf.set_xy(photo_x, top + PHOTO_HEIGHT / 2 - 4)
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(PHOTO_WIDTH, 4, "\n".join(_labels(document, "no_photo")), align=Align.C)
        pdf.set_text_color(*INK)
    pdf.set_y(top)
    for part in PART_ORDER:
        value = _primary(document.names, part)
        if value or part != "patronymic":
            _field(pdf, _labels(document, part), value, width=fields_width, bold=True)
    others = _other_spellings(document.names)
    if others:
        _field(pdf, _labels(document, "other_spellings"), "\n".join(others), width=fields_width)
    _field(
        pdf,
        _labels(document, "birth_date"),
        _date(document.birth_date, document.birth_date_precision),
        width=fields_width,
    )
    sex = document.sex if document.sex in SEX[lang] else "U"
    _field(pdf, _labels(document, "sex"), f"{SEX[lang][sex]} / {SEX[second][sex]}", width=fields_width)
    nationalities = "; ".join(f"{country(c, lang)} / {country(c, second)}" for c in document.nationalities)
    _field(pdf, _labels(document, "nationality"), nationalities, width=CONTENT_WIDTH)
    pdf.set_y(max(pdf.get_y(), top + PHOTO_HEIGHT + 2))

    # The basis, validity and issuer.
    pdf.ln(1)
    pdf.line(MARGIN, pdf.get_y(), PAGE_WIDTH - MARGIN, pdf.get_y())
    pdf.ln(3)
    if document.case_reference:
        _field(pdf, _labels(document, "case_reference"), document.case_reference, width=CONTENT_WIDTH)
    if document.registered_on:
        _field(pdf, _labels(document, "registered_on"), _date(document.registered_on), width=CONTENT_WIDTH)
        _field(pdf, _labels(document, "registered_at"), document.registered_at, width=CONTENT_WIDTH)
    if document.appointment_at:
        when = f"{document.appointment_at:%d.%m.%Y %H:%M} ({document.appointment_zone})"
        _field(pdf, _labels(document, "appointment_at"), when, width=CONTENT_WIDTH, bold=True)
        _field(pdf, _labels(document, "appointment_place"), document.appointment_place, width=CONTENT_WIDTH)
        kind = document.appointment_kind
        if kind in APPOINTMENT_KINDS[lang]:
            _field(
                pdf,
                _labels(document, "appointment_kind"),
                f"{APPOINTMENT_KINDS[lang][kind]} / {APPOINTMENT_KINDS[second][kind]}",
                width=CONTENT_WIDTH,
            )
    _field(pdf, _labels(document, "valid_from"), _date(document.valid_from), width=CONTENT_WIDTH)
    _field(pdf, _labels(document, "valid_until"), _date(document.valid_until), width=CONTENT_WIDTH, bold=True)
    _field(pdf, _labels(document, "issued_on"), _date(document.issued_on), width=CONTENT_WIDTH)
    _field(pdf, _labels(document, "issued_by"), document.issued_by, width=CONTENT_WIDTH)

    # Signature and stamp, then the QR code with the address it holds.
    qr_y = 297 - MARGIN - QR_SIZE
    signature_y = min(max(pdf.get_y() + 6, 200), qr_y - 18)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*MUTED)
    signature = _labels(document, "signature")
    stamp = _labels(document, "stamp")
    pdf.line(MARGIN, signature_y + 8, MARGIN + 70, signature_y + 8)
    pdf.set_xy(MARGIN, signature_y + 9)
    pdf.cell(70, 4, f"{signature[0]} / {signature[1]}")
    pdf.set_xy(PAGE_WIDTH - MARGIN - 50, signature_y + 9)
    pdf.cell(50, 4, f"{stamp[0]} / {stamp[1]}", align=Align.C)

    _qr(pdf, document.verification_url, MARGIN, qr_y, QR_SIZE)
    verify = _labels(document, "verify")
    pdf.set_xy(MARGIN + QR_SIZE + 4, qr_y + 10)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(
        CONTENT_WIDTH - QR_SIZE - 4, 4.5, f"{verify[0]}:\n{verify[1]}:", new_x=XPos.LEFT, new_y=YPos.NEXT
    )
    pdf.set_font(FONT, "B", 8.5)
    pdf.multi_cell(
        CONTENT_WIDTH - QR_SIZE - 4,
        4.5,
        document.verification_url,
        link=document.verification_url,
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )

    if document.status != CertificateStatus.VALID:
        _watermark(pdf, document)
    return bytes(pdf.output())
