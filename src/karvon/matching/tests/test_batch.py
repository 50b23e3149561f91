"""Batch matching: SQL levels that mirror karvon_match, the exported model, and clusters that do not chain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import duckdb
import pytest

from karvon.matching.batch import (
    BatchOptions,
    ClusterOptions,
    SourcedRecord,
    _ContradictionChecker,
    _refusal,
    block_pairs,
    blocking_rules,
    cluster,
    comparisons,
    complete_for_karvon,
    connect,
    connected_components,
    load_records,
    merge_duplicate_ids,
    run_batch,
    starting_settings,
)
from karvon_match import FIELDS, MatchWeights, PersonRecord, compare, person_features


def sourced(records: Iterable[PersonRecord], source: str = "input") -> list[SourcedRecord]:
    return [SourcedRecord(index + 2, source, record) for index, record in enumerate(records)]


def sql_levels(con: duckdb.DuckDBPyConnection, left: int, right: int) -> dict[str, str]:
    """The level each comparison's SQL gives the pair (left, right) of `records`."""
    columns = [row[0] for row in con.execute("DESCRIBE records").fetchall()]
    select = ", ".join([f"l.{c} AS {c}_l" for c in columns] + [f"r.{c} AS {c}_r" for c in columns])
    found = {}
    for comparison in comparisons():
        cases = " ".join(
            f"WHEN {level['sql_condition']} THEN '{level['label_for_charts']}'"
            for level in comparison["comparison_levels"]
            if level["sql_condition"] != "ELSE"
        )
        sql = (
            f"SELECT CASE {cases} ELSE 'differs' END FROM (SELECT {select} FROM records l, records r "  # noqa: S608
            f"WHERE l.unique_id = {left} AND r.unique_id = {right})"
        )
        found[comparison["output_column_name"]] = con.execute(sql).fetchall()[0][0]
    return found


PAIRS = [
    (
        PersonRecord(
            "1",
            ("Мухаммад",),
            ("Саидов",),
            ("Рустамович",),
            "M",
            date(1990, 3, 4),
            nationality="TJK",
            document_numbers=("A1234567",),
        ),
        PersonRecord(
            "2",
            ("MUKHAMMAD",),
            ("SAIDOV",),
            (),
            "M",
            date(1990, 3, 4),
            nationality="TJK",
            document_numbers=("A1234567",),
        ),
    ),
    (
        PersonRecord("3", ("Mohammad",), ("Saydova",), ("Rustamovna",), "F", date(1990, 4, 3)),
        PersonRecord("4", ("محمد",), ("سعیدوف",), ("Рустамович",), "M", date(1990, 1, 1), "year"),
    ),
    (
        PersonRecord(
            "5",
            ("Abdul Rahman",),
            ("Rahimzoda",),
            (),
            None,
            date(1985, 6, 1),
            "month",
            document_numbers=("AB 123456",),
        ),
        PersonRecord(
            "6", ("Abdurakhmon",), ("Rahimov",), (), None, date(1985, 6, 20), document_numbers=("A8123456",)
        ),
    ),
    (
        PersonRecord("7", ("Karimov",), ("Akmal",), (), "M", date(1970, 1, 2), place_of_birth="Dushanbe"),
        PersonRecord("8", ("Akmal",), ("Karimov",), (), "M", date(1975, 1, 2), place_of_birth="Душанбе"),
    ),
]


@pytest.fixture
def loaded() -> duckdb.DuckDBPyConnection:
    con = connect()
    load_records(con, sourced(record for pair in PAIRS for record in pair))
    merge_duplicate_ids(con, max_block_size=100)
    return con


@pytest.mark.parametrize("index", range(len(PAIRS)))
def test_sql_levels_are_karvon_match_levels(loaded: duckdb.DuckDBPyConnection, index: int) -> None:
    left, right = PAIRS[index]
    expected = compare(person_features(left), person_features(right))
    found = sql_levels(loaded, 2 * index + 1, 2 * index + 2)
    assert found == {f.field: f.level for f in expected.fields}


def test_the_exported_model_is_read_by_the_real_time_scorer() -> None:
    settings, untrained = complete_for_karvon(starting_settings())
    weights = MatchWeights.from_dict(settings)
    default = MatchWeights.default()
    assert list(weights.fields) == list(FIELDS)
    for field, levels in default.fields.items():
        assert set(weights.fields[field]) == set(levels)
    assert weights.level("given_name", "exact").tf_adjustment_weight == 1.0  # type: ignore[union-attr]
    assert untrained == []


def household() -> list[PersonRecord]:
    """Two brothers; one record of the elder has no given name and links to both of them."""
    father = ("Рустамович",)
    return [
        PersonRecord(
            "akmal-1",
            ("Акмал",),
            ("Каримов",),
            father,
            "M",
            date(1990, 5, 17),
            nationality="TJK",
            place_of_birth="Хуҷанд",
            document_numbers=("A1111111",),
        ),
        PersonRecord(
            "akmal-2",
            ("AKMAL",),
            ("KARIMOV",),
            (),
            "M",
            date(1990, 5, 17),
            nationality="TJK",
            document_numbers=("A1111111",),
        ),
        PersonRecord(
            "karimov-no-given-name",
            (),
            ("Karimov",),
            ("Rustamovich",),
            "M",
            date(1990, 1, 1),
            "year",
            nationality="TJK",
            place_of_birth="Khujand",
        ),
        PersonRecord(
            "bahrom-1",
            ("Баҳром",),
            ("Каримов",),
            father,
            "M",
            date(1990, 11, 2),
            nationality="TJK",
            place_of_birth="Хуҷанд",
        ),
        PersonRecord(
            "bahrom-2",
            ("Bakhrom",),
            ("Karimov",),
            ("Rustamovich",),
            "M",
            date(1990, 11, 2),
            nationality="TJK",
            place_of_birth="Khujand",
        ),
    ]


def clusters_of(con: duckdb.DuckDBPyConnection) -> set[frozenset[str]]:
    rows = con.execute(
        "SELECT c.cluster_uid, r.record_id FROM clusters c JOIN records r USING (unique_id)"
    ).fetchall()
    groups: dict[int, set[str]] = {}
    for cluster_uid, record_id in rows:
        groups.setdefault(cluster_uid, set()).add(record_id)
    return {frozenset(g) for g in groups.values()}


def test_siblings_are_not_chained_into_one_person() -> None:
    con = connect()
    options = BatchOptions(cluster=ClusterOptions(threshold=0.5))
    summary = run_batch(con, sourced(household()), options=options)
    found = clusters_of(con)
    assert not any({"akmal-1", "bahrom-1"} <= cluster for cluster in found)
    assert any({"akmal-1", "akmal-2"} <= cluster for cluster in found)
    assert any({"bahrom-1", "bahrom-2"} <= cluster for cluster in found)
    assert summary.stats.merges_refused_contradiction > 0
    # Plain connected components on the same scores chain the brothers through the nameless record.
    connected_components(con, 0.5)
    assert any({"akmal-1", "bahrom-1"} <= cluster for cluster in clusters_of(con))


def test_rows_sharing_a_record_id_become_one_record() -> None:
    con = connect()
    records = [
        PersonRecord("7", ("Akmal",), ("Karimov",), (), "M", date(1990, 5, 17)),
        PersonRecord("8", ("Dilnoza",), ("Saidova",), (), "F", None),
        PersonRecord("7", ("Акмал",), ("Каримов",), (), None, None, document_numbers=("A1",)),
    ]
    summary = run_batch(con, sourced(records))
    assert summary.rows == 3 and summary.records == 2
    assert [(d.record_id, d.row_numbers) for d in summary.duplicate_ids] == [("7", (2, 4))]
    merged = con.execute(
        "SELECT given_exact, sex, birth_date, doc_norm FROM records WHERE record_id = '7'"
    ).fetchall()
    assert [(sorted(g), sex, birth, documents) for g, sex, birth, documents in merged] == [
        (["akmal", "акмал"], "M", date(1990, 5, 17), ["A1"])
    ]


def test_linking_pairs_records_across_sources_one_to_one() -> None:
    con = connect()
    registry = [
        PersonRecord("reg-1", ("Dilnoza",), ("Saidova",), (), "F", date(1992, 5, 6)),
        PersonRecord(
            "reg-2", ("Dilnoza",), ("Saidova",), (), "F", date(1992, 5, 6), document_numbers=("A2",)
        ),
    ]
    imported = [PersonRecord("imp-1", ("Дилноза",), ("Саидова",), (), "F", date(1992, 5, 6))]
    options = BatchOptions(
        link_only=True, cluster=ClusterOptions(duplicate_free_sources=frozenset({"import"}))
    )
    run_batch(con, sourced(registry, "registry") + sourced(imported, "import"), options=options)
    pairs = con.execute("SELECT unique_id_l, unique_id_r FROM predictions").fetchall()
    sources = dict(con.execute("SELECT unique_id, source_dataset FROM records").fetchall())
    assert pairs and all(sources[left] != sources[right] for left, right in pairs)


def _splink_blocked_pairs(con: duckdb.DuckDBPyConnection, *, link_only: bool) -> set[tuple[int, int]]:
    from splink import DuckDBAPI, Linker

    settings = starting_settings(link_only=link_only)
    settings["blocking_rules_to_generate_predictions"] = blocking_rules(link_only=link_only)
    linker = Linker(DuckDBAPI(connection=con).register("records"), settings, log_level=None)
    found = linker.inference.compute_blocked_pairs_for_predict()
    return {
        (int(left), int(right))
        for left, right in con.execute(f"SELECT join_key_l, join_key_r FROM {found.physical_name}").fetchall()  # noqa: S608
    }


@pytest.mark.parametrize("link_only", [False, True])
def test_blocked_pairs_are_the_blocking_rules_pairs(link_only: bool) -> None:
    """karvon forms the candidate pairs itself (ADR 0104): exactly those of Splink's exploded blocking rule."""
    con = connect()
    records = [record for pair in PAIRS for record in pair] + list(household())
    # Alternate sources, so that both members of each pair and of the household meet across them.
    load_records(con, sourced(records[::2], "registry") + sourced(records[1::2], "import"))
    merge_duplicate_ids(con, max_block_size=100)
    count = block_pairs(con, link_only=link_only)
    ours = {
        (int(a), int(b))
        for a, b in con.execute("SELECT join_key_l, join_key_r FROM blocked_pairs").fetchall()
    }
    assert count == len(ours) > 10
    assert ours == _splink_blocked_pairs(con, link_only=link_only)


def test_contradiction_by_low_score_or_only_by_disagreement() -> None:
    """A record without date or document scores low against its person's other records. With the rule before
    28 November 2026 (`min_disagreement_bits=None`) that alone is a contradiction; by default only
    disagreement is (dates months apart, another nationality, another document), not little evidence."""
    records = [
        PersonRecord(
            "full", ("Mehrangez",), ("Nazarova",), (), "F", date(1998, 1, 18), nationality="UZB",
            document_numbers=("AA7783524",),
        ),
        PersonRecord("sparse", ("MEKHARNGEZ",), ("NAZAROVA",), (), "F", None, "unknown"),
        PersonRecord(
            "other", ("Mehrangez",), ("Nazarova",), (), "F", date(1998, 7, 30), nationality="KGZ",
            place_of_birth="Osh", document_numbers=("AC1234567",),
        ),
    ]  # fmt: skip
    con = connect()
    summary = run_batch(con, sourced(records))
    ids = dict(con.execute("SELECT record_id, unique_id FROM records").fetchall())
    score_only = _ContradictionChecker(con, summary.model, ClusterOptions(min_disagreement_bits=None))
    disagreement = _ContradictionChecker(con, summary.model, ClusterOptions())
    for checker in (score_only, disagreement):
        checker.prepare(list(ids.values()))
    assert score_only.contradicts(ids["full"], ids["sparse"])  # scored below 0.5
    assert not disagreement.contradicts(ids["full"], ids["sparse"])  # but nothing disagrees
    assert score_only.contradicts(ids["full"], ids["other"])
    assert disagreement.contradicts(ids["full"], ids["other"])


def test_a_record_short_of_evidence_joins_its_person_when_the_clusters_agree_on_average() -> None:
    """A passport-only record (no date) and a register record without document share only the name: their
    pair scores below 0.5, and the rule before 28 November 2026 kept the passport record out of the person's
    cluster although its passport matches the person's other record. Average linkage lets it in."""
    records = [
        PersonRecord(
            "passport", ("MEKHARNGEZ",), ("NAZAROVA",), (), "F", None, "unknown",
            document_numbers=("AA7783524",),
        ),
        PersonRecord(
            "register", ("Мехрангез",), ("Назарова",), (), "F", date(1998, 1, 18), nationality="UZB",
        ),
        PersonRecord(
            "form", ("Mehrangez",), ("Nazarova",), (), "F", date(1998, 1, 18), nationality="UZB",
            document_numbers=("AA7783524",),
        ),
    ]  # fmt: skip
    con = connect()
    summary = run_batch(con, sourced(records))
    assert frozenset({"passport", "register", "form"}) in clusters_of(con)
    ids = dict(con.execute("SELECT record_id, unique_id FROM records").fetchall())
    checker = _ContradictionChecker(con, summary.model, ClusterOptions())
    checker.prepare(list(ids.values()))
    assert checker.judge(ids["passport"], ids["register"])[1] < 0  # the pair alone: more likely two people
    before = ClusterOptions(min_disagreement_bits=None, average_linkage=False)
    stats = cluster(con, summary.model, before)
    assert stats.merges_refused_contradiction == 1
    assert frozenset({"passport", "register", "form"}) not in clusters_of(con)


class _Judged:
    """A contradiction checker that answers from a table: (a, b) -> (contradicts, match weight)."""

    def __init__(self, pairs: dict[tuple[int, int], tuple[bool, float]]) -> None:
        self.pairs = pairs
        self.sources: dict[int, str] = {}

    def judge(self, a: int, b: int) -> tuple[bool, float]:
        return self.pairs[(min(a, b), max(a, b))]


def test_a_namesake_whose_one_edge_barely_passes_stays_out_on_average() -> None:
    """Record 1 joins the cluster {2, 3} by an edge just above 0.8 (2.5 bits); against 3 it scores -3 bits
    without any field disagreeing: no contradiction, but the pairs across average below the threshold's 2 bits."""
    checker = _Judged({(1, 3): (False, -3.0)})
    refusal = _refusal([1], [2, 3], (1, 2, 2.5), checker, ClusterOptions())  # type: ignore[arg-type]
    assert refusal == "average"
    # A strong edge carries the same pair: (12 - 3) / 2 bits.
    assert _refusal([1], [2, 3], (1, 2, 12.0), checker, ClusterOptions()) is None  # type: ignore[arg-type]
    # Without average linkage (and without the score rule) nothing stops it.
    single = ClusterOptions(average_linkage=False)
    assert _refusal([1], [2, 3], (1, 2, 2.5), checker, single) is None  # type: ignore[arg-type]
