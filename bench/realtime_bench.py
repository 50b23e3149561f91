"""Real-time duplicate candidates: latency of scoring a registration draft against the whole registry.

Run against a loaded database, e.g. the 1,000,000-person PostgreSQL one that bench/registry_bench.py makes:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/karvon_bench .venv/bin/python bench/realtime_bench.py --drafts 300
Each draft is an existing person written another way (Cyrillic → Latin or Latin → Cyrillic spellings, the
document number with an OCR confusion), so the true person is among the candidates. After a bulk load, write
the candidates' prepared rows first (`karvon candidate_features_rebuild`; otherwise the first reads build them)
and let PostgreSQL vacuum (`VACUUM ANALYZE`) so that the blocking query is answered from the index alone.
Prints p50/p95/p99 in milliseconds, how often the true person ranked first, the process's peak memory and
the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "karvon.config.settings")
django.setup()

from karvon.matching.realtime import record_of_draft, scored_candidates  # noqa: E402
from karvon.registry.contracts import DocumentInput, NameInput, PersonInput  # noqa: E402
from karvon.registry.models import Person  # noqa: E402
from karvon_match import to_latin  # noqa: E402

OCR = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B"})


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
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
    load_before = os.getloadavg()
    timings: list[float] = []
    first = 0
    for index, person in enumerate(people):
        record = record_of_draft(draft_of(person, rng))
        started = time.perf_counter()
        found = scored_candidates(record, registry, limit=5)
        elapsed = (time.perf_counter() - started) * 1000
        if index >= 20:  # the first calls warm the caches and the connection
            timings.append(elapsed)
        first += bool(found and found[0].person_id == person.pk)
    timings.sort()

    def pct(p: float) -> float:
        return timings[min(len(timings) - 1, int(p * len(timings)))]

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"registry: {total:,} people; drafts: {len(people)} (first 20 not timed)")
    print(
        f"real-time candidates  p50 {pct(0.50):7.1f} ms   p95 {pct(0.95):7.1f} ms   p99 {pct(0.99):7.1f} ms   "
        f"mean {statistics.mean(timings):.1f} ms"
    )
    print(f"true person ranked first: {first}/{len(people)} ({100 * first / len(people):.1f} %)")
    print(f"peak RSS of the process: {peak_mib:.0f} MiB")
    load_after = os.getloadavg()
    print(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f} (2 cores)")


if __name__ == "__main__":
    main()
