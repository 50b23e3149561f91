"""Writes of presence: one service per change, validated, atomic, audited; and the summary's only writer."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from karvon.accounts.access import AccessContext, office_ids_in_scope, require_capability
from karvon.accounts.models import Office, OfficeKind
from karvon.accounts.roles import Capability
from karvon.audit.services import audit_record
from karvon.cases.rules import StayRules, state_rules
from karvon.cases.selectors import protection_statuses
from karvon.presence import validation
from karvon.presence.contracts import (
    AddressInput,
    MovementInput,
    PermitExtensionInput,
    PermitInput,
    StayInput,
)
from karvon.presence.lawful_stay import (
    STATE_FIELDS,
    MovementFact,
    PermitFact,
    PresenceFacts,
    PresenceState,
    StayFact,
    TallyKey,
    presence_state,
    state_of,
    tally_entries,
)
from karvon.presence.models import (
    AddressPeriod,
    Direction,
    Movement,
    Permit,
    PresenceSummary,
    PresenceTally,
    StayRegistration,
)
from karvon.registry.contracts import FieldError, UnableToValidate
from karvon.registry.models import IdentityDocument, Person, PersonNationality, Registration
from karvon.registry.selectors import person_get_for_write


def stay_rules() -> StayRules:
    return state_rules(settings.KARVON_NODE_STATE).stay


def _protection_statuses(person_ids: list[int]) -> dict[int, str]:
    """Person id → protection status, from the procedures; people without an open protective case are absent."""
    return protection_statuses(person_ids=person_ids)


def presence_facts(person_ids: list[int]) -> dict[int, PresenceFacts]:
    """Everything the summaries of these people are computed from, in six queries whatever their number."""
    movements: dict[int, list[MovementFact]] = defaultdict(list)
    for row in (
        Movement.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "crossed_on", "id")
        .values_list("person_id", "id", "direction", "crossed_on", "document_state", "authorised_until")
    ):
        movements[row[0]].append(MovementFact(*row[1:]))
    stays: dict[int, list[StayFact]] = defaultdict(list)
    for person_id, entry_id, until in StayRegistration.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "entry_id", "registered_until"
    ):
        stays[person_id].append(StayFact(entry_id, until))
    permits: dict[int, list[PermitFact]] = defaultdict(list)
    for person_id, kind, valid_until, revoked in Permit.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "permit_type", "valid_until", "revoked_on"
    ):
        permits[person_id].append(PermitFact(kind, valid_until, revoked))
    nationalities: dict[int, list[str]] = defaultdict(list)
    for person_id, country in PersonNationality.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "country"
    ):
        nationalities[person_id].append(country)
    offices: dict[int, int] = {}
    for person_id, office_id in (
        Registration.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "registered_on", "id")
        .values_list("person_id", "office_id")
    ):
        offices[person_id] = office_id  # the latest registration comes last
    protection = _protection_statuses(person_ids)
    return {
        person_id: PresenceFacts(
            movements=movements[person_id],
            stays=stays[person_id],
            permits=permits[person_id],
            nationalities=sorted(nationalities[person_id]),
            protection=protection.get(person_id, ""),
            office_id=offices.get(person_id),
        )
        for person_id in person_ids
    }


def _summary(person_id: int, state: PresenceState, today: date) -> PresenceSummary:
    return PresenceSummary(
        person_id=person_id, refreshed_on=today, **{name: getattr(state, name) for name in STATE_FIELDS}
    )


def _tallies_add(changes: dict[TallyKey, int]) -> None:
    """Add the differences to the tallies, in key order (so concurrent writers lock counters in the same order)."""
    rows = sorted((key, delta) for key, delta in changes.items() if delta)
    if not rows:
        return
    table = connection.ops.quote_name(PresenceTally._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (office_id, kind, status, on_date, delta) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (office_id, kind, on_date, status) DO UPDATE SET delta = {table}.delta + excluded.delta",
            [(office, kind, status, on_date, delta) for (office, kind, status, on_date), delta in rows],
        )


def presence_summaries_write(person_ids: list[int], *, today: date) -> int:
    """Recompute and upsert the summaries of these people (merged-away records lose theirs), and move the
    tallies by the difference; returns how many summaries were written.

    Callers hold the rows' locks (`person_presence_refresh`) or run alone (the demo loader).
    """
    old = {s.person_id: state_of(s) for s in PresenceSummary.objects.filter(person_id__in=person_ids)}
    current = list(
        Person.objects.filter(pk__in=person_ids, merged_into__isnull=True).values_list("pk", flat=True)
    )
    PresenceSummary.objects.filter(person_id__in=set(person_ids) - set(current)).delete()
    rules = stay_rules()
    facts = presence_facts(current) if current else {}
    new = {pk: presence_state(facts[pk], rules) for pk in current}
    changes: Counter[TallyKey] = Counter()
    for pk in set(old) | set(new):
        for key, delta in tally_entries(old.get(pk)):
            changes[key] -= delta
        for key, delta in tally_entries(new.get(pk)):
            changes[key] += delta
    PresenceSummary.objects.bulk_create(
        [_summary(pk, state, today) for pk, state in new.items()],
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=[*STATE_FIELDS, "refreshed_on"],
        batch_size=2000,
    )
    _tallies_add(changes)
    return len(current)


def _lock_summaries(person_ids: list[int], *, today: date) -> None:
    """Take the summary rows of these people for this transaction, creating any that is missing.

    INSERT … ON CONFLICT DO NOTHING then SELECT … FOR UPDATE, in person order: two officers recording for the
    same person queue here, and the second computes from the first one's committed records. On SQLite the
    IMMEDIATE transactions of the settings already serialise writers.
    """
    PresenceSummary.objects.bulk_create(
        [PresenceSummary(person_id=pk, refreshed_on=today) for pk in sorted(person_ids)],
        ignore_conflicts=True,
    )
    list(PresenceSummary.objects.select_for_update().filter(person_id__in=person_ids).order_by("person_id"))


def person_presence_refresh(*, person_ids: Iterable[int], today: date) -> None:
    """Recompute the presence summaries of these people; the case services call it when a protection status
    changes. A system service: no acting user, no audit event (it shows nothing to anyone)."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    with transaction.atomic():
        _lock_summaries(ids, today=today)
        presence_summaries_write(ids, today=today)


def _person_for_record(ctx: AccessContext, person_uuid: uuid.UUID) -> Person:
    require_capability(ctx, Capability.PRESENCE_RECORD)
    return person_get_for_write(ctx=ctx, person_uuid=person_uuid, capability=Capability.PRESENCE_RECORD)


def _office_error(ctx: AccessContext, office_id: int, field: str = "office_id") -> list[FieldError]:
    if office_id in office_ids_in_scope(ctx, Capability.PRESENCE_RECORD):
        return []
    return [FieldError(field, "office_not_allowed", _("You cannot record presence in this office."))]


def _audit(
    ctx: AccessContext, person: Person, action: str, object_type: str, pk: int, changes: dict[str, Any]
) -> None:
    audit_record(
        actor=ctx.user,
        action=action,
        object_type=object_type,
        object_id=str(pk),
        person_uuid=person.uuid,
        occurred_at=ctx.now,
        ip_address=ctx.ip_address,
        changes=changes,
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def movement_record(*, ctx: AccessContext, person_uuid: uuid.UUID, movement: MovementInput) -> Movement:
    """Record an entry or an exit of a person, checked against their last recorded movement."""
    require_capability(ctx, Capability.PRESENCE_RECORD)
    movement = replace(
        movement,
        document_state=movement.document_state.strip().upper(),
        document_number=movement.document_number.strip().upper(),
    )
    errors = _office_error(ctx, movement.office_id)
    if (
        movement.crossing_point_id is not None
        and not Office.objects.filter(
            pk=movement.crossing_point_id, kind=OfficeKind.BORDER_CROSSING_POINT
        ).exists()
    ):
        errors.append(FieldError("crossing_point_id", "invalid_choice", _("Choose a border crossing point.")))
    with transaction.atomic():
        person = _person_for_record(ctx, person_uuid)
        _lock_summaries([person.pk], today=ctx.today)
        last = (
            Movement.objects.filter(person=person)
            .order_by("-crossed_on", "-id")
            .values_list("direction", "crossed_on")
            .first()
        )
        errors += validation.movement_errors(
            movement,
            today=ctx.today,
            birth_date=person.birth_date,
            last_direction=last[0] if last else None,
            last_crossed_on=last[1] if last else None,
        )
        document: IdentityDocument | None = None
        if movement.document_id is not None:
            document = next((d for d in person.documents.all() if d.pk == movement.document_id), None)
            if document is None:
                errors.append(
                    FieldError("document_id", "not_this_person", _("Choose one of the person's documents."))
                )
        if errors:
            raise UnableToValidate(errors)
        record = Movement.objects.create(
            person=person,
            direction=movement.direction,
            crossed_on=movement.crossed_on,
            crossing_point_id=movement.crossing_point_id,
            crossing_point_name=movement.crossing_point_name.strip(),
            document=document,
            document_type=document.doc_type if document else movement.document_type,
            document_number=document.number if document else movement.document_number,
            document_state=document.issuing_state if document else movement.document_state,
            purpose=movement.purpose,
            authorised_until=movement.authorised_until,
            office_id=movement.office_id,
            recorded_at=ctx.now,
            recorded_by=ctx.user,
        )
        presence_summaries_write([person.pk], today=ctx.today)
        _audit(
            ctx,
            person,
            f"presence.{record.direction}",
            "movement",
            record.pk,
            {
                "crossed_on": record.crossed_on.isoformat(),
                "crossing_point": record.crossing_point_id or record.crossing_point_name,
                "document": f"{record.document_type} {record.document_state} {record.document_number}".strip(),
                "purpose": record.purpose,
                "authorised_until": _iso(record.authorised_until),
                "office": record.office_id,
            },
        )
    return record


def _address_replace(
    ctx: AccessContext, person: Person, *, address: str, region: str, lived_from: date, office_id: int
) -> AddressPeriod:
    """Close the current address the day before `lived_from` and open the new one (the caller validated)."""
    AddressPeriod.objects.filter(person=person, lived_until__isnull=True).update(
        lived_until=lived_from - timedelta(days=1)
    )
    return AddressPeriod.objects.create(
        person=person,
        address=address.strip(),
        region=region,
        lived_from=lived_from,
        office_id=office_id,
        recorded_at=ctx.now,
        recorded_by=ctx.user,
    )


def stay_register(*, ctx: AccessContext, person_uuid: uuid.UUID, stay: StayInput) -> StayRegistration:
    """Register a person's place of stay after an entry; the address becomes their current one if it is newer."""
    require_capability(ctx, Capability.PRESENCE_RECORD)
    errors = _office_error(ctx, stay.office_id)
    with transaction.atomic():
        person = _person_for_record(ctx, person_uuid)
        _lock_summaries([person.pk], today=ctx.today)
        entry = Movement.objects.filter(pk=stay.entry_id, person=person, direction=Direction.ENTRY).first()
        left_on = None
        if entry is not None:
            left_on = (
                Movement.objects.filter(
                    person=person, direction=Direction.EXIT, crossed_on__gte=entry.crossed_on
                )
                .exclude(pk__lt=entry.pk, crossed_on=entry.crossed_on)
                .order_by("crossed_on", "id")
                .values_list("crossed_on", flat=True)
                .first()
            )
        errors += validation.stay_errors(
            stay, today=ctx.today, entered_on=entry.crossed_on if entry else None, left_on=left_on
        )
        if errors:
            raise UnableToValidate(errors)
        assert entry is not None
        record = StayRegistration.objects.create(
            person=person,
            entry=entry,
            registered_on=stay.registered_on,
            address=stay.address.strip(),
            region=stay.region,
            host=stay.host.strip(),
            registered_until=stay.registered_until,
            office_id=stay.office_id,
            recorded_at=ctx.now,
            recorded_by=ctx.user,
        )
        current = AddressPeriod.objects.filter(person=person, lived_until__isnull=True).first()
        moved = current is None or (
            (current.address, current.region) != (record.address, record.region)
            and record.registered_on > current.lived_from
        )
        if moved:
            _address_replace(
                ctx,
                person,
                address=record.address,
                region=record.region,
                lived_from=record.registered_on,
                office_id=record.office_id,
            )
        presence_summaries_write([person.pk], today=ctx.today)
        _audit(
            ctx,
            person,
            "presence.stay",
            "stay_registration",
            record.pk,
            {
                "entry": entry.pk,
                "registered_on": record.registered_on.isoformat(),
                "registered_until": record.registered_until.isoformat(),
                "region": record.region,
                "address_changed": moved,
                "office": record.office_id,
            },
        )
    return record


def _permit_create(ctx: AccessContext, person: Person, permit: PermitInput, extends: Permit | None) -> Permit:
    return Permit.objects.create(
        person=person,
        permit_type=permit.permit_type,
        number=permit.number.strip().upper(),
        valid_from=permit.valid_from,
        valid_until=permit.valid_until,
        issuing_office_id=permit.office_id,
        extends=extends,
        recorded_at=ctx.now,
        recorded_by=ctx.user,
    )


def _permit_changes(record: Permit) -> dict[str, Any]:
    return {
        "permit_type": record.permit_type,
        "number": record.number,
        "valid_from": record.valid_from.isoformat(),
        "valid_until": _iso(record.valid_until),
        "issuing_office": record.issuing_office_id,
        "extends": record.extends_id,
    }


def permit_record(*, ctx: AccessContext, person_uuid: uuid.UUID, permit: PermitInput) -> Permit:
    """Record a permit issued to a person (a residence, work or study permit)."""
    require_capability(ctx, Capability.PRESENCE_RECORD)
    office_exists = Office.objects.filter(pk=permit.office_id).exists()
    with transaction.atomic():
        person = _person_for_record(ctx, person_uuid)
        errors = validation.permit_errors(
            permit,
            today=ctx.today,
            birth_date=person.birth_date,
            office_exists=office_exists,
            is_extension=False,
        )
        if errors:
            raise UnableToValidate(errors)
        _lock_summaries([person.pk], today=ctx.today)
        record = _permit_create(ctx, person, permit, None)
        presence_summaries_write([person.pk], today=ctx.today)
        _audit(ctx, person, "presence.permit", "permit", record.pk, _permit_changes(record))
    return record


def _permit_for_write(ctx: AccessContext, permit_id: int) -> tuple[Person, Permit]:
    """The permit and its person, if the user may record for the person; the permit row locked."""
    permit = Permit.objects.select_related("person").get(pk=permit_id)
    person = _person_for_record(ctx, permit.person.uuid)
    _lock_summaries([person.pk], today=ctx.today)
    return person, Permit.objects.select_for_update().get(pk=permit_id)


def permit_extend(*, ctx: AccessContext, permit_id: int, extension: PermitExtensionInput) -> Permit:
    """Extend a permit: a new permit of its type that names the one it extends and ends later; the old one is
    kept as it was."""
    require_capability(ctx, Capability.PRESENCE_RECORD)
    office_exists = Office.objects.filter(pk=extension.office_id).exists()
    with transaction.atomic():
        person, old = _permit_for_write(ctx, permit_id)
        permit = PermitInput(
            permit_type=old.permit_type,
            number=extension.number,
            valid_from=extension.valid_from,
            valid_until=extension.valid_until,
            office_id=extension.office_id,
        )
        errors = validation.permit_errors(
            permit,
            today=ctx.today,
            birth_date=person.birth_date,
            office_exists=office_exists,
            is_extension=True,
        )
        if old.revoked_on is not None:
            errors.append(FieldError("permit", "revoked", _("A revoked permit cannot be extended.")))
        if Permit.objects.filter(extends=old).exists():
            errors.append(FieldError("permit", "already_extended", _("This permit was already extended.")))
        if old.valid_until is None:
            errors.append(
                FieldError("permit", "open_ended", _("A permit without an end date needs no extension."))
            )
        elif (
            permit.valid_until is not None
            and permit.valid_until <= old.valid_until
            and not any(e.field == "valid_until" for e in errors)
        ):
            errors.append(
                FieldError(
                    "valid_until",
                    "not_later",
                    _("The extension must end after the permit it extends (%(day)s).")
                    % {"day": old.valid_until.strftime("%d.%m.%Y")},
                )
            )
        if errors:
            raise UnableToValidate(errors)
        record = _permit_create(ctx, person, permit, old)
        presence_summaries_write([person.pk], today=ctx.today)
        _audit(ctx, person, "presence.permit_extend", "permit", record.pk, _permit_changes(record))
    return record


def permit_revoke(*, ctx: AccessContext, permit_id: int, revoked_on: date, reason: str) -> Permit:
    """Revoke a permit from a date, with the reason; the permit stays in the history."""
    require_capability(ctx, Capability.PRESENCE_RECORD)
    with transaction.atomic():
        person, permit = _permit_for_write(ctx, permit_id)
        errors: list[FieldError] = []
        if permit.revoked_on is not None:
            errors.append(FieldError("permit", "already_revoked", _("This permit was already revoked.")))
        if not reason.strip():
            errors.append(FieldError("reason", "required", _("Say why the permit is revoked.")))
        if revoked_on > ctx.today:
            errors.append(FieldError("revoked_on", "future", _("The date is in the future.")))
        elif revoked_on < permit.valid_from <= ctx.today:
            # A permit that has not started yet (an extension) may be revoked before it starts.
            errors.append(
                FieldError("revoked_on", "before_start", _("The date is before the permit starts."))
            )
        if errors:
            raise UnableToValidate(errors)
        permit.revoked_on = revoked_on
        permit.revocation_reason = reason.strip()
        permit.revoked_at = ctx.now
        permit.revoked_by = ctx.user
        permit.save(update_fields=["revoked_on", "revocation_reason", "revoked_at", "revoked_by"])
        presence_summaries_write([person.pk], today=ctx.today)
        _audit(
            ctx,
            person,
            "presence.permit_revoke",
            "permit",
            permit.pk,
            {"revoked_on": revoked_on.isoformat(), "reason": permit.revocation_reason},
        )
    return permit


def address_record(*, ctx: AccessContext, person_uuid: uuid.UUID, address: AddressInput) -> AddressPeriod:
    """A new current address and region; the previous one ends the day before and stays in the history."""
    require_capability(ctx, Capability.PRESENCE_RECORD)
    errors = _office_error(ctx, address.office_id)
    with transaction.atomic():
        person = _person_for_record(ctx, person_uuid)
        _lock_summaries([person.pk], today=ctx.today)
        current = AddressPeriod.objects.filter(person=person, lived_until__isnull=True).first()
        errors += validation.address_errors(
            address,
            today=ctx.today,
            birth_date=person.birth_date,
            current_from=current.lived_from if current else None,
        )
        if errors:
            raise UnableToValidate(errors)
        record = _address_replace(
            ctx,
            person,
            address=address.address,
            region=address.region,
            lived_from=address.lived_from,
            office_id=address.office_id,
        )
        _audit(
            ctx,
            person,
            "presence.address",
            "address",
            record.pk,
            {
                "region": record.region,
                "lived_from": record.lived_from.isoformat(),
                "previous": current.pk if current else None,
                "office": record.office_id,
            },
        )
    return record
