"""Which script each letter belongs to, and repair of look-alike letters typed on the wrong keyboard."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LATIN = "Latn"
CYRILLIC = "Cyrl"
ARABIC = "Arab"
COMMON = "Zyyy"
MIXED = "Mixed"
UNKNOWN = "Zzzz"

# (first, last, ISO 15924 code). Modifier letters such as ʻ ʼ are left out on purpose: they are script
# Common and belong in Uzbek Latin, so they must never count as a foreign letter.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, LATIN),
    (0x0061, 0x007A, LATIN),
    (0x00AA, 0x00AA, LATIN),
    (0x00BA, 0x00BA, LATIN),
    (0x00C0, 0x024F, LATIN),
    (0x0250, 0x02AF, LATIN),  # IPA extensions, home of the Azerbaijani ə (U+0259)
    (0x1D00, 0x1D7F, LATIN),
    (0x1E00, 0x1EFF, LATIN),
    (0x2C60, 0x2C7F, LATIN),
    (0xA720, 0xA7FF, LATIN),
    (0xFF21, 0xFF3A, LATIN),
    (0xFF41, 0xFF5A, LATIN),
    (0x0370, 0x03FF, "Grek"),
    (0x1F00, 0x1FFF, "Grek"),
    (0x0400, 0x052F, CYRILLIC),
    (0x1C80, 0x1C8F, CYRILLIC),
    (0x2DE0, 0x2DFF, CYRILLIC),
    (0xA640, 0xA69F, CYRILLIC),
    (0x0530, 0x058F, "Armn"),
    (0x10A0, 0x10FF, "Geor"),
    (0x0590, 0x05FF, "Hebr"),
    (0x0600, 0x06FF, ARABIC),
    (0x0750, 0x077F, ARABIC),
    (0x0870, 0x08FF, ARABIC),
    (0xFB50, 0xFDFF, ARABIC),
    (0xFE70, 0xFEFF, ARABIC),
    (0x0900, 0x097F, "Deva"),
    (0x4E00, 0x9FFF, "Hani"),
)


@lru_cache(maxsize=4096)
def script_of_char(ch: str) -> str:
    """ISO 15924 code of one character: letters get their script, everything else "Zyyy"."""
    if not ch.isalpha():
        return COMMON
    cp = ord(ch)
    for first, last, code in _RANGES:
        if first <= cp <= last:
            return code
    if unicodedata.category(ch) == "Lm":
        return COMMON
    return UNKNOWN


_ASCII_LETTER_RE = re.compile(r"[A-Za-z]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")


def script_of(text: str) -> str:
    """ISO 15924 code of the letters in `text`; "Zyyy" without letters, "Mixed" with two or more scripts."""
    if text.isascii():
        return LATIN if _ASCII_LETTER_RE.search(text) else COMMON
    found = {script_of_char(ch) for ch in set(text)}
    found.discard(COMMON)
    if not found:
        return COMMON
    if len(found) > 1:
        return MIXED
    return found.pop()


def foreign_script_letters(text: str, script: str) -> list[tuple[int, str, str]]:
    """Letters of `text` not in `script`, as (index, character, its script): look-alikes and typos."""
    foreign: list[tuple[int, str, str]] = []
    for index, ch in enumerate(text):
        code = script_of_char(ch)
        if code not in (COMMON, script):
            foreign.append((index, ch, code))
    return foreign


# Cyrillic letters that look like Latin ones (and back). Only pairs a reader cannot tell apart in a
# passport font are listed: these are what a wrong keyboard layout produces.
CYRILLIC_TO_LATIN_LOOKALIKES = {
    "а": "a", "в": "B", "е": "e", "к": "k", "м": "M", "н": "H", "о": "o", "р": "p", "с": "c", "т": "T",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ә": "ə",
    "ү": "Y", "ӏ": "l",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Һ": "H", "Ә": "Ə", "Ү": "Y", "Ԛ": "Q", "Ԝ": "W",
}  # fmt: skip
LATIN_TO_CYRILLIC_LOOKALIKES = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "i": "і", "j": "ј", "s": "ѕ",
    "h": "һ", "ə": "ә", "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р",
    "C": "С", "T": "Т", "X": "Х", "Y": "У", "I": "І", "J": "Ј", "S": "Ѕ", "Ə": "Ә",
}  # fmt: skip
# Greek capitals that turn up in Latin text copied from some document scanners.
_GREEK_TO_LATIN = {"Α": "A", "Β": "B", "Ε": "E", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
                   "Ρ": "P", "Τ": "T", "Χ": "X", "Υ": "Y", "Ζ": "Z", "ο": "o"}  # fmt: skip


def repair_homoglyphs(word: str) -> str:
    """Replace look-alike letters of a minority script by those of the word's main script.

    Only Latin/Cyrillic mixes are repaired (Greek capitals count as Latin look-alikes); a letter with
    no look-alike is left as it is, so a genuinely mixed word stays mixed.
    """
    # Nothing to repair without Cyrillic or Greek letters: the common case, answered quickly.
    if word.isascii() or (not _CYRILLIC_RE.search(word) and not any(ch in _GREEK_TO_LATIN for ch in word)):
        return word
    latin = cyrillic = greek = 0
    for ch in word:
        code = script_of_char(ch)
        if code == LATIN:
            latin += 1
        elif code == CYRILLIC:
            cyrillic += 1
        elif ch in _GREEK_TO_LATIN:
            greek += 1
    if latin and cyrillic:
        # Ties go to Latin; the look-alike letters are the ones most often typed by accident.
        table = CYRILLIC_TO_LATIN_LOOKALIKES if latin >= cyrillic else LATIN_TO_CYRILLIC_LOOKALIKES
        word = "".join(table.get(ch, ch) for ch in word)
    if greek and latin > cyrillic:
        word = "".join(_GREEK_TO_LATIN.get(ch, ch) for ch in word)
    return word
