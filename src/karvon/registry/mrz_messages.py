"""MRZ errors in the user's language: the pure parser gives stable codes and values, this translates them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from karvon.registry.mrz import MrzFieldError

MRZ_MESSAGES = {
    "empty_mrz": _("The MRZ is empty."),
    "wrong_line_count": _(
        "Expected 2 lines of 44 characters (passport, TD3) or 3 lines of 30 characters "
        "(ID card, TD1); got %(count)s line(s) of %(lengths)s characters."
    ),
    "wrong_line_length": _("Line %(line)s has %(length)s characters; a %(format)s line has %(expected)s."),
    "unsupported_td2": _(
        "Two lines of 36 characters (TD2, visas) are not supported; only passports (TD3) and ID cards (TD1)."
    ),
    "unsupported_visa": _("Visa MRZs (document code “%(value)s”) are not supported."),
    "invalid_character": _("Line %(line)s, column %(column)s: “%(char)s” is not an MRZ character."),
    "invalid_name_character": _(
        "Line %(line)s, column %(column)s: “%(char)s” is not allowed in a name (only A–Z and <)."
    ),
    "invalid_document_code": _("Document code “%(value)s” is not valid for a %(format)s MRZ."),
    "invalid_issuing_state": _("Issuing state “%(value)s” is not a country code."),
    "invalid_nationality": _("Nationality “%(value)s” is not a country code."),
    "missing_document_number": _("The document number is empty."),
    "missing_name": _("The name is empty."),
    "invalid_birth_date": _("Date of birth “%(value)s” is not a real date (YYMMDD)."),
    "invalid_expiry_date": _("Date of expiry “%(value)s” is not a real date (YYMMDD)."),
    "invalid_sex": _("Sex “%(value)s” is not M, F or <."),
    "check_digit_document_number": _(
        "Wrong check digit for the document number: it should be %(expected)s, the MRZ says %(found)s."
    ),
    "check_digit_birth_date": _(
        "Wrong check digit for the date of birth: it should be %(expected)s, the MRZ says %(found)s."
    ),
    "check_digit_expiry_date": _(
        "Wrong check digit for the date of expiry: it should be %(expected)s, the MRZ says %(found)s."
    ),
    "check_digit_optional_data": _(
        "Wrong check digit for the optional data: it should be %(expected)s, the MRZ says %(found)s."
    ),
    "check_digit_composite": _(
        "Wrong composite check digit: it should be %(expected)s, the MRZ says %(found)s."
    ),
}


def mrz_error_message(error: MrzFieldError) -> str:
    template = MRZ_MESSAGES.get(error.code)
    if template is None:
        return error.message
    try:
        return str(template) % dict(error.params)
    except (KeyError, TypeError, ValueError):
        return error.message
