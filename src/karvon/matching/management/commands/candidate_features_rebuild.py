"""Write the real-time matching row of every current person (after a bulk load or a restore)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from karvon.matching.candidates import rebuild_all_candidate_features


class Command(BaseCommand):
    help = "Rebuild the one-row-per-person features that real-time duplicate candidates read."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(count: int) -> None:
            self.stderr.write(f"  {count:,} people…")

        count = rebuild_all_candidate_features(progress)
        self.stdout.write(f"{count:,} candidate rows written in {time.monotonic() - started:.1f} s.")
