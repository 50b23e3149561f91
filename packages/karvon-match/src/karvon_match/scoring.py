"""Fellegi-Sunter scoring with the same maths and model format as Splink (log2 Bayes factors)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from karvon_match.compare import (
    BIRTH_DATE,
    DOCUMENT,
    FAMILY_NAME,
    GIVEN_NAME,
    NAME_FIELDS,
    NATIONALITY,
    PATRONYMIC,
    PLACE_OF_BIRTH,
    SEX,
    Comparison,
    FieldComparison,
)
from karvon_match.frequency import TermFrequencies

WEIGHTS_FORMAT_VERSION = 1
# Levels whose u-probability is replaced by the agreed words' term frequency when one is given: every level
# at which the words themselves agree (a consonant skeleton too: Arabic-script محمد agrees with Muhammad
# only there, and must count no more than Muhammad does).
TF_ADJUSTED_LEVELS = frozenset({"exact", "transliterated", "skeleton"})
# Fields whose agreement is weighted by term frequency: the names.
TF_FIELDS = NAME_FIELDS


@dataclass(frozen=True, slots=True)
class LevelWeights:
    """m and u probabilities of one comparison level; a null level (missing data) weighs nothing."""

    m: float | None
    u: float | None
    tf_adjustment_weight: float = 0.0
    is_null: bool = False

    def __post_init__(self) -> None:
        if self.is_null:
            return
        for name, value in (("m", self.m), ("u", self.u)):
            if value is None or not 0.0 < value <= 1.0:
                raise ValueError(f"{name} probability must be in (0, 1], not {value!r}")

    @property
    def log2_bayes_factor(self) -> float:
        if self.is_null or self.m is None or self.u is None:
            return 0.0
        return math.log2(self.m / self.u)


class FieldScore(NamedTuple):
    """One field's share of a score. `reason` is an English sentence; `a_value` and `b_value` are the values
    compared, for an interface that words the level in its own language."""

    field: str
    level: str
    weight: float
    reason: str
    a_value: str = ""
    b_value: str = ""


@dataclass(frozen=True, slots=True)
class ScoredComparison:
    """Total match weight (log2 odds), the probability it implies, and each field's share."""

    match_weight: float
    match_probability: float
    per_field: tuple[FieldScore, ...]


def _name_levels(**overrides: tuple[float, float]) -> dict[str, tuple[float, float]]:
    levels = {
        "exact": (0.50, 0.004), "transliterated": (0.22, 0.003), "skeleton": (0.10, 0.012),
        "gendered_variant": (0.01, 0.002), "suffix_variant": (0.02, 0.001), "subset": (0.05, 0.01),
        "jw_high": (0.04, 0.008), "jw_mid": (0.02, 0.02), "differs": (0.04, 0.94),
    }  # fmt: skip
    return levels | overrides


# Starting values chosen by judgement for registers of the region, to be replaced by trained ones.
# fmt: off
_DEFAULT_PROBABILITIES: dict[str, dict[str, tuple[float, float]]] = {
    GIVEN_NAME: _name_levels(),
    FAMILY_NAME: _name_levels(gendered_variant=(0.01, 0.001)),
    # Same father but a son's and a daughter's patronymic: siblings, not one person.
    PATRONYMIC: _name_levels(exact=(0.55, 0.01), transliterated=(0.2, 0.01), gendered_variant=(0.003, 0.002),
                             differs=(0.07, 0.9)),
    BIRTH_DATE: {
        "exact": (0.55, 0.00008), "day_month_swap": (0.03, 0.00003), "month_agrees": (0.05, 0.001),
        "near": (0.03, 0.0006), "year_agrees": (0.2, 0.02), "within_1_year": (0.08, 0.04),
        "months_apart": (0.01, 0.03), "within_3_years": (0.03, 0.08), "differs": (0.02, 0.86),
    },
    SEX: {"exact": (0.97, 0.5), "differs": (0.03, 0.5)},
    NATIONALITY: {"exact": (0.92, 0.6), "differs": (0.08, 0.4)},
    PLACE_OF_BIRTH: _name_levels(exact=(0.55, 0.05), transliterated=(0.2, 0.03), skeleton=(0.05, 0.03),
                                 subset=(0.05, 0.03), jw_high=(0.03, 0.01), differs=(0.1, 0.83)),
    # Two records often hold different documents of one person, so "differs" is only weak evidence.
    DOCUMENT: {"exact": (0.5, 1e-6), "ocr_equal": (0.05, 1e-6), "edit_distance_1": (0.05, 2e-5),
               "differs": (0.4, 0.99997)},
}
# fmt: on
DEFAULT_PRIOR = 1e-4


def tf_shares(fields: Mapping[str, Mapping[str, LevelWeights]]) -> dict[tuple[str, str], float]:
    """For each term-frequency-adjusted level, its share of the field's agreement among random pairs.

    Splink's adjustment replaces a level's u by the value's frequency f, which is right for a single
    "exact" level. Here one name agrees at one of several levels (identical, transliterated, same
    skeleton) depending on the scripts it was written in; a random record with the same name agrees at
    *this* level with probability f times the level's share of all such agreement, sum of u over those
    levels. Without the share, every agreement would count as if it were the only way to agree, and the
    name would weigh less than it should (by 1-2 bits a field).
    """
    shares: dict[tuple[str, str], float] = {}
    for name, levels in fields.items():
        adjusted = {label: w.u for label, w in levels.items() if w.tf_adjustment_weight and w.u}
        total = sum(u for u in adjusted.values() if u is not None)
        for label, u in adjusted.items():
            if u is not None and total > 0:
                shares[(name, label)] = u / total
    return shares


@dataclass(frozen=True)
class MatchWeights:
    """Prior match probability and m/u per field and level.

    `to_dict` writes, and `from_dict` reads, a Splink settings dictionary: `comparisons` with
    `output_column_name` = a field name of `compare` and `comparison_levels` whose `label_for_charts`
    is one of that field's level names. A Splink model trained on these comparison vectors (gamma
    columns labelled with these level names) loads directly.
    """

    prior: float
    fields: Mapping[str, Mapping[str, LevelWeights]]
    _table: Mapping[tuple[str, str], LevelWeights] = field(init=False, repr=False, compare=False)
    _tf_shares: Mapping[tuple[str, str], float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 0.0 < self.prior < 1.0:
            raise ValueError("prior must be in (0, 1)")
        fields = MappingProxyType({f: MappingProxyType(dict(levels)) for f, levels in self.fields.items()})
        object.__setattr__(self, "fields", fields)
        table = {(f, level): w for f, levels in fields.items() for level, w in levels.items()}
        object.__setattr__(self, "_table", MappingProxyType(table))
        object.__setattr__(self, "_tf_shares", MappingProxyType(tf_shares(fields)))

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))

    def level(self, field_name: str, level: str) -> LevelWeights | None:
        return self._table.get((field_name, level))

    def tf_share(self, field_name: str, level: str) -> float:
        """The share of a field's term-frequency-adjusted agreement that happens at `level` (see `tf_shares`)."""
        return self._tf_shares.get((field_name, level), 1.0)

    @classmethod
    def default(cls) -> MatchWeights:
        fields = {
            name: {
                level: LevelWeights(m, u, 1.0 if name in TF_FIELDS and level in TF_ADJUSTED_LEVELS else 0.0)
                for level, (m, u) in levels.items()
            }
            | {"missing": LevelWeights(None, None, is_null=True)}
            for name, levels in _DEFAULT_PROBABILITIES.items()
        }
        return cls(DEFAULT_PRIOR, fields)

    def to_dict(self) -> dict[str, Any]:
        comparisons = []
        for name, levels in self.fields.items():
            rows: list[dict[str, Any]] = []
            for label, weights in levels.items():
                row: dict[str, Any] = {
                    "label_for_charts": label,
                    "sql_condition": f"{name}_level = '{label}'",
                }
                if weights.is_null:
                    row["is_null_level"] = True
                else:
                    row["m_probability"] = weights.m
                    row["u_probability"] = weights.u
                if weights.tf_adjustment_weight:
                    row["tf_adjustment_column"] = name
                    row["tf_adjustment_weight"] = weights.tf_adjustment_weight
                rows.append(row)
            comparisons.append({"output_column_name": name, "comparison_levels": rows})
        return {
            "karvon_match_weights_version": WEIGHTS_FORMAT_VERSION,
            "probability_two_random_records_match": self.prior,
            "comparisons": comparisons,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MatchWeights:
        fields: dict[str, dict[str, LevelWeights]] = {}
        for comparison in data["comparisons"]:
            name = str(comparison["output_column_name"])
            levels: dict[str, LevelWeights] = {}
            for row in comparison["comparison_levels"]:
                label = str(row["label_for_charts"])
                tf_weight = 0.0
                if row.get("tf_adjustment_column"):
                    tf_weight = float(row.get("tf_adjustment_weight", 1.0))
                if row.get("is_null_level"):
                    levels[label] = LevelWeights(None, None, is_null=True)
                else:
                    m, u = float(row["m_probability"]), float(row["u_probability"])
                    levels[label] = LevelWeights(m, u, tf_weight)
            fields[name] = levels
        return cls(float(data["probability_two_random_records_match"]), fields)


DEFAULT_WEIGHTS = MatchWeights.default()


def probability_from_weight(match_weight: float) -> float:
    """Match probability from a total match weight (log2 odds)."""
    if match_weight < -1000:
        return 0.0
    if match_weight > 1000:
        return 1.0
    return 1.0 / (1.0 + math.pow(2.0, -match_weight))


def _field_weight(result: FieldComparison, weights: MatchWeights, tf: TermFrequencies | None) -> float | None:
    """One field's log2 Bayes factor at its level (None when the model has no weights for the level)."""
    level_weights = weights.level(result.field, result.level)
    if level_weights is None:
        return None
    weight = level_weights.log2_bayes_factor
    if (tf is not None and level_weights.tf_adjustment_weight and result.tf_tokens
            and level_weights.u is not None and tf.covers(result.tf_tokens)):  # fmt: skip
        # Splink's term-frequency adjustment: multiply the Bayes factor by (u / u_tf) ** weight.
        u_tf = max(tf.u_probability(result.tf_tokens) * weights.tf_share(result.field, result.level), 1e-12)
        weight += level_weights.tf_adjustment_weight * math.log2(level_weights.u / u_tf)
    return weight


def match_weight(comparison: Comparison, weights: MatchWeights = DEFAULT_WEIGHTS,
                 tf: TermFrequencies | None = None) -> float:  # fmt: skip
    """The match weight `score` gives, to the last bit, without building the per-field reasons: for ranking many
    candidates and explaining only the best."""
    total = weights.prior_weight
    for result in comparison.fields:
        weight = _field_weight(result, weights, tf)
        if weight is not None:
            total += weight
    return total


def score(comparison: Comparison, weights: MatchWeights = DEFAULT_WEIGHTS,
          tf: TermFrequencies | None = None) -> ScoredComparison:  # fmt: skip
    """Sum log2 Bayes factors over fields, as Splink does; names with `tf` use their words' frequency."""
    total = weights.prior_weight
    per_field: list[FieldScore] = []
    for result in comparison.fields:
        weight = _field_weight(result, weights, tf)
        if weight is None:
            per_field.append(
                FieldScore(
                    result.field,
                    result.level,
                    0.0,
                    result.reason + " [no weights]",
                    result.a_value,
                    result.b_value,
                )
            )
            continue
        total += weight
        per_field.append(
            FieldScore(result.field, result.level, weight, result.reason, result.a_value, result.b_value)
        )
    return ScoredComparison(total, probability_from_weight(total), tuple(per_field))
