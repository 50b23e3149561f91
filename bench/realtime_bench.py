"""Real-time duplicate candidates: latency of scoring a registration draft against the whole registry.

Run against a loaded database, e.g. the 1,000,000-person PostgreSQL one that bench/registry_bench.py makes:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/karvon_bench .venv/bin/python bench/realtime_bench.py --drafts 400
Each draft is an existing person written another way (Cyrillic → Latin or Latin → Cyrillic spellings, the
document number with an OCR confusion), so the true person is among the candidates. After a bulk load, write
the candidates' prepared rows first (`karvon candidate_features_rebuild`; otherwise the first reads build them)
and let PostgreSQL vacuum (`VACUUM ANALYZE`) so that the blocking query is answered from the index alone.

Paths (`--paths`, comma-separated, each measured on the same drafts, one after the other for each draft):
  db      the database path (`realtime.database_candidates`);
  index   the resident candidate index built in this process (`resident.CandidateIndex.build`), each call
          brought up to date from the audit trail first (`resident.answer`), as the scoring process does;
  server  the scoring process (`karvon candidate_index_serve`) started as a child on a private socket, asked over
          it (`index_service.ask`): the index's work plus the socket round trip, in another process.
Prints, per path, p50/p95/p99 in milliseconds, how often the true person ranked first, the answers that differ
from the database path's, the index's build time and memory (RSS before and after building; for the scoring
process its own RSS), and the load average before and after each phase.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "karvon.config.settings")
django.setup()

from django.conf import settings  # noqa: E402

from karvon.matching.realtime import (  # noqa: E402
    NODE_WIDE,
    ScoredCandidate,
    database_candidates,
    record_of_draft,
)
from karvon.matching.resident import CandidateIndex, answer  # noqa: E402
from karvon.registry.contracts import DocumentInput, NameInput, PersonInput  # noqa: E402
from karvon.registry.models import Person  # noqa: E402
from karvon_match import PersonRecord, to_latin  # noqa: E402

OCR = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B"})
WARM_UP = 20


def draft_of(person: Person, rng: random.Random) -> PersonInput:
    names = []
    for name in person.names.all():
        if not name.is_primary:
            continue
        text = to_latin(name.text).title() if name.script != "Latn" else name.text
        names.append(NameInput(part=name.part, text=text, script="Latn", source="document"))
    documents = tuple(
        DocumentInput(
            doc_type=d.doc_type,
            number=d.number.translate(OCR) if rng.random() < 0.5 else d.number,
            issuing_state=d.issuing_state,
        )
        for d in person.documents.all()[:1]
    )
    return PersonInput(
        names=tuple(names),
        sex=person.sex,
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        nationalities=tuple(n.country for n in person.nationalities.all()),
        documents=documents,
    )


def rss_mib(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def pct(timings: list[float], p: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


Ask = Callable[[PersonRecord], list[ScoredCandidate] | None]


def start_server(socket: str) -> subprocess.Popen[bytes]:
    karvon = Path(sys.executable).with_name("karvon")
    return subprocess.Popen(
        [str(karvon), "candidate_index_serve", "--socket", socket], stderr=subprocess.DEVNULL
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--paths", default="db,index", help="db, index, server (comma-separated)")
    args = parser.parse_args()
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    rng = random.Random(args.seed)
    registry = Person.objects.filter(merged_into__isnull=True)
    total = registry.count()
    max_id = registry.order_by("-pk").values_list("pk", flat=True).first() or 0
    people = []
    while len(people) < args.drafts:
        person = (
            registry.filter(pk__gte=rng.randint(1, max_id))
            .order_by("pk")
            .prefetch_related("names", "documents", "nationalities")
            .first()
        )
        if person is not None and person.names.exists():
            people.append(person)
    records = [record_of_draft(draft_of(person, rng)) for person in people]
    print(f"registry: {total:,} people; drafts: {len(people)} (first {WARM_UP} not timed); seed {args.seed}")

    asks: dict[str, Ask] = {"db": lambda record: database_candidates(record, registry, limit=5)}
    server: subprocess.Popen[bytes] | None = None
    if "index" in paths:
        before, load_before = rss_mib(), load()
        started = time.perf_counter()
        index = CandidateIndex.build()
        built = time.perf_counter() - started
        print(
            f"index build: {built:.1f} s for {index.people:,} people; RSS {before:.0f} → {rss_mib():.0f} MiB "
            f"(+{rss_mib() - before:.0f} MiB); load average {load_before} → {load()}"
        )
        asks["index"] = lambda record: answer(
            index, record, offices=NODE_WIDE, exclude_id=None, limit=5, minimum_probability=0.0
        )
    if "server" in paths:
        from karvon.matching.index_service import ask

        socket = os.path.join(tempfile.mkdtemp(), "index.sock")
        settings.KARVON_CANDIDATE_INDEX_TIMEOUT = 5.0
        settings.KARVON_CANDIDATE_INDEX_SOCKET = socket
        load_before, started = load(), time.perf_counter()
        server = start_server(socket)
        while ask(records[0], offices=NODE_WIDE, exclude_id=None, limit=5, minimum_probability=0.0) is None:
            if server.poll() is not None:
                raise SystemExit("the scoring process stopped")
            time.sleep(0.5)
        print(
            f"scoring process: built and answering after {time.perf_counter() - started:.1f} s; "
            f"its RSS {rss_mib(server.pid):.0f} MiB; load average {load_before} → {load()}"
        )
        asks["server"] = lambda record: ask(
            record, offices=NODE_WIDE, exclude_id=None, limit=5, minimum_probability=0.0
        )

    timings: dict[str, list[float]] = {p: [] for p in paths}
    first = dict.fromkeys(paths, 0)
    differ = dict.fromkeys(paths, 0)
    load_before = load()
    try:
        for number, (person, record) in enumerate(zip(people, records, strict=True)):
            answers: dict[str, list[ScoredCandidate] | None] = {}
            for path in paths:
                started = time.perf_counter()
                found = asks[path](record)
                elapsed = (time.perf_counter() - started) * 1000
                if number >= WARM_UP:  # the first calls warm the caches and the connection
                    timings[path].append(elapsed)
                answers[path] = found
                first[path] += bool(found and found[0].person_id == person.pk)
            if "db" in answers:
                for path in paths:
                    differ[path] += answers[path] != answers["db"]
    finally:
        if server is not None:
            print(f"scoring process RSS after the run: {rss_mib(server.pid):.0f} MiB")
            server.terminate()
            server.wait()
    for path in paths:
        t = timings[path]
        print(
            f"{path:6}  p50 {pct(t, 0.50):6.1f} ms   p95 {pct(t, 0.95):6.1f} ms   p99 {pct(t, 0.99):6.1f} ms   "
            f"mean {statistics.mean(t):5.1f} ms   ranked first {first[path]}/{len(people)} "
            f"({100 * first[path] / len(people):.1f} %)   answers differing from db: {differ[path]}"
        )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak_mib:.0f} MiB")
    print(f"load average (1 min) over the timed calls: before {load_before}, after {load()} (2 cores)")


if __name__ == "__main__":
    main()
