"""Name structure: tokens, patronymics, gendered family-name endings, -zoda/-ov suffixes and compounds."""

from __future__ import annotations

import re
from dataclasses import dataclass

from karvon_match.fold import fold_latin
from karvon_match.normalise import APOSTROPHE, casefold_name, normalise_text
from karvon_match.transliterate import to_latin

# Separators inside a name field. The apostrophe is a letter (see normalise.APOSTROPHE) and stays.
_SEPARATOR_RE = re.compile(r"[\s\-‐‑‒–—_,.;:/\\|()\[\]{}\"«»“”+&*#]+")


def tokenise(text: str) -> tuple[str, ...]:
    """Casefolded tokens of a name, split at spaces, hyphens and punctuation; apostrophes stay inside."""
    return tokenise_normalised(normalise_text(text))


def tokenise_normalised(text: str) -> tuple[str, ...]:
    """`tokenise` for text that has already been through `normalise_text`."""
    return tuple(casefold_name(w) for w in display_words(text))


def display_words(text: str) -> tuple[str, ...]:
    """The words of a normalised name as written (case kept), one for each token of `tokenise`."""
    return tuple(w for w in (w.strip(APOSTROPHE) for w in _SEPARATOR_RE.split(text)) if w)


def letter_count(token: str) -> int:
    """Letters in a token, not counting the apostrophe letter."""
    return sum(map(str.isalpha, token)) - token.count(APOSTROPHE)


# --- Patronymics ----------------------------------------------------------------------------------------

# Russian-style patronymic endings on folded spellings: Rustamovich, Alievna, Musaevich (and after the
# "ee" -> "i" fold, Sergeevich -> sergivich).
_PATRONYMIC_SUFFIX_RE = re.compile(r"(?:ov|ev|iv)(ich|na)$|(ichna)$")
# Separate words that mark a patronymic. Turkic ones follow the father's name ("Akmal oʻgʻli"), Arabic
# and Dari ones precede it ("bin Qasim", "walad Karim"). Folded forms.
MARKERS_AFTER = {
    "ugli": "M", "ogli": "M", "oglu": "M", "ugil": "M", "uli": "M", "ulu": "M",
    "kizi": "F", "kiz": "F", "gizi": "F",
}  # fmt: skip
MARKERS_BEFORE = {
    "ibn": "M", "bin": "M", "bn": "M", "vld": "M", "valad": "M", "vald": "M", "valadi": "M",
    "bind": "F", "binti": "F", "bnd": "F", "duhtar": "F", "dohtar": "F", "dhtr": "F",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Patronymic:
    """A patronymic found in a name: the words as written, the father's name, and the sex it marks."""

    words: tuple[str, ...]
    father: tuple[str, ...]
    sex: str | None


def _folded(token: str) -> str:
    return fold_latin(to_latin(token))


def patronymic_father(token: str) -> tuple[str, str] | None:
    """(father's folded name, "M"/"F") when a single word is a Russian-style patronymic, else None."""
    folded = _folded(token)
    match = _PATRONYMIC_SUFFIX_RE.search(folded)
    if match is None or match.start() < 2:
        return None
    sex = "M" if match.group(1) == "ich" else "F"
    return fold_latin(folded[: match.start()]), sex


def split_patronymics(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[Patronymic, ...]]:
    """Split casefolded tokens into the name proper and the patronymics it contains."""
    folded = [_folded(t) for t in tokens]
    taken = [False] * len(tokens)
    found: list[Patronymic] = []
    for index, token in enumerate(tokens):
        if taken[index]:
            continue
        father = patronymic_father(token)
        if father is not None:
            taken[index] = True
            found.append(Patronymic((token,), (father[0],), father[1]))
            continue
        marker = folded[index]
        if marker in MARKERS_AFTER and index > 0 and not taken[index - 1]:
            taken[index - 1] = taken[index] = True
            found.append(Patronymic((tokens[index - 1], token), (tokens[index - 1],), MARKERS_AFTER[marker]))
        elif marker in MARKERS_BEFORE and index + 1 < len(tokens):
            taken[index] = taken[index + 1] = True
            found.append(Patronymic((token, tokens[index + 1]), (tokens[index + 1],), MARKERS_BEFORE[marker]))
    rest = tuple(t for t, used in zip(tokens, taken, strict=True) if not used)
    return rest, tuple(found)


def patronymic_of(text: str) -> Patronymic:
    """Read a patronymic field: "Rustamovich", "Akmal oʻgʻli", "bin Qasim" or just the father's name."""
    tokens = tokenise(text)
    rest, found = split_patronymics(tokens)
    if found and not rest:
        words = tuple(w for p in found for w in p.words)
        father = tuple(f for p in found for f in p.father)
        sexes = {p.sex for p in found}
        return Patronymic(words, father, sexes.pop() if len(sexes) == 1 else None)
    return Patronymic(tokens, tokens, None)


# --- Gendered family-name endings and family suffixes --------------------------------------------------

# Folded feminine ending -> masculine ending. "-iva" is "-eeva" after the ee -> i fold (Sergeeva).
FEMININE_ENDINGS: tuple[tuple[str, str], ...] = (
    ("skaia", "ski"), ("ova", "ov"), ("eva", "ev"), ("iva", "iv"), ("ina", "in"),
)  # fmt: skip
MASCULINE_ENDINGS = ("ski", "ov", "ev", "iv", "in")


_FEMININE_RE = re.compile("(" + "|".join(f for f, _ in FEMININE_ENDINGS) + ")$")
_MASCULINE_RE = re.compile("(" + "|".join(MASCULINE_ENDINGS) + ")$")
_MASCULINE_OF = dict(FEMININE_ENDINGS)


def gendered_stem(folded: str) -> tuple[str, str | None]:
    """(masculine form, "M"/"F"/None) of a folded family name: Saidova -> (saidov, F)."""
    match = _FEMININE_RE.search(folded)
    if match and match.start() > 1:
        return folded[: match.start()] + _MASCULINE_OF[match.group(1)], "F"
    match = _MASCULINE_RE.search(folded)
    if match and match.start() > 1:
        return folded, "M"
    return folded, None


def family_root(folded: str) -> tuple[str, str]:
    """(root, suffix kind) of a folded family name: Saidzoda -> (said, zada); Saidova -> (said, ov)."""
    if folded.endswith("zada") and len(folded) > 6:
        return folded[:-4], "zada"
    stem, _ = gendered_stem(folded)
    if stem.endswith(("ov", "ev")) and len(stem) > 4:
        return stem[:-2], "ov"
    return folded, ""


# --- Compounds --------------------------------------------------------------------------------------------


# Shortest second part of an "Abdu-" compound: Abdulaziz -> aziz, but not Abdullaev -> aev.
_MIN_ABD_PART = 4


def compound_parts(folded: str) -> tuple[str, ...]:
    """Folded parts of a one-word compound: abdurahmon -> (abdul, rahmon); nuridin -> (nur, din)."""
    if folded.startswith("abdul") and folded[5:6] in ("a", "e", "i", "o", "u"):
        return ("abdul", folded[5:]) if len(folded) - 5 >= _MIN_ABD_PART else ()
    if folded.startswith("abdu"):
        return ("abdul", folded[4:]) if len(folded) - 4 >= _MIN_ABD_PART else ()
    match = re.fullmatch(r"([a-z]{2,}[^aeiou])[aeiou]d[aeiou]n", folded)
    if match:
        return (match.group(1), "din")
    return ()
