"""String similarity written for speed: Jaro-Winkler and a one-edit test, stdlib only."""

from __future__ import annotations

from functools import lru_cache


def jaro_winkler(a: str, b: str, prefix_scale: float = 0.1) -> float:
    """Jaro-Winkler similarity in [0, 1]: common prefix of up to 4 characters, boost above 0.7."""
    if a == b:
        return 1.0
    len_a, len_b = len(a), len(b)
    if not len_a or not len_b:
        return 0.0
    if len_a > len_b:
        a, b, len_a, len_b = b, a, len_b, len_a
    window = max(len_b // 2 - 1, 0)
    taken = [False] * len_b
    matched_a: list[str] = []
    for i, ch in enumerate(a):
        low = i - window if i > window else 0
        high = i + window + 1 if i + window + 1 < len_b else len_b
        j = b.find(ch, low, high)
        while j != -1 and taken[j]:
            j = b.find(ch, j + 1, high)
        if j != -1:
            taken[j] = True
            matched_a.append(ch)
    matches = len(matched_a)
    if not matches:
        return 0.0
    matched_b = [b[j] for j in range(len_b) if taken[j]]
    half_transpositions = sum(1 for x, y in zip(matched_a, matched_b, strict=True) if x != y)
    jaro = (matches / len_a + matches / len_b + (matches - half_transpositions / 2) / matches) / 3
    if jaro <= 0.7:
        return jaro  # Winkler's boost threshold, as in most implementations
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * prefix_scale * (1.0 - jaro)


@lru_cache(maxsize=1 << 17)
def jaro_winkler_cached(a: str, b: str) -> float:
    """`jaro_winkler` remembered per pair: registers repeat the same names over and over."""
    return jaro_winkler(a, b)


def within_one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` by one insertion, deletion, substitution or adjacent transposition."""
    if a == b:
        return True
    len_a, len_b = len(a), len(b)
    if abs(len_a - len_b) > 1:
        return False
    if len_a > len_b:
        a, b, len_a, len_b = b, a, len_b, len_a
    i = 0
    while i < len_a and a[i] == b[i]:
        i += 1
    if len_a == len_b:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < len_a and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]
