"""Every comparable form of one name word, computed once per distinct word and cached."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from karvon_match.fold import fold_readings, skeleton_of_folded, skeletons_of
from karvon_match.normalise import casefold_name, normalise_text
from karvon_match.scripts import repair_homoglyphs, script_of
from karvon_match.structure import family_root, gendered_stem
from karvon_match.transliterate import to_latin


@dataclass(frozen=True, slots=True)
class TokenForms:
    """One name word in all the forms comparisons use.

    `folds` holds every folded Latin reading (the first is `folded`); `skeletons` the consonant
    skeletons. `stems` and `roots` serve family names: the masculine form without the gendered ending,
    and the root without -ov/-ev/-zoda, each also as an "s:" skeleton so Arabic spellings can agree.
    """

    text: str
    script: str
    latin: str
    folded: str
    folds: frozenset[str]
    skeletons: frozenset[str]
    gender: str | None
    stems: frozenset[str]
    suffix_kind: str
    roots: frozenset[str]


def _with_skeletons(values: set[str]) -> frozenset[str]:
    return frozenset(values | {"s:" + s for s in map(skeleton_of_folded, values) if s})


@lru_cache(maxsize=1 << 18)
def analyse_token(word: str) -> TokenForms:
    """All forms of one word; `word` may be raw (it is normalised, casefolded and repaired here)."""
    text = repair_homoglyphs(casefold_name(normalise_text(word)))
    script = script_of(text)
    latin = to_latin(text)
    readings = fold_readings(latin, script)
    folded = readings[0] if readings else ""
    skeletons = skeletons_of(readings, text, script)
    stem, gender = gendered_stem(folded)
    root, suffix_kind = family_root(folded)
    return TokenForms(
        text=text,
        script=script,
        latin=latin,
        folded=folded,
        folds=frozenset(readings),
        skeletons=frozenset(skeletons),
        gender=gender,
        stems=_with_skeletons({stem}) if gender else frozenset(),
        suffix_kind=suffix_kind,
        roots=_with_skeletons({root}) if suffix_kind else frozenset(),
    )
