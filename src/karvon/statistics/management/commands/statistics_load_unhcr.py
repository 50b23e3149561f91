"""Load UNHCR's published files into the statistics store (all checked first; all or nothing)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from karvon.statistics.services import unhcr_load
from karvon.statistics.unhcr_files import UnableToLoadUnhcrFile, unhcr_data_directory


class Command(BaseCommand):
    help = (
        "Load UNHCR's population, asylum_applications, asylum_decisions, demographics, solutions, flows and "
        "countries files (UNHCR Refugee Population Statistics Database, CC BY 4.0)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="Directory of the CSV files (default: KARVON_UNHCR_DATA_DIR or ../shared/data/unhcr).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["dir"] or unhcr_data_directory()
        started = time.perf_counter()
        try:
            load = unhcr_load(directory=directory, now=timezone.now())
        except UnableToLoadUnhcrFile as error:
            raise CommandError(f"{error} Nothing was loaded.") from error
        rows = ", ".join(f"{name} {count:,}" for name, count in load.row_counts.items())
        self.stdout.write(
            f"Loaded UNHCR data from {directory} ({rows}) in {time.perf_counter() - started:.1f} s."
        )
