"""`match run` deduplicates (or links) CSV files of people; `match train` trains and stores a model."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from karvon.matching.batch import (
    BatchOptions,
    ClusterOptions,
    CsvRunReport,
    SourcedRecord,
    TrainingOptions,
    connect,
    load_records,
    merge_duplicate_ids,
    run_csv,
    scratch_directory,
    train,
)
from karvon.matching.csv_input import IssueFileWriter, PeopleCsvReader, UnableToReadPeopleCsv
from karvon.matching.model_store import UnableToLoadModel, model_load, model_read, model_save

REGISTRY_SOURCE = "registry"
IMPORT_SOURCE = "import"


def default_model_directory() -> Path:
    return Path(getattr(settings, "KARVON_MATCH_MODEL_DIR", Path(settings.VAR_DIR) / "match-models"))


class Command(BaseCommand):
    help = "Deduplicate or link CSV files of people (run), or train and store a matching model (train)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{run,train}")
        run = commands.add_parser("run", help="Cluster the people of a CSV file (see docs/matching.md).")
        run.add_argument("--input", type=Path, required=True, help="CSV of people (UTF-8 or Windows-1251).")
        run.add_argument("--output", type=Path, required=True, help="clusters CSV: record_id, cluster_id.")
        run.add_argument(
            "--pairs", type=Path, help="also write scored pairs: record_id_l, record_id_r, match_probability."
        )
        run.add_argument(
            "--link-to",
            type=Path,
            metavar="REGISTRY_CSV",
            help="link --input to this file (pairs across the two files only) instead of deduplicating.",
        )
        run.add_argument(
            "--model",
            help="stored model version, 'latest', or a model .json file; default: train on the input.",
        )
        run.add_argument("--save-model", action="store_true", help="store the model trained on the input.")
        self._common(run)
        run.add_argument(
            "--threshold",
            type=float,
            default=ClusterOptions().threshold,
            help="match probability at which records may join one cluster (default %(default)s).",
        )
        run.add_argument(
            "--pairs-threshold",
            type=float,
            default=BatchOptions().pairs_threshold,
            help="lowest match probability written to --pairs (default %(default)s).",
        )
        train_parser = commands.add_parser(
            "train", help="Train a model on a CSV file and store it; prints its version."
        )
        train_parser.add_argument("--input", type=Path, required=True, help="CSV of people.")
        train_parser.add_argument("--note", default="", help="stored with the model (data set, purpose).")
        self._common(train_parser)

    def _common(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--model-dir",
            type=Path,
            default=None,
            help="where models are stored (default: KARVON_MATCH_MODEL_DIR or var/match-models).",
        )
        parser.add_argument("--workers", type=int, default=1, help="processes preparing name features.")
        parser.add_argument(
            "--max-block-size",
            type=int,
            default=BatchOptions().max_block_size,
            help="records per blocking key before it is refined or dropped (default %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "train":
                self._train(options)
            else:
                self._run(options)
        except (UnableToReadPeopleCsv, UnableToLoadModel) as error:
            raise CommandError(str(error)) from error

    def _say(self, message: str) -> None:
        sys.stderr.write(message + "\n")

    def _run(self, options: dict[str, Any]) -> None:
        directory: Path = options["model_dir"] or default_model_directory()
        model = None
        if options["model"]:
            given = Path(options["model"])
            stored = model_read(given) if given.suffix == ".json" else model_load(directory, options["model"])
            model = stored.trained_model()
            self._say(f"using model {stored.version}")
        link_to: Path | None = options["link_to"]
        inputs = (
            [(REGISTRY_SOURCE, link_to), (IMPORT_SOURCE, options["input"])]
            if link_to
            else [(IMPORT_SOURCE, options["input"])]
        )
        batch_options = BatchOptions(
            cluster=ClusterOptions(threshold=options["threshold"]),
            pairs_threshold=options["pairs_threshold"],
            max_block_size=options["max_block_size"],
            workers=options["workers"],
            link_only=link_to is not None,
        )
        report = run_csv(
            inputs,
            options["output"],
            pairs_path=options["pairs"],
            model=model,
            options=batch_options,
            today=datetime.now(UTC).date(),
            progress=self._say,
        )
        if options["save_model"] and model is None:
            stored = model_save(
                directory,
                report.summary.model,
                now=datetime.now(UTC),
                note=f"trained by match run on {options['input'].name}",
            )
            self._say(f"model stored as {stored.version} in {directory}")
        self._summary(report)

    def _summary(self, report: CsvRunReport) -> None:
        summary = report.summary
        self._say(
            f"{report.rows_read:,} rows read ({report.encoding}); {report.rows_rejected:,} rejected, "
            f"{report.warnings:,} warnings: see {report.errors_path}"
        )
        if summary.duplicate_ids:
            self._say(
                f"{len(summary.duplicate_ids):,} record_ids appear on more than one row; "
                "their rows were merged"
            )
        self._say(
            f"{summary.records:,} records, {summary.pairs_scored:,} pairs scored, "
            f"{summary.clusters:,} clusters "
            f"({summary.multi_record_clusters:,} with more than one record; "
            f"{summary.stats.merges_refused_contradiction:,} merges refused on contradicting evidence, "
            f"{summary.stats.merges_refused_average:,} on weak evidence on average)"
        )
        self._say(
            f"clusters written to {report.clusters_path}"
            + (f", pairs to {report.pairs_path}" if report.pairs_path else "")
        )

    def _train(self, options: dict[str, Any]) -> None:
        directory: Path = options["model_dir"] or default_model_directory()
        path: Path = options["input"]
        errors_path = path.with_name(path.name + ".training-errors.csv")
        with scratch_directory() as scratch, IssueFileWriter(errors_path) as issues:
            con = connect(temp_directory=Path(scratch))
            reader = PeopleCsvReader(path, issues, today=datetime.now(UTC).date())
            rows = load_records(
                con,
                (SourcedRecord(r.row_number, IMPORT_SOURCE, r.record) for r in reader),
                workers=options["workers"],
            )
            merge_duplicate_ids(con, max_block_size=options["max_block_size"])
            model = train(con, options=TrainingOptions())
            con.close()
        stored = model_save(
            directory, model, now=datetime.now(UTC), note=options["note"] or f"trained on {path.name}"
        )
        self._say(
            f"{rows:,} rows read, {reader.rows_rejected:,} rejected, {issues.warnings:,} warnings: "
            f"see {errors_path}"
        )
        for skipped in model.training.get("skipped", []):
            self._say(f"training step skipped: {skipped}")
        self.stdout.write(stored.version)
