"""Typed inputs and outputs of the procedures' domain calls, shared by the web pages and the API."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from karvon.cases.models import Approval, Case, CaseEvent


@dataclass(frozen=True)
class CaseOpenInput:
    kind: str
    person_uuid: uuid.UUID
    office_id: int
    began_on: date
    member_uuids: tuple[uuid.UUID, ...] = ()
    procedure_type: str = "G"
    application_type: str = "N"
    reason: str = ""
    legal_basis: str = ""


@dataclass(frozen=True)
class StepInput:
    transition: str
    occurred_on: date
    expected_version: int
    reason: str = ""
    legal_basis: str = ""
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class StepOutcome:
    """A step either taken (event) or waiting for a supervisor (approval)."""

    case: Case
    event: CaseEvent | None
    approval: Approval | None


class UnableToTransitionStale(Exception):
    """Someone else moved the case since the user loaded it: nothing was saved."""

    def __init__(
        self,
        *,
        case_reference: str,
        current_state: str,
        current_version: int,
        moved_by: str,
        moved_at: datetime | None,
    ) -> None:
        super().__init__(f"{case_reference} moved to {current_state} (version {current_version})")
        self.case_reference = case_reference
        self.current_state = current_state
        self.current_version = current_version
        self.moved_by = moved_by
        self.moved_at = moved_at


@dataclass(frozen=True)
class ReferralInput:
    person_uuid: uuid.UUID
    procedure: str
    from_office_id: int
    to_agency_id: int
    reason: str
    shared: tuple[str, ...]
    suggestion_id: int | None = None
