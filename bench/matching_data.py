"""Multi-script evaluation people, each written as registers, passports, Turkish forms and Dari records do.

Independent of karvon_match on purpose (no import of it): names are kept as phoneme strings and rendered
by this module's own implementations of the real systems — Tajik and Russian Cyrillic, ICAO 9303,
GOST R 52535.1-2006, the 1997 MVD rules, BGN/PCGN, informal Latin, Uzbek Latin (1995), Turkish,
Azerbaijani Latin and its Russified Cyrillic form, and Dari in Arabic script — so the evaluation is not
circular. Hard cases are built in: households (siblings share family name, father's name, place and often
estimated dates), twins, fathers and sons (a son named after his grandfather), very common names.

    python bench/matching_data.py --people 10000 --out /tmp/people.csv   # adds a person_id column
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# --- Phonemes --------------------------------------------------------------------------------------------
# Names are written in a small phonemic alphabet: aa ii uu (long vowels; Tajik writes aa as "о"),
# H (Arabic ḥ), ' (ʿayn), kh gh sh ch zh j q, and the plain letters. Renderers below map them to scripts.
_PHONEMES = ("aa", "ii", "uu", "kh", "gh", "sh", "ch", "zh", "ng", "'", "H")


def phonemes(word: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(word):
        for p in _PHONEMES:
            if word.startswith(p, i):
                out.append(p)
                i += len(p)
                break
        else:
            out.append(word[i])
            i += 1
    return out


VOWELS = {"a", "e", "i", "o", "u", "aa", "ii", "uu", "ö", "ü", "ə", "ı"}

# Tajik Cyrillic (the national alphabet: ғ ӣ қ ӯ ҳ ҷ).
_TAJIK = {
    "a": "а", "aa": "о", "b": "б", "ch": "ч", "d": "д", "e": "е", "f": "ф", "g": "г", "gh": "ғ", "h": "ҳ",
    "H": "ҳ", "i": "и", "ii": "ӣ", "j": "ҷ", "k": "к", "kh": "х", "l": "л", "m": "м", "n": "н", "ng": "нг",
    "o": "о", "p": "п", "q": "қ", "r": "р", "s": "с", "sh": "ш", "t": "т", "u": "у", "uu": "у", "v": "в",
    "w": "в", "x": "х", "y": "й", "z": "з", "zh": "ж", "'": "ъ", "ö": "ӯ", "ü": "ю", "ə": "а", "ı": "ы",
}  # fmt: skip
# Russian Cyrillic as Russian registers write Central Asian names (no Tajik letters; ҷ as дж).
_RUSSIAN = _TAJIK | {
    "gh": "г", "h": "х", "H": "х", "ii": "и", "j": "дж", "q": "к", "uu": "у", "'": "", "ö": "ё", "ü": "ю",
    "ə": "а",
}  # fmt: skip
_IOTATED = {"a": "я", "aa": "ё", "o": "ё", "u": "ю", "uu": "ю", "e": "е"}


def to_cyrillic(word: str, table: dict[str, str]) -> str:
    ps = phonemes(word)
    out: list[str] = []
    i = 0
    while i < len(ps):
        p = ps[i]
        nxt = ps[i + 1] if i + 1 < len(ps) else ""
        if p == "y" and nxt in _IOTATED:
            out.append(_IOTATED[nxt])
            i += 2
            continue
        if p == "e" and (i == 0 or ps[i - 1] in VOWELS):
            out.append("э")
        elif p == "'":
            # ʿayn: unwritten at the start and before a vowel, a hard sign before a consonant (Саъдӣ).
            if i > 0 and nxt and nxt not in VOWELS and "ъ" in table.values():
                out.append("ъ")
        elif p == "ii" and table is _TAJIK and nxt:
            out.append("и")  # ӣ is written at the end of a word only
        else:
            out.append(table.get(p, p))
        i += 1
    return "".join(out)


# --- Romanisation of Cyrillic ----------------------------------------------------------------------------
_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
    # Letters of the Central Asian Cyrillic alphabets, as those states' passport offices write them.
    "ғ": "gh", "ӣ": "i", "қ": "q", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ў": "u", "ә": "a", "ө": "o", "ү": "u",
    "ұ": "u", "ң": "n", "і": "i", "һ": "h",
}  # fmt: skip
# ICAO Doc 9303 (7th edition), Part 3, transliteration of Cyrillic in the MRZ.
ICAO_9303 = _COMMON
# GOST R 52535.1-2006 (Russian passports 2010-2013): ц -> tc, ъ dropped.
GOST_52535 = _COMMON | {"ц": "tc", "ъ": ""}
# MVD 1997 rules: й -> y, ю -> yu, я -> ya, ё -> e, ъ dropped; е at the start and after vowels -> ye.
MVD_1997 = _COMMON | {"й": "y", "ю": "yu", "я": "ya", "ъ": "", "ы": "y"}
# BGN/PCGN 1947: like MVD, plus ё -> yë written here without the diaeresis as passports drop it.
BGN_PCGN = MVD_1997 | {"ё": "yo", "ъ": "", "ь": ""}
# Informal Latin as people and NGO staff type it: h for х, j for ж/ҷ, y for й, o for ё.
INFORMAL = MVD_1997 | {"х": "h", "ж": "j", "ҷ": "j", "ё": "yo", "ц": "ts", "ғ": "g", "қ": "k", "ӯ": "u"}
# Uzbek Latin (1995): x for х, j for ж, q for қ, gʻ and oʻ with the turned comma, sh, ch.
UZBEK_LATIN = _COMMON | {
    "х": "x", "ж": "j", "ҷ": "j", "й": "y", "ю": "yu", "я": "ya", "ё": "yo", "ц": "ts", "ғ": "gʻ", "ў": "oʻ",
    "ӯ": "oʻ", "ҳ": "h", "ъ": "ʼ", "ы": "i",
}  # fmt: skip
SYSTEMS: dict[str, dict[str, str]] = {
    "icao": ICAO_9303, "gost": GOST_52535, "mvd": MVD_1997, "bgn": BGN_PCGN, "informal": INFORMAL,
    "uzbek": UZBEK_LATIN,
}  # fmt: skip
_RU_VOWELS = set("аеёиоуыэюяӣӯ")


def romanise(cyrillic: str, system: str) -> str:
    table = SYSTEMS[system]
    out: list[str] = []
    lower = cyrillic.lower()
    for i, ch in enumerate(lower):
        if (
            ch == "е"
            and system in ("mvd", "bgn", "informal")
            and (i == 0 or lower[i - 1] in _RU_VOWELS | {"ь", "ъ"})
        ):
            out.append("ye")
        elif ch == "ё" and system in ("mvd", "bgn") and i and lower[i - 1] not in _RU_VOWELS:
            out.append("e")
        else:
            out.append(table.get(ch, ch))
    return "".join(out)


# --- Other scripts from phonemes --------------------------------------------------------------------------
_TURKISH = {
    "aa": "a", "ii": "i", "uu": "u", "kh": "h", "gh": "ğ", "sh": "ş", "ch": "ç", "zh": "j", "j": "c",
    "q": "k",
    "H": "h", "'": "", "w": "v", "ə": "e", "x": "h",
}  # fmt: skip
_AZERI = {
    "aa": "a", "ii": "i", "uu": "u", "kh": "x", "gh": "ğ", "sh": "ş", "ch": "ç", "zh": "j", "j": "c",
    "q": "q",
    "H": "h", "'": "", "w": "v",
}  # fmt: skip
_DARI = {
    "b": "ب", "p": "پ", "t": "ت", "s": "س", "j": "ج", "ch": "چ", "H": "ح", "h": "ه", "kh": "خ", "d": "د",
    "z": "ز", "r": "ر", "zh": "ژ", "sh": "ش", "gh": "غ", "f": "ف", "q": "ق", "k": "ک", "g": "گ", "l": "ل",
    "m": "م", "n": "ن", "ng": "نگ", "v": "و", "w": "و", "y": "ی", "'": "ع", "aa": "ا", "ii": "ی", "uu": "و",
    "o": "و", "e": "ی", "x": "خ", "ö": "و", "ü": "و", "ə": "", "ı": "",
}  # fmt: skip


def to_latin_phonetic(word: str, table: dict[str, str]) -> str:
    return "".join(table.get(p, p) for p in phonemes(word))


def to_dari(word: str) -> str:
    """Arabic script as Dari writes it: short vowels unwritten except at the start, doubled letters once."""
    ps = phonemes(word)
    out: list[str] = []
    for i, p in enumerate(ps):
        if i > 0 and p == ps[i - 1] and p not in VOWELS:
            continue  # shadda is not written
        final = i == len(ps) - 1
        if p == "v" and final:
            out.append("ف")  # -ov is written -وف
        elif p == "a" and final and i and ps[i - 1] == "v":
            out.append("ا")  # -ova is written -ووا
        elif p == "'" and i == 0:
            out.append("ع")
        elif p in ("a", "i", "u", "e", "o", "ə", "ı") and i == 0:
            out.append("ا" if p in ("a", "ə", "ı") else ("ای" if p in ("i", "e") else "او"))
        elif p in ("a", "i", "u", "ə", "ı"):
            if i == len(ps) - 1 and p == "a":
                out.append("ه")  # a final short a is written with he (Rahima -> رحیمه)
            elif p == "i" and i == len(ps) - 1:
                out.append("ی")
            # short vowels are otherwise not written
        elif p == "aa" and i == 0:
            out.append("آ")
        else:
            out.append(_DARI.get(p, ""))
    return "".join(out)


def russify_azeri(word: str) -> str:
    """Azerbaijani names as Soviet registers wrote them: h -> г, ə -> а/е, x -> х, q -> г, c -> дж."""
    table = _RUSSIAN | {"h": "г", "H": "г", "q": "г", "ə": "а", "x": "х", "ü": "ю", "ö": "ё", "ı": "ы"}
    text = to_cyrillic(word, table)
    return text.replace("мм", "м")  # Məmmədov -> Мамедов


# --- Name inventories (phonemic) -------------------------------------------------------------------------
CA_MALE = [
    "muHammad",
    "muHammadalii",
    "rustam",
    "farhaad",
    "akmal",
    "sherzaad",
    "bakhtiyaar",
    "daler",
    "firdavs",
    "suhraab",
    "jamshed",
    "khurshed",
    "iskandar",
    "shahram",
    "bahaadur",
    "'abdurraHmaan",
    "'abdullaa",
    "sayfullaa",
    "umed",
    "naazim",
    "kaamraan",
    "zafar",
    "ilhaam",
    "ravshan",
    "siinaa",
    "parviz",
    "shuhrat",
    "yuusuf",
    "ibraahiim",
    "ismaa'iil",
    "'aziiz",
    "kariim",
    "raHiim",
    "naasir",
    "Hasan",
    "Husayn",
    "'aliisher",
    "baabur",
    "aataabek",
    "jahaangiir",
    "ulughbek",
    "dilshaad",
    "shavkat",
    "anvar",
    "'umar",
    "'usmaan",
    "najmiddiin",
    "faridun",
    "sharif",
    "mansur",
    "daavud",
    "sulaymaan",
    "khayrullaa",
    "nurullaa",
    "'ubaydullaa",
    "shamsiddiin",
    "qaasim",
    "murtazaa",
]
CA_FEMALE = [
    "dilnaaza",
    "nigina",
    "gulnaara",
    "zariina",
    "madiina",
    "shahlaa",
    "maliika",
    "farzaana",
    "mehrangez",
    "sa'aadat",
    "naadira",
    "zulfiya",
    "gulchehra",
    "maniija",
    "sabriina",
    "tahmiina",
    "faatima",
    "zuhraa",
    "maahira",
    "sitaara",
    "muniira",
    "dilaaraam",
    "khursheda",
    "mavjuda",
    "shabnam",
    "parvina",
    "firuuza",
    "nasiiba",
    "gulbahaar",
    "mahina",
    "rukhsaara",
    "ziyaada",
]
AF_MALE = [
    "muHammad",
    "aHmad",
    "'abdurraHiim",
    "gulaHmad",
    "najiibullaa",
    "Haamid",
    "fariid",
    "vaHiid",
    "zabiihullaa",
    "raHmatullaa",
    "Hikmatullaa",
    "sayyid",
    "miirvays",
    "'abdulqaadir",
    "niyaazmuHammad",
    "shafiiq",
    "jaavid",
    "naviid",
    "'aliireza",
    "khaalid",
    "baryaalay",
    "ajmal",
    "fawaad",
    "nasiir",
    "qudratullaa",
]
AF_FEMALE = [
    "naazaniin",
    "zahraa",
    "faatima",
    "maryam",
    "parvaana",
    "shabnam",
    "fereshta",
    "marziya",
    "suudaaba",
    "laylaa",
    "Haliima",
    "khadiija",
    "masuuda",
    "nargis",
    "roya",
    "nasriin",
    "samiira",
]
AZ_MALE = [
    "əli",
    "Həsən",
    "Huseyn",
    "məmməd",
    "rəşid",
    "elçin",
    "orxan",
    "tural",
    "elnur",
    "ramil",
    "vüqar",
    "kamran",
    "nicat",
    "rauf",
]
AZ_FEMALE = ["aynur", "günel", "leyla", "nərmin", "sevinc", "ülviyyə", "aysel", "nigar", "könül", "lalə"]
KG_MALE = ["nurlan", "azamat", "bakyt", "ermek", "tilek", "aybek", "bolot", "kanat", "erlan", "daniyar"]
KG_FEMALE = ["aygerim", "aydana", "jyldyz", "gulnur", "nazgul", "asel", "meerim", "cholpon"]
# Family-name roots; the suffix (-ov, -ev, -zoda, -i, ...) is added per origin.
CA_ROOTS = [
    "sa'iid",
    "raHiim",
    "kariim",
    "nazar",
    "yuusup",
    "'aliim",
    "safar",
    "shariif",
    "rashiid",
    "khaaliq",
    "miirzaa",
    "davlat",
    "qurbaan",
    "'umar",
    "'usmaan",
    "baabaa",
    "rajab",
    "shukur",
    "'aashur",
    "ismaa'iil",
    "Hakiim",
    "mu'min",
    "amiin",
    "ghaffaar",
    "jabbaar",
    "naziir",
    "sharaf",
    "tursun",
    "qaadir",
    "yaqub",
    "khudaay",
    "zaakir",
    "saadiq",
    "nabii",
    "rahmaan",
    "sultaan",
    "haydar",
]
AF_FAMILY = [
    "aHmadii",
    "raHiimii",
    "kariimii",
    "haashimii",
    "sultaanii",
    "nuurii",
    "Hakiimii",
    "paapal",
    "saafii",
    "staanikzay",
    "amiirii",
    "Haydarii",
    "Husaynii",
    "muHammadii",
    "rasuulii",
    "saadaat",
    "wardak",
    "yuusufzay",
    "niyaazii",
    "qaadirii",
]
AZ_ROOTS = ["Həsən", "məmməd", "Huseyn", "əli", "Hacı", "rəhim", "quli", "ismayıl", "nəsir", "abbas"]
KG_ROOTS = ["asan", "jumabay", "toktogul", "nurlan", "seytkali", "usen", "mamyt", "osmon"]
PLACES = {
    "TJK": ["dushanbe", "khujand", "kölaab", "baakhtar", "Hisaar", "panjakent", "isfara", "vahdat"],
    "UZB": ["taashkent", "samarqand", "bukhaaraa", "andijaan", "namangaan", "farghaana"],
    "AFG": ["kaabul", "mazaarisharif", "hiraat", "qunduz", "baghlaan", "badakhshaan", "jalaalaabaad"],
    "AZE": ["bakı", "gəncə", "sumqayıt", "şəki", "lənkəran"],
    "KGZ": ["bishkek", "osh", "jalalabad", "karakol", "naryn"],
}  # fmt: skip


def zipf_choice(rng: random.Random, items: list[str], exponent: float = 1.1) -> str:
    """A few names very common, most rare (as in the region: Muhammad, Ahmad ...)."""
    weights = [1.0 / (rank + 1) ** exponent for rank in range(len(items))]
    return rng.choices(items, weights)[0]


# --- People ------------------------------------------------------------------------------------------------


@dataclass
class Person:
    person_id: int
    origin: str
    sex: str
    given: str
    family_root: str
    father_given: str
    birth: date
    place: str
    document: str
    household: int
    estimated_birth: bool = False
    tags: set[str] = field(default_factory=set)


def _family_name(person: Person, style: str) -> str:
    """The family name with the suffix the origin and the register use (phonemic, ending adapted to sex)."""
    root = person.family_root
    feminine = person.sex == "F"
    if person.origin == "AFG":
        return root
    if person.origin == "AZE":
        end = "ov" if root[-1] not in VOWELS else "yev"
        if root.endswith("i") or root.endswith("ı"):
            end = "yev"
        return root + end + ("a" if feminine else "")
    if person.origin == "KGZ":
        return root + ("ov" if root[-1] not in VOWELS else "ev") + ("a" if feminine else "")
    if style == "zoda":
        return root + "zaada"
    end = "ov" if root[-1] not in VOWELS else "yev"
    return root + end + ("a" if feminine else "")


def _patronymic(person: Person, system: str) -> str:
    father = person.father_given
    if system == "uz":
        return father + (" oghlii" if person.sex == "M" else " qizii")
    if person.origin == "AZE":
        return father + (" oghlu" if person.sex == "M" else " qızı")
    end = "ovich" if person.sex == "M" else "ovna"
    if father[-1] in VOWELS:
        end = "yevich" if person.sex == "M" else "yevna"
    return father + end


@dataclass(frozen=True)
class Row:
    record_id: str
    person_id: int
    given_name: str
    family_name: str
    patronymic: str
    sex: str
    date_of_birth: str
    nationality: str
    place_of_birth: str
    document_number: str
    source: str


def _cap(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def _render(person: Person, source: str, rng: random.Random) -> tuple[str, str, str, str]:
    """(given, family, patronymic, place) as one source writes them."""
    suffix_style = "zoda" if "zoda" in person.tags and rng.random() < 0.8 else "ov"
    family = _family_name(person, suffix_style)
    patronymic = _patronymic(person, "uz" if person.origin == "UZB" and source == "uz_latin" else "ru")
    given, place = person.given, person.place
    words = (given, family, patronymic, place)
    if source == "tj_register":
        return tuple(_cap(to_cyrillic(w, _TAJIK)) for w in words)  # type: ignore[return-value]
    if source == "ru_register":
        if person.origin == "AZE":
            return tuple(_cap(russify_azeri(w)) for w in words)  # type: ignore[return-value]
        return tuple(_cap(to_cyrillic(w, _RUSSIAN)) for w in words)  # type: ignore[return-value]
    if source in ("mrz", "latin_form", "uz_latin"):
        system = {"mrz": "icao", "uz_latin": "uzbek"}.get(source) or rng.choice(
            ["gost", "mvd", "bgn", "informal"]
        )
        if person.origin == "AZE" and source != "mrz":
            out = tuple(_cap(to_latin_phonetic(w, _AZERI)) for w in words)
        else:
            national = person.origin in ("TJK", "AFG", "UZB") and (source == "uz_latin" or rng.random() < 0.6)
            base = _TAJIK if national else _RUSSIAN
            if person.origin == "AZE":
                out = tuple(romanise(russify_azeri(w), system) for w in words)
            else:
                out = tuple(romanise(to_cyrillic(w, base), system) for w in words)
        if source == "mrz":
            return tuple(re.sub(r"[^A-Z ]", "", w.upper()) for w in out)  # type: ignore[return-value]
        return tuple(_cap(w) for w in out)  # type: ignore[return-value]
    if source == "turkish_form":
        return tuple(_cap(to_latin_phonetic(w, _TURKISH)) for w in words)  # type: ignore[return-value]
    if source == "dari_record":
        patronymic_dari = ("ولد " if person.sex == "M" else "بنت ") + to_dari(person.father_given)
        return to_dari(given), to_dari(family), patronymic_dari, to_dari(place)
    raise ValueError(source)


SOURCES_BY_ORIGIN = {
    "TJK": (["tj_register", "ru_register", "mrz", "latin_form", "turkish_form", "dari_record"],
            [5, 4, 4, 3, 2, 1]),
    "UZB": (["ru_register", "mrz", "uz_latin", "latin_form", "turkish_form"], [4, 4, 4, 2, 2]),
    "AFG": (["dari_record", "tj_register", "ru_register", "mrz", "latin_form", "turkish_form"],
            [6, 3, 3, 3, 3, 2]),
    "AZE": (["ru_register", "mrz", "latin_form", "turkish_form"], [5, 3, 4, 3]),
    "KGZ": (["ru_register", "mrz", "latin_form", "turkish_form"], [5, 4, 3, 2]),
}  # fmt: skip
NATIONALITY = {"TJK": "TJK", "UZB": "UZB", "AFG": "AFG", "AZE": "AZE", "KGZ": "KGZ"}


def _typo(text: str, rng: random.Random) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1 :]
    if kind < 0.7 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i] + text[i:]


_OCR = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z"}


def _noisy_document(number: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        digits = [i for i, ch in enumerate(number) if ch in _OCR]
        if digits:
            i = rng.choice(digits)
            return number[:i] + _OCR[number[i]] + number[i + 1 :]
    if roll < 0.08:
        i = rng.randrange(len(number))
        return number[:i] + str(rng.randrange(10)) + number[i + 1 :]
    if roll < 0.12:
        return number[:2] + " " + number[2:]
    return number


def _date_text(person: Person, source: str, rng: random.Random) -> str:
    birth = person.birth
    if person.estimated_birth or (source == "dari_record" and rng.random() < 0.5):
        # Only the year is known (an Afghan tazkira gives an age); some registers write 1 January.
        year = birth.year + rng.choice([0, 0, 0, -1, 1])
        return f"{year}-01-01" if rng.random() < 0.5 else f"{year}"
    roll = rng.random()
    if roll < 0.04 and birth.day <= 12 and birth.day != birth.month:
        return f"{birth.year:04d}-{birth.day:02d}-{birth.month:02d}"  # day and month swapped
    if roll < 0.07:
        shifted = birth + timedelta(days=rng.choice([-1, 1, 10, -10]))
        return shifted.isoformat()
    if roll < 0.09:
        return f"{birth.year}"
    if roll < 0.11:
        return ""
    return birth.isoformat()


def render_record(person: Person, source: str, index: int, rng: random.Random) -> Row:
    given, family, patronymic, place = _render(person, source, rng)
    if rng.random() < 0.08 and source not in ("dari_record",):
        given = _typo(given, rng)
    if rng.random() < 0.06 and source not in ("dari_record",):
        family = _typo(family, rng)
    if rng.random() < 0.03:
        given, family = family, given  # names crossed
    if source in ("mrz", "turkish_form") or rng.random() < 0.3:
        patronymic = ""
    if rng.random() < 0.4:
        place = ""
    document = person.document if rng.random() < 0.6 else ""
    document = _noisy_document(document, rng) if document else ""
    sex = person.sex if rng.random() < 0.93 else ""
    nationality = NATIONALITY[person.origin] if rng.random() < 0.9 else ""
    return Row(
        record_id=f"r{index}",
        person_id=person.person_id,
        given_name=given,
        family_name=family,
        patronymic=patronymic,
        sex=sex,
        date_of_birth=_date_text(person, source, rng),
        nationality=nationality,
        place_of_birth=place,
        document_number=document,
        source=source,
    )


ORIGINS = (["TJK", "UZB", "AFG", "AZE", "KGZ"], [35, 20, 25, 10, 10])


def _pools(origin: str) -> tuple[list[str], list[str], list[str]]:
    if origin == "AFG":
        return AF_MALE, AF_FEMALE, AF_FAMILY
    if origin == "AZE":
        return AZ_MALE, AZ_FEMALE, AZ_ROOTS
    if origin == "KGZ":
        return KG_MALE, KG_FEMALE, KG_ROOTS
    return CA_MALE, CA_FEMALE, CA_ROOTS


def _document(origin: str, rng: random.Random) -> str:
    if origin == "AFG":
        return f"P{rng.randrange(10**7):07d}"
    prefix = {"TJK": "A", "UZB": "AA", "AZE": "C", "KGZ": "AC"}[origin]
    return f"{prefix}{rng.randrange(10**7):07d}"


def households(count: int, rng: random.Random) -> Iterator[Person]:
    """About `count` people in households: parents, children (siblings, sometimes twins), names of
    grandfathers given to grandsons."""
    person_id = 0
    household = 0
    while person_id < count:
        household += 1
        origin = rng.choices(*ORIGINS)[0]
        male, female, roots = _pools(origin)
        root = zipf_choice(rng, roots)
        grandfather = zipf_choice(rng, male)
        father_birth = date(rng.randrange(1950, 1985), rng.randrange(1, 13), rng.randrange(1, 29))
        place = rng.choice(PLACES.get(origin, PLACES["TJK"]))
        zoda = origin == "TJK" and rng.random() < 0.25
        father_given = zipf_choice(rng, male)
        estimated = origin == "AFG" and rng.random() < 0.5
        father = Person(
            person_id,
            origin,
            "M",
            father_given,
            root,
            grandfather,
            father_birth,
            place,
            _document(origin, rng),
            household,
            estimated,
        )
        if zoda:
            father.tags.add("zoda")
        yield father
        person_id += 1
        mother_root = zipf_choice(rng, roots)
        mother = Person(
            person_id,
            origin,
            "F",
            zipf_choice(rng, female),
            mother_root,
            zipf_choice(rng, male),
            father_birth + timedelta(days=rng.randrange(365, 365 * 6)),
            rng.choice(PLACES.get(origin, PLACES["TJK"])),
            _document(origin, rng),
            household,
            estimated,
        )
        yield mother
        person_id += 1
        child_birth = father_birth + timedelta(days=365 * rng.randrange(20, 30))
        used = {father_given}  # parents do not give two children (or a son and his father) one name
        for child_index in range(rng.choice([0, 1, 2, 2, 3, 3, 4, 5])):
            if person_id >= count:
                return
            sex = rng.choice("MF")
            pool = male if sex == "M" else female
            if sex == "M" and child_index == 0 and rng.random() < 0.3 and grandfather not in used:
                given = grandfather  # the first son named after his grandfather
            else:
                given = zipf_choice(rng, [n for n in pool if n not in used] or pool)
            used.add(given)
            child = Person(
                person_id,
                origin,
                sex,
                given,
                root,
                father_given,
                child_birth,
                place,
                _document(origin, rng),
                household,
                estimated,
            )
            child.tags |= father.tags
            yield child
            person_id += 1
            if rng.random() < 0.06 and person_id < count:
                # Twins: same date of birth, same everything but the given name.
                twin_sex = rng.choice("MF")
                twin_pool = male if twin_sex == "M" else female
                twin_given = zipf_choice(rng, [n for n in twin_pool if n not in used] or twin_pool)
                used.add(twin_given)
                twin = Person(
                    person_id,
                    origin,
                    twin_sex,
                    twin_given,
                    root,
                    father_given,
                    child_birth,
                    place,
                    _document(origin, rng),
                    household,
                    estimated,
                    set(child.tags) | {"twin"},
                )
                yield twin
                person_id += 1
            child_birth = child_birth + timedelta(days=rng.randrange(300, 365 * 3))


def generate(
    people: int, seed: int = 7, records_per_person: tuple[int, ...] = (1, 1, 2, 2, 2, 3, 3, 4)
) -> list[Row]:
    """Records of `people` people, shuffled; `person_id` is the truth."""
    rng = random.Random(seed)
    rows: list[Row] = []
    index = 0
    for person in households(people, rng):
        sources, weights = SOURCES_BY_ORIGIN[person.origin]
        for _ in range(rng.choice(records_per_person)):
            source = rng.choices(sources, weights)[0]
            rows.append(render_record(person, source, index, rng))
            index += 1
    rng.shuffle(rows)
    return rows


FIELDNAMES = ["record_id", "given_name", "family_name", "patronymic", "sex", "date_of_birth", "nationality",
              "place_of_birth", "document_number", "person_id", "source"]  # fmt: skip


def write_csv(rows: list[Row], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(FIELDNAMES)
        for row in rows:
            writer.writerow([getattr(row, name) for name in FIELDNAMES])


def stream_csv(people: int, path: Path, seed: int, progress: Callable[[int], None] | None = None) -> int:
    """Write a large file without holding it (records of one person stay near each other: no shuffle)."""
    rng = random.Random(seed)
    index = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(FIELDNAMES)
        for person in households(people, rng):
            sources, weights = SOURCES_BY_ORIGIN[person.origin]
            for _ in range(rng.choice((1, 1, 2, 2, 2, 3))):
                row = render_record(person, rng.choices(sources, weights)[0], index, rng)
                writer.writerow([getattr(row, name) for name in FIELDNAMES])
                index += 1
            if progress and person.person_id % 100_000 == 0:
                progress(index)
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--stream", action="store_true", help="write without shuffling (for millions of rows)"
    )
    args = parser.parse_args()
    if args.stream:
        count = stream_csv(args.people, args.out, args.seed)
    else:
        rows = generate(args.people, args.seed)
        write_csv(rows, args.out)
        count = len(rows)
    print(f"{count:,} records of {args.people:,} people written to {args.out}")


if __name__ == "__main__":
    main()
