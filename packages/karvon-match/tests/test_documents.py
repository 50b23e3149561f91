"""Document numbers: normalisation, OCR look-alikes, one-edit typos."""

from __future__ import annotations

import pytest

from karvon_match import normalise_document_number, ocr_fold
from karvon_match.documents import compare_documents, document_features


def level(a: str, b: str) -> str:
    doc_a, doc_b = document_features(a), document_features(b)
    assert doc_a is not None and doc_b is not None
    return compare_documents((doc_a,), (doc_b,))[0]


def test_normalisation_keeps_letters_and_digits() -> None:
    assert normalise_document_number(" ab-123 456/7 ") == "AB1234567"
    assert normalise_document_number("P<TJK4000123<<") == "PTJK4000123"
    assert normalise_document_number("АВ1234567") == "AB1234567"  # Cyrillic series letters
    assert normalise_document_number("۴۰۰۰۱۲") == "400012"  # Persian digits


def test_ocr_fold() -> None:
    assert ocr_fold("OILSBZ") == "011582"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("AB1234567", "ab 123 4567", "exact"),
        ("400012345", "4OO0I2345", "ocr_equal"),
        ("B8125S0Z", "88125502", "ocr_equal"),
        ("AB1234567", "AB1234568", "edit_distance_1"),
        ("AB1234567", "AB124567", "edit_distance_1"),
        ("AB1234567", "AB1243567", "edit_distance_1"),  # adjacent transposition
        ("AB1234567", "CD7654321", "differs"),
        ("1234", "1235", "differs"),  # too short for one edit to mean anything
    ],
)
def test_document_levels(a: str, b: str, expected: str) -> None:
    assert level(a, b) == expected
    assert level(b, a) == expected


def test_best_pair_of_several_documents() -> None:
    a = tuple(d for d in map(document_features, ["X1", "AB1234567"]) if d)
    b = tuple(d for d in map(document_features, ["AB1234567", "Y2"]) if d)
    assert compare_documents(a, b)[0] == "exact"


def test_missing() -> None:
    assert compare_documents((), ())[0] == "missing"
    assert document_features(" -- ") is None
