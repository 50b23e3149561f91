"""Times loading all of UNHCR's files into the statistics store (target: at most 30 s) and the dashboard query.

Run: DATABASE_URL=... .venv/bin/python bench/statistics_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "karvon.config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from karvon.statistics.contracts import StatisticsQuery  # noqa: E402
from karvon.statistics.selectors import _rates, _table  # noqa: E402
from karvon.statistics.services import unhcr_load  # noqa: E402
from karvon.statistics.unhcr_files import read_all, unhcr_data_directory  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    call_command("migrate", verbosity=0)
    directory = unhcr_data_directory()
    parse, load, query = [], [], []
    for _run in range(runs):
        started = time.perf_counter()
        read_all(directory, last_year=timezone.now().year)
        parse.append(time.perf_counter() - started)
        started = time.perf_counter()
        unhcr_load(directory=directory, now=timezone.now())
        load.append(time.perf_counter() - started)
        started = time.perf_counter()
        _rates(StatisticsQuery(coa=("KAZ",), year_from=2015, year_to=2024))
        _table("population", StatisticsQuery(coa=("KAZ",), coo_all=True))
        query.append(time.perf_counter() - started)
    print(f"database: {connection.vendor}; runs: {runs}")
    print(f"read and check all files: median {statistics.median(parse):.2f} s")
    print(
        f"full load (read, check, replace in one transaction): median {statistics.median(load):.2f} s, "
        f"max {max(load):.2f} s"
    )
    print(
        f"KAZ rates 2015-2024 + population by origin, after disclosure control: median "
        f"{statistics.median(query) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
