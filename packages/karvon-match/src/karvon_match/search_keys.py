"""Search keys: short strings stored per name spelling so that any spelling of a name finds the others.

Keys are stored in databases. Any change to normalisation, transliteration, folding or skeletons that
changes a key must bump `SEARCH_KEY_VERSION`, and every stored key must then be recomputed.
"""

from __future__ import annotations

from karvon_match.structure import compound_parts, letter_count, tokenise
from karvon_match.tokens import TokenForms, analyse_token

SEARCH_KEY_VERSION = 1

FOLDED_PREFIX = "f:"
SKELETON_PREFIX = "s:"


def token_keys(forms: TokenForms) -> set[str]:
    """The "f:" folded and "s:" skeleton keys of one analysed word."""
    keys = {FOLDED_PREFIX + f for f in forms.folds}
    keys.update(SKELETON_PREFIX + s for s in forms.skeletons)
    return keys


# Shortest skeleton of a compound's part worth a key of its own: "rhmn" is, "z" (of Aziz) is not.
MIN_PART_SKELETON = 3
# The Arabic article and its assimilated forms, written as separate words in "Nur ud Din", "Abd al Aziz".
# A query word like this would have to match on its own, which a one-word spelling (Nuriddin) cannot.
ARTICLE_PARTICLES = frozenset(
    {"al", "el", "ul", "ud", "ad", "ur", "ar", "as", "us", "uz", "az", "ash", "ush"}
)


def _word_keys(word: str) -> set[str]:
    forms = analyse_token(word)
    keys = token_keys(forms)
    # A one-word compound also answers a query for its parts: Abdurakhmon is found by "Abdul Rahman".
    for part in compound_parts(forms.folded):
        part_forms = analyse_token(part)
        keys.update(FOLDED_PREFIX + f for f in part_forms.folds)
        keys.update(SKELETON_PREFIX + s for s in part_forms.skeletons if len(s) >= MIN_PART_SKELETON)
    return keys


def _name_words(text: str) -> list[str]:
    return [t for t in tokenise(text) if letter_count(t) >= 2 and not any(ch.isdigit() for ch in t)]


def name_search_keys(text: str) -> frozenset[str]:
    """Keys to index one name spelling (one name part, possibly several words)."""
    words = _name_words(text)
    keys: set[str] = set()
    for word in words:
        keys |= _word_keys(word)
    if len(words) > 1:
        # Compounds written apart: "Abdul Rahman" also gets the keys of "abdulrahman"; neighbours are
        # joined pairwise so that "Mohammad Abdul Rahman" still yields "abdulrahman".
        forms = [analyse_token(w) for w in words]
        # Words of one script are joined as written (Arabic skeletons need the letters); a mix of
        # scripts is joined through its Latin forms.
        parts = words if len({f.script for f in forms}) == 1 else [f.latin for f in forms]
        joined = ["".join(parts)] + ["".join(parts[i : i + 2]) for i in range(len(parts) - 1)]
        for word in dict.fromkeys(joined):
            keys |= token_keys(analyse_token(word))
    return frozenset(keys)


def query_search_keys(text: str) -> list[frozenset[str]]:
    """Keys per word of a free-text query; a word matches an indexed spelling when the sets intersect.

    Digits, one-letter words, the separate Arabic article ("ud" in "Nur ud Din") and words that give
    no key at all (symbols of no known script) are left out.
    """
    words = [w for w in _name_words(text) if w not in ARTICLE_PARTICLES]
    keys = [frozenset(token_keys(analyse_token(word))) for word in words]
    return [k for k in keys if k]
