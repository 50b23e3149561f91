"""Deterministic generator of fictional people registered at a node (demo data and load tests)."""

from __future__ import annotations

import heapq
import random
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from . import names_data as nd
from . import romanise as rz

Script = Literal["Cyrl", "Latn", "Arab"]
SpellingSource = Literal["declared", "document", "transliterated"]
NamePart = Literal["given", "family", "patronymic"]
Sex = Literal["M", "F", "X", "U"]
DatePrecision = Literal["exact", "month", "year", "estimated"]
DocumentType = Literal["passport", "national_id", "birth_certificate", "refugee_id", "other"]
MetAt = Literal["border_crossing", "in_country", "detention", "referral"]


@dataclass(frozen=True, slots=True)
class DemoSpelling:
    text: str
    script: Script
    source: SpellingSource


@dataclass(frozen=True, slots=True)
class DemoName:
    part: NamePart
    spellings: tuple[DemoSpelling, ...]  # the first is the primary spelling


@dataclass(frozen=True, slots=True)
class DemoDocument:
    doc_type: DocumentType
    number: str
    issuing_state: str  # ISO 3166 alpha-3
    issue_date: date | None
    expiry_date: date | None


@dataclass(frozen=True, slots=True)
class DemoPerson:
    key: str  # one per generated registration record
    identity: str  # the same for every record of the same fictional human (ground truth for deduplication)
    names: tuple[DemoName, ...]
    sex: Sex
    birth_date: date | None
    birth_date_precision: DatePrecision  # month: day 1; year and estimated: 1 January
    nationalities: tuple[str, ...]  # ISO alpha-3; XXA stateless, XXX unknown
    place_of_birth: str
    languages: tuple[str, ...]  # ISO 639-3
    phone: str  # "" when the person has none
    documents: tuple[DemoDocument, ...]
    profiles: tuple[str, ...]
    specific_needs: tuple[str, ...]  # UNHCR specific-needs sub-codes


@dataclass(frozen=True, slots=True)
class DemoMember:
    person: DemoPerson
    relationship: str


@dataclass(frozen=True, slots=True)
class DemoRegistration:
    key: str
    host_state: str
    office_index: int
    met_at: MetAt
    registered_on: date
    arrival_date: date | None
    transit_countries: tuple[str, ...]
    members: tuple[DemoMember, ...]  # the principal applicant first


HOST_STATES = ("AFG", "AZE", "IRN", "KAZ", "KGZ", "PAK", "TJK", "TKM", "TUR", "UZB")
LANGUAGES = ("rus", "kaz", "kir", "tgk", "uzb", "tuk", "aze", "tur", "prs", "pbt", "pes", "urd")
PROFILES = (
    "asylum_seeker",
    "refugee_elsewhere",
    "stateless",
    "migrant_worker",
    "irregular_migrant",
    "trafficking_victim",
    "unaccompanied_child",
    "separated_child",
    "returnee",
    "other",
)
RELATIONSHIPS = (
    "principal",
    "spouse",
    "child",
    "parent",
    "sibling",
    "grandchild",
    "grandparent",
    "in_law",
    "nephew_niece",
    "uncle_aunt",
    "cousin",
    "foster_child",
    "other_relative",
    "unrelated",
)
# Every UNHCR specific-needs sub-code the generator can emit (all present in UNHCR's code list).
SPECIFIC_NEEDS = (
    "SC-UC",
    "SC-SC",
    "FU-TR",
    "CR-LW",
    "CR-LO",
    "LP-ND",
    "WR-HR",
    "WR-SF",
    "SP-PT",
    "ER-NF",
    "ER-FR",
    "SM-CI",
    "SM-MI",
    "SM-CC",
    "SM-MN",
    "DS-PM",
    "DS-PS",
    "DS-BD",
    "DS-DF",
    "DS-SD",
    "DS-MM",
    "TR-PI",
    "TR-WV",
    "SV-VA",
    "SV-VF",
    "SV-FM",
    "PG-HR",
    "PG-LC",
    "LP-UP",
    "LP-AN",
    "LP-DN",
    "LP-RR",
    "LP-BN",
    "LP-TD",
)

# Six offices per node, city offices and border crossing points alternating so that a node with fewer
# offices still has both kinds. Codes carry "BCP" for border crossing points.
DEMO_OFFICES: dict[str, tuple[tuple[str, str], ...]] = {
    "KAZ": (
        ("KZ-ALA-01", "Almaty city migration office"),
        ("KZ-BCP-ZHIBEK", "Zhibek Zholy border crossing point"),
        ("KZ-AST-01", "Astana city migration office"),
        ("KZ-BCP-KORDAY", "Korday border crossing point"),
        ("KZ-SHY-01", "Shymkent city migration office"),
        ("KZ-BCP-ALA-AIR", "Almaty International Airport border checkpoint"),
    ),
    "KGZ": (
        ("KG-BIS-01", "Bishkek city migration office"),
        ("KG-BCP-DOSTUK", "Dostuk border crossing point"),
        ("KG-OSH-01", "Osh city migration office"),
        ("KG-BCP-AKZHOL", "Ak-Zhol border crossing point"),
        ("KG-JAL-01", "Jalal-Abad regional migration office"),
        ("KG-BCP-MANAS", "Manas International Airport border checkpoint"),
    ),
    "TJK": (
        ("TJ-DYU-01", "Dushanbe city migration office"),
        ("TJ-BCP-PANJ", "Panji Poyon border crossing point"),
        ("TJ-VAH-01", "Vahdat city migration office"),
        ("TJ-BCP-ISHKOSHIM", "Ishkoshim border crossing point"),
        ("TJ-KHU-01", "Khujand city migration office"),
        ("TJ-BCP-DYU-AIR", "Dushanbe International Airport border checkpoint"),
    ),
    "UZB": (
        ("UZ-TAS-01", "Tashkent city migration office"),
        ("UZ-BCP-AYRITOM", "Ayritom (Termez bridge) border crossing point"),
        ("UZ-SAM-01", "Samarkand regional migration office"),
        ("UZ-BCP-YALLAMA", "Yallama border crossing point"),
        ("UZ-SUR-01", "Termez city migration office"),
        ("UZ-BCP-TAS-AIR", "Tashkent International Airport border checkpoint"),
    ),
    "TKM": (
        ("TM-ASB-01", "Ashgabat city migration office"),
        ("TM-BCP-SERHETABAT", "Serhetabat border crossing point"),
        ("TM-MAR-01", "Mary regional migration office"),
        ("TM-BCP-GAUDAN", "Gaudan border crossing point"),
        ("TM-LEB-01", "Turkmenabat city migration office"),
        ("TM-BCP-FARAP", "Farap border crossing point"),
    ),
    "AZE": (
        ("AZ-BA-01", "Baku city migration office"),
        ("AZ-BCP-ASTARA", "Astara border crossing point"),
        ("AZ-GA-01", "Ganja regional migration office"),
        ("AZ-BCP-BILASUVAR", "Bilasuvar border crossing point"),
        ("AZ-LA-01", "Lankaran regional migration office"),
        ("AZ-BCP-GYD-AIR", "Heydar Aliyev International Airport border checkpoint"),
    ),
    "TUR": (
        ("TR-IST-01", "Istanbul provincial migration management directorate"),
        ("TR-BCP-KAPIKOY", "Kapıköy border crossing point"),
        ("TR-ANK-01", "Ankara provincial migration management directorate"),
        ("TR-BCP-GURBULAK", "Gürbulak border crossing point"),
        ("TR-VAN-01", "Van provincial migration management directorate"),
        ("TR-BCP-IST-AIR", "Istanbul Airport border checkpoint"),
    ),
    "AFG": (
        ("AF-KAB-01", "Kabul refugees and repatriation office"),
        ("AF-BCP-TORKHAM", "Torkham border crossing point"),
        ("AF-HER-01", "Herat refugees and repatriation office"),
        ("AF-BCP-ISLAMQALA", "Islam Qala border crossing point"),
        ("AF-NAN-01", "Jalalabad refugees and repatriation office"),
        ("AF-BCP-SPINBOLDAK", "Spin Boldak border crossing point"),
    ),
    "IRN": (
        ("IR-THR-01", "Tehran office for foreign nationals and immigrants (BAFIA)"),
        ("IR-BCP-DOGHARUN", "Dogharoun border crossing point"),
        ("IR-KHR-01", "Mashhad office for foreign nationals and immigrants (BAFIA)"),
        ("IR-BCP-MILAK", "Milak border crossing point"),
        ("IR-KER-01", "Kerman office for foreign nationals and immigrants (BAFIA)"),
        ("IR-BCP-BAZARGAN", "Bazargan border crossing point"),
    ),
    "PAK": (
        ("PK-ISL-01", "Islamabad office of the Chief Commissioner for Afghan Refugees"),
        ("PK-BCP-TORKHAM", "Torkham border crossing point"),
        ("PK-PES-01", "Peshawar Commissionerate for Afghan Refugees"),
        ("PK-BCP-CHAMAN", "Chaman border crossing point"),
        ("PK-QUE-01", "Quetta Commissionerate for Afghan Refugees"),
        ("PK-BCP-ISB-AIR", "Islamabad International Airport border checkpoint"),
    ),
}

_SPAN_DAYS = 3 * 365  # registrations are spread over the three years before `today`
_YEAR = 365.25
_ZWNJ = "\u200c"


# --- Names ------------------------------------------------------------------------------------------------

_PART_NAMES: tuple[NamePart, ...] = ("given", "family", "patronymic")
# How the registering office writes a foreign name beside the declared one: 0 Russian Cyrillic (KAZ, KGZ),
# 1 Tajik Cyrillic, 2 Latin, 3 Arabic script.
_HOST_VIEW = {
    "KAZ": 0,
    "KGZ": 0,
    "TJK": 1,
    "UZB": 2,
    "TKM": 2,
    "AZE": 2,
    "TUR": 2,
    "PAK": 2,
    "AFG": 3,
    "IRN": 3,
}
_VIEW_SCRIPT: tuple[Script, ...] = ("Cyrl", "Cyrl", "Latn", "Arab")

_SPELLINGS: dict[tuple[str, str, str], DemoSpelling] = {}


def _spelling(text: str, script: Script, source: SpellingSource) -> DemoSpelling:
    """Shared instances: the same few thousand spellings recur in a million records."""
    key = (text, script, source)
    found = _SPELLINGS.get(key)
    if found is None:
        found = _SPELLINGS[key] = DemoSpelling(text, script, source)
    return found


def _unique(items: Sequence[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


class _Form:
    """One written name with every rendering the registers use for it; presentations are cached."""

    __slots__ = ("alt", "alt_script", "arab", "cache", "cyr", "docs", "lats", "native", "script", "tajik")

    def __init__(
        self,
        native: str,
        script: Script,
        *,
        alt: str | None = None,
        alt_script: Script = "Cyrl",
        docs: Sequence[str] = (),
        lats: Sequence[str] = (),
        cyr: str | None = None,
        arab: str | None = None,
        tajik: str | None = None,
    ) -> None:
        self.native = native
        self.script: Script = script
        self.alt = alt if alt and alt != native else None
        self.alt_script: Script = alt_script
        self.docs = _unique(docs)
        self.lats = _unique([lat for lat in lats if lat != native])
        self.cyr = cyr
        self.arab = arab
        self.tajik = tajik
        self.cache: dict[int, DemoName] = {}

    def present(self, key: int) -> DemoName:
        name = self.cache.get(key)
        if name is None:
            name = self.cache[key] = self._build(key)
        return name

    def _build(self, key: int) -> DemoName:
        # key bits: 0 declared in the alternative script, 1 has a document, 2-3 romanisation variant,
        # 4 foreign to the host, 5-6 host view, 7-8 name part.
        use_alt, with_doc, variant = key & 1, key >> 1 & 1, key >> 2 & 3
        foreign, view, part = key >> 4 & 1, key >> 5 & 3, key >> 7 & 3
        if use_alt and self.alt:
            text, script = self.alt, self.alt_script
        else:
            text, script = self.native, self.script
        spellings = [_spelling(text, script, "declared")]
        seen = {(text, script)}

        def add(value: str | None, value_script: Script, source: SpellingSource) -> None:
            if value and (value, value_script) not in seen:
                seen.add((value, value_script))
                spellings.append(_spelling(value, value_script, source))

        host_script = _VIEW_SCRIPT[view]
        if host_script != script or (foreign and view <= 1):
            if view == 0:
                add(self.cyr, "Cyrl", "transliterated")
            elif view == 1:
                add(self.tajik or self.cyr, "Cyrl", "transliterated")
            elif view == 2 and self.lats and not (with_doc and self.docs):
                add(self.lats[variant % len(self.lats)], "Latn", "transliterated")
            elif view == 3:
                add(self.arab, "Arab", "transliterated")
        if with_doc and self.docs:
            add(self.docs[variant % len(self.docs)], "Latn", "document")
        return DemoName(_PART_NAMES[part], tuple(spellings))


class _Given:
    """A given name; as a father's name it also yields patronymics and (Tajik, Kyrgyz) family names."""

    __slots__ = ("arab", "derived", "form", "patronymics", "raw", "ru")

    def __init__(self, raw: str, ru: str, form: _Form, arab: str | None = None) -> None:
        self.raw = raw  # in the nationality's own script
        self.ru = ru  # as Russian-language papers write it
        self.form = form
        self.arab = arab
        self.patronymics: dict[int, _Form] = {}
        self.derived: _Family | None = None


class _Family:
    """A family name in its masculine and feminine forms (the same form where the language has one)."""

    __slots__ = ("derived", "fem", "masc", "pashto", "root")

    def __init__(
        self,
        masc: _Form,
        fem: _Form | None = None,
        *,
        pashto: bool = False,
        root: tuple[str, str | None] | None = None,
        derived: bool = False,
    ) -> None:
        self.masc = masc
        self.fem = fem or masc
        self.pashto = pashto  # a Pashtun tribal name: the family speaks Pashto
        self.root = root  # Tajik root, for children's -зода names since 2016
        self.derived = derived  # made from the father's given name (Kyrgyz "уулу", Tajik "-зода")


class _Nat:
    """A nationality's naming system: weighted given and family names and the forms derived from them."""

    __slots__ = ("code", "families", "female", "i_families", "male", "nationality", "twins", "zoda_families")

    def __init__(self, code: str, male: list[_Given], female: list[_Given], families: list[_Family]) -> None:
        self.code = code
        self.nationality = (code,)
        self.male = male  # repeated by frequency: picking an index is a weighted choice
        self.female = female
        self.families = families
        self.zoda_families: list[_Family] = []
        self.i_families: list[_Family] = []
        self.twins: tuple[_Given, _Given] | None = None


def _weighted[T](items: Sequence[T], top: int) -> list[T]:
    """Zipf-like weights by rank, so the first names of each list are the very common ones."""
    out: list[T] = []
    for rank, item in enumerate(items):
        out.extend([item] * max(1, round(top / (rank + 1) ** 0.85)))
    return out


def _text(token: str) -> str:
    return token.replace("_", " ").replace("+", _ZWNJ)


def _feminine(text: str) -> str:
    if text.endswith(("ov", "ev", "ow", "ew")):
        return text + "a"
    if text.endswith(("ов", "ев", "ёв", "ин")):
        return text + "а"
    return text


def _mk_tajik(native: str, arab: str | None) -> _Form:
    ru = rz.russify(native, "tgk")
    return _Form(
        native,
        "Cyrl",
        alt=ru,
        docs=(rz.cyrillic_passport(native, "tgk"), rz.cyrillic_passport(ru, "rus")),
        lats=(rz.cyrillic_informal(native, "tgk"), rz.cyrillic_informal(ru, "rus")),
        cyr=ru,
        arab=arab,
        tajik=native,
    )


def _mk_cyrillic(native: str, ru: str | None, lang: rz.Lang) -> _Form:
    russian = ru or rz.russify(native, lang)
    return _Form(
        native,
        "Cyrl",
        alt=russian,
        docs=(rz.cyrillic_passport(native, lang), rz.cyrillic_passport(russian, "rus")),
        lats=(rz.cyrillic_informal(native, lang), rz.cyrillic_informal(russian, "rus")),
        cyr=russian,
    )


def _mk_uzbek(latin: str) -> _Form:
    cyrillic = rz.uzbek_cyrillic(latin)
    russian = rz.russify(cyrillic, "uzb")
    return _Form(
        latin,
        "Latn",
        alt=cyrillic,
        alt_script="Cyrl",
        docs=(rz.latin_passport(latin, "uzb"), rz.cyrillic_passport(russian, "rus")),
        lats=(rz.latin_english(latin, "uzb"), rz.cyrillic_informal(russian, "rus")),
        cyr=russian,
    )


def _mk_turkmen(latin: str) -> _Form:
    cyrillic = rz.latin_to_cyrillic(latin, "tuk")
    return _Form(
        latin,
        "Latn",
        alt=cyrillic,
        alt_script="Cyrl",
        docs=(rz.latin_passport(latin, "tuk"),),
        lats=(rz.latin_english(latin, "tuk"), rz.cyrillic_informal(cyrillic, "rus")),
        cyr=cyrillic,
    )


def _mk_azerbaijani(latin: str, cyrillic: str) -> _Form:
    # Soviet-era papers give the Russified spelling (Мамедов), which older passports romanised (MAMEDOV).
    return _Form(
        latin,
        "Latn",
        alt=cyrillic,
        alt_script="Cyrl",
        docs=(rz.latin_passport(latin, "aze"), rz.cyrillic_passport(cyrillic, "rus")),
        lats=(rz.latin_english(latin, "aze"), rz.cyrillic_informal(cyrillic, "rus")),
        cyr=cyrillic,
    )


def _mk_turkish(latin: str) -> _Form:
    # Turkish passports print the name with Turkish letters and the MRZ without them.
    return _Form(
        latin,
        "Latn",
        docs=(rz.turkic_upper(latin), rz.latin_passport(latin, "tur")),
        lats=(rz.latin_english(latin, "tur"),),
        cyr=rz.latin_to_cyrillic(latin, "tur"),
    )


def _mk_russian(native: str) -> _Form:
    return _Form(
        native,
        "Cyrl",
        docs=(rz.cyrillic_passport(native, "rus"),),
        lats=(rz.cyrillic_informal(native, "rus"),),
        cyr=native,
    )


def _mk_arabic(arab: str, latins: Sequence[str], tajik: str | None) -> _Form:
    cyrillic = rz.latin_to_cyrillic(latins[0], "en")
    return _Form(
        arab,
        "Arab",
        alt=latins[0],
        alt_script="Latn",
        docs=[latin.upper() for latin in latins[:3]],
        lats=latins,
        cyr=cyrillic,
        arab=arab,
        tajik=tajik or rz.latin_to_cyrillic(latins[0], "tgk"),
    )


def _split_arabic(token: str) -> tuple[str, list[str], bool]:
    pashto = token.endswith("@p")
    arab, _, latins = token.removesuffix("@p").partition("=")
    return _text(arab), [_text(latin) for latin in latins.split("/")], pashto


def _tajik_spellings() -> dict[str, str]:
    """Persian-script name → Tajik Cyrillic, so a Tajik office writes an Afghan's name the Tajik way."""
    found: dict[str, str] = {}
    for token in (nd.TJK_MALE + nd.TJK_FEMALE).split():
        cyr, _, arab = token.partition("|")
        found.setdefault(_text(arab), cyr)
    for token in nd.TJK_FAMILY_ROOTS.split():
        cyr, _, arab = token.partition("|")
        found.setdefault(_text(arab) + "ی", cyr + "ӣ")
    return found


def _build_nat(code: str) -> _Nat:
    male: list[_Given] = []
    female: list[_Given] = []
    families: list[_Family] = []
    nat = _Nat(code, male, female, families)
    if code == "TJK":
        for block, out in ((nd.TJK_MALE, male), (nd.TJK_FEMALE, female)):
            for token in block.split():
                cyr, _, arab = token.partition("|")
                out.append(_Given(cyr, rz.russify(cyr, "tgk"), _mk_tajik(cyr, _text(arab)), _text(arab)))
        zoda: list[_Family] = []
        i_forms: list[_Family] = []
        for token in nd.TJK_FAMILY_ROOTS.split():
            cyr, _, arab_token = token.partition("|")
            arab = _text(arab_token)
            vowel = cyr[-1] in "аоуиэеӣӯ"
            masc = cyr + ("ев" if vowel else "ов")
            masc_arab, fem_arab = (arab + "یف", arab + "یوا") if vowel else (arab + "وف", arab + "وا")
            families.append(
                _Family(_mk_tajik(masc, masc_arab), _mk_tajik(masc + "а", fem_arab), root=(cyr, arab))
            )
            zoda.append(_Family(_mk_tajik(cyr + "зода", arab + _ZWNJ + "زاده"), root=(cyr, arab)))
            if not vowel:
                i_forms.append(_Family(_mk_tajik(cyr + "ӣ", arab + "ی"), root=(cyr, arab)))
        nat.zoda_families = _weighted(zoda, 30)
        nat.i_families = _weighted(i_forms, 30)
    elif code in ("KAZ", "KGZ"):
        lang: rz.Lang = "kaz" if code == "KAZ" else "kir"
        blocks = (
            (nd.KAZ_MALE, nd.KAZ_FEMALE, nd.KAZ_FAMILY)
            if code == "KAZ"
            else (nd.KGZ_MALE, nd.KGZ_FEMALE, nd.KGZ_FAMILY)
        )
        for block, out in ((blocks[0], male), (blocks[1], female)):
            for token in block.split():
                native, _, ru_token = token.partition("=")
                ru = ru_token or rz.russify(native, lang)
                out.append(_Given(native, ru, _mk_cyrillic(native, ru, lang)))
        for token in blocks[2].split():
            native, _, ru_token = token.partition("=")
            ru = ru_token or rz.russify(native, lang)
            families.append(
                _Family(_mk_cyrillic(native, ru, lang), _mk_cyrillic(native + "а", ru + "а", lang))
            )
    elif code == "UZB":
        for block, out in ((nd.UZB_MALE, male), (nd.UZB_FEMALE, female)):
            for latin in block.split():
                out.append(_Given(latin, rz.russify(rz.uzbek_cyrillic(latin), "uzb"), _mk_uzbek(latin)))
        families.extend(_Family(_mk_uzbek(latin), _mk_uzbek(latin + "a")) for latin in nd.UZB_FAMILY.split())
    elif code == "TKM":
        for block, out in ((nd.TKM_MALE, male), (nd.TKM_FEMALE, female)):
            for latin in block.split():
                out.append(_Given(latin, rz.latin_to_cyrillic(latin, "tuk"), _mk_turkmen(latin)))
        families.extend(
            _Family(_mk_turkmen(latin), _mk_turkmen(latin + "a")) for latin in nd.TKM_FAMILY.split()
        )
    elif code == "AZE":
        for block, out in ((nd.AZE_MALE, male), (nd.AZE_FEMALE, female)):
            for token in block.split():
                latin, _, cyr = token.partition("=")
                out.append(_Given(latin, cyr, _mk_azerbaijani(latin, cyr)))
        for token in nd.AZE_FAMILY.split():
            latin, _, cyr = token.partition("=")
            families.append(
                _Family(_mk_azerbaijani(latin, cyr), _mk_azerbaijani(_feminine(latin), _feminine(cyr)))
            )
    elif code == "TUR":
        for block, out in ((nd.TUR_MALE, male), (nd.TUR_FEMALE, female)):
            for latin in block.split():
                out.append(_Given(latin, rz.latin_to_cyrillic(latin, "tur"), _mk_turkish(latin)))
        families.extend(_Family(_mk_turkish(latin)) for latin in nd.TUR_FAMILY.split())
    elif code == "RUS":
        for block, out in ((nd.RUS_MALE, male), (nd.RUS_FEMALE, female)):
            for native in block.split():
                out.append(_Given(native, native, _mk_russian(native)))
        families.extend(
            _Family(_mk_russian(native), _mk_russian(_feminine(native))) for native in nd.RUS_FAMILY.split()
        )
    else:
        tajik = _tajik_spellings()
        blocks = {
            "AFG": (nd.AFG_MALE, nd.AFG_FEMALE, nd.AFG_FAMILY),
            "IRN": (nd.IRN_MALE, nd.IRN_FEMALE, nd.IRN_FAMILY),
            "PAK": (nd.PAK_MALE, nd.PAK_FEMALE, nd.PAK_FAMILY),
        }[code]
        for block, out in ((blocks[0], male), (blocks[1], female)):
            for token in block.split():
                arab, latins, _ = _split_arabic(token)
                out.append(
                    _Given(
                        arab,
                        rz.latin_to_cyrillic(latins[0], "en"),
                        _mk_arabic(arab, latins, tajik.get(arab)),
                        arab,
                    )
                )
        for token in blocks[2].split():
            arab, latins, pashto = _split_arabic(token)
            families.append(_Family(_mk_arabic(arab, latins, tajik.get(arab)), pashto=pashto))
    top = 70 if code in ("AFG", "PAK") else 40
    nat.male[:] = _weighted(male, top)
    nat.female[:] = _weighted(female, 40)
    nat.families[:] = _weighted(families, 30)
    pair = nd.TWIN_PAIRS.get(code)
    if pair:
        by_raw = {given.raw: given for given in male}
        nat.twins = (by_raw[pair[0]], by_raw[pair[1]])
    return nat


_NATS: dict[str, _Nat] = {}


def _nat(code: str) -> _Nat:
    found = _NATS.get(code)
    if found is None:
        found = _NATS[code] = _build_nat(code)
    return found


def _ru_patronymic(name: str, female: bool) -> str:
    irregular = nd.RUS_PATRONYMIC_IRREGULAR.get(name)
    if irregular:
        return irregular[female]
    last = name[-1]
    if last in "йь":
        stem, soft = name[:-1], True
    elif last == "ӣ":
        stem, soft = name[:-1] + "и", True
    else:
        stem, soft = name, last in "аоуэеяюёиӯжшчщц"
    if soft:
        return stem + ("евна" if female else "евич")
    return stem + ("овна" if female else "ович")


def _uzbek_patronymic(name: str, female: bool) -> str:
    if name[-1] in "aeiou":
        return name + ("yevna" if female else "yevich")
    if name.endswith(("sh", "ch", "j")):
        return name + ("evna" if female else "evich")
    return name + ("ovna" if female else "ovich")


def _turkmen_patronymic(name: str, female: bool) -> str:
    if name[-1] in "aeiouyäöüý":
        base = name + "ýew"
    elif name.endswith("rat"):
        base = name[:-1] + "dow"  # Myrat → Myradow: the final consonant is voiced before a vowel
    elif name[-1] in "kp":
        base = name[:-1] + {"k": "g", "p": "b"}[name[-1]] + "ow"
    else:
        base = name + "ow"
    return base + ("na" if female else "iç")


def _derive_patronymic(code: str, father: _Given, female: bool, style: int) -> _Form:
    """Style 1: Russian-type -ович; style 2: the national form (-ұлы, уулу, oʻgʻli, oğlu)."""
    if code == "TJK":
        return _mk_tajik(_ru_patronymic(father.raw, female), None)
    if code in ("KAZ", "KGZ"):
        lang: rz.Lang = "kaz" if code == "KAZ" else "kir"
        if style == 1:
            return _mk_cyrillic(_ru_patronymic(father.raw, female), _ru_patronymic(father.ru, female), lang)
        if code == "KAZ":
            return _mk_cyrillic(
                father.raw + ("қызы" if female else "ұлы"), father.ru + ("кызы" if female else "улы"), lang
            )
        suffix = " кызы" if female else " уулу"
        return _mk_cyrillic(father.raw + suffix, father.ru + suffix, lang)
    if code == "UZB":
        if style == 2:
            return _mk_uzbek(father.raw + (" qizi" if female else " oʻgʻli"))
        return _mk_uzbek(_uzbek_patronymic(father.raw, female))
    if code == "TKM":
        return _mk_turkmen(_turkmen_patronymic(father.raw, female))
    if code == "AZE":
        return _mk_azerbaijani(
            father.raw + (" qızı" if female else " oğlu"), father.ru + (" кызы" if female else " оглы")
        )
    if code == "RUS":
        return _mk_russian(_ru_patronymic(father.raw, female))
    return father.form


def _patronymic(nat: _Nat, father: _Given, female: bool, style: int) -> _Form | None:
    if style == 0:
        return None
    if style == 3:
        return father.form  # the father's name itself (Afghanistan, Iran, Pakistan)
    key = style * 2 + female
    found = father.patronymics.get(key)
    if found is None:
        found = father.patronymics[key] = _derive_patronymic(nat.code, father, female, style)
    return found


def _derived_family(nat: _Nat, father: _Given) -> _Family:
    """A family name made from the father's given name: Tajik Ҷамшедзода, Kyrgyz Нурлан уулу / кызы."""
    if father.derived is None:
        if nat.code == "KGZ":
            son = _mk_cyrillic(father.raw + " уулу", father.ru + " уулу", "kir")
            daughter = _mk_cyrillic(father.raw + " кызы", father.ru + " кызы", "kir")
            father.derived = _Family(son, daughter, derived=True)
        else:
            arab = father.arab + _ZWNJ + "زاده" if father.arab else None
            father.derived = _Family(_mk_tajik(father.raw + "зода", arab), derived=True)
    return father.derived


_ROOT_ZODA: dict[tuple[str, str | None], _Family] = {}


def _root_zoda(root: tuple[str, str | None]) -> _Family:
    found = _ROOT_ZODA.get(root)
    if found is None:
        arab = root[1] + _ZWNJ + "زاده" if root[1] else None
        found = _ROOT_ZODA[root] = _Family(_mk_tajik(root[0] + "зода", arab), root=root)
    return found


# --- Where people come from, how they travel ----------------------------------------------------------


def _words(spec: str) -> tuple[str, ...]:
    return tuple(spec.split())


def _weights(spec: str) -> tuple[tuple[str, int], ...]:
    """ "UZB 38 TJK 18" → (("UZB", 38), ("TJK", 18)): tables stay readable one line per host."""
    words = spec.split()
    return tuple((words[i], int(words[i + 1])) for i in range(0, len(words), 2))


# Nationalities registered at each node; XXA draws a stateless person (names from _STATELESS_POOL).
_HOST_MIX = {
    "KAZ": _weights("UZB 40 TJK 19 KGZ 18 AFG 3 RUS 5 TKM 3 AZE 3 TUR 2 IRN 1 PAK 1 XXA 5"),
    "KGZ": _weights("UZB 34 TJK 27 AFG 6 KAZ 9 RUS 6 TKM 4 TUR 3 PAK 2 IRN 2 AZE 1 XXA 6"),
    "TJK": _weights("AFG 55 UZB 12 KGZ 6 RUS 5 IRN 4 PAK 4 KAZ 3 TKM 2 TUR 2 AZE 1 XXA 6"),
    "UZB": _weights("TJK 27 AFG 10 KGZ 16 KAZ 14 TKM 11 RUS 9 TUR 4 AZE 2 XXA 7"),
    "TKM": _weights("AFG 12 UZB 30 IRN 17 TUR 14 KAZ 6 TJK 6 RUS 6 AZE 5 XXA 4"),
    "AZE": _weights("TUR 20 IRN 18 RUS 15 AFG 10 UZB 10 TJK 6 TKM 5 PAK 5 KAZ 4 XXA 7"),
    "TUR": _weights("AFG 45 IRN 20 PAK 10 TKM 8 UZB 6 AZE 4 KGZ 2 TJK 2 KAZ 1 RUS 1 XXA 1"),
    "IRN": _weights("AFG 85 PAK 8 TJK 2 TUR 2 XXA 3"),
    "PAK": _weights("AFG 92 IRN 4 XXA 4"),
    "AFG": _weights("AFG 80 PAK 8 IRN 4 TJK 3 UZB 2 TKM 1 XXA 2"),
}
# Whose names stateless people of each host carry (former Soviet citizens, Afghan-born children in Iran…).
_STATELESS_POOL = {
    "KAZ": _weights("KAZ 25 UZB 25 RUS 25 KGZ 10 TJK 10 AZE 5"),
    "KGZ": _weights("KGZ 30 UZB 30 TJK 20 RUS 15 KAZ 5"),
    "TJK": _weights("TJK 45 UZB 25 AFG 20 KGZ 10"),
    "UZB": _weights("UZB 40 TJK 25 KAZ 10 KGZ 10 RUS 10 TKM 5"),
    "TKM": _weights("TKM 50 UZB 25 RUS 15 KAZ 10"),
    "AZE": _weights("AZE 60 RUS 25 TUR 15"),
    "TUR": _weights("AZE 30 TKM 25 UZB 25 AFG 20"),
    "IRN": _weights("AFG 90 IRN 10"),
    "PAK": _weights("AFG 100"),
    "AFG": _weights("AFG 100"),
}
_CENTRAL_ASIAN = ("TJK", "UZB", "KAZ", "KGZ", "TKM", "AZE")
# Where a wife usually takes her husband's family name (Afghan, Iranian and Pakistani women keep their own).
_TAKES_HUSBANDS_NAME = (*_CENTRAL_ASIAN, "RUS", "TUR")
_PROFILE_MIX = {
    "CA": _weights(
        "migrant_worker 78 irregular_migrant 13 trafficking_victim 2 asylum_seeker 2 other 4 "
        "unaccompanied_child 1"
    ),
    "RUS": _weights("migrant_worker 55 asylum_seeker 10 other 30 irregular_migrant 5"),
    "TUR": _weights("migrant_worker 80 other 18 asylum_seeker 2"),
    "AFG": _weights(
        "asylum_seeker 52 refugee_elsewhere 10 irregular_migrant 15 migrant_worker 9 "
        "unaccompanied_child 5 separated_child 3 trafficking_victim 1 other 5"
    ),
    # Afghans in Iran or Pakistan: the country of asylum is the one they register in.
    "AFG-NEIGHBOUR": _weights(
        "asylum_seeker 45 irregular_migrant 30 migrant_worker 12 unaccompanied_child 5 "
        "separated_child 3 trafficking_victim 1 other 4"
    ),
    "IRN": _weights("asylum_seeker 55 migrant_worker 20 irregular_migrant 15 other 9 trafficking_victim 1"),
    "PAK": _weights("migrant_worker 40 asylum_seeker 25 irregular_migrant 28 trafficking_victim 3 other 4"),
    # Pakistanis who fled to Afghanistan's eastern provinces.
    "PAK-IN-AFG": _weights("asylum_seeker 85 other 15"),
}
_SIZES: dict[str, tuple[int, ...]] = {  # weights of household sizes 1..8
    "migrant_worker": (80, 9, 5, 3, 2, 1, 0, 0),
    "irregular_migrant": (75, 10, 6, 4, 3, 1, 1, 0),
    "asylum_seeker": (30, 11, 13, 13, 12, 9, 6, 6),
    "refugee_elsewhere": (20, 10, 12, 14, 14, 12, 9, 9),
    "returnee": (15, 8, 12, 14, 15, 13, 11, 12),
    "trafficking_victim": (100, 0, 0, 0, 0, 0, 0, 0),
    "unaccompanied_child": (100, 0, 0, 0, 0, 0, 0, 0),
    "separated_child": (0, 70, 25, 5, 0, 0, 0, 0),
    "stateless": (60, 15, 10, 8, 5, 2, 0, 0),
    "other": (70, 10, 10, 5, 5, 0, 0, 0),
}
_MET_AT = {
    "migrant_worker": _weights("in_country 75 border_crossing 20 detention 3 referral 2"),
    "irregular_migrant": _weights("detention 45 border_crossing 30 in_country 20 referral 5"),
    "asylum_seeker": _weights("in_country 55 border_crossing 30 detention 10 referral 5"),
    "refugee_elsewhere": _weights("in_country 55 border_crossing 30 detention 10 referral 5"),
    "returnee": _weights("border_crossing 85 in_country 15"),
    "trafficking_victim": _weights("referral 70 detention 15 in_country 10 border_crossing 5"),
    "unaccompanied_child": _weights("referral 50 border_crossing 25 detention 15 in_country 10"),
    "separated_child": _weights("referral 40 in_country 40 border_crossing 20"),
    "stateless": _weights("in_country 85 referral 15"),
    "other": _weights("in_country 80 border_crossing 20"),
}
_MET_AT_VALUES: dict[str, MetAt] = {
    "border_crossing": "border_crossing",
    "in_country": "in_country",
    "detention": "detention",
    "referral": "referral",
}
# (from, to) bins of age in years and their weights, for principal applicants.
_AGES: dict[str, tuple[tuple[float, float, int], ...]] = {
    "migrant_worker": ((18, 25, 30), (25, 35, 40), (35, 45, 20), (45, 60, 10)),
    "irregular_migrant": ((18, 25, 35), (25, 35, 40), (35, 45, 17), (45, 60, 8)),
    "asylum_seeker": ((18, 25, 30), (25, 35, 35), (35, 45, 20), (45, 60, 10), (60, 80, 5)),
    "refugee_elsewhere": ((18, 25, 30), (25, 35, 35), (35, 45, 20), (45, 60, 10), (60, 80, 5)),
    "returnee": ((18, 25, 20), (25, 35, 35), (35, 50, 30), (50, 75, 15)),
    "trafficking_victim": ((16, 18, 8), (18, 25, 45), (25, 35, 35), (35, 45, 12)),
    "stateless": ((18, 30, 25), (30, 45, 30), (45, 60, 25), (60, 85, 20)),
    "other": ((18, 30, 40), (30, 50, 40), (50, 75, 20)),
    "unaccompanied_child": ((12, 14, 10), (14, 16, 30), (16, 18, 60)),
}
_MALE_SHARE = {
    "migrant_worker": 0.78,
    "irregular_migrant": 0.82,
    "asylum_seeker": 0.85,
    "refugee_elsewhere": 0.8,
    "returnee": 0.75,
    "trafficking_victim": 0.4,
    "stateless": 0.5,
    "other": 0.55,
    "unaccompanied_child": 0.88,
    "separated_child": 0.6,
}
# Share of people who declare their name in the alternative script: Russified Tajik/Kazakh/Kyrgyz,
# Uzbek or Turkmen Cyrillic, Azerbaijani Soviet spelling, or Latin for Afghans, Iranians, Pakistanis.
_ALT_SCRIPT = {
    "TJK": 0.25,
    "UZB": 0.35,
    "KAZ": 0.15,
    "KGZ": 0.15,
    "TKM": 0.15,
    "AZE": 0.2,
    "AFG": 0.05,
    "IRN": 0.15,
    "PAK": 0.6,
}
# Languages spoken, first the main one ("+" joins several); "-P" are Pashtun families.
_LANGS = {
    "TJK": _weights("tgk+rus 55 tgk 35 tgk+uzb 5 tgk+rus+uzb 5"),
    "UZB": _weights("uzb+rus 50 uzb 40 uzb+tgk 5 uzb+kaz 5"),
    "KAZ": _weights("kaz+rus 75 kaz 10 rus+kaz 10 rus 5"),
    "KGZ": _weights("kir+rus 65 kir 25 kir+uzb 5 rus+kir 5"),
    "TKM": _weights("tuk 55 tuk+rus 40 tuk+tur 5"),
    "AZE": _weights("aze 40 aze+rus 45 aze+tur 15"),
    "TUR": _weights("tur 100"),
    "RUS": _weights("rus 100"),
    "AFG": _weights("prs 60 prs+pbt 20 uzb+prs 7 tuk+prs 3 prs+pes 10"),
    "AFG-P": _weights("pbt 50 pbt+prs 45 pbt+urd 5"),
    "IRN": _weights("pes 75 aze+pes 20 pes+tur 5"),
    "PAK": _weights("urd 50 urd+pbt 20 pbt+urd 20 urd+pes 10"),
    "PAK-P": _weights("pbt+urd 70 pbt 30"),
}
# Mobile numbers: country code, operator codes, then groups of random digits.
_PHONES: dict[str, tuple[str, tuple[str, ...], tuple[int, ...]]] = {
    "KAZ": ("+7 ", _words("700 701 702 705 707 708 747 771 775 776 777 778"), (3, 2, 2)),
    "KGZ": (
        "+996 ",
        _words("500 550 555 700 701 702 703 705 707 770 771 772 775 777 990 995 998 999"),
        (3, 3),
    ),
    "TJK": ("+992 ", _words("90 91 92 93 98 55 50 88"), (3, 4)),
    "UZB": ("+998 ", _words("90 91 93 94 95 97 98 99 33 88 77"), (3, 2, 2)),
    "TKM": ("+993 ", _words("61 62 63 64 65 71"), (6,)),
    "AZE": ("+994 ", _words("50 51 55 70 77 99 10"), (3, 2, 2)),
    "TUR": (
        "+90 ",
        _words(
            "501 505 506 507 530 531 532 533 535 536 537 538 539 541 542 543 544 545 546 "
            "549 551 552 553 554 555"
        ),
        (3, 2, 2),
    ),
    "AFG": ("+93 ", _words("70 72 73 74 75 76 77 78 79"), (3, 4)),
    "IRN": (
        "+98 ",
        _words("901 902 903 905 910 911 912 913 914 915 916 917 918 919 930 933 935 936 937 938 939 990"),
        (3, 4),
    ),
    "PAK": ("+92 ", tuple(f"3{n:02d}" for n in range(50)), (7,)),
    "RUS": (
        "+7 ",
        _words("900 901 903 905 909 910 912 915 916 917 918 919 920 925 926 927 929 950 960 977 985 999"),
        (3, 2, 2),
    ),
}
# Shares holding a passport (adults, children), a national ID card (adults) and a birth certificate
# (children), and the years an adult passport is valid.
_DOCS: dict[str, tuple[float, float, float, float, int]] = {
    "KAZ": (0.92, 0.35, 0.40, 0.60, 10),
    "UZB": (0.90, 0.30, 0.20, 0.60, 10),
    "TJK": (0.90, 0.30, 0.0, 0.65, 10),
    "KGZ": (0.80, 0.30, 0.40, 0.60, 10),
    "TKM": (0.92, 0.35, 0.0, 0.55, 10),
    "AZE": (0.90, 0.35, 0.30, 0.55, 10),
    "TUR": (0.95, 0.60, 0.0, 0.0, 10),
    "RUS": (0.90, 0.40, 0.35, 0.50, 10),
    "AFG": (0.18, 0.05, 0.45, 0.0, 5),
    "IRN": (0.70, 0.35, 0.45, 0.40, 5),
    "PAK": (0.75, 0.20, 0.70, 0.30, 5),
}
_PASSPORT_FACTOR = {
    "irregular_migrant": 0.55,
    "trafficking_victim": 0.35,
    "unaccompanied_child": 0.25,
    "separated_child": 0.3,
    "returnee": 0.6,
    "stateless": 0.0,
}
# Number shapes per issuing state and document: series prefixes ("/" between them) and how many random
# digits follow; "-" means no prefix. The shapes are public knowledge, the numbers are random.
_NUMBER_SHAPES = """
KAZ passport N 8; KAZ national_id 0 8; KAZ birth_certificate - 7; KAZ other - 9
UZB passport AA/AB/AC/FA 7; UZB national_id AD/AE 7; UZB birth_certificate I- 7; UZB other XS 7
TJK passport 4/5/A 8; TJK birth_certificate - 7; TJK other - 9
KGZ passport AC/AN/PE 7; KGZ national_id ID 7; KGZ birth_certificate - 7; KGZ other AA 7
TKM passport A 7; TKM birth_certificate - 7; TKM other - 9
AZE passport C 8; AZE national_id AA 7; AZE birth_certificate - 7; AZE other - 9
TUR passport U 8; TUR other 99 9
RUS passport 75_/76_ 7; RUS national_id - 10; RUS birth_certificate - 6
AFG passport P 7; AFG national_id - 9; AFG other - 9
IRN passport A/B/K/P/U/Z 8; IRN national_id - 10; IRN birth_certificate - 10; IRN refugee_id - 12
IRN other - 12
PAK passport AB/AC/BA/CM/DY 7; PAK national_id - 11; PAK birth_certificate - 12; PAK refugee_id - 13
PAK other - 13
"""


def _number_shapes() -> dict[tuple[str, str], tuple[tuple[str, ...], int]]:
    shapes: dict[tuple[str, str], tuple[tuple[str, ...], int]] = {}
    for entry in _NUMBER_SHAPES.replace("\n", ";").split(";"):
        if entry.strip():
            state, kind, prefixes, digits = entry.split()
            series = tuple("" if p == "-" else p.replace("_", " ") for p in prefixes.split("/"))
            shapes[(state, kind)] = (series, int(digits))
    return shapes


_NUMBERS = _number_shapes()
# Letters and digits that optical character recognition of a passport confuses.
_OCR = {
    "0": "O",
    "O": "0",
    "1": "I",
    "I": "1",
    "5": "S",
    "S": "5",
    "8": "B",
    "B": "8",
    "2": "Z",
    "Z": "2",
    "6": "G",
    "G": "6",
}
_CYR_SIMILAR = dict(pair.split(">") for pair in _words("а>о о>а е>и и>ы ы>и у>ю э>е ә>а ұ>у ү>у ө>о ӯ>у ӣ>и"))
_LAT_SIMILAR = dict(pair.split(">") for pair in _words("a>e e>i i>y o>u u>o y>i ə>a ı>i ü>u ö>o ä>a ý>y"))
# Persian and Arabic keyboards give different code points for the same letters.
_ARAB_SIMILAR = {"ی": "ي", "ک": "ك", "ه": "ة", "ا": "آ", "و": "ؤ"}


def _routes(origin: str, host: str) -> tuple[tuple[str, ...], ...]:
    """Countries crossed overland between origin and host: every shortest path, plus known detours."""
    found = _ROUTE_CACHE.get((origin, host))
    if found is not None:
        return found
    paths: list[list[str]] = [[origin]]
    result: list[tuple[str, ...]] = []
    seen = {origin}
    while paths and not result:
        next_paths = []
        level_seen: set[str] = set()
        for path in paths:
            for neighbour in nd.NEIGHBOURS.get(path[-1], ()):
                if neighbour == host:
                    result.append(tuple(path[1:]))
                elif neighbour not in seen:
                    level_seen.add(neighbour)
                    next_paths.append([*path, neighbour])
        seen |= level_seen
        paths = next_paths
    routes = tuple(dict.fromkeys([*result, *nd.EXTRA_ROUTES.get((origin, host), ())]))
    _ROUTE_CACHE[(origin, host)] = routes
    return routes


_ROUTE_CACHE: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = {}


def _expand[T](pairs: Sequence[tuple[T, int]]) -> list[T]:
    return [value for value, weight in pairs for _ in range(weight)]


def _year(ordinal: int) -> int:
    """The calendar year of a day ordinal without building a date; a day off around New Year at worst, which
    is fine for choosing naming customs by birth year."""
    return int(ordinal / 365.2425) + 1


def _add_years(ordinal: int, years: int) -> int:
    day = date.fromordinal(ordinal)
    try:
        return day.replace(year=day.year + years).toordinal()
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28).toordinal()


def _permute(index: int, digits: int, keys: tuple[int, ...]) -> int:
    """A keyed bijection on 0..10**digits-1: numbers look random, yet a series never repeats one.

    An affine map with a multiplier prime to 10, the digits read backwards, and another such map; each
    step is one-to-one on numbers of `digits` digits, and the whole costs a few operations.
    """
    modulus: int = 10**digits
    reversed_digits = str((index * keys[0] + keys[1]) % modulus).zfill(digits)[::-1]
    return (int(reversed_digits) * keys[2] + keys[3]) % modulus


# --- The generator ------------------------------------------------------------------------------------------


class _Member:
    """A member while the household is being built, then the record kept for a later re-registration."""

    __slots__ = (
        "birth",
        "born_in",
        "demo",
        "family",
        "father",
        "given",
        "key_base",
        "lineage",
        "nat",
        "needs",
        "patr",
        "profiles",
        "rel",
        "sex",
        "with_doc",
    )

    def __init__(
        self,
        rel: str,
        sex: Literal["M", "F"],
        birth: int,
        nat: _Nat,
        given: _Given,
        family: _Form | None,
        patr: _Form | None,
        *,
        lineage: _Family | None = None,
        father: _Given | None = None,
    ) -> None:
        self.rel = rel
        self.sex: Literal["M", "F"] = sex
        self.birth = birth  # true date of birth (ordinal); what is recorded may be rounded or estimated
        self.nat = nat
        self.given = given
        self.family = family
        self.patr = patr
        self.lineage = lineage  # the paternal family name, from which relatives' names are made
        self.father = father  # the father's given name, from which siblings' patronymics are made
        self.born_in = ""
        self.profiles: tuple[str, ...] = ()
        self.needs: list[str] = []
        self.demo: DemoPerson | None = None
        self.key_base = 0
        self.with_doc = False


class _Household:
    """What one registration shares: date, office, route, nationality, and how names are written."""

    __slots__ = (
        "arrival",
        "foreign",
        "home",
        "home_country",
        "key_base",
        "langs",
        "langs_nat",
        "met_at",
        "nat",
        "office",
        "profile",
        "reg",
        "stateless",
        "transit",
    )

    def __init__(self) -> None:
        self.reg = 0
        self.arrival: int | None = None
        self.met_at: MetAt = "in_country"
        self.office = 0
        self.transit: tuple[str, ...] = ()
        self.profile = "other"
        self.nat: _Nat | None = None
        self.stateless = False
        self.key_base = 0
        self.foreign = True
        self.langs: tuple[str, ...] = ()
        self.langs_nat: _Nat | None = None  # whose languages `langs` are
        self.home = ""  # the family's home town: siblings were mostly born there
        self.home_country = ""


class _Series:
    """A document number series of one issuing state and document type."""

    __slots__ = ("digits", "issued", "keys", "prefixes")

    def __init__(self, seed: int, host: str, state: str, kind: str) -> None:
        shape = _NUMBERS.get((state, kind)) or _NUMBERS.get((state, "other")) or (("",), 9)
        self.prefixes, self.digits = shape
        self.issued = 0
        base = zlib.crc32(f"{seed}:{host}:{state}:{kind}".encode())  # nodes do not share series
        keys = [(base * (i + 7) * 2654435761) & 0xFFFFFFFF for i in range(4)]
        for i in (0, 2):  # multipliers prime to 10 keep the maps one-to-one
            keys[i] |= 1
            if keys[i] % 5 == 0:
                keys[i] += 2
        self.keys = tuple(keys)


class _Pending:
    """A household waiting to be registered again (a duplicate for deduplication to find)."""

    __slots__ = ("household", "members")

    def __init__(self, household: _Household, members: list[_Member]) -> None:
        self.household = household
        self.members = members


class _Generator:
    """The state of one stream: its random generator, counters and the queue of re-registrations."""

    def __init__(
        self, *, seed: int, people: int, host: str, today: date, n_offices: int, duplicate_rate: float
    ) -> None:
        self.rng = random.Random(seed)
        self.rnd = self.rng.random
        self.seed = seed
        self.people = people
        self.host = host
        self.today = today.toordinal()
        self.start = self.today - _SPAN_DAYS
        self.rate = duplicate_rate
        self.view = _HOST_VIEW[host]
        self.n_offices = n_offices
        kinds = ["BCP" in code for code, _ in DEMO_OFFICES[host]]
        self.bcp = [i for i in range(n_offices) if i < len(kinds) and kinds[i]] or list(range(n_offices))
        self.city = [i for i in range(n_offices) if i >= len(kinds) or not kinds[i]] or list(range(n_offices))
        self.host_mix = _expand(_HOST_MIX[host])
        self.stateless_pool = _expand(_STATELESS_POOL[host])
        self.profile_mix = {
            code: _expand(_PROFILE_MIX[self._profile_group(code)]) for code, _ in _HOST_MIX[host]
        }
        self.sizes = {
            profile: _expand(list(zip(range(1, 9), weights, strict=True)))
            for profile, weights in _SIZES.items()
        }
        self.met_at = {
            profile: [_MET_AT_VALUES[value] for value in _expand(weights)]
            for profile, weights in _MET_AT.items()
        }
        self.ages = {
            profile: _expand([((lo, hi), w) for lo, hi, w in bins]) for profile, bins in _AGES.items()
        }
        self.langs = {
            code: [tuple(value.split("+")) for value in _expand(weights)] for code, weights in _LANGS.items()
        }
        self.series: dict[str, dict[str, _Series]] = {}
        self.pending: list[tuple[int, int, _Pending]] = []
        self.person_no = 0
        self.identity_no = 0
        self.registration_no = 0

    def _profile_group(self, code: str) -> str:
        if code in _CENTRAL_ASIAN:
            return "CA"
        if code == "AFG" and self.host in ("IRN", "PAK"):
            return "AFG-NEIGHBOUR"
        if code == "PAK" and self.host == "AFG":
            return "PAK-IN-AFG"
        return code if code in _PROFILE_MIX else "CA"

    # -- the stream --

    def run(self) -> Iterator[DemoRegistration]:
        produced = 0
        while produced < self.people:
            remaining = self.people - produced
            if self.pending and self.pending[0][0] <= produced:
                _, _, item = heapq.heappop(self.pending)
                registration = self._re_registration(item, produced, remaining)
            else:
                registration = self._registration(produced, remaining)
            produced += len(registration.members)
            yield registration

    def _date_at(self, produced: int) -> int:
        return self.start + produced * (_SPAN_DAYS + 1) // self.people

    def _pick[T](self, items: Sequence[T]) -> T:
        return items[int(self.rnd() * len(items))]

    def _registration(self, produced: int, remaining: int) -> DemoRegistration:
        rnd = self.rnd
        house = _Household()
        house.reg = self._date_at(produced)
        code = self._pick(self.host_mix)
        if code == "XXA":
            code = self._pick(self.stateless_pool)
            house.stateless = True
            profile = "stateless"
        elif code == self.host:
            profile = "returnee"
        else:
            profile = self._pick(self.profile_mix[code])
            if profile == "separated_child" and remaining < 2:
                profile = "unaccompanied_child"  # the last person of the stream comes alone
        nat = _nat(code)
        house.nat = nat
        house.profile = profile
        house.foreign = code != self.host
        size = min(self._pick(self.sizes[profile]), remaining)
        house.met_at = self._pick(self.met_at[profile])
        house.office = self._office(house.met_at)
        house.arrival = self._arrival(house)
        house.transit = self._transit(house)
        # At home, Afghans, Iranians and Pakistanis are registered in their own script.
        use_alt = rnd() < _ALT_SCRIPT.get(code, 0.0) and house.foreign
        roll = rnd()
        variant = 0 if roll < 0.7 else 1 if roll < 0.9 else 2
        house.key_base = use_alt | variant << 2 | house.foreign << 4 | self.view << 5
        members = self._members(house, size)
        registration = self._emit(house, members)
        if self.rate > 0 and house.reg < self.today - 1:
            n = len(members)
            # A fifth of re-registrations bring the principal only; those due after the end are never made.
            chance = self.rate * n / (0.8 * n + 0.2) * _SPAN_DAYS / (_SPAN_DAYS - 121)
            if rnd() < chance:
                days = 2 + int(rnd() * 240)
                due = -(-(house.reg - self.start + days) * self.people // (_SPAN_DAYS + 1))
                heapq.heappush(self.pending, (due, self.registration_no, _Pending(house, members)))
        return registration

    def _office(self, met_at: MetAt) -> int:
        offices = self.bcp if met_at == "border_crossing" else self.city
        # The first office of each kind (capital, main crossing) is the busiest.
        return offices[0] if self.rnd() < 0.45 else self._pick(offices)

    def _arrival(self, house: _Household) -> int | None:
        rnd, reg, profile = self.rnd, house.reg, house.profile
        if house.met_at == "border_crossing":
            return reg
        if profile == "stateless" or (house.met_at == "detention" and rnd() < 0.4):
            return None
        if profile == "migrant_worker":
            days = 1 + int(rnd() * 30) if rnd() < 0.6 else 31 + int(rnd() * 1500)
        elif house.met_at == "detention":
            days = 10 + int(rnd() * 900)
        else:
            days = 3 + int(rnd() * 400)
        return reg - days

    def _transit(self, house: _Household) -> tuple[str, ...]:
        assert house.nat is not None
        rnd, origin, profile = self.rnd, house.nat.code, house.profile
        if house.stateless:
            return ()
        if profile == "returnee":
            return ("IRN",) if rnd() < 0.55 else ("PAK",)
        if profile == "refugee_elsewhere":
            refuge = "IRN" if rnd() < 0.6 else "PAK"
            if refuge == self.host:
                refuge = "PAK" if refuge == "IRN" else "IRN"
            onward = self._pick(_routes(refuge, self.host) or ((),))
            return (refuge, *onward)
        if profile in ("migrant_worker", "other") and rnd() < 0.5:
            return ()  # flew in
        routes = _routes(origin, self.host)
        return self._pick(routes) if routes else ()

    # -- households --

    def _members(self, house: _Household, size: int) -> list[_Member]:
        profile = house.profile
        if profile == "unaccompanied_child":
            members = [self._unaccompanied(house)]
        elif profile == "separated_child":
            members = self._separated(house, max(size, 2))
        elif size == 1:
            members = [self._single(house)]
        else:
            members = self._family(house, size)
        return members

    def _age_days(self, profile: str) -> int:
        lo, hi = self._pick(self.ages.get(profile) or self.ages["other"])
        return int((lo + (hi - lo) * self.rnd()) * _YEAR)

    def _given(self, nat: _Nat, female: bool) -> _Given:
        return self._pick(nat.female if female else nat.male)

    def _patr_style(self, nat: _Nat, year: int) -> int:
        roll = self.rnd()
        code = nat.code
        if code == "TJK":
            return (1 if roll < 0.5 else 0) if year >= 2016 else (1 if roll < 0.92 else 0)
        if code == "UZB":
            return 2 if roll < 0.45 else 1
        if code == "KAZ":
            return (2 if roll < 0.2 else 1) if year < 1990 else (2 if roll < 0.5 else 1)
        if code == "KGZ":
            return (2 if roll < 0.15 else 1) if year < 1990 else (2 if roll < 0.45 else 1)
        if code == "AZE":
            return 2 if roll < 0.9 else 0
        if code in ("TKM", "RUS"):
            return 1
        if code == "AFG":
            return 3
        if code in ("IRN", "PAK"):
            # Registration forms ask a child's father's name; adults' is recorded less often.
            return 3 if roll < (0.35 if year < 2006 else 0.9) else 0
        return 0

    def _lineage(self, nat: _Nat, year: int, father: _Given) -> _Family | None:
        """The family name a person is born with, given the father's given name."""
        roll = self.rnd()
        code = nat.code
        if code == "AFG":
            return self._pick(nat.families) if roll < 0.4 else None
        if code == "PAK" and roll < 0.3:
            return None
        if code == "TJK":
            modern = year >= 1995
            if roll < (0.45 if modern else 0.72):
                return self._pick(nat.families)
            if roll < (0.85 if modern else 0.93):
                return self._pick(nat.zoda_families)
            return self._pick(nat.i_families)
        if code == "KGZ" and year >= 1985 and roll < 0.15:
            return _derived_family(nat, father)
        return self._pick(nat.families)

    def _child_lineage(
        self, nat: _Nat, father_family: _Family | None, father: _Given, year: int
    ) -> _Family | None:
        roll = self.rnd()
        code = nat.code
        if code == "TJK" and year >= 2016:
            # Since 2016 Tajik children get a Tajik-form name, often made from the father's given name.
            if roll < 0.45:
                return _derived_family(nat, father)
            if roll < 0.7 and father_family is not None and father_family.root is not None:
                return _root_zoda(father_family.root)
        kyrgyz_form = father_family is None or father_family.derived or (year >= 2000 and roll < 0.15)
        if code == "KGZ" and kyrgyz_form:
            return _derived_family(nat, father)
        if code == "AFG" and roll > 0.85:
            return None
        return father_family

    def _person(
        self,
        rel: str,
        sex: Literal["M", "F"],
        birth: int,
        nat: _Nat,
        *,
        father: _Given | None = None,
        lineage: _Family | None = None,
        inherit: bool = False,
        given: _Given | None = None,
    ) -> _Member:
        """A person with names; `inherit` keeps `lineage` as the family name, otherwise a new one is drawn."""
        female = sex == "F"
        year = _year(birth)
        father = father or self._given(nat, False)
        if not inherit:
            lineage = self._lineage(nat, year, father)
        patr = _patronymic(nat, father, female, self._patr_style(nat, year))
        if lineage is not None and lineage.derived and nat.code == "KGZ":
            patr = None  # "Нурлан уулу" already names the father
        family = None if lineage is None else (lineage.fem if female else lineage.masc)
        return _Member(
            rel,
            sex,
            birth,
            nat,
            given or self._given(nat, female),
            family,
            patr,
            lineage=lineage,
            father=father,
        )

    def _single(self, house: _Household) -> _Member:
        assert house.nat is not None
        profile = house.profile
        sex: Literal["M", "F"] = "M" if self.rnd() < _MALE_SHARE.get(profile, 0.6) else "F"
        birth = house.reg - self._age_days(profile)
        member = self._person("principal", sex, birth, house.nat)
        at_risk = profile in ("asylum_seeker", "irregular_migrant", "trafficking_victim", "refugee_elsewhere")
        if sex == "F" and at_risk and self.rnd() < (0.4 if house.nat.code in ("AFG", "IRN", "PAK") else 0.15):
            member.needs.append("WR-SF")
        if house.reg - birth >= 60 * _YEAR and self.rnd() < 0.6:
            member.needs.append("ER-NF")
        return member

    def _unaccompanied(self, house: _Household) -> _Member:
        assert house.nat is not None
        sex: Literal["M", "F"] = "M" if self.rnd() < _MALE_SHARE["unaccompanied_child"] else "F"
        birth = house.reg - self._age_days("unaccompanied_child")
        return self._person("principal", sex, birth, house.nat)

    def _separated(self, house: _Household, size: int) -> list[_Member]:
        """Children with an adult relative who is not their parent: uncle, grandparent, sibling, cousin."""
        assert house.nat is not None
        rnd, nat, reg = self.rnd, house.nat, house.reg
        father = self._given(nat, False)  # the children's father, absent
        ages = sorted((8 + 10 * rnd() for _ in range(size - 1)), reverse=True)
        oldest = ages[0]
        roll = rnd()
        lineage = self._lineage(nat, _year(reg - int(oldest * _YEAR)), father)
        if roll < 0.5:
            adult_age, child_rel, adult_father = oldest + 15 + 15 * rnd(), "nephew_niece", None
        elif roll < 0.7:
            adult_age, child_rel, adult_father = min(oldest + 40 + 15 * rnd(), 90.0), "grandchild", None
        elif roll < 0.9:
            adult_age, child_rel, adult_father = max(18.5 + 6 * rnd(), oldest + 2), "sibling", father
        else:
            adult_age, child_rel, adult_father = 18 + 15 * rnd(), "cousin", None
        adult_sex: Literal["M", "F"] = "M" if rnd() < 0.75 else "F"
        adult = self._person(
            "principal",
            adult_sex,
            reg - int(adult_age * _YEAR),
            nat,
            father=adult_father,
            lineage=lineage,
            inherit=True,
        )
        adult.profiles = _ONE_PROFILE["asylum_seeker"]
        members = [adult]
        for age in ages:
            sex: Literal["M", "F"] = "M" if rnd() < 0.6 else "F"
            child = self._person(
                child_rel, sex, reg - int(age * _YEAR), nat, father=father, lineage=lineage, inherit=True
            )
            child.profiles = ("asylum_seeker", "separated_child")
            members.append(child)
        return members

    def _children_ages(self, count: int) -> list[float]:
        rnd = self.rnd
        ages = [5 * rnd() * rnd()]
        for _ in range(count - 1):
            ages.append(ages[-1] if rnd() < 0.03 else ages[-1] + 1.0 + 2.5 * rnd())  # twins share a birthday
        return ages[::-1]  # eldest first

    def _family(self, house: _Household, size: int) -> list[_Member]:
        assert house.nat is not None
        rnd, nat, reg = self.rnd, house.nat, house.reg
        roll = rnd()
        if size == 2 and roll >= 0.55:
            return self._pair(house)
        single_parent = roll < 0.14 if size > 2 else False
        extras = 0
        if size >= 4 and rnd() < 0.22:
            extras = 1 + (size >= 6 and rnd() < 0.3)
        n_children = size - extras - (1 if single_parent else 2)
        if n_children < 0:
            extras, n_children = 0, size - 2
        ages = self._children_ages(n_children) if n_children else []
        oldest = ages[0] if ages else 0.0
        youngest = ages[-1] if ages else 0.0
        if ages:
            mother_age = oldest + 18 + max(0.0, min(12.0, youngest + 44 - oldest - 18)) * rnd()
        else:
            mother_age = 19 + 20 * rnd()
        father_age = max(mother_age - 2 + 12 * rnd(), oldest + 19, 18.5)
        father_birth = reg - int(father_age * _YEAR)
        father = self._person("principal", "M", father_birth, nat)
        mother_birth = reg - int(mother_age * _YEAR)
        mother_nat = nat
        if nat.code in ("TJK", "UZB", "KGZ", "KAZ") and rnd() < 0.04:
            mother_nat = _nat(self._pick(("TJK", "UZB", "KGZ", "KAZ", "RUS")))
        mother = self._person("spouse", "F", mother_birth, mother_nat)
        line = father.lineage
        share = (0.95 if nat.code == "TUR" else 0.75) if nat.code in _TAKES_HUSBANDS_NAME else 0.0
        if mother_nat is nat and line is not None and not line.derived and rnd() < share:
            mother.family = line.fem  # took her husband's family name
        members: list[_Member]
        if single_parent:
            mother.rel = "principal"
            mother.needs.extend(n for n, p in (("WR-HR", 0.6), ("SP-PT", 0.5)) if rnd() < p)
            members = [mother]
        elif rnd() < 0.1:
            mother.rel, father.rel = "principal", "spouse"
            members = [mother, father]
        else:
            members = [father, mother]
        principal = members[0]
        twins = nat.twins
        previous: _Member | None = None
        used = [father.given, mother.given]
        for age in ages:
            birth = reg - int(age * _YEAR)
            sex: Literal["M", "F"] = "M" if rnd() < 0.51 else "F"
            lineage = self._child_lineage(nat, father.lineage, father.given, _year(birth))
            if sex == "M" and rnd() < 0.02:
                given = father.given  # named after his father
            else:
                # Parents do not give two children, or a child and a parent, the same name.
                given = self._given(nat, sex == "F")
                for _ in range(3):
                    if given not in used:
                        break
                    given = self._given(nat, sex == "F")
            if previous is not None and previous.birth == birth and twins and sex == previous.sex == "M":
                previous.given, given = twins
            used.append(given)
            child = self._person(
                "child", sex, birth, nat, father=father.given, lineage=lineage, inherit=True, given=given
            )
            members.append(child)
            previous = child
        if ages and youngest < 1 and rnd() < 0.5:
            mother.needs.append("PG-LC")
        for _ in range(extras):
            members.append(self._relative(house, principal, father, mother))
        return members

    def _pair(self, house: _Household) -> list[_Member]:
        """Two people who are not a couple: a parent with a child, two siblings, or an adult with a parent."""
        assert house.nat is not None
        rnd, nat, reg = self.rnd, house.nat, house.reg
        roll = rnd()
        if roll < 0.55:
            child_age = 14 * rnd()
            parent_birth = reg - int((child_age + 19 + 15 * rnd()) * _YEAR)
            father_line: _Family | None
            if rnd() < 0.6:  # a mother alone with her child; the father is absent
                father = self._given(nat, False)
                father_line = self._lineage(nat, _year(parent_birth), self._given(nat, False))
                parent = self._person("principal", "F", parent_birth, nat)
                if (
                    father_line is not None
                    and not father_line.derived
                    and nat.code in _TAKES_HUSBANDS_NAME
                    and rnd() < 0.75
                ):
                    parent.family = father_line.fem
                parent.needs.extend(n for n, p in (("WR-HR", 0.5), ("SP-PT", 0.5)) if rnd() < p)
            else:
                parent = self._person("principal", "M", parent_birth, nat)
                father, father_line = parent.given, parent.lineage
            child_birth = reg - int(child_age * _YEAR)
            lineage = self._child_lineage(nat, father_line, father, _year(child_birth))
            sex: Literal["M", "F"] = "M" if rnd() < 0.5 else "F"
            child = self._person("child", sex, child_birth, nat, father=father, lineage=lineage, inherit=True)
            return [parent, child]
        principal_sex: Literal["M", "F"] = "M" if rnd() < _MALE_SHARE.get(house.profile, 0.6) else "F"
        principal = self._person("principal", principal_sex, reg - self._age_days(house.profile), nat)
        if roll < 0.8:
            age = max(1.0, (reg - principal.birth) / _YEAR + 10 * rnd() - 5)
            sex = "M" if rnd() < 0.5 else "F"
            sibling = self._person(
                "sibling",
                sex,
                reg - int(age * _YEAR),
                nat,
                father=principal.father,
                lineage=principal.lineage,
                inherit=True,
            )
            return [principal, sibling]
        return [principal, self._parent_of(principal, reg)]

    def _parent_of(self, principal: _Member, reg: int) -> _Member:
        rnd, nat = self.rnd, principal.nat
        age = min((reg - principal.birth) / _YEAR + 20 + 15 * rnd(), 95.0)
        if rnd() < 0.5 and principal.father is not None:
            parent = self._person(
                "parent",
                "M",
                reg - int(age * _YEAR),
                nat,
                lineage=principal.lineage,
                inherit=True,
                given=principal.father,
            )
        else:
            parent = self._person("parent", "F", reg - int(age * _YEAR), nat)
            line = principal.lineage
            if line is not None and nat.code in _TAKES_HUSBANDS_NAME and not line.derived:
                parent.family = line.fem
        if age >= 60 and rnd() < 0.15:
            parent.needs.append("ER-FR")
        return parent

    def _relative(self, house: _Household, principal: _Member, father: _Member, mother: _Member) -> _Member:
        rnd, nat, reg = self.rnd, principal.nat, house.reg
        p_age = (reg - principal.birth) / _YEAR
        sex: Literal["M", "F"] = "M" if rnd() < 0.5 else "F"
        kind = self._pick(_RELATIVE_KINDS)
        if kind == "parent" and p_age < 70:
            return self._parent_of(principal, reg)
        if kind == "sibling":
            age = max(1.0, p_age + 16 * rnd() - 8)
            return self._person(
                "sibling",
                sex,
                reg - int(age * _YEAR),
                nat,
                father=principal.father,
                lineage=principal.lineage,
                inherit=True,
            )
        if kind == "in_law" and mother is not principal:
            age = min((reg - mother.birth) / _YEAR + 20 + 12 * rnd(), 92.0)
            return self._person("in_law", "F", reg - int(age * _YEAR), mother.nat)
        if kind == "nephew_niece" and p_age > 22:
            age = min(17.0, p_age - 12) * rnd()
            return self._person(
                "nephew_niece", sex, reg - int(age * _YEAR), nat, lineage=principal.lineage, inherit=True
            )
        if kind == "grandchild" and p_age >= 40:
            age = min(12.0, p_age - 37) * rnd()
            return self._person(
                "grandchild", sex, reg - int(age * _YEAR), nat, lineage=principal.lineage, inherit=True
            )
        if kind == "grandparent" and p_age <= 40:
            age = min(p_age + 40 + 12 * rnd(), 95.0)
            return self._person(
                "grandparent", sex, reg - int(age * _YEAR), nat, lineage=principal.lineage, inherit=True
            )
        if kind == "uncle_aunt" and p_age <= 60:
            age = min(p_age + 12 + 18 * rnd(), 92.0)
            return self._person(
                "uncle_aunt", sex, reg - int(age * _YEAR), nat, lineage=principal.lineage, inherit=True
            )
        if kind == "cousin":
            age = max(1.0, p_age + 16 * rnd() - 8)
            return self._person(
                "cousin", sex, reg - int(age * _YEAR), nat, lineage=principal.lineage, inherit=True
            )
        if kind == "foster_child":
            return self._person("foster_child", sex, reg - int((1 + 14 * rnd()) * _YEAR), nat)
        if kind == "unrelated":
            return self._person("unrelated", sex, reg - int((18 + 35 * rnd()) * _YEAR), nat)
        age = max(1.0, p_age + 30 * rnd() - 15)
        return self._person(
            "other_relative", sex, reg - int(age * _YEAR), nat, lineage=principal.lineage, inherit=rnd() < 0.5
        )

    # -- records --

    def _emit(self, house: _Household, members: list[_Member]) -> DemoRegistration:
        principal_phone = ""
        out = []
        for member in members:
            person = self._finish(house, member, principal_phone)
            if member.rel == "principal":
                principal_phone = person.phone
            out.append(DemoMember(person, member.rel))
        return self._registration_record(house, out)

    def _registration_record(self, house: _Household, members: list[DemoMember]) -> DemoRegistration:
        self.registration_no += 1
        return DemoRegistration(
            key=f"R{self.registration_no:07d}",
            host_state=self.host,
            office_index=house.office,
            met_at=house.met_at,
            registered_on=date.fromordinal(house.reg),
            arrival_date=None if house.arrival is None else date.fromordinal(house.arrival),
            transit_countries=house.transit,
            members=tuple(members),
        )

    def _finish(self, house: _Household, member: _Member, principal_phone: str) -> DemoPerson:
        rnd, reg, nat = self.rnd, house.reg, member.nat
        age_days = reg - member.birth
        age = age_days / _YEAR
        profiles = member.profiles or self._profiles(house, member, age)
        member.profiles = profiles
        if not member.born_in:
            member.born_in = self._born_in(house, member)
        documents = self._documents(house, member, age, profiles)
        recorded, precision = self._recorded_birth(member, reg, bool(documents), profiles)
        self.identity_no += 1
        self.person_no += 1
        # A spouse of another nationality declares in her own script and is foreign unless from the host.
        key_base = house.key_base
        if nat is not house.nat:
            key_base = (key_base & ~(1 | 1 << 4)) | (nat.code != self.host) << 4
        member.key_base = key_base
        names = self._names(member, key_base | member.with_doc << 1)
        langs = self._languages(house, member)
        if age < 14:
            phone = ""
        elif member.rel != "principal" and rnd() < 0.5:
            phone = principal_phone
        else:
            phone = self._phone(house, profiles)
        nationalities: tuple[str, ...]
        if house.stateless:
            nationalities = _STATELESS
        elif not documents and age >= 18 and house.met_at == "detention" and rnd() < 0.3:
            nationalities = _UNKNOWN  # an adult without papers whose word was not taken
        elif nat.code in ("TJK", "KGZ") and age >= 18 and rnd() < 0.02:
            nationalities = (nat.code, "RUS")  # dual citizens, allowed by both states
        else:
            nationalities = nat.nationality
        person = DemoPerson(
            key=f"P{self.person_no:07d}",
            identity=f"I{self.identity_no:07d}",
            names=names,
            sex=member.sex,
            birth_date=date.fromordinal(recorded),
            birth_date_precision=precision,
            nationalities=nationalities,
            place_of_birth=member.born_in,
            languages=langs,
            phone=phone,
            documents=documents,
            profiles=profiles,
            specific_needs=self._needs(house, member, age, profiles, documents),
        )
        member.demo = person
        return person

    def _names(self, member: _Member, key: int) -> tuple[DemoName, ...]:
        given = member.given.form.present(key)
        family, patr = member.family, member.patr
        # Patronymics are not in passports' Latin line, hence the cleared document bit.
        if family is None:
            return (given,) if patr is None else (given, patr.present((key & ~2) | 2 << 7))
        if patr is None:
            return (given, family.present(key | 1 << 7))
        return (given, family.present(key | 1 << 7), patr.present((key & ~2) | 2 << 7))

    def _profiles(self, house: _Household, member: _Member, age: float) -> tuple[str, ...]:
        profile, rnd = house.profile, self.rnd
        if profile == "unaccompanied_child":
            roll = rnd()
            second = (
                "asylum_seeker"
                if roll < 0.6
                else "irregular_migrant"
                if roll < 0.85
                else ("trafficking_victim" if roll < 0.9 else "")
            )
            return ("unaccompanied_child", second) if second else ("unaccompanied_child",)
        if profile == "trafficking_victim":
            status = "irregular_migrant" if rnd() < 0.5 else "migrant_worker"
            base: tuple[str, ...] = ("trafficking_victim", status)
            return (*base, "unaccompanied_child") if age < 18 else base
        if profile == "migrant_worker" and member.rel != "principal":
            return _ONE_PROFILE["migrant_worker" if age >= 18 and rnd() < 0.4 else "other"]
        if profile in ("asylum_seeker", "irregular_migrant") and member.rel == "principal" and rnd() < 0.01:
            return (profile, "trafficking_victim")
        return _ONE_PROFILE[profile]

    def _born_in(self, house: _Household, member: _Member) -> str:
        rnd, nat = self.rnd, member.nat
        if house.stateless:
            country = self.host if rnd() < 0.6 else nat.code
        elif house.arrival is not None and member.birth > house.arrival and house.foreign:
            country = self.host  # born after the family arrived
        elif (
            nat.code == "AFG"
            and house.transit
            and house.transit[0] in ("IRN", "PAK")
            and (house.reg - member.birth < 25 * _YEAR)
            and rnd() < 0.35
        ):
            country = house.transit[0]  # Afghan children born during years in Iran or Pakistan
        else:
            country = nat.code
        if country == house.home_country and rnd() < 0.75:
            return house.home
        city = self._pick(nd.CITIES[country])
        if not house.home_country:
            house.home, house.home_country = city, country
        return city

    def _recorded_birth(
        self, member: _Member, reg: int, documented: bool, profiles: tuple[str, ...]
    ) -> tuple[int, DatePrecision]:
        rnd = self.rnd
        true = date.fromordinal(member.birth)
        roll = rnd()
        code = member.nat.code
        afghan = code in ("AFG", "PAK")
        precision: DatePrecision
        if documented:
            precision = "exact" if roll < (0.55 if afghan else 0.97) else "year"
        elif afghan or "unaccompanied_child" in profiles:
            precision = "estimated" if roll < 0.45 else "year" if roll < 0.85 else "exact"
        else:
            precision = "exact" if roll < 0.8 else "month" if roll < 0.88 else "year"
        if precision == "exact":
            return member.birth, precision
        if precision == "month":
            return true.replace(day=1).toordinal(), precision
        year = true.year
        if precision == "estimated":
            year += self._pick((-2, -1, -1, 0, 0, 0, 0, 1, 1, 2))
        year = min(year, date.fromordinal(reg).year)
        recorded = date(year, 1, 1).toordinal()
        if "unaccompanied_child" in profiles:
            # An age assessment never records an unaccompanied child as an adult or younger than twelve.
            while (reg - recorded) / _YEAR >= 18:
                year += 1
                recorded = date(year, 1, 1).toordinal()
            while (reg - recorded) / _YEAR < 12:
                year -= 1
                recorded = date(year, 1, 1).toordinal()
        return recorded, precision

    def _languages(self, house: _Household, member: _Member) -> tuple[str, ...]:
        if member.nat is house.langs_nat and member.rel != "principal":
            return house.langs
        code = member.nat.code
        if code in ("AFG", "PAK") and member.lineage is not None and member.lineage.pashto:
            code += "-P"
        elif code == "AFG" and member.lineage is None and self.rnd() < 0.4:
            code = "AFG-P"
        langs = self._pick(self.langs[code]) if code in self.langs else ("rus",)
        if house.stateless and "rus" not in langs:
            langs = (*langs, "rus")
        if member.rel == "principal":
            house.langs, house.langs_nat = langs, member.nat
        return langs

    def _phone(self, house: _Household, profiles: tuple[str, ...]) -> str:
        rnd = self.rnd
        roll = rnd()
        host_share = 0.75 if "migrant_worker" in profiles else 0.55
        if roll < host_share:
            country = self.host
        elif roll < host_share + 0.25 and house.nat is not None and house.nat.code in _PHONES:
            country = house.nat.code
        else:
            return ""
        template, operators, sizes = _PHONE_FORMATS[country]
        return template.format(operators[int(rnd() * len(operators))], *[int(rnd() * size) for size in sizes])

    # -- documents --

    def _number(self, state: str, kind: str) -> str:
        """The next number of a series: unique within the series, in the issuing state's shape."""
        by_kind = self.series.get(state)
        if by_kind is None:
            by_kind = self.series[state] = {}
        series = by_kind.get(kind)
        if series is None:
            series = by_kind[kind] = _Series(self.seed, self.host, state, kind)
        index = series.issued
        series.issued = index + 1
        prefixes = series.prefixes
        prefix = prefixes[0] if len(prefixes) == 1 else prefixes[int(self.rnd() * len(prefixes))]
        return prefix + str(_permute(index, series.digits, series.keys)).zfill(series.digits)

    def _documents(
        self, house: _Household, member: _Member, age: float, profiles: tuple[str, ...]
    ) -> tuple[DemoDocument, ...]:
        rnd, reg, birth = self.rnd, house.reg, member.birth
        docs: list[DemoDocument] = []
        if house.stateless:
            # Former Soviet states register births and certify statelessness; Afghanistan, Iran and
            # Pakistan give stateless people no papers.
            papers = self.host not in ("AFG", "IRN", "PAK")
            if papers and member.born_in in nd.CITIES[self.host] and rnd() < 0.3:
                docs.append(self._birth_certificate(self.host, birth, reg))
            if papers and age >= 16 and rnd() < 0.15:
                # The host's certificate of a stateless person, valid ten years.
                issue = max(reg - int(rnd() * 3000), birth + int(16 * _YEAR))
                docs.append(
                    DemoDocument(
                        "other",
                        self._number(self.host, "other"),
                        self.host,
                        date.fromordinal(issue),
                        date.fromordinal(_add_years(issue, 10)),
                    )
                )
            return tuple(docs)
        code = member.nat.code
        p_pass, p_pass_child, p_id, p_birth, validity = _DOCS[code]
        factor = (
            _PASSPORT_FACTOR.get(profiles[0], 1.0)
            if len(profiles) == 1
            else min(_PASSPORT_FACTOR.get(p, 1.0) for p in profiles)
        )
        adult = age >= 16
        if rnd() < (p_pass if adult else p_pass_child) * factor and age >= 0.1:  # newborns have none yet
            docs.append(self._passport(code, birth, reg, validity))
            member.with_doc = True
        # Afghan children have a tazkira too.
        if rnd() < (p_id * factor if adult else 0.25 if code == "AFG" else 0.0):
            docs.append(self._national_id(code, member, birth, reg))
        if not adult and rnd() < p_birth:
            state = self.host if member.born_in in nd.CITIES[self.host] and house.foreign else code
            docs.append(self._birth_certificate(state, birth, reg))
        if "refugee_elsewhere" in profiles and house.transit and rnd() < 0.8:
            refuge = house.transit[0]
            issue = reg - 30 - int(rnd() * 700)
            years = 1 if refuge == "IRN" else 2  # Iran renews Amayesh cards every year
            docs.append(
                DemoDocument(
                    "refugee_id",
                    self._number(refuge, "refugee_id"),
                    refuge,
                    date.fromordinal(max(issue, birth + 1)),
                    date.fromordinal(_add_years(max(issue, birth + 1), years)),
                )
            )
        return tuple(docs)

    def _passport(self, state: str, birth: int, reg: int, validity: int) -> DemoDocument:
        # Issued within about one validity period before registration (a fifth have expired): adults carry an
        # adult passport, children a five-year one.
        adult_from = birth + int(16 * _YEAR)
        if adult_from < reg - 1:
            lo = max(adult_from, reg - int(validity * _YEAR * 1.2))
        else:
            lo = max(birth + 30, reg - int(5 * _YEAR * 1.2))
        hi = max(lo, reg - 1)
        issue = lo + int(self.rnd() * (hi - lo + 1))
        years = 5 if (issue - birth) < 16 * _YEAR else validity
        expiry = _add_years(issue, years) - 1
        return DemoDocument(
            "passport",
            self._number(state, "passport"),
            state,
            date.fromordinal(issue),
            date.fromordinal(expiry),
        )

    def _national_id(self, state: str, member: _Member, birth: int, reg: int) -> DemoDocument:
        rnd = self.rnd
        if state == "AFG":
            # Electronic tazkira since May 2018, numbered from the Solar Hijri year of issue; paper before.
            lo = max(birth + 1, date(2018, 5, 3).toordinal(), reg - 6 * 365)
            if lo <= reg - 1:
                issue = lo + int(rnd() * (reg - lo))
                day = date.fromordinal(issue)
                sh_year = day.year - (622 if (day.month, day.day) < (3, 21) else 621)
                digits = self._number("AFG", "national_id")
                return DemoDocument("national_id", f"{sh_year}-{digits[:4]}-{digits[4:]}", "AFG", day, None)
            return DemoDocument("national_id", self._number("AFG", "other"), "AFG", None, None)
        adult_from = birth + int(16 * _YEAR)
        lo = max(adult_from, reg - 10 * 365)
        hi = max(lo, reg - 1)
        issue = lo + int(rnd() * (hi - lo + 1))
        number = self._number(state, "national_id")
        if state == "PAK":
            # CNIC: district code, serial, and a last digit that is odd for men and even for women.
            last = int(rnd() * 5) * 2 + (1 if member.sex == "M" else 0)
            number = f"{self._pick('1234567')}{number[:4]}-{number[4:11]}-{last}"
        elif state == "IRN":
            number = f"{number[:3]}-{number[3:9]}-{number[9:]}"
        elif state == "RUS":
            number = f"{number[:4]} {number[4:]}"
        years = 7 if state == "IRN" else 10
        return DemoDocument(
            "national_id",
            number,
            state,
            date.fromordinal(issue),
            date.fromordinal(_add_years(issue, years) - 1),
        )

    def _birth_certificate(self, state: str, birth: int, reg: int) -> DemoDocument:
        issue = min(birth + 1 + int(self.rnd() * 60), reg)
        return DemoDocument(
            "birth_certificate",
            self._number(state, "birth_certificate"),
            state,
            date.fromordinal(issue),
            None,
        )

    def _needs(
        self,
        house: _Household,
        member: _Member,
        age: float,
        profiles: tuple[str, ...],
        documents: tuple[DemoDocument, ...],
    ) -> tuple[str, ...]:
        rnd = self.rnd
        needs = list(member.needs)
        female = member.sex == "F"
        if "unaccompanied_child" in profiles:
            needs.append("SC-UC")
            if rnd() < 0.4:
                needs.append("FU-TR")
            roll = rnd()
            if roll < 0.06:
                needs.append("CR-LW")
            elif roll < 0.16:
                needs.append("CR-LO")
        if "separated_child" in profiles:
            needs.append("SC-SC")
            if rnd() < 0.3:
                needs.append("FU-TR")
        protection = any(p in _UNDOCUMENTED_PROFILES for p in profiles)
        if not documents and age >= 16 and protection and rnd() < 0.7:
            needs.append("LP-ND")
        if age >= 60:
            if rnd() < 0.25:
                needs.append("SM-CI")
            if rnd() < 0.1:
                needs.append("ER-FR")
        roll = rnd()
        for limit, code in _DISABILITIES:
            if roll < limit:
                needs.append(code)
                break
        roll = rnd()
        if 18 <= age < 60 and roll < 0.03:
            needs.append("SM-CI" if roll < 0.02 else "SM-MI" if roll < 0.028 else "SM-CC")
        if age < 5 and member.nat.code == "AFG" and rnd() < 0.02:
            needs.append("SM-MN")
        asylum = "asylum_seeker" in profiles or "refugee_elsewhere" in profiles
        if asylum and age >= 18:
            roll = rnd()
            if roll < 0.035:
                needs.append("TR-PI" if roll < 0.015 else "TR-WV")
            if female:
                roll = rnd()
                if roll < 0.025:
                    needs.append("SV-VA" if roll < 0.015 else "SV-VF")
                if age < 42 and rnd() < 0.008:
                    needs.append("PG-HR")
        if female and 14 <= age < 20 and member.nat.code in ("AFG", "PAK") and rnd() < 0.03:
            needs.append("SV-FM")
        if "trafficking_victim" in profiles:
            needs.extend(code for code, p in (("LP-UP", 0.3), ("SM-MI", 0.15), ("LP-AN", 0.3)) if rnd() < p)
            if female and rnd() < 0.4:
                needs.append("SV-VA")
        if house.met_at == "detention" and age >= 18:
            if rnd() < 0.6:
                needs.append("LP-DN")
            if asylum and rnd() < 0.1:
                needs.append("LP-RR")
        if "returnee" in profiles and rnd() < 0.1:
            needs.append("LP-BN")
        if "irregular_migrant" in profiles and age >= 18 and rnd() < 0.1:
            needs.append("LP-TD")
        return tuple(needs) if len(needs) < 2 else tuple(dict.fromkeys(needs))

    # -- re-registrations (the duplicates) --

    def _re_registration(self, item: _Pending, produced: int, remaining: int) -> DemoRegistration:
        rnd = self.rnd
        old = item.household
        reg = max(self._date_at(produced), old.reg + 1)
        members = item.members
        if len(members) > 1 and rnd() < 0.2:
            members = members[:1]
        members = members[:remaining]
        house = _Household()
        house.reg = reg
        house.nat, house.profile = old.nat, old.profile
        house.stateless, house.foreign = old.stateless, old.foreign
        roll = rnd()
        house.met_at = "in_country" if roll < 0.7 else "detention" if roll < 0.85 else "referral"
        # Another office of the same node, of the kind that meets people already in the country.
        others = [i for i in self.city if i != old.office]
        others = others or [i for i in range(self.n_offices) if i != old.office] or [old.office]
        house.office = self._pick(others)
        roll = rnd()
        if roll < 0.7 or old.arrival is None:
            house.arrival = old.arrival
        elif roll < 0.85:
            house.arrival = None
        else:
            house.arrival = min(reg, old.arrival + int(rnd() * 120) - 60)
        roll = rnd()
        house.transit = old.transit if roll < 0.7 else () if roll < 0.9 else old.transit[:1]
        mode = self._pick(_DUP_MODES)
        no_patronymic, father_as_family = rnd() < 0.3, rnd() < 0.35
        out = []
        for member in members:
            person = self._variant(
                house, member, mode, no_patronymic=no_patronymic, father_as_family=father_as_family
            )
            out.append(DemoMember(person, member.rel))
        return self._registration_record(house, out)

    def _variant(
        self, house: _Household, member: _Member, mode: str, *, no_patronymic: bool, father_as_family: bool
    ) -> DemoPerson:
        """The same human registered again by another officer: other spellings, other dates, fewer papers.

        `mode` and the two flags are the officer's habits, the same for the whole household.
        """
        rnd, reg = self.rnd, house.reg
        original = member.demo
        assert original is not None
        names = self._variant_names(member, mode)
        if member.patr is not None and no_patronymic:
            names = [name for name in names if name.part != "patronymic"]
        elif father_as_family and member.family is None and member.patr and member.nat.code == "AFG":
            # The officer put the father's name in the family-name field.
            names = [
                DemoName("family", name.spellings) if name.part == "patronymic" else name for name in names
            ]
        elif member.family is not None and rnd() < 0.04:
            swap: dict[str, NamePart] = {"given": "family", "family": "given"}
            names = [DemoName(swap.get(name.part, name.part), name.spellings) for name in names]
        if {name.spellings[0].text for name in names} <= {name.spellings[0].text for name in original.names}:
            names[0] = self._typo_name(names[0])  # every re-registration differs in at least one spelling
        elif rnd() < 0.3:
            at = int(rnd() * len(names))
            names[at] = self._typo_name(names[at])
        birth_date, precision = original.birth_date, original.birth_date_precision
        assert birth_date is not None
        roll = rnd()
        swappable = precision == "exact" and birth_date.day <= 12 and birth_date.day != birth_date.month
        if roll < 0.15 and swappable:
            swapped = date(birth_date.year, birth_date.day, birth_date.month)
            if swapped.toordinal() <= reg:
                birth_date = swapped  # day and month read the other way round
        elif roll < 0.3:
            birth_date, precision = date(birth_date.year, 1, 1), "year"
        elif roll < 0.35 and precision != "exact":
            year = min(birth_date.year + self._pick((-1, 1)), date.fromordinal(reg).year)
            birth_date, precision = date(year, 1, 1), "estimated"
        documents = original.documents
        roll = rnd()
        if roll < 0.15:
            documents = ()  # lost, withheld or not shown this time
        elif roll < 0.35 and documents:
            first = documents[0]
            misread = DemoDocument(
                first.doc_type,
                self._ocr(first.number),
                first.issuing_state,
                first.issue_date,
                first.expiry_date,
            )
            documents = (misread, *documents[1:])
        phone = original.phone
        if phone and rnd() < 0.4:
            phone = self._phone(house, original.profiles)
        profiles, needs = original.profiles, original.specific_needs
        age = (reg - birth_date.toordinal()) / _YEAR
        if "unaccompanied_child" in profiles and age < 12 and original.birth_date is not None:
            # The assessed age stands: a misread date must not make the child younger than twelve.
            birth_date, precision = original.birth_date, original.birth_date_precision
            age = (reg - birth_date.toordinal()) / _YEAR
        if "unaccompanied_child" in profiles and age >= 18:
            profiles = tuple(p for p in profiles if p != "unaccompanied_child") or ("asylum_seeker",)
            needs = tuple(n for n in needs if n != "SC-UC")
        elif profiles == ("migrant_worker",) and rnd() < 0.25:
            profiles = ("irregular_migrant",)  # stayed on after the permit expired
        nationalities = original.nationalities
        if not documents and nationalities != ("XXA",) and rnd() < 0.05:
            nationalities = ("XXX",)
        self.person_no += 1
        return DemoPerson(
            key=f"P{self.person_no:07d}",
            identity=original.identity,
            names=tuple(names),
            sex="U" if rnd() < 0.02 else original.sex,
            birth_date=birth_date,
            birth_date_precision=precision,
            nationalities=nationalities,
            place_of_birth="" if rnd() < 0.1 else original.place_of_birth,
            languages=original.languages,
            phone=phone,
            documents=documents,
            profiles=profiles,
            specific_needs=needs,
        )

    def _variant_names(self, member: _Member, mode: str) -> list[DemoName]:
        forms: list[tuple[int, _Form]] = [(0, member.given.form)]
        if member.family is not None:
            forms.append((1, member.family))
        if member.patr is not None:
            forms.append((2, member.patr))
        base = member.key_base
        variant = (base >> 2 & 3) + 1
        names = []
        for part, form in forms:
            with_doc = member.with_doc and part != 2
            key = base | with_doc << 1 | part << 7
            if mode == "alt" and form.alt:
                names.append(form.present(key ^ 1))
                continue
            if mode == "roman" and form.lats:
                key = (key & ~(3 << 2)) | (variant % 3) << 2
                first = _spelling(form.lats[variant % len(form.lats)], "Latn", "transliterated")
            elif mode == "doc" and with_doc and form.docs:
                first = _spelling(form.docs[variant % len(form.docs)], "Latn", "document")
            elif mode == "arab" and form.arab and form.script != "Arab":
                first = _spelling(form.arab, "Arab", "declared")
            else:
                names.append(form.present(key))
                continue
            rest = tuple(s for s in form.present(key).spellings if s.text != first.text)
            names.append(DemoName(_PART_NAMES[part], (first, *rest)))
        return names

    def _typo_name(self, name: DemoName) -> DemoName:
        first = name.spellings[0]
        typo = DemoSpelling(self._typo(first.text, first.script), first.script, first.source)
        return DemoName(name.part, (typo, *name.spellings[1:]))

    def _typo(self, text: str, script: Script) -> str:
        """A plausible slip of one letter: a swap, a drop, a doubling, or a look-alike or keyboard variant."""
        rnd = self.rnd
        letters = [i for i, ch in enumerate(text) if ch.isalpha()]
        if script == "Arab":
            variants = [i for i in letters if text[i] in _ARAB_SIMILAR]
            if variants:
                i = self._pick(variants)
                return text[:i] + _ARAB_SIMILAR[text[i]] + text[i + 1 :]
        similar = _CYR_SIMILAR if script == "Cyrl" else _LAT_SIMILAR
        for _ in range(6):
            op = int(rnd() * 4)
            i = self._pick(letters[1:] or letters)
            if op == 0 and i + 1 < len(text) and text[i + 1].isalpha() and text[i] != text[i + 1]:
                result = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
            elif op == 1 and len(letters) > 3:
                result = text[:i] + text[i + 1 :]
            elif op == 2:
                result = text[:i] + text[i] + text[i:]
            else:
                lower = text[i].lower()
                if lower not in similar:
                    continue
                swap = similar[lower]
                result = text[:i] + (swap.upper() if text[i].isupper() else swap) + text[i + 1 :]
            if result != text:
                return result
        return text + text[-1]

    def _ocr(self, number: str) -> str:
        positions = [i for i, ch in enumerate(number) if ch in _OCR]
        if positions:
            i = self._pick(positions)
            return number[:i] + _OCR[number[i]] + number[i + 1 :]
        digits = [
            i
            for i in range(len(number) - 1)
            if number[i].isdigit() and number[i + 1].isdigit() and number[i] != number[i + 1]
        ]
        if digits:
            i = self._pick(digits)
            return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
        return number + "0"


_STATELESS = ("XXA",)
_UNKNOWN = ("XXX",)
_ONE_PROFILE = {profile: (profile,) for profile in PROFILES}
# Phone templates made once from _PHONES: "+7 {} {:03d} {:02d} {:02d}" and the ranges of each group.
_PHONE_FORMATS = {
    country: (
        prefix + "{}" + "".join(f" {{:0{size}d}}" for size in groups),
        operators,
        tuple(10**size for size in groups),
    )
    for country, (prefix, operators, groups) in _PHONES.items()
}
_RELATIVE_KINDS = _expand(
    _weights(
        "parent 30 sibling 25 in_law 12 nephew_niece 10 grandchild 6 "
        "grandparent 4 uncle_aunt 4 cousin 5 foster_child 2 other_relative 4 "
        "unrelated 2"
    )
)
# Cumulative shares of each kind of disability (UNHCR DS codes).
_DISABILITIES = (
    (0.015, "DS-PM"),
    (0.019, "DS-PS"),
    (0.022, "DS-BD"),
    (0.025, "DS-DF"),
    (0.027, "DS-SD"),
    (0.030, "DS-MM"),
)
_UNDOCUMENTED_PROFILES = (
    "asylum_seeker",
    "irregular_migrant",
    "stateless",
    "refugee_elsewhere",
    "returnee",
    "trafficking_victim",
    "unaccompanied_child",
    "separated_child",
)
# How a re-registration spells names: from the passport, in the other script, in Persian script,
# in another romanisation, or as before (a typo then makes the difference).
_DUP_MODES = _expand(_weights("doc 25 alt 30 arab 10 roman 25 typo 10"))


def generate_registrations(
    *, seed: int, people: int, host_state: str, today: date, n_offices: int = 6, duplicate_rate: float = 0.03
) -> Iterator[DemoRegistration]:
    """Registrations at a node of `host_state` until exactly `people` person records were produced.

    Deterministic for the same arguments and streamed: memory stays flat however many people are asked for.
    About `duplicate_rate` of the records re-register a person already generated (same `identity`), later and
    at another office, under other spellings, dates or document readings.
    """
    if host_state not in DEMO_OFFICES:
        raise ValueError(f"unknown host state {host_state!r}; expected one of {', '.join(HOST_STATES)}")
    if people < 0:
        raise ValueError("people must not be negative")
    if n_offices < 1:
        raise ValueError("n_offices must be at least 1")
    if not 0.0 <= duplicate_rate <= 1.0:
        raise ValueError("duplicate_rate must be between 0 and 1")
    return _Generator(
        seed=seed,
        people=people,
        host=host_state,
        today=today,
        n_offices=n_offices,
        duplicate_rate=duplicate_rate,
    ).run()
