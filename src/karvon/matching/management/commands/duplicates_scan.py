"""Look for duplicates of every person (or the newest N) with the real-time scorer and fill the review queue."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from karvon.matching.models import DuplicateCandidate
from karvon.matching.services import duplicate_check
from karvon.registry.models import Person


class Command(BaseCommand):
    help = "Check people against the whole registry and put likely duplicates in the review queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--newest", type=int, default=0, help="Only the N most recently registered people."
        )
        parser.add_argument(
            "--if-queue-empty",
            action="store_true",
            help="Do nothing if the review queue already has pairs (a second `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_queue_empty"] and DuplicateCandidate.objects.exists():
            self.stdout.write("The review queue already has pairs; nothing to do.")
            return
        started = time.perf_counter()
        people = Person.objects.filter(merged_into__isnull=True).order_by("-pk").values_list("pk", flat=True)
        if options["newest"]:
            people = people[: options["newest"]]
        checked = created = 0
        for person_id in people.iterator(chunk_size=2000):
            created += duplicate_check(person_id=person_id, now=timezone.now())
            checked += 1
        self.stdout.write(
            f"Checked {checked:,} people, {created:,} new pairs to review, "
            f"{time.perf_counter() - started:.1f} s."
        )
