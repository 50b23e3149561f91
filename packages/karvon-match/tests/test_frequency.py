"""Term frequencies from a corpus of folded name words."""

from __future__ import annotations

import pytest

from karvon_match import TermFrequencies


def test_from_names_folds_every_script_together() -> None:
    tf = TermFrequencies.from_names(["Мухаммад Саидов", "Muhammad Karimov", "Zafar"])
    assert tf.total == 5
    assert tf.counts["muhamad"] == 2
    assert tf.frequency("muhamad") == pytest.approx(0.4)


def test_unseen_word_counts_once() -> None:
    tf = TermFrequencies.from_tokens(["a"] * 99 + ["b"])
    assert tf.frequency("never") == tf.frequency("b") == pytest.approx(0.01)


def test_u_probability_is_the_product_of_frequencies() -> None:
    tf = TermFrequencies.from_tokens(["muhamad"] * 50 + ["ali"] * 25 + ["zafar"] * 25)
    assert tf.u_probability(["muhamad", "ali"]) == pytest.approx(0.125)


def test_dict_round_trip() -> None:
    tf = TermFrequencies.from_tokens(["a", "a", "b"])
    again = TermFrequencies.from_dict(tf.to_dict())
    assert dict(again.counts) == {"a": 2, "b": 1}
    assert again.total == 3


def test_empty_corpus_is_rejected() -> None:
    with pytest.raises(ValueError):
        TermFrequencies.from_tokens([])


def test_counts_are_read_only() -> None:
    tf = TermFrequencies.from_tokens(["a"])
    with pytest.raises(TypeError):
        tf.counts["a"] = 5  # type: ignore[index]
