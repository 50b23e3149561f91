"""Batch deduplication and linkage of people with Splink on DuckDB, over karvon_match's name features."""

# SQL here is assembled from this module's own column names and numbers only; values from input files
# reach DuckDB as Arrow tables or query parameters. Hence no S608 (string-built SQL) findings.
# ruff: noqa: S608

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
import multiprocessing
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type information

from karvon_match import (
    FIELDS,
    Comparison,
    MatchWeights,
    PersonFeatures,
    PersonRecord,
    TermFrequencies,
    blocking_keys,
    compare,
    person_features,
    score,
)
from karvon_match.compare import TF_NAMESPACES
from karvon_match.dates import NEAR_DAYS
from karvon_match.features import NameFeatures, Spelling

logger = logging.getLogger(__name__)

# The recipe of the feature columns and of the SQL levels over them. A stored model names the version it
# was trained with; bump when a column or a level condition changes, and retrain.
FEATURE_VERSION = 3
DEFAULT_SOURCE = "input"
# Name parts and the karvon_match field each one feeds.
NAME_PARTS = {
    "given": "given_name",
    "family": "family_name",
    "patronymic": "patronymic",
    "place": "place_of_birth",
}
# Variant readings multiply across the words of a name; beyond this many whole-name keys the rest are
# left to the skeleton and word levels.
MAX_COMBINATIONS = 16
JW_HIGH = 0.92
JW_MID = 0.85
# Two documents one edit apart mean little when the numbers are short (karvon_match.documents).
MIN_DOCUMENT_LENGTH_FOR_EDIT = 6
FEATURE_CHUNK = 5_000


# --- Feature columns ---------------------------------------------------------------------------------------


def _combinations(options: Sequence[frozenset[str]]) -> set[str]:
    """Whole-name keys: one reading per word, words sorted so word order does not matter."""
    if not options or any(not o for o in options):
        return set()
    keys: set[str] = set()
    for combo in itertools.islice(itertools.product(*(sorted(o) for o in options)), MAX_COMBINATIONS):
        keys.add(" ".join(sorted(combo)))
    return keys


@dataclass(frozen=True, slots=True)
class _NameColumns:
    exact: list[str]
    folds: list[str]
    skels: list[str]
    words: list[str]
    wordforms: list[str]
    exact1: str | None
    folded: str | None
    skel1: str | None
    ntok: int | None
    gender: str | None
    stems: list[str]
    suffix: str | None
    roots: list[str]


def _spelling_sets(spelling: Spelling) -> tuple[set[str], set[str]]:
    folds = _combinations([t.folds for t in spelling.tokens]) | set(spelling.joined.folds)
    skels = _combinations([t.skeletons for t in spelling.tokens]) | set(spelling.joined.skeletons)
    return folds, skels


# Registers repeat the same spellings endlessly: the columns of each distinct set of spellings are built
# once. Bounded: cleared when full.
_NAME_COLUMNS_CACHE: dict[tuple[str, ...], tuple[Any, ...]] = {}
NAME_COLUMNS_CACHE_LIMIT = 1 << 17


def name_columns(names: NameFeatures) -> _NameColumns:
    """The columns SQL compares for one name part (all spellings pooled; scalars from the first)."""
    return _NameColumns(*name_column_values(names))


def name_column_values(names: NameFeatures) -> tuple[Any, ...]:
    """`name_columns` as a tuple in `_NAME_SCHEMA` order, remembered per distinct set of spellings."""
    key = tuple(s.key for s in names.spellings)
    found = _NAME_COLUMNS_CACHE.get(key)
    if found is None:
        if len(_NAME_COLUMNS_CACHE) >= NAME_COLUMNS_CACHE_LIMIT:
            _NAME_COLUMNS_CACHE.clear()
        columns = _name_columns(names)
        found = _NAME_COLUMNS_CACHE[key] = tuple(getattr(columns, name) for name, _ in _NAME_SCHEMA)
    return found


def _name_columns(names: NameFeatures) -> _NameColumns:
    exact: set[str] = set()
    folds: set[str] = set()
    skels: set[str] = set()
    words: set[str] = set()
    wordforms: set[str] = set()
    stems: set[str] = set()
    roots: set[str] = set()
    for spelling in names.spellings:
        exact.add(spelling.exact)
        spelling_folds, spelling_skels = _spelling_sets(spelling)
        folds |= spelling_folds
        skels |= spelling_skels
        for token in spelling.tokens:
            wordforms |= token.folds
            wordforms |= {"s:" + s for s in token.skeletons}
            stems |= token.stems
            roots |= token.roots
    first = names.spellings[0] if names.spellings else None
    if first is not None:
        words = {t.folded for t in first.tokens if t.folded}
        words |= {"s:" + min(t.skeletons) for t in first.tokens if t.skeletons}
    last_token = first.tokens[-1] if first is not None else None
    return _NameColumns(
        exact=sorted(exact),
        folds=sorted(folds),
        skels=sorted(skels),
        words=sorted(words),
        wordforms=sorted(wordforms),
        exact1=first.exact if first is not None else None,
        folded=" ".join(sorted(t.folded for t in first.tokens)) if first is not None else None,
        skel1=min(first.joined.skeletons, default=None) if first is not None else None,
        ntok=len(first.tokens) if first is not None else None,
        gender=first.gender if first is not None else None,
        stems=sorted(stems),
        suffix=(last_token.suffix_kind or None) if last_token is not None else None,
        roots=sorted(roots),
    )


_STR = pa.string()
_STRS = pa.list_(pa.string())
_NAME_SCHEMA = [
    ("exact", _STRS), ("folds", _STRS), ("skels", _STRS), ("words", _STRS),
    ("wordforms", _STRS), ("exact1", _STR), ("folded", _STR), ("skel1", _STR), ("ntok", pa.int32()),
    ("gender", _STR), ("stems", _STRS),
    ("suffix", _STR), ("roots", _STRS),
]  # fmt: skip
# Raw values, kept so that records can be rebuilt for karvon_match (clustering checks, review).
_RAW_SCHEMA = [
    ("raw_given", _STRS), ("raw_family", _STRS), ("raw_patronymic", _STRS), ("raw_place", _STR),
    ("raw_documents", _STRS), ("stated_precision", _STR),
]  # fmt: skip
ROW_SCHEMA = pa.schema(
    [("row_number", pa.int64()), ("source_dataset", _STR), ("record_id", _STR)]
    + [(f"{part}_{name}", kind) for part in NAME_PARTS for name, kind in _NAME_SCHEMA]
    + [
        ("sex", _STR), ("nationality", _STR), ("birth_date", pa.date32()), ("birth_precision", _STR),
        ("birth_year", pa.int32()), ("birth_month", pa.int32()), ("birth_day", pa.int32()),
        ("doc_norm", _STRS), ("doc_ocr", _STRS), ("doc_first", _STR), ("blocking_keys", _STRS),
    ]
    + _RAW_SCHEMA
)  # fmt: skip
LIST_COLUMNS = [f.name for f in ROW_SCHEMA if pa.types.is_list(f.type)]
SCALAR_COLUMNS = [
    f.name
    for f in ROW_SCHEMA
    if not pa.types.is_list(f.type) and f.name not in ("row_number", "source_dataset", "record_id")
]
# The SQL levels compare hashes of the list columns, not the strings. A pair of records is a join of
# two wide rows, and DuckDB copies every list of strings into each of the ~100 million pairs of a large
# file; a 64-bit hash is a fixed-width value. Lists compared as "share any element" become the first
# element's hash (a scalar: most lists hold one element) plus a list of the others' hashes, NULL when
# there are none; lists compared as "holds all of" become lists of hashes. Same answers (up to a 64-bit
# hash collision), about 40 % less time scoring (docs/performance.md).
ANY_ELEMENT_COLUMNS = [
    *(f"{part}_{name}" for part in NAME_PARTS for name in ("exact", "folds", "skels", "stems", "roots")),
    "doc_norm",
    "doc_ocr",
]
ALL_ELEMENTS_COLUMNS = [f"{part}_{name}" for part in NAME_PARTS for name in ("words", "wordforms")]
HASHED_COLUMNS = [
    *(f"{column}_{suffix}" for column in ANY_ELEMENT_COLUMNS for suffix in ("h0", "hx")),
    *(f"{column}_h" for column in ALL_ELEMENTS_COLUMNS),
]


class SqlDialect:
    """How the SQL levels and the hashed columns are spelled for one engine: DuckDB's here.

    The levels are Splink `sql_condition`s over the feature columns; engines differ only in a few function
    names and in the hash. `karvon.matching.batch_spark.SparkSql` spells them for Spark.
    """

    name = "duckdb"

    def list_contains(self, items: str, element: str) -> str:
        return f"list_contains({items}, {element})"

    def lists_overlap(self, left: str, right: str) -> str:
        return f"list_has_any({left}, {right})"

    def list_holds_all(self, items: str, of: str) -> str:
        """`items` holds every element of `of`."""
        return f"list_has_all({items}, {of})"

    def jaro_winkler(self, left: str, right: str) -> str:
        return f"jaro_winkler_similarity({left}, {right})"

    def days_apart(self, left: str, right: str) -> str:
        return f"abs(date_diff('day', {left}, {right}))"

    def first_element_hash(self, column: str) -> str:
        """The 64-bit hash of the list's first element; NULL when it has none."""
        return f"CASE WHEN {column}[1] IS NOT NULL THEN hash({column}[1]) END"

    def other_elements_hashes(self, column: str) -> str:
        """Hashes of the list's other (non-NULL) elements; NULL when it has at most one element."""
        return (
            f"CASE WHEN len({column}) > 1 THEN list_transform(list_filter({column}[2:], lambda s: s IS NOT NULL),"
            f" lambda s: hash(s)) END"
        )

    def element_hashes(self, column: str) -> str:
        return f"list_transform({column}, lambda s: hash(s))"


DUCKDB_SQL = SqlDialect()


def _hashed_columns_sql(sql: SqlDialect = DUCKDB_SQL) -> str:
    """Select expressions for `HASHED_COLUMNS` from the string list columns."""
    first = [f"{sql.first_element_hash(c)} AS {c}_h0" for c in ANY_ELEMENT_COLUMNS]
    rest = [f"{sql.other_elements_hashes(c)} AS {c}_hx" for c in ANY_ELEMENT_COLUMNS]
    whole = [f"{sql.element_hashes(c)} AS {c}_h" for c in ALL_ELEMENTS_COLUMNS]
    return ", ".join(first + rest + whole)


@dataclass(frozen=True, slots=True)
class SourcedRecord:
    """A record with where it came from: the file row and the dataset (registry, import, ...)."""

    row_number: int
    source_dataset: str
    record: PersonRecord


def feature_row(item: SourcedRecord) -> tuple[Any, ...]:
    """One row of `ROW_SCHEMA` for a record."""
    record = item.record
    features = person_features(record)
    values: list[Any] = [item.row_number, item.source_dataset, record.record_id]
    parts: dict[str, NameFeatures] = {
        "given": features.given,
        "family": features.family,
        "patronymic": features.patronymic,
        "place": features.place,
    }
    for part in NAME_PARTS:
        values.extend(name_column_values(parts[part]))
    birth = features.birth
    value = birth.value
    documents = features.documents
    values.extend(
        [
            features.sex,
            features.nationality,
            value,
            birth.precision if value is not None else None,
            value.year if value else None,
            value.month if value else None,
            value.day if value else None,
            sorted({d.normalised for d in documents}) or None,
            sorted({d.ocr for d in documents}) or None,
            documents[0].ocr if documents else None,
            sorted(blocking_keys(features) | extra_blocking_keys(features)),
            list(record.given_names),
            list(record.family_names),
            list(record.patronymics),
            record.place_of_birth,
            list(record.document_numbers),
            record.birth_date_precision,
        ]
    )
    return tuple(values)


def _head(names: NameFeatures) -> str | None:
    """First two letters of the first word's consonant skeleton: a coarse key that survives typos at the end."""
    for spelling in names.spellings:
        skeletons = spelling.tokens[0].skeletons
        if skeletons:
            return min(skeletons)[:2]
    return None


def extra_blocking_keys(features: PersonFeatures) -> set[str]:
    """Keys beyond karvon_match's, for records whose names are badly mistyped or replaced:

    * ``dn:`` exact date of birth with the head of the given or the family name skeleton (one prefix for
      both, so records with the names crossed meet),
    * ``dp:`` exact date of birth with the place of birth,
    * ``dh:``/``dt:`` each half of the document number with the head of the given or the family name
      skeleton (one mistyped digit leaves the other half intact; either name may be mistyped or crossed).
    """
    keys: set[str] = set()
    birth = features.birth
    given, family = _head(features.given), _head(features.family)
    if birth.value is not None and birth.precision == "exact":
        day = birth.value.isoformat()
        keys.update(f"dn:{day}:{head}" for head in {given, family} - {None})
        for spelling in features.place.spellings[:1]:
            keys.add(f"dp:{day}:{spelling.joined.folded}")
    for head in {given, family} - {None}:
        for document in features.documents:
            # Series letters (AA, P) are shared by a whole country's passports: halves of the number only.
            number = document.ocr.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            half = len(number) // 2
            if half >= 3:
                keys.add(f"dh:{number[:half]}:{head}")
                keys.add(f"dt:{number[half:]}:{head}")
    return keys


def _feature_batch(items: Sequence[SourcedRecord]) -> pa.RecordBatch:
    rows = [feature_row(item) for item in items]
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [[] for _ in ROW_SCHEMA]
    return pa.RecordBatch.from_arrays(
        [pa.array(list(c), type=f.type) for c, f in zip(columns, ROW_SCHEMA, strict=True)], schema=ROW_SCHEMA
    )


def _chunks(items: Iterable[SourcedRecord], size: int) -> Iterator[list[SourcedRecord]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def feature_batches(items: Iterable[SourcedRecord], workers: int = 1) -> Iterator[pa.RecordBatch]:
    """Feature batches in input order; with `workers` > 1, computed in worker processes (bounded queue)."""
    if workers <= 1:
        for chunk in _chunks(items, FEATURE_CHUNK):
            yield _feature_batch(chunk)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: list[Future[pa.RecordBatch]] = []
        for chunk in _chunks(items, FEATURE_CHUNK):
            pending.append(pool.submit(_feature_batch, chunk))
            # Keep memory bounded: never more than two chunks per worker in flight.
            while len(pending) > 2 * workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _run(con: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[Any] | None = None) -> None:
    """Execute a statement and drain its result (DuckDB refuses new work while a result is pending)."""
    con.execute(sql, parameters).fetchall()


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


# --- The record table -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DuplicateRecordId:
    """Rows that share a record_id: merged into one record (all spellings and documents kept)."""

    record_id: str
    source_dataset: str
    row_numbers: tuple[int, ...]


def connect(
    database: str = ":memory:", *, memory_limit: str | None = None, temp_directory: Path | None = None
) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(database)
    if memory_limit:
        _run(con, f"SET memory_limit = '{memory_limit}'")
    if temp_directory is not None:
        _run(con, f"SET temp_directory = '{temp_directory}'")
    # Output order is decided by explicit ORDER BY; not keeping insertion order lets DuckDB stream.
    _run(con, "SET preserve_insertion_order = false")
    return con


def load_records(con: duckdb.DuckDBPyConnection, items: Iterable[SourcedRecord], *, workers: int = 1) -> int:
    """Compute features batch by batch into the `input_rows` table; returns the number of rows."""
    _run(con, "DROP TABLE IF EXISTS input_rows")
    empty = pa.Table.from_batches([], schema=ROW_SCHEMA)
    con.register("empty_rows", empty)
    _run(con, "CREATE TABLE input_rows AS SELECT * FROM empty_rows")
    con.unregister("empty_rows")
    count = 0
    for batch in feature_batches(items, workers):
        con.register("feature_batch", batch)
        _run(con, "INSERT INTO input_rows SELECT * FROM feature_batch")
        con.unregister("feature_batch")
        count += batch.num_rows
    return count


def merge_duplicate_ids(con: duckdb.DuckDBPyConnection, *, max_block_size: int) -> list[DuplicateRecordId]:
    """Build `records`: one row per (source, record_id), rows sharing an id merged, integer `unique_id`.

    Lists are pooled (every spelling and document of every row); scalars come from the first row that has
    them. Blocking keys shared by more than `max_block_size` records are refined or dropped: such a key
    (a very common name and year) would make millions of pairs that other keys mostly cover.
    """
    lists = ", ".join(
        f"list_distinct(flatten(list({c}) FILTER (WHERE {c} IS NOT NULL))) AS {c}" for c in LIST_COLUMNS
    )
    scalars = ", ".join(
        f"arg_min({c}, row_number) FILTER (WHERE {c} IS NOT NULL) AS {c}" for c in SCALAR_COLUMNS
    )
    # Most ids are unique: only rows sharing an id go through the (costly) merge.
    _run(
        con,
        """
        CREATE OR REPLACE TEMP TABLE shared_ids AS
        SELECT source_dataset, record_id FROM input_rows GROUP BY ALL HAVING count(*) > 1
    """,
    )
    _run(
        con,
        f"""
        CREATE OR REPLACE TABLE merged AS
        SELECT i.source_dataset, i.record_id, i.row_number, 1 AS row_count,
               {", ".join(f"i.{c}" for c in LIST_COLUMNS + SCALAR_COLUMNS)}
        FROM input_rows i ANTI JOIN shared_ids USING (source_dataset, record_id)
        UNION ALL BY NAME
        SELECT source_dataset, record_id, min(row_number) AS row_number, count(*) AS row_count,
               {lists}, {scalars}
        FROM input_rows SEMI JOIN shared_ids USING (source_dataset, record_id)
        GROUP BY source_dataset, record_id
    """,
    )
    # The date parts must come from one row, not each from the first row that has it.
    _run(
        con,
        """
        UPDATE merged SET birth_date = d.birth_date, birth_precision = d.birth_precision,
            birth_year = d.birth_year, birth_month = d.birth_month, birth_day = d.birth_day
        FROM (SELECT source_dataset, record_id, arg_min(birth_date, row_number) AS birth_date,
                     arg_min(birth_precision, row_number) AS birth_precision,
                     arg_min(birth_year, row_number) AS birth_year,
                     arg_min(birth_month, row_number) AS birth_month,
                     arg_min(birth_day, row_number) AS birth_day
              FROM input_rows SEMI JOIN shared_ids USING (source_dataset, record_id)
              WHERE birth_date IS NOT NULL GROUP BY ALL) AS d
        WHERE merged.row_count > 1 AND merged.source_dataset = d.source_dataset
          AND merged.record_id = d.record_id
    """,
    )
    duplicates = [
        DuplicateRecordId(record_id, source, tuple(rows))
        for source, record_id, rows in con.execute("""
            SELECT source_dataset, record_id, list(row_number ORDER BY row_number) FROM input_rows
            SEMI JOIN shared_ids USING (source_dataset, record_id)
            GROUP BY ALL ORDER BY min(row_number)
        """).fetchall()
    ]
    cap = int(max_block_size)
    # Adaptive blocking: a key shared by too many records (Muhammad + 1990) is refined with a second
    # feature (the other name's skeleton head, or the birth year) rather than dropped; a key still too
    # large after that is dropped, its pairs left to the record's other keys.
    _run(
        con,
        f"""
        CREATE OR REPLACE TABLE record_keys AS
        WITH exploded AS (
            SELECT source_dataset, record_id, given_skel1, family_skel1, birth_year,
                   unnest(blocking_keys) AS key
            FROM merged),
        sized AS (SELECT *, count(*) OVER (PARTITION BY key) AS n FROM exploded),
        refined AS (
            SELECT source_dataset, record_id, CASE
                WHEN n <= {cap} THEN key
                WHEN starts_with(key, 'fy:') THEN key || '|' || coalesce(left(given_skel1, 2), '-')
                WHEN starts_with(key, 'gy:') THEN key || '|' || coalesce(left(family_skel1, 2), '-')
                WHEN starts_with(key, 'sk:') AND birth_year IS NOT NULL THEN key || '|' || birth_year
                END AS key
            FROM sized)
        SELECT source_dataset, record_id, key
        FROM (SELECT *, count(*) OVER (PARTITION BY key) AS n FROM refined WHERE key IS NOT NULL)
        WHERE n <= {cap}
    """,
    )
    _run(
        con,
        f"""
        CREATE OR REPLACE TABLE records AS
        WITH kept AS (SELECT source_dataset, record_id, list(key) AS keys FROM record_keys GROUP BY ALL)
        SELECT row_number() OVER (ORDER BY m.source_dataset, m.row_number) AS unique_id,
               m.* REPLACE (coalesce(kept.keys, []::VARCHAR[]) AS blocking_keys),
               {_hashed_columns_sql()}
        FROM merged m LEFT JOIN kept USING (source_dataset, record_id)
    """,
    )
    _run(con, "DROP TABLE record_keys")
    _run(con, "DROP TABLE merged")
    return duplicates


# --- Splink settings over the feature columns -------------------------------------------------------------


def _level(label: str, condition: str, *, null: bool = False, tf_column: str | None = None) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": condition, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    if tf_column:
        level["tf_adjustment_column"] = tf_column
        level["tf_adjustment_weight"] = 1.0
        # The level's own u is the baseline, as in karvon_match.score (not a separate exact-match level).
        level["disable_tf_exact_match_detection"] = True
    return level


def _has_any(column: str, sql: SqlDialect = DUCKDB_SQL) -> str:
    """The two records' `column` lists share an element (over `HASHED_COLUMNS`; NULL counts as false)."""
    c = column
    return (
        f"({c}_h0_l = {c}_h0_r OR {sql.list_contains(f'{c}_hx_r', f'{c}_h0_l')}"
        f" OR {sql.list_contains(f'{c}_hx_l', f'{c}_h0_r')} OR {sql.lists_overlap(f'{c}_hx_l', f'{c}_hx_r')})"
    )


def _has_all(column: str, of: str, sql: SqlDialect = DUCKDB_SQL) -> str:
    """`column` of one record holds every element of `of` of the other, either way round."""
    return (
        f"({sql.list_holds_all(f'{column}_h_r', f'{of}_h_l')}"
        f" OR {sql.list_holds_all(f'{column}_h_l', f'{of}_h_r')})"
    )


def _name_comparison(
    part: str,
    *,
    family: bool = False,
    gendered: bool = False,
    crossed_with: str | None = None,
    sql: SqlDialect = DUCKDB_SQL,
) -> dict[str, Any]:
    """Levels mirroring karvon_match.compare for one name part (see docs/matching.md for the differences)."""
    p = part
    # One term frequency for every agreeing level: the name's, counted over all its spellings (its
    # consonant skeleton; see karvon_match.compare.tf_keys).
    tf = f"{p}_skel1" if part != "place" else None  # a place's u is estimated among namesakes instead
    crossed = crossed_exact = ""
    if crossed_with is not None:
        # Given and family names crossed between the records (karvon_match.compare does the same).
        # Compared on the main folded form and skeleton only: scalar equality is far cheaper than lists,
        # and this test runs on nearly every pair.
        c = crossed_with
        crossed_exact = f" OR ({p}_exact1_l = {c}_exact1_r AND {c}_exact1_l = {p}_exact1_r)"
        # One crossed pair may be mistyped (Ahmadi/Abdurrahim against Abdurrahim/Ahadi).
        crossed = (
            f" OR ({p}_folded_l = {c}_folded_r AND {c}_folded_l = {p}_folded_r)"
            f" OR ({p}_skel1_l = {c}_skel1_r AND {c}_skel1_l = {p}_skel1_r)"
            f" OR ({p}_folded_l = {c}_folded_r AND {sql.jaro_winkler(f'{c}_folded_l', f'{p}_folded_r')} >= {JW_MID})"
            f" OR ({c}_folded_l = {p}_folded_r AND {sql.jaro_winkler(f'{p}_folded_l', f'{c}_folded_r')} >= {JW_MID})"
        )
    conflict = f"({p}_gender_l IS NOT NULL AND {p}_gender_r IS NOT NULL AND {p}_gender_l <> {p}_gender_r)"
    gendered_condition = (
        f"{conflict} AND ({_has_any(p + '_folds', sql)} OR {_has_any(p + '_skels', sql)}"
        + (f" OR {_has_any(p + '_stems', sql)}" if family else "")
        + ")"
    )
    subset = f"{p}_ntok_l <> {p}_ntok_r AND {_has_all(p + '_wordforms', p + '_words', sql)}"
    jw = sql.jaro_winkler(f"{p}_folded_l", f"{p}_folded_r")
    levels = [
        _level("missing", f"{p}_folded_l IS NULL OR {p}_folded_r IS NULL", null=True),
        _level("exact", _has_any(f"{p}_exact", sql) + crossed_exact, tf_column=tf),
        _level("gendered_variant", gendered_condition if gendered else "FALSE"),
        _level("transliterated", _has_any(f"{p}_folds", sql) + crossed, tf_column=tf),
        _level("skeleton", _has_any(f"{p}_skels", sql), tf_column=tf),
        _level(
            "suffix_variant",
            f"{p}_suffix_l <> {p}_suffix_r AND {_has_any(p + '_roots', sql)}" if family else "FALSE",
        ),
        _level("subset", subset),
        _level("jw_high", f"{jw} >= {JW_HIGH}"),
        _level("jw_mid", f"{jw} >= {JW_MID}"),
        _level("differs", "ELSE"),
    ]
    return {
        "output_column_name": NAME_PARTS[part],
        "comparison_levels": levels,
        "comparison_description": f"{NAME_PARTS[part]} (karvon_match levels)",
    }


def _birth_date_comparison(sql: SqlDialect = DUCKDB_SQL) -> dict[str, Any]:
    both_exact = "(birth_precision_l = 'exact' AND birth_precision_r = 'exact')"
    same_year = "birth_year_l = birth_year_r"
    days = sql.days_apart("birth_date_l", "birth_date_r")
    years = "abs(birth_year_l - birth_year_r)"
    fine = "('exact', 'month')"
    one_part = (
        "(birth_day_l = birth_day_r AND (birth_year_l = birth_year_r"
        " OR (birth_month_l = birth_month_r AND abs(birth_year_l - birth_year_r) = 1)))"
    )
    levels = [
        _level("missing", "birth_date_l IS NULL OR birth_date_r IS NULL", null=True),
        _level("exact", f"{both_exact} AND birth_date_l = birth_date_r"),
        _level(
            "day_month_swap",
            f"{both_exact} AND {same_year} AND birth_day_l = birth_month_r AND birth_month_l = birth_day_r",
        ),
        _level(
            "month_agrees",
            f"{same_year} AND birth_month_l = birth_month_r AND birth_precision_l IN {fine}"
            f" AND birth_precision_r IN {fine}",
        ),
        _level("near", f"{both_exact} AND ({days} <= {NEAR_DAYS} OR {one_part})"),
        _level("year_agrees", f"NOT {both_exact} AND {same_year}"),
        _level("within_1_year", f"NOT {both_exact} AND {years} <= 1"),
        _level("months_apart", f"{both_exact} AND {days} <= 366"),
        _level("within_3_years", f"({both_exact} AND {days} <= 1098) OR (NOT {both_exact} AND {years} <= 3)"),
        _level("differs", "ELSE"),
    ]
    return {
        "output_column_name": "birth_date",
        "comparison_levels": levels,
        "comparison_description": "birth_date (karvon_match levels)",
    }


def _exact_comparison(name: str, column: str) -> dict[str, Any]:
    levels = [
        _level("missing", f"{column}_l IS NULL OR {column}_r IS NULL", null=True),
        _level("exact", f"{column}_l = {column}_r"),
        _level("differs", "ELSE"),
    ]
    return {"output_column_name": name, "comparison_levels": levels}


def _document_comparison(sql: SqlDialect = DUCKDB_SQL) -> dict[str, Any]:
    levels = [
        # doc_first is NULL exactly when a record has no document (a scalar: cheaper than the list).
        _level("missing", "doc_first_l IS NULL OR doc_first_r IS NULL", null=True),
        _level("exact", _has_any("doc_norm", sql)),
        _level("ocr_equal", _has_any("doc_ocr", sql)),
        _level(
            "edit_distance_1",
            f"least(length(doc_first_l), length(doc_first_r)) >= {MIN_DOCUMENT_LENGTH_FOR_EDIT}"
            " AND levenshtein(doc_first_l, doc_first_r) <= 1",
        ),
        _level("differs", "ELSE"),
    ]
    return {"output_column_name": "document", "comparison_levels": levels}


def comparisons(sql: SqlDialect = DUCKDB_SQL) -> list[dict[str, Any]]:
    """One comparison per karvon_match field, named and labelled as `MatchWeights.from_dict` reads them."""
    found = [
        _name_comparison("given", crossed_with="family", sql=sql),
        _name_comparison("family", family=True, gendered=True, crossed_with="given", sql=sql),
        _name_comparison("patronymic", gendered=True, sql=sql),
        _birth_date_comparison(sql),
        _exact_comparison("sex", "sex"),
        _exact_comparison("nationality", "nationality"),
        _name_comparison("place", sql=sql),
        _document_comparison(sql),
    ]
    assert [c["output_column_name"] for c in found] == list(FIELDS)
    return found


def blocking_rules(*, link_only: bool) -> list[dict[str, Any]]:
    """Records meet when they share a karvon_match blocking key (folded family + year, given + year,
    skeletons of given and family, document number)."""
    rule = "l.blocking_keys = r.blocking_keys"
    if link_only:
        rule += " AND l.source_dataset <> r.source_dataset"
    return [{"blocking_rule": rule, "arrays_to_explode": ["blocking_keys"]}]


def starting_settings(
    *, link_only: bool = False, weights: MatchWeights | None = None, sql: SqlDialect = DUCKDB_SQL
) -> dict[str, Any]:
    """A Splink settings dictionary with karvon_match's default weights as the starting point for training."""
    weights = weights or MatchWeights.default()
    found = comparisons(sql)
    for comparison in found:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            start = weights.level(comparison["output_column_name"], level["label_for_charts"])
            if start is not None and start.m is not None and start.u is not None:
                level["m_probability"] = start.m
                level["u_probability"] = start.u
            if level["sql_condition"] == "FALSE":
                # A level these columns never produce (a given name has no gendered ending): kept so the
                # exported model has every karvon_match level, with fixed default weights.
                level["fix_m_probability"] = True
                level["fix_u_probability"] = True
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": weights.prior,
        "comparisons": found,
        "blocking_rules_to_generate_predictions": blocking_rules(link_only=link_only),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
        "em_convergence": 0.001,
        "max_iterations": 25,
    }


# Probabilities are clamped into this range: EM can drive an unobserved level to 0, which has no log.
MIN_PROBABILITY = 1e-6
# No level may claim that true matches (almost) never show it: registers do record a wrong sex or
# nationality now and then, and a weight of -19 for that would overrule every other field.
MIN_M_PROBABILITY = 0.01


def complete_for_karvon(
    settings: Mapping[str, Any], fallback: MatchWeights | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The settings with every level carrying m and u in (0, 1], so `MatchWeights.from_dict` reads them.

    Levels that training never observed get karvon_match's default; returns their "field.level" names.
    """
    fallback = fallback or MatchWeights.default()
    completed = _deep_copy(settings)
    untrained: list[str] = []
    for comparison in completed["comparisons"]:
        name = comparison["output_column_name"]
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            label = level["label_for_charts"]
            default = fallback.level(name, label)
            for key in ("m_probability", "u_probability"):
                value = level.get(key)
                if not isinstance(value, int | float) or math.isnan(value):
                    if default is None:
                        raise ValueError(f"no default for {name}.{label}")
                    value = default.m if key == "m_probability" else default.u
                    untrained.append(f"{name}.{label}.{key[0]}")
                floor = (
                    MIN_M_PROBABILITY if key == "m_probability" and level["sql_condition"] != "FALSE" else 0
                )
                level[key] = min(max(float(value), MIN_PROBABILITY, floor), 1.0)
    prior = float(completed.get("probability_two_random_records_match") or fallback.prior)
    completed["probability_two_random_records_match"] = min(max(prior, 1e-12), 0.5)
    return completed, untrained


def _deep_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_deep_copy(v) for v in value]
    return value


# --- Training ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainedModel:
    """A Splink settings dictionary that `MatchWeights.from_dict` also reads, and the data's name frequencies.

    `training` says how it was trained (record count, EM sessions, levels left at default weights).
    """

    settings: Mapping[str, Any]
    term_frequencies: Mapping[str, Any]
    training: Mapping[str, Any] = field(default_factory=dict)
    feature_version: int = FEATURE_VERSION

    def match_weights(self) -> MatchWeights:
        return MatchWeights.from_dict(self.settings)

    def frequencies(self) -> TermFrequencies | None:
        if not self.term_frequencies.get("total"):
            return None
        return TermFrequencies.from_dict(self.term_frequencies)


# EM blocks: plain rules over scalar columns. Each leaves the fields it blocks on untrained in that session.
# No session blocks on given and family name together: those pairs are dominated by namesakes (very
# common names, fathers and sons), and EM then learns that a match may have any date of birth.
EM_BLOCKING_RULES = (
    # Same document: nearly all matches; trains names, dates, sex, nationality and place.
    "l.doc_first = r.doc_first",
    # Same exact date of birth: trains names, patronymic, documents.
    "l.birth_date = r.birth_date AND l.birth_precision = 'exact' AND r.birth_precision = 'exact'",
    # Same given name and birth year: trains family names (suffix and gender variants), place, documents.
    "l.given_folded = r.given_folded AND l.birth_year = r.birth_year",
)
# Rules precise enough to estimate how many pairs match: the same document, or the same folded names and date.
DETERMINISTIC_RULES = (
    "l.doc_first = r.doc_first",
    "l.given_folded = r.given_folded AND l.family_folded = r.family_folded AND l.birth_date = r.birth_date",
)


# Fields whose u is estimated among records that share a family name rather than among random pairs:
# nationality and place of birth follow from where a name comes from, so two people named Ahmadi agree
# on them far more often than two random people. Every scored pair shares a name or more (blocking),
# and fields are summed as if independent: with random-pair u, an Afghan name, AFG and Herat would be
# counted three times over.
CONDITIONAL_U_FIELDS = ("nationality", "place_of_birth")
CONDITIONAL_U_RECORDS = 5_000
CONDITIONAL_U_PARTNERS = 200
CONDITIONAL_U_MIN_PAIRS = 1_000


def conditional_u(
    con: duckdb.DuckDBPyConnection, settings: Mapping[str, Any], *, seed: int = 42
) -> dict[str, Any] | None:
    """`settings` with the u of `CONDITIONAL_U_FIELDS` estimated among namesakes, or None (too few pairs).

    Pairs: a sample of records, each with up to `CONDITIONAL_U_PARTNERS` records of the same family-name
    skeleton whose given name differs and whose document is not the same (nearly all different people;
    brothers and sisters among them share a place, which errs towards caution).
    """
    updated = _deep_copy(settings)
    comparisons = [c for c in updated["comparisons"] if c["output_column_name"] in CONDITIONAL_U_FIELDS]
    columns = sorted(
        ({f.name for f in ROW_SCHEMA} | set(HASHED_COLUMNS)) - {"row_number", "source_dataset", "record_id"}
    )
    selected = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in columns)
    cases = []
    for index, comparison in enumerate(comparisons):
        whens = " ".join(
            f"WHEN {level['sql_condition']} THEN {position}"
            for position, level in enumerate(comparison["comparison_levels"])
            if level["sql_condition"] != "ELSE"
        )
        cases.append(f"CASE {whens} ELSE {len(comparison['comparison_levels']) - 1} END AS gamma_{index}")
    rows = con.execute(f"""
        WITH l AS (SELECT * FROM records WHERE family_skel1 IS NOT NULL
                   ORDER BY hash(unique_id + {int(seed)}) LIMIT {CONDITIONAL_U_RECORDS}),
        r AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY family_skel1
                                                          ORDER BY hash(unique_id + {int(seed)})) AS rn
                             FROM records WHERE family_skel1 IS NOT NULL)
              WHERE rn <= {CONDITIONAL_U_PARTNERS}),
        pairs AS (SELECT {selected} FROM l JOIN r ON l.family_skel1 = r.family_skel1
                  AND l.unique_id <> r.unique_id
                  AND NOT list_has_any(coalesce(l.given_skels, []), coalesce(r.given_skels, []))
                  AND (l.doc_first IS NULL OR r.doc_first IS NULL OR l.doc_first <> r.doc_first))
        SELECT {", ".join(f"gamma_{i}" for i in range(len(comparisons)))}, count(*)
        FROM (SELECT {", ".join(cases)} FROM pairs) GROUP BY ALL
    """).fetchall()
    changed = False
    for index, comparison in enumerate(comparisons):
        levels = comparison["comparison_levels"]
        counts = [0] * len(levels)
        for row in rows:
            counts[row[index]] += row[-1]
        observed = sum(n for level, n in zip(levels, counts, strict=True) if not level.get("is_null_level"))
        if observed < CONDITIONAL_U_MIN_PAIRS:
            continue
        for level, n in zip(levels, counts, strict=True):
            if not level.get("is_null_level"):
                level["u_probability"] = max(n / observed, MIN_PROBABILITY)
        changed = True
    return updated if changed else None


def _quiet_splink() -> None:
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _linker(con: duckdb.DuckDBPyConnection, settings: Mapping[str, Any]) -> Any:
    from splink import DuckDBAPI, Linker

    _quiet_splink()
    db_api = DuckDBAPI(connection=con)
    # Splink copies its input table's columns into the tables it makes; the SQL levels read the hashed
    # list columns and scalars only, so the string lists (raw values, spellings, keys) stay behind.
    excluded = ", ".join(LIST_COLUMNS)
    _run(con, f"CREATE OR REPLACE VIEW scoring_records AS SELECT * EXCLUDE ({excluded}) FROM records")
    records = db_api.register("scoring_records")
    return Linker(records, dict(settings), log_level=None)


@dataclass(frozen=True, slots=True)
class TrainingOptions:
    u_max_pairs: float = 2e6
    em_max_pairs: float = 2e6
    deterministic_recall: float = 0.7
    seed: int = 42
    # Below this many records EM estimates noise: karvon_match's default weights are kept instead.
    min_records: int = 1_000


def name_frequencies(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Counts of the folded name words in `records`, as `TermFrequencies.to_dict` writes them.

    Plain keys are the main folded words of given, family and father's names; ``s:`` keys their consonant
    skeletons (what the levels are weighted by); ``p:`` and ``p:s:`` the same for places of birth.
    A skeleton's frequency is its count per record, as Splink's term-frequency tables count a value per
    row, so the batch SQL and karvon_match.score weigh a pair alike. Words seen once are left out:
    `TermFrequencies` counts an unseen word as seen once anyway.
    """
    # Each record's words counted once per field: a skeleton's frequency is the share of records with it.
    parts = " UNION ALL ".join(
        f"SELECT DISTINCT unique_id, '{TF_NAMESPACES[field]}:' || substr(unnest(list_filter({part}_words,"
        f" lambda w: starts_with(w, 's:'))), 3) AS word FROM records WHERE {part}_words IS NOT NULL"
        for part, field in NAME_PARTS.items()
    )
    rows = con.execute(f"""
        WITH words AS ({parts})
        SELECT word, count(*) FROM words GROUP BY word
    """).fetchall()
    records = _count(con, "records")
    return {
        "total": records,
        "totals": {namespace: records for namespace in TF_NAMESPACES.values()},
        "counts": {word: count for word, count in rows if count > 1},
    }


def train(
    con: duckdb.DuckDBPyConnection, *, link_only: bool = False, options: TrainingOptions = TrainingOptions()
) -> TrainedModel:
    """Unsupervised training on `records`: prior from precise rules, u by random sampling, m by EM.

    A step that cannot run on the data (too few records or no pairs under a rule) keeps the starting
    values (karvon_match's defaults) and is recorded in `training["skipped"]`.
    """
    settings = starting_settings(link_only=link_only)
    record_count = _count(con, "records")
    skipped: list[str] = []
    sessions: list[str] = []
    if record_count < options.min_records:
        completed, untrained = complete_for_karvon(settings)
        return TrainedModel(
            settings=completed,
            term_frequencies={},
            training={
                "records": record_count,
                "em_sessions": [],
                "untrained_levels": untrained,
                "skipped": [
                    f"all: {record_count} records, fewer than {options.min_records}; default weights"
                ],
                "options": dataclasses.asdict(options),
            },
        )
    linker = _linker(con, settings)
    try:
        linker.training.estimate_probability_two_random_records_match(
            list(DETERMINISTIC_RULES), recall=options.deterministic_recall
        )
    except Exception as error:  # Splink raises plain exceptions for data it cannot use
        skipped.append(f"prior: {error}")
    settings_object = linker._settings_obj
    if not 0 < settings_object._probability_two_random_records_match < 1:
        # No pair met the precise rules (a small file): keep the starting prior rather than zero.
        skipped.append("prior: no pair met the deterministic rules")
        settings_object._probability_two_random_records_match = settings[
            "probability_two_random_records_match"
        ]
    try:
        linker.training.estimate_u_using_random_sampling(max_pairs=options.u_max_pairs, seed=options.seed)
    except Exception as error:
        skipped.append(f"u: {error}")
    try:
        conditional = conditional_u(con, linker.misc.save_model_to_json(), seed=options.seed)
        if conditional:
            linker = _linker(con, conditional)
            sessions.append("u of " + ", ".join(CONDITIONAL_U_FIELDS) + " among namesakes")
    except Exception as error:
        skipped.append(f"conditional u: {error}")
    for rule in EM_BLOCKING_RULES:
        # A failed session can leave the linker's comparisons half replaced: restart from a snapshot.
        snapshot = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=options.em_max_pairs, estimate_without_term_frequencies=True
            )
            sessions.append(rule)
        except Exception as error:
            skipped.append(f"EM on {rule}: {error}")
            linker = _linker(con, snapshot)
    trained = linker.misc.save_model_to_json()
    completed, untrained = complete_for_karvon(trained)
    return TrainedModel(
        settings=completed,
        term_frequencies=name_frequencies(con),
        training={
            "records": record_count,
            "em_sessions": sessions,
            "skipped": skipped,
            "untrained_levels": untrained,
            "options": dataclasses.asdict(options),
        },
    )


# --- Prediction and clustering ----------------------------------------------------------------------------


def predict(
    con: duckdb.DuckDBPyConnection, model: TrainedModel, *, threshold: float, link_only: bool = False
) -> int:
    """Score blocked pairs into the `predictions` table (unique_id_l < unique_id_r); returns its row count."""
    settings = prediction_settings(model, link_only=link_only)
    counts = model.term_frequencies.get("counts") or {}
    records = int(model.training.get("records") or 0)
    lookups: list[tuple[str, str, float]] = []
    if counts and records:
        lookups = _per_level_tf_columns(con, settings)
    linker = _linker(con, settings)
    if counts and records:
        _register_frequencies(con, linker, counts, records, lookups)
    block_pairs(con, link_only=link_only)
    registered = linker.table_management.register_blocked_pairs_for_predict(
        linker._db_api.register("blocked_pairs")
    )
    # Splink then "prunes" its input to the records that appear in the pairs: two semi-joins that copy
    # nearly every record (about 25 s at a million records) to drop none, since every record with a key
    # that another record shares is in a pair. Scored as Splink scores the pairs it forms itself.
    registered.metadata["registered_for_predict"] = False
    scored = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    _run(
        con,
        f"""
        CREATE OR REPLACE TABLE predictions AS
        SELECT least(unique_id_l, unique_id_r) AS unique_id_l,
               greatest(unique_id_l, unique_id_r) AS unique_id_r,
               match_weight, match_probability
        FROM {scored.physical_name}
    """,
    )
    scored.drop_table_from_database_and_remove_from_cache()
    _run(con, "DROP TABLE blocked_pairs")
    return _count(con, "predictions")


def prediction_settings(model: TrainedModel, *, link_only: bool = False) -> dict[str, Any]:
    """The model's settings for scoring: today's blocking rule, and no term-frequency adjustment when the
    model has no frequencies (frequencies from a handful of records say nothing)."""
    settings = dict(_deep_copy(model.settings))
    settings["blocking_rules_to_generate_predictions"] = blocking_rules(link_only=link_only)
    counts = model.term_frequencies.get("counts") or {}
    records = int(model.training.get("records") or 0)
    if not (counts and records):
        for comparison in settings["comparisons"]:
            for level in comparison["comparison_levels"]:
                for key in (
                    "tf_adjustment_column",
                    "tf_adjustment_weight",
                    "disable_tf_exact_match_detection",
                ):
                    level.pop(key, None)
    return settings


# Unique ids are row numbers; two fit in one BIGINT, so a pair is deduplicated as one integer.
_PAIR_SHIFT = 32


def block_pairs(con: duckdb.DuckDBPyConnection, *, link_only: bool = False) -> int:
    """The `blocked_pairs` table Splink scores: every pair of records sharing a blocking key, once.

    The same pairs as `blocking_rules`, formed here rather than by Splink: records share several keys
    (about 100 million key pairs for a million records), and Splink's exploded blocking deduplicates
    them as pairs of ids twice over. Here keys are joined as 64-bit hashes and a pair is one integer
    (a hash collision only adds a pair to score, never removes one). Returns the number of pairs.
    """
    if _count(con, "records") >= 2**_PAIR_SHIFT:  # unique ids are 1..count
        raise ValueError(f"more than {2**_PAIR_SHIFT - 1:,} records in one batch")
    other_source = " AND l.source_dataset <> r.source_dataset" if link_only else ""
    _run(
        con,
        f"""
        CREATE OR REPLACE TABLE blocked_pairs AS
        WITH keys AS (SELECT unique_id, source_dataset, hash(unnest(blocking_keys)) AS key FROM records),
        pairs AS (
            SELECT DISTINCT (l.unique_id << {_PAIR_SHIFT}) | r.unique_id AS pair
            FROM keys l JOIN keys r ON l.key = r.key AND l.unique_id < r.unique_id{other_source})
        SELECT '0' AS match_key, pair >> {_PAIR_SHIFT} AS join_key_l,
               pair & {2**_PAIR_SHIFT - 1} AS join_key_r
        FROM pairs
    """,
    )
    return _count(con, "blocked_pairs")


# Term-frequency columns and the namespace of `name_frequencies` their values are counted under.
TF_COLUMNS = {f"{part}_skel1": f"{TF_NAMESPACES[field]}:" for part, field in NAME_PARTS.items()}


def _per_level_tf_columns(
    con: duckdb.DuckDBPyConnection, settings: dict[str, Any]
) -> list[tuple[str, str, float]]:
    """Give each term-frequency-adjusted level its own copy of the column, weighted by the level's share.

    Splink looks term frequencies up per column; a level's share of the field's agreement
    (`karvon_match.scoring.tf_shares`) differs per level, so each level reads a column of its own, and
    its lookup table holds frequency × share. Returns (column, level column, share); `settings` is changed.
    """
    weights = MatchWeights.from_dict(settings)
    found: list[tuple[str, str, float]] = []
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        for level in comparison["comparison_levels"]:
            column = level.get("tf_adjustment_column")
            if not column:
                continue
            label = level["label_for_charts"]
            level_column = f"{column}__{label}"
            level["tf_adjustment_column"] = level_column
            found.append((column, level_column, weights.tf_share(name, label)))
    existing = {row[0] for row in con.execute("DESCRIBE records").fetchall()}
    added = [
        f"{column} AS {level_column}" for column, level_column, _ in found if level_column not in existing
    ]
    if added:
        _run(con, f"CREATE OR REPLACE TABLE records AS SELECT *, {', '.join(added)} FROM records")
    return found


def _register_frequencies(
    con: duckdb.DuckDBPyConnection,
    linker: Any,
    counts: Mapping[str, int],
    records: int,
    lookups: Sequence[tuple[str, str, float]],
) -> None:
    """Term frequencies from the model, not from the file being scored.

    A small file scored with a model trained on the registry would otherwise find every name "common".
    """
    for column, table in frequency_lookup_tables(con, counts, records, lookups):
        lookup = linker._db_api.register(table)
        linker.table_management.register_term_frequency_lookup(lookup, column)


def frequency_lookup_tables(
    con: duckdb.DuckDBPyConnection,
    counts: Mapping[str, int],
    records: int,
    lookups: Sequence[tuple[str, str, float]],
) -> list[tuple[str, str]]:
    """Splink's term-frequency lookup for each level column, as DuckDB tables: (level column, table).

    Counts are of folded words over the training records, so a frequency is count / records.
    """
    table = pa.table(
        {"word": pa.array(list(counts), pa.string()), "n": pa.array(list(counts.values()), pa.int64())}
    )
    con.register("model_word_counts", table)
    found = []
    for base, column, share in lookups:
        namespace = TF_COLUMNS[base]
        # A namespace's words start with it and have no further ':'.
        _run(
            con,
            f"CREATE OR REPLACE TABLE tf_lookup_{column} AS "
            f"SELECT substr(word, {len(namespace) + 1}) AS {column}, n / {records} * {share!r} AS tf_{column} "
            f"FROM model_word_counts WHERE starts_with(word, '{namespace}') "
            f"AND NOT contains(substr(word, {len(namespace) + 1}), ':')",
        )
        found.append((column, f"tf_lookup_{column}"))
    con.unregister("model_word_counts")
    return found


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """`threshold`: edges at or above this match probability may join records, and two clusters join only
    if the pairs across them score, on average, at least this (average linkage, in match weight).
    `cannot_link_probability` and `min_disagreement_bits`: two records whose own karvon_match score is
    below `cannot_link_probability` (0.5: more likely two people than one) never share a cluster when the
    fields on which they disagree weigh at least `min_disagreement_bits` against them (1: a date months
    apart, another place or family name). A pair that is below 0.5 only for want of evidence (a record
    without date or document against its person's other records) does not forbid a merge; the average
    decides. `min_disagreement_bits=None` and `average_linkage=False` give the rule before 28 November
    2026 (any pair below 0.5 forbids), measured in docs/matching.md.
    `duplicate_free_sources`: datasets with at most one record per person (one-to-one linkage).

    The defaults were chosen on generated data (bench/matching_bench.py): see docs/matching.md.
    """

    threshold: float = 0.8
    cannot_link_probability: float = 0.5
    duplicate_free_sources: frozenset[str] = frozenset()
    # Members compared on each side when merging two clusters (large chained components stay tractable).
    max_members_checked: int = 40
    check_direct_edges: bool = False
    min_disagreement_bits: float | None = 1.0
    average_linkage: bool = True


@dataclass
class ClusterStats:
    components: int = 0
    multi_record_components: int = 0
    merges: int = 0
    merges_refused_contradiction: int = 0
    merges_refused_average: int = 0
    merges_refused_same_source: int = 0
    clusters_split: int = 0


def _record_from_row(row: Mapping[str, Any]) -> PersonRecord:
    precision = row["stated_precision"] or "unknown"
    birth_date: date | None = row["birth_date"]
    if birth_date is None:
        precision = "unknown"
    elif row["birth_precision"] == "estimated":
        precision = "estimated"
    return PersonRecord(
        record_id=str(row["unique_id"]),
        given_names=tuple(row["raw_given"] or ()),
        family_names=tuple(row["raw_family"] or ()),
        patronymics=tuple(row["raw_patronymic"] or ()),
        sex=row["sex"],
        birth_date=birth_date,
        birth_date_precision=precision if precision != "exact" or birth_date else "unknown",
        nationality=row["nationality"],
        place_of_birth=row["raw_place"],
        document_numbers=tuple(row["raw_documents"] or ()),
    )


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, node: int) -> int:
        parent = self.parent.setdefault(node, node)
        while parent != node:
            grand = self.parent[parent]
            self.parent[node] = grand
            node, parent = parent, grand
        return node

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _ContradictionChecker:
    """Whether two records are, on their own evidence, different people (karvon_match's full comparison)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, model: TrainedModel, options: ClusterOptions) -> None:
        self._con = con
        self._weights = model.match_weights()
        self._tf = model.frequencies()
        self._min_weight = _weight_of(options.cannot_link_probability)
        self._disagreement_bits = options.min_disagreement_bits
        self._features: dict[int, PersonFeatures] = {}
        # Rows are read in one query; features are computed only for records that are compared (with
        # direct edges not re-checked, most records of two-record components never are).
        self._rows: dict[int, dict[str, Any]] = {}
        self.sources: dict[int, str] = {}
        self._cache: dict[tuple[int, int], tuple[bool, float]] = {}

    def prepare(self, unique_ids: Sequence[int]) -> None:
        missing = [u for u in unique_ids if u not in self._rows]
        if not missing:
            return
        table = pa.table({"unique_id": pa.array(missing, type=pa.int64())})
        self._con.register("wanted_ids", table)
        cursor = self._con.execute("""
            SELECT r.unique_id, r.source_dataset, r.raw_given, r.raw_family, r.raw_patronymic, r.sex,
                   r.birth_date,
                   r.birth_precision, r.stated_precision, r.nationality, r.raw_place, r.raw_documents
            FROM records r JOIN wanted_ids w USING (unique_id)
        """)
        names = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            self._rows[row["unique_id"]] = row
            self.sources[row["unique_id"]] = row["source_dataset"]
        self._con.unregister("wanted_ids")

    def _features_of(self, unique_id: int) -> PersonFeatures:
        found = self._features.get(unique_id)
        if found is None:
            found = self._features[unique_id] = person_features(_record_from_row(self._rows[unique_id]))
        return found

    def contradicts(self, a: int, b: int) -> bool:
        return self.judge(a, b)[0]

    def judge(self, a: int, b: int) -> tuple[bool, float]:
        """Whether the pair contradicts, and its match weight (karvon_match's score with the trained model)."""
        key = (a, b) if a < b else (b, a)
        found = self._cache.get(key)
        if found is None:
            features_a, features_b = self._features_of(a), self._features_of(b)
            comparison = compare(features_a, features_b)
            scored = score(comparison, self._weights, self._tf)
            contradicts = hard_contradiction(comparison, features_a, features_b) is not None
            if not contradicts:
                contradicts = scored.match_weight < self._min_weight
                if contradicts and self._disagreement_bits is not None:
                    disagreement = sum(f.weight for f in scored.per_field if f.weight < 0)
                    contradicts = disagreement <= -self._disagreement_bits
            found = self._cache[key] = (contradicts, scored.match_weight)
        return found


# Evidence that two records are different people whatever the rest says: household members share family
# name, father's name, place and even (twins) the date of birth, so agreement there cannot outweigh these.
_DOCUMENT_AGREES = frozenset({"exact", "ocr_equal"})
_NAME_AGREES = frozenset({"exact", "transliterated", "skeleton", "subset", "jw_high", "jw_mid"})


def hard_contradiction(comparison: Comparison, a: PersonFeatures, b: PersonFeatures) -> str | None:
    """Why two records cannot be one person, or None.

    * different given names, unless the same document number says otherwise (a given name typed in the
      wrong field or replaced);
    * exact dates of birth more than a year apart (or any dates more than three years apart), unless the
      same document and the same given name say otherwise. A child written into a parent's passport
      shares the document but not the given name or the date.
    """
    document_agrees = comparison.level("document") in _DOCUMENT_AGREES
    given = comparison.level("given_name")
    if given == "differs" and not document_agrees:
        return "different given names"
    birth = comparison.level("birth_date")
    both_exact = a.birth.precision == "exact" and b.birth.precision == "exact"
    years_apart = birth == "differs" or (birth == "within_3_years" and both_exact)
    if years_apart and not (document_agrees and given in _NAME_AGREES):
        return "dates of birth years apart"
    return None


def cluster(con: duckdb.DuckDBPyConnection, model: TrainedModel, options: ClusterOptions) -> ClusterStats:
    """Cluster `predictions` into `clusters` (unique_id, cluster_uid) without chaining different people.

    Connected components at `options.threshold` chain siblings: A-A' and A'-B pass the threshold while
    A and B are different people. So each component with more than two records is rebuilt greedily: its
    edges in order of decreasing match weight join two clusters only when no pair across them
    contradicts (different exact dates of birth, different given names, a son's and a daughter's
    patronymic; a pair scored below `cannot_link_probability` on fields that disagree), the pairs across
    them score on average at least `options.threshold` (average linkage), and no duplicate-free source
    would appear twice.
    """
    stats = ClusterStats()
    edges = con.execute(
        "SELECT unique_id_l, unique_id_r, match_weight FROM predictions WHERE match_probability >= ? "
        "ORDER BY match_weight DESC, unique_id_l, unique_id_r",
        [options.threshold],
    ).fetchall()
    components = _UnionFind()
    for left, right, _ in edges:
        components.union(left, right)
    members: dict[int, list[int]] = {}
    for node in components.parent:
        members.setdefault(components.find(node), []).append(node)
    stats.components = len(members)
    checker = _ContradictionChecker(con, model, options)
    # Two-record components are checked too: a direct edge between siblings (one name, dates years
    # apart) can pass the threshold on shared family name, father's name and place.
    needs_check = set(members)
    stats.multi_record_components = len(needs_check)
    # Only components where a merge can be refused need the records' data: a two-record component's one
    # merge is its direct edge, not re-checked unless asked, and only duplicate-free sources are refused
    # without comparing.
    checked = [
        n
        for root in needs_check
        if len(members[root]) > 2 or options.check_direct_edges or options.duplicate_free_sources
        for n in members[root]
    ]
    if checked:
        checker.prepare(checked)
    final = _UnionFind()
    cluster_members: dict[int, list[int]] = {}
    for left, right, weight in edges:
        root = components.find(left)
        a, b = final.find(left), final.find(right)
        if a == b:
            continue
        group_a = cluster_members.get(a, [a])
        group_b = cluster_members.get(b, [b])
        if root in needs_check:
            refusal = _refusal(group_a, group_b, (left, right, weight), checker, options)
            if refusal == "source":
                stats.merges_refused_same_source += 1
                continue
            if refusal == "contradiction":
                stats.merges_refused_contradiction += 1
                continue
            if refusal == "average":
                stats.merges_refused_average += 1
                continue
        final.union(a, b)
        merged_root = final.find(a)
        cluster_members[merged_root] = group_a + group_b
        cluster_members.pop(b if merged_root == a else a, None)
        stats.merges += 1
    final_roots = {node: final.find(node) for node in components.parent}
    stats.clusters_split = len(set(final_roots.values())) - len(members)
    table = pa.table(
        {
            "unique_id": pa.array(list(final_roots.keys()), type=pa.int64()),
            "cluster_uid": pa.array(list(final_roots.values()), type=pa.int64()),
        }
    )
    con.register("cluster_assignments", table)
    _run(
        con,
        """
        CREATE OR REPLACE TABLE clusters AS
        SELECT r.unique_id, coalesce(c.cluster_uid, r.unique_id) AS cluster_uid
        FROM records r LEFT JOIN cluster_assignments c USING (unique_id)
    """,
    )
    con.unregister("cluster_assignments")
    return stats


def _refusal(
    group_a: list[int],
    group_b: list[int],
    edge: tuple[int, int, float],
    checker: _ContradictionChecker,
    options: ClusterOptions,
) -> str | None:
    """Why the clusters `group_a` and `group_b`, joined by `edge` (left, right, match weight), must stay
    apart: "source", "contradiction", "average", or None.

    Average linkage: the mean match weight of the pairs across the two clusters (the edge's own weight
    included) must reach the threshold's. A pair below 0.5 only for want of evidence (a record without
    date or document against its person's records without one) lowers the average instead of forbidding
    the merge: a strong edge carries it, a namesake's edge that barely passes does not. Weights carry the
    prior, which shrinks as the file grows, so the same rule asks more in a large registry, where a name
    alone fits many people.
    """
    if options.duplicate_free_sources:
        sources_a = {checker.sources.get(n) for n in group_a} & options.duplicate_free_sources
        if sources_a & {checker.sources.get(n) for n in group_b}:
            return "source"
    left, right, edge_weight = edge
    direct = {(left, right), (right, left)}
    limit = options.max_members_checked
    total, count = 0.0, 0
    for x in group_a[:limit]:
        for y in group_b[:limit]:
            if (x, y) in direct:
                total, count = total + edge_weight, count + 1
                if not options.check_direct_edges:
                    continue
            contradicts, weight = checker.judge(x, y)
            if contradicts:
                return "contradiction"
            if (x, y) not in direct:
                total, count = total + weight, count + 1
    # A lone direct edge has passed the threshold already (as a probability, so no rounding matters).
    if options.average_linkage and count > 1 and total / count < _weight_of(options.threshold):
        return "average"
    return None


def _weight_of(probability: float) -> float:
    """The match weight (log2 odds) of a match probability."""
    return math.log2(probability / (1 - probability))


def connected_components(con: duckdb.DuckDBPyConnection, threshold: float) -> None:
    """Plain connected components at `threshold` into `clusters` (for comparison in the benchmark)."""
    edges = con.execute(
        "SELECT unique_id_l, unique_id_r FROM predictions WHERE match_probability >= ?", [threshold]
    ).fetchall()
    components = _UnionFind()
    for left, right in edges:
        components.union(left, right)
    table = pa.table(
        {
            "unique_id": pa.array(list(components.parent), type=pa.int64()),
            "cluster_uid": pa.array([components.find(n) for n in components.parent], type=pa.int64()),
        }
    )
    con.register("cluster_assignments", table)
    _run(
        con,
        """
        CREATE OR REPLACE TABLE clusters AS
        SELECT r.unique_id, coalesce(c.cluster_uid, r.unique_id) AS cluster_uid
        FROM records r LEFT JOIN cluster_assignments c USING (unique_id)
    """,
    )
    con.unregister("cluster_assignments")


# --- End to end -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """Everything a batch run can be told. Thresholds are match probabilities."""

    cluster: ClusterOptions = ClusterOptions()
    training: TrainingOptions = TrainingOptions()
    pairs_threshold: float = 0.5
    max_block_size: int = 200
    workers: int = 1
    link_only: bool = False


@dataclass(frozen=True, slots=True)
class BatchSummary:
    rows: int
    records: int
    duplicate_ids: tuple[DuplicateRecordId, ...]
    pairs_scored: int
    clusters: int
    multi_record_clusters: int
    stats: ClusterStats
    model: TrainedModel


ProgressSink = Callable[[str], None]


def run_batch(
    con: duckdb.DuckDBPyConnection,
    items: Iterable[SourcedRecord],
    *,
    model: TrainedModel | None = None,
    options: BatchOptions = BatchOptions(),
    progress: ProgressSink | None = None,
) -> BatchSummary:
    """Load, train (unless a model is given), score and cluster; results stay in `con` (`clusters`,
    `predictions`, `records`) for `write_clusters_csv` / `write_pairs_csv` or further queries."""
    say = progress or (lambda _: None)
    rows = load_records(con, items, workers=options.workers)
    say(f"{rows:,} rows read and prepared")
    duplicates = merge_duplicate_ids(con, max_block_size=options.max_block_size)
    records = _count(con, "records")
    if model is None:
        model = train(con, link_only=options.link_only, options=options.training)
        say(f"model trained on {records:,} records")
    else:
        require_feature_version(model)
    threshold = min(options.pairs_threshold, options.cluster.threshold)
    scored = predict(con, model, threshold=threshold, link_only=options.link_only)
    say(f"{scored:,} pairs at or above match probability {threshold}")
    stats = cluster(con, model, options.cluster)
    return batch_summary(con, rows, records, duplicates, scored, stats, model)


def batch_summary(
    con: duckdb.DuckDBPyConnection,
    rows: int,
    records: int,
    duplicates: Sequence[DuplicateRecordId],
    scored: int,
    stats: ClusterStats,
    model: TrainedModel,
) -> BatchSummary:
    """What a run did, with the clusters counted from the `clusters` table it left."""
    counts = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE n > 1) "
        "FROM (SELECT count(*) AS n FROM clusters GROUP BY cluster_uid)"
    ).fetchall()[0]
    return BatchSummary(
        rows, records, tuple(duplicates), scored, int(counts[0]), int(counts[1]), stats, model
    )


def require_feature_version(model: TrainedModel) -> None:
    """A stored model's levels read the feature columns of the version it was trained with."""
    if model.feature_version != FEATURE_VERSION:
        raise ValueError(
            f"model uses feature version {model.feature_version}, this code {FEATURE_VERSION}; retrain it"
        )


def sql_path(path: Path) -> str:
    """A file path inside a single-quoted SQL string literal."""
    return str(path).replace("'", "''")


def _copy_csv(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    _run(con, f"COPY ({query}) TO '{sql_path(path)}' (HEADER, DELIMITER ',', QUOTE '\"')")


def write_clusters_csv(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """record_id, cluster_id: every record once, in input order; the cluster is named by its first record."""
    _copy_csv(
        con,
        """
        WITH named AS (
            SELECT c.cluster_uid, arg_min(r.record_id, r.row_number) AS cluster_id
            FROM clusters c JOIN records r USING (unique_id) GROUP BY c.cluster_uid)
        SELECT r.record_id, n.cluster_id
        FROM records r JOIN clusters c USING (unique_id) JOIN named n USING (cluster_uid)
        ORDER BY r.source_dataset, r.row_number
    """,
        path,
    )


def write_pairs_csv(con: duckdb.DuckDBPyConnection, path: Path, threshold: float) -> None:
    """record_id_l, record_id_r, match_probability for the scored pairs at or above `threshold`."""
    _copy_csv(
        con,
        f"""
        SELECT l.record_id AS record_id_l, r.record_id AS record_id_r,
               round(p.match_probability, 6) AS match_probability
        FROM predictions p
        JOIN records l ON l.unique_id = p.unique_id_l
        JOIN records r ON r.unique_id = p.unique_id_r
        WHERE p.match_probability >= {float(threshold)}
        ORDER BY l.row_number, r.row_number
    """,
        path,
    )


def scratch_directory() -> tempfile.TemporaryDirectory[str]:
    """A directory for DuckDB to spill to when a file is larger than memory."""
    return tempfile.TemporaryDirectory(prefix="karvon-match-")


# --- CSV files end to end ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CsvRunReport:
    """What a run over CSV files did: counts for the summary, and the files written."""

    summary: BatchSummary
    rows_read: int
    rows_rejected: int
    warnings: int
    errors: int
    encoding: str
    clusters_path: Path
    pairs_path: Path | None
    errors_path: Path


def run_csv(
    input_paths: Sequence[tuple[str, Path]],
    clusters_path: Path,
    *,
    pairs_path: Path | None = None,
    model: TrainedModel | None = None,
    options: BatchOptions = BatchOptions(),
    today: date | None = None,
    progress: ProgressSink | None = None,
    database: str = ":memory:",
) -> CsvRunReport:
    """Read (source, path) CSV files as a stream, deduplicate or link them, write clusters (and pairs).

    Row problems go to `<clusters_path>.errors.csv`; rows sharing a record_id within a source are merged
    into one record and reported there, so each record_id appears once in the output.
    """
    from karvon.matching.csv_input import IssueFileWriter, PeopleCsvReader, RowIssue

    errors_path = clusters_path.with_name(clusters_path.name + ".errors.csv")
    with scratch_directory() as scratch, IssueFileWriter(errors_path) as issues:
        con = connect(database, temp_directory=Path(scratch))
        readers = [(source, PeopleCsvReader(path, issues, today=today)) for source, path in input_paths]

        def records() -> Iterator[SourcedRecord]:
            for source, reader in readers:
                for row in reader:
                    yield SourcedRecord(row.row_number, source, row.record)

        summary = run_batch(con, records(), model=model, options=options, progress=progress)
        for duplicate in summary.duplicate_ids:
            first, *others = duplicate.row_numbers
            for row_number in others:
                issues(
                    RowIssue(
                        row_number,
                        duplicate.record_id,
                        "warning",
                        "record_id",
                        f"record_id also on row {first}; rows merged into one record",
                    )
                )
        write_clusters_csv(con, clusters_path)
        if pairs_path is not None:
            write_pairs_csv(con, pairs_path, options.pairs_threshold)
        con.close()
    return CsvRunReport(
        summary=summary,
        rows_read=sum(r.rows_read for _, r in readers),
        rows_rejected=sum(r.rows_rejected for _, r in readers),
        warnings=issues.warnings,
        errors=issues.errors,
        encoding=", ".join(r.encoding for _, r in readers),
        clusters_path=clusters_path,
        pairs_path=pairs_path,
        errors_path=errors_path,
    )
