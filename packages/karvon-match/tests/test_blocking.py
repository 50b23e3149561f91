"""Blocking keys: spelling variants of one person meet; unrelated people mostly do not."""

from __future__ import annotations

from datetime import date

from karvon_match import PersonRecord, blocking_keys, person_features


def test_keys_of_a_record() -> None:
    record = PersonRecord(
        "1", ("Мухаммад",), ("Саидова",), birth_date=date(1990, 3, 4), document_numbers=("AB 1O2",)
    )
    keys = blocking_keys(record)
    assert "fy:saidov:1990" in keys  # masculine form: meets Saidov
    assert "gy:muhamad:1990" in keys
    assert "sk:mhmd|sdv" in keys
    assert "doc:A8102" in keys
    assert blocking_keys(person_features(record)) == keys


def test_spelling_variants_meet() -> None:
    a = PersonRecord("a", ("Mohammad",), ("Saydov",), birth_date=date(1990, 3, 4))
    b = PersonRecord("b", ("محمد",), ("سعیدوف",))
    c = PersonRecord("c", ("Muhammad",), ("Saidova",), birth_date=date(1990, 5, 6))
    assert blocking_keys(a) & blocking_keys(b)
    assert blocking_keys(a) & blocking_keys(c)


def test_crossed_names_meet() -> None:
    a = PersonRecord("a", ("Rahim",), ("Karimi",))
    b = PersonRecord("b", ("Karimi",), ("Rahim",))
    assert blocking_keys(a) & blocking_keys(b)


def test_estimated_year_blocks_with_neighbours() -> None:
    a = PersonRecord(
        "a", ("Zafar",), ("Nazarov",), birth_date=date(1980, 1, 1), birth_date_precision="estimated"
    )
    b = PersonRecord("b", ("Zofir",), ("Nazarov",), birth_date=date(1981, 7, 2))
    assert any(k.startswith("fy:") for k in blocking_keys(a) & blocking_keys(b))


def test_different_people_do_not_meet() -> None:
    a = PersonRecord("a", ("Rustam",), ("Rahimov",), birth_date=date(1990, 3, 4), document_numbers=("AB1",))
    b = PersonRecord("b", ("Zarina",), ("Saidova",), birth_date=date(1990, 3, 4), document_numbers=("CD2",))
    assert not blocking_keys(a) & blocking_keys(b)


def test_record_without_data_has_no_keys() -> None:
    assert blocking_keys(PersonRecord("x")) == frozenset()
