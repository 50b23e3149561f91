"""Compute the node's own stocks from the registry at a reference date into the statistics store."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from karvon.statistics.national import first_registration_year
from karvon.statistics.services import national_figures_refresh


class Command(BaseCommand):
    help = (
        "Compute the national figures (stocks, demographics, presence, specific needs, asylum flows, processing"
        " times) from the registry, the procedures and presence records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="Reference date, YYYY-MM-DD (default: today).",
        )
        parser.add_argument(
            "--from-year",
            type=int,
            default=None,
            help="Also recompute every year from this one to the reference date's (stocks at 31 December).",
        )
        parser.add_argument(
            "--all-years",
            action="store_true",
            help="Recompute every year from that of the first registration (a full recomputation).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        reference_date = options["date"] or timezone.localdate(now)
        from_year = options["from_year"]
        if options["all_years"]:
            first = first_registration_year()
            from_year = min(first, reference_date.year) if first else None
        if from_year is not None and not 1951 <= from_year <= reference_date.year:
            raise CommandError(f"--from-year must be between 1951 and {reference_date.year}.")
        load = national_figures_refresh(reference_date=reference_date, now=now, from_year=from_year)
        self.stdout.write(f"National figures at {reference_date}: {load.row_counts}.")
