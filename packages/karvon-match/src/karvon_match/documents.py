"""Identity-document numbers: normalisation, OCR look-alike folding and a comparison level."""

from __future__ import annotations

from dataclasses import dataclass

from karvon_match.normalise import normalise_text
from karvon_match.similarity import within_one_edit

EXACT = "exact"
OCR_EQUAL = "ocr_equal"
EDIT_DISTANCE_1 = "edit_distance_1"
DIFFERS = "differs"
MISSING = "missing"
DOCUMENT_LEVELS = (EXACT, OCR_EQUAL, EDIT_DISTANCE_1, DIFFERS, MISSING)
# One edit apart means little for short numbers (a 4-digit card number is one edit from thousands).
MIN_LENGTH_FOR_EDIT = 6

# Cyrillic capitals that look like Latin ones: passport series typed on a Russian keyboard (АВ1234567).
_CYRILLIC_LOOKALIKES = str.maketrans("АВЕКМНОРСТХУІЈ", "ABEKMHOPCTXYIJ")
# Letters OCR and tired eyes read as digits: O/0, I/1/L, S/5, B/8, Z/2.
_OCR_FOLD = str.maketrans("OILSBZ", "011582")


def normalise_document_number(number: str) -> str:
    """Upper-case ASCII letters and digits only: spaces, dashes, slashes and MRZ fillers (<) removed."""
    text = normalise_text(number).upper().translate(_CYRILLIC_LOOKALIKES)
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


def ocr_fold(normalised: str) -> str:
    """Fold letters that OCR confuses with digits into the digits."""
    return normalised.translate(_OCR_FOLD)


@dataclass(frozen=True, slots=True)
class DocumentFeatures:
    """One document number as written, normalised and OCR-folded."""

    written: str
    normalised: str
    ocr: str


def document_features(number: str) -> DocumentFeatures | None:
    normalised = normalise_document_number(number)
    if not normalised:
        return None
    return DocumentFeatures(number.strip(), normalised, ocr_fold(normalised))


def _level(a: DocumentFeatures, b: DocumentFeatures) -> str:
    if a.normalised == b.normalised:
        return EXACT
    if a.ocr == b.ocr:
        return OCR_EQUAL
    if min(len(a.ocr), len(b.ocr)) >= MIN_LENGTH_FOR_EDIT and within_one_edit(a.ocr, b.ocr):
        return EDIT_DISTANCE_1
    return DIFFERS


_NOTES = {
    EXACT: "identical",
    OCR_EQUAL: "equal after OCR look-alikes (O/0, I/1/L, S/5, B/8, Z/2)",
    EDIT_DISTANCE_1: "one character apart",
    DIFFERS: "differ",
}


def compare_documents(
    a: tuple[DocumentFeatures, ...], b: tuple[DocumentFeatures, ...]
) -> tuple[str, str, str, str]:
    """(level, number of a, number of b, note) for the best-agreeing pair of two records' documents."""
    if not a or not b:
        return MISSING, "", "", "missing on one or both records"
    best = (len(DOCUMENT_LEVELS), a[0], b[0])
    for doc_a in a:
        for doc_b in b:
            rank = DOCUMENT_LEVELS.index(_level(doc_a, doc_b))
            if rank == 0:
                return EXACT, doc_a.written, doc_b.written, _NOTES[EXACT]
            if rank < best[0]:
                best = (rank, doc_a, doc_b)
    level = DOCUMENT_LEVELS[best[0]]
    return level, best[1].written, best[2].written, _NOTES[level]
