"""Deduplicate the whole registry in batch: Splink (DuckDB) on karvon_match features, pairs into the review queue.

The trained model becomes the active one, so the real-time scorer uses the same weights.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from karvon.audit.services import audit_record
from karvon.matching import batch
from karvon.matching.models import MatchModel
from karvon.matching.realtime import ACTIVE_WEIGHTS, FieldReason, ScoredCandidate, band_of, records_of_people
from karvon.matching.services import candidates_record
from karvon.registry.models import Person
from karvon_match import compare, person_features, score

CHUNK = 5000


@dataclass(frozen=True)
class RegistryBatchReport:
    people: int
    pairs_scored: int
    pairs_queued: int
    clusters_with_duplicates: int
    model_version: str
    training: dict[str, object] = field(default_factory=dict)


def registry_records() -> Iterator[batch.SourcedRecord]:
    """Every person still in the registry (not merged away), read in chunks."""
    last = 0
    row = 0
    while True:
        ids = list(
            Person.objects.filter(pk__gt=last, merged_into__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return
        records = records_of_people(ids)
        for person_id in ids:
            row += 1
            yield batch.SourcedRecord(row_number=row, source_dataset="registry", record=records[person_id])
        last = ids[-1]


def registry_deduplicate(
    *, now: datetime, say: Callable[[str], None] = lambda _: None
) -> RegistryBatchReport:
    """Train on the registry, score and cluster it; queue the pairs at or above the review threshold."""
    with tempfile.TemporaryDirectory(prefix="karvon-batch-") as scratch:
        con = batch.connect(temp_directory=Path(scratch))
        options = batch.BatchOptions(pairs_threshold=settings.KARVON_MATCH_REVIEW, workers=1)
        summary = batch.run_batch(con, registry_records(), options=options, progress=say)
        pairs = con.execute(
            """
            SELECT l.record_id, r.record_id, p.match_weight, p.match_probability
            FROM predictions p
            JOIN records l ON l.unique_id = p.unique_id_l
            JOIN records r ON r.unique_id = p.unique_id_r
            WHERE p.match_probability >= ?
            """,
            [settings.KARVON_MATCH_REVIEW],
        ).fetchall()
        con.close()
    version = f"{now:%Y%m%dT%H%M%S}-{summary.records}"
    weights, tf = summary.model.match_weights(), summary.model.frequencies()
    queued = 0
    with transaction.atomic():
        MatchModel.objects.filter(is_active=True).update(is_active=False)
        MatchModel.objects.create(
            version=version,
            trained_at=now,
            record_count=summary.records,
            settings_json=dict(summary.model.settings),
            term_frequencies=dict(summary.model.term_frequencies),
            is_active=True,
        )
        by_person: dict[int, list[ScoredCandidate]] = {}
        ids = sorted({int(a) for a, *_ in pairs} | {int(b) for _, b, *_ in pairs})
        records = {pk: person_features(record) for pk, record in records_of_people(ids).items()}
        for left, right, _weight, _probability in pairs:
            a, b = int(left), int(right)
            # Reasons come from the same comparison the real-time scorer shows, with the trained weights.
            scored = score(compare(records[a], records[b]), weights, tf=tf)
            by_person.setdefault(a, []).append(
                ScoredCandidate(
                    person_id=b,
                    match_weight=scored.match_weight,
                    match_probability=scored.match_probability,
                    band=band_of(scored.match_probability),
                    reasons=tuple(FieldReason.of(f) for f in scored.per_field),
                )
            )
        for person_id, found in by_person.items():
            queued += candidates_record(person_id=person_id, found=found, source=f"batch:{version}", now=now)
        audit_record(
            actor=None,
            action="matching.batch",
            object_type="match_model",
            object_id=version,
            occurred_at=now,
            changes={"people": summary.records, "pairs": len(pairs), "queued": queued},
        )
    ACTIVE_WEIGHTS.reset()
    return RegistryBatchReport(
        people=summary.records,
        pairs_scored=summary.pairs_scored,
        pairs_queued=queued,
        clusters_with_duplicates=summary.multi_record_clusters,
        model_version=version,
        training=dict(summary.model.training),
    )
