"""Entries, exits, stay registrations, permits and addresses for the demo people (after `cases_demo_load`)."""

from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from karvon.accounts.models import User
from karvon.presence.demo import demo_people_in_registry, presence_demo_load
from karvon.presence.models import Movement


class Command(BaseCommand):
    help = "Generate presence records for the demo people; run after cases_demo_load (protection decides status)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2019)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if movements already exist.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Movement.objects.exists():
            self.stdout.write("Demo presence already loaded; nothing to do.")
            return
        report = presence_demo_load(
            people=demo_people_in_registry(),
            rng=random.Random(options["seed"]),
            user=User.objects.get(username="officer"),
            today=timezone.localdate(),
            progress=lambda n: self.stdout.write(f"  {n:,} people…") if n % 100_000 < 5000 else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded presence for {report.people:,} people: {report.movements:,} entries and exits, "
                f"{report.stays:,} stay registrations, {report.permits:,} permits in {report.seconds:.1f} s."
            )
        )
