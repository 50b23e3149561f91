"""Print how to log in to the demo, one line per role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from karvon.demo.organisation import DEMO_PASSWORD, demo_organisation, demo_users


class Command(BaseCommand):
    help = "Print the demo logins (creating them if missing)."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        state = settings.KARVON_NODE_STATE
        logins = demo_users(state=state, offices=demo_organisation(state=state, now=now), now=now)
        self.stdout.write("")
        self.stdout.write(
            "Karvon demo on http://127.0.0.1:8000/  — password for every login: " + DEMO_PASSWORD
        )
        for login in logins:
            self.stdout.write(f"  {login.username:<13} {login.role.value:<24} {login.where}")
        self.stdout.write("API: log in, open 'API' to issue a token; schema at /api/v1/openapi.json")
        self.stdout.write("")
