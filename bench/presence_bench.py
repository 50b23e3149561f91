"""Times the present-now counts and the overdue lists of presence for a whole state (target: each ≤ 200 ms).

On PostgreSQL, in a database of its own with the demo people loaded (see bench/results/presence.md):

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE karvon_presence_bench'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/karvon_presence_bench
    .venv/bin/karvon migrate && nice -n 10 .venv/bin/karvon demo_load --people 1000000
    .venv/bin/python bench/presence_bench.py [--runs 30]

The first run adds the presence demo (entries, exits, stays, permits, addresses and the summaries) for every
person loaded; later runs reuse it. The acting user is the demo `supervisor`, whose role covers every office of
the Migration Service: a whole state's lists, as a supervisor reads them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "karvon.config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from karvon.accounts.access import AccessContext, office_ids_in_scope  # noqa: E402
from karvon.accounts.models import Office, User  # noqa: E402
from karvon.accounts.roles import Capability  # noqa: E402
from karvon.presence import selectors, services  # noqa: E402
from karvon.presence.contracts import MovementInput, PresenceListQuery  # noqa: E402
from karvon.presence.demo import demo_people_in_registry, presence_demo_load  # noqa: E402
from karvon.presence.models import Movement, Permit, PresenceSummary, StayRegistration  # noqa: E402
from karvon.registry.contracts import UnableToValidate  # noqa: E402
from karvon.registry.models import Person  # noqa: E402

TARGET_MS = 200
RESULTS = Path(__file__).parent / "results" / "presence.md"
ALLOWED_DATABASES = {"karvon_presence_bench"}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _time(call: Callable[[], object], runs: int) -> tuple[float, float]:
    for _ in range(3):  # warm the caches (database pages, Python imports)
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), _percentile(samples, 0.95)


def _load_demo(today: datetime) -> str:
    people = Person.objects.filter(merged_into__isnull=True).count()
    if PresenceSummary.objects.count() >= people:
        return "presence demo already loaded"
    officer = User.objects.get(username="officer")
    print(f"loading the presence demo for {people:,} people…", flush=True)
    report = presence_demo_load(
        people=demo_people_in_registry(),
        rng=random.Random(2019),
        user=officer,
        today=timezone.localdate(today),
        progress=lambda n: print(f"  {n:,} people…", flush=True) if n % 100_000 < 5000 else None,
    )
    with connection.cursor() as cursor:
        for table in (
            "presence_presencesummary",
            "presence_presencetally",
            "presence_movement",
            "presence_stayregistration",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return (
        f"presence demo loaded in {report.seconds:.0f} s: {report.people:,} people, {report.movements:,} "
        f"entries and exits, {report.stays:,} stay registrations, {report.permits:,} permits, "
        f"{report.addresses:,} addresses"
    )


def _concurrency_check(now: datetime, writers: int = 6) -> str:
    """Several officers record an entry for the same person at the same instant: exactly one may succeed."""
    officer = User.objects.get(username="officer")
    ctx = AccessContext(user=officer, now=now)
    office_id = min(office_ids_in_scope(ctx, Capability.PRESENCE_RECORD))
    crossing_point = Office.objects.filter(kind="border_crossing_point").order_by("pk").first()
    person = (
        Person.objects.filter(registrations__office_id=office_id, merged_into__isnull=True)
        .exclude(pk__in=Movement.objects.values("person_id"))
        .order_by("-pk")
        .first()
    )
    assert person is not None and crossing_point is not None
    barrier = threading.Barrier(writers)
    outcomes: list[str] = []

    def record() -> None:
        try:
            barrier.wait()
            services.movement_record(
                ctx=AccessContext(user=officer, now=now),
                person_uuid=person.uuid,
                movement=MovementInput(
                    direction="entry",
                    crossed_on=timezone.localdate(now),
                    office_id=office_id,
                    crossing_point_id=crossing_point.pk,
                    purpose="work",
                ),
            )
            outcomes.append("saved")
        except UnableToValidate as exc:
            outcomes.append(exc.errors[0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = Movement.objects.filter(person=person).count()
    summary = PresenceSummary.objects.get(person=person)
    ok = outcomes.count("saved") == 1 and saved == 1 and summary.entered_on == timezone.localdate(now)
    return (
        f"{writers} officers recording an entry for the same person at once: {outcomes.count('saved')} saved, "
        f"{sorted(set(outcomes) - {'saved'})} for the others; {saved} entry stored, summary "
        f"{'consistent' if ok else 'INCONSISTENT'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    database = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or database not in ALLOWED_DATABASES:
        sys.exit(f"Run on PostgreSQL in {sorted(ALLOWED_DATABASES)} (DATABASE_URL); this is {database!r}.")
    load_note = _load_demo(timezone.now())
    print(load_note, flush=True)
    now = timezone.now()

    ctx = AccessContext(user=User.objects.get(username="supervisor"), now=now, ip_address="127.0.0.1")
    offices = office_ids_in_scope(ctx, Capability.PRESENCE_VIEW)
    summaries = PresenceSummary.objects.count()
    in_scope = PresenceSummary.objects.filter(office_id__in=offices).count()
    load_before = os.getloadavg()
    counts = selectors.presence_counts(ctx=ctx)
    measured = {
        "present-now counts (by status, with the three list totals)": _time(
            lambda: selectors.presence_counts(ctx=ctx), runs
        ),
    }
    for kind, label in (
        (selectors.LIST_MISSED, "missed stay registrations, first page"),
        (selectors.LIST_OVERSTAYS, "overstays, first page"),
        (selectors.LIST_WARNINGS, "overstay warnings (7 days), first page"),
    ):
        measured[label] = _time(
            lambda kind=kind: selectors.presence_list(ctx=ctx, kind=kind, query=PresenceListQuery()), runs
        )
    load_after = os.getloadavg()
    concurrency = _concurrency_check(now)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    lines = [
        "# Presence benchmark",
        "",
        f"Run on {now:%Y-%m-%d %H:%M} UTC: PostgreSQL {server} on this machine ({os.cpu_count()} cores, shared with "
        "other engineers' benchmarks), database `karvon_presence_bench`, `bench/presence_bench.py "
        f"--runs {runs}`.",
        "",
        f"- Data: {Person.objects.count():,} people, {summaries:,} presence summaries "
        f"({in_scope:,} in the supervisor's {len(offices)} offices), {Movement.objects.count():,} entries and exits, "
        f"{StayRegistration.objects.count():,} stay registrations, {Permit.objects.count():,} permits. "
        f"{load_note}.",
        f"- Present today in the supervisor's offices: {counts.total_present:,}; missed registrations "
        f"{counts.missed_registrations:,}, overstays {counts.overstays:,}, warnings {counts.warnings:,}.",
        f"- Load average (1, 5, 15 min) before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; "
        f"after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}.",
        f"- Concurrency: {concurrency}.",
        "- Each call is the selector the page and the API make, through Django, including the audit events a list "
        "writes (one per person shown) and the names, nationalities and offices of the page's 25 people.",
        "",
        f"| Query (whole state, supervisor) | p50 ms | p95 ms | ≤ {TARGET_MS} ms |",
        "|---|---:|---:|---|",
    ]
    for label, (p50, p95) in measured.items():
        lines.append(f"| {label} | {p50:.1f} | {p95:.1f} | {'yes' if p95 <= TARGET_MS else 'NO'} |")
    lines.append("")
    lines.append("By status: " + ", ".join(f"{c.status} {c.count:,}" for c in counts.by_status) + ".")
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
