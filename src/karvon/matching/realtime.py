"""Real-time duplicate candidates: the database path (block in SQL, score in-process) or the resident index."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from karvon.registry.contracts import PersonInput
from karvon.registry.index_keys import draft_blocking_keys
from karvon.registry.models import IdentityDocument, NameSearchKey, Person, PersonName, PersonNationality
from karvon_match import (
    FieldScore,
    MatchWeights,
    PersonRecord,
    TermFrequencies,
    compare,
    match_weight,
    person_features,
    probability_from_weight,
    score,
)
from karvon_match.compare import Comparison
from karvon_match.documents import ocr_fold
from karvon_match.features import PersonFeatures

# How many blocked candidates are scored at most; blocking orders the most specific evidence first (the
# same document, then the most shared keys): at 1,000,000 people the true person is among the first 20
# in 98 % of the drafts where blocking finds it at all (bench/realtime_bench.py).
CANDIDATE_LIMIT = 20
FEATURE_CACHE_SIZE = 200_000
WEIGHTS_TTL_SECONDS = 60

# The scope of the system's own duplicate check: every person not merged away, whatever their office.
NODE_WIDE: Final = "node"
type Scope = frozenset[int] | Literal["node"]


@dataclass(frozen=True)
class FieldReason:
    """One field's share of a match: `reason` in English (the matching library's), and the values compared, which
    a page shows beside the level in the user's language."""

    field: str
    level: str
    weight: float
    reason: str
    a_value: str = ""
    b_value: str = ""

    @classmethod
    def of(cls, score: FieldScore) -> FieldReason:
        return cls(score.field, score.level, score.weight, score.reason, score.a_value, score.b_value)


@dataclass(frozen=True)
class ScoredCandidate:
    person_id: int
    match_weight: float
    match_probability: float
    band: str
    reasons: tuple[FieldReason, ...]


def band_of(probability: float) -> str:
    if probability >= settings.KARVON_MATCH_SURE:
        return "sure"
    if probability >= settings.KARVON_MATCH_REVIEW:
        return "review"
    return "distinct"


class _Weights:
    """The active model's weights, re-read from the database at most once a minute per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded_at = 0.0
        self._weights = MatchWeights.default()
        self._tf: TermFrequencies | None = None
        self.version = "default"

    def get(self) -> tuple[MatchWeights, TermFrequencies | None]:
        if time.monotonic() - self._loaded_at > WEIGHTS_TTL_SECONDS:
            with self._lock:
                from karvon.matching.models import MatchModel

                model = MatchModel.objects.filter(is_active=True).first()
                if model is None:
                    self._weights, self._tf, self.version = MatchWeights.default(), None, "default"
                elif model.version != self.version:
                    self._weights = MatchWeights.from_dict(model.settings_json)
                    self._tf = (
                        TermFrequencies.from_dict(model.term_frequencies) if model.term_frequencies else None
                    )
                    self.version = model.version
                self._loaded_at = time.monotonic()
        return self._weights, self._tf

    def reset(self) -> None:
        self._loaded_at = 0.0


ACTIVE_WEIGHTS = _Weights()


class _FeatureCache:
    """Prepared features per (person id, version): a changed person is prepared again."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[int, int], PersonFeatures] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, int]) -> PersonFeatures | None:
        with self._lock:
            cached = self._items.get(key)
            if cached is not None:
                self._items.move_to_end(key)
            return cached

    def put(self, key: tuple[int, int], features: PersonFeatures) -> None:
        with self._lock:
            self._items[key] = features
            if len(self._items) > self._size:
                self._items.popitem(last=False)


FEATURES = _FeatureCache(FEATURE_CACHE_SIZE)


def _precision(value: str) -> str:
    return value if value in {"exact", "month", "year", "estimated"} else "unknown"


def record_of_draft(draft: PersonInput) -> PersonRecord:
    return PersonRecord(
        record_id="draft",
        given_names=tuple(n.text for n in draft.names if n.part == "given" and n.text.strip()),
        family_names=tuple(n.text for n in draft.names if n.part == "family" and n.text.strip()),
        patronymics=tuple(n.text for n in draft.names if n.part == "patronymic" and n.text.strip()),
        sex=draft.sex if draft.sex in ("M", "F") else None,
        birth_date=draft.birth_date,
        birth_date_precision=_precision(draft.birth_date_precision) if draft.birth_date else "unknown",
        nationality=draft.nationalities[0] if draft.nationalities else None,
        place_of_birth=draft.place_of_birth or None,
        document_numbers=tuple("".join(c for c in d.number.upper() if c.isalnum()) for d in draft.documents),
    )


def document_numbers(ids: list[int]) -> dict[int, list[str]]:
    """Each person's normalised document numbers, in the order recorded (empty lists for people without)."""
    documents: dict[int, list[str]] = {pk: [] for pk in ids}
    for person_id, number in (
        IdentityDocument.objects.filter(person_id__in=ids)
        .order_by("id")
        .values_list("person_id", "number_normalised")
    ):
        documents[person_id].append(number)
    return documents


def records_of_people(ids: list[int]) -> dict[int, PersonRecord]:
    """Comparison records of these people from the registry tables, read as tuples in four plain queries.

    Rows are read as tuples, not model instances: building hundreds of ORM objects per keystroke would cost more
    than the comparisons themselves.
    """
    names: dict[int, dict[str, list[str]]] = {pk: {"given": [], "family": [], "patronymic": []} for pk in ids}
    for person_id, part, text in (
        PersonName.objects.filter(person_id__in=ids).order_by("id").values_list("person_id", "part", "text")
    ):
        names[person_id][part].append(text)
    documents = document_numbers(ids)
    nationality: dict[int, str] = {}
    for person_id, country in (
        PersonNationality.objects.filter(person_id__in=ids).order_by("id").values_list("person_id", "country")
    ):
        nationality.setdefault(person_id, country)
    records: dict[int, PersonRecord] = {}
    for person_id, sex, birth_date, precision, place in Person.objects.filter(pk__in=ids).values_list(
        "pk", "sex", "birth_date", "birth_date_precision", "place_of_birth"
    ):
        records[person_id] = PersonRecord(
            record_id=str(person_id),
            given_names=tuple(names[person_id]["given"]),
            family_names=tuple(names[person_id]["family"]),
            patronymics=tuple(names[person_id]["patronymic"]),
            sex=sex if sex in ("M", "F") else None,
            birth_date=birth_date,
            birth_date_precision=_precision(precision) if birth_date else "unknown",
            nationality=nationality.get(person_id),
            place_of_birth=place or None,
            document_numbers=tuple(documents[person_id]),
        )
    return records


def candidate_features(ids: list[int], versions: dict[int, int] | None = None) -> dict[int, PersonFeatures]:
    """Features of these people at their current `versions` (read when not given).

    From the process's cache when the version is unchanged, else from the one-row-per-person
    `CandidateFeatures` table (`karvon.matching.candidates`), which rebuilds rows that are missing or stale.
    """
    from karvon.matching.candidates import candidate_records

    if versions is None:
        versions = dict(Person.objects.filter(pk__in=ids).values_list("pk", "version"))
    found: dict[int, PersonFeatures] = {}
    missing: dict[int, int] = {}
    for person_id, version in versions.items():
        cached = FEATURES.get((person_id, version))
        if cached is None:
            missing[person_id] = version
        else:
            found[person_id] = cached
    if missing:
        for person_id, record in candidate_records(missing).items():
            features = person_features(record)
            FEATURES.put((person_id, missing[person_id]), features)
            found[person_id] = features
    return found


def _digits_unconfused(number: str) -> str:
    """The number with OCR look-alikes after its letter prefix read as digits (AC963II73 -> AC9631173):
    a series prefix is letters, the rest of a number digits, so the stored number is found either way."""
    rest = number.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    prefix = number[: len(number) - len(rest)]
    if not rest or not any(c.isdigit() for c in rest):
        return number
    return prefix + ocr_fold(rest)


def _postings(keys: list[str], documents: list[str]) -> list[tuple[int, int]]:
    """(person id, weight) of the people sharing the document (10 each) or blocking keys (1 a key), in one
    round trip. COUNT(*), not COUNT(id): the (key, person) unique index then answers alone (an index-only
    scan on PostgreSQL), without reading a table row per posting."""
    parts: list[str] = []
    parameters: list[str] = []
    if documents:
        table = IdentityDocument._meta.db_table
        marks = ", ".join(["%s"] * len(documents))
        parts.append(
            f"SELECT person_id, shared FROM (SELECT person_id, 10 AS shared FROM {table} "  # noqa: S608
            f"WHERE number_normalised IN ({marks}) LIMIT {CANDIDATE_LIMIT}) AS d"
        )
        parameters += documents
    if keys:
        table = NameSearchKey._meta.db_table
        marks = ", ".join(["%s"] * len(keys))
        parts.append(
            f"SELECT person_id, shared FROM (SELECT person_id, COUNT(*) AS shared FROM {table} "  # noqa: S608
            f"WHERE key IN ({marks}) GROUP BY person_id ORDER BY 2 DESC, 1 DESC "
            f"LIMIT {CANDIDATE_LIMIT * 4}) AS k"
        )
        parameters += keys
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), parameters)
        return [(int(person_id), int(shared)) for person_id, shared in cursor.fetchall()]


def draft_blocking(record: PersonRecord) -> tuple[list[str], list[str]]:
    """The blocking keys and document numbers a record is looked up by (both paths look up the same)."""
    keys = sorted(draft_blocking_keys(record.family_names, record.given_names, record.birth_date))
    documents = sorted(
        set(record.document_numbers) | {_digits_unconfused(d) for d in record.document_numbers}
    )
    return keys, documents


def best_blocked(postings: Iterable[tuple[int, int]], exclude_id: int | None) -> list[int]:
    """Candidate ids, most shared evidence first (a document weighs 10, a blocking key 1), before scoping."""
    ranked: dict[int, int] = {}
    for person_id, shared in postings:
        ranked[person_id] = ranked.get(person_id, 0) + shared
    if exclude_id is not None:
        ranked.pop(exclude_id, None)
    return sorted(ranked, key=lambda pk: (ranked[pk], pk), reverse=True)[: CANDIDATE_LIMIT * 3]


def _blocked_ids(record: PersonRecord, people: QuerySet[Person], exclude_id: int | None) -> dict[int, int]:
    """Candidate ids with their versions, most shared blocking keys first: the same document, or family and
    given name (and year). Only people in `people` (the caller's scope, not merged away)."""
    keys, documents = draft_blocking(record)
    if not keys and not documents:
        return {}
    best = best_blocked(_postings(keys, documents), exclude_id)
    # Only people the caller may consider (scope, not merged away), keeping the ranking; their versions
    # come with them and key the prepared features.
    allowed = dict(people.filter(pk__in=best).values_list("pk", "version"))
    return {pk: allowed[pk] for pk in [pk for pk in best if pk in allowed][:CANDIDATE_LIMIT]}


def score_prepared(
    prepared: PersonFeatures,
    candidates: Mapping[int, PersonFeatures],
    *,
    limit: int,
    minimum_probability: float,
) -> list[ScoredCandidate]:
    """Score the draft's features against each candidate's with the active weights; the best `limit` first.

    Every candidate is ranked by its match weight alone; only the best `limit` are scored with their reasons
    (`score` gives the same weight, to the last bit: `match_weight` is its sum without the reasons).
    """
    weights, tf = ACTIVE_WEIGHTS.get()
    ranked: list[tuple[float, int, Comparison]] = []
    for person_id, features in candidates.items():
        comparison = compare(prepared, features)
        weight = match_weight(comparison, weights, tf=tf)
        if probability_from_weight(weight) < minimum_probability:
            continue
        ranked.append((weight, person_id, comparison))
    ranked.sort(key=lambda item: (item[0], item[1]), reverse=True)
    results: list[ScoredCandidate] = []
    for _, person_id, comparison in ranked[:limit]:
        scored = score(comparison, weights, tf=tf)
        results.append(
            ScoredCandidate(
                person_id=person_id,
                match_weight=scored.match_weight,
                match_probability=scored.match_probability,
                band=band_of(scored.match_probability),
                reasons=tuple(FieldReason.of(f) for f in scored.per_field),
            )
        )
    return results


def database_candidates(
    record: PersonRecord,
    people: QuerySet[Person],
    *,
    exclude_id: int | None = None,
    limit: int = 5,
    minimum_probability: float = 0.0,
) -> list[ScoredCandidate]:
    """The database path: block in `registry_namesearchkey` and the documents, scope with `people`, read the
    candidates' prepared rows, score in the process."""
    versions = _blocked_ids(record, people, exclude_id)
    if not versions:
        return []
    return score_prepared(
        person_features(record),
        candidate_features(list(versions), versions),
        limit=limit,
        minimum_probability=minimum_probability,
    )


def scored_candidates(
    record: PersonRecord,
    people: QuerySet[Person],
    *,
    offices: Scope | None = None,
    exclude_id: int | None = None,
    limit: int = 5,
    minimum_probability: float = 0.0,
) -> list[ScoredCandidate]:
    """The best-scoring people for `record` among `people` (already scoped by the caller), with reasons.

    `offices` states the same scope for the resident candidate index (`karvon.matching.resident`): the people
    registered at one of these offices, or every person (`NODE_WIDE`), not merged away. The index answers
    when it is built (in this process or in the scoring process) and the scope is stated; otherwise the
    database does, with the same result.
    """
    if offices is not None:
        from karvon.matching.resident import resident_candidates

        found = resident_candidates(
            record,
            offices=offices,
            exclude_id=exclude_id,
            limit=limit,
            minimum_probability=minimum_probability,
        )
        if found is not None:
            return found
    return database_candidates(
        record, people, exclude_id=exclude_id, limit=limit, minimum_probability=minimum_probability
    )
