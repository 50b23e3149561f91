"""Deduplicate the whole registry in batch and put the likely pairs into the supervisors' review queue."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from karvon.matching.batch_registry import registry_deduplicate


class Command(BaseCommand):
    help = "Train the match model on the registry (Splink, DuckDB), score and cluster it, queue likely pairs."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = registry_deduplicate(now=timezone.now(), say=lambda line: self.stderr.write(line))
        self.stdout.write(
            f"{report.people:,} people; {report.pairs_scored:,} pairs scored; {report.pairs_queued:,} new pairs "
            f"to review; {report.clusters_with_duplicates:,} clusters of 2+ records; model {report.model_version} "
            f"is active; {time.perf_counter() - started:.1f} s."
        )
