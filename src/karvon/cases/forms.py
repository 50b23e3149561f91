"""Parsing the procedures' web forms into the domain's typed inputs; malformed values become field errors."""

from __future__ import annotations

import uuid
from datetime import date

from django.http import QueryDict
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from karvon.cases.contracts import CaseOpenInput, ReferralInput, StepInput
from karvon.cases.workflow import Detail
from karvon.registry.contracts import FieldError, UnableToValidate


def _date(data: QueryDict, name: str, errors: list[FieldError]) -> date:
    text = data.get(name, "").strip()
    try:
        value = parse_date(text) if text else None
    except ValueError:
        value = None
    if value is None:
        errors.append(FieldError(name, "invalid", _("Enter a real date.")))
        return date.min
    return value


def _int(data: QueryDict, name: str, errors: list[FieldError]) -> int:
    try:
        return int(data.get(name, ""))
    except ValueError:
        errors.append(FieldError(name, "required", _("This field is required.")))
        return 0


def step_input(data: QueryDict) -> StepInput:
    errors: list[FieldError] = []
    occurred_on = _date(data, "occurred_on", errors)
    version = _int(data, "expected_version", errors)
    details: dict[str, object] = {}
    for name in (Detail.INTERVIEW_AT, Detail.CARE_ARRANGEMENT, Detail.PARTNER, Detail.DESTINATION):
        value = data.get(name.value, "").strip()
        if value:
            details[name.value] = value.upper() if name == Detail.DESTINATION else value
    for name in (Detail.EXPLOITATION, Detail.MEANS_OF_CONTROL):
        values = [v for v in data.getlist(name.value) if v]
        if values:
            details[name.value] = values
    if errors:
        raise UnableToValidate(errors)
    return StepInput(
        transition=data.get("transition", ""),
        occurred_on=occurred_on,
        expected_version=version,
        reason=data.get("reason", ""),
        legal_basis=data.get("legal_basis", ""),
        details=details,
    )


def case_open_input(data: QueryDict, person_uuid: uuid.UUID) -> CaseOpenInput:
    errors: list[FieldError] = []
    began_on = _date(data, "began_on", errors)
    office_id = _int(data, "office_id", errors)
    members = []
    for value in data.getlist("member_uuids"):
        try:
            members.append(uuid.UUID(value))
        except ValueError:
            errors.append(FieldError("member_uuids", "invalid", _("Choose members from the list.")))
    if errors:
        raise UnableToValidate(errors)
    return CaseOpenInput(
        kind=data.get("kind", ""),
        person_uuid=person_uuid,
        office_id=office_id,
        began_on=began_on,
        member_uuids=tuple(members),
        procedure_type=data.get("procedure_type", "G"),
        application_type=data.get("application_type", "N"),
        reason=data.get("reason", ""),
        legal_basis=data.get("legal_basis", ""),
    )


def referral_input(data: QueryDict, person_uuid: uuid.UUID) -> ReferralInput:
    errors: list[FieldError] = []
    from_office_id = _int(data, "from_office_id", errors)
    to_agency_id = _int(data, "to_agency_id", errors)
    if errors:
        raise UnableToValidate(errors)
    return ReferralInput(
        person_uuid=person_uuid,
        procedure=data.get("procedure", ""),
        from_office_id=from_office_id,
        to_agency_id=to_agency_id,
        reason=data.get("reason", ""),
        shared=tuple(data.getlist("shared")),
    )
