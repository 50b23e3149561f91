"""Typed inputs and outputs of the registry's domain calls, shared by the web forms and the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class FieldError:
    """One problem with one field; `field` is a dotted path such as "names.2.text" or "documents.0.expiry_date"."""

    field: str
    code: str
    message: str


class UnableToValidate(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class NameInput:
    part: str
    text: str
    script: str
    source: str = "declared"


@dataclass(frozen=True)
class DocumentInput:
    doc_type: str
    number: str
    issuing_state: str
    issue_date: date | None = None
    expiry_date: date | None = None
    mrz: str = ""


@dataclass(frozen=True)
class PersonInput:
    names: tuple[NameInput, ...]
    sex: str = "U"
    birth_date: date | None = None
    birth_date_precision: str = "exact"
    nationalities: tuple[str, ...] = ()
    place_of_birth: str = ""
    place_of_birth_country: str = ""
    languages: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    address: str = ""
    documents: tuple[DocumentInput, ...] = ()


@dataclass(frozen=True)
class RegistrationInput:
    office_id: int
    registered_on: date
    met_at: str
    referred_by: str = ""
    arrival_date: date | None = None
    transit_countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class MemberInput:
    person: PersonInput
    relationship: str


@dataclass(frozen=True)
class ProfileInput:
    profile_types: tuple[str, ...]
    specific_needs: tuple[str, ...] = ()
    fear_of_return: bool = False
    notes: str = ""


@dataclass(frozen=True)
class SuggestedReferral:
    procedure: str
    reason: str


@dataclass(frozen=True)
class ChangeByOthers:
    """What another user saved after the version an edit was based on."""

    actor: str
    occurred_at: str
    field: str
    old: str
    new: str


class UnableToSaveStaleEdit(Exception):
    def __init__(self, *, current_version: int, changes: list[ChangeByOthers]) -> None:
        super().__init__("The record was changed by someone else.")
        self.current_version = current_version
        self.changes = changes


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    sex: str = ""
    nationality: str = ""
    birth_year: int | None = None
    office_id: int | None = None
    page: int = 1


@dataclass(frozen=True)
class PersonCard:
    """What a list or search result shows of a person."""

    uuid: uuid.UUID
    given: str
    family: str
    patronymic: str
    other_spellings: tuple[tuple[str, str], ...]  # (text, script)
    sex: str
    birth_date: date | None
    birth_date_precision: str
    nationalities: tuple[str, ...]
    documents: tuple[str, ...]
    reasons: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class PersonPage:
    cards: list[PersonCard]
    page: int
    page_count: int
    total: int
    total_is_capped: bool
