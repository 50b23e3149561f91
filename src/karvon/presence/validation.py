"""Field-by-field checks of presence inputs, with messages in the user's language."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from karvon.presence.contracts import AddressInput, MovementInput, PermitInput, StayInput
from karvon.presence.models import Direction, PermitType, PurposeOfStay
from karvon.presence.regions import is_node_region, is_region_code
from karvon.registry.codelists import is_state_code
from karvon.registry.contracts import FieldError
from karvon.registry.models import DocumentType


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def date_errors(field: str, value: date, *, today: date, birth_date: date | None) -> list[FieldError]:
    if value > today:
        return [FieldError(field, "future", _("The date is in the future."))]
    if birth_date is not None and value < birth_date:
        return [
            FieldError(
                field,
                "before_birth",
                _("The date is before the person's date of birth (%(birth)s).") % {"birth": _day(birth_date)},
            )
        ]
    return []


def region_errors(field: str, code: str) -> list[FieldError]:
    if not code:
        return [FieldError(field, "required", _("Choose the region."))]
    if not is_region_code(code):
        return [
            FieldError(
                field, "unknown_region", _("“%(code)s” is not an ISO 3166-2 region code.") % {"code": code}
            )
        ]
    if not is_node_region(code):
        return [FieldError(field, "region_not_in_state", _("The region is not in this state."))]
    return []


def movement_errors(
    movement: MovementInput,
    *,
    today: date,
    birth_date: date | None,
    last_direction: str | None,
    last_crossed_on: date | None,
) -> list[FieldError]:
    """Checks of an entry or exit against the person's last recorded movement (the service reads it under lock)."""
    errors: list[FieldError] = []
    if movement.direction not in Direction.values:
        return [FieldError("direction", "invalid_choice", _("Choose entry or exit."))]
    is_entry = movement.direction == Direction.ENTRY
    errors += date_errors("crossed_on", movement.crossed_on, today=today, birth_date=birth_date)
    if not errors and last_crossed_on is not None and movement.crossed_on < last_crossed_on:
        if not is_entry and last_direction == Direction.ENTRY:
            message = _("The exit is before the entry of %(day)s.") % {"day": _day(last_crossed_on)}
            errors.append(FieldError("crossed_on", "exit_before_entry", message))
        else:
            message = _("The date is before the last recorded movement (%(day)s).") % {
                "day": _day(last_crossed_on)
            }
            errors.append(FieldError("crossed_on", "before_last_movement", message))
    if is_entry and last_direction == Direction.ENTRY and last_crossed_on is not None:
        errors.append(
            FieldError(
                "direction",
                "already_present",
                _("The last movement recorded is an entry on %(day)s: record the exit first.")
                % {"day": _day(last_crossed_on)},
            )
        )
    if not is_entry and last_direction == Direction.EXIT and last_crossed_on is not None:
        errors.append(
            FieldError(
                "direction",
                "not_present",
                _("The person already left on %(day)s: record their entry first.")
                % {"day": _day(last_crossed_on)},
            )
        )
    if movement.crossing_point_id is None and not movement.crossing_point_name.strip():
        errors.append(
            FieldError("crossing_point", "required", _("Choose the border crossing point or name it."))
        )
    if movement.crossing_point_id is not None and movement.crossing_point_name.strip():
        errors.append(
            FieldError(
                "crossing_point_name",
                "both",
                _("Choose a crossing point of the list or name another, not both."),
            )
        )
    if movement.document_id is None:
        if movement.document_type and movement.document_type not in DocumentType.values:
            errors.append(FieldError("document_type", "invalid_choice", _("Choose the type of document.")))
        if movement.document_number.strip() and not movement.document_type:
            errors.append(FieldError("document_type", "required", _("Choose the type of document.")))
        if movement.document_type and not movement.document_number.strip():
            errors.append(FieldError("document_number", "required", _("Enter the document number.")))
        if movement.document_state and not is_state_code(movement.document_state):
            errors.append(
                FieldError("document_state", "invalid", _("Enter the ISO alpha-3 code of the issuing state."))
            )
    elif movement.document_type or movement.document_number.strip():
        errors.append(
            FieldError(
                "document_number", "both", _("Choose a registered document or enter another, not both.")
            )
        )
    if is_entry:
        if not movement.purpose:
            errors.append(FieldError("purpose", "required", _("Choose the purpose of stay.")))
        elif movement.purpose not in PurposeOfStay.values:
            errors.append(FieldError("purpose", "invalid_choice", _("Choose the purpose of stay.")))
        if movement.authorised_until is not None and movement.authorised_until < movement.crossed_on:
            errors.append(
                FieldError(
                    "authorised_until", "before_entry", _("The authorised stay ends before the entry.")
                )
            )
    else:
        if movement.purpose:
            errors.append(
                FieldError("purpose", "only_on_entry", _("A purpose of stay is recorded on entry."))
            )
        if movement.authorised_until is not None:
            errors.append(
                FieldError("authorised_until", "only_on_entry", _("An authorised stay is recorded on entry."))
            )
    return errors


def stay_errors(
    stay: StayInput,
    *,
    today: date,
    entered_on: date | None,
    left_on: date | None,
) -> list[FieldError]:
    """`entered_on` is the date of the entry the stay follows (None: no such entry); `left_on` the exit after it."""
    errors: list[FieldError] = []
    if entered_on is None:
        errors.append(FieldError("entry_id", "not_found", _("Choose an entry of this person.")))
    if stay.registered_on > today:
        errors.append(FieldError("registered_on", "future", _("The date is in the future.")))
    elif entered_on is not None and stay.registered_on < entered_on:
        errors.append(
            FieldError(
                "registered_on",
                "before_entry",
                _("The stay is registered before the entry of %(day)s.") % {"day": _day(entered_on)},
            )
        )
    elif left_on is not None and stay.registered_on > left_on:
        errors.append(
            FieldError(
                "registered_on",
                "after_exit",
                _("The person left on %(day)s, before this date.") % {"day": _day(left_on)},
            )
        )
    if stay.registered_until < stay.registered_on:
        errors.append(
            FieldError(
                "registered_until", "before_registration", _("The stay ends before it was registered.")
            )
        )
    if not stay.address.strip():
        errors.append(FieldError("address", "required", _("Enter the address.")))
    errors += region_errors("region", stay.region)
    return errors


def permit_errors(
    permit: PermitInput, *, today: date, birth_date: date | None, office_exists: bool, is_extension: bool
) -> list[FieldError]:
    errors: list[FieldError] = []
    if permit.permit_type not in PermitType.values:
        errors.append(FieldError("permit_type", "invalid_choice", _("Choose the type of permit.")))
    if not permit.number.strip():
        errors.append(FieldError("number", "required", _("Enter the permit number.")))
    # An extension may start after today: it is issued before the permit it extends ends.
    latest_start = date.max if is_extension else today
    errors += date_errors("valid_from", permit.valid_from, today=latest_start, birth_date=birth_date)
    if permit.valid_until is not None and permit.valid_until < permit.valid_from:
        errors.append(FieldError("valid_until", "ends_before_start", _("The permit ends before it starts.")))
    if not office_exists:
        errors.append(FieldError("office_id", "invalid_choice", _("Choose the issuing office.")))
    return errors


def address_errors(
    address: AddressInput, *, today: date, birth_date: date | None, current_from: date | None
) -> list[FieldError]:
    errors: list[FieldError] = []
    if not address.address.strip():
        errors.append(FieldError("address", "required", _("Enter the address.")))
    errors += region_errors("region", address.region)
    dated = date_errors("lived_from", address.lived_from, today=today, birth_date=birth_date)
    if not dated and current_from is not None and address.lived_from <= current_from:
        dated.append(
            FieldError(
                "lived_from",
                "before_current",
                _("The new address must start after the current one (since %(day)s).")
                % {"day": _day(current_from)},
            )
        )
    return errors + dated
