"""Registry benchmark on PostgreSQL: bulk demo load, registration through the API, and the name search.

    .venv/bin/python bench/registry_bench.py --people 1000000 --requests 2000 --concurrency 10

Steps (see bench/README.md): (1) drop and re-create the benchmark database, migrate, and time
`karvon demo_load --people N` as a child process (wall time, rows/s, peak RSS); (2) start gunicorn on 127.0.0.1
with production settings (KARVON_DEBUG=false); (3) POST /api/v1/persons with fresh generated people from
`--concurrency` client threads; (4) GET /api/v1/persons?q=... with queries sampled from the loaded data, reported
per kind of query. Every phase sends a bounded number of requests; the server is stopped at the end.
Only the standard library and the project's own dependencies are used.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/karvon_bench"
TARGETS = {"load_seconds": 600.0, "register_p95_ms": 50.0, "search_p95_ms": 100.0}


# --- Output --------------------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def fmt(row: list[str]) -> str:
        cells = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(cells) + " |"

    return "\n".join([title, line, fmt(header), line, *[fmt(r) for r in rows], line])


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# --- The machine and the database ----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(t.split()[1])
            for t in Path("/proc/meminfo").read_text().splitlines()
            if t.startswith("MemTotal")
        )
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        memory = "?"
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _cpu_by_pid(match: Callable[[int, str], bool]) -> dict[int, float]:
    """User + system CPU seconds of the live processes for which match(pid, command line) holds."""
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not match(int(entry.name), command):
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return found


class CpuMeter:
    """CPU seconds used by a changing set of processes during a phase: sampled twice a second, so that a
    process which ends during the phase (a database connection closed after KARVON_DB_CONN_MAX_AGE) still
    counts up to its last sample, and one which starts counts from zero."""

    def __init__(self, match: Callable[[int, str], bool]) -> None:
        self.match = match
        self.first = _cpu_by_pid(match)
        self.last = dict(self.first)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.wait(0.5):
            self.last.update(_cpu_by_pid(self.match))

    def stop(self) -> float:
        self.stopping.set()
        self.thread.join()
        self.last.update(_cpu_by_pid(self.match))
        return sum(value - self.first.get(pid, 0.0) for pid, value in self.last.items())


# The gunicorn server's connections carry this application_name, so that the database CPU counted is theirs: other
# clients of the same database (another benchmark, a worker) are left out.
SERVER_APPLICATION_NAME = "karvon-bench-server"


def with_application_name(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query)
    if not any(key == "application_name" for key, _ in query):
        query.append(("application_name", SERVER_APPLICATION_NAME))
    return parts._replace(query=urllib.parse.urlencode(query, quote_via=urllib.parse.quote)).geturl()


class ServerBackends:
    """Matches the PostgreSQL backends of the benchmark's server (by application_name in pg_stat_activity, read at
    most five times a second)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.connection = psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)
        self.lock = threading.Lock()
        self.pids: set[int] = set()
        self.read_at = 0.0

    def __call__(self, pid: int, command: str) -> bool:
        if not command.startswith("postgres:"):
            return False
        with self.lock:
            if time.monotonic() - self.read_at > 0.2:
                rows = self.connection.execute(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [SERVER_APPLICATION_NAME]
                ).fetchall()
                self.pids = {row[0] for row in rows}
                self.read_at = time.monotonic()
            return pid in self.pids


def psql(url: str, sql: str, *, database: str | None = None) -> str:
    """One statement through psql (the admin steps run outside Django: DROP/CREATE DATABASE)."""
    parts = urllib.parse.urlsplit(url)
    target = parts._replace(path="/" + (database or parts.path.lstrip("/"))).geturl()
    target = target.replace("postgres://", "postgresql://", 1)
    result = subprocess.run(
        ["psql", target, "-v", "ON_ERROR_STOP=1", "-Atqc", sql], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"psql failed: {sql}\n{result.stderr}")
    return result.stdout.strip()


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def recreate_database(url: str) -> None:
    name = database_name(url)
    if not re.fullmatch(r"[a-z0-9_]*bench[a-z0-9_]*", name):
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database's name must contain 'bench'")
    psql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", database="postgres")
    psql(url, f"CREATE DATABASE {name}", database="postgres")


def drop_database(url: str) -> None:
    name = database_name(url)
    if "bench" in name:
        psql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", database="postgres")


def child_env(url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "karvon.config.settings", "PYTHONUNBUFFERED": "1"}
    )
    env.update(extra)
    return env


@dataclass
class LoadFigures:
    people: int
    households: int
    seconds_command: float  # wall time of `karvon demo_load`, process start to exit
    seconds_loader: float  # as reported by demo_people_load (generation and insert only)
    peak_rss_mib: float
    rows: int
    database_size: str


def run_load(url: str, people: int) -> LoadFigures:
    karvon = str(VENV_BIN / "karvon")
    log("migrating")
    subprocess.run([karvon, "migrate", "--no-input", "-v0"], env=child_env(url), check=True)
    log(f"loading {people:,} people (karvon demo_load)")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [karvon, "demo_load", "--people", str(people)], env=child_env(url), stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    output = []
    for text in proc.stdout:
        output.append(text)
        log("  " + text.strip())
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"demo_load failed with exit code {proc.returncode}")
    match = re.search(r"Loaded ([\d,]+) people in ([\d,]+) households in ([\d.]+) s", "".join(output))
    if not match:
        raise SystemExit("demo_load did not report what it loaded")
    tables = [
        "registry_person",
        "registry_personname",
        "registry_namesearchkey",
        "registry_personnationality",
        "registry_personlanguage",
        "registry_identitydocument",
        "registry_household",
        "registry_householdmembership",
        "registry_registration",
        "registry_profilerecord",
        "registry_specificneed",
        "registry_referralsuggestion",
    ]
    rows = int(psql(url, " + ".join(f"(SELECT count(*) FROM {t})" for t in tables).join(["SELECT ", ""])))
    size = psql(url, "SELECT pg_size_pretty(pg_database_size(current_database()))")
    return LoadFigures(
        people=int(match.group(1).replace(",", "")),
        households=int(match.group(2).replace(",", "")),
        seconds_command=seconds,
        seconds_loader=float(match.group(3)),
        peak_rss_mib=usage.ru_maxrss / 1024,
        rows=rows,
        database_size=size,
    )


# --- Data for the requests (Django in this process, on the benchmark database) -------------------------------


def django_setup(url: str) -> None:
    os.environ.update(child_env(url))
    import django

    django.setup()


@dataclass
class Fixture:
    token: str
    office_id: int
    office_name: str
    people_in_db: int


def fixture() -> Fixture:
    from django.utils import timezone

    from karvon.accounts.access import AccessContext, office_ids_in_scope
    from karvon.accounts.models import Office, User
    from karvon.accounts.roles import Capability
    from karvon.accounts.services import api_token_issue
    from karvon.registry.models import Person

    officer = User.objects.get(username="officer")
    if not officer.check_password("karvon-demo"):
        raise SystemExit("the demo user 'officer' does not have the demo password")
    now = timezone.now()
    offices = office_ids_in_scope(AccessContext(user=officer, now=now), Capability.PERSON_REGISTER)
    office = Office.objects.get(pk=min(offices))
    issued = api_token_issue(user=officer, name="registry benchmark", now=now, valid_days=1)
    return Fixture(
        token=issued.secret, office_id=office.pk, office_name=office.name, people_in_db=Person.objects.count()
    )


def registration_payloads(count: int, office_id: int, seed: int) -> list[bytes]:
    """Fresh people from the demo generator (another seed than the load), as the API's JSON bodies."""
    from karvon.demo.generator import generate_registrations

    # The server's "today" is the UTC date; a day earlier is never in its future.
    today = datetime.now(UTC).date() - timedelta(days=1)
    payloads: list[bytes] = []
    for registration in generate_registrations(seed=seed, people=count * 2, host_state="KAZ", today=today):
        for member in registration.members:
            person = member.person
            names = [
                {"part": n.part, "text": s.text, "script": s.script, "source": s.source}
                for n in person.names
                for s in n.spellings
            ][:60]
            body: dict[str, dict[str, Any]] = {
                "person": {
                    "names": names,
                    "sex": person.sex,
                    "birth_date": person.birth_date.isoformat() if person.birth_date else None,
                    "birth_date_precision": person.birth_date_precision,
                    "nationalities": list(dict.fromkeys(person.nationalities))[:5],
                    "place_of_birth": person.place_of_birth,
                    "languages": list(dict.fromkeys(person.languages)),
                    "phone": person.phone,
                    "documents": [
                        {
                            "doc_type": d.doc_type,
                            "number": d.number,
                            "issuing_state": d.issuing_state,
                            "issue_date": d.issue_date.isoformat() if d.issue_date else None,
                            "expiry_date": d.expiry_date.isoformat() if d.expiry_date else None,
                        }
                        for d in person.documents
                    ],
                },
                "registration": {
                    "office_id": office_id,
                    "registered_on": registration.registered_on.isoformat(),
                    "met_at": registration.met_at,
                    "arrival_date": registration.arrival_date.isoformat()
                    if registration.arrival_date
                    else None,
                    "transit_countries": list(registration.transit_countries),
                    "referred_by": "UNHCR" if registration.met_at == "referral" else "",
                },
            }
            arrival = registration.arrival_date
            if arrival and person.birth_date and arrival < person.birth_date:
                body["registration"]["arrival_date"] = (
                    None  # born after the family arrived: no arrival of their own
                )
            payloads.append(json.dumps(body, ensure_ascii=False).encode())
            if len(payloads) == count:
                return payloads
    return payloads


QUERY_KINDS = [
    ("family_cyrl", "family name, Cyrillic"),
    ("family_latn", "family name, Latin"),
    ("family_arab", "family name, Arabic"),
    ("given_family_cyrl", "given + family, Cyrillic"),
    ("given_family_latn", "given + family, Latin"),
    ("given_family_arab", "given + family, Arabic"),
    ("misspelled", "family or given+family, one typo"),
    ("common", "very common name (Muhammad, Karimov)"),
    ("document", "document number"),
    ("birth_date", "date of birth (dd.mm.yyyy)"),
]
COMMON_NAMES = ["Muhammad", "Karimov", "Мухаммад", "Каримов", "Muhammad Karimov", "Каримова", "Mohammad"]


def misspell(text: str, rng: random.Random) -> str:
    """One typing error in the longest word: a letter dropped, doubled, swapped with the next, or replaced."""
    words = text.split()
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[index]
    if len(word) < 4:
        return text
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap", "vowel"])
    if kind == "drop":
        word = word[:at] + word[at + 1 :]
    elif kind == "double":
        word = word[:at] + word[at] + word[at:]
    elif kind == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        vowels = "аоеиуы" if unicodedata.name(word[0], "").startswith("CYRILLIC") else "aoeiu"
        candidates = [i for i, ch in enumerate(word) if ch.lower() in vowels and i > 0]
        if candidates:
            i = rng.choice(candidates)
            word = word[:i] + rng.choice([v for v in vowels if v != word[i].lower()]) + word[i + 1 :]
    words[index] = word
    return " ".join(words)


def search_queries(count: int, office_id: int, seed: int) -> list[tuple[str, str]]:
    """(kind, q) pairs sampled from people registered at the officer's office, kinds interleaved at random."""
    from django.db.models import Max

    from karvon.registry.models import IdentityDocument, Person, PersonName, Registration

    rng = random.Random(seed)
    max_id = Person.objects.aggregate(m=Max("pk"))["m"] or 0
    wanted = max(40, count // len(QUERY_KINDS) + 1)
    pools: dict[str, list[str]] = defaultdict(list)
    attempts = 0
    while attempts < 20 and min((len(pools[k]) for k, _ in QUERY_KINDS if k != "common"), default=0) < wanted:
        attempts += 1
        sample = rng.sample(range(1, max_id + 1), min(max_id, 4000))
        in_scope = set(
            Registration.objects.filter(person_id__in=sample, office_id=office_id).values_list(
                "person_id", flat=True
            )
        )
        names: dict[int, list[PersonName]] = defaultdict(list)
        for name in PersonName.objects.filter(person_id__in=in_scope).order_by("person_id", "position"):
            names[name.person_id].append(name)
        for person_id, spellings in names.items():
            for script, suffix in (("Cyrl", "cyrl"), ("Latn", "latn"), ("Arab", "arab")):
                family = [n.text for n in spellings if n.part == "family" and n.script == script]
                given = [n.text for n in spellings if n.part == "given" and n.script == script]
                if family:
                    pools[f"family_{suffix}"].append(rng.choice(family))
                    if given:
                        pools[f"given_family_{suffix}"].append(f"{rng.choice(given)} {rng.choice(family)}")
            family_any = [n.text for n in spellings if n.part == "family" and n.script in ("Cyrl", "Latn")]
            given_any = [n.text for n in spellings if n.part == "given" and n.script in ("Cyrl", "Latn")]
            if family_any:
                text = rng.choice(family_any)
                if given_any and rng.random() < 0.5:
                    text = f"{rng.choice(given_any)} {text}"
                typo = misspell(text, rng)
                if typo != text:
                    pools["misspelled"].append(typo)
            del person_id
        for number in IdentityDocument.objects.filter(person_id__in=in_scope).values_list(
            "number", flat=True
        ):
            pools["document"].append(number)
        for birth in Person.objects.filter(pk__in=in_scope, birth_date__isnull=False).values_list(
            "birth_date", flat=True
        ):
            if birth is not None:
                pools["birth_date"].append(birth.strftime("%d.%m.%Y"))
    pools["common"] = COMMON_NAMES
    per_kind = max(1, count // len(QUERY_KINDS))
    queries = [
        (kind, rng.choice(pools[kind])) for kind, _ in QUERY_KINDS if pools[kind] for _ in range(per_kind)
    ]
    rng.shuffle(queries)
    return queries


# --- The server ----------------------------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    workers: int
    threads: int
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path = field(
        default_factory=lambda: Path(os.environ.get("TMPDIR", "/tmp")) / "karvon-bench-gunicorn.log"
    )

    def settings(self) -> dict[str, str]:
        return {
            "server": "gunicorn",
            "bind": f"127.0.0.1:{self.port}",
            "workers": str(self.workers),
            "threads": str(self.threads),
            "worker class": "gthread" if self.threads > 1 else "sync",
            "KARVON_DEBUG": "false",
            "KARVON_DB_CONN_MAX_AGE": os.environ.get("KARVON_DB_CONN_MAX_AGE", "60"),
            "KARVON_TASKS_BACKEND": os.environ.get("KARVON_TASKS_BACKEND", "(default)"),
        }

    def start(self, url: str) -> None:
        env = child_env(
            with_application_name(url),
            KARVON_DEBUG="false",
            KARVON_SECRET_KEY=secrets.token_urlsafe(48),
            KARVON_ALLOWED_HOSTS="127.0.0.1,localhost",
            KARVON_LOG_LEVEL="ERROR",
        )
        command = [
            str(VENV_BIN / "gunicorn"),
            "karvon.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--timeout",
            "60",
            "--backlog",
            "256",
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            "--error-logfile",
            str(self.log_path),
        ]
        log("starting " + " ".join(command[1:]))
        self.proc = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start listening within 60 s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(
            self.proc.pid, signal.SIGTERM
        )  # the process group of the master we started, and its workers
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


# --- The load generator --------------------------------------------------------------------------------------


@dataclass
class Result:
    kind: str
    status: int
    seconds: float
    detail: str = ""


Request = tuple[str, str, str, bytes | None]  # kind, method, path, body


def run_clients(
    port: int,
    token: str,
    requests: list[Request],
    concurrency: int,
    check: Callable[[int, bytes], str] | None = None,
    rate: float | None = None,
) -> tuple[list[Result], float]:
    """Send the requests from `concurrency` threads, each over its own keep-alive connection.

    Without `rate`: a closed loop, each client sends its next request as soon as the answer came (no think time).
    With `rate` (requests/s over all clients): each client keeps a fixed schedule; latency is counted from the
    scheduled time, so a late start (the server was slow) counts against the server.
    """
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/json",
        "Content-Type": "application/json",
        "Accept-Language": "en",
    }
    work: Iterator[Request] = iter(requests)
    lock = threading.Lock()
    results: list[Result] = []
    interval = concurrency / rate if rate else 0.0
    started = time.perf_counter()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[Result] = []
        due = started + number * interval / concurrency
        while True:
            with lock:
                item = next(work, None)
            if item is None:
                break
            kind, method, path, body = item
            if rate:
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                begin = due
                due += interval
            else:
                begin = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                mine.append(Result(kind, 0, time.perf_counter() - begin, type(exc).__name__))
                continue
            elapsed = time.perf_counter() - begin
            mine.append(Result(kind, status, elapsed, check(status, content) if check else ""))
        connection.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


# wrk's Lua: one wrk thread, `--concurrency` connections, each sending the next body of the file as soon as it has
# the answer (a closed loop). When every body is sent, the thread writes the statuses it got to a marker file and
# stops: the answers still in flight then (at most concurrency - 1) are not counted. A connection left with nothing
# to send would otherwise hold a gunicorn worker (it accepts the connection and waits for a request). The script
# then interrupts wrk, which prints its latency percentiles (µs) of the answers counted.
WRK_SCRIPT = r"""
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local threads = tonumber(args[2])
  bodies, sent, answered, statuses = {}, 0, 0, {}
  local index = 0
  for line in io.lines(args[1]) do
    if index % threads == id then table.insert(bodies, line) end
    index = index + 1
  end
  marker = args[3] .. "/" .. id
  -- wrk calls request() once in thread 0 after init() to check the script, and sends nothing of it.
  checked = id ~= 0
  headers = {
    ["Authorization"] = "Bearer " .. args[4], ["Content-Type"] = "application/json",
    ["Accept"] = "application/json", ["Accept-Language"] = "en",
  }
end

function request()
  if not checked then
    checked = true
    return wrk.format("POST", "/api/v1/persons", headers, bodies[1])
  end
  sent = sent + 1
  if sent > #bodies then
    if not finished then
      finished = true
      local file = io.open(marker, "w")
      for code, count in pairs(statuses) do file:write(code .. " " .. count .. "\n") end
      file:close()
      wrk.thread:stop()
    end
    return ""
  end
  return wrk.format("POST", "/api/v1/persons", headers, bodies[sent])
end

function response(status, headers, body)
  if finished then return end
  answered = answered + 1
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format(
    "WRK %d %d %d %d %d %d %d\n", summary.requests, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, math.floor(latency.mean), summary.errors.timeout))
end
"""


@dataclass
class WrkRun:
    requests: int
    wall: float
    statuses: dict[int, int]
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    client_cpu: float  # seconds of CPU of the wrk process


def run_wrk(port: int, token: str, bodies: list[bytes], concurrency: int) -> WrkRun:
    """POST the bodies with wrk (C, one event loop per thread), `concurrency` connections in a closed loop."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("--client wrk needs wrk (Debian package wrk)")
    threads = (
        1  # one event loop keeps up with 10 connections at these rates, and keeps all 10 busy to the end
    )
    with tempfile.TemporaryDirectory(prefix="karvon-wrk-") as work:
        script, data, markers = Path(work, "register.lua"), Path(work, "bodies.jsonl"), Path(work, "done")
        markers.mkdir()
        script.write_text(WRK_SCRIPT)
        data.write_bytes(b"".join(body.replace(b"\n", b" ") + b"\n" for body in bodies))
        command = [wrk, "-t", str(threads), "-c", str(concurrency), "-d", "3600s", "--timeout", "60s"]
        command += [
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
            "--",
            str(data),
            str(threads),
            str(markers),
        ]
        started = time.perf_counter()
        proc = subprocess.Popen([*command, token], stdout=subprocess.PIPE, text=True)
        while len(list(markers.iterdir())) < threads:
            if proc.poll() is not None:
                raise SystemExit(f"wrk exited early with {proc.returncode}")
            time.sleep(0.01)
        wall = time.perf_counter() - started
        proc.send_signal(signal.SIGINT)
        assert proc.stdout is not None
        output = proc.stdout.read()
        _, _, usage = os.wait4(proc.pid, 0)
        statuses: dict[int, int] = defaultdict(int)
        for marker in markers.iterdir():
            for line in marker.read_text().split("\n"):
                if line.strip():
                    code, count = line.split()
                    statuses[int(code)] += int(count)
    match = re.search(r"^WRK (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", output, re.MULTILINE)
    if not match:
        raise SystemExit("wrk did not report its figures:\n" + output)
    _, p50, p95, p99, high, mean, _ = (int(v) for v in match.groups())
    return WrkRun(
        requests=sum(statuses.values()),
        wall=wall,
        statuses=dict(statuses),
        p50_ms=p50 / 1000,
        p95_ms=p95 / 1000,
        p99_ms=p99 / 1000,
        max_ms=high / 1000,
        mean_ms=mean / 1000,
        client_cpu=usage.ru_utime + usage.ru_stime,
    )


@dataclass
class Phase:
    label: str
    results: list[Result]
    wall: float
    app_cpu: float  # seconds of CPU of the gunicorn processes during the phase
    db_cpu: float  # seconds of CPU of the PostgreSQL backends of the benchmark database
    load: str
    client_cpu: float = 0.0  # seconds of CPU of the load generator (this process's threads, or wrk)
    wrk: WrkRun | None = None

    def ok_ms(self, expected: int) -> list[float]:
        return [r.seconds * 1000 for r in self.results if r.status == expected]

    def row(self, expected: int) -> list[str]:
        n = len(self.results) if self.wrk is None else self.wrk.requests
        cpu = (
            [f"{c * 1000 / n:.1f}" for c in (self.app_cpu, self.db_cpu, self.client_cpu)]
            if n
            else ["-", "-", "-"]
        )
        if self.wrk is not None:
            # wrk gives its own percentiles (of every answer; the errors are counted apart).
            w = self.wrk
            errors = n - w.statuses.get(expected, 0)
            figures = [w.mean_ms, w.p50_ms, w.p95_ms, w.p99_ms, w.max_ms]
            return [
                self.label + " (wrk)",
                str(n),
                str(errors),
                f"{n / w.wall:.1f}",
                *(f"{v:.1f}" for v in figures),
                *cpu,
                self.load,
            ]
        ok = self.ok_ms(expected)
        if not ok:
            return [self.label, str(n), str(n), "-", "-", "-", "-", "-", "-", *cpu, self.load]
        return [
            self.label,
            str(n),
            str(n - len(ok)),
            f"{n / self.wall:.1f}",
            f"{statistics.mean(ok):.1f}",
            f"{percentile(ok, 50):.1f}",
            f"{percentile(ok, 95):.1f}",
            f"{percentile(ok, 99):.1f}",
            f"{max(ok):.1f}",
            *cpu,
            self.load,
        ]


LATENCY_HEADER = [
    "scenario",
    "requests",
    "errors",
    "req/s",
    "mean ms",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "app CPU ms/req",
    "db CPU ms/req",
    "client CPU ms/req",
    "load avg after",
]


# --- Main ----------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--people", type=int, default=1_000_000, help="demo people to load (default 1,000,000)"
    )
    parser.add_argument(
        "--skip-load", action="store_true", help="keep the database as it is; no drop, no load"
    )
    parser.add_argument(
        "--requests", type=int, default=2000, help="requests per measured scenario (default 2000)"
    )
    parser.add_argument("--concurrency", type=int, default=10, help="client threads (default 10)")
    parser.add_argument(
        "--rate",
        type=float,
        default=10.0,
        help="requests/s of the paced runs, over all clients (default 10; 0 skips them)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"the benchmark database, dropped and re-created (default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument(
        "--workers", type=int, default=5, help="gunicorn worker processes (default 5: 2 × cores + 1)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1)")
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")
    parser.add_argument(
        "--client",
        choices=["python", "wrk"],
        default="python",
        help="load generator of the registration runs with 1 and --concurrency clients: Python threads with"
        " http.client (default), or wrk (closed loop too, far less CPU on the same machine); searches and paced"
        " runs always use the Python client",
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the requests' people and queries")
    parser.add_argument("--drop-after", action="store_true", help="drop the benchmark database at the end")
    args = parser.parse_args()
    if shutil.which("psql") is None:
        raise SystemExit("psql (the PostgreSQL client) is needed")
    url = args.database_url
    print(
        table(
            "Machine",
            ["", "value"],
            [[k, v] for k, v in machine().items()]
            + [
                ["PostgreSQL", psql(url, "SHOW server_version", database="postgres")],
                ["PostgreSQL shared_buffers", psql(url, "SHOW shared_buffers", database="postgres")],
                ["load average at start", load_average()],
            ],
        ),
        flush=True,
    )
    figures: list[list[str]] = []
    verdicts: list[list[str]] = []
    if not args.skip_load:
        recreate_database(url)
        load = run_load(url, args.people)
        met = load.seconds_command <= TARGETS["load_seconds"]
        figures += [
            ["people / households", f"{load.people:,} / {load.households:,}", ""],
            ["karvon demo_load, wall time", f"{load.seconds_command:.1f} s", "process start to exit"],
            ["  of which generate + insert", f"{load.seconds_loader:.1f} s", "the loader's own figure"],
            ["rows inserted", f"{load.rows:,}", "12 registry tables"],
            [
                "rows/s",
                f"{load.rows / load.seconds_command:,.0f}",
                f"{load.people / load.seconds_command:,.0f} people/s",
            ],
            ["peak RSS of the loader", f"{load.peak_rss_mib:.0f} MiB", "karvon demo_load process"],
            ["database size after the load", load.database_size, ""],
            ["load average after the load", load_average(), ""],
        ]
        verdicts.append(
            [
                f"load ≤ {TARGETS['load_seconds']:.0f} s",
                f"{load.seconds_command:.1f} s",
                "met" if met else "NOT met",
            ]
        )
        print(table("Load", ["figure", "value", "note"], figures), flush=True)
    django_setup(url)
    fix = fixture()
    if fix.people_in_db == 0:
        raise SystemExit("no people in the database: run without --skip-load")
    log(f"{fix.people_in_db:,} people; officer's office {fix.office_name} (id {fix.office_id})")
    serial_n = max(20, args.requests // 5)
    paced_n = serial_n if args.rate else 0
    payloads = registration_payloads(20 + serial_n + args.requests + paced_n, fix.office_id, seed=args.seed)
    queries = search_queries(args.requests + serial_n + paced_n, fix.office_id, seed=args.seed)
    server = Server(port=args.port, workers=args.workers, threads=args.threads)
    server_backends = ServerBackends(url)
    latency: list[list[str]] = []
    per_kind: list[list[str]] = []
    kind_header: list[str] = []

    def phase(
        label: str,
        requests: list[Request],
        concurrency: int,
        expected: int,
        check: Callable[[int, bytes], str] | None = None,
        rate: float | None = None,
    ) -> Phase:
        assert server.proc is not None
        master = server.proc.pid

        def app(pid: int, command: str) -> bool:
            try:
                return os.getpgid(pid) == master
            except OSError:
                return False

        # The connections of the server to the benchmark database (parallel workers are too short-lived to be
        # sampled: not counted), not those of other clients of the same database.
        db = server_backends

        log(f"{label}: {len(requests)} requests")
        app_meter, db_meter = CpuMeter(app), CpuMeter(db)
        if args.client == "wrk" and rate is None and all(m == "POST" for _, m, _, _ in requests):
            run = run_wrk(args.port, fix.token, [body or b"" for _, _, _, body in requests], concurrency)
            measured = Phase(
                label, [], run.wall, app_meter.stop(), db_meter.stop(), load_average(), run.client_cpu, run
            )
            latency.append(measured.row(expected))
            if run.statuses.get(expected, 0) != run.requests:
                log(f"  statuses: {run.statuses}")
            return measured
        before = resource.getrusage(resource.RUSAGE_SELF)
        results, wall = run_clients(args.port, fix.token, requests, concurrency, check, rate)
        after = resource.getrusage(resource.RUSAGE_SELF)
        # This process's CPU: the client threads, plus the two CPU meters' sampling (small).
        client = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        measured = Phase(label, results, wall, app_meter.stop(), db_meter.stop(), load_average(), client)
        latency.append(measured.row(expected))
        for failure in [r.detail for r in results if r.status != expected][:3]:
            log("  failed: " + failure)
        return measured

    try:
        server.start(url)

        def created(status: int, content: bytes) -> str:
            return "" if status == 201 else content[:300].decode(errors="replace")

        def total(status: int, content: bytes) -> str:
            return (
                str(json.loads(content)["total"]) if status == 200 else content[:300].decode(errors="replace")
            )

        # Warm-up, not counted: every worker imports, connects and plans its queries once.
        warm: list[Request] = [
            ("warm", "GET", "/api/v1/persons?q=" + urllib.parse.quote(q), None) for _, q in queries[:60]
        ]
        warm += [("warm", "POST", "/api/v1/persons", body) for body in payloads[:20]]
        run_clients(args.port, fix.token, warm, args.concurrency)
        bodies = iter(payloads[20:])

        def register(n: int) -> list[Request]:
            return [("register", "POST", "/api/v1/persons", next(bodies)) for _ in range(n)]

        phase("POST /persons, 1 client", register(serial_n), 1, 201, created)
        closed = phase(
            f"POST /persons, {args.concurrency} clients",
            register(args.requests),
            args.concurrency,
            201,
            created,
        )
        if args.rate:
            phase(
                f"POST /persons, {args.concurrency} clients at {args.rate:g}/s",
                register(paced_n),
                args.concurrency,
                201,
                created,
                args.rate,
            )
        if closed.wrk is not None:
            ok_all = closed.wrk.statuses.get(201, 0) == closed.wrk.requests
            p95 = closed.wrk.p95_ms if ok_all else float("inf")
        else:
            ok = closed.ok_ms(201)
            p95 = percentile(ok, 95) if ok else float("inf")
        verdicts.append(
            [
                f"register p95 ≤ {TARGETS['register_p95_ms']:.0f} ms, {args.concurrency} clients",
                f"{p95:.1f} ms",
                "met" if p95 <= TARGETS["register_p95_ms"] else "NOT met",
            ]
        )

        searches: list[Request] = [
            (kind, "GET", "/api/v1/persons?q=" + urllib.parse.quote(q), None) for kind, q in queries
        ]
        # A sample per phase, so that a phase does not simply repeat the queries of the one before.
        alone = searches[:serial_n]
        paced = searches[serial_n + args.requests :]
        searches = searches[serial_n : serial_n + args.requests]
        phases = [phase("GET /persons?q=, 1 client", alone, 1, 200, total)]
        closed = phase(f"GET /persons?q=, {args.concurrency} clients", searches, args.concurrency, 200, total)
        phases.append(closed)
        if args.rate:
            label = f"GET /persons?q=, {args.concurrency} clients at {args.rate:g}/s"
            phases.append(phase(label, paced, args.concurrency, 200, total, args.rate))
        kind_header = ["kind", "1 client p50", "p95", f"{args.concurrency} clients p50", "p95", "p99"]
        if args.rate:
            kind_header += [f"at {args.rate:g}/s p50", "p95"]
        kind_header += [f"requests / errors ({args.concurrency} clients)", "results"]
        for kind, label in QUERY_KINDS:
            cells = [label]
            for measured in phases:
                ok = [r.seconds * 1000 for r in measured.results if r.kind == kind and r.status == 200]
                wanted = (50, 95, 99) if measured is closed else (50, 95)
                cells += [f"{percentile(ok, q):.1f}" if ok else "-" for q in wanted]
            done = [r for r in closed.results if r.kind == kind]
            totals = [int(r.detail) for r in done if r.status == 200]
            cells.append(f"{len(done)} / {len(done) - len(totals)}")
            if totals:
                found = sum(1 for t in totals if t) / len(totals)
                cells.append(f"{found:.0%} found, mean total {statistics.mean(totals):.0f}")
            else:
                cells.append("no sample")
            per_kind.append(cells)
        # The issue asks for "the name search: p95 ≤ 100 ms" without a number of clients (its registration target
        # names 10): the search is judged with one client, as one officer at the search box sees it, and with
        # `--concurrency` clients in a closed loop as well, a stricter reading than the issue's, printed beside it.
        for measured, column, reading in (
            (phases[0], 2, "1 client"),
            (closed, 4, f"{args.concurrency} clients, closed loop (stricter than asked)"),
        ):
            ok = measured.ok_ms(200)
            p95 = percentile(ok, 95) if ok else float("inf")
            worst = max((float(r[column]) for r in per_kind if r[column] != "-"), default=float("inf"))
            for label, value in (("all kinds", p95), ("worst kind", worst)):
                verdicts.append(
                    [
                        f"search p95 ≤ {TARGETS['search_p95_ms']:.0f} ms, {reading}, {label}",
                        f"{value:.1f} ms",
                        "met" if value <= TARGETS["search_p95_ms"] else "NOT met",
                    ]
                )
    finally:
        server.stop()
        if args.drop_after:
            drop_database(url)
    print()
    server_rows = [[k, v] for k, v in server.settings().items()]
    print(table("Server", ["setting", "value"], [*server_rows, ["registration load generator", args.client]]))
    print()
    print(table(f"Latency ({fix.people_in_db:,} people in the database)", LATENCY_HEADER, latency))
    print()
    print(table("Search per kind of query (latency in ms)", kind_header, per_kind))
    print()
    print(table("Targets", ["target", "measured", "verdict"], verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
