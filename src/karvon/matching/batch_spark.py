"""Batch scoring on Spark: the same stored model and SQL levels as `batch`, spelled in Spark SQL.

For registries that outgrow one machine (docs/matching.md, "Scaling out"). The records are prepared as for
DuckDB (`batch.load_records`, `batch.merge_duplicate_ids`: feature columns computed in Python), handed to
Spark as Parquet, which hashes the list columns with `xxhash64`, forms the candidate pairs with Splink's
own exploded blocking on `blocking_keys` and scores them. The scored edges come back as Parquet into the
DuckDB connection's `predictions` table, where `batch.cluster` clusters them as after a DuckDB run.

pyspark is an optional dependency (the `spark` extra, ADR 0105): this module imports it only when called.
"""

# SQL here is assembled from `batch`'s column names and numbers only; values reach Spark and DuckDB as
# Parquet files. Hence no S608 (string-built SQL) findings.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from karvon.matching.batch import (
    ALL_ELEMENTS_COLUMNS,
    ANY_ELEMENT_COLUMNS,
    HASHED_COLUMNS,
    LIST_COLUMNS,
    BatchOptions,
    BatchSummary,
    ProgressSink,
    SourcedRecord,
    SqlDialect,
    TrainedModel,
    _count,
    _deep_copy,
    _hashed_columns_sql,
    _per_level_tf_columns,
    _quiet_splink,
    _run,
    batch_summary,
    cluster,
    comparisons,
    frequency_lookup_tables,
    load_records,
    merge_duplicate_ids,
    prediction_settings,
    require_feature_version,
    sql_path,
)

if TYPE_CHECKING:
    import duckdb
    from pyspark.sql import DataFrame, SparkSession


class SparkSql(SqlDialect):
    """The levels and hashed columns in Spark SQL.

    `jaro_winkler` is the Scala UDF from the jar Splink ships (`similarity_jar_location`), which Splink's
    `SparkAPI` registers; the session must load the jar (`spark_session` does). Spark's arrays count from
    1 in `try_element_at` and `slice`; `try_element_at` gives NULL for an empty list where `c[0]` would
    fail under ANSI mode (Spark 4's default).
    """

    name = "spark"

    def list_contains(self, items: str, element: str) -> str:
        return f"array_contains({items}, {element})"

    def lists_overlap(self, left: str, right: str) -> str:
        return f"arrays_overlap({left}, {right})"

    def list_holds_all(self, items: str, of: str) -> str:
        # NULL lists give a NULL (or -1) size: false, as DuckDB's list_has_all gives NULL.
        return f"size(array_except({of}, {items})) = 0"

    def jaro_winkler(self, left: str, right: str) -> str:
        return f"jaro_winkler({left}, {right})"

    def days_apart(self, left: str, right: str) -> str:
        return f"abs(datediff({right}, {left}))"

    def first_element_hash(self, column: str) -> str:
        return f"CASE WHEN try_element_at({column}, 1) IS NOT NULL THEN xxhash64(try_element_at({column}, 1)) END"

    def other_elements_hashes(self, column: str) -> str:
        return (
            f"CASE WHEN size({column}) > 1 THEN transform(filter(slice({column}, 2, size({column})),"
            f" s -> s IS NOT NULL), s -> xxhash64(s)) END"
        )

    def element_hashes(self, column: str) -> str:
        return f"transform({column}, s -> xxhash64(s))"


SPARK_SQL = SparkSql()
# Local runs (tests, one workstation) have a few cores: Spark's default of 200 shuffle partitions would
# spend its time scheduling empty tasks.
LOCAL_SHUFFLE_PARTITIONS = 4


def spark_session(
    *,
    checkpoint_directory: Path,
    master: str = "local[2]",
    driver_memory: str = "1g",
    shuffle_partitions: int = LOCAL_SHUFFLE_PARTITIONS,
) -> SparkSession:
    """A Spark session with Splink's similarity jar (jaro_winkler) and a checkpoint directory.

    Splink's Spark backend writes its intermediate tables as Parquet under the checkpoint directory.
    On a cluster, pass the cluster's master and an HDFS or object-store directory.
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    spark = (
        SparkSession.builder.master(master)
        .appName("karvon-batch-matching")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(shuffle_partitions))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(str(checkpoint_directory))
    return spark


def settings_in_dialect(settings: Mapping[str, Any], sql: SqlDialect) -> dict[str, Any]:
    """A model's settings with every level's condition spelled in `sql` (weights and all else unchanged).

    Stored models are trained on DuckDB and hold DuckDB SQL; levels are found by field and label, which
    `FEATURE_VERSION` fixes.
    """
    spelled = {
        (comparison["output_column_name"], level["label_for_charts"]): level["sql_condition"]
        for comparison in comparisons(sql)
        for level in comparison["comparison_levels"]
    }
    converted: dict[str, Any] = _deep_copy(settings)
    converted.pop("sql_dialect", None)  # Splink takes the dialect from the database API
    for comparison in converted["comparisons"]:
        for level in comparison["comparison_levels"]:
            key = (comparison["output_column_name"], level["label_for_charts"])
            if key not in spelled:
                raise ValueError(f"the model has a level this code does not know: {key[0]}.{key[1]}")
            level["sql_condition"] = spelled[key]
    return converted


def records_to_spark(con: duckdb.DuckDBPyConnection, spark: SparkSession, directory: Path) -> DataFrame:
    """`records` of `con` as Spark will score them: scalars, blocking keys and Spark's hashed columns.

    Only the list columns the hashes are built from cross over; the raw values stay in DuckDB for the
    clustering. The DuckDB hashes are not reused: one run must hash both sides with one function.
    """
    hashed_from = [*ANY_ELEMENT_COLUMNS, *ALL_ELEMENTS_COLUMNS]
    left_behind = sorted(set(LIST_COLUMNS) - {*hashed_from, "blocking_keys"} | set(HASHED_COLUMNS))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "records.parquet"
    _run(
        con,
        f"COPY (SELECT * EXCLUDE ({', '.join(left_behind)}) FROM records) "
        f"TO '{sql_path(path)}' (FORMAT parquet)",
    )
    features = spark.read.parquet(str(path))
    features.createOrReplaceTempView("karvon_record_features")
    kept = ", ".join(c for c in features.columns if c not in hashed_from)
    return spark.sql(f"SELECT {kept}, {_hashed_columns_sql(SPARK_SQL)} FROM karvon_record_features").persist()


def _register_spark_frequencies(
    con: duckdb.DuckDBPyConnection,
    spark: SparkSession,
    db_api: Any,
    linker: Any,
    model: TrainedModel,
    lookups: list[tuple[str, str, float]],
    directory: Path,
) -> None:
    """The model's term frequencies (as `batch._register_frequencies` computes them) registered in Spark."""
    counts = model.term_frequencies.get("counts") or {}
    records = int(model.training.get("records") or 0)
    for column, table in frequency_lookup_tables(con, counts, records, lookups):
        path = directory / f"{table}.parquet"
        _run(con, f"COPY {table} TO '{sql_path(path)}' (FORMAT parquet)")
        _run(con, f"DROP TABLE {table}")
        lookup = db_api.register(spark.read.parquet(str(path)), table_name=table)
        linker.table_management.register_term_frequency_lookup(lookup, column)


def predict_on_spark(
    con: duckdb.DuckDBPyConnection,
    spark: SparkSession,
    model: TrainedModel,
    *,
    threshold: float,
    directory: Path,
    link_only: bool = False,
) -> int:
    """Score `records` of `con` on Spark into `con`'s `predictions` table, as `batch.predict` does.

    `directory` holds the Parquet files exchanged between DuckDB and Spark (on a cluster: a path every
    executor reads). Returns the number of scored pairs at or above `threshold`.
    """
    from splink import Linker
    from splink.backends.spark import SparkAPI

    _quiet_splink()
    settings = settings_in_dialect(prediction_settings(model, link_only=link_only), SPARK_SQL)
    with_frequencies = bool(model.term_frequencies.get("counts") and model.training.get("records"))
    # Each term-frequency level reads its own copy of the name column (see batch._per_level_tf_columns).
    lookups = _per_level_tf_columns(con, settings) if with_frequencies else []
    db_api = SparkAPI(spark_session=spark)  # type: ignore[no-untyped-call]  # Splink leaves it unannotated
    records = db_api.register(records_to_spark(con, spark, directory), table_name="karvon_records")
    linker = Linker(records, settings, log_level=None)
    if lookups:
        _register_spark_frequencies(con, spark, db_api, linker, model, lookups, directory)
    scored = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    path = directory / "predictions.parquet"
    (
        scored.as_spark_dataframe()
        .selectExpr(
            "least(unique_id_l, unique_id_r) AS unique_id_l",
            "greatest(unique_id_l, unique_id_r) AS unique_id_r",
            "match_weight",
            "match_probability",
        )
        .write.mode("overwrite")
        .parquet(str(path))
    )
    _run(
        con,
        f"""
        CREATE OR REPLACE TABLE predictions AS
        SELECT unique_id_l, unique_id_r, match_weight, match_probability
        FROM read_parquet('{sql_path(path)}/*.parquet')
    """,
    )
    return _count(con, "predictions")


def run_batch_on_spark(
    con: duckdb.DuckDBPyConnection,
    spark: SparkSession,
    items: Iterable[SourcedRecord],
    *,
    model: TrainedModel,
    directory: Path,
    options: BatchOptions | None = None,
    progress: ProgressSink | None = None,
) -> BatchSummary:
    """`batch.run_batch` with the pairs scored on Spark, for a stored model (training stays on DuckDB).

    Results stay in `con` (`records`, `predictions`, `clusters`) for `batch.write_clusters_csv` and
    `batch.write_pairs_csv`.
    """
    require_feature_version(model)
    options = options or BatchOptions()
    say = progress or (lambda _: None)
    rows = load_records(con, items, workers=options.workers)
    say(f"{rows:,} rows read and prepared")
    duplicates = merge_duplicate_ids(con, max_block_size=options.max_block_size)
    records = _count(con, "records")
    threshold = min(options.pairs_threshold, options.cluster.threshold)
    scored = predict_on_spark(
        con, spark, model, threshold=threshold, directory=directory, link_only=options.link_only
    )
    say(f"{scored:,} pairs at or above match probability {threshold} (scored on Spark)")
    stats = cluster(con, model, options.cluster)
    return batch_summary(con, rows, records, duplicates, scored, stats, model)
