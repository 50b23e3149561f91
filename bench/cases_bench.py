"""Procedures benchmark on PostgreSQL: case transitions through the API, the overdue list and the work counts.

    .venv/bin/python bench/cases_bench.py --people 1000000 --extra-share 0.5 --requests 1000

Steps (see bench/README.md): (1) unless --skip-load, drop and re-create the benchmark database, migrate, load
`--people` demo people (`karvon demo_load`) and their cases (`karvon cases_demo_load --extra-share`), timing each;
(2) start gunicorn on 127.0.0.1 with production settings; (3) POST /api/v1/cases/<uuid>/transitions on distinct
open cases of the demo caseworker's office (the legal next step of each: register, assess, record a contact),
from one client and from `--concurrency` clients in a closed loop; (4) the overdue list and the supervision
counts for the whole state (the demo supervisor holds the role agency-wide), timed in this process through the
selectors and over HTTP; with the presence app loaded, its present-now counts too.
Targets (issue 4): a transition p95 ≤ 50 ms; the overdue list and the present-now counts ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from registry_bench import (
    LATENCY_HEADER,
    VENV_BIN,
    CpuMeter,
    Phase,
    Server,
    child_env,
    django_setup,
    load_average,
    log,
    machine,
    percentile,
    psql,
    recreate_database,
    run_clients,
    run_load,
    table,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/karvon_cases_bench"
TARGETS = {"transition_p95_ms": 50.0, "overdue_ms": 200.0, "present_now_ms": 200.0}


def run_cases_load(url: str, extra_share: float) -> tuple[float, str]:
    log(f"loading cases (karvon cases_demo_load --extra-share {extra_share})")
    started = time.perf_counter()
    result = subprocess.run(
        [str(VENV_BIN / "karvon"), "cases_demo_load", "--extra-share", str(extra_share)],
        env=child_env(url),
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    summary = result.stdout.strip().splitlines()[-1]
    log("  " + summary)
    return seconds, summary


def run_presence_load(url: str) -> str:
    """The presence app's demo (entries, stays, permits) when the project has it."""
    karvon = str(VENV_BIN / "karvon")
    commands = subprocess.run(
        [karvon, "help", "--commands"], env=child_env(url), capture_output=True, text=True
    ).stdout
    if "presence_demo_load" not in commands.split():
        return "presence demo command not found: skipped"
    log("loading presence (karvon presence_demo_load)")
    started = time.perf_counter()
    result = subprocess.run(
        [karvon, "presence_demo_load"], env=child_env(url), capture_output=True, text=True, check=True
    )
    return f"{result.stdout.strip().splitlines()[-1]} ({time.perf_counter() - started:.0f} s wall)"


def transition_requests(
    count: int, seed: int
) -> tuple[str, list[tuple[str, str, str, bytes | None]], dict[str, int]]:
    """A token of the demo caseworker and `count` legal steps on distinct open cases of their offices."""
    from django.utils import timezone

    from karvon.accounts.access import AccessContext, office_ids_in_scope
    from karvon.accounts.models import User
    from karvon.accounts.roles import Capability
    from karvon.accounts.services import api_token_issue
    from karvon.cases.models import Case

    worker = User.objects.get(username="caseworker")
    now = timezone.now()
    offices = office_ids_in_scope(AccessContext(user=worker, now=now), Capability.CASE_WORK)
    today = timezone.localdate()
    moves = {"lodged": "register_application", "interviewed": "complete_assessment"}
    candidates = list(
        Case.objects.filter(
            office_id__in=offices, closed_on__isnull=True, awaiting_approval="", last_event_on__lte=today
        )
        .exclude(kind="child_protection", state="opened")
        .values_list("uuid", "state", "kind", "version")[: count * 20]
    )
    rng = random.Random(seed)
    rng.shuffle(candidates)
    requests = []
    kinds: dict[str, int] = {}
    for case_uuid, state, kind, version in candidates[:count]:
        transition = moves.get(state, "record_contact") if kind == "asylum" else "record_contact"
        if kind == "statelessness" and state == "lodged":
            transition = "register_application"
        kinds[transition] = kinds.get(transition, 0) + 1
        body = json.dumps(
            {
                "transition": transition,
                "occurred_on": today.isoformat(),
                "expected_version": version,
                "reason": "",
            }
        ).encode()
        requests.append((transition, "POST", f"/api/v1/cases/{case_uuid}/transitions", body))
    if len(requests) < count:
        log(f"only {len(requests)} open cases at the caseworker's offices")
    token = api_token_issue(user=worker, name="cases benchmark", now=now, valid_days=1).secret
    return token, requests, kinds


def timed(function: Callable[[], Any], repeats: int) -> tuple[list[float], Any]:
    times = []
    value = None
    for _ in range(repeats):
        started = time.perf_counter()
        value = function()
        times.append((time.perf_counter() - started) * 1000)
    return times, value


def in_process_reads(repeats: int) -> list[list[str]]:
    """The whole state's lists and counts, called through the selectors as the pages do."""
    from django.utils import timezone

    from karvon.accounts.access import AccessContext
    from karvon.accounts.models import User
    from karvon.cases import selectors

    supervisor = User.objects.get(username="supervisor")
    rows = []

    def ctx() -> AccessContext:
        return AccessContext(user=supervisor, now=timezone.now(), ip_address="127.0.0.1")

    checks: list[tuple[str, Callable[[], Any], Callable[[Any], str]]] = [
        (
            "overdue list, page 1 (cases)",
            lambda: selectors.overdue_cases(ctx=ctx()),
            lambda p: f"{p.total:,} overdue",
        ),
        (
            "supervision counts (cases by stage)",
            lambda: selectors.supervisor_overview(ctx=ctx()),
            lambda o: f"{o.open_total:,} open, {o.overdue_total:,} overdue",
        ),
    ]
    from karvon.presence import selectors as presence_selectors
    from karvon.presence.contracts import PresenceListQuery

    checks.append(
        (
            "present-now counts (presence, by status)",
            lambda: presence_selectors.presence_counts(ctx=ctx()),
            lambda c: f"{c.total_present:,} present, {c.overstays:,} overstaying",
        )
    )
    for kind, label in (
        (presence_selectors.LIST_MISSED, "missed stay registrations, page 1"),
        (presence_selectors.LIST_OVERSTAYS, "overstays, page 1"),
    ):
        checks.append(
            (
                label,
                lambda kind=kind: presence_selectors.presence_list(
                    ctx=ctx(), kind=kind, query=PresenceListQuery()
                ),
                lambda _: "",
            )
        )
    for label, function, describe in checks:
        function()  # warm the caches as a page already open would
        times, value = timed(function, repeats)
        rows.append(
            [
                label,
                str(repeats),
                f"{percentile(times, 50):.1f}",
                f"{percentile(times, 95):.1f}",
                f"{max(times):.1f}",
                describe(value),
            ]
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--extra-share", type=float, default=0.5)
    parser.add_argument("--skip-load", action="store_true", help="use the loaded database as it is")
    parser.add_argument("--requests", type=int, default=1000, help="transitions in the closed-loop phase")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=30, help="timed calls of each list and count")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    url = args.database_url
    out: list[str] = [f"Cases benchmark, {datetime.now():%Y-%m-%d %H:%M}", json.dumps(machine())]

    if not args.skip_load:
        recreate_database(url)
        figures = run_load(url, args.people)
        out.append(f"people: {figures.people:,} loaded in {figures.seconds_command:.0f} s")
        seconds, summary = run_cases_load(url, args.extra_share)
        out.append(f"cases: {summary} ({seconds:.0f} s wall)")
        out.append(f"presence: {run_presence_load(url)}")
    counts = psql(
        url,
        "SELECT (SELECT count(*) FROM registry_person) || ' people, '"
        " || (SELECT count(*) FROM cases_case) || ' cases, '"
        " || (SELECT count(*) FROM cases_caseevent) || ' case events'",
    )
    out.append(
        f"database: {counts}; size {psql(url, 'SELECT pg_size_pretty(pg_database_size(current_database()))')}"
    )

    django_setup(url)
    token, requests, kinds = transition_requests(args.requests + args.requests // 5 + 40, args.seed)
    warm, alone, loop = (
        requests[:40],
        requests[40 : 40 + args.requests // 5],
        requests[40 + args.requests // 5 :],
    )
    server = Server(port=args.port, workers=args.workers, threads=args.threads)
    server.start(url)
    phases = []
    database = re.sub(r".*/", "", url)
    try:

        def meter_app() -> CpuMeter:
            return CpuMeter(lambda pid, command: "gunicorn" in command and "karvon.config.wsgi" in command)

        def meter_db() -> CpuMeter:
            return CpuMeter(
                lambda pid, command: command.startswith("postgres:") and f" {database} " in command
            )

        run_clients(args.port, token, warm, 1)
        for label, batch, concurrency in (
            ("POST transitions, 1 client", alone, 1),
            (f"POST transitions, {args.concurrency} clients, closed loop", loop, args.concurrency),
        ):
            app, db = meter_app(), meter_db()
            results, wall = run_clients(args.port, token, batch, concurrency)
            phases.append(Phase(label, results, wall, app.stop(), db.stop(), load_average()))
            errors = [r for r in results if r.status != 201]
            if errors:
                log(f"{len(errors)} errors, e.g. {errors[0]}")
        reads_token = _supervisor_token()
        reads = [("overdue", "GET", "/api/v1/cases?overdue=true", None)] * 30 + [
            ("overview", "GET", "/api/v1/cases-overview", None)
        ] * 30
        results, wall = run_clients(args.port, reads_token, reads, 1)
        http_rows = []
        for kind in ("overdue", "overview"):
            ok = [r.seconds * 1000 for r in results if r.kind == kind and r.status == 200]
            http_rows.append(
                [
                    f"GET {kind} (HTTP, whole state)",
                    str(len(ok)),
                    f"{percentile(ok, 50):.1f}",
                    f"{percentile(ok, 95):.1f}",
                    f"{max(ok):.1f}",
                    "",
                ]
            )
    finally:
        server.stop()

    out.append("steps sent: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    out.append(table("Case transitions through the API", LATENCY_HEADER, [p.row(201) for p in phases]))
    out.append(
        table(
            "Whole-state lists and counts (demo supervisor, agency-wide)",
            ["read", "calls", "p50 ms", "p95 ms", "max ms", "result"],
            in_process_reads(args.repeats) + http_rows,
        )
    )
    out.append(f"targets: {TARGETS}; load average at the end {load_average()}")
    print("\n\n".join(out))
    return 0


def _supervisor_token() -> str:
    from django.utils import timezone

    from karvon.accounts.models import User
    from karvon.accounts.services import api_token_issue

    return api_token_issue(
        user=User.objects.get(username="supervisor"), name="cases benchmark", now=timezone.now(), valid_days=1
    ).secret


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "karvon.config.settings")
    sys.exit(main())
