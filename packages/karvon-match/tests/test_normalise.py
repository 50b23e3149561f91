"""normalise_text: Unicode form, invisible characters, Arabic-script variants, apostrophes, spaces."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karvon_match import normalise_text
from karvon_match.normalise import APOSTROPHE, casefold_name


def test_nfkc_folds_compatibility_forms() -> None:
    assert normalise_text("ＳＡＩＤＯＶ") == "SAIDOV"
    assert normalise_text("ﻣﺤﻤﺪ") == "محمد"  # Arabic presentation forms


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b",
        "\u200c",
        "\u200d",
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\ufeff",
        "\u00ad",
    ],
)
def test_invisible_characters_are_removed(invisible: str) -> None:
    assert normalise_text(f"Sai{invisible}dov") == "Saidov"


def test_arabic_letter_variants_are_unified() -> None:
    assert normalise_text("علي") == normalise_text("علی") == "علی"  # Arabic yeh / Farsi yeh
    assert normalise_text("موسى") == "موسی"  # alef maksura
    assert normalise_text("كريم") == "کریم"  # Arabic kaf / keheh
    assert normalise_text("فاطمة") == "فاطمه"  # teh marbuta
    assert normalise_text("أحمد") == normalise_text("إحمد") == "احمد"
    assert normalise_text("آمنه") == "امنه"


def test_harakat_and_tatweel_are_removed() -> None:
    assert normalise_text("مُحَمَّد") == "محمد"
    assert normalise_text("محـــمد") == "محمد"


def test_eastern_digits_become_ascii() -> None:
    assert normalise_text("۱۹۹۰") == "1990"
    assert normalise_text("١٩٩٠") == "1990"


@pytest.mark.parametrize("apostrophe", ["ʻ", "ʼ", "’", "‘", "`", "'", "´"])
def test_uzbek_apostrophes_become_one(apostrophe: str) -> None:
    assert normalise_text(f"O{apostrophe}rinboyev") == f"O{APOSTROPHE}rinboyev"


def test_whitespace_is_collapsed_and_stripped() -> None:
    assert normalise_text("  Abdul \t\n Rahman\u00a0 ") == "Abdul Rahman"


def test_case_is_kept() -> None:
    assert normalise_text("Saidov SAIDOV") == "Saidov SAIDOV"


def test_casefold_name_treats_dotted_capital_i_as_plain_i() -> None:
    assert casefold_name("İsmayıl") == "ismayıl"


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
