"""Term frequencies of folded name words: agreeing on a common name is weaker evidence than on a rare one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from karvon_match.structure import letter_count, tokenise
from karvon_match.tokens import analyse_token

# Below this a frequency is noise: it also keeps one rare word from giving an unbounded weight.
MIN_FREQUENCY = 1e-7


@dataclass(frozen=True, eq=False)
class TermFrequencies:
    """Counts of folded name words in a corpus; `frequency` estimates u for agreeing on that word.

    Counts are keyed by the main folded reading (`TokenForms.folded`), so Мухаммад and Muhammad count as
    the same word. A word never seen counts as seen once.
    """

    counts: Mapping[str, int]
    total: int
    # Words of other namespaces (``s:`` skeletons, ``p:`` places, ``p:s:`` place skeletons) are counted
    # against their own total, so adding them does not dilute the frequency of plain name words.
    totals: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.total <= 0:
            raise ValueError("a term-frequency table needs at least one word")
        object.__setattr__(self, "counts", MappingProxyType(dict(self.counts)))
        totals = {k: int(v) for k, v in self.totals.items() if int(v) > 0}
        object.__setattr__(self, "totals", MappingProxyType(totals))

    @classmethod
    def from_tokens(cls, folded_tokens: Iterable[str]) -> TermFrequencies:
        """From already folded words (e.g. `analyse_token(w).folded` stored in a database)."""
        counts = Counter(t for t in folded_tokens if t)
        return cls(counts, sum(counts.values()))

    @classmethod
    def from_names(cls, names: Iterable[str]) -> TermFrequencies:
        """From name spellings in any script: each is tokenised and folded."""
        return cls.from_tokens(
            analyse_token(word).folded for name in names for word in tokenise(name) if letter_count(word) >= 1
        )

    def frequency(self, folded_token: str) -> float:
        """Share of the corpus that is this folded word (at least one occurrence's worth).

        A namespaced key (``s:mhmd``) is a share of its namespace's words when that total is known.
        """
        total = self.total
        if ":" in folded_token and self.totals:
            total = self.totals.get(folded_token.rpartition(":")[0], total)
        return min(max(self.counts.get(folded_token, 0) / total, 1.0 / total, MIN_FREQUENCY), 1.0)

    def covers(self, folded_tokens: Iterable[str]) -> bool:
        """Whether this table counted the namespaces of these keys (a table from before skeletons and
        places were counted does not know ``s:`` keys: they get no adjustment rather than a made-up one)."""
        return all(":" not in t or t.rpartition(":")[0] in self.totals for t in folded_tokens)

    def u_probability(self, folded_tokens: Iterable[str]) -> float:
        """Chance that a random record agrees on all these words: the product of their frequencies."""
        u = 1.0
        for token in folded_tokens:
            u *= self.frequency(token)
        return max(u, MIN_FREQUENCY)

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"total": self.total, "counts": dict(self.counts)}
        if self.totals:
            found["totals"] = dict(self.totals)
        return found

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TermFrequencies:
        counts = {str(k): int(v) for k, v in data["counts"].items()}
        totals = {str(k): int(v) for k, v in (data.get("totals") or {}).items()}
        return cls(counts, int(data.get("total", sum(counts.values()))), totals)
