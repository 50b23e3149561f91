"""Recompute every presence summary, e.g. after a state's stay rules (cases/rules/*.json) changed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from karvon.presence.services import person_presence_refresh
from karvon.registry.models import Person


class Command(BaseCommand):
    help = "Recompute the presence summaries (and their tallies) of every person, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="People per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        last_id, done = 0, 0
        while True:
            ids = list(
                Person.objects.filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[: options["batch"]]
            )
            if not ids:
                break
            # Each batch locks its summaries like any write, so officers can keep recording meanwhile.
            person_presence_refresh(person_ids=ids, today=today)
            last_id, done = ids[-1], done + len(ids)
        self.stdout.write(self.style.SUCCESS(f"Refreshed the presence of {done:,} people as of {today}."))
