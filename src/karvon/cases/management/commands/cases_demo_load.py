"""Open and walk demo cases for the registered demo people (after `demo_load`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from karvon.accounts.models import User
from karvon.cases.demo import demo_cases_load
from karvon.cases.models import Case


class Command(BaseCommand):
    help = (
        "Generate cases (asylum, statelessness, trafficking, child protection, return) for the demo people."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2019)
        parser.add_argument("--state", default=settings.KARVON_NODE_STATE)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if cases already exist.")
        parser.add_argument(
            "--extra-share",
            type=float,
            default=0.0,
            help="Share of the other people who get a case too (benchmarks: 0.5 gives about 3 events per person).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Case.objects.exists():
            self.stdout.write("Demo cases already loaded; nothing to do.")
            return
        report = demo_cases_load(
            state=options["state"].upper(),
            seed=options["seed"],
            today=timezone.localdate(),
            recorder=User.objects.get(username="caseworker"),
            approver=User.objects.get(username="supervisor"),
            extra_share=options["extra_share"],
            progress=lambda cases, events: (
                self.stdout.write(f"  {cases:,} cases, {events:,} events…") if cases % 50_000 < 2500 else None
            ),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {report.cases:,} cases with {report.events:,} events in {report.seconds:.1f} s."
            )
        )
