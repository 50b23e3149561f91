"""Compute the node's own stocks from the registry at a reference date into the statistics store."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from karvon.statistics.services import national_figures_refresh


class Command(BaseCommand):
    help = "Compute national stocks (population types, origins, sex and age bands) from the registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="Reference date, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        reference_date = options["date"] or timezone.localdate(now)
        load = national_figures_refresh(reference_date=reference_date, now=now)
        self.stdout.write(f"National figures at {reference_date}: {load.row_counts}.")
