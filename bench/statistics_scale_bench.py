"""Statistics at scale: a full recomputation of the national figures and every dashboard page, on a loaded registry.

Targets (issue 5; PostgreSQL, 1,000,000 people and 5,000,000 events, 2 cores): every dashboard page at most
200 ms, a full recomputation at most 60 s, loading all of UNHCR's files at most 30 s.

Run on a database loaded as bench/README.md says (people, cases with --extra-share, presence):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/karvon_bench .venv/bin/python bench/statistics_scale_bench.py

Pages are requested through Django's test client in this process as the demo statistician (server time: URL
routing, middleware, session, the selectors' SQL, disclosure control, templates), 30 times each after one
warm-up; the figures are p50/p95/max per page.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "karvon.config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

PAGES = [
    ("dashboard, defaults (UNHCR, 2015 to this year)", "/statistics/", {}),
    ("dashboard, national", "/statistics/", {"source": "national"}),
    ("dashboard, 2015-2024", "/statistics/", {"yearFrom": "2015", "yearTo": "2024"}),
    ("dashboard, national, origin AFG", "/statistics/", {"source": "national", "coo": "AFG"}),
    (
        "dashboard, origin TJK, 2020-2026",
        "/statistics/",
        {"coo": "TJK", "yearFrom": "2020", "yearTo": "2026"},
    ),
    (
        "API population by origin, national",
        "/api/v1/statistics/population/",
        {"coo_all": "true", "source": "national"},
    ),
    (
        "API presence by origin, national",
        "/api/v1/statistics/presence/",
        {"coo_all": "true", "source": "national"},
    ),
    (
        "API specific needs by origin, national",
        "/api/v1/statistics/specific-needs/",
        {"coo_all": "true", "source": "national"},
    ),
    (
        "API demographics by origin, national",
        "/api/v1/statistics/demographics/",
        {"coo_all": "true", "source": "national"},
    ),
    ("API recognition rates, national", "/api/v1/statistics/recognition-rates/", {"source": "national"}),
    (
        "download presence SDMX-CSV, national",
        "/statistics/download/presence.sdmx-csv",
        {"source": "national"},
    ),
    ("download population XLSX, national", "/statistics/download/population.xlsx", {"source": "national"}),
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def backend_cpu_seconds() -> float:
    """CPU time of this connection's PostgreSQL backend process (Linux /proc; same machine)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_timed(label: str, function: Callable[[], Any]) -> Any:
    """Wall time, and the CPU seconds of this process and of its database backend: on a busy shared machine the
    CPU seconds say what the work costs, the wall time what it took at that load."""
    own, backend, load = own_cpu_seconds(), backend_cpu_seconds(), os.getloadavg()[0]
    seconds, result = timed(function)
    own, backend = own_cpu_seconds() - own, backend_cpu_seconds() - backend
    print(
        f"{label}: {seconds:.1f} s wall (load average {load:.1f}); CPU {own:.1f} s Python + {backend:.1f} s "
        f"PostgreSQL = {own + backend:.1f} s"
    )
    return result


def table_count(model: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
        return int(cursor.fetchone()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--from-year", type=int, default=None, help="first year of the full recomputation")
    parser.add_argument("--skip-unhcr", action="store_true", help="do not (re)load UNHCR's files")
    parser.add_argument(
        "--pages-only", action="store_true", help="time the pages on the figures already stored"
    )
    options = parser.parse_args()

    from karvon.cases.models import Case, CaseEvent
    from karvon.presence.models import Movement
    from karvon.registry.models import Person, Registration
    from karvon.statistics.national import first_registration_year
    from karvon.statistics.services import national_figures_refresh, unhcr_load
    from karvon.statistics.unhcr_files import unhcr_data_directory

    settings.ALLOWED_HOSTS = ["*"]
    sizes = {
        "people": table_count(Person),
        "registrations": table_count(Registration),
        "cases": table_count(Case),
        "case events": table_count(CaseEvent),
        "movements": table_count(Movement),
    }
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print("rows: " + ", ".join(f"{name} {count:,}" for name, count in sizes.items()))
    print(f"load average before: {os.getloadavg()[0]:.2f}")

    if not options.skip_unhcr:
        seconds, _load = timed(lambda: unhcr_load(directory=unhcr_data_directory(), now=timezone.now()))
        print(f"loading all of UNHCR's files: {seconds:.1f} s")

    today = timezone.localdate()
    if options.pages_only:
        return pages(options.repeats)
    first_year = options.from_year
    if first_year is None:
        first_year = first_registration_year() or today.year
    cpu_timed(
        f"recomputation at the reference date {today} (stocks, presence, needs, flows, durations)",
        lambda: national_figures_refresh(reference_date=today, now=timezone.now()),
    )
    years = today.year - first_year + 1
    load = cpu_timed(
        f"full recomputation, {years} years {first_year}-{today.year} (stocks at each 31 December and the "
        "reference date, flows of each year, durations)",
        lambda: national_figures_refresh(reference_date=today, now=timezone.now(), from_year=first_year),
    )
    print(f"rows stored: {load.row_counts}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process so far: {peak:.0f} MiB")
    return pages(options.repeats)


def pages(repeats: int) -> int:
    from karvon.accounts.models import User
    from karvon.accounts.services import api_token_issue

    statistician = User.objects.get(username="statistician")
    page_client = Client()
    page_client.force_login(statistician)
    issued = api_token_issue(user=statistician, name="statistics bench", now=timezone.now(), valid_days=1)
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    print("\n| page | p50 | p95 | max | status |\n|---|---:|---:|---:|---|")
    worst = 0.0
    for label, path, params in PAGES:
        client = api_client if path.startswith("/api/") else page_client
        client.get(path, params)  # warm-up
        times = []
        status = 0
        for _ in range(repeats):
            started = time.perf_counter()
            answer = client.get(path, params)
            seconds = time.perf_counter() - started
            times.append(seconds * 1000)
            status = answer.status_code
        times.sort()
        p95 = times[max(0, int(0.95 * len(times)) - 1)]
        worst = max(worst, p95)
        print(
            f"| {label} | {statistics.median(times):.0f} ms | {p95:.0f} ms | {times[-1]:.0f} ms | {status} |"
        )
    print(f"\nslowest page p95: {worst:.0f} ms (target 200 ms); load average after: {os.getloadavg()[0]:.2f}")
    print(f"date: {date.today().isoformat()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
