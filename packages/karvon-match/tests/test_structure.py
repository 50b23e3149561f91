"""Name structure: tokens, patronymics, gendered endings, family suffixes, compounds."""

from __future__ import annotations

import pytest

from karvon_match import split_patronymics, tokenise
from karvon_match.structure import (
    compound_parts,
    family_root,
    gendered_stem,
    patronymic_father,
    patronymic_of,
)


def test_tokenise_splits_at_spaces_hyphens_and_punctuation() -> None:
    assert tokenise("  Abdul-Rahman, SAIDOV ") == ("abdul", "rahman", "saidov")


def test_tokenise_keeps_the_uzbek_apostrophe_inside_words() -> None:
    assert tokenise("O'rinboyev G‘ayrat") == ("oʼrinboyev", "gʼayrat")


def test_tokenise_drops_edge_apostrophes() -> None:
    assert tokenise("'Ali'") == ("ali",)


@pytest.mark.parametrize(
    ("word", "father", "sex"),
    [
        ("Rustamovich", "rustam", "M"),
        ("Рустамович", "rustam", "M"),
        ("Karimovna", "karim", "F"),
        ("Алиевна", "ali", "F"),
        ("Musaevich", "musa", "M"),
        ("Yusupovich", "iusub", "M"),  # final devoicing, as for the name Yusup
    ],
)
def test_russian_style_patronymic_gives_the_fathers_name(word: str, father: str, sex: str) -> None:
    assert patronymic_father(word) == (father, sex)


def test_words_that_only_look_like_patronymics_are_not() -> None:
    assert patronymic_father("Ivich") is None
    assert patronymic_father("Saidov") is None


@pytest.mark.parametrize(
    ("text", "father", "sex"),
    [
        ("Akmal oʻgʻli", "akmal", "M"),
        ("Akmal ugli", "akmal", "M"),
        ("Акмал ўғли", "акмал", "M"),
        ("Karim qizi", "karim", "F"),
        ("Нурлан улы", "нурлан", "M"),
        ("Нурлан кызы", "нурлан", "F"),
        ("Асан уулу", "асан", "M"),
        ("Əli oğlu", "əli", "M"),
        ("bin Qasim", "qasim", "M"),
        ("ولد کریم", "کریم", "M"),
    ],
)
def test_patronymic_markers(text: str, father: str, sex: str) -> None:
    patronymic = patronymic_of(text)
    assert patronymic.father == (father,)
    assert patronymic.sex == sex


def test_a_bare_fathers_name_is_the_patronymic() -> None:
    patronymic = patronymic_of("Rustam")
    assert patronymic.father == ("rustam",)
    assert patronymic.sex is None


def test_split_patronymics_from_a_full_name() -> None:
    rest, found = split_patronymics(tokenise("Saidov Akmal Rustamovich"))
    assert rest == ("saidov", "akmal")
    assert [p.father for p in found] == [("rustam",)]
    rest, found = split_patronymics(tokenise("Jasur Akmal oʻgʻli"))
    assert rest == ("jasur",)
    assert found[0].words == ("akmal", "oʼgʼli")


@pytest.mark.parametrize(
    ("folded", "stem", "gender"),
    [
        ("saidova", "saidov", "F"),
        ("saidov", "saidov", "M"),
        ("alieva", "aliev", "F"),
        ("pushkina", "pushkin", "F"),
        ("kovalskaia", "kovalski", "F"),
        ("kovalski", "kovalski", "M"),
        ("sergiva", "sergiv", "F"),
        ("ahmadi", "ahmadi", None),
    ],
)
def test_gendered_stem(folded: str, stem: str, gender: str | None) -> None:
    assert gendered_stem(folded) == (stem, gender)


@pytest.mark.parametrize(
    ("folded", "root", "kind"),
    [
        ("saidzada", "said", "zada"),
        ("saidov", "said", "ov"),
        ("saidova", "said", "ov"),
        ("ahmadi", "ahmadi", ""),
    ],
)
def test_family_root(folded: str, root: str, kind: str) -> None:
    assert family_root(folded) == (root, kind)


@pytest.mark.parametrize(
    ("folded", "parts"),
    [
        ("abdurahmon", ("abdul", "rahmon")),
        ("abdulaziz", ("abdul", "aziz")),
        ("nuridin", ("nur", "din")),
        ("shamsidin", ("shams", "din")),
        ("abdulaev", ()),
        ("saidin", ()),
        ("rustam", ()),
    ],
)
def test_compound_parts(folded: str, parts: tuple[str, ...]) -> None:
    assert compound_parts(folded) == parts
