"""Cross-script name matching and person-record comparison for Central Asian registers."""

from __future__ import annotations

from karvon_match.blocking import BLOCKING_KEY_VERSION, blocking_keys
from karvon_match.compare import FIELDS, NAME_LEVELS, Comparison, FieldComparison, compare
from karvon_match.dates import BIRTH_DATE_LEVELS, BirthDateFeatures, birth_date_features, compare_birth_dates
from karvon_match.documents import DOCUMENT_LEVELS, normalise_document_number, ocr_fold
from karvon_match.features import NameFeatures, PersonFeatures, PersonRecord, Spelling, person_features
from karvon_match.fold import fold_latin, skeleton_of_folded
from karvon_match.frequency import TermFrequencies
from karvon_match.normalise import normalise_text
from karvon_match.scoring import (
    DEFAULT_WEIGHTS,
    FieldScore,
    LevelWeights,
    MatchWeights,
    ScoredComparison,
    match_weight,
    probability_from_weight,
    score,
)
from karvon_match.scripts import foreign_script_letters, repair_homoglyphs, script_of
from karvon_match.search_keys import SEARCH_KEY_VERSION, name_search_keys, query_search_keys
from karvon_match.similarity import jaro_winkler
from karvon_match.structure import split_patronymics, tokenise
from karvon_match.tokens import TokenForms, analyse_token
from karvon_match.transliterate import (
    CYRILLIC_SCHEMES,
    to_latin,
    transliterate_arabic,
    transliterate_cyrillic,
)

__all__ = [
    "BIRTH_DATE_LEVELS",
    "BLOCKING_KEY_VERSION",
    "CYRILLIC_SCHEMES",
    "DEFAULT_WEIGHTS",
    "DOCUMENT_LEVELS",
    "FIELDS",
    "NAME_LEVELS",
    "SEARCH_KEY_VERSION",
    "BirthDateFeatures",
    "Comparison",
    "FieldComparison",
    "FieldScore",
    "LevelWeights",
    "MatchWeights",
    "NameFeatures",
    "PersonFeatures",
    "PersonRecord",
    "ScoredComparison",
    "Spelling",
    "TermFrequencies",
    "TokenForms",
    "analyse_token",
    "birth_date_features",
    "blocking_keys",
    "compare",
    "compare_birth_dates",
    "fold_latin",
    "foreign_script_letters",
    "jaro_winkler",
    "match_weight",
    "name_search_keys",
    "normalise_document_number",
    "normalise_text",
    "ocr_fold",
    "person_features",
    "probability_from_weight",
    "query_search_keys",
    "repair_homoglyphs",
    "score",
    "script_of",
    "skeleton_of_folded",
    "split_patronymics",
    "to_latin",
    "tokenise",
    "transliterate_arabic",
    "transliterate_cyrillic",
]
