"""Transliteration to Latin: rule tables per source language and per passport romanisation scheme.

The tables are written for this library from the published standards (ICAO Doc 9303 Part 3, Russian
GOST R 52535.1-2006, the 1997 Russian MVD passport rules, BGN/PCGN, the official Uzbek and Kazakh Latin
alphabets) and from observed practice; no third-party table was copied.

Two kinds of output exist:

* `transliterate_cyrillic(text, scheme)` reproduces one named scheme, with case, for display and tests;
* `to_latin(word)` gives the *broad* lowercase Latin form used for matching: one table that accepts the
  letters of every Cyrillic alphabet in the region at once (the language of a name is rarely known), and
  Latin letters of the Turkic alphabets reduced to plain ASCII digraphs. `fold.py` then removes the
  differences between romanisation schemes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from karvon_match.normalise import APOSTROPHE, APOSTROPHE_LIKE, casefold_name
from karvon_match.scripts import ARABIC, script_of_char

# --- Cyrillic -----------------------------------------------------------------------------------------

_RUSSIAN_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip

# ICAO Doc 9303 Part 3 (machine readable passports since 2013 in Russia, Kazakhstan, Kyrgyzstan...).
ICAO_9303 = _RUSSIAN_COMMON | {
    "ґ": "g", "є": "ie", "і": "i", "ї": "i", "ў": "u", "ђ": "d", "ѓ": "g", "ѕ": "dz", "ј": "j", "љ": "lj",
    "њ": "nj", "ћ": "c", "ќ": "k", "џ": "dz",
}  # fmt: skip
# GOST R 52535.1-2006: Russian passports 2010-2013; differs from ICAO in ц and ъ.
GOST_52535 = _RUSSIAN_COMMON | {"ц": "tc", "ъ": ""}
# Russian MVD rules of 1997 for foreign passports (until 2010).
MVD_1997 = _RUSSIAN_COMMON | {"й": "y", "ъ": "", "ю": "yu", "я": "ya"}
# BGN/PCGN 1947 for Russian; "е"/"ё" become "ye"/"yë" at the start of a word and after a vowel or ъ/ь.
BGN_PCGN = _RUSSIAN_COMMON | {"ё": "ë", "й": "y", "ъ": "ʺ", "ь": "ʹ", "ю": "yu", "я": "ya", "э": "ė"}
# The scholarly (ISO/R 9 style) system found in older Soviet and academic records.
SCIENTIFIC = _RUSSIAN_COMMON | {
    "ё": "ë", "ж": "ž", "й": "j", "х": "x", "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "ъ": "ʺ", "ь": "ʹ",
    "э": "è", "ю": "ju", "я": "ja",
}  # fmt: skip
# What people type without any standard: phone keyboards, social media, many handwritten forms.
INFORMAL = _RUSSIAN_COMMON | {
    "ё": "yo", "ж": "j", "й": "y", "х": "x", "щ": "sh", "ъ": "", "ы": "i", "ю": "yu", "я": "ya",
}  # fmt: skip

# National alphabets: Cyrillic of each language to its own Latin spelling.
TAJIK = _RUSSIAN_COMMON | {
    "ғ": "gh", "ӣ": "i", "қ": "q", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ё": "yo", "й": "y", "ъ": APOSTROPHE,
    "ю": "yu", "я": "ya",
}  # fmt: skip
UZBEK = _RUSSIAN_COMMON | {
    "ё": "yo", "ж": "j", "й": "y", "х": "x", "ъ": APOSTROPHE, "ю": "yu", "я": "ya", "ў": "o" + "\u02bb",
    "қ": "q", "ғ": "g" + "\u02bb", "ҳ": "h", "ц": "ts",
}  # fmt: skip
# Kazakh Latin alphabet of 2021.
KAZAKH = _RUSSIAN_COMMON | {
    "ә": "ä", "ғ": "ğ", "қ": "q", "ң": "ñ", "ө": "ö", "ұ": "ū", "ү": "ü", "һ": "h", "і": "ı", "ё": "io",
    "ж": "j", "й": "i", "х": "h", "ч": "ç", "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "ю": "iu", "я": "ia",
}  # fmt: skip
# Kyrgyz BGN/PCGN.
KYRGYZ = _RUSSIAN_COMMON | {
    "ң": "ng", "ө": "ö", "ү": "ü", "ё": "yo", "ж": "j", "й": "y", "ъ": "", "ю": "yu", "я": "ya",
}  # fmt: skip

CYRILLIC_SCHEMES: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "icao": MappingProxyType(ICAO_9303),
    "gost52535": MappingProxyType(GOST_52535),
    "mvd": MappingProxyType(MVD_1997),
    "bgn": MappingProxyType(BGN_PCGN),
    "scientific": MappingProxyType(SCIENTIFIC),
    "informal": MappingProxyType(INFORMAL),
    "tg": MappingProxyType(TAJIK),
    "uz": MappingProxyType(UZBEK),
    "kk": MappingProxyType(KAZAKH),
    "ky": MappingProxyType(KYRGYZ),
})  # fmt: skip

# Letters written with a "y" glide at the start of a word and after a vowel (or hard/soft sign).
_GLIDE_AFTER_VOWEL: Mapping[str, Mapping[str, str]] = {
    "bgn": {"е": "ye", "ё": "yë"},
    "uz": {"е": "ye"},
    "tg": {"е": "ye"},
    "ky": {"е": "ye"},
    "informal": {"е": "ye"},
}
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяәөүұіӣӯўъь")

# Broad table for matching: every Cyrillic letter used in the region. Tajik ҷ is written "dzh" (not "j")
# so that every bare "j" reaching the folder came from Latin input, where it may also mean "y".
CYRILLIC_BROAD: Mapping[str, str] = MappingProxyType(_RUSSIAN_COMMON | {
    "ё": "yo", "й": "y", "ъ": "", "ю": "yu", "я": "ya",
    "ғ": "gh", "ӣ": "i", "қ": "q", "ӯ": "u", "ҳ": "h", "ҷ": "dzh",  # Tajik
    "ә": "a", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",  # Kazakh, Kyrgyz
    "ў": "u",  # Uzbek; ў is Russified as у, and oʻ folds to "u" too
    "ґ": "g", "є": "ye", "ї": "yi", "ј": "j", "ѓ": "g", "ќ": "k", "ђ": "dj", "ћ": "ch", "љ": "lj",
    "њ": "nj", "џ": "dzh", "ѕ": "dz", "ҕ": "gh", "ҙ": "z", "ҫ": "s", "ӑ": "a", "ӗ": "e", "ӳ": "u",
    "ӧ": "o", "ӱ": "u", "ӓ": "a",
})  # fmt: skip


def transliterate_cyrillic(text: str, scheme: str = "icao") -> str:
    """Romanise Cyrillic `text` with one named scheme (see `CYRILLIC_SCHEMES`), keeping letter case."""
    table = CYRILLIC_SCHEMES[scheme]
    glides = _GLIDE_AFTER_VOWEL.get(scheme, {})
    out: list[str] = []
    previous = ""
    previous_upper = False
    for index, ch in enumerate(text):
        lower = ch.lower()
        mapped = table.get(lower)
        if mapped is not None:
            if lower in glides and (not previous.isalpha() or previous in _CYRILLIC_VOWELS):
                mapped = glides[lower]
            if ch.isupper() and mapped:
                following = text[index + 1] if index + 1 < len(text) else ""
                # Inside an all-capitals word a digraph stays all capitals (SHCH), otherwise Title (Shch).
                mapped = mapped.upper() if following.isupper() or previous_upper else mapped.capitalize()
            out.append(mapped)
        else:
            out.append(ch)
        previous, previous_upper = lower, ch.isupper()
    return "".join(out)


# --- Latin alphabets of the region ------------------------------------------------------------------

# Turkish, Azerbaijani, Turkmen, Uzbek, Kazakh (2018 and 2021) and scholarly letters reduced to the ASCII
# digraphs that passports and Russian-speaking clerks use.
LATIN_LETTERS: Mapping[str, str] = MappingProxyType({
    "ş": "sh", "ș": "sh", "ç": "ch", "ğ": "g", "ǵ": "g", "ı": "i", "ə": "a", "ä": "a", "ö": "o", "ü": "u",
    "ž": "zh", "č": "ch", "š": "sh", "ň": "ng", "ñ": "ng", "ŋ": "ng", "ń": "ng", "ý": "y", "ḥ": "h",
    "ẖ": "kh", "ḫ": "kh", "ṣ": "s", "ṭ": "t", "ḍ": "d", "ẓ": "z", "ā": "a", "ī": "i", "ū": "u", "ō": "o",
    "ē": "e", "ŭ": "u", "ß": "ss", "æ": "ae", "ø": "o", "đ": "dj", "ł": "l", "ŝ": "shch", "û": "yu", "â": "a",
    "ʺ": "", "ʹ": "", "ė": "e", "ë": "yo", "è": "e", "ú": "u", "ó": "o", "ǧ": "g", "ȟ": "kh", "ĥ": "kh",
})  # fmt: skip


def _latin_base(ch: str) -> str:
    """The plain letter of a Latin letter without decomposition: ƀ (B WITH STROKE) -> b."""
    if len(ch) != 1 or ch.isascii() or script_of_char(ch) != "Latn":
        return ch
    words = unicodedata.name(ch, "").split()
    if "LETTER" in words:
        letter = words[words.index("LETTER") + 1 :][:1]
        if letter and len(letter[0]) == 1:
            return letter[0].lower()
    return ch


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- Arabic script (Dari, Pashto, Persian, Urdu, Arabic) ----------------------------------------------

# Consonant letters after `normalise_text` (Arabic variants already unified).
ARABIC_CONSONANTS: Mapping[str, str] = MappingProxyType({
    "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh", "د": "d", "ذ": "z",
    "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "غ": "gh",
    "ف": "f", "ق": "q", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "ټ": "t", "ډ": "d", "ړ": "r", "ڼ": "n", "ږ": "zh", "ښ": "sh", "ځ": "dz", "څ": "ts",  # Pashto
    "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n", "ھ": "h",  # Urdu
    "ۋ": "v", "ڤ": "v", "ڭ": "ng", "ۆ": "o", "ۇ": "u",
})  # fmt: skip
ARABIC_VOWEL_CARRIERS = frozenset("اوییېۍئؤء")
ARABIC_SILENT = frozenset("عءئؤ")
# Persian spellings of Russified family-name endings, longest first: "-ov", "-ova", "-ev", "-eva".
ARABIC_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ووا", "ova"),
    ("اوا", "ova"),
    ("یوا", "yeva"),
    ("یاف", "yev"),
    ("یف", "yev"),
    ("وف", "ov"),
    ("وا", "ova"),
)
# Stems shorter than this before the ending are names of their own: Latif لطیف, Sharif شریف, Shiva شیوا.
_SHORTEST_STEM = {"یف": 3, "وا": 3}


def _arabic_core(word: str) -> str:
    out: list[str] = []
    last = len(word) - 1
    index = 0
    while index <= last:
        ch = word[index]
        before = word[index - 1] if index else ""
        after = word[index + 1] if index < last else ""
        if ch in ARABIC_CONSONANTS:
            if ch == "ه" and index == last and index >= 2 and before not in "او":
                out.append("a")  # final silent heh: Fatima فاطمه, -zade زاده, Allah الله
            else:
                out.append(ARABIC_CONSONANTS[ch])
        elif ch == "ا":
            if index == 0 and after == "و":
                out.append("u")
                index += 1
            elif index == 0 and after == "ی":
                out.append("i")
                index += 1
            else:
                out.append("a")
        elif ch == "و":
            out.append("v" if index == 0 or before == "ا" or after == "ا" else "u")
        elif ch == "ی":
            out.append("y" if index == 0 or before == "ا" or after in ("ا", "و") else "i")
        elif ch == "ې":
            out.append("e")
        elif ch == "ۍ":
            out.append("ai")
        elif ch == "ع" and index == 0 and after not in ARABIC_VOWEL_CARRIERS:
            out.append("a")  # initial ayn before a consonant: Ali علی, Abd عبد
        elif ch in ARABIC_SILENT:
            pass
        elif script_of_char(ch) != ARABIC:
            out.append(ch)
        index += 1
    return "".join(out)


def transliterate_arabic(text: str) -> str:
    """Lowercase Latin reading of Arabic-script names; short vowels are not written and stay a guess."""
    words = []
    for word in text.split():
        ending = ""
        for suffix, latin in ARABIC_ENDINGS:
            stem = word[: -len(suffix)]
            # Rauf رئوف is not Russified: its stem ends in a silent letter.
            shortest = _SHORTEST_STEM.get(suffix, 2)
            if word.endswith(suffix) and len(stem) >= shortest and stem[-1] not in ARABIC_SILENT:
                word, ending = stem, latin
                break
        words.append(_arabic_core(word) + ending)
    return " ".join(words)


# --- Any script to broad Latin ------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def to_latin(word: str) -> str:
    """Broad lowercase Latin form of one word in any script, for matching (not for display)."""
    word = casefold_name(word)
    if any(script_of_char(ch) == ARABIC for ch in word):
        return transliterate_arabic(word)
    out: list[str] = []
    for ch in word:
        if ch in CYRILLIC_BROAD:
            out.append(CYRILLIC_BROAD[ch])
        elif ch in LATIN_LETTERS:
            out.append(LATIN_LETTERS[ch])
        elif ch in APOSTROPHE_LIKE:
            out.append(APOSTROPHE)
        elif ch.isascii():
            out.append(ch)
        else:
            # A rare letter such as ӂ or é: drop the diacritic and read the base letter.
            base = _strip_marks(ch)
            out.append(CYRILLIC_BROAD.get(base, LATIN_LETTERS.get(base, _latin_base(base))))
    return "".join(out)
