"""Real-time duplicate candidates: block in the database, compare and score in-process with the model's weights."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet

from karvon.registry.contracts import PersonInput
from karvon.registry.index_keys import draft_blocking_keys
from karvon.registry.models import IdentityDocument, NameSearchKey, Person, PersonName, PersonNationality
from karvon_match import (
    MatchWeights,
    PersonRecord,
    TermFrequencies,
    compare,
    person_features,
    score,
)
from karvon_match.features import PersonFeatures

# How many blocked candidates are scored at most; blocking orders the most specific evidence first.
CANDIDATE_LIMIT = 60
FEATURE_CACHE_SIZE = 200_000
WEIGHTS_TTL_SECONDS = 60


@dataclass(frozen=True)
class FieldReason:
    field: str
    level: str
    weight: float
    reason: str


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


def records_of_people(ids: list[int]) -> dict[int, PersonRecord]:
    """Comparison records of these people, read as tuples in four plain queries.

    Rows are read as tuples, not model instances: building hundreds of ORM objects per keystroke would cost more
    than the comparisons themselves.
    """
    names: dict[int, dict[str, list[str]]] = {pk: {"given": [], "family": [], "patronymic": []} for pk in ids}
    for person_id, part, text in PersonName.objects.filter(person_id__in=ids).values_list(
        "person_id", "part", "text"
    ):
        names[person_id][part].append(text)
    documents: dict[int, list[str]] = {pk: [] for pk in ids}
    for person_id, number in IdentityDocument.objects.filter(person_id__in=ids).values_list(
        "person_id", "number_normalised"
    ):
        documents[person_id].append(number)
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


def candidate_features(ids: list[int]) -> dict[int, PersonFeatures]:
    """Features of these people: from the cache when their version is unchanged, else prepared now."""
    versions = dict(Person.objects.filter(pk__in=ids).values_list("pk", "version"))
    found: dict[int, PersonFeatures] = {}
    missing: list[int] = []
    for person_id, version in versions.items():
        cached = FEATURES.get((person_id, version))
        if cached is None:
            missing.append(person_id)
        else:
            found[person_id] = cached
    if missing:
        for person_id, record in records_of_people(missing).items():
            features = person_features(record)
            FEATURES.put((person_id, versions[person_id]), features)
            found[person_id] = features
    return found


def _blocked_ids(record: PersonRecord, people: QuerySet[Person], exclude_id: int | None) -> list[int]:
    """Candidate ids, most shared blocking keys first: the same document, or family and given name (and year)."""
    keys = draft_blocking_keys(record.family_names, record.given_names, record.birth_date)
    if not keys and not record.document_numbers:
        return []
    ranked: dict[int, int] = {}
    if record.document_numbers:
        for person_id in IdentityDocument.objects.filter(
            number_normalised__in=record.document_numbers
        ).values_list("person_id", flat=True)[:CANDIDATE_LIMIT]:
            ranked[person_id] = ranked.get(person_id, 0) + 10
    if keys:
        shared = (
            NameSearchKey.objects.filter(key__in=keys)
            .values("person_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "-person_id")[: CANDIDATE_LIMIT * 2]
        )
        for row in shared:
            ranked[row["person_id"]] = ranked.get(row["person_id"], 0) + row["shared"]
    if exclude_id is not None:
        ranked.pop(exclude_id, None)
    best = sorted(ranked, key=lambda pk: (ranked[pk], pk), reverse=True)[: CANDIDATE_LIMIT * 2]
    # Only people the caller may consider (scope, not merged away), keeping the ranking.
    allowed = set(people.filter(pk__in=best).values_list("pk", flat=True))
    return [pk for pk in best if pk in allowed][:CANDIDATE_LIMIT]


def scored_candidates(
    record: PersonRecord,
    people: QuerySet[Person],
    *,
    exclude_id: int | None = None,
    limit: int = 5,
    minimum_probability: float = 0.0,
) -> list[ScoredCandidate]:
    """The best-scoring people for `record` among `people` (already scoped by the caller), with reasons."""
    ids = _blocked_ids(record, people, exclude_id)
    if not ids:
        return []
    weights, tf = ACTIVE_WEIGHTS.get()
    prepared = person_features(record)
    results: list[ScoredCandidate] = []
    for person_id, features in candidate_features(ids).items():
        scored = score(compare(prepared, features), weights, tf=tf)
        if scored.match_probability < minimum_probability:
            continue
        results.append(
            ScoredCandidate(
                person_id=person_id,
                match_weight=scored.match_weight,
                match_probability=scored.match_probability,
                band=band_of(scored.match_probability),
                reasons=tuple(FieldReason(f.field, f.level, f.weight, f.reason) for f in scored.per_field),
            )
        )
    results.sort(key=lambda c: (c.match_weight, c.person_id), reverse=True)
    return results[:limit]
