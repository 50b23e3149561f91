"""Web forms of the registry: they parse what was typed and map domain errors back onto fields."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from karvon.registry.contracts import (
    DocumentInput,
    FieldError,
    NameInput,
    PersonInput,
    ProfileInput,
    RegistrationInput,
)
from karvon.registry.models import (
    DatePrecision,
    DocumentType,
    MetAt,
    NamePart,
    Person,
    ProfileType,
    Relationship,
    Script,
    Sex,
    SpellingSource,
)
from karvon.registry.specific_needs import SPECIFIC_NEED_CATEGORIES, SPECIFIC_NEED_CODES

EXTRA_SPELLING_ROWS = 4
DOCUMENT_ROWS = 2
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
MONTH_YEAR = re.compile(r"^(\d{1,2})[./-](\d{4})$")
YEAR_ONLY = re.compile(r"^(\d{4})$")
CODE_SPLIT = re.compile(r"[\s,;]+")


def parse_partial_date(value: str) -> tuple[date, str]:
    """A typed date of birth and the precision its form implies: 31.12.1990, 1990-12-31, 12.1990, 1990."""
    text = value.strip()
    try:
        if m := DAY_MONTH_YEAR.match(text):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1))), DatePrecision.EXACT
        if m := ISO_DATE.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), DatePrecision.EXACT
        if m := MONTH_YEAR.match(text):
            return date(int(m.group(2)), int(m.group(1)), 1), DatePrecision.MONTH
        if m := YEAR_ONLY.match(text):
            return date(int(m.group(1)), 1, 1), DatePrecision.YEAR
    except ValueError:
        raise forms.ValidationError(
            _("“%(value)s” is not a real date (check the day and the month).") % {"value": text},
            code="invalid_date",
        ) from None
    raise forms.ValidationError(_("Enter the date as DD.MM.YYYY, MM.YYYY or YYYY."), code="invalid_format")


class PartialDateField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"placeholder": _l("DD.MM.YYYY, MM.YYYY or YYYY"), "inputmode": "numeric"}),
        )
        super().__init__(**kwargs)


class DateField(forms.DateField):
    input_formats = ["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d.%m.%Y", attrs={"placeholder": _l("DD.MM.YYYY"), "inputmode": "numeric"}
            ),
        )
        kwargs.setdefault("error_messages", {"invalid": _l("Enter a real date as DD.MM.YYYY.")})
        super().__init__(**kwargs)


def split_codes(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code.upper() for code in CODE_SPLIT.split(value.strip()) if code))


class PersonForm(forms.Form):
    """One person: primary spellings, extra spellings in any script, facts and documents."""

    given_name = forms.CharField(label=_l("Given name"), required=False, max_length=300)
    given_script = forms.ChoiceField(label=_l("Script"), choices=Script.choices, initial="Cyrl")
    family_name = forms.CharField(label=_l("Family name"), required=False, max_length=300)
    family_script = forms.ChoiceField(label=_l("Script"), choices=Script.choices, initial="Cyrl")
    patronymic = forms.CharField(label=_l("Patronymic / father's name"), required=False, max_length=300)
    patronymic_script = forms.ChoiceField(label=_l("Script"), choices=Script.choices, initial="Cyrl")
    primary_source = forms.ChoiceField(
        label=_l("These spellings are"), choices=SpellingSource.choices, initial="declared"
    )
    sex = forms.ChoiceField(label=_l("Sex"), choices=Sex.choices, initial="U")
    birth_date = PartialDateField(label=_l("Date of birth"), required=False)
    birth_date_estimated = forms.BooleanField(label=_l("Estimated from the stated age"), required=False)
    nationalities = forms.CharField(
        label=_l("Nationalities"),
        required=False,
        max_length=60,
        help_text=_l("ISO codes separated by commas, e.g. AFG, TJK; XXA stateless, XXX unknown"),
    )
    place_of_birth = forms.CharField(label=_l("Place of birth"), required=False, max_length=300)
    place_of_birth_country = forms.CharField(label=_l("Country of birth"), required=False, max_length=3)
    languages = forms.CharField(
        label=_l("Languages"),
        required=False,
        max_length=100,
        help_text=_l("ISO 639-3 codes, e.g. prs, rus, tgk"),
    )
    phone = forms.CharField(label=_l("Phone"), required=False, max_length=40)
    email = forms.CharField(label=_l("E-mail"), required=False, max_length=254)
    address = forms.CharField(label=_l("Address"), required=False, max_length=400)
    mrz = forms.CharField(
        label=_l("Machine-readable zone (MRZ)"),
        required=False,
        max_length=400,
        widget=forms.Textarea(
            attrs={"rows": 3, "spellcheck": "false", "class": "mono", "placeholder": "P<KAZ…"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(EXTRA_SPELLING_ROWS):
            self.fields[f"sp{row}_part"] = forms.ChoiceField(
                label=_l("Name part"), choices=NamePart.choices, required=False
            )
            self.fields[f"sp{row}_text"] = forms.CharField(
                label=_l("Spelling"), required=False, max_length=300
            )
            self.fields[f"sp{row}_script"] = forms.ChoiceField(
                label=_l("Script"), choices=Script.choices, initial="Latn", required=False
            )
            self.fields[f"sp{row}_source"] = forms.ChoiceField(
                label=_l("Source"), choices=SpellingSource.choices, initial="document", required=False
            )
        for row in range(DOCUMENT_ROWS):
            self.fields[f"doc{row}_type"] = forms.ChoiceField(
                label=_l("Document type"), choices=DocumentType.choices, required=False
            )
            self.fields[f"doc{row}_number"] = forms.CharField(
                label=_l("Number"), required=False, max_length=60
            )
            self.fields[f"doc{row}_state"] = forms.CharField(
                label=_l("Issuing state"), required=False, max_length=3
            )
            self.fields[f"doc{row}_issued"] = DateField(label=_l("Date of issue"), required=False)
            self.fields[f"doc{row}_expires"] = DateField(label=_l("Date of expiry"), required=False)
        self.name_targets: list[str] = []
        self.document_targets: list[int] = []

    def spelling_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"sp{r}_part"], self[f"sp{r}_text"], self[f"sp{r}_script"], self[f"sp{r}_source"]]
            for r in range(EXTRA_SPELLING_ROWS)
        ]

    def document_rows(self) -> list[list[forms.BoundField]]:
        return [
            [
                self[f"doc{r}_type"],
                self[f"doc{r}_number"],
                self[f"doc{r}_state"],
                self[f"doc{r}_issued"],
                self[f"doc{r}_expires"],
            ]
            for r in range(DOCUMENT_ROWS)
        ]

    def clean_birth_date(self) -> tuple[date, str] | None:
        value = self.cleaned_data.get("birth_date", "")
        return parse_partial_date(value) if value else None

    def to_input(self) -> PersonInput:
        data = self.cleaned_data
        names: list[NameInput] = []
        self.name_targets = []
        source = data.get("primary_source") or "declared"
        for part, field in (("given", "given_name"), ("family", "family_name"), ("patronymic", "patronymic")):
            if data.get(field, "").strip():
                names.append(
                    NameInput(
                        part=part,
                        text=data[field],
                        script=data[f"{field.split('_')[0]}_script"],
                        source=source,
                    )
                )
                self.name_targets.append(field)
        for row in range(EXTRA_SPELLING_ROWS):
            if data.get(f"sp{row}_text", "").strip():
                names.append(
                    NameInput(
                        part=data.get(f"sp{row}_part") or "family",
                        text=data[f"sp{row}_text"],
                        script=data.get(f"sp{row}_script") or "Latn",
                        source=data.get(f"sp{row}_source") or "document",
                    )
                )
                self.name_targets.append(f"sp{row}_text")
        documents: list[DocumentInput] = []
        self.document_targets = []
        for row in range(DOCUMENT_ROWS):
            if data.get(f"doc{row}_number", "").strip():
                documents.append(
                    DocumentInput(
                        doc_type=data.get(f"doc{row}_type") or "passport",
                        number=data[f"doc{row}_number"],
                        issuing_state=(data.get(f"doc{row}_state") or "").upper(),
                        issue_date=data.get(f"doc{row}_issued"),
                        expiry_date=data.get(f"doc{row}_expires"),
                        mrz=data.get("mrz", "") if row == 0 else "",
                    )
                )
                self.document_targets.append(row)
        birth = data.get("birth_date")
        precision = DatePrecision.EXACT if birth is None else birth[1]
        if birth is not None and data.get("birth_date_estimated"):
            precision = DatePrecision.ESTIMATED
        return PersonInput(
            names=tuple(names),
            sex=data.get("sex") or "U",
            birth_date=birth[0] if birth else None,
            birth_date_precision=precision,
            nationalities=split_codes(data.get("nationalities", "")),
            place_of_birth=data.get("place_of_birth", ""),
            place_of_birth_country=(data.get("place_of_birth_country") or "").upper(),
            languages=tuple(c.lower() for c in split_codes(data.get("languages", ""))),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            address=data.get("address", ""),
            documents=tuple(documents),
        )

    def add_domain_errors(self, errors: list[FieldError], prefix: str = "") -> None:
        """Put each domain error on the field it concerns; what has no field goes on top of the form."""
        document_fields = {
            "doc_type": "type",
            "number": "number",
            "issuing_state": "state",
            "issue_date": "issued",
            "expiry_date": "expires",
        }
        for error in errors:
            path = error.field.removeprefix(prefix).split(".")
            target: str | None = None
            if (
                path[0] == "names"
                and len(path) > 1
                and path[1].isdigit()
                and int(path[1]) < len(self.name_targets)
            ):
                target = self.name_targets[int(path[1])]
            elif path[0] == "documents" and len(path) > 2 and int(path[1]) < len(self.document_targets):
                target = f"doc{self.document_targets[int(path[1])]}_{document_fields.get(path[2], 'number')}"
            elif path[0] in ("nationalities", "languages") or path[0] in self.fields:
                target = path[0]
            elif path[0] == "birth_date_precision":
                target = "birth_date"
            if target is not None and target in self.fields:
                self.add_error(target, error.message)
            else:
                self.add_error(None, error.message)

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        names = list(person.names.all())
        initial: dict[str, Any] = {
            "sex": person.sex,
            "place_of_birth": person.place_of_birth,
            "place_of_birth_country": person.place_of_birth_country,
            "phone": person.phone,
            "email": person.email,
            "address": person.address,
            "nationalities": ", ".join(n.country for n in person.nationalities.all()),
            "languages": ", ".join(n.language for n in person.languages.all()),
        }
        if person.birth_date:
            precision = person.birth_date_precision
            initial["birth_date"] = (
                person.birth_date.strftime("%d.%m.%Y")
                if precision == DatePrecision.EXACT
                else person.birth_date.strftime("%m.%Y")
                if precision == DatePrecision.MONTH
                else str(person.birth_date.year)
            )
            initial["birth_date_estimated"] = precision == DatePrecision.ESTIMATED
        extras = []
        for name in names:
            field = {"given": "given_name", "family": "family_name", "patronymic": "patronymic"}[name.part]
            if name.is_primary:
                initial[field] = name.text
                initial[f"{field.split('_')[0]}_script"] = name.script
                initial["primary_source"] = name.source
            else:
                extras.append(name)
        for row, name in enumerate(extras[:EXTRA_SPELLING_ROWS]):
            initial.update(
                {
                    f"sp{row}_part": name.part,
                    f"sp{row}_text": name.text,
                    f"sp{row}_script": name.script,
                    f"sp{row}_source": name.source,
                }
            )
        for row, document in enumerate(list(person.documents.all())[:DOCUMENT_ROWS]):
            initial.update(
                {
                    f"doc{row}_type": document.doc_type,
                    f"doc{row}_number": document.number,
                    f"doc{row}_state": document.issuing_state,
                    f"doc{row}_issued": document.issue_date,
                    f"doc{row}_expires": document.expiry_date,
                }
            )
        return initial


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RegistrationForm(forms.Form):
    """Where and when the person was met; the office list is the user's own offices."""

    office = forms.TypedChoiceField(label=_l("Office"), coerce=int)
    registered_on = DateField(label=_l("Date of registration"))
    met_at = forms.ChoiceField(label=_l("Where the person was met"), choices=MetAt.choices)
    referred_by = forms.CharField(label=_l("Referring agency"), required=False, max_length=200)
    arrival_date = DateField(label=_l("Date of arrival in the country"), required=False)
    transit_countries = forms.CharField(
        label=_l("Route: countries of transit"),
        required=False,
        max_length=100,
        help_text=_l("ISO codes in order, e.g. AFG, IRN, TUR"),
    )

    def __init__(self, *args: Any, offices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = offices  # type: ignore[attr-defined]
        if not self.is_bound:
            self.fields["registered_on"].initial = timezone.localdate()

    def to_input(self) -> RegistrationInput:
        data = self.cleaned_data
        return RegistrationInput(
            office_id=data["office"],
            registered_on=data["registered_on"],
            met_at=data["met_at"],
            referred_by=data.get("referred_by", ""),
            arrival_date=data.get("arrival_date"),
            transit_countries=split_codes(data.get("transit_countries", "")),
        )

    def add_domain_errors(self, errors: list[FieldError]) -> None:
        for error in errors:
            field = error.field.removeprefix("registration.").split(".")[0]
            field = "office" if field == "office_id" else field
            self.add_error(field if field in self.fields else None, error.message)


class RelationshipForm(forms.Form):
    relationship = forms.ChoiceField(
        label=_l("Relationship to the principal applicant"),
        choices=[c for c in Relationship.choices if c[0] != "principal"],
    )


class ProfileForm(forms.Form):
    office = forms.TypedChoiceField(label=_l("Office"), coerce=int)
    profile_types = forms.MultipleChoiceField(
        label=_l("Profiles"), choices=ProfileType.choices, widget=forms.CheckboxSelectMultiple
    )
    fear_of_return = forms.BooleanField(
        label=_l("States a fear of return to the country of origin"), required=False
    )
    specific_needs = forms.MultipleChoiceField(
        label=_l("Specific needs"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_l("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, offices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = offices  # type: ignore[attr-defined]
        self.fields["specific_needs"].choices = [  # type: ignore[attr-defined]
            (
                str(SPECIFIC_NEED_CATEGORIES[category]),
                [
                    (code, f"{code} — {label}")
                    for code, label in SPECIFIC_NEED_CODES.items()
                    if code.startswith(category)
                ],
            )
            for category in SPECIFIC_NEED_CATEGORIES
        ]

    def to_input(self) -> ProfileInput:
        data = self.cleaned_data
        return ProfileInput(
            profile_types=tuple(data["profile_types"]),
            specific_needs=tuple(data["specific_needs"]),
            fear_of_return=data["fear_of_return"],
            notes=data["notes"],
        )


class SearchForm(forms.Form):
    q = forms.CharField(label=_l("Name, document number or date of birth"), required=False, max_length=200)
    sex = forms.ChoiceField(label=_l("Sex"), required=False, choices=[("", "—"), *Sex.choices])
    nationality = forms.CharField(label=_l("Nationality"), required=False, max_length=3)
    birth_year = forms.IntegerField(label=_l("Year of birth"), required=False, min_value=1900, max_value=2100)
