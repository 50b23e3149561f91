"""Writes of the registry: one service per state change, each validated, atomic and audited."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from karvon.accounts.access import (
    AccessContext,
    UnableToAccess,
    office_ids_in_scope,
    require_capability,
    require_office,
)
from karvon.accounts.models import Office
from karvon.accounts.roles import Capability
from karvon.audit.models import AuditEvent
from karvon.audit.services import audit_record
from karvon.matching.tasks import duplicate_check_enqueue
from karvon.registry import validation
from karvon.registry.contracts import (
    ChangeByOthers,
    FieldError,
    MemberInput,
    PersonInput,
    ProfileInput,
    RegistrationInput,
    UnableToSaveStaleEdit,
    UnableToValidate,
)
from karvon.registry.index_keys import person_index_keys
from karvon.registry.models import (
    DatePrecision,
    Household,
    HouseholdMembership,
    IdentityDocument,
    NameSearchKey,
    Person,
    PersonLanguage,
    PersonName,
    PersonNationality,
    ProfileRecord,
    ReferralDecision,
    ReferralSuggestion,
    Registration,
    Relationship,
    SpecificNeed,
)
from karvon.registry.profiling import referrals_suggested
from karvon.registry.selectors import household_get_for_write, person_get_for_write
from karvon_match import normalise_text


def document_number_normalised(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def _birth_date_stored(person: PersonInput) -> date | None:
    """Dates known to the month or year are stored on the first day, as UNHCR's systems do."""
    value = person.birth_date
    if value is None:
        return None
    if person.birth_date_precision == DatePrecision.MONTH:
        return value.replace(day=1)
    if person.birth_date_precision in (DatePrecision.YEAR, DatePrecision.ESTIMATED):
        return value.replace(month=1, day=1)
    return value


def _write_person_details(person: Person, data: PersonInput) -> None:
    """Replace names, keys, nationalities, languages and documents with those of `data`."""
    person.names.all().delete()
    person.search_keys.all().delete()
    person.nationalities.all().delete()
    person.languages.all().delete()
    person.documents.all().delete()
    names: list[PersonName] = []
    seen_primary: set[str] = set()
    seen_spelling: set[tuple[str, str, str]] = set()
    for position, name in enumerate(data.names):
        text = normalise_text(name.text)
        if not text or (name.part, text, name.source) in seen_spelling:
            continue
        seen_spelling.add((name.part, text, name.source))
        names.append(
            PersonName(
                person=person,
                part=name.part,
                text=text,
                script=name.script,
                source=name.source,
                is_primary=name.part not in seen_primary,
                position=position,
            )
        )
        seen_primary.add(name.part)
    keys = person_index_keys(((n.part, n.text) for n in names), person.birth_date)
    PersonName.objects.bulk_create(names)
    NameSearchKey.objects.bulk_create([NameSearchKey(person=person, key=key) for key in sorted(keys)])
    PersonNationality.objects.bulk_create(
        [PersonNationality(person=person, country=code) for code in dict.fromkeys(data.nationalities)]
    )
    PersonLanguage.objects.bulk_create(
        [PersonLanguage(person=person, language=code) for code in dict.fromkeys(data.languages)]
    )
    IdentityDocument.objects.bulk_create(
        [
            IdentityDocument(
                person=person,
                doc_type=doc.doc_type,
                number=doc.number.strip().upper(),
                number_normalised=document_number_normalised(doc.number),
                issuing_state=doc.issuing_state,
                issue_date=doc.issue_date,
                expiry_date=doc.expiry_date,
                mrz=doc.mrz.strip(),
            )
            for doc in data.documents
        ]
    )


def _person_fields(data: PersonInput) -> dict[str, Any]:
    return {
        "sex": data.sex,
        "birth_date": _birth_date_stored(data),
        "birth_date_precision": data.birth_date_precision,
        "place_of_birth": data.place_of_birth.strip(),
        "place_of_birth_country": data.place_of_birth_country,
        "phone": data.phone.strip(),
        "email": data.email.strip(),
        "address": data.address.strip(),
    }


def person_snapshot(person: Person) -> dict[str, str]:
    """A flat, comparable picture of a person, for change records and conflict messages."""
    snapshot = {
        key: str(getattr(person, key) or "")
        for key in (
            "sex",
            "birth_date",
            "birth_date_precision",
            "place_of_birth",
            "place_of_birth_country",
            "phone",
            "email",
            "address",
        )
    }
    for part in ("given", "family", "patronymic"):
        snapshot[f"names.{part}"] = "; ".join(
            f"{n.text} [{n.script}, {n.source}]" for n in person.names.all() if n.part == part
        )
    snapshot["nationalities"] = ", ".join(sorted(n.country for n in person.nationalities.all()))
    snapshot["languages"] = ", ".join(sorted(n.language for n in person.languages.all()))
    snapshot["documents"] = "; ".join(
        sorted(
            f"{d.doc_type} {d.issuing_state} {d.number} {d.issue_date or ''}–{d.expiry_date or ''}"
            for d in person.documents.all()
        )
    )
    return snapshot


def _diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {key: [before.get(key, ""), value] for key, value in after.items() if before.get(key, "") != value}


def _create_person(ctx: AccessContext, data: PersonInput) -> Person:
    person = Person.objects.create(
        created_at=ctx.now, updated_at=ctx.now, created_by=ctx.user, **_person_fields(data)
    )
    _write_person_details(person, data)
    return person


def _create_registration(
    ctx: AccessContext, person: Person, household: Household | None, registration: RegistrationInput
) -> Registration:
    return Registration.objects.create(
        person=person,
        household=household,
        office_id=registration.office_id,
        registered_on=registration.registered_on,
        met_at=registration.met_at,
        referred_by=registration.referred_by.strip(),
        arrival_date=registration.arrival_date,
        transit_countries=list(registration.transit_countries),
        created_at=ctx.now,
        created_by=ctx.user,
    )


def _check_registration_office(ctx: AccessContext, registration: RegistrationInput) -> None:
    try:
        require_office(ctx, Capability.PERSON_REGISTER, registration.office_id)
    except UnableToAccess:
        raise UnableToValidate(
            [
                FieldError(
                    "registration.office_id",
                    "office_not_allowed",
                    _("You cannot register people in this office."),
                )
            ]
        ) from None


def _register_member(
    ctx: AccessContext, household: Household, member: MemberInput, registration: RegistrationInput
) -> Person:
    """One new person in a household: the person, the membership, the registration event, the audit event."""
    person = _create_person(ctx, member.person)
    HouseholdMembership.objects.create(
        household=household,
        person=person,
        relationship=member.relationship,
        started_on=registration.registered_on,
    )
    _create_registration(ctx, person, household, registration)
    audit_record(
        actor=ctx.user,
        action="person.create",
        object_type="person",
        object_id=str(person.uuid),
        person_uuid=person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        changes={
            "version": 1,
            "household": str(household.uuid),
            "office": registration.office_id,
            "fields": _diff({}, person_snapshot(person)),
        },
    )
    return person


def person_register(*, ctx: AccessContext, person: PersonInput, registration: RegistrationInput) -> Person:
    """Register one person met alone: the person, their registration event and a one-person household."""
    try:
        household = household_register(
            ctx=ctx,
            registration=registration,
            members=[MemberInput(person=person, relationship=Relationship.PRINCIPAL)],
        )
    except UnableToValidate as exc:
        # One person, so errors name the person's fields, not "members.0.…".
        raise UnableToValidate(
            [FieldError(e.field.removeprefix("members.0."), e.code, e.message) for e in exc.errors]
        ) from None
    return household.memberships.get().person


def household_register(
    *, ctx: AccessContext, registration: RegistrationInput, members: list[MemberInput]
) -> Household:
    """Register people met together: a household, each member, and one registration event each."""
    require_capability(ctx, Capability.PERSON_REGISTER)
    _check_registration_office(ctx, registration)
    errors = validation.members_errors(members, today=ctx.today)
    errors += validation.registration_errors(
        registration, today=ctx.today, birth_dates=[m.person.birth_date for m in members]
    )
    if errors:
        raise UnableToValidate(errors)
    with transaction.atomic():
        household = Household.objects.create(
            office_id=registration.office_id, created_at=ctx.now, created_by=ctx.user
        )
        person_ids = [_register_member(ctx, household, member, registration).pk for member in members]
        audit_record(
            actor=ctx.user,
            action="household.create",
            object_type="household",
            object_id=str(household.uuid),
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"members": len(members)},
        )
        transaction.on_commit(lambda: duplicate_check_enqueue(person_ids))
    return household


def household_member_add(
    *, ctx: AccessContext, household_uuid: uuid.UUID, member: MemberInput, registration: RegistrationInput
) -> Person:
    """Register a new person into an existing household (a family member met later)."""
    require_capability(ctx, Capability.PERSON_REGISTER)
    _check_registration_office(ctx, registration)
    errors = [
        FieldError(f"member.{e.field}", e.code, e.message)
        for e in validation.person_errors(member.person, today=ctx.today)
    ]
    if member.relationship == Relationship.PRINCIPAL:
        errors.append(
            FieldError(
                "member.relationship", "one_principal", _("The household already has a principal applicant.")
            )
        )
    errors += validation.registration_errors(
        registration, today=ctx.today, birth_dates=[member.person.birth_date]
    )
    if errors:
        raise UnableToValidate(errors)
    with transaction.atomic():
        household = household_get_for_write(ctx=ctx, household_uuid=household_uuid)
        person = _register_member(ctx, household, member, registration)
        transaction.on_commit(lambda: duplicate_check_enqueue([person.pk]))
    return person


def household_member_move(
    *,
    ctx: AccessContext,
    person_uuid: uuid.UUID,
    household_uuid: uuid.UUID | None,
    relationship: str,
    on_date: date,
) -> HouseholdMembership:
    """Move a person to another household (or a new one of their own); the old membership ends, kept as history."""
    require_capability(ctx, Capability.PERSON_EDIT)
    if relationship not in Relationship.values:
        raise UnableToValidate([FieldError("relationship", "invalid_choice", _("Choose a relationship."))])
    if on_date > ctx.today:
        raise UnableToValidate([FieldError("on_date", "future", _("The date is in the future."))])
    with transaction.atomic():
        person = person_get_for_write(ctx=ctx, person_uuid=person_uuid)
        current = (
            HouseholdMembership.objects.select_for_update()
            .filter(person=person, ended_on__isnull=True)
            .first()
        )
        if current is not None and on_date < current.started_on:
            raise UnableToValidate(
                [FieldError("on_date", "before_start", _("The date is before the current membership began."))]
            )
        if household_uuid is None:
            latest_office = person.registrations.order_by("-registered_on", "-id").values_list(
                "office_id", flat=True
            )
            office_id = current.household.office_id if current else latest_office.first()
            if office_id is None:
                raise UnableToValidate(
                    [FieldError("household", "no_office", _("The person has no registration."))]
                )
            target = Household.objects.create(office_id=office_id, created_at=ctx.now, created_by=ctx.user)
            relationship = Relationship.PRINCIPAL
        else:
            target = household_get_for_write(ctx=ctx, household_uuid=household_uuid)
        if current is not None and current.household_id == target.pk:
            raise UnableToValidate(
                [FieldError("household", "same", _("The person is already in this household."))]
            )
        if (
            relationship == Relationship.PRINCIPAL
            and target.memberships.filter(ended_on__isnull=True, relationship=Relationship.PRINCIPAL).exists()
        ):
            raise UnableToValidate(
                [
                    FieldError(
                        "relationship", "one_principal", _("The household already has a principal applicant.")
                    )
                ]
            )
        if current is not None:
            current.ended_on = on_date
            current.save(update_fields=["ended_on"])
        membership = HouseholdMembership.objects.create(
            household=target, person=person, relationship=relationship, started_on=on_date
        )
        audit_record(
            actor=ctx.user,
            action="household.move",
            object_type="person",
            object_id=str(person.uuid),
            person_uuid=person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={
                "from": str(current.household.uuid) if current else None,
                "to": str(target.uuid),
                "relationship": relationship,
                "on": on_date.isoformat(),
            },
        )
    return membership


def _changes_since(person: Person, version: int) -> list[ChangeByOthers]:
    changes: list[ChangeByOthers] = []
    events = AuditEvent.objects.filter(person_uuid=person.uuid, action="person.update").order_by(
        "occurred_at", "id"
    )
    for event in events:
        if int(event.changes.get("version", 0)) <= version:
            continue
        for field, (old, new) in event.changes.get("fields", {}).items():
            changes.append(
                ChangeByOthers(
                    actor=event.actor_username,
                    occurred_at=event.occurred_at.isoformat(),
                    field=field,
                    old=old,
                    new=new,
                )
            )
    return changes


def person_update(
    *, ctx: AccessContext, person_uuid: uuid.UUID, based_on_version: int, person: PersonInput
) -> Person:
    """Save an edit made on `based_on_version`; refused, with what others changed, if a newer version exists."""
    require_capability(ctx, Capability.PERSON_EDIT)
    errors = validation.person_errors(person, today=ctx.today)
    if errors:
        raise UnableToValidate(errors)
    with transaction.atomic():
        record = person_get_for_write(ctx=ctx, person_uuid=person_uuid)
        # The conditional UPDATE is the lock: of two saves based on the same version exactly one matches.
        updated = Person.objects.filter(pk=record.pk, version=based_on_version).update(
            version=F("version") + 1, updated_at=ctx.now, **_person_fields(person)
        )
        if updated == 0:
            record.refresh_from_db()
            raise UnableToSaveStaleEdit(
                current_version=record.version, changes=_changes_since(record, based_on_version)
            )
        before = person_snapshot(record)
        record.refresh_from_db()
        _write_person_details(record, person)
        changed = _diff(before, person_snapshot(record))
        audit_record(
            actor=ctx.user,
            action="person.update",
            object_type="person",
            object_id=str(record.uuid),
            person_uuid=record.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"version": record.version, "fields": changed},
        )
    return record


def profile_record(
    *, ctx: AccessContext, person_uuid: uuid.UUID, office_id: int, profile: ProfileInput
) -> ProfileRecord:
    """Record a profiling of a person with their specific needs, and the referrals it suggests."""
    require_capability(ctx, Capability.PROFILE_EDIT)
    errors = validation.profile_errors(profile)
    if office_id not in office_ids_in_scope(ctx, Capability.PROFILE_EDIT):
        errors.append(
            FieldError("office_id", "office_not_allowed", _("You cannot record profiles in this office."))
        )
    if errors:
        raise UnableToValidate(errors)
    with transaction.atomic():
        person = person_get_for_write(ctx=ctx, person_uuid=person_uuid, capability=Capability.PROFILE_EDIT)
        record = ProfileRecord.objects.create(
            person=person,
            profile_types=list(dict.fromkeys(profile.profile_types)),
            fear_of_return=profile.fear_of_return,
            notes=profile.notes.strip(),
            recorded_at=ctx.now,
            recorded_by=ctx.user,
            office_id=office_id,
        )
        SpecificNeed.objects.bulk_create(
            [
                SpecificNeed(person=person, profile=record, code=code)
                for code in dict.fromkeys(profile.specific_needs)
            ]
        )
        suggestions = referrals_suggested(profile, birth_date=person.birth_date, today=ctx.today)
        ReferralSuggestion.objects.bulk_create(
            [
                ReferralSuggestion(
                    profile=record, person=person, procedure=s.procedure, reason=s.reason[:300]
                )
                for s in suggestions
            ]
        )
        audit_record(
            actor=ctx.user,
            action="profile.create",
            object_type="profile",
            object_id=str(record.pk),
            person_uuid=person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={
                "profile_types": record.profile_types,
                "specific_needs": list(profile.specific_needs),
                "fear_of_return": profile.fear_of_return,
                "suggested": [s.procedure for s in suggestions],
            },
        )
    return record


def referral_decide(*, ctx: AccessContext, referral_id: int, decision: str, note: str) -> ReferralSuggestion:
    """The officer accepts or declines a suggested referral; declining needs a reason."""
    require_capability(ctx, Capability.REFERRAL_DECIDE)
    errors: list[FieldError] = []
    if decision not in (ReferralDecision.ACCEPTED, ReferralDecision.DECLINED):
        errors.append(FieldError("decision", "invalid_choice", _("Choose to refer or not to refer.")))
    if decision == ReferralDecision.DECLINED and not note.strip():
        errors.append(FieldError("note", "required", _("Say why the person is not referred.")))
    if errors:
        raise UnableToValidate(errors)
    with transaction.atomic():
        referral = ReferralSuggestion.objects.select_for_update().select_related("person").get(pk=referral_id)
        person_get_for_write(ctx=ctx, person_uuid=referral.person.uuid, capability=Capability.REFERRAL_DECIDE)
        if referral.decision != ReferralDecision.PENDING:
            raise UnableToValidate(
                [FieldError("decision", "already_decided", _("This referral was already decided."))]
            )
        referral.decision = decision
        referral.decision_note = note.strip()
        referral.decided_at = ctx.now
        referral.decided_by = ctx.user
        referral.save(update_fields=["decision", "decision_note", "decided_at", "decided_by"])
        audit_record(
            actor=ctx.user,
            action="referral.decide",
            object_type="referral",
            object_id=str(referral.pk),
            person_uuid=referral.person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"procedure": referral.procedure, "decision": decision, "note": referral.decision_note},
        )
    return referral


PHOTO_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def person_photo_set(*, ctx: AccessContext, person_uuid: uuid.UUID, content: bytes) -> Person:
    """Store a person's photo (JPEG or PNG, checked by its bytes, not its name), replacing any earlier one."""
    from django.conf import settings
    from django.core.files.base import ContentFile

    require_capability(ctx, Capability.PERSON_EDIT)
    kind = next((ext for signature, ext in PHOTO_SIGNATURES.items() if content.startswith(signature)), None)
    if kind is None:
        raise UnableToValidate(
            [FieldError("photo", "invalid_image", _("The photo must be a JPEG or PNG image."))]
        )
    if len(content) > settings.KARVON_PHOTO_MAX_BYTES:
        raise UnableToValidate(
            [
                FieldError(
                    "photo",
                    "too_large",
                    _("The photo is larger than %(max)d kB.")
                    % {"max": settings.KARVON_PHOTO_MAX_BYTES // 1024},
                )
            ]
        )
    with transaction.atomic():
        person = person_get_for_write(ctx=ctx, person_uuid=person_uuid)
        old_name = person.photo.name if person.photo else ""
        # A random file name: the person's identifier must not be guessable from the storage path.
        person.photo.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(content), save=False)
        Person.objects.filter(pk=person.pk).update(
            photo=person.photo.name, version=F("version") + 1, updated_at=ctx.now
        )
        audit_record(
            actor=ctx.user,
            action="person.photo",
            object_type="person",
            object_id=str(person.uuid),
            person_uuid=person.uuid,
            occurred_at=ctx.now,
            ip_address=ctx.ip_address,
            changes={"bytes": len(content), "replaced": bool(old_name)},
        )
        if old_name:
            storage, name = person.photo.storage, old_name
            transaction.on_commit(lambda: storage.delete(name))
    return person


def office_for_registration(ctx: AccessContext) -> Office | None:
    """The office a new registration defaults to: the user's first office where they may register."""
    office_ids = office_ids_in_scope(ctx, Capability.PERSON_REGISTER)
    return Office.objects.filter(pk__in=office_ids).order_by("name").first()
