"""Disclosure control: small cells hidden, and enough others hidden that no hidden cell follows from totals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_THRESHOLD = 5
SUPPRESS, ROUND = "suppress", "round"
METHODS = (SUPPRESS, ROUND)


@dataclass(frozen=True)
class ProtectedTable:
    """A table with its margins; None is a hidden cell. The last row and the last column are the totals."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    primary: frozenset[tuple[int, int]]
    secondary: frozenset[tuple[int, int]]


def is_sensitive(value: int, threshold: int) -> bool:
    # Zero is no person and is safe to show; 1 .. threshold-1 could single someone out.
    return 0 < value < threshold


def rounded(value: int, base: int) -> int:
    """To the nearest multiple of the base, halves up (base 5: 0–2 → 0, 3–7 → 5): with the threshold as base no
    count from 1 to base-1 is published, and no published figure tells which count it stands for."""
    return base * ((2 * value + base) // (2 * base))


def protect_value(
    value: int | None, threshold: int = DEFAULT_THRESHOLD, method: str = SUPPRESS
) -> int | None:
    """A figure published alone, outside any additive table: primary suppression, or rounding."""
    if value is None:
        return None
    if method == ROUND:
        return rounded(value, threshold)
    if is_sensitive(value, threshold):
        return None
    return value


def with_margins(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [[*row, sum(row)] for row in cells]
    width = len(rows[0]) if rows else 1
    rows.append([sum(row[column] for row in rows) for column in range(width)])
    return rows


def _lines(height: int, width: int) -> list[list[tuple[int, int]]]:
    # Every row (the totals row too) and every column (the totals column too) is one additive relation.
    return [[(r, c) for c in range(width)] for r in range(height)] + [
        [(r, c) for r in range(height)] for c in range(width)
    ]


def _bridges(hidden: set[tuple[int, int]], height: int) -> list[tuple[int, int]]:
    """Hidden cells on no cycle of hidden cells: these are the ones arithmetic on totals recovers.

    The table is a bipartite graph (row vertices, column vertices, a hidden cell is an edge); a
    hidden cell is exactly determined by the margins if and only if its edge is a bridge.
    """
    adjacency: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for cell in hidden:
        row_vertex, column_vertex = cell[0], height + cell[1]
        adjacency.setdefault(row_vertex, []).append((column_vertex, cell))
        adjacency.setdefault(column_vertex, []).append((row_vertex, cell))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: list[tuple[int, int]] = []
    counter = 0
    for start in adjacency:
        if start in order:
            continue
        order[start] = low[start] = counter
        counter += 1
        stack: list[tuple[int, tuple[int, int] | None, int]] = [(start, None, 0)]
        while stack:
            vertex, via, index = stack[-1]
            edges = adjacency[vertex]
            if index < len(edges):
                stack[-1] = (vertex, via, index + 1)
                neighbour, cell = edges[index]
                if cell == via:
                    continue
                if neighbour in order:
                    low[vertex] = min(low[vertex], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, cell, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[vertex])
                    if low[vertex] > order[parent] and via is not None:
                        found.append(via)
    return found


def _component(hidden: set[tuple[int, int]], height: int, start: int, without: tuple[int, int]) -> set[int]:
    adjacency: dict[int, list[int]] = {}
    for cell in hidden:
        if cell == without:
            continue
        adjacency.setdefault(cell[0], []).append(height + cell[1])
        adjacency.setdefault(height + cell[1], []).append(cell[0])
    seen = {start}
    frontier = [start]
    while frontier:
        for neighbour in adjacency.get(frontier.pop(), []):
            if neighbour not in seen:
                seen.add(neighbour)
                frontier.append(neighbour)
    return seen


def _cost(value: int, cell: tuple[int, int], height: int, width: int) -> tuple[int, int, int]:
    # Hide the least information: positive small interior cells first, zeros and totals last.
    is_total = cell[0] == height - 1 or cell[1] == width - 1
    return (value == 0, is_total, value)


def suppress(table: Sequence[Sequence[int]], *, threshold: int = DEFAULT_THRESHOLD) -> set[tuple[int, int]]:
    """The cells to hide in a table that already holds its margins (last row and column are totals)."""
    height, width = len(table), len(table[0])
    hidden = {(r, c) for r in range(height) for c in range(width) if is_sensitive(table[r][c], threshold)}
    lines = _lines(height, width)
    while True:
        changed = False
        for line in lines:
            hidden_here = [cell for cell in line if cell in hidden]
            if len(hidden_here) == 1:
                candidates = [cell for cell in line if cell not in hidden]
                if candidates:
                    hidden.add(
                        min(candidates, key=lambda cell: _cost(table[cell[0]][cell[1]], cell, height, width))
                    )
                    changed = True
        if changed:
            continue
        bridges = _bridges(hidden, height)
        if not bridges:
            return hidden
        bridge = bridges[0]
        side = _component(hidden, height, bridge[0], bridge)
        other_side = _component(hidden, height, height + bridge[1], bridge)
        # A cell joining the two sides closes a cycle through the bridge.
        candidates = [
            (r, c)
            for r in range(height)
            for c in range(width)
            if (r, c) not in hidden
            and ((r in side and height + c in other_side) or (r in other_side and height + c in side))
        ]
        hidden.add(min(candidates, key=lambda cell: _cost(table[cell[0]][cell[1]], cell, height, width)))


def protect_table(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cells: Sequence[Sequence[int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    total_label: str = "Total",
    method: str = SUPPRESS,
) -> ProtectedTable:
    """Adds the margins, then hides sensitive cells and those that would give them away; or, with the rounding
    method, rounds every cell and every margin on its own to a multiple of the threshold (margins then need not
    add up: that is what keeps the small cells unknown)."""
    if not cells:
        return ProtectedTable((total_label,), (total_label,), ((0,),), frozenset(), frozenset())
    full = with_margins(cells)
    height, width = len(full), len(full[0])
    primary = {(r, c) for r in range(height) for c in range(width) if is_sensitive(full[r][c], threshold)}
    if method == ROUND:
        return ProtectedTable(
            row_labels=(*row_labels, total_label),
            column_labels=(*column_labels, total_label),
            cells=tuple(tuple(rounded(value, threshold) for value in row) for row in full),
            primary=frozenset(primary),
            secondary=frozenset(),
        )
    hidden = suppress(full, threshold=threshold)
    published = tuple(
        tuple(None if (r, c) in hidden else full[r][c] for c in range(width)) for r in range(height)
    )
    return ProtectedTable(
        row_labels=(*row_labels, total_label),
        column_labels=(*column_labels, total_label),
        cells=published,
        primary=frozenset(primary),
        secondary=frozenset(hidden - primary),
    )
