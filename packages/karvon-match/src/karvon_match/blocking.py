"""Blocking keys: cheap keys under which likely matches meet, so only candidates are compared in full."""

from __future__ import annotations

from karvon_match.features import NameFeatures, PersonFeatures, PersonRecord, person_features
from karvon_match.structure import gendered_stem

# Keys are stored beside records, like search keys: bump when the key recipe changes, and rebuild.
BLOCKING_KEY_VERSION = 2


def _family_words(names: NameFeatures) -> set[str]:
    # The masculine form, so that Saidova blocks with Saidov.
    return {gendered_stem(t.folded)[0] for s in names.spellings for t in s.tokens if t.folded}


def _first_skeletons(names: NameFeatures) -> set[str]:
    return {sk for s in names.spellings for sk in s.tokens[0].skeletons}


def _years(features: PersonFeatures) -> list[int]:
    year = features.birth.year
    if year is None:
        return []
    # An estimated year, or a year written alone (or as 1 January), is often a year out in the other record:
    # ages are estimated, and a year of birth computed from an age is off by one for half the year.
    return [year - 1, year, year + 1] if features.birth.precision in ("estimated", "year") else [year]


def blocking_keys(record: PersonRecord | PersonFeatures) -> frozenset[str]:
    """Keys of a record; two records are compared when they share at least one.

    * ``fy:`` folded family word (masculine form) and birth year,
    * ``gy:`` folded first given word and birth year (people registered under one name),
    * ``sk:`` consonant skeletons of first given and first family word, in sorted order so that a
      record with the two names crossed still meets,
    * ``doc:`` document number with OCR look-alikes folded.
    """
    features = record if isinstance(record, PersonFeatures) else person_features(record)
    keys: set[str] = set()
    years = _years(features)
    for word in _family_words(features.family):
        keys.update(f"fy:{word}:{year}" for year in years)
    for spelling in features.given.spellings:
        if spelling.tokens[0].folded:
            keys.update(f"gy:{spelling.tokens[0].folded}:{year}" for year in years)
    for given in _first_skeletons(features.given):
        for family in _first_skeletons(features.family):
            first, second = sorted((given, family))
            keys.add(f"sk:{first}|{second}")
    keys.update(f"doc:{document.ocr}" for document in features.documents)
    return frozenset(keys)
