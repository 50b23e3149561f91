"""script_of, foreign_script_letters and homoglyph repair."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karvon_match import foreign_script_letters, normalise_text, repair_homoglyphs, script_of


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Саидов", "Cyrl"),
        ("Раҳимов Жәнібек Ўринбоев", "Cyrl"),
        ("Saidov", "Latn"),
        ("Oʻrinboyev", "Latn"),
        ("Həsənov Hüseynov Türkmenbaşy", "Latn"),
        ("سعیدوف", "Arab"),
        ("محمد نبی", "Arab"),
        ("", "Zyyy"),
        ("123 - ()", "Zyyy"),
        ("Saidов", "Mixed"),
        ("Ali علی", "Mixed"),
    ],
)
def test_script_of(text: str, code: str) -> None:
    assert script_of(text) == code


def test_foreign_letters_find_a_cyrillic_lookalike_in_a_latin_name() -> None:
    assert foreign_script_letters("Sаidov", "Latn") == [(1, "а", "Cyrl")]


def test_foreign_letters_find_latin_in_cyrillic() -> None:
    assert foreign_script_letters("Cаидов", "Cyrl") == [(0, "C", "Latn")]


def test_uzbek_apostrophe_and_separators_are_not_foreign() -> None:
    text = normalise_text("O'rinboyev G‘ayrat-Ali")
    assert foreign_script_letters(text, "Latn") == []


def test_azerbaijani_schwa_is_latin() -> None:
    assert foreign_script_letters("Həsənov", "Latn") == []


def test_cyrillic_schwa_in_latin_is_foreign() -> None:
    assert foreign_script_letters("H\u04d9s\u04d9nov", "Latn") == [(1, "ә", "Cyrl"), (3, "ә", "Cyrl")]


def test_repair_homoglyphs_follows_the_main_script() -> None:
    assert repair_homoglyphs("Sаidov") == "Saidov"
    assert repair_homoglyphs("Cаидов") == "Саидов"
    assert script_of(repair_homoglyphs("ΑHMAD")) == "Latn"  # Greek capital alpha


def test_repair_leaves_real_mixtures() -> None:
    assert repair_homoglyphs("Saidжon") == "Saidжon"  # ж has no Latin look-alike


@given(st.text(alphabet="aeopcyxABCEHKMOPTXYаеорсухАВСЕНКМОРТХ", max_size=12))
def test_repaired_lookalike_words_have_one_script(text: str) -> None:
    assert script_of(repair_homoglyphs(text)) in {"Latn", "Cyrl", "Zyyy"}
