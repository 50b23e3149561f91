"""Transliteration between the scripts and romanisations that the region's registers use for one name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Lang = Literal["rus", "kaz", "kir", "tgk", "uzb"]
LatinLang = Literal["en", "tuk", "tur", "aze", "uzb"]


class _Rules:
    """Longest-match rewrite rules; word-initial and after-vowel rules win over the plain ones."""

    __slots__ = ("after_vowel", "initial", "longest", "plain", "turkic", "vowels")

    def __init__(
        self,
        plain: Mapping[str, str],
        *,
        initial: Mapping[str, str] | None = None,
        after_vowel: Mapping[str, str] | None = None,
        vowels: str = "",
        turkic: bool = False,
    ) -> None:
        self.plain = dict(plain)
        self.initial = dict(initial or {})
        self.after_vowel = dict(after_vowel or {})
        self.vowels = vowels
        self.turkic = turkic
        self.longest = max(len(key) for key in (*self.plain, *self.initial, *self.after_vowel))

    def apply(self, text: str) -> str:
        # Turkish and Azerbaijani dotted/dotless i must not be lowered the English way (İ would become two
        # code points and shift every index after it).
        low = "".join(_TURKIC_LOWER.get(ch, ch.lower()) for ch in text) if self.turkic else text.lower()
        out: list[str] = []
        i, n = 0, len(low)
        while i < n:
            at_start = i == 0 or low[i - 1] in " -"
            after_vowel = i > 0 and low[i - 1] in self.vowels
            target: str | None = None
            size = 1
            for size in range(min(self.longest, n - i), 0, -1):
                chunk = low[i : i + size]
                if at_start and chunk in self.initial:
                    target = self.initial[chunk]
                elif after_vowel and chunk in self.after_vowel:
                    target = self.after_vowel[chunk]
                else:
                    target = self.plain.get(chunk)
                if target is not None:
                    break
            if target is None:
                target, size = low[i], 1
            if target and text[i].isupper():
                target = target[0].upper() + target[1:]
            out.append(target)
            i += size
        return "".join(out)


_TURKIC_LOWER = {"İ": "i", "I": "ı"}

# ICAO Doc 9303 Part 3 (7th edition) table for the Russian letters, as Russian passports have used since 2014.
_RU_ICAO = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
# ICAO leaves the Central Asian letters to the issuing state; these follow each state's passports.
_NATIONAL_PASSPORT: dict[str, dict[str, str]] = {
    "rus": {},
    "kaz": {"ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i"},
    "kir": {"ң": "n", "ө": "o", "ү": "u"},
    # Tajik passports write й ё ю я as y yo yu ya, not ICAO's i e iu ia, and drop the hard sign.
    "tgk": {
        "ғ": "gh",
        "ӣ": "i",
        "қ": "q",
        "ӯ": "u",
        "ҳ": "h",
        "ҷ": "j",
        "й": "y",
        "ё": "yo",
        "ю": "yu",
        "я": "ya",
        "ъ": "",
    },
    "uzb": {"ў": "u", "қ": "q", "ғ": "g", "ҳ": "h"},
}
# How people write their own names in Latin letters (messengers, forms filled in by hand): BGN-like.
_RU_INFORMAL = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
_NATIONAL_INFORMAL: dict[str, dict[str, str]] = {
    "rus": {},
    "kaz": {"ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i"},
    "kir": {"ң": "n", "ө": "o", "ү": "u", "ж": "j"},
    "tgk": {"ғ": "gh", "ӣ": "i", "қ": "q", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ъ": ""},
    "uzb": {"ў": "o'", "қ": "q", "ғ": "g'", "ҳ": "h"},
}
_CYR_VOWELS = "аеёиоуыэюяәөұүіӣӯў"

# Russian-language papers write the national letters with the nearest Russian ones.
_RUSSIFY: dict[str, dict[str, str]] = {
    "rus": {},
    "kaz": {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"},
    "kir": {"ң": "н", "ө": "о", "ү": "у"},
    "tgk": {"ғ": "г", "ӣ": "и", "қ": "к", "ӯ": "у", "ҳ": "х", "ҷ": "дж"},
    "uzb": {"ў": "у", "қ": "к", "ғ": "г", "ҳ": "х"},
}

_PASSPORT = {lang: _Rules({**_RU_ICAO, **table}) for lang, table in _NATIONAL_PASSPORT.items()}
_INFORMAL = {
    lang: _Rules(
        {**_RU_INFORMAL, **table},
        initial={"е": "ye"} if lang == "rus" else None,
        after_vowel={"е": "ye"} if lang == "rus" else None,
        vowels=_CYR_VOWELS + "ъь",
    )
    for lang, table in _NATIONAL_INFORMAL.items()
}
_RUSSIFIERS = {lang: _Rules(table or {"а": "а"}) for lang, table in _RUSSIFY.items()}

_UZ_TO_CYR = _Rules(
    {
        "yoʻ": "йў",
        "oʻ": "ў",
        "gʻ": "ғ",
        "sh": "ш",
        "ch": "ч",
        "yo": "ё",
        "yu": "ю",
        "ya": "я",
        "ye": "е",
        "ʼ": "ъ",
        "a": "а",
        "b": "б",
        "d": "д",
        "e": "е",
        "f": "ф",
        "g": "г",
        "h": "ҳ",
        "i": "и",
        "j": "ж",
        "k": "к",
        "l": "л",
        "m": "м",
        "n": "н",
        "o": "о",
        "p": "п",
        "q": "қ",
        "r": "р",
        "s": "с",
        "t": "т",
        "u": "у",
        "v": "в",
        "x": "х",
        "y": "й",
        "z": "з",
    },
    initial={"e": "э"},
)


def _table(spec: str) -> dict[str, str]:
    """ "kh>х sh>ш ь>" → {"kh": "х", "sh": "ш", "ь": ""}: long rule tables stay on a few lines."""
    return dict(pair.split(">", 1) for pair in spec.split())


_LATIN_TO_CYR: dict[str, _Rules] = {
    # English-style romanisations of Dari, Pashto, Persian and Urdu names, as a Russian-speaking officer
    # writes them.
    "en": _Rules(
        _table(
            "llah>лла you>ю kh>х sh>ш ch>ч zh>ж gh>г ph>ф th>т dh>д ck>к ya>я yu>ю yo>йо ye>е ee>и oo>у "
            "ou>у aa>а ai>ай ei>ей a>а b>б c>к d>д e>е f>ф g>г h>х i>и j>дж k>к l>л m>м n>н o>о p>п q>к "
            "r>р s>с t>т u>у v>в w>в x>кс y>и z>з"
        ),
        initial={"e": "э", "y": "й"},
        after_vowel={"y": "й", "ye": "йе"},
        vowels="aeiou",
    ),
    # The same as a Tajik officer writes them: Persian names keep their Tajik letters (ҳ ҷ қ ғ, -улло).
    "tgk": _Rules(
        _table(
            "llah>лло you>ю kh>х sh>ш ch>ч zh>ж gh>ғ ph>ф th>т dh>д ck>к ya>я yu>ю yo>ё ye>е ee>и oo>у "
            "ou>у aa>о ai>ай ei>ей a>а b>б c>к d>д e>е f>ф g>г h>ҳ i>и j>ҷ k>к l>л m>м n>н o>о p>п q>қ "
            "r>р s>с t>т u>у v>в w>в x>кс y>и z>з"
        ),
        initial={"e": "э", "y": "й"},
        after_vowel={"y": "й", "ye": "йе"},
        vowels="aeiou",
    ),
    "tuk": _Rules(
        _table(
            "ýe>е ýa>я ýu>ю ýo>ё ýü>ю ýä>я a>а b>б ç>ч d>д e>е ä>а f>ф g>г h>х i>и j>дж ž>ж k>к l>л m>м "
            "n>н ň>н o>о ö>о p>п r>р s>с ş>ш t>т u>у ü>у w>в y>ы ý>й z>з"
        ),
        initial={"e": "э", "ä": "э"},
    ),
    "tur": _Rules(
        _table(
            "ya>я yu>ю yo>йо a>а b>б c>дж ç>ч d>д e>е f>ф g>г ğ>г h>х ı>ы i>и j>ж k>к l>л m>м n>н o>о "
            "ö>ё p>п r>р s>с ş>ш t>т u>у ü>ю v>в y>й z>з"
        ),
        initial={"e": "э", "ö": "о"},
        turkic=True,
    ),
}

_LATIN_PASSPORT: dict[str, _Rules] = {
    "uzb": _Rules({"ʻ": "", "ʼ": "", "'": ""}),
    "tuk": _Rules({"ä": "a", "ç": "c", "ž": "z", "ň": "n", "ö": "o", "ş": "s", "ü": "u", "ý": "y"}),
    "aze": _Rules({"ə": "a", "ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u"}, turkic=True),
    "tur": _Rules({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u"}, turkic=True),
    "en": _Rules({"'": ""}),
}
# English-language spellings that people, employers and foreign documents use.
_LATIN_ENGLISH: dict[str, _Rules] = {
    "uzb": _Rules({"oʻ": "u", "gʻ": "g", "ʼ": "", "x": "kh", "q": "k"}),
    "tuk": _Rules(
        {"ç": "ch", "ş": "sh", "ž": "zh", "ň": "n", "ä": "a", "ö": "o", "ü": "u", "ý": "y", "w": "v"}
    ),
    "aze": _Rules(
        {
            "ə": "a",
            "ç": "ch",
            "ş": "sh",
            "c": "j",
            "x": "kh",
            "ğ": "gh",
            "q": "g",
            "ı": "i",
            "ö": "o",
            "ü": "u",
        },
        turkic=True,
    ),
    "tur": _LATIN_PASSPORT["tur"],
    "en": _Rules({"'": ""}),
}


def cyrillic_passport(text: str, lang: Lang) -> str:
    """The Latin line of a passport (ICAO Doc 9303 for Russian letters, national practice for the others)."""
    return _PASSPORT[lang].apply(text).upper()


def cyrillic_informal(text: str, lang: Lang) -> str:
    """How a person writes a Cyrillic name in Latin letters when nobody prescribes how."""
    return _INFORMAL[lang].apply(text)


def russify(text: str, lang: Lang) -> str:
    """Kazakh, Kyrgyz, Tajik or Uzbek Cyrillic as Russian-language papers spell it."""
    return _RUSSIFIERS[lang].apply(text)


def uzbek_cyrillic(text: str) -> str:
    """Uzbek official Latin (1995 alphabet, 2021 letters ʻ ʼ) into Uzbek Cyrillic."""
    return _UZ_TO_CYR.apply(text)


def latin_to_cyrillic(text: str, lang: Literal["en", "tgk", "tuk", "tur"]) -> str:
    """A Latin-script name as a Russian-speaking officer writes it in Cyrillic."""
    return _LATIN_TO_CYR[lang].apply(text)


def latin_passport(text: str, lang: LatinLang) -> str:
    """A Latin-script name in a machine-readable passport: letters without diacritics, upper case."""
    return _LATIN_PASSPORT[lang].apply(text).upper()


def latin_english(text: str, lang: LatinLang) -> str:
    """English-style spelling (Farrukh, Mammadov, Charyyev) that employers and foreign papers use."""
    return _LATIN_ENGLISH[lang].apply(text)


def turkic_upper(text: str) -> str:
    """Upper case by Turkish and Azerbaijani rules (i → İ, ı → I)."""
    return text.replace("i", "İ").replace("ı", "I").upper()
