"""Web forms of presence: they parse what was typed and put domain errors back on their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _l

from karvon.presence.contracts import (
    AddressInput,
    MovementInput,
    PermitExtensionInput,
    PermitInput,
    StayInput,
)
from karvon.presence.models import Direction, PermitType, PurposeOfStay
from karvon.presence.regions import node_regions
from karvon.registry.contracts import FieldError
from karvon.registry.forms import DateField
from karvon.registry.models import DocumentType

Choices = list[tuple[Any, str]]
EMPTY: Choices = [("", "—")]


class PresenceForm(forms.Form):
    """Maps the domain's field names (office_id, entry_id…) onto the form's."""

    domain_fields: dict[str, str] = {}

    def add_domain_errors(self, errors: list[FieldError]) -> None:
        for error in errors:
            name = error.field.split(".")[0]
            name = self.domain_fields.get(name, name)
            self.add_error(name if name in self.fields else None, error.message)


class MovementForm(PresenceForm):
    domain_fields = {"office_id": "office", "crossing_point_id": "crossing_point", "document_id": "document"}

    direction = forms.ChoiceField(label=_l("Direction"), choices=Direction.choices)
    crossed_on = DateField(label=_l("Date crossed"))
    crossing_point = forms.TypedChoiceField(
        label=_l("Border crossing point"), coerce=int, required=False, empty_value=None
    )
    crossing_point_name = forms.CharField(
        label=_l("Or another crossing point"), required=False, max_length=200
    )
    document = forms.TypedChoiceField(label=_l("Document used"), coerce=int, required=False, empty_value=None)
    document_type = forms.ChoiceField(
        label=_l("Or another document: type"), choices=EMPTY + list(DocumentType.choices), required=False
    )
    document_number = forms.CharField(label=_l("Number"), required=False, max_length=40)
    document_state = forms.CharField(label=_l("Issuing state"), required=False, max_length=3)
    purpose = forms.ChoiceField(
        label=_l("Purpose of stay (on entry)"), choices=EMPTY + list(PurposeOfStay.choices), required=False
    )
    authorised_until = DateField(label=_l("Authorised stay until (visa)"), required=False)
    office = forms.TypedChoiceField(label=_l("Recorded at office"), coerce=int)

    def __init__(self, *args: Any, choices: dict[str, Choices], documents: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["crossing_point"].choices = EMPTY + choices["crossing_points"]  # type: ignore[attr-defined]
        self.fields["document"].choices = EMPTY + documents  # type: ignore[attr-defined]
        self.fields["office"].choices = choices["offices"]  # type: ignore[attr-defined]

    def to_input(self) -> MovementInput:
        data = self.cleaned_data
        return MovementInput(
            direction=data["direction"],
            crossed_on=data["crossed_on"],
            office_id=data["office"],
            crossing_point_id=data["crossing_point"],
            crossing_point_name=data["crossing_point_name"],
            document_id=data["document"],
            document_type=data["document_type"],
            document_number=data["document_number"],
            document_state=data["document_state"].strip().upper(),
            purpose=data["purpose"],
            authorised_until=data["authorised_until"],
        )


class StayForm(PresenceForm):
    domain_fields = {"office_id": "office", "entry_id": "entry"}

    entry = forms.TypedChoiceField(label=_l("Entry"), coerce=int)
    registered_on = DateField(label=_l("Date registered"))
    address = forms.CharField(label=_l("Address"), max_length=300)
    region = forms.ChoiceField(label=_l("Region"))
    host = forms.CharField(label=_l("Host (person or organisation)"), required=False, max_length=200)
    registered_until = DateField(label=_l("Registered until"))
    office = forms.TypedChoiceField(label=_l("Office"), coerce=int)

    def __init__(self, *args: Any, choices: dict[str, Choices], entries: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = entries  # type: ignore[attr-defined]
        self.fields["region"].choices = EMPTY + node_regions()  # type: ignore[attr-defined]
        self.fields["office"].choices = choices["offices"]  # type: ignore[attr-defined]

    def to_input(self) -> StayInput:
        data = self.cleaned_data
        return StayInput(
            entry_id=data["entry"],
            registered_on=data["registered_on"],
            address=data["address"],
            region=data["region"],
            registered_until=data["registered_until"],
            office_id=data["office"],
            host=data["host"],
        )


class PermitForm(PresenceForm):
    domain_fields = {"office_id": "office"}

    permit_type = forms.ChoiceField(label=_l("Type of permit"), choices=PermitType.choices)
    number = forms.CharField(label=_l("Permit number"), max_length=40)
    valid_from = DateField(label=_l("Valid from"))
    valid_until = DateField(
        label=_l("Valid until"), required=False, help_text=_l("Empty: without an end date")
    )
    office = forms.TypedChoiceField(label=_l("Issuing office"), coerce=int)

    def __init__(self, *args: Any, choices: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = choices["issuing_offices"]  # type: ignore[attr-defined]

    def to_input(self) -> PermitInput:
        data = self.cleaned_data
        return PermitInput(
            permit_type=data["permit_type"],
            number=data["number"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            office_id=data["office"],
        )


class PermitExtendForm(PresenceForm):
    domain_fields = {"office_id": "office"}

    number = forms.CharField(label=_l("Number of the new permit"), max_length=40)
    valid_from = DateField(label=_l("Valid from"))
    valid_until = DateField(
        label=_l("Valid until"), required=False, help_text=_l("Empty: without an end date")
    )
    office = forms.TypedChoiceField(label=_l("Issuing office"), coerce=int)

    def __init__(self, *args: Any, choices: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = choices["issuing_offices"]  # type: ignore[attr-defined]

    def to_input(self) -> PermitExtensionInput:
        data = self.cleaned_data
        return PermitExtensionInput(
            number=data["number"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            office_id=data["office"],
        )


class PermitRevokeForm(PresenceForm):
    revoked_on = DateField(label=_l("Revoked on"))
    reason = forms.CharField(label=_l("Reason"), max_length=2000)


class AddressForm(PresenceForm):
    domain_fields = {"office_id": "office"}

    address = forms.CharField(label=_l("Address"), max_length=300)
    region = forms.ChoiceField(label=_l("Region"))
    lived_from = DateField(label=_l("Lives there since"))
    office = forms.TypedChoiceField(label=_l("Office"), coerce=int)

    def __init__(self, *args: Any, choices: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = EMPTY + node_regions()  # type: ignore[attr-defined]
        self.fields["office"].choices = choices["offices"]  # type: ignore[attr-defined]

    def to_input(self) -> AddressInput:
        data = self.cleaned_data
        return AddressInput(
            address=data["address"],
            region=data["region"],
            lived_from=data["lived_from"],
            office_id=data["office"],
        )


class ListFilterForm(forms.Form):
    office = forms.TypedChoiceField(label=_l("Office"), coerce=int, required=False, empty_value=None)
    days = forms.IntegerField(
        label=_l("Lawful stay ends within (days)"), min_value=0, max_value=366, required=False
    )

    def __init__(self, *args: Any, offices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _l("All my offices")), *offices]  # type: ignore[attr-defined]
