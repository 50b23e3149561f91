"""compare: one level and one reason per field; name levels from exact to differs."""

from __future__ import annotations

from datetime import date

import pytest

from karvon_match import FIELDS, NAME_LEVELS, PersonRecord, compare, person_features
from karvon_match.compare import clear_pair_cache, compare_names
from karvon_match.features import name_features


def name_level(a: str, b: str, family: bool = False) -> str:
    outcome = compare_names(name_features((a,), family), name_features((b,), family), family)
    return NAME_LEVELS[outcome.level]


@pytest.mark.parametrize(
    ("a", "b", "family", "level"),
    [
        ("Saidov", "SAIDOV", True, "exact"),
        ("Nabi Mohammad", "Mohammad Nabi", False, "exact"),
        ("Саидов", "Saydov", True, "transliterated"),
        ("Hüseynov", "Гусейнов", True, "transliterated"),
        ("Мухаммад", "Mohammed", False, "skeleton"),
        ("محمد", "Muhammad", False, "skeleton"),
        ("Abdul Rahman", "Abdurakhmon", False, "skeleton"),
        ("Saidova", "Saidov", True, "gendered_variant"),
        ("Эргашева", "Ergashev", True, "gendered_variant"),
        ("Kovalskaya", "Kovalsky", True, "gendered_variant"),
        ("سعیدوف", "Saidova", True, "gendered_variant"),
        ("Saidzoda", "Saidov", True, "suffix_variant"),
        ("Saidzoda", "Saidzade", True, "transliterated"),
        ("Mohammad Nabi", "Nabi", False, "subset"),
        ("Shamsutdinov", "Shamsuddinov", True, "jw_high"),
        ("Qasımov", "Гасымов", True, "transliterated"),  # Azerbaijani q is Russified as г
        ("Karimov", "Kamilov", True, "jw_mid"),
        ("Saidov", "Rahimov", True, "differs"),
        ("Mohammad Nabi", "Mohammad Karim", False, "differs"),
        ("Saidov", "", True, "missing"),
    ],
)
def test_name_levels(a: str, b: str, family: bool, level: str) -> None:
    assert name_level(a, b, family) == level
    assert name_level(b, a, family) == level


def test_gendered_ending_is_only_for_family_names() -> None:
    assert name_level("Amina", "Amin") != "gendered_variant"


def test_best_pair_of_spellings_wins() -> None:
    a = name_features(("Саидов", "Saidov"), True)
    b = name_features(("سعیدوف", "Saidov"), True)
    outcome = compare_names(a, b, True)
    assert NAME_LEVELS[outcome.level] == "exact"


def record(record_id: str, **fields: object) -> PersonRecord:
    return PersonRecord(record_id, **fields)  # type: ignore[arg-type]


def test_every_field_has_a_level_and_a_reason() -> None:
    a = person_features(
        record(
            "a",
            given_names=("Мухаммад",),
            family_names=("Саидов",),
            patronymics=("Рустамович",),
            sex="M",
            birth_date=date(1990, 3, 4),
            nationality="TJ",
            place_of_birth="Душанбе",
            document_numbers=("400012345",),
        )
    )
    b = person_features(
        record(
            "b",
            given_names=("Mohammad",),
            family_names=("Saydov",),
            patronymics=("Rustam o'g'li",),
            sex="M",
            birth_date=date(1990, 4, 3),
            nationality="TJK",
            place_of_birth="Dushanbe",
            document_numbers=("4OOO12345",),
        )
    )
    comparison = compare(a, b)
    assert tuple(f.field for f in comparison.fields) == FIELDS
    assert {f.field: f.level for f in comparison.fields} == {
        "given_name": "skeleton",
        "family_name": "transliterated",
        "patronymic": "transliterated",
        "birth_date": "day_month_swap",
        "sex": "exact",
        "nationality": "exact",
        "place_of_birth": "transliterated",
        "document": "ocr_equal",
    }
    assert (
        comparison.field("family_name").reason == "family name: Саидов ~ Saydov agree after transliteration"
    )
    assert comparison.field("birth_date").reason == "birth date: 1990-03-04 ~ 1990-04-03 day/month swapped"
    assert comparison.level("document") == "ocr_equal"
    assert len(comparison.reasons) == len(FIELDS)
    assert (comparison.a_id, comparison.b_id) == ("a", "b")


def test_missing_fields() -> None:
    comparison = compare(person_features(record("a")), person_features(record("b")))
    assert {f.level for f in comparison.fields} == {"missing"}
    assert comparison.field("sex").reason == "sex: missing on one or both records"


def test_crossed_given_and_family_names() -> None:
    a = person_features(record("a", given_names=("Rahim",), family_names=("Karimi",)))
    b = person_features(record("b", given_names=("Karimi",), family_names=("Rahim",)))
    comparison = compare(a, b)
    assert comparison.names_swapped
    assert comparison.level("given_name") == comparison.level("family_name") == "exact"
    assert "crossed" in comparison.field("given_name").reason


def test_single_name_filed_under_the_other_part() -> None:
    comparison = compare(
        person_features(record("a", given_names=("Rahim",))),
        person_features(record("b", family_names=("Rahim",))),
    )
    assert comparison.names_swapped
    assert comparison.level("given_name") == "exact"
    assert comparison.level("family_name") == "missing"


def test_direct_reading_is_kept_when_it_agrees() -> None:
    a = person_features(record("a", given_names=("Rahim",), family_names=("Rahim",)))
    b = person_features(record("b", given_names=("Rahim",), family_names=("Rahimov",)))
    assert not compare(a, b).names_swapped


def test_gender_ending_flag() -> None:
    a = person_features(record("a", family_names=("Saidov",), sex="M"))
    b = person_features(record("b", family_names=("Saidova",), sex="F"))
    comparison = compare(a, b)
    assert comparison.gender_ending_differs
    assert comparison.level("family_name") == "gendered_variant"


def test_patronymic_of_a_son_and_a_daughter() -> None:
    a = person_features(record("a", patronymics=("Rustamovich",)))
    b = person_features(record("b", patronymics=("Рустамовна",)))
    field = compare(a, b).field("patronymic")
    assert field.level == "gendered_variant"
    assert "son's and a daughter's" in field.reason


def test_patronymic_styles_agree_through_the_fathers_name() -> None:
    a = person_features(record("a", patronymics=("Akmalovich",)))
    b = person_features(record("b", given_names=("Jasur Akmal oʻgʻli",)))
    assert compare(a, b).level("patronymic") == "transliterated"


def test_term_frequency_tokens_are_reported_for_agreeing_names() -> None:
    a = person_features(record("a", given_names=("Мухаммад Али",)))
    b = person_features(record("b", given_names=("Muhammad Ali",)))
    # Keys are the consonant skeletons, counted per field: one key for every script of a name.
    assert compare(a, b).field("given_name").tf_tokens == ("g:s:mhmd", "g:s:l")


def test_pair_cache_does_not_change_results() -> None:
    a = person_features(record("a", given_names=("Abdul Rahman",), family_names=("Saidova",)))
    b = person_features(record("b", given_names=("Abdurakhmon",), family_names=("Саидов",)))
    first = compare(a, b)
    assert compare(a, b) == first
    clear_pair_cache()
    assert compare(a, b) == first


def test_word_order_is_noted() -> None:
    swapped = compare_names(name_features(("Nabi Muhammad",)), name_features(("Mohammad Nabi",)))
    in_order = compare_names(name_features(("Muhammad Nabi",)), name_features(("Mohammad Nabi",)))
    assert NAME_LEVELS[swapped.level] == NAME_LEVELS[in_order.level] == "skeleton"
    assert swapped.note == "words in another order"
    assert in_order.note == ""
