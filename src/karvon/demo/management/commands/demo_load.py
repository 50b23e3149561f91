"""Load the demo: the node's organisation, one login per role, and generated people."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from karvon.accounts.models import User
from karvon.demo.loader import demo_people_load
from karvon.demo.organisation import demo_organisation, demo_users
from karvon.registry.models import Person


class Command(BaseCommand):
    help = "Load deterministic demo data (organisation, logins, people) into the node's database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=3000, help="How many people to generate.")
        parser.add_argument(
            "--seed", type=int, default=2019, help="Random seed; the same seed gives the same people."
        )
        parser.add_argument(
            "--state", default=settings.KARVON_NODE_STATE, help="ISO alpha-3 of the node's state."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if people are already registered."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        state = options["state"].upper()
        offices = demo_organisation(state=state, now=now)
        demo_users(state=state, offices=offices, now=now)
        if options["if_empty"] and Person.objects.exists():
            self.stdout.write("Demo people already loaded; nothing to do.")
            return
        loader = User.objects.get(username="officer")
        report = demo_people_load(
            people=options["people"],
            state=state,
            seed=options["seed"],
            offices=offices,
            user=loader,
            now=now,
            progress=lambda n: self.stdout.write(f"  {n:,} people…") if n % 100_000 < 5000 else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {report.people:,} people in {report.households:,} households in {report.seconds:.1f} s."
            )
        )
