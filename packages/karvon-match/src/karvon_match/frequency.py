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
    _floor: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.total <= 0:
            raise ValueError("a term-frequency table needs at least one word")
        object.__setattr__(self, "counts", MappingProxyType(dict(self.counts)))
        object.__setattr__(self, "_floor", max(1.0 / self.total, MIN_FREQUENCY))

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
        """Share of the corpus that is this folded word (at least one occurrence's worth)."""
        return max(self.counts.get(folded_token, 0) / self.total, self._floor)

    def u_probability(self, folded_tokens: Iterable[str]) -> float:
        """Chance that a random record agrees on all these words: the product of their frequencies."""
        u = 1.0
        for token in folded_tokens:
            u *= self.frequency(token)
        return max(u, MIN_FREQUENCY)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "counts": dict(self.counts)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TermFrequencies:
        counts = {str(k): int(v) for k, v in data["counts"].items()}
        return cls(counts, int(data.get("total", sum(counts.values()))))
