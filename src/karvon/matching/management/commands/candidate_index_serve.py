"""Run the scoring process: the resident candidate index, served to the web workers over a Unix socket."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from karvon.matching.index_service import serve, socket_path


class Command(BaseCommand):
    help = (
        "Hold the resident candidate index in memory and answer the web workers' real-time candidate requests "
        "(KARVON_CANDIDATE_INDEX=server). Builds the index from the database at start; until then the workers "
        "use the database path."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--socket", default=None, help="Unix socket path (default KARVON_CANDIDATE_INDEX_SOCKET)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["socket"] or socket_path()
        self.stderr.write(f"Serving real-time candidates on {path} (building the index)…")
        try:
            serve(path, report=self.stderr.write)
        except KeyboardInterrupt:
            self.stderr.write("Stopped.")
