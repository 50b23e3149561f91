"""The `karvon` console command: Django's management commands with Karvon's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "karvon.config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "karvon"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
