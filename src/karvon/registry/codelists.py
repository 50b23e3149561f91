"""Code lists the registry validates against: countries (ISO 3166 + ICAO specials), languages, scripts."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# ICAO 9303 codes that stand for a status, not a state; XXX is also our "unknown".
SPECIAL_NATIONALITIES = {
    "XXA": _("Stateless person"),
    "XXB": _("Refugee (1951 Convention)"),
    "XXC": _("Refugee (other)"),
    "XXX": _("Unknown / unspecified"),
}

SCRIPTS = {"Cyrl": _("Cyrillic"), "Latn": _("Latin"), "Arab": _("Arabic")}

# The region's languages come first in pickers; any ISO 639-3 code is accepted.
REGION_LANGUAGES = (
    "rus",
    "kaz",
    "kir",
    "tgk",
    "uzb",
    "tuk",
    "aze",
    "tur",
    "prs",
    "pbt",
    "pus",
    "fas",
    "pes",
    "haz",
    "urd",
    "eng",
)
REGION_COUNTRIES = ("AFG", "AZE", "IRN", "KAZ", "KGZ", "PAK", "TJK", "TKM", "TUR", "UZB", "RUS")


@cache
def _country_names() -> dict[str, str]:
    return {country.alpha_3: country.name for country in pycountry.countries}


@cache
def _language_names() -> dict[str, str]:
    return {language.alpha_3: language.name for language in pycountry.languages}


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def is_country_code(code: str) -> bool:
    return code in _country_names() or code in SPECIAL_NATIONALITIES


def is_state_code(code: str) -> bool:
    """A real state (documents are issued by states, never by 'stateless')."""
    return code in _country_names()


def is_language_code(code: str) -> bool:
    return code in _language_names()


def country_name(code: str) -> str:
    if code in SPECIAL_NATIONALITIES:
        return str(SPECIAL_NATIONALITIES[code])
    name = _country_names().get(code)
    if name is None:
        return code
    return _catalogue("iso3166-1", get_language() or "en").gettext(name)


def language_name(code: str) -> str:
    name = _language_names().get(code)
    if name is None:
        return code
    return _catalogue("iso639-3", get_language() or "en").gettext(name)


def country_choices() -> list[tuple[str, str]]:
    """Region first, then the specials, then every other state by name in the user's language."""
    region = [(code, country_name(code)) for code in REGION_COUNTRIES]
    specials = [(code, str(label)) for code, label in SPECIAL_NATIONALITIES.items()]
    rest = sorted(
        ((code, country_name(code)) for code in _country_names() if code not in REGION_COUNTRIES),
        key=lambda item: item[1],
    )
    return region + specials + rest


def language_choices() -> list[tuple[str, str]]:
    region = [
        (code, f"{language_name(code)} ({code})") for code in REGION_LANGUAGES if is_language_code(code)
    ]
    rest = sorted(
        (
            (language.alpha_3, f"{language_name(language.alpha_3)} ({language.alpha_3})")
            for language in pycountry.languages
            if language.alpha_3 not in REGION_LANGUAGES
            and getattr(language, "type", "") == "L"
            and hasattr(language, "alpha_2")
        ),
        key=lambda item: item[1],
    )
    return region + rest
