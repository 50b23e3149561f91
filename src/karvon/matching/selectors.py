"""Reads of matching: the review queue, one pair side by side, merges; scoped to the supervisor and audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet

from karvon.accounts.access import AccessContext, office_ids_in_scope, require_capability
from karvon.accounts.roles import Capability
from karvon.audit.services import audit_record_reads
from karvon.matching.models import DuplicateCandidate, Merge
from karvon.matching.realtime import ScoredCandidate, record_of_draft, scored_candidates
from karvon.registry.contracts import PersonCard, PersonInput
from karvon.registry.models import Person, Registration
from karvon.registry.selectors import person_card, person_scope, with_person_details


def _in_scope(ctx: AccessContext, field: str) -> Exists:
    offices = office_ids_in_scope(ctx, Capability.DUPLICATE_DECIDE)
    return Exists(Registration.objects.filter(person=OuterRef(field), office_id__in=offices))


def duplicate_queue(
    *, ctx: AccessContext, status: str = "open", band: str = ""
) -> QuerySet[DuplicateCandidate]:
    """Pairs whose two records are both in the supervisor's scope."""
    require_capability(ctx, Capability.DUPLICATE_DECIDE)
    pairs = (
        DuplicateCandidate.objects.filter(
            _in_scope(ctx, "person_low"),
            _in_scope(ctx, "person_high"),
            status=status,
        )
        .select_related("person_low", "person_high")
        .prefetch_related("person_low__names", "person_high__names")
    )
    if band:
        pairs = pairs.filter(band=band)
    return pairs


def duplicate_queue_page(*, ctx: AccessContext, status: str, band: str, page_number: str | None) -> Page[Any]:
    """One page of the queue; the names it shows are personal data, so each person on it is an audited read."""
    page = Paginator(duplicate_queue(ctx=ctx, status=status, band=band), 25).get_page(page_number)
    people = [p for pair in page for p in (pair.person_low, pair.person_high)]
    audit_record_reads(
        actor=ctx.user,
        action="person.list",
        person_uuids=[p.uuid for p in people],
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        details={"list": "duplicate_queue"},
    )
    return page


def merge_list_page(*, ctx: AccessContext, page_number: str | None) -> Page[Any]:
    page = Paginator(merge_list(ctx=ctx), 25).get_page(page_number)
    people = [p for merge in page for p in (merge.survivor, merge.merged)]
    audit_record_reads(
        actor=ctx.user,
        action="person.list",
        person_uuids=[p.uuid for p in people],
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        details={"list": "merges"},
    )
    return page


@dataclass(frozen=True)
class PairFile:
    candidate: DuplicateCandidate
    low: Person
    high: Person

    @property
    def people(self) -> list[Person]:
        return [self.low, self.high]


def duplicate_pair(*, ctx: AccessContext, candidate_id: int) -> PairFile:
    candidate = duplicate_queue(ctx=ctx, status=DuplicateCandidate.objects.get(pk=candidate_id).status).get(
        pk=candidate_id
    )
    people = {
        p.pk: p
        for p in with_person_details(
            Person.objects.filter(pk__in=[candidate.person_low_id, candidate.person_high_id])
        ).prefetch_related("registrations__office", "specific_needs")
    }
    audit_record_reads(
        actor=ctx.user,
        action="person.view",
        person_uuids=[p.uuid for p in people.values()],
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        details={"duplicate_candidate": candidate.pk},
    )
    return PairFile(
        candidate=candidate, low=people[candidate.person_low_id], high=people[candidate.person_high_id]
    )


def merge_list(*, ctx: AccessContext) -> QuerySet[Merge]:
    require_capability(ctx, Capability.DUPLICATE_DECIDE)
    return (
        Merge.objects.filter(_in_scope(ctx, "survivor"))
        .select_related("survivor", "merged", "merged_by", "undone_by")
        .prefetch_related("survivor__names", "merged__names")
    )


@dataclass(frozen=True)
class LikelyPerson:
    card: PersonCard
    scored: ScoredCandidate


def likely_same_people(*, ctx: AccessContext, draft: PersonInput, limit: int = 5) -> list[LikelyPerson]:
    """Search before create: the user's people most likely to be the one being registered, with reasons."""
    require_capability(ctx, Capability.PERSON_VIEW)
    # The same scope twice: as a query for the database path, as office ids for the resident index
    # (`person_scope`: registered at an office where the user may view people, not merged away).
    found = scored_candidates(
        record_of_draft(draft),
        person_scope(ctx=ctx),
        offices=office_ids_in_scope(ctx, Capability.PERSON_VIEW),
        limit=limit,
        minimum_probability=0.05,
    )
    if not found:
        return []
    people = {
        p.pk: p for p in with_person_details(Person.objects.filter(pk__in=[c.person_id for c in found]))
    }
    audit_record_reads(
        actor=ctx.user,
        action="person.similar",
        person_uuids=[people[c.person_id].uuid for c in found],
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        details={"results": len(found)},
    )
    return [LikelyPerson(card=person_card(people[c.person_id]), scored=c) for c in found]
