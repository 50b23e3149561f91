"""Comparison of two prepared records: one level and one human-readable reason per field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from karvon_match.dates import compare_birth_dates
from karvon_match.documents import compare_documents
from karvon_match.features import NameFeatures, PersonFeatures, Spelling
from karvon_match.similarity import jaro_winkler_cached
from karvon_match.tokens import TokenForms

GIVEN_NAME = "given_name"
FAMILY_NAME = "family_name"
PATRONYMIC = "patronymic"
BIRTH_DATE = "birth_date"
SEX = "sex"
NATIONALITY = "nationality"
PLACE_OF_BIRTH = "place_of_birth"
DOCUMENT = "document"
FIELDS = (GIVEN_NAME, FAMILY_NAME, PATRONYMIC, BIRTH_DATE, SEX, NATIONALITY, PLACE_OF_BIRTH, DOCUMENT)
NAME_FIELDS = (GIVEN_NAME, FAMILY_NAME, PATRONYMIC)

# Name levels, best first. The position is the rank used to pick the best-agreeing pair of spellings.
NAME_LEVELS = (
    "exact", "transliterated", "skeleton", "gendered_variant", "suffix_variant", "subset",
    "jw_high", "jw_mid", "differs", "missing",
)  # fmt: skip
EXACT, TRANSLITERATED, SKELETON, GENDERED, SUFFIX, SUBSET, JW_HIGH, JW_MID, DIFFERS, MISSING = range(10)
JW_HIGH_THRESHOLD = 0.92
JW_MID_THRESHOLD = 0.85

_NAME_NOTES = (
    "identical",
    "agree after transliteration",
    "same consonant skeleton",
    "same family name with masculine and feminine endings",
    "same root with different family suffixes (-zoda/-zade vs -ov/-ev)",
    "one contains the other",
    f"very similar (Jaro-Winkler ≥ {JW_HIGH_THRESHOLD})",
    f"similar (Jaro-Winkler ≥ {JW_MID_THRESHOLD})",
    "differ",
    "missing on one or both records",
)


class FieldComparison(NamedTuple):
    """Outcome for one field. `tf_tokens` are the folded words that agreed, for term-frequency weighting."""

    field: str
    level: str
    a_value: str
    b_value: str
    note: str
    tf_tokens: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        label = self.field.replace("_", " ")
        if self.a_value or self.b_value:
            return f"{label}: {self.a_value} ~ {self.b_value} {self.note}"
        return f"{label}: {self.note}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Levels for every field of two records. `names_swapped`: given and family names were crossed."""

    a_id: str
    b_id: str
    fields: tuple[FieldComparison, ...]
    names_swapped: bool = False
    gender_ending_differs: bool = False

    def field(self, name: str) -> FieldComparison:
        for comparison in self.fields:
            if comparison.field == name:
                return comparison
        raise KeyError(name)

    def level(self, name: str) -> str:
        return self.field(name).level

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(f.reason for f in self.fields)


# --- Names ------------------------------------------------------------------------------------------------


def token_level(a: TokenForms, b: TokenForms, family: bool) -> int:
    """Level of agreement of two words (rank in `NAME_LEVELS`)."""
    if a.text == b.text:
        return EXACT
    if not a.folds.isdisjoint(b.folds):
        return TRANSLITERATED
    if family:
        if a.gender and b.gender and a.gender != b.gender and not a.stems.isdisjoint(b.stems):
            return GENDERED
        if (a.suffix_kind and b.suffix_kind and a.suffix_kind != b.suffix_kind
                and not a.roots.isdisjoint(b.roots)):  # fmt: skip
            return SUFFIX
    if not a.skeletons.isdisjoint(b.skeletons):
        return SKELETON
    similarity = jaro_winkler_cached(a.folded, b.folded) if a.folded <= b.folded else jaro_winkler_cached(
        b.folded, a.folded)  # fmt: skip
    if similarity >= JW_HIGH_THRESHOLD:
        return JW_HIGH
    if similarity >= JW_MID_THRESHOLD:
        return JW_MID
    return DIFFERS


def spelling_level(a: Spelling, b: Spelling, family: bool) -> tuple[int, str]:
    """(level, extra note) of two spellings: word sets, not positions, and compounds written apart."""
    if a.exact == b.exact:
        return EXACT, "" if a.key == b.key else "words in another order"
    tokens_a, tokens_b = a.tokens, b.tokens
    if len(tokens_a) == 1 and len(tokens_b) == 1:
        level = token_level(tokens_a[0], tokens_b[0], family)
        # Words derived from the written ones (a patronymic's father) can be equal without the
        # spellings being so.
        level = TRANSLITERATED if level == EXACT else level
        note = ""
    else:
        level, note = _word_set_level(tokens_a, tokens_b, family)
        if level > SKELETON:
            # Only a real agreement of the joined forms counts: a shared first word makes the joined
            # forms look similar (Mohammad Nabi, Mohammad Karim) without being one name.
            joined = token_level(a.joined, b.joined, family)
            if joined < level and joined <= SKELETON:
                level, note = (TRANSLITERATED if joined == EXACT else joined), "written as one word"
    if level <= SKELETON and a.gender and b.gender and a.gender != b.gender:
        level = GENDERED
    return level, note


def _word_set_level(tokens_a: tuple[TokenForms, ...], tokens_b: tuple[TokenForms, ...],
                    family: bool) -> tuple[int, str]:  # fmt: skip
    pairs = sorted(
        (token_level(x, y, family), i, j) for i, x in enumerate(tokens_a) for j, y in enumerate(tokens_b)
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    in_order = True
    worst = EXACT
    for level, i, j in pairs:
        if level > JW_MID:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        in_order = in_order and i == j
        worst = max(worst, level)
    matched = len(used_a)
    if matched == len(tokens_a) == len(tokens_b):
        return (TRANSLITERATED if worst == EXACT else worst), "" if in_order else "words in another order"
    if matched and matched == min(len(tokens_a), len(tokens_b)) and worst <= JW_HIGH:
        return SUBSET, f"{matched} of {max(len(tokens_a), len(tokens_b))} words agree"
    return DIFFERS, ""


class _NameOutcome(NamedTuple):
    level: int
    a: Spelling | None
    b: Spelling | None
    note: str


_MISSING_OUTCOME = _NameOutcome(MISSING, None, None, "")
# Levels of spelling pairs already compared. Screening compares one record with thousands that share a
# few hundred distinct spellings, so most pairs repeat. Bounded: cleared when full.
_PAIR_CACHE: dict[tuple[str, str, bool], tuple[int, str]] = {}
PAIR_CACHE_LIMIT = 1 << 18


def clear_pair_cache() -> None:
    _PAIR_CACHE.clear()


def _cached_spelling_level(a: Spelling, b: Spelling, family: bool) -> tuple[int, str]:
    key = (a.key, b.key, family)
    found = _PAIR_CACHE.get(key)
    if found is None:
        found = spelling_level(a, b, family)
        if len(_PAIR_CACHE) >= PAIR_CACHE_LIMIT:
            _PAIR_CACHE.clear()
        _PAIR_CACHE[key] = found
    return found


def compare_names(a: NameFeatures, b: NameFeatures, family: bool = False) -> _NameOutcome:
    """Best level over all pairs of spellings of one name part."""
    spellings_a, spellings_b = a.spellings, b.spellings
    if not spellings_a or not spellings_b:
        return _MISSING_OUTCOME
    best_level, best_note = MISSING, ""
    best_a = best_b = None
    for spelling_a in spellings_a:
        for spelling_b in spellings_b:
            level, note = _cached_spelling_level(spelling_a, spelling_b, family)
            if level < best_level:
                best_level, best_note, best_a, best_b = level, note, spelling_a, spelling_b
                if level == EXACT:
                    return _NameOutcome(level, best_a, best_b, best_note)
    return _NameOutcome(best_level, best_a, best_b, best_note)


_PATRONYMIC_GENDERED = "same father, but a son's and a daughter's patronymic"


def _name_field(field: str, outcome: _NameOutcome, extra: str = "") -> FieldComparison:
    level = outcome.level
    note = _PATRONYMIC_GENDERED if level == GENDERED and field == PATRONYMIC else _NAME_NOTES[level]
    if outcome.note:
        note = f"{note} ({outcome.note})"
    if extra and level != MISSING:
        note = f"{note}; {extra}"
    a_text = outcome.a.text if outcome.a is not None else ""
    b_text = outcome.b.text if outcome.b is not None else ""
    tf_tokens: tuple[str, ...] = ()
    if level <= SKELETON and outcome.a is not None:
        tf_tokens = tf_keys(outcome.a, field)
    return FieldComparison(field, NAME_LEVELS[level], a_text, b_text, note, tf_tokens)


# Term-frequency namespace of each field's skeleton counts (`TermFrequencies`): a word is counted in the
# field it was written in, as Splink counts a value per column (Ahmad as a given name says nothing of how
# common Ahmadi is as a family name, though the two share a skeleton).
TF_NAMESPACES = {GIVEN_NAME: "g:s", FAMILY_NAME: "f:s", PATRONYMIC: "pa:s", PLACE_OF_BIRTH: "pl:s"}


def tf_keys(spelling: Spelling, field: str) -> tuple[str, ...]:
    """Term-frequency keys of a spelling's words in `field`: their consonant skeletons.

    The frequency of a name is that of all its spellings in every script: Muhammad, Мухаммад and محمد
    fold to different Latin words but share one skeleton, so counting folded words would make a name
    look rare in the script it is least often written in. The skeleton's count is the name's (and of
    the few names sharing its consonants: an overestimate, which errs towards caution).
    """
    namespace = TF_NAMESPACES.get(field)
    if namespace is None:
        return ()
    return tuple(f"{namespace}:{min(t.skeletons)}" for t in spelling.tokens if t.skeletons)


def _simple(field: str, a: str | None, b: str | None) -> FieldComparison:
    if a is None or b is None:
        return FieldComparison(field, "missing", "", "", "missing on one or both records")
    if a == b:
        return FieldComparison(field, "exact", a, b, "identical")
    return FieldComparison(field, "differs", a, b, "differ")


def _birth_values(a: PersonFeatures, b: PersonFeatures) -> tuple[str, str]:
    if a.birth.value is None or b.birth.value is None:
        return "", ""  # "missing on one or both records", as for the other fields
    return a.birth.display, b.birth.display


def compare(a: PersonFeatures, b: PersonFeatures) -> Comparison:
    """Compare two prepared records field by field."""
    given = compare_names(a.given, b.given)
    family = compare_names(a.family, b.family, family=True)
    swapped = False
    # People are registered with given and family names crossed, or with one name only, filed under
    # either part. Try the crossed reading when the direct one does not agree on both.
    if given.level > JW_MID or family.level > JW_MID:
        crossed_given = compare_names(a.given, b.family)
        crossed_family = compare_names(a.family, b.given, family=True)
        crossed_agree = (crossed_given.level <= JW_MID) + (crossed_family.level <= JW_MID)
        direct_agree = (given.level <= JW_MID) + (family.level <= JW_MID)
        if crossed_agree > direct_agree:
            given, family, swapped = crossed_given, crossed_family, True
    extra = "given and family names crossed between the records" if swapped else ""
    patronymic = compare_names(a.patronymic, b.patronymic)
    birth_level, birth_note = compare_birth_dates(a.birth, b.birth)
    document_level, doc_a, doc_b, document_note = compare_documents(a.documents, b.documents)
    place = compare_names(a.place, b.place)
    fields = (
        _name_field(GIVEN_NAME, given, extra),
        _name_field(FAMILY_NAME, family, extra),
        _name_field(PATRONYMIC, patronymic),
        FieldComparison(BIRTH_DATE, birth_level, *_birth_values(a, b), birth_note),
        _simple(SEX, a.sex, b.sex),
        _simple(NATIONALITY, a.nationality, b.nationality),
        _name_field(PLACE_OF_BIRTH, place),
        FieldComparison(DOCUMENT, document_level, doc_a, doc_b, document_note),
    )
    return Comparison(a.record_id, b.record_id, fields, swapped, family.level == GENDERED)
