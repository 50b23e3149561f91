"""Typed inputs and outputs of the presence domain calls, shared by the web forms and the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from karvon.presence.lawful_stay import PresenceState
from karvon.presence.models import AddressPeriod, Movement, Permit, StayRegistration


@dataclass(frozen=True)
class MovementInput:
    direction: str
    crossed_on: date
    office_id: int
    # A border crossing point of the node, or the name of one that is not (abroad, or not in the system).
    crossing_point_id: int | None = None
    crossing_point_name: str = ""
    # One of the person's documents in the registry, or the type, state and number of another.
    document_id: int | None = None
    document_type: str = ""
    document_number: str = ""
    document_state: str = ""
    purpose: str = ""
    authorised_until: date | None = None


@dataclass(frozen=True)
class StayInput:
    entry_id: int
    registered_on: date
    address: str
    region: str
    registered_until: date
    office_id: int
    host: str = ""


@dataclass(frozen=True)
class PermitInput:
    permit_type: str
    number: str
    valid_from: date
    valid_until: date | None
    office_id: int


@dataclass(frozen=True)
class PermitExtensionInput:
    """A new permit of the same type that continues one; its number is usually new."""

    number: str
    valid_from: date
    valid_until: date | None
    office_id: int


@dataclass(frozen=True)
class AddressInput:
    address: str
    region: str
    lived_from: date
    office_id: int


@dataclass(frozen=True)
class PresenceFile:
    """Everything the presence panel of one person shows."""

    person_uuid: uuid.UUID
    movements: list[Movement]
    stays: list[StayRegistration]
    permits: list[Permit]
    addresses: list[AddressPeriod]
    # (id, "passport TJK 400123456") of the person's documents in the registry, for the entry and exit form.
    documents: list[tuple[int, str]]
    # What the recording forms offer (offices, crossing points, issuing offices); empty if the user may not record.
    record_choices: dict[str, list[tuple[int, str]]]
    state: PresenceState | None
    status: str
    overstaying: bool
    registration_missed: bool
    today: date


@dataclass(frozen=True)
class PresenceListQuery:
    office_id: int | None = None
    page: int = 1
    # The warning list: lawful stay ends within this many days from today.
    within_days: int = 7


@dataclass(frozen=True)
class PresenceListRow:
    person_uuid: uuid.UUID
    given: str
    family: str
    nationalities: tuple[str, ...]
    office_id: int | None
    office_name: str
    entered_on: date | None
    # The date the list is about: the registration deadline, or the last day of lawful stay.
    due_on: date | None
    days: int  # days past the date (lists of missed dates), or left until it (the warning list)
    status: str


@dataclass(frozen=True)
class PresenceListPage:
    rows: list[PresenceListRow]
    page: int
    page_count: int
    total: int
    today: date


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int


@dataclass(frozen=True)
class PresenceCounts:
    """People present today in the user's offices, by status; and how many are on each list."""

    today: date
    office_id: int | None
    total_present: int
    by_status: list[StatusCount]
    missed_registrations: int
    overstays: int
    warnings: int
    within_days: int
