"""Writes of matching: record candidates, merge two records into one, undo a merge, reject a pair; all audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from karvon.accounts.access import AccessContext, office_ids_in_scope, require_capability
from karvon.accounts.roles import Capability
from karvon.audit.services import audit_record
from karvon.cases.models import Appointment, Case, CaseMember, Referral
from karvon.certificates.models import Certificate, CertificateKind
from karvon.matching.models import CandidateStatus, DuplicateCandidate, Merge
from karvon.matching.realtime import NODE_WIDE, ScoredCandidate, records_of_people, scored_candidates
from karvon.presence.models import AddressPeriod, Movement, Permit, StayRegistration
from karvon.presence.services import person_presence_refresh
from karvon.registry.contracts import FieldError, UnableToValidate
from karvon.registry.index_keys import person_index_keys
from karvon.registry.models import (
    HouseholdMembership,
    IdentityDocument,
    NameSearchKey,
    Person,
    PersonLanguage,
    PersonName,
    PersonNationality,
    ProfileRecord,
    ReferralSuggestion,
    Registration,
    SpecificNeed,
)

# Fields of the surviving record filled from the merged one when the survivor has them empty.
FILLABLE_FIELDS = (
    "birth_date",
    "birth_date_precision",
    "place_of_birth",
    "place_of_birth_country",
    "phone",
    "email",
    "address",
)


def candidates_record(*, person_id: int, found: Iterable[ScoredCandidate], source: str, now: datetime) -> int:
    """Put new pairs in the review queue; a pair decided before (merged or rejected) is never proposed again."""
    created = 0
    for candidate in found:
        if candidate.band == "distinct":
            continue
        low, high = sorted((person_id, candidate.person_id))
        _, was_created = DuplicateCandidate.objects.get_or_create(
            person_low_id=low,
            person_high_id=high,
            defaults={
                "match_weight": candidate.match_weight,
                "match_probability": candidate.match_probability,
                "band": candidate.band,
                "reasons": [asdict(r) for r in candidate.reasons],
                "source": source,
                "found_at": now,
            },
        )
        created += int(was_created)
    return created


def duplicate_check(*, person_id: int, now: datetime) -> int:
    """After a registration: look for the same person in the whole node (a system check, not a user's read)."""
    record = records_of_people([person_id]).get(person_id)
    if record is None or Person.objects.filter(pk=person_id, merged_into__isnull=False).exists():
        return 0
    found = scored_candidates(
        record,
        Person.objects.filter(merged_into__isnull=True),
        offices=NODE_WIDE,
        exclude_id=person_id,
        limit=10,
    )
    return candidates_record(person_id=person_id, found=found, source="registration", now=now)


def _candidate_for_decision(ctx: AccessContext, candidate_id: int) -> DuplicateCandidate:
    require_capability(ctx, Capability.DUPLICATE_DECIDE)
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate_id)
    offices = office_ids_in_scope(ctx, Capability.DUPLICATE_DECIDE)
    for person_id in (candidate.person_low_id, candidate.person_high_id):
        if not Registration.objects.filter(person_id=person_id, office_id__in=offices).exists():
            raise DuplicateCandidate.DoesNotExist
    if candidate.status != CandidateStatus.OPEN:
        raise UnableToValidate(
            [FieldError("candidate", "already_decided", _("This pair was already decided."))]
        )
    return candidate


def duplicate_reject(*, ctx: AccessContext, candidate_id: int, note: str) -> DuplicateCandidate:
    """Not the same person: remembered, so the pair is never proposed again."""
    with transaction.atomic():
        candidate = _candidate_for_decision(ctx, candidate_id)
        candidate.status = CandidateStatus.REJECTED
        candidate.decided_at, candidate.decided_by, candidate.decision_note = ctx.now, ctx.user, note.strip()
        candidate.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        audit_record(
            actor=ctx.user,
            action="duplicate.reject",
            object_type="duplicate_candidate",
            object_id=str(candidate.pk),
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"persons": [candidate.person_low_id, candidate.person_high_id], "note": note.strip()},
        )
    return candidate


def _rebuild_search_keys(person: Person) -> None:
    NameSearchKey.objects.filter(person=person).delete()
    person.refresh_from_db(fields=["birth_date"])
    names = PersonName.objects.filter(person=person).values_list("part", "text")
    keys = person_index_keys(names, person.birth_date)
    NameSearchKey.objects.bulk_create([NameSearchKey(person=person, key=k) for k in sorted(keys)])


def _refresh_candidate_rows_on_commit(*person_ids: int) -> None:
    """Rewrite the real-time matching rows once the change is committed (a stale row would only cost time)."""
    from karvon.matching.candidates import refresh_candidate_features

    transaction.on_commit(lambda: refresh_candidate_features(person_ids))


def _move(model: Any, merged: Person, survivor: Person, *, unique: tuple[str, ...] = ()) -> list[int]:
    """Move the merged person's rows to the survivor, except those the survivor already has (kept behind)."""
    rows = list(model.objects.filter(person=merged))
    if unique:
        existing = set(model.objects.filter(person=survivor).values_list(*unique))
        rows = [row for row in rows if tuple(getattr(row, f) for f in unique) not in existing]
    ids = [row.pk for row in rows]
    model.objects.filter(pk__in=ids).update(person=survivor)
    return ids


def _move_certificates(merged: Person, survivor: Person) -> list[int]:
    """Certificates move too, except a current one of a kind the survivor already holds a current one of (a
    person has one current document of a kind): it stays, still verifiable, with the merged record."""
    current = {"superseded_at__isnull": True, "revoked_at__isnull": True}
    held = set(Certificate.objects.filter(person=survivor, **current).values_list("kind", flat=True))
    held.discard(CertificateKind.APPOINTMENT)  # slips are one per appointment, not per person
    staying = Certificate.objects.filter(person=merged, kind__in=held, **current).values_list("pk", flat=True)
    ids = list(
        Certificate.objects.filter(person=merged).exclude(pk__in=list(staying)).values_list("pk", flat=True)
    )
    Certificate.objects.filter(pk__in=ids).update(person=survivor)
    return ids


def duplicate_merge(*, ctx: AccessContext, candidate_id: int, survivor_uuid: uuid.UUID, note: str) -> Merge:
    """Merge the pair into the survivor, keeping every registration, spelling, document, profile, case, presence
    record and certificate."""
    with transaction.atomic():
        candidate = _candidate_for_decision(ctx, candidate_id)
        pair = {
            p.uuid: p
            for p in Person.objects.select_for_update().filter(
                pk__in=[candidate.person_low_id, candidate.person_high_id]
            )
        }
        if survivor_uuid not in pair:
            raise UnableToValidate(
                [FieldError("survivor", "invalid_choice", _("Choose one of the two records."))]
            )
        survivor = pair.pop(survivor_uuid)
        merged = next(iter(pair.values()))
        survivor_before = {f: str(getattr(survivor, f) or "") for f in FILLABLE_FIELDS}
        primary_names = list(
            PersonName.objects.filter(person=merged, is_primary=True).values_list("pk", flat=True)
        )
        # The survivor keeps its primary spellings; the merged record's become further spellings.
        PersonName.objects.filter(pk__in=primary_names).update(is_primary=False)
        moved: dict[str, list[Any]] = {
            "names": _move(PersonName, merged, survivor, unique=("part", "text", "source")),
            "nationalities": _move(PersonNationality, merged, survivor, unique=("country",)),
            "languages": _move(PersonLanguage, merged, survivor, unique=("language",)),
            "documents": _move(
                IdentityDocument, merged, survivor, unique=("doc_type", "issuing_state", "number_normalised")
            ),
            "registrations": _move(Registration, merged, survivor),
            "profiles": _move(ProfileRecord, merged, survivor),
            "specific_needs": _move(SpecificNeed, merged, survivor),
            "referrals": _move(ReferralSuggestion, merged, survivor),
            # The procedures, presence records and documents issued go with the person, history and all (case
            # events belong to the case and follow it). A case both records were in keeps the merged record's
            # membership behind, as a spelling the survivor already has.
            "cases": _move(Case, merged, survivor),
            "case_memberships": _move(CaseMember, merged, survivor, unique=("case_id",)),
            "appointments": _move(Appointment, merged, survivor),
            "partner_referrals": _move(Referral, merged, survivor),
            "movements": _move(Movement, merged, survivor),
            "stay_registrations": _move(StayRegistration, merged, survivor),
            "permits": _move(Permit, merged, survivor),
            "address_periods": _move(AddressPeriod, merged, survivor),
            "certificates": _move_certificates(merged, survivor),
        }
        moved["primary_names"] = primary_names
        # Households: the merged record's memberships become the survivor's history; a current one is ended.
        current = HouseholdMembership.objects.filter(person=merged, ended_on__isnull=True).first()
        moved["ended_memberships"] = []
        if (
            current is not None
            and HouseholdMembership.objects.filter(person=survivor, ended_on__isnull=True).exists()
        ):
            HouseholdMembership.objects.filter(pk=current.pk).update(
                ended_on=max(ctx.today, current.started_on)
            )
            moved["ended_memberships"] = [current.pk]
        moved["memberships"] = _move(HouseholdMembership, merged, survivor)
        filled = {
            f: getattr(merged, f) for f in FILLABLE_FIELDS if not getattr(survivor, f) and getattr(merged, f)
        }
        if "birth_date" not in filled:
            filled.pop("birth_date_precision", None)
        elif "birth_date_precision" not in filled:
            filled["birth_date_precision"] = merged.birth_date_precision
        moved["filled_fields"] = sorted(filled)
        Person.objects.filter(pk=survivor.pk).update(version=F("version") + 1, updated_at=ctx.now, **filled)
        Person.objects.filter(pk=merged.pk).update(
            merged_into=survivor, version=F("version") + 1, updated_at=ctx.now
        )
        _rebuild_search_keys(survivor)
        NameSearchKey.objects.filter(person=merged).delete()
        _refresh_candidate_rows_on_commit(survivor.pk, merged.pk)
        # The merged record leaves the present-now counts; the survivor's registrations may have changed its office.
        person_presence_refresh(person_ids=[survivor.pk, merged.pk], today=ctx.today)
        candidate.status = CandidateStatus.MERGED
        candidate.decided_at, candidate.decided_by, candidate.decision_note = ctx.now, ctx.user, note.strip()
        candidate.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        merge = Merge.objects.create(
            candidate=candidate,
            survivor=survivor,
            merged=merged,
            moved=moved,
            survivor_before=survivor_before,
            merged_at=ctx.now,
            merged_by=ctx.user,
        )
        for person, role in ((survivor, "survivor"), (merged, "merged")):
            audit_record(
                actor=ctx.user,
                action="person.merge",
                object_type="person",
                object_id=str(person.uuid),
                person_uuid=person.uuid,
                occurred_at=ctx.now,
                ip_address=ctx.ip_address,
                changes={
                    "merge": merge.pk,
                    "role": role,
                    "survivor": str(survivor.uuid),
                    "merged": str(merged.uuid),
                    "moved": {k: len(v) for k, v in moved.items()},
                    "filled": sorted(filled),
                    "note": note.strip(),
                },
            )
    return merge


def merge_undo(*, ctx: AccessContext, merge_id: int) -> Merge:
    """Give the merged record back everything that moved, exactly; the pair returns to the queue."""
    require_capability(ctx, Capability.DUPLICATE_DECIDE)
    with transaction.atomic():
        merge = (
            Merge.objects.select_for_update()
            .select_related("survivor", "merged", "candidate")
            .get(pk=merge_id)
        )
        offices = office_ids_in_scope(ctx, Capability.DUPLICATE_DECIDE)
        if not Registration.objects.filter(person=merge.survivor, office_id__in=offices).exists():
            raise Merge.DoesNotExist
        if merge.undone_at is not None:
            raise UnableToValidate(
                [FieldError("merge", "already_undone", _("This merge was already undone."))]
            )
        survivor, merged, moved = merge.survivor, merge.merged, merge.moved
        for key, model in (
            ("names", PersonName),
            ("nationalities", PersonNationality),
            ("languages", PersonLanguage),
            ("documents", IdentityDocument),
            ("registrations", Registration),
            ("profiles", ProfileRecord),
            ("specific_needs", SpecificNeed),
            ("referrals", ReferralSuggestion),
            ("memberships", HouseholdMembership),
            ("cases", Case),
            ("case_memberships", CaseMember),
            ("appointments", Appointment),
            ("partner_referrals", Referral),
            ("movements", Movement),
            ("stay_registrations", StayRegistration),
            ("permits", Permit),
            ("address_periods", AddressPeriod),
            ("certificates", Certificate),
        ):
            model.objects.filter(pk__in=moved.get(key, []), person=survivor).update(person=merged)
        PersonName.objects.filter(pk__in=moved.get("primary_names", []), person=merged).update(
            is_primary=True
        )
        HouseholdMembership.objects.filter(pk__in=moved.get("ended_memberships", [])).update(ended_on=None)
        restore: dict[str, Any] = {}
        for field in moved.get("filled_fields", []):
            value = merge.survivor_before.get(field, "")
            restore[field] = (value or None) if field == "birth_date" else value
        Person.objects.filter(pk=survivor.pk).update(version=F("version") + 1, updated_at=ctx.now, **restore)
        Person.objects.filter(pk=merged.pk).update(
            merged_into=None, version=F("version") + 1, updated_at=ctx.now
        )
        _rebuild_search_keys(survivor)
        _rebuild_search_keys(merged)
        _refresh_candidate_rows_on_commit(survivor.pk, merged.pk)
        person_presence_refresh(person_ids=[survivor.pk, merged.pk], today=ctx.today)
        merge.undone_at, merge.undone_by = ctx.now, ctx.user
        merge.save(update_fields=["undone_at", "undone_by"])
        DuplicateCandidate.objects.filter(pk=merge.candidate_id).update(
            status=CandidateStatus.OPEN, decided_at=None, decided_by=None, decision_note=""
        )
        for person in (survivor, merged):
            audit_record(
                actor=ctx.user,
                action="person.unmerge",
                object_type="person",
                object_id=str(person.uuid),
                person_uuid=person.uuid,
                occurred_at=ctx.now,
                ip_address=ctx.ip_address,
                changes={"merge": merge.pk},
            )
    return merge
