"""The keys stored per person in NameSearchKey: name keys for the search box, blocking keys for matching.

Name keys ("f:" folded, "s:" consonant skeleton) come from the matching library, one set per spelling. Blocking
keys combine them so that a candidate lookup touches few rows even for the most common names:
"fy:" family name + year of birth, "gy:" given name + year of birth, "fg:" family + given name, "ss:" their
consonant skeletons.
They are plain string combinations of keys already computed, so indexing costs almost nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from karvon_match import name_search_keys

BLOCKING_PREFIXES = ("fy:", "gy:", "fg:", "ss:")


@lru_cache(maxsize=500_000)
def _name_keys(text: str) -> frozenset[str]:
    return name_search_keys(text)


def _folded(keys: Iterable[str]) -> set[str]:
    return {key[2:] for key in keys if key.startswith("f:")}


def _skeletons(keys: Iterable[str]) -> set[str]:
    return {key[2:] for key in keys if key.startswith("s:")}


def person_index_keys(names: Iterable[tuple[str, str]], birth_date: date | None) -> set[str]:
    """All keys of a person from (part, spelling) pairs and the date of birth."""
    keys: set[str] = set()
    by_part: dict[str, set[str]] = {"given": set(), "family": set(), "patronymic": set()}
    for part, text in names:
        spelling_keys = _name_keys(text)
        keys |= spelling_keys
        by_part.setdefault(part, set()).update(spelling_keys)
    return keys | blocking_keys_of(by_part["family"], by_part["given"], birth_date)


def blocking_keys_of(
    family_keys: Iterable[str], given_keys: Iterable[str], birth_date: date | None
) -> set[str]:
    family, given = _folded(family_keys), _folded(given_keys)
    keys = {f"fg:{f}|{g}" for f in family for g in given}
    if birth_date is not None:
        year = birth_date.year
        keys |= {f"fy:{f}:{year}" for f in family}
        keys |= {f"gy:{g}:{year}" for g in given}
    # Stored keys are at most 64 characters (the column); longer combinations are simply not indexed.
    return {key for key in keys if len(key) <= 64}


def draft_blocking_keys(
    family_texts: Iterable[str], given_texts: Iterable[str], birth_date: date | None
) -> set[str]:
    """Blocking keys of a record being registered; years on either side absorb estimated ages."""
    family = set().union(*(_name_keys(t) for t in family_texts)) if family_texts else set()
    given = set().union(*(_name_keys(t) for t in given_texts)) if given_texts else set()
    keys = blocking_keys_of(family, given, None)
    if birth_date is not None:
        for year in (birth_date.year - 1, birth_date.year, birth_date.year + 1):
            keys |= {f"fy:{f}:{year}" for f in _folded(family)} | {f"gy:{g}:{year}" for g in _folded(given)}
    return keys
