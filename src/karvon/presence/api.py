"""Presence endpoints (mounted at /api/v1/presence/): one domain call each, the same rules as the pages."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from karvon.api import api_context
from karvon.presence import selectors, services
from karvon.presence.contracts import (
    AddressInput,
    MovementInput,
    PermitExtensionInput,
    PermitInput,
    PresenceListPage,
    PresenceListQuery,
    StayInput,
)
from karvon.presence.labels import status_label
from karvon.presence.models import AddressPeriod, Movement, Permit, StayRegistration

router = Router(tags=["presence"])

# "" where the field may stay empty: one Literal, so a wrong value is reported on the field itself.
PurposeCode = Literal[
    "",
    "work",
    "study",
    "private_visit",
    "family",
    "business",
    "tourism",
    "transit",
    "asylum",
    "medical",
    "other",
]
PermitTypeCode = Literal[
    "temporary_residence", "permanent_residence", "work_permit", "study_permit", "refugee_residence", "other"
]
DocumentTypeCode = Literal["", "passport", "national_id", "birth_certificate", "refugee_id", "other"]


class MovementIn(Schema):
    direction: Literal["entry", "exit"]
    crossed_on: date
    office_id: int = Field(description="The office recording the movement (one of yours)")
    crossing_point_id: int | None = Field(None, description="An office of kind border_crossing_point")
    crossing_point_name: str = Field("", max_length=200, description="A crossing point not among the offices")
    document_id: int | None = Field(None, description="One of the person's documents in the registry")
    document_type: DocumentTypeCode = ""
    document_number: str = Field("", max_length=40)
    document_state: str = Field("", max_length=3, description="ISO alpha-3")
    purpose: PurposeCode = Field("", description="Required on entry")
    authorised_until: date | None = Field(None, description="End of the stay a visa allows")


class MovementOut(Schema):
    id: int
    direction: str
    crossed_on: date
    crossing_point_id: int | None
    crossing_point_name: str
    document_type: str
    document_number: str
    document_state: str
    purpose: str
    authorised_until: date | None
    office_id: int

    @staticmethod
    def of(m: Movement) -> MovementOut:
        return MovementOut(
            id=m.pk,
            direction=m.direction,
            crossed_on=m.crossed_on,
            crossing_point_id=m.crossing_point_id,
            crossing_point_name=m.crossing_point.name if m.crossing_point else m.crossing_point_name,
            document_type=m.document_type,
            document_number=m.document_number,
            document_state=m.document_state,
            purpose=m.purpose,
            authorised_until=m.authorised_until,
            office_id=m.office_id,
        )


class StayIn(Schema):
    entry_id: int
    registered_on: date
    address: str = Field(max_length=300)
    region: str = Field(max_length=10, description="ISO 3166-2 subdivision of the node's state, e.g. KZ-75")
    host: str = Field("", max_length=200)
    registered_until: date
    office_id: int


class StayOut(Schema):
    id: int
    entry_id: int
    registered_on: date
    registered_until: date
    address: str
    region: str
    host: str
    office_id: int

    @staticmethod
    def of(s: StayRegistration) -> StayOut:
        return StayOut(
            id=s.pk,
            entry_id=s.entry_id,
            registered_on=s.registered_on,
            registered_until=s.registered_until,
            address=s.address,
            region=s.region,
            host=s.host,
            office_id=s.office_id,
        )


class PermitIn(Schema):
    permit_type: PermitTypeCode
    number: str = Field(max_length=40)
    valid_from: date
    valid_until: date | None = Field(None, description="Empty: without an end date")
    office_id: int = Field(description="The issuing office")


class PermitExtensionIn(Schema):
    number: str = Field(max_length=40)
    valid_from: date
    valid_until: date | None = None
    office_id: int


class PermitRevocationIn(Schema):
    revoked_on: date
    reason: str = Field(max_length=2000)


class PermitOut(Schema):
    id: int
    permit_type: str
    number: str
    valid_from: date
    valid_until: date | None
    issuing_office_id: int
    extends_id: int | None
    revoked_on: date | None
    revocation_reason: str

    @staticmethod
    def of(p: Permit) -> PermitOut:
        return PermitOut(
            id=p.pk,
            permit_type=p.permit_type,
            number=p.number,
            valid_from=p.valid_from,
            valid_until=p.valid_until,
            issuing_office_id=p.issuing_office_id,
            extends_id=p.extends_id,
            revoked_on=p.revoked_on,
            revocation_reason=p.revocation_reason,
        )


class AddressIn(Schema):
    address: str = Field(max_length=300)
    region: str = Field(max_length=10)
    lived_from: date
    office_id: int


class AddressOut(Schema):
    id: int
    address: str
    region: str
    lived_from: date
    lived_until: date | None

    @staticmethod
    def of(a: AddressPeriod) -> AddressOut:
        return AddressOut(
            id=a.pk, address=a.address, region=a.region, lived_from=a.lived_from, lived_until=a.lived_until
        )


class PresenceOut(Schema):
    person: uuid.UUID
    today: date
    present: bool
    status: str
    status_label: str
    entered_on: date | None
    lawful_until: date | None
    registration_due_on: date | None
    overstaying: bool
    registration_missed: bool
    movements: list[MovementOut]
    stays: list[StayOut]
    permits: list[PermitOut]
    addresses: list[AddressOut]


class ListRowOut(Schema):
    person: uuid.UUID
    given: str
    family: str
    nationalities: list[str]
    office_id: int | None
    entered_on: date | None
    due_on: date | None
    days: int
    status: str


class ListPageOut(Schema):
    today: date
    results: list[ListRowOut]
    page: int
    page_count: int
    total: int

    @staticmethod
    def of(page: PresenceListPage) -> ListPageOut:
        return ListPageOut(
            today=page.today,
            page=page.page,
            page_count=page.page_count,
            total=page.total,
            results=[
                ListRowOut(
                    person=r.person_uuid,
                    given=r.given,
                    family=r.family,
                    nationalities=list(r.nationalities),
                    office_id=r.office_id,
                    entered_on=r.entered_on,
                    due_on=r.due_on,
                    days=r.days,
                    status=r.status,
                )
                for r in page.rows
            ],
        )


class StatusCountOut(Schema):
    status: str
    label: str
    count: int


class CountsOut(Schema):
    today: date
    office_id: int | None
    total_present: int
    by_status: list[StatusCountOut]
    missed_registrations: int
    overstays: int
    overstay_warnings: int
    within_days: int


@router.post(
    "/persons/{person_uuid}/movements", response={201: MovementOut}, summary="Record an entry or exit"
)
def movement_record(request: HttpRequest, person_uuid: uuid.UUID, payload: MovementIn) -> Status[Any]:
    record = services.movement_record(
        ctx=api_context(request),
        person_uuid=person_uuid,
        movement=MovementInput(**{**payload.model_dump(), "document_state": payload.document_state.upper()}),
    )
    return Status(201, MovementOut.of(record))


@router.post(
    "/persons/{person_uuid}/stays", response={201: StayOut}, summary="Register the stay after an entry"
)
def stay_register(request: HttpRequest, person_uuid: uuid.UUID, payload: StayIn) -> Status[Any]:
    record = services.stay_register(
        ctx=api_context(request),
        person_uuid=person_uuid,
        stay=StayInput(**{**payload.model_dump(), "region": payload.region.upper()}),
    )
    return Status(201, StayOut.of(record))


@router.post("/persons/{person_uuid}/permits", response={201: PermitOut}, summary="Record a permit")
def permit_record(request: HttpRequest, person_uuid: uuid.UUID, payload: PermitIn) -> Status[Any]:
    record = services.permit_record(
        ctx=api_context(request), person_uuid=person_uuid, permit=PermitInput(**payload.model_dump())
    )
    return Status(201, PermitOut.of(record))


@router.post("/permits/{permit_id}/extension", response={201: PermitOut}, summary="Extend a permit")
def permit_extend(request: HttpRequest, permit_id: int, payload: PermitExtensionIn) -> Status[Any]:
    record = services.permit_extend(
        ctx=api_context(request), permit_id=permit_id, extension=PermitExtensionInput(**payload.model_dump())
    )
    return Status(201, PermitOut.of(record))


@router.post(
    "/permits/{permit_id}/revocation", response=PermitOut, summary="Revoke a permit, with the reason"
)
def permit_revoke(request: HttpRequest, permit_id: int, payload: PermitRevocationIn) -> PermitOut:
    record = services.permit_revoke(
        ctx=api_context(request), permit_id=permit_id, revoked_on=payload.revoked_on, reason=payload.reason
    )
    return PermitOut.of(record)


@router.post(
    "/persons/{person_uuid}/addresses", response={201: AddressOut}, summary="A new current address and region"
)
def address_record(request: HttpRequest, person_uuid: uuid.UUID, payload: AddressIn) -> Status[Any]:
    record = services.address_record(
        ctx=api_context(request),
        person_uuid=person_uuid,
        address=AddressInput(**{**payload.model_dump(), "region": payload.region.upper()}),
    )
    return Status(201, AddressOut.of(record))


@router.get("/persons/{person_uuid}", response=PresenceOut, summary="A person's presence: status and history")
def presence_detail(request: HttpRequest, person_uuid: uuid.UUID) -> PresenceOut:
    file = selectors.presence_file(ctx=api_context(request), person_uuid=person_uuid)
    state = file.state
    return PresenceOut(
        person=file.person_uuid,
        today=file.today,
        present=state is None or state.present,
        status=file.status,
        status_label=status_label(file.status) if file.status else "",
        entered_on=state.entered_on if state else None,
        lawful_until=state.lawful_until if state else None,
        registration_due_on=state.registration_due_on if state else None,
        overstaying=file.overstaying,
        registration_missed=file.registration_missed,
        movements=[MovementOut.of(m) for m in file.movements],
        stays=[StayOut.of(s) for s in file.stays],
        permits=[PermitOut.of(p) for p in file.permits],
        addresses=[AddressOut.of(a) for a in file.addresses],
    )


@router.get(
    "/missed-registrations", response=ListPageOut, summary="Entered, present, stay not registered in time"
)
def missed_registrations(request: HttpRequest, office_id: int | None = None, page: int = 1) -> ListPageOut:
    return ListPageOut.of(
        selectors.presence_list(
            ctx=api_context(request),
            kind=selectors.LIST_MISSED,
            query=PresenceListQuery(office_id=office_id, page=page),
        )
    )


@router.get("/overstays", response=ListPageOut, summary="Present, unprotected, lawful stay ended")
def overstays(request: HttpRequest, office_id: int | None = None, page: int = 1) -> ListPageOut:
    return ListPageOut.of(
        selectors.presence_list(
            ctx=api_context(request),
            kind=selectors.LIST_OVERSTAYS,
            query=PresenceListQuery(office_id=office_id, page=page),
        )
    )


@router.get("/overstay-warnings", response=ListPageOut, summary="Lawful stay ends within `within_days` days")
def overstay_warnings(
    request: HttpRequest, office_id: int | None = None, page: int = 1, within_days: int = 7
) -> ListPageOut:
    return ListPageOut.of(
        selectors.presence_list(
            ctx=api_context(request),
            kind=selectors.LIST_WARNINGS,
            query=PresenceListQuery(office_id=office_id, page=page, within_days=within_days),
        )
    )


@router.get("/counts", response=CountsOut, summary="People present now, by status (aggregates only)")
def counts(request: HttpRequest, office_id: int | None = None, within_days: int = 7) -> CountsOut:
    result = selectors.presence_counts(ctx=api_context(request), office_id=office_id, within_days=within_days)
    return CountsOut(
        today=result.today,
        office_id=result.office_id,
        total_present=result.total_present,
        by_status=[
            StatusCountOut(status=c.status, label=status_label(c.status), count=c.count)
            for c in result.by_status
        ],
        missed_registrations=result.missed_registrations,
        overstays=result.overstays,
        overstay_warnings=result.warnings,
        within_days=result.within_days,
    )
