"""The node's regions: ISO 3166-2 subdivisions from pycountry, with names in the user's language."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.conf import settings
from django.utils.translation import get_language


@cache
def _names_in(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True)


@cache
def _subdivisions() -> dict[str, tuple[str, str]]:
    """Code → (alpha-2 of its state, English name), for every subdivision pycountry knows."""
    return {s.code: (s.country_code, s.name) for s in pycountry.subdivisions}


@cache
def node_country_code(state: str) -> str:
    """The alpha-2 code of the node's state (KAZ → KZ), the prefix of its subdivision codes."""
    country = pycountry.countries.get(alpha_3=state)
    return country.alpha_2 if country is not None else ""


def is_region_code(code: str) -> bool:
    return code in _subdivisions()


def is_node_region(code: str) -> bool:
    known = _subdivisions().get(code)
    return known is not None and known[0] == node_country_code(settings.KARVON_NODE_STATE)


def region_name(code: str) -> str:
    known = _subdivisions().get(code)
    if known is None:
        return code
    return _names_in(get_language() or "en").gettext(known[1])


def node_regions() -> list[tuple[str, str]]:
    """(code, name) of the node's state's subdivisions, by name, for pickers."""
    prefix = node_country_code(settings.KARVON_NODE_STATE)
    codes = [code for code, (country, _name) in _subdivisions().items() if country == prefix]
    return sorted(((code, region_name(code)) for code in codes), key=lambda item: item[1])
