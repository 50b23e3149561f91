"""Rebuild every person's name search keys from their names (after upgrading a database filled by an older version)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from karvon.registry.search_keys import SearchKeysRebuilt, search_keys_rebuild_all


class Command(BaseCommand):
    help = (
        "Make every person's stored name search keys those their names give with this version of Karvon "
        "(only the differences are written; safe to run again)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(done: SearchKeysRebuilt) -> None:
            self.stderr.write(f"  {done.people:,} people…")

        done = search_keys_rebuild_all(progress=progress)
        self.stdout.write(
            f"{done.people:,} people read in {time.monotonic() - started:.1f} s: keys changed for "
            f"{done.people_changed:,} ({done.keys_added:,} added, {done.keys_removed:,} removed)."
        )
