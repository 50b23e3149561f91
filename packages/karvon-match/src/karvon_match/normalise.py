"""Text normalisation shared by every comparison: Unicode form, invisible characters, letter variants."""

from __future__ import annotations

import re
import unicodedata

# The one apostrophe kept for Uzbek oʻ/gʻ and the tutuq belgisi. U+02BC is a letter (category Lm), so
# tokenisers and `str.isalpha` keep it inside a word, unlike the punctuation apostrophes people type.
APOSTROPHE = "\u02bc"

# Characters that change nothing a reader sees but break equality: zero-width space/joiners, LRM/RLM,
# bidi embeddings and isolates, BOM, soft hyphen, word joiner and the Arabic letter mark.
INVISIBLE_CHARACTERS = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u00ad", "\u2060", "\u061c"]
)

# Everything people type for the Uzbek apostrophe. U+00B4 must be handled before NFKC, which would
# turn it into a space and a combining accent.
APOSTROPHE_LIKE = "ʻʼ’‘`'´ʹ′ʽ"

# Arabic-script letters that are written differently across Arabic, Persian, Dari, Pashto and Urdu
# keyboards but spell the same name.
ARABIC_LETTER_VARIANTS = {
    "\u064a": "\u06cc",  # ي Arabic yeh -> ی Farsi yeh
    "\u0649": "\u06cc",  # ى alef maksura -> ی
    "\u06d2": "\u06cc",  # ے Urdu yeh barree -> ی
    "\u0643": "\u06a9",  # ك Arabic kaf -> ک keheh
    "\u0629": "\u0647",  # ة teh marbuta -> ه
    "\u06c0": "\u0647",  # ۀ heh with yeh above -> ه
    "\u06c1": "\u0647",  # ہ Urdu heh goal -> ه
    "\u06c3": "\u0647",  # ۃ teh marbuta goal -> ه
    "\u06d5": "\u0647",  # ە ae -> ه
    "\u0623": "\u0627",  # أ alef with hamza above -> ا
    "\u0625": "\u0627",  # إ alef with hamza below -> ا
    "\u0622": "\u0627",  # آ alef with madda -> ا
    "\u0671": "\u0627",  # ٱ alef wasla -> ا
}

# Harakat/tashkeel, the superscript alef and Quranic annotation marks: rarely written, never reliable.
ARABIC_MARKS = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670"]
    + [chr(c) for c in range(0x06D6, 0x06DD)]
    + [chr(c) for c in range(0x06DF, 0x06E5)]
    + ["\u06e7", "\u06e8"]
    + [chr(c) for c in range(0x06EA, 0x06EE)]
)
TATWEEL = "\u0640"

# Arabic-Indic and Persian digits, so a document number or year typed on a Dari keyboard compares.
EASTERN_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}


def _translation_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for ch in INVISIBLE_CHARACTERS | ARABIC_MARKS | {TATWEEL}:
        table[ord(ch)] = None
    for source, target in (ARABIC_LETTER_VARIANTS | EASTERN_DIGITS).items():
        table[ord(source)] = target
    for ch in APOSTROPHE_LIKE:
        table[ord(ch)] = APOSTROPHE
    return table


_TABLE = _translation_table()
_PRE_NFKC = {ord("´"): APOSTROPHE}
# str.translate with a dict is slow; most names need none of it, so look before translating.
_NEEDS_TRANSLATION_RE = re.compile("[" + re.escape("".join(chr(c) for c in _TABLE)) + "]")


def normalise_text(text: str) -> str:
    """NFKC, invisible characters removed, Arabic-script variants and apostrophes unified; not casefolded."""
    if not text.isascii():
        if "´" in text:
            text = text.translate(_PRE_NFKC)
        text = unicodedata.normalize("NFKC", text)
    if _NEEDS_TRANSLATION_RE.search(text):
        text = text.translate(_TABLE)
    return " ".join(text.split())


def casefold_name(text: str) -> str:
    """Casefold a normalised name, treating Turkish/Azerbaijani dotted İ as a plain i."""
    # "İ".casefold() is "i" + U+0307; the dot would make Turkish spellings differ from all others.
    return text.replace("İ", "i").casefold().replace("\u0307", "")
