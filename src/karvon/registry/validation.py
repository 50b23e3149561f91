"""Field-by-field validation of registry inputs, with messages in the user's language."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from karvon.registry.codelists import SCRIPTS, is_country_code, is_language_code, is_state_code
from karvon.registry.contracts import (
    DocumentInput,
    FieldError,
    MemberInput,
    PersonInput,
    ProfileInput,
    RegistrationInput,
)
from karvon.registry.models import (
    DatePrecision,
    DocumentType,
    MetAt,
    NamePart,
    ProfileType,
    Relationship,
    Sex,
    SpellingSource,
)
from karvon.registry.specific_needs import SPECIFIC_NEED_CODES
from karvon_match import foreign_script_letters, normalise_text, script_of

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
NAME_MAX_LENGTH = 100
# Letters of any script, combining marks, and the separators names really contain.
NAME_ALLOWED = re.compile(r"^[^\W\d_]+(?:[\s\-'’ʻʼ.‌][^\W\d_]*)*$", re.UNICODE)
DOCUMENT_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9 /-]{0,38}$")
PHONE = re.compile(r"^\+?[0-9 ()-]{5,20}$")
SCRIPT_NAMES = {"Cyrl": "Cyrillic", "Latn": "Latin", "Arab": "Arabic"}
# The codes of each choice, built once: `Choices.values` builds a new list on every call (validation of one
# registration asked for them about seventeen times).
NAME_PARTS = frozenset(NamePart.values)
SPELLING_SOURCES = frozenset(SpellingSource.values)
DOCUMENT_TYPES = frozenset(DocumentType.values)
SEXES = frozenset(Sex.values)
DATE_PRECISIONS = frozenset(DatePrecision.values)
MET_AT = frozenset(MetAt.values)
RELATIONSHIPS = frozenset(Relationship.values)
PROFILE_TYPES = frozenset(ProfileType.values)


def _script_label(code: str) -> str:
    label = SCRIPTS.get(code)
    return str(label) if label is not None else code


def name_errors(index: int, part: str, text: str, script: str, source: str) -> list[FieldError]:
    prefix = f"names.{index}"
    errors: list[FieldError] = []
    if part not in NAME_PARTS:
        errors.append(
            FieldError(f"{prefix}.part", "invalid_choice", _("Choose given name, family name or patronymic."))
        )
    if script not in SCRIPTS:
        errors.append(
            FieldError(f"{prefix}.script", "invalid_choice", _("Choose Cyrillic, Latin or Arabic script."))
        )
    if source not in SPELLING_SOURCES:
        errors.append(
            FieldError(f"{prefix}.source", "invalid_choice", _("Choose where this spelling comes from."))
        )
    cleaned = normalise_text(text)
    if not cleaned:
        errors.append(FieldError(f"{prefix}.text", "required", _("Enter the name.")))
        return errors
    if len(cleaned) > NAME_MAX_LENGTH:
        errors.append(
            FieldError(
                f"{prefix}.text",
                "too_long",
                _("A name can have at most %(max)d characters; this one has %(n)d.")
                % {"max": NAME_MAX_LENGTH, "n": len(cleaned)},
            )
        )
        return errors
    if any(ch.isdigit() for ch in cleaned):
        errors.append(FieldError(f"{prefix}.text", "digits", _("A name cannot contain digits.")))
        return errors
    if not NAME_ALLOWED.match(cleaned):
        errors.append(
            FieldError(
                f"{prefix}.text",
                "characters",
                _("A name may contain only letters, spaces, hyphens and apostrophes."),
            )
        )
        return errors
    if script in SCRIPTS:
        foreign = foreign_script_letters(cleaned, script)
        whole = script_of(cleaned)
        if whole not in {script, "Mixed", "Zyyy"}:
            errors.append(
                FieldError(
                    f"{prefix}.text",
                    "wrong_script",
                    _(
                        "“%(text)s” is written in %(other)s script, not in %(script)s: choose the "
                        "right script for this spelling."
                    )
                    % {"text": cleaned, "other": _script_label(whole), "script": _script_label(script)},
                )
            )
        elif foreign:
            position, letter, letter_script = foreign[0]
            errors.append(
                FieldError(
                    f"{prefix}.text",
                    "mixed_script",
                    _(
                        "The %(script)s spelling “%(text)s” contains the %(other)s letter “%(letter)s” at position "
                        "%(position)d. It may be a look-alike letter typed on another keyboard layout: retype it."
                    )
                    % {
                        "script": _script_label(script),
                        "text": cleaned,
                        "other": _script_label(letter_script),
                        "letter": letter,
                        "position": position + 1,
                    },
                )
            )
    return errors


def document_errors(
    index: int, document: DocumentInput, *, today: date, birth_date: date | None
) -> list[FieldError]:
    prefix = f"documents.{index}"
    errors: list[FieldError] = []
    if document.doc_type not in DOCUMENT_TYPES:
        errors.append(FieldError(f"{prefix}.doc_type", "invalid_choice", _("Choose a document type.")))
    number = document.number.strip().upper()
    if not number:
        errors.append(FieldError(f"{prefix}.number", "required", _("Enter the document number.")))
    elif not DOCUMENT_NUMBER.match(number):
        errors.append(
            FieldError(
                f"{prefix}.number",
                "invalid",
                _("A document number has up to 40 Latin letters, digits, spaces, “/” or “-”."),
            )
        )
    if not is_state_code(document.issuing_state):
        errors.append(
            FieldError(
                f"{prefix}.issuing_state",
                "unknown_country",
                _("“%(code)s” is not an ISO 3166 alpha-3 code of a state.")
                % {"code": document.issuing_state},
            )
        )
    if document.issue_date and document.issue_date > today:
        errors.append(FieldError(f"{prefix}.issue_date", "future", _("The date of issue is in the future.")))
    if document.issue_date and birth_date and document.issue_date < birth_date:
        errors.append(
            FieldError(
                f"{prefix}.issue_date",
                "before_birth",
                _("The document was issued before the person was born."),
            )
        )
    if document.issue_date and document.expiry_date and document.expiry_date <= document.issue_date:
        errors.append(
            FieldError(
                f"{prefix}.expiry_date",
                "before_issue",
                _("The date of expiry must be after the date of issue."),
            )
        )
    return errors


def person_errors(person: PersonInput, *, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    if not person.names:
        errors.append(FieldError("names", "required", _("Enter at least a given name or a family name.")))
    for index, name in enumerate(person.names):
        errors += name_errors(index, name.part, name.text, name.script, name.source)
    parts = {name.part for name in person.names if normalise_text(name.text)}
    if person.names and not parts & {"given", "family"}:
        errors.append(FieldError("names", "required", _("Enter at least a given name or a family name.")))
    if person.sex not in SEXES:
        errors.append(FieldError("sex", "invalid_choice", _("Choose a value for sex.")))
    if person.birth_date_precision not in DATE_PRECISIONS:
        errors.append(
            FieldError("birth_date_precision", "invalid_choice", _("Choose the precision of the date."))
        )
    if person.birth_date is not None:
        if person.birth_date > today:
            errors.append(FieldError("birth_date", "future", _("The date of birth is in the future.")))
        elif person.birth_date < EARLIEST_BIRTH_DATE:
            errors.append(FieldError("birth_date", "too_early", _("The date of birth is before 1900.")))
    seen: set[str] = set()
    for index, code in enumerate(person.nationalities):
        if not is_country_code(code):
            errors.append(
                FieldError(
                    f"nationalities.{index}",
                    "unknown_country",
                    _("“%(code)s” is not an ISO 3166 alpha-3 code, XXA (stateless) or XXX (unknown).")
                    % {"code": code},
                )
            )
        elif code in seen:
            errors.append(
                FieldError(f"nationalities.{index}", "duplicate", _("This nationality is listed twice."))
            )
        seen.add(code)
    if "XXA" in seen and len(seen - {"XXA", "XXX"}) > 0:
        errors.append(
            FieldError(
                "nationalities",
                "stateless_with_nationality",
                _("A stateless person cannot also hold a nationality."),
            )
        )
    if person.place_of_birth_country and not is_country_code(person.place_of_birth_country):
        errors.append(
            FieldError(
                "place_of_birth_country",
                "unknown_country",
                _("“%(code)s” is not an ISO 3166 alpha-3 code.") % {"code": person.place_of_birth_country},
            )
        )
    if len(person.place_of_birth) > 200:
        errors.append(FieldError("place_of_birth", "too_long", _("At most 200 characters.")))
    for index, code in enumerate(person.languages):
        if not is_language_code(code):
            errors.append(
                FieldError(
                    f"languages.{index}",
                    "unknown_language",
                    _("“%(code)s” is not an ISO 639-3 language code.") % {"code": code},
                )
            )
    if person.phone and not PHONE.match(person.phone):
        errors.append(
            FieldError("phone", "invalid", _("Enter a phone number of digits, optionally starting with +."))
        )
    if person.email:
        try:
            validate_email(person.email)
        except ValidationError:
            errors.append(FieldError("email", "invalid", _("Enter a valid e-mail address.")))
    if len(person.address) > 300:
        errors.append(FieldError("address", "too_long", _("At most 300 characters.")))
    keys: set[tuple[str, str, str]] = set()
    for index, document in enumerate(person.documents):
        errors += document_errors(index, document, today=today, birth_date=person.birth_date)
        key = (document.doc_type, document.issuing_state, document.number.strip().upper())
        if key in keys:
            errors.append(
                FieldError(f"documents.{index}.number", "duplicate", _("This document is listed twice."))
            )
        keys.add(key)
    return errors


def registration_errors(
    registration: RegistrationInput, *, today: date, birth_dates: list[date | None]
) -> list[FieldError]:
    errors: list[FieldError] = []
    if registration.registered_on > today:
        errors.append(
            FieldError(
                "registration.registered_on", "future", _("The date of registration is in the future.")
            )
        )
    if registration.met_at not in MET_AT:
        errors.append(
            FieldError("registration.met_at", "invalid_choice", _("Choose where the person was met."))
        )
    if registration.met_at == MetAt.REFERRAL and not registration.referred_by.strip():
        errors.append(
            FieldError("registration.referred_by", "required", _("Name the agency that referred the person."))
        )
    if registration.arrival_date is not None:
        if registration.arrival_date > registration.registered_on:
            errors.append(
                FieldError(
                    "registration.arrival_date",
                    "after_registration",
                    _("The date of arrival is after the date of registration."),
                )
            )
        if any(b is not None and registration.arrival_date < b for b in birth_dates):
            errors.append(
                FieldError(
                    "registration.arrival_date",
                    "before_birth",
                    _("The date of arrival is before the person was born."),
                )
            )
    for index, code in enumerate(registration.transit_countries):
        if not is_state_code(code):
            errors.append(
                FieldError(
                    f"registration.transit_countries.{index}",
                    "unknown_country",
                    _("“%(code)s” is not an ISO 3166 alpha-3 code of a state.") % {"code": code},
                )
            )
    return errors


def members_errors(members: list[MemberInput], *, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    if not members:
        errors.append(
            FieldError("members", "required", _("A household needs at least its principal applicant."))
        )
    principals = [m for m in members if m.relationship == Relationship.PRINCIPAL]
    if members and len(principals) != 1:
        errors.append(
            FieldError("members", "one_principal", _("Exactly one member must be the principal applicant."))
        )
    for index, member in enumerate(members):
        if member.relationship not in RELATIONSHIPS:
            errors.append(
                FieldError(f"members.{index}.relationship", "invalid_choice", _("Choose a relationship."))
            )
        errors += [
            FieldError(f"members.{index}.{e.field}", e.code, e.message)
            for e in person_errors(member.person, today=today)
        ]
    return errors


def profile_errors(profile: ProfileInput) -> list[FieldError]:
    errors: list[FieldError] = []
    if not profile.profile_types:
        errors.append(FieldError("profile_types", "required", _("Choose at least one profile.")))
    for index, value in enumerate(profile.profile_types):
        if value not in PROFILE_TYPES:
            errors.append(
                FieldError(
                    f"profile_types.{index}",
                    "invalid_choice",
                    _("“%(value)s” is not a profile.") % {"value": value},
                )
            )
    for index, code in enumerate(profile.specific_needs):
        if code not in SPECIFIC_NEED_CODES:
            errors.append(
                FieldError(
                    f"specific_needs.{index}",
                    "unknown_code",
                    _("“%(code)s” is not a UNHCR specific-needs code.") % {"code": code},
                )
            )
    if len(profile.notes) > 5000:
        errors.append(FieldError("notes", "too_long", _("At most 5,000 characters.")))
    return errors
