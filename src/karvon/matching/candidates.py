"""One prepared row per person for real-time matching (`CandidateFeatures`), kept fresh by the person's version.

Scoring a draft reads its candidates' rows in one query instead of their names, documents and nationalities
in three. A row holds the person's `version` when it was written; every change to a person that matching
reads (an edit, a merge, an unmerge, a new spelling or document through the services) raises that version.
So a row is used only when its version equals the person's current one; a missing or stale row is rebuilt
from the registry tables when read. Refreshing rows right after a change (`refresh_candidate_features`)
keeps the read path fast, but correctness never depends on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from karvon.matching.models import CandidateFeatures
from karvon.registry.models import Person
from karvon_match import PersonRecord

REFRESH_CHUNK = 2_000


def payload_of(record: PersonRecord) -> list[Any]:
    return [
        list(record.given_names),
        list(record.family_names),
        list(record.patronymics),
        record.sex,
        record.birth_date.isoformat() if record.birth_date else None,
        record.birth_date_precision,
        record.nationality,
        record.place_of_birth,
        list(record.document_numbers),
    ]


def record_of_payload(person_id: int, payload: list[Any]) -> PersonRecord:
    given, family, patronymic, sex, birth, precision, nationality, place, documents = payload
    return PersonRecord(
        record_id=str(person_id),
        given_names=tuple(given),
        family_names=tuple(family),
        patronymics=tuple(patronymic),
        sex=sex,
        birth_date=date.fromisoformat(birth) if birth else None,
        birth_date_precision=precision,
        nationality=nationality,
        place_of_birth=place,
        document_numbers=tuple(documents),
    )


def _write(versions: Mapping[int, int], records: Mapping[int, PersonRecord]) -> None:
    rows = [
        CandidateFeatures(person_id=pk, version=versions[pk], payload=payload_of(record))
        for pk, record in records.items()
    ]
    if rows:
        CandidateFeatures.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["person"], update_fields=["version", "payload"]
        )


def candidate_records(versions: Mapping[int, int]) -> dict[int, PersonRecord]:
    """Comparison records of these people at these versions: from their rows, rebuilding missing or stale ones."""
    from karvon.matching.realtime import records_of_people

    found: dict[int, PersonRecord] = {}
    for person_id, version, payload in CandidateFeatures.objects.filter(
        person_id__in=list(versions)
    ).values_list("person_id", "version", "payload"):
        if versions.get(person_id) == version:
            found[person_id] = record_of_payload(person_id, payload)
    stale = [pk for pk in versions if pk not in found]
    if stale:
        rebuilt = records_of_people(stale)
        # The versions were read before these names and documents: a change committed in between leaves
        # the row older-versioned than the person, hence rebuilt again on the next read, never wrongly reused.
        _write({pk: versions[pk] for pk in rebuilt}, rebuilt)
        found.update(rebuilt)
    return found


def refresh_candidate_features(person_ids: Iterable[int]) -> int:
    """(Re)write the rows of these people from the registry; people merged away lose theirs. Returns rows written.

    Call after a registration, an edit or a merge has committed (`transaction.on_commit`).
    """
    from karvon.matching.realtime import records_of_people

    written = 0
    for chunk in _chunks(sorted(set(person_ids)), REFRESH_CHUNK):
        # Versions first, then the data (see `candidate_records`).
        versions = dict(
            Person.objects.filter(pk__in=chunk, merged_into__isnull=True).values_list("pk", "version")
        )
        CandidateFeatures.objects.filter(person_id__in=[pk for pk in chunk if pk not in versions]).delete()
        records = records_of_people(list(versions))
        _write(versions, records)
        written += len(records)
    return written


# PostgreSQL builds the rows itself, a range of ids at a time (the same payload as `payload_of` of
# `records_of_people`: names and documents in id order, the first nationality, blanks as null).
_PG_REBUILD = """
INSERT INTO matching_candidatefeatures (person_id, version, payload)
SELECT p.id, p.version, jsonb_build_array(
    coalesce((SELECT jsonb_agg(n.text ORDER BY n.id) FROM registry_personname n
              WHERE n.person_id = p.id AND n.part = 'given'), '[]'::jsonb),
    coalesce((SELECT jsonb_agg(n.text ORDER BY n.id) FROM registry_personname n
              WHERE n.person_id = p.id AND n.part = 'family'), '[]'::jsonb),
    coalesce((SELECT jsonb_agg(n.text ORDER BY n.id) FROM registry_personname n
              WHERE n.person_id = p.id AND n.part = 'patronymic'), '[]'::jsonb),
    CASE WHEN p.sex IN ('M', 'F') THEN p.sex END,
    to_char(p.birth_date, 'YYYY-MM-DD'),
    CASE WHEN p.birth_date IS NULL THEN 'unknown'
         WHEN p.birth_date_precision IN ('exact', 'month', 'year', 'estimated') THEN p.birth_date_precision
         ELSE 'unknown' END,
    (SELECT c.country FROM registry_personnationality c WHERE c.person_id = p.id ORDER BY c.id LIMIT 1),
    nullif(p.place_of_birth, ''),
    coalesce((SELECT jsonb_agg(d.number_normalised ORDER BY d.id) FROM registry_identitydocument d
              WHERE d.person_id = p.id), '[]'::jsonb))
FROM registry_person p
WHERE p.merged_into_id IS NULL AND p.id > %s AND p.id <= %s
ON CONFLICT (person_id) DO UPDATE SET version = EXCLUDED.version, payload = EXCLUDED.payload
"""
PG_REBUILD_RANGE = 50_000


def rebuild_all_candidate_features(progress: Any = None) -> int:
    """Write the rows of every current person (after a bulk load or a restore); returns rows written."""
    from django.db import connection

    if connection.vendor == "postgresql":
        top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        written = 0
        with connection.cursor() as cursor:
            for start in range(0, top, PG_REBUILD_RANGE):
                cursor.execute(_PG_REBUILD, [start, start + PG_REBUILD_RANGE])
                written += cursor.rowcount
                if progress is not None:
                    progress(written)
        return written
    written = 0
    last = 0
    while True:
        chunk = list(
            Person.objects.filter(pk__gt=last, merged_into__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:REFRESH_CHUNK]
        )
        if not chunk:
            return written
        written += refresh_candidate_features(chunk)
        last = chunk[-1]
        if progress is not None:
            progress(written)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
