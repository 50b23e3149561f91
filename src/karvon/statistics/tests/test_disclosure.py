"""Disclosure control: no published table shows a small cell or lets one be recovered from its totals."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from karvon.statistics.disclosure import ROUND, protect_table, protect_value, rounded, suppress, with_margins

THRESHOLD = 5


def determined_cells(table: list[list[int]], hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Hidden cells an attacker solves exactly from the published cells and totals (rational elimination)."""
    unknowns = sorted(hidden)
    index = {cell: i for i, cell in enumerate(unknowns)}
    height, width = len(table), len(table[0])
    equations: list[list[Fraction]] = []
    # Row r: cells in columns 0..width-2 sum to the cell in the last column; likewise for columns.
    for r in range(height):
        row = [Fraction(0)] * len(unknowns)
        for c in range(width):
            if (r, c) in index:
                row[index[(r, c)]] += 1 if c < width - 1 else -1
        equations.append(row)
    for c in range(width):
        row = [Fraction(0)] * len(unknowns)
        for r in range(height):
            if (r, c) in index:
                row[index[(r, c)]] += 1 if r < height - 1 else -1
        equations.append(row)

    def rank(matrix: list[list[Fraction]]) -> int:
        rows = [list(row) for row in matrix]
        found = 0
        for column in range(len(unknowns)):
            pivot = next((i for i in range(found, len(rows)) if rows[i][column] != 0), None)
            if pivot is None:
                continue
            rows[found], rows[pivot] = rows[pivot], rows[found]
            for i in range(len(rows)):
                if i != found and rows[i][column] != 0:
                    factor = rows[i][column] / rows[found][column]
                    rows[i] = [a - factor * b for a, b in zip(rows[i], rows[found], strict=True)]
            found += 1
        return found

    base = rank(equations)
    solved = set()
    for cell, i in index.items():
        probe = [Fraction(0)] * len(unknowns)
        probe[i] = Fraction(1)
        if rank([*equations, probe]) == base:
            solved.add(cell)
    return solved


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda width: st.lists(
        st.lists(st.one_of(st.integers(0, 6), st.integers(0, 200)), min_size=width, max_size=width),
        min_size=1,
        max_size=6,
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_published_cell_holds_one_to_four(cells: list[list[int]]) -> None:
    table = protect_table(
        [str(i) for i in range(len(cells))],
        [str(i) for i in range(len(cells[0]))],
        cells,
        threshold=THRESHOLD,
    )
    assert all(value is None or not 0 < value < THRESHOLD for row in table.cells for value in row)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_hidden_cell_can_be_recovered_from_the_totals(cells: list[list[int]]) -> None:
    full = with_margins(cells)
    hidden = suppress(full, threshold=THRESHOLD)
    assert determined_cells(full, hidden) == set()


def test_a_table_without_small_cells_is_published_whole() -> None:
    table = protect_table(["AFG", "SYR"], ["2023", "2024"], [[10, 20], [30, 40]])
    assert table.cells == ((10, 20, 30), (30, 40, 70), (40, 60, 100))
    assert not table.primary and not table.secondary


def test_a_lone_small_cell_takes_a_second_cell_with_it_in_its_row_and_column() -> None:
    table = protect_table(["AFG", "SYR"], ["2023", "2024"], [[3, 20], [30, 40]])
    assert table.cells[0][0] is None
    assert table.primary == {(0, 0)}
    assert len(table.secondary) >= 3


def test_a_figure_published_alone_is_hidden_only_when_small() -> None:
    assert protect_value(3) is None
    assert protect_value(0) == 0
    assert protect_value(5) == 5


@settings(max_examples=300, deadline=None)
@given(tables)
def test_rounding_publishes_no_cell_of_one_to_four_and_moves_no_cell_by_more_than_half_a_base(
    cells: list[list[int]],
) -> None:
    table = protect_table(
        [str(i) for i in range(len(cells))],
        [str(i) for i in range(len(cells[0]))],
        cells,
        threshold=THRESHOLD,
        method=ROUND,
    )
    full = with_margins(cells)
    for published_row, true_row in zip(table.cells, full, strict=True):
        for published, true in zip(published_row, true_row, strict=True):
            assert published is not None and published % THRESHOLD == 0
            assert abs(published - true) <= THRESHOLD // 2


def test_rounding_maps_small_counts_to_zero_or_the_base() -> None:
    assert [rounded(value, 5) for value in range(9)] == [0, 0, 0, 5, 5, 5, 5, 5, 10]
    assert protect_value(3, 5, ROUND) == 5 and protect_value(None, 5, ROUND) is None
