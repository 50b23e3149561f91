"""PersonRecord validation and person_features preparation."""

from __future__ import annotations

from datetime import date

import pytest

from karvon_match import PersonRecord, person_features
from karvon_match.features import normalise_nationality


def test_record_validates_sex_and_precision() -> None:
    with pytest.raises(ValueError):
        PersonRecord("1", sex="X")
    with pytest.raises(ValueError):
        PersonRecord("1", birth_date_precision="about")


def test_a_bare_string_is_one_spelling() -> None:
    record = PersonRecord("1", given_names="Akmal", family_names="Saidov")  # type: ignore[arg-type]
    assert record.given_names == ("Akmal",)
    assert record.family_names == ("Saidov",)


def test_patronymic_in_the_given_name_moves_to_the_patronymic() -> None:
    features = person_features(PersonRecord("1", given_names=("Akmal Rustamovich",)))
    assert [s.text for s in features.given.spellings] == ["Akmal"]
    assert [s.text for s in features.patronymic.spellings] == ["Rustamovich"]
    assert features.patronymic.spellings[0].tokens[0].folded == "rustam"
    assert features.patronymic.spellings[0].gender == "M"


def test_turkic_patronymic_in_the_given_name() -> None:
    features = person_features(PersonRecord("1", given_names=("Jasur Akmal oʻgʻli",)))
    assert [s.text for s in features.given.spellings] == ["Jasur"]
    assert [s.text for s in features.patronymic.spellings] == ["Akmal oʼgʼli"]


def test_spellings_are_normalised_and_deduplicated() -> None:
    features = person_features(
        PersonRecord("1", family_names=("Saidov", " Saidov ", "Sai\u200bdov", "Саидов"))
    )
    assert [s.text for s in features.family.spellings] == ["Saidov", "Саидов"]


def test_family_spelling_carries_the_gender_of_its_ending() -> None:
    features = person_features(PersonRecord("1", family_names=("Saidova",), given_names=("Amina",)))
    assert features.family.spellings[0].gender == "F"
    assert features.given.spellings[0].gender is None


def test_empty_and_letterless_names_are_missing() -> None:
    features = person_features(PersonRecord("1", given_names=("", " - "), family_names=()))
    assert not features.given
    assert not features.family


def test_dates_and_documents_are_prepared() -> None:
    features = person_features(
        PersonRecord("1", birth_date=date(1990, 1, 1), document_numbers=("ab 123", "AB123"))
    )
    assert features.birth.precision == "year"
    assert [d.normalised for d in features.documents] == ["AB123"]


@pytest.mark.parametrize(
    ("value", "code"),
    [("TJ", "TJK"), ("tjk", "TJK"), ("Afghanistan", "AFG"), ("", None), (None, None), ("XYZ", "XYZ")],
)
def test_nationality_normalisation(value: str | None, code: str | None) -> None:
    assert normalise_nationality(value) == code


def test_features_of_equal_records_are_equal() -> None:
    record = PersonRecord(
        "1", given_names=("Мухаммад",), family_names=("Саидов",), birth_date=date(1990, 3, 4)
    )
    assert person_features(record) == person_features(record)
