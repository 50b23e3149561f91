"""Person records and their precomputed comparison features."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from karvon_match.dates import PRECISIONS, BirthDateFeatures, birth_date_features
from karvon_match.documents import DocumentFeatures, document_features
from karvon_match.normalise import casefold_name, normalise_text
from karvon_match.structure import (
    Patronymic,
    display_words,
    letter_count,
    patronymic_of,
    split_patronymics,
    tokenise_normalised,
)
from karvon_match.tokens import TokenForms, analyse_token

SEXES = ("M", "F")


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One person as a register holds them. Each name part may have several spellings (scripts, sources)."""

    record_id: str
    given_names: tuple[str, ...] = ()
    family_names: tuple[str, ...] = ()
    patronymics: tuple[str, ...] = ()
    sex: str | None = None
    birth_date: date | None = None
    birth_date_precision: str = "exact"
    nationality: str | None = None
    place_of_birth: str | None = None
    document_numbers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("given_names", "family_names", "patronymics", "document_numbers"):
            value = getattr(self, name)
            if isinstance(value, str):  # a bare string would otherwise be read letter by letter
                object.__setattr__(self, name, (value,))
            else:
                object.__setattr__(self, name, tuple(value))
        if self.sex not in (*SEXES, None):
            raise ValueError(f"sex must be 'M', 'F' or None, not {self.sex!r}")
        if self.birth_date_precision not in PRECISIONS:
            raise ValueError(f"birth_date_precision must be one of {PRECISIONS}")


@dataclass(frozen=True, slots=True)
class Spelling:
    """One spelling of a name part, ready to compare.

    `exact` is the sorted casefolded words, so a change of word order is still an exact agreement.
    `joined` is the whole spelling as one word, for compounds written apart (Abdul Rahman).
    `gender` is what the spelling marks: a family-name ending (-ova) or a patronymic (-ovna, qizi).
    `key` identifies everything comparisons read, so results can be remembered per pair of keys.
    """

    text: str
    exact: str
    tokens: tuple[TokenForms, ...]
    joined: TokenForms
    gender: str | None
    key: str


@dataclass(frozen=True, slots=True)
class NameFeatures:
    """All spellings of one name part."""

    spellings: tuple[Spelling, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.spellings)


@dataclass(frozen=True, slots=True)
class PersonFeatures:
    """Everything `compare` needs about one record, computed once by `person_features`."""

    record_id: str
    given: NameFeatures
    family: NameFeatures
    patronymic: NameFeatures
    sex: str | None
    birth: BirthDateFeatures
    nationality: str | None
    place: NameFeatures
    documents: tuple[DocumentFeatures, ...]


def _joined(words: tuple[str, ...], tokens: tuple[TokenForms, ...]) -> TokenForms:
    if len(tokens) == 1:
        return tokens[0]
    if len({t.script for t in tokens}) == 1:
        return analyse_token("".join(words))
    return analyse_token("".join(t.latin for t in tokens))


def make_spelling(
    text: str,
    words: tuple[str, ...],
    gender: str | None = None,
    written: tuple[str, ...] | None = None,
    family: bool = False,
) -> Spelling | None:
    """A `Spelling` of `words` (casefolded), shown as `text`; `written` are the words as entered.

    For a family name (`family`) the gender is read from the ending of its last word.
    """
    kept = tuple(w for w in words if letter_count(w) >= 2) or tuple(w for w in words if letter_count(w))
    if not kept:
        return None
    tokens = tuple(analyse_token(w) for w in kept)
    exact = " ".join(sorted(written if written is not None else kept))
    if family and gender is None and tokens[-1].gender is not None:
        gender = tokens[-1].gender
    key = f"{exact}\x1f{' '.join(t.text for t in tokens)}\x1f{gender or ''}"
    return Spelling(text, exact, tokens, _joined(kept, tokens), gender, key)


# Registers repeat the same spellings endlessly: each distinct one is analysed once.
_SPELLING_CACHE_SIZE = 1 << 17


@lru_cache(maxsize=_SPELLING_CACHE_SIZE)
def name_spelling(text: str, family: bool = False) -> Spelling | None:
    """The `Spelling` of one name text (no patronymic splitting); None when it has no letters."""
    normalised = normalise_text(text)
    return make_spelling(normalised, tokenise_normalised(normalised), family=family)


@lru_cache(maxsize=_SPELLING_CACHE_SIZE)
def given_name_spellings(text: str) -> tuple[Spelling | None, tuple[Spelling, ...]]:
    """A given-name text split into its given-name spelling and any patronymics it holds."""
    normalised = normalise_text(text)
    written = display_words(normalised)
    tokens = tuple(casefold_name(w) for w in written)
    words, found = split_patronymics(tokens)
    if not found:
        return make_spelling(normalised, words), ()
    # A given-name field holding "Akmal Rustamovich" gives its patronymic to the patronymic part.
    shown = dict(zip(tokens, written, strict=True))
    patronymics = tuple(
        s
        for s in (_patronymic_spelling(" ".join(shown[w] for w in p.words), p) for p in found)
        if s is not None
    )
    return make_spelling(" ".join(shown[w] for w in words), words), patronymics


@lru_cache(maxsize=_SPELLING_CACHE_SIZE)
def patronymic_spelling(text: str) -> Spelling | None:
    """The `Spelling` of a patronymic field, compared through the father's name it contains."""
    normalised = normalise_text(text)
    return _patronymic_spelling(normalised, patronymic_of(normalised))


def _patronymic_spelling(text: str, patronymic: Patronymic) -> Spelling | None:
    return make_spelling(text, patronymic.father, patronymic.sex, written=patronymic.words)


def _unique(spellings: list[Spelling | None]) -> NameFeatures:
    seen: dict[str, Spelling] = {}
    for spelling in spellings:
        if spelling is not None and spelling.key not in seen:
            seen[spelling.key] = spelling
    return NameFeatures(tuple(seen.values()))


def name_features(texts: tuple[str, ...], family: bool = False) -> NameFeatures:
    """Features of a name part given as several spellings (no patronymic splitting)."""
    return _unique([name_spelling(t, family) for t in texts])


_NATIONALITY_ALIASES = {
    "AF": "AFG", "AZ": "AZE", "KZ": "KAZ", "KG": "KGZ", "TJ": "TJK", "TR": "TUR", "TM": "TKM", "UZ": "UZB",
    "IR": "IRN", "PK": "PAK", "RU": "RUS", "CN": "CHN", "IN": "IND", "IQ": "IRQ", "SY": "SYR", "UA": "UKR",
    "BD": "BGD", "GE": "GEO", "AM": "ARM", "MN": "MNG",
    "AFGHANISTAN": "AFG", "AZERBAIJAN": "AZE", "KAZAKHSTAN": "KAZ", "KYRGYZSTAN": "KGZ", "TAJIKISTAN": "TJK",
    "TURKEY": "TUR", "TÜRKIYE": "TUR", "TURKIYE": "TUR", "TURKMENISTAN": "TKM", "UZBEKISTAN": "UZB",
    "IRAN": "IRN", "PAKISTAN": "PAK", "RUSSIA": "RUS", "STATELESS": "XXA",
}  # fmt: skip


def normalise_nationality(value: str | None) -> str | None:
    """ISO 3166 alpha-3 where the value is a known alpha-2 code or English name; otherwise upper-cased."""
    if value is None:
        return None
    text = normalise_text(value).upper()
    if not text:
        return None
    return _NATIONALITY_ALIASES.get(text, text)


def person_features(record: PersonRecord) -> PersonFeatures:
    """Precompute every form `compare` uses, so comparing two prepared records is cheap."""
    given: list[Spelling | None] = []
    patronymics: list[Spelling | None] = []
    for text in record.given_names:
        spelling, found = given_name_spellings(text)
        given.append(spelling)
        patronymics.extend(found)
    patronymics.extend(patronymic_spelling(t) for t in record.patronymics)
    documents = {d.normalised: d for d in map(document_features, record.document_numbers) if d is not None}
    place = name_features((record.place_of_birth,)) if record.place_of_birth else NameFeatures()
    return PersonFeatures(
        record_id=record.record_id,
        given=_unique(given),
        family=name_features(record.family_names, family=True),
        patronymic=_unique(patronymics),
        sex=record.sex,
        birth=birth_date_features(record.birth_date, record.birth_date_precision),
        nationality=normalise_nationality(record.nationality),
        place=place,
        documents=tuple(documents.values()),
    )
