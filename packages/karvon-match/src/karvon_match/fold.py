"""Folding of broad Latin spellings into keys that romanisation systems agree on, and consonant skeletons.

Changing anything here changes search keys stored in databases: bump `SEARCH_KEY_VERSION` in
`search_keys.py` and reindex.
"""

from __future__ import annotations

import re
from functools import lru_cache

from karvon_match.normalise import APOSTROPHE
from karvon_match.scripts import ARABIC, CYRILLIC, LATIN

# Multi-letter spellings of one sound, longest first, and single letters whose use differs by scheme.
# "c" is read as "ts" (ISO 9, Polish, Latvian: Coi = Цой); the Turkish/Azerbaijani "c" = "j" reading is
# added as a variant by `fold_readings`.
_DIGRAPHS = {
    "shch": "shch", "dzh": "j", "tch": "ch", "zh": "j", "kh": "h", "gh": "g", "dj": "j",
    "tc": "ts", "ch": "ch", "sh": "sh", "ts": "ts", "c": "ts", "x": "h", "q": "k", "w": "v", "y": "i",
}  # fmt: skip
_DIGRAPH_RE = re.compile("|".join(sorted(_DIGRAPHS, key=len, reverse=True)))
_NOT_LETTER_RE = re.compile(r"[^a-z" + APOSTROPHE + "]")
# After the first pass "y" is "i": "ye" (BGN Yevgeniy, Aliyev) is "ie". It is dropped where a vowel or
# the start of the word already carries the glide: Yevgeniy/Evgenii, Sergeyev/Sergeev, Boyev/Boev.
_GLIDE_E_RE = re.compile(r"(?:^|(?<=[aeiou]))ie")
# English-style long vowels of Pakistani and Afghan passports: Naveed/Navid, Mahmood/Mahmud, Yousuf.
_LONG_VOWEL_RE = re.compile(r"ee|oo|ou")
_LONG_VOWELS = {"ee": "i", "oo": "u", "ou": "u"}
_DOUBLE_RE = re.compile(r"(.)\1+")
# Persian "son of" family suffix: -zoda (Tajik), -zade (Turkish/Azerbaijani), -zada/-zadeh (Dari).
_ZADA_RE = re.compile(r"z[aoe]d[aeo]h?$")
VOWELS = frozenset("aeiou")
# What a folding pass could still change in its own output; usually absent, so one pass is enough.
_UNSETTLED_RE = re.compile(r"kh|zh|gh|dj|tc|ee|oo|ou|^ie|[aeiou]ie|abd|(.)\1")


def _digraph(match: re.Match[str]) -> str:
    return _DIGRAPHS[match.group()]


@lru_cache(maxsize=1 << 18)
def fold_latin(latin: str) -> str:
    """Fold one broad Latin word: merge kh/h/x, j/zh/dzh/dj, y/i, ts/c, q/k, w/v, doubles, glides.

    Idempotent: a folded word folds to itself, so folded stems can be folded again safely.
    """
    folded = _fold_once(latin)
    for _ in range(4):  # one pass can create a new digraph (q+h -> "kh"); a few passes settle it
        if not _UNSETTLED_RE.search(folded):
            break
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return folded


def _fold_once(latin: str) -> str:
    text = latin.lower()
    # Uzbek oʻ is Russified as у (Уринбоев) and gʻ as г: fold them to u and g before apostrophes go.
    text = text.replace("o" + APOSTROPHE, "u").replace("g" + APOSTROPHE, "g")
    text = _NOT_LETTER_RE.sub("", text).replace(APOSTROPHE, "")
    text = _DIGRAPH_RE.sub(_digraph, text)
    text = _GLIDE_E_RE.sub("e", text)
    text = _LONG_VOWEL_RE.sub(lambda m: _LONG_VOWELS[m.group()], text)
    # Final devoicing (Turkmen/Turkish Muhammet, Ahmet, Yakup) is a spelling difference, not a new name.
    if text.endswith("t"):
        text = text[:-1] + "d"
    elif text.endswith("p"):
        text = text[:-1] + "b"
    text = _DOUBLE_RE.sub(r"\1", text)
    text = _ZADA_RE.sub("zada", text)
    text = _canonical_abd(text)
    return text


def _canonical_abd(text: str) -> str:
    """One spelling of the "servant of" compounds: Abdurakhmon, Abdul Rahman, Abdelaziz, Abdrakhman."""
    if not text.startswith("abd") or len(text) < 5:
        return text
    rest = text[3:]
    if rest[0] in VOWELS:
        rest = rest[1:]
    has_l = rest.startswith("l")
    if has_l:
        rest = rest[1:]
    if not rest:
        return text
    # The article's l is kept only before a vowel (Abdulaziz); before a consonant it is assimilated or
    # dropped in Central Asian spellings (Abdurrahmon, Abdurakhmon, Abdusalom).
    return ("abdul" if has_l and rest[0] in VOWELS else "abdu") + rest


def _g_as_h(text: str) -> str:
    # Russian writes h as г: Гусейнов (Hüseynov), Гасанов (Həsənov), Магомед (Muhammad). "ng" stays.
    return re.sub(r"(?<!n)g", "h", text)


def fold_readings(latin: str, script: str) -> tuple[str, ...]:
    """Folded readings of one word: the main one first, then variants for letters read two ways.

    A Latin "j" may be the "y" of Slavic-style spellings (Jusupov, Husejnov), a Latin "c" the "j" of
    Turkish and Azerbaijani (Cavid), a Latin "q" the g of Azerbaijani (Qasımov = Гасымов), and in Latin
    or Cyrillic spellings from Russian a "g" may stand for "h" (Гасанов, Gasanov).
    """
    readings = [fold_latin(latin)]
    if script in (LATIN, "Mixed"):
        if "j" in latin:
            # Every j, also after d: scholarly "Djurabaev" is Дюрабаев, not Джурабаев.
            readings.append(fold_latin(latin.replace("j", "y")))
        if re.search(r"c(?!h)", latin):
            readings.append(fold_latin(re.sub(r"c(?!h)", "j", latin)))
        if "q" in latin:
            # Azerbaijani q is a g, Russified as г: Qasımov = Гасымов.
            readings.append(fold_latin(latin.replace("q", "g")))
    if script in (LATIN, CYRILLIC, "Mixed"):
        readings.extend([_g_as_h(r) for r in readings if "g" in r.replace("ng", "")])
    return tuple(dict.fromkeys(r for r in readings if r))


# --- Consonant skeletons --------------------------------------------------------------------------------

_SKELETON_DIGRAPHS_RE = re.compile(r"sh|ch")
_SKELETON_DIGRAPHS = {"sh": "S", "ch": "C"}


def _finish_skeleton(consonants: str) -> str:
    text = _DOUBLE_RE.sub(r"\1", consonants)
    if text.endswith("t"):
        text = text[:-1] + "d"
    elif text.endswith("p"):
        text = text[:-1] + "b"
    # Final h is the silent heh of Persian spellings (Fatemeh, فاطمه) or the h of Allah: drop it.
    if len(text) > 1 and text.endswith("h"):
        text = text[:-1]
    if text.startswith("bdl") and len(text) > 3:
        text = "bd" + text[3:]
    return text


@lru_cache(maxsize=1 << 18)
def skeleton_of_folded(folded: str) -> str:
    """Consonant skeleton of a folded word: vowels dropped, f/v/w merged; sh and ch kept as one symbol."""
    text = _SKELETON_DIGRAPHS_RE.sub(lambda m: _SKELETON_DIGRAPHS[m.group()], folded)
    text = "".join(ch for ch in text if ch not in VOWELS).replace("f", "v")
    return _finish_skeleton(text)


# Skeleton symbol of each Arabic-script consonant; vowel carriers (ا ی ع ء ئ) are left out and و is read
# both ways by `arabic_skeletons`.
_ARABIC_SKELETON = {
    "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "C", "ح": "h", "خ": "h", "د": "d", "ذ": "z",
    "ر": "r", "ز": "z", "ژ": "j", "س": "s", "ش": "S", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "غ": "g",
    "ف": "v", "ق": "k", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "ټ": "t", "ډ": "d", "ړ": "r", "ڼ": "n", "ږ": "j", "ښ": "S", "ځ": "z", "څ": "ts",
    "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n", "ھ": "h", "ۋ": "v", "ڤ": "v", "ڭ": "ng",
}  # fmt: skip


@lru_cache(maxsize=1 << 16)
def arabic_skeletons(word: str) -> tuple[str, ...]:
    """Consonant skeletons of an Arabic-script word, with و read as a vowel and as the consonant v.

    Short vowels are not written in Arabic script, and long ones are written with ا و ی, so only the
    consonants can be compared with a Latin spelling: محمد, Muhammad and Mohammed all give "mhmd".
    """
    # A medial article (نورالدین Nur al-Din) is dropped by Latin spellings: Nuriddin. Read it both ways.
    spellings = [word, word[:1] + word[1:].replace("ال", "ا")] if "ال" in word[1:] else [word]
    skeletons: list[str] = []
    for spelling in spellings:
        as_vowel: list[str] = []
        as_consonant: list[str] = []
        for ch in spelling:
            if ch == "و":
                as_consonant.append("v")
            elif ch in _ARABIC_SKELETON:
                symbol = _ARABIC_SKELETON[ch]
                as_vowel.append(symbol)
                as_consonant.append(symbol)
        skeletons += [_finish_skeleton("".join(as_vowel)), _finish_skeleton("".join(as_consonant))]
    return tuple(dict.fromkeys(s for s in skeletons if s))


def skeletons_of(folded_readings: tuple[str, ...], word: str, script: str) -> tuple[str, ...]:
    """All consonant skeletons of a word: from its Arabic letters, or from each folded Latin reading."""
    if script == ARABIC:
        return arabic_skeletons(word)
    return tuple(dict.fromkeys(s for s in map(skeleton_of_folded, folded_readings) if s))
