"""Fellegi-Sunter scoring: Splink's maths, its model format, term-frequency adjustment, defaults."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from karvon_match import (
    DEFAULT_WEIGHTS,
    LevelWeights,
    MatchWeights,
    PersonRecord,
    TermFrequencies,
    compare,
    match_weight,
    person_features,
    probability_from_weight,
    score,
)
from karvon_match.compare import Comparison, FieldComparison


def comparison(*levels: tuple[str, str], tf_tokens: tuple[str, ...] = ()) -> Comparison:
    return Comparison(
        "a", "b", tuple(FieldComparison(f, level, "x", "y", "note", tf_tokens) for f, level in levels)
    )


SPLINK_MODEL = {
    "link_type": "dedupe_only",
    "probability_two_random_records_match": 0.001,
    "comparisons": [
        {
            "output_column_name": "family_name",
            "comparison_description": "trained on karvon_match levels",
            "comparison_levels": [
                {
                    "sql_condition": "family_name_level = 'missing'",
                    "label_for_charts": "missing",
                    "is_null_level": True,
                },
                {
                    "sql_condition": "family_name_level = 'exact'",
                    "label_for_charts": "exact",
                    "m_probability": 0.8,
                    "u_probability": 0.01,
                    "tf_adjustment_column": "family_name",
                    "tf_adjustment_weight": 1.0,
                },
                {
                    "sql_condition": "ELSE",
                    "label_for_charts": "differs",
                    "m_probability": 0.2,
                    "u_probability": 0.99,
                },
            ],
        },
        {
            "output_column_name": "birth_date",
            "comparison_levels": [
                {
                    "sql_condition": "birth_date_level = 'exact'",
                    "label_for_charts": "exact",
                    "m_probability": 0.9,
                    "u_probability": 0.001,
                },
                {
                    "sql_condition": "ELSE",
                    "label_for_charts": "differs",
                    "m_probability": 0.1,
                    "u_probability": 0.999,
                },
            ],
        },
    ],
    "retain_intermediate_calculation_columns": False,
}


def test_match_weight_is_the_prior_plus_log2_bayes_factors() -> None:
    weights = MatchWeights.from_dict(SPLINK_MODEL)
    scored = score(comparison(("family_name", "exact"), ("birth_date", "differs")), weights)
    expected = math.log2(0.001 / 0.999) + math.log2(0.8 / 0.01) + math.log2(0.1 / 0.999)
    assert scored.match_weight == pytest.approx(expected)
    assert scored.match_probability == pytest.approx(2**expected / (1 + 2**expected))
    assert [f.weight for f in scored.per_field] == pytest.approx([math.log2(80), math.log2(0.1 / 0.999)])


def test_null_level_weighs_nothing() -> None:
    weights = MatchWeights.from_dict(SPLINK_MODEL)
    scored = score(comparison(("family_name", "missing")), weights)
    assert scored.per_field[0].weight == 0.0
    assert scored.match_weight == pytest.approx(weights.prior_weight)


def test_unknown_level_weighs_nothing_and_says_so() -> None:
    scored = score(comparison(("family_name", "skeleton")), MatchWeights.from_dict(SPLINK_MODEL))
    assert scored.per_field[0].weight == 0.0
    assert scored.per_field[0].reason.endswith("[no weights]")


def test_term_frequency_adjustment_follows_splink() -> None:
    weights = MatchWeights.from_dict(SPLINK_MODEL)
    tf = TermFrequencies.from_tokens(["muhamad"] * 300 + ["zafar"] * 2 + ["other"] * 698)
    common = score(comparison(("family_name", "exact"), tf_tokens=("muhamad",)), weights, tf)
    rare = score(comparison(("family_name", "exact"), tf_tokens=("zafar",)), weights, tf)
    # Bayes factor m / u_tf: u replaced by the word's frequency.
    assert common.per_field[0].weight == pytest.approx(math.log2(0.8 / 0.3))
    assert rare.per_field[0].weight == pytest.approx(math.log2(0.8 / 0.002))
    assert rare.match_weight > common.match_weight


def test_round_trip_through_a_dict_and_json() -> None:
    data = json.loads(json.dumps(DEFAULT_WEIGHTS.to_dict()))
    loaded = MatchWeights.from_dict(data)
    assert loaded.prior == DEFAULT_WEIGHTS.prior
    assert loaded.fields == DEFAULT_WEIGHTS.fields


def test_dict_has_splink_shape() -> None:
    data = DEFAULT_WEIGHTS.to_dict()
    assert 0 < data["probability_two_random_records_match"] < 1
    family = next(c for c in data["comparisons"] if c["output_column_name"] == "family_name")
    labels = [level["label_for_charts"] for level in family["comparison_levels"]]
    assert "exact" in labels and "gendered_variant" in labels and "missing" in labels
    exact = next(level for level in family["comparison_levels"] if level["label_for_charts"] == "exact")
    assert exact["tf_adjustment_column"] == "family_name"
    assert {"m_probability", "u_probability", "sql_condition"} <= set(exact)


def test_invalid_probabilities_are_rejected() -> None:
    with pytest.raises(ValueError):
        LevelWeights(0.0, 0.5)
    with pytest.raises(ValueError):
        LevelWeights(0.5, 1.5)
    with pytest.raises(ValueError):
        MatchWeights(1.0, {})


def test_probability_from_extreme_weights() -> None:
    assert probability_from_weight(5000) == 1.0
    assert probability_from_weight(-5000) == 0.0
    assert probability_from_weight(0) == 0.5


def test_default_weights_cover_every_level_compare_produces() -> None:
    a = person_features(
        PersonRecord(
            "a",
            ("Мухаммад",),
            ("Саидов",),
            ("Рустамович",),
            "M",
            date(1990, 3, 4),
            "exact",
            "TJ",
            "Душанбе",
            ("400012345",),
        )
    )
    b = person_features(
        PersonRecord(
            "b",
            ("Mohammad",),
            ("Saydova",),
            ("Rustamovna",),
            "F",
            date(1990, 4, 3),
            "exact",
            "UZ",
            "Dushanbe",
            ("4OOO12346",),
        )
    )
    scored = score(compare(a, b))
    assert not any(f.reason.endswith("[no weights]") for f in scored.per_field)


def test_default_weights_separate_a_match_from_a_non_match() -> None:
    same_a = PersonRecord(
        "1", ("Мухаммад",), ("Саидов",), sex="M", birth_date=date(1990, 3, 4), nationality="TJK"
    )
    same_b = PersonRecord(
        "2", ("Muhammad",), ("Saidov",), sex="M", birth_date=date(1990, 3, 4), nationality="TJK"
    )
    other = PersonRecord(
        "3", ("Rustam",), ("Rahimov",), sex="M", birth_date=date(1975, 8, 9), nationality="TJK"
    )
    match = score(compare(person_features(same_a), person_features(same_b)))
    non_match = score(compare(person_features(same_a), person_features(other)))
    assert match.match_probability > 0.99
    assert non_match.match_probability < 0.001
    assert match.per_field[0].reason == "given name: Мухаммад ~ Muhammad agree after transliteration"
    # The values compared travel beside the English sentence, for an interface in another language.
    assert (match.per_field[0].a_value, match.per_field[0].b_value) == ("Мухаммад", "Muhammad")


def test_match_weight_alone_is_the_weight_score_gives_to_the_last_bit() -> None:
    tf = TermFrequencies(counts={"g:s:frh": 50, "f:s:sdv": 400}, total=10_000)
    people = [
        PersonRecord("a", ("Farrukh",), ("Saidov",), sex="M", birth_date=date(1990, 3, 12), nationality="TJK",
                     document_numbers=("400123456",)),
        PersonRecord("b", ("Фаррух",), ("Саидов",), sex="M", birth_date=date(1990, 1, 1),
                     birth_date_precision="year", document_numbers=("4OO123456",)),
        PersonRecord("c", ("Bakhtiyor",), ("Saidov",), ("Rustamovich",), sex="M", place_of_birth="Khujand"),
        PersonRecord("d", (), ("Saydova",), sex="F", birth_date=date(1991, 3, 12), nationality="AFG"),
    ]  # fmt: skip
    prepared = [person_features(p) for p in people]
    trained = MatchWeights.from_dict(SPLINK_MODEL)
    for weights, frequencies in ((DEFAULT_WEIGHTS, None), (DEFAULT_WEIGHTS, tf), (trained, tf)):
        for a in prepared:
            for b in prepared:
                pair = compare(a, b)
                assert (
                    match_weight(pair, weights, tf=frequencies)
                    == score(pair, weights, tf=frequencies).match_weight
                )
    unknown = comparison(("given_name", "no_such_level"))
    assert match_weight(unknown) == score(unknown).match_weight
