"""Registry endpoints: one domain call each, the same rules as the web pages."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from karvon.accounts.access import require_capability
from karvon.accounts.roles import Capability
from karvon.api import api_context
from karvon.matching.selectors import likely_same_people
from karvon.registry import selectors, services
from karvon.registry.contracts import (
    DocumentInput,
    FieldError,
    MemberInput,
    NameInput,
    PersonCard,
    PersonInput,
    ProfileInput,
    RegistrationInput,
    SearchQuery,
    UnableToValidate,
)
from karvon.registry.models import Household, HouseholdMembership, Person
from karvon.registry.mrz import UnableToParseMrz, parse_mrz

router = Router(tags=["registry"])


class NameIn(Schema):
    part: Literal["given", "family", "patronymic"]
    text: str = Field(max_length=300)
    script: Literal["Cyrl", "Latn", "Arab"]
    source: Literal["declared", "document", "transliterated"] = "declared"


class DocumentIn(Schema):
    doc_type: Literal["passport", "national_id", "birth_certificate", "refugee_id", "other"]
    number: str = Field(max_length=60)
    issuing_state: str = Field(max_length=3, description="ISO 3166 alpha-3")
    issue_date: date | None = None
    expiry_date: date | None = None
    mrz: str = Field("", max_length=200)


class PersonIn(Schema):
    names: list[NameIn] = Field(min_length=1, max_length=60)
    sex: Literal["M", "F", "X", "U"] = "U"
    birth_date: date | None = None
    birth_date_precision: Literal["exact", "month", "year", "estimated"] = "exact"
    nationalities: list[str] = Field(
        default_factory=list, max_length=5, description="ISO alpha-3, XXA stateless, XXX unknown"
    )
    place_of_birth: str = Field("", max_length=300)
    place_of_birth_country: str = Field("", max_length=3)
    languages: list[str] = Field(default_factory=list, max_length=20, description="ISO 639-3")
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=400)
    documents: list[DocumentIn] = Field(default_factory=list, max_length=20)

    def to_input(self) -> PersonInput:
        return PersonInput(
            names=tuple(NameInput(**n.model_dump()) for n in self.names),
            sex=self.sex,
            birth_date=self.birth_date,
            birth_date_precision=self.birth_date_precision,
            nationalities=tuple(c.upper() for c in self.nationalities),
            place_of_birth=self.place_of_birth,
            place_of_birth_country=self.place_of_birth_country.upper(),
            languages=tuple(c.lower() for c in self.languages),
            phone=self.phone,
            email=self.email,
            address=self.address,
            documents=tuple(
                DocumentInput(**{**d.model_dump(), "issuing_state": d.issuing_state.upper()})
                for d in self.documents
            ),
        )


class RegistrationIn(Schema):
    office_id: int
    registered_on: date
    met_at: Literal["border_crossing", "in_country", "detention", "referral"]
    referred_by: str = Field("", max_length=200)
    arrival_date: date | None = None
    transit_countries: list[str] = Field(default_factory=list, max_length=20)

    def to_input(self) -> RegistrationInput:
        return RegistrationInput(
            office_id=self.office_id,
            registered_on=self.registered_on,
            met_at=self.met_at,
            referred_by=self.referred_by,
            arrival_date=self.arrival_date,
            transit_countries=tuple(c.upper() for c in self.transit_countries),
        )


class PersonRegisterIn(Schema):
    person: PersonIn
    registration: RegistrationIn


# A member added later cannot be the principal applicant: the household has one already.
MemberRelationship = Literal[
    "spouse", "child", "parent", "sibling", "grandchild", "grandparent", "in_law", "nephew_niece", "uncle_aunt",
    "cousin", "foster_child", "other_relative", "unrelated",
]  # fmt: skip


class MemberIn(Schema):
    relationship: Literal["principal"] | MemberRelationship
    person: PersonIn


class MemberRegisterIn(Schema):
    relationship: MemberRelationship
    person: PersonIn
    registration: RegistrationIn


class HouseholdRegisterIn(Schema):
    registration: RegistrationIn
    members: list[MemberIn] = Field(min_length=1, max_length=30)


class PersonUpdateIn(Schema):
    version: int = Field(
        description="The version the edit was based on; a newer one on the server gives 409."
    )
    person: PersonIn


class NameOut(Schema):
    part: str
    text: str
    script: str
    source: str
    is_primary: bool


class DocumentOut(Schema):
    doc_type: str
    number: str
    issuing_state: str
    issue_date: date | None
    expiry_date: date | None


class PersonOut(Schema):
    uuid: uuid.UUID
    version: int
    names: list[NameOut]
    sex: str
    birth_date: date | None
    birth_date_precision: str
    nationalities: list[str]
    place_of_birth: str
    place_of_birth_country: str
    languages: list[str]
    phone: str
    email: str
    address: str
    documents: list[DocumentOut]

    @staticmethod
    def of(person: Person) -> PersonOut:
        # Built without validation (model_construct): every value comes from a model field of the declared type,
        # and validating them again through ninja's attribute getter cost about 0.5 ms a registration.
        return PersonOut.model_construct(
            uuid=person.uuid,
            version=person.version,
            names=[
                NameOut.model_construct(
                    part=n.part, text=n.text, script=n.script, source=n.source, is_primary=n.is_primary
                )
                for n in person.names.all()
            ],
            sex=person.sex,
            birth_date=person.birth_date,
            birth_date_precision=person.birth_date_precision,
            nationalities=[n.country for n in person.nationalities.all()],
            place_of_birth=person.place_of_birth,
            place_of_birth_country=person.place_of_birth_country,
            languages=[n.language for n in person.languages.all()],
            phone=person.phone,
            email=person.email,
            address=person.address,
            documents=[
                DocumentOut.model_construct(
                    doc_type=d.doc_type,
                    number=d.number,
                    issuing_state=d.issuing_state,
                    issue_date=d.issue_date,
                    expiry_date=d.expiry_date,
                )
                for d in person.documents.all()
            ],
        )


class PersonCardOut(Schema):
    uuid: uuid.UUID
    given: str
    family: str
    patronymic: str
    other_spellings: list[tuple[str, str]]
    sex: str
    birth_date: date | None
    birth_date_precision: str
    nationalities: list[str]
    documents: list[str]
    reasons: list[str]
    match_probability: float | None = Field(None, description="Only in likely-duplicate answers")

    @staticmethod
    def of(
        card: PersonCard, probability: float | None = None, reasons: list[str] | None = None
    ) -> PersonCardOut:
        # Built without validation (model_construct), as PersonOut: a PersonCard's values are typed already, and
        # validating them again through ninja's attribute getter cost about 1 ms per page of 20 in a search.
        return PersonCardOut.model_construct(
            uuid=card.uuid,
            given=card.given,
            family=card.family,
            patronymic=card.patronymic,
            other_spellings=list(card.other_spellings),
            sex=card.sex,
            birth_date=card.birth_date,
            birth_date_precision=card.birth_date_precision,
            nationalities=list(card.nationalities),
            documents=list(card.documents),
            reasons=reasons if reasons is not None else list(card.reasons),
            match_probability=probability,
        )


class PersonPageOut(Schema):
    results: list[PersonCardOut]
    page: int
    page_count: int
    total: int
    total_is_capped: bool


class HouseholdMemberOut(Schema):
    person: uuid.UUID
    relationship: str
    started_on: date
    ended_on: date | None


class HouseholdOut(Schema):
    uuid: uuid.UUID
    office_id: int
    members: list[HouseholdMemberOut]
    past_members: list[HouseholdMemberOut]


class ProfileIn(Schema):
    office_id: int
    profile_types: list[str] = Field(min_length=1, max_length=10)
    specific_needs: list[str] = Field(default_factory=list, max_length=60)
    fear_of_return: bool = False
    notes: str = Field("", max_length=6000)


class ReferralOut(Schema):
    id: int
    procedure: str
    reason: str
    decision: str


class ProfileOut(Schema):
    id: int
    profile_types: list[str]
    specific_needs: list[str]
    fear_of_return: bool
    referrals: list[ReferralOut]


class ReferralDecisionIn(Schema):
    decision: Literal["accepted", "declined"]
    note: str = Field("", max_length=2000)


class MrzIn(Schema):
    mrz: str = Field(max_length=400)


class MrzOut(Schema):
    format: str
    doc_type: str
    issuing_state: str
    family_name: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date | None
    birth_date_precision: str
    sex: str
    expiry_date: date | None


class HouseholdMoveIn(Schema):
    household: uuid.UUID | None = Field(None, description="Target household; empty starts a new one")
    relationship: str
    on_date: date


def _as_body_paths(exc: UnableToValidate, strip: str = "") -> UnableToValidate:
    """Domain errors named as the request body names them: person.names.0.text, registration.arrival_date."""
    errors = []
    for error in exc.errors:
        field = error.field.removeprefix(strip)
        if not field.startswith(("registration.", "relationship")):
            field = f"person.{field}"
        errors.append(FieldError(field, error.code, error.message))
    return UnableToValidate(errors)


def _household_out(ctx_request: HttpRequest, household_uuid: uuid.UUID) -> HouseholdOut:
    file = selectors.household_file(ctx=api_context(ctx_request), household_uuid=household_uuid)

    def member(m: HouseholdMembership) -> HouseholdMemberOut:
        return HouseholdMemberOut(
            person=m.person.uuid, relationship=m.relationship, started_on=m.started_on, ended_on=m.ended_on
        )

    return HouseholdOut(
        uuid=file.household.uuid,
        office_id=file.household.office_id,
        members=[member(m) for m in file.members],
        past_members=[member(m) for m in file.past_members],
    )


@router.post("/persons", response={201: PersonOut}, summary="Register a person met alone")
def person_register(request: HttpRequest, payload: PersonRegisterIn) -> Status[Any]:
    ctx = api_context(request)
    try:
        person = services.person_register(
            ctx=ctx, person=payload.person.to_input(), registration=payload.registration.to_input()
        )
    except UnableToValidate as exc:
        raise _as_body_paths(exc) from None
    # The service returns the person as written, with their details: no second read.
    return Status(201, PersonOut.of(person))


@router.get(
    "/persons", response=PersonPageOut, summary="Search people (any script, spelling, document, date)"
)
def person_search(
    request: HttpRequest,
    q: str = "",
    sex: str = "",
    nationality: str = "",
    birth_year: int | None = None,
    page: int = 1,
    page_size: int = 25,
) -> PersonPageOut:
    ctx = api_context(request)
    require_capability(ctx, Capability.PERSON_VIEW)
    result = selectors.person_search(
        ctx=ctx,
        query=SearchQuery(
            text=q[:200], sex=sex, nationality=nationality.upper(), birth_year=birth_year, page=page
        ),
        page_size=max(1, min(page_size, 100)),
    )
    return PersonPageOut.model_construct(
        results=[PersonCardOut.of(c) for c in result.cards],
        page=result.page,
        page_count=result.page_count,
        total=result.total,
        total_is_capped=result.total_is_capped,
    )


@router.post(
    "/persons/similar", response=list[PersonCardOut], summary="Likely existing people, before creating one"
)
def person_similar(request: HttpRequest, payload: PersonIn) -> list[PersonCardOut]:
    likely = likely_same_people(ctx=api_context(request), draft=payload.to_input())
    return [
        PersonCardOut.of(
            item.card,
            probability=item.scored.match_probability,
            reasons=[f"{r.field}: {r.level}" for r in item.scored.reasons if abs(r.weight) > 0.5],
        )
        for item in likely
    ]


@router.get("/persons/{person_uuid}", response=PersonOut)
def person_detail(request: HttpRequest, person_uuid: uuid.UUID) -> PersonOut:
    return PersonOut.of(selectors.person_get(ctx=api_context(request), person_uuid=person_uuid))


@router.put(
    "/persons/{person_uuid}", response=PersonOut, summary="Change a person (optimistic locking by version)"
)
def person_update(request: HttpRequest, person_uuid: uuid.UUID, payload: PersonUpdateIn) -> PersonOut:
    ctx = api_context(request)
    try:
        person = services.person_update(
            ctx=ctx,
            person_uuid=person_uuid,
            based_on_version=payload.version,
            person=payload.person.to_input(),
        )
    except UnableToValidate as exc:
        raise _as_body_paths(exc) from None
    # The service returns the record as saved (new version, details as written).
    return PersonOut.of(person)


@router.post("/households", response={201: HouseholdOut}, summary="Register a household met together")
def household_register(request: HttpRequest, payload: HouseholdRegisterIn) -> Status[Any]:
    try:
        household = _household_register(request, payload)
    except UnableToValidate as exc:
        raise UnableToValidate([_member_body_path(e) for e in exc.errors]) from None
    return Status(201, _household_out(request, household.uuid))


def _member_body_path(error: FieldError) -> FieldError:
    """members.1.birth_date → members.1.person.birth_date, as the request body nests it."""
    parts = error.field.split(".")
    if len(parts) > 2 and parts[0] == "members" and parts[1].isdigit() and parts[2] != "relationship":
        return FieldError(".".join([*parts[:2], "person", *parts[2:]]), error.code, error.message)
    return error


def _household_register(request: HttpRequest, payload: HouseholdRegisterIn) -> Household:
    return services.household_register(
        ctx=api_context(request),
        registration=payload.registration.to_input(),
        members=[
            MemberInput(person=m.person.to_input(), relationship=m.relationship) for m in payload.members
        ],
    )


@router.get("/households/{household_uuid}", response=HouseholdOut)
def household_detail(request: HttpRequest, household_uuid: uuid.UUID) -> HouseholdOut:
    return _household_out(request, household_uuid)


@router.post("/households/{household_uuid}/members", response={201: PersonOut})
def household_member_add(
    request: HttpRequest, household_uuid: uuid.UUID, payload: MemberRegisterIn
) -> Status[Any]:
    ctx = api_context(request)
    try:
        person = services.household_member_add(
            ctx=ctx,
            household_uuid=household_uuid,
            member=MemberInput(person=payload.person.to_input(), relationship=payload.relationship),
            registration=payload.registration.to_input(),
        )
    except UnableToValidate as exc:
        raise _as_body_paths(exc, strip="member.") from None
    return Status(201, PersonOut.of(person))


@router.post(
    "/persons/{person_uuid}/household",
    response=HouseholdMemberOut,
    summary="Move a person to another household, keeping the history",
)
def household_member_move(
    request: HttpRequest, person_uuid: uuid.UUID, payload: HouseholdMoveIn
) -> HouseholdMemberOut:
    membership = services.household_member_move(
        ctx=api_context(request),
        person_uuid=person_uuid,
        household_uuid=payload.household,
        relationship=payload.relationship,
        on_date=payload.on_date,
    )
    return HouseholdMemberOut(
        person=person_uuid,
        relationship=membership.relationship,
        started_on=membership.started_on,
        ended_on=membership.ended_on,
    )


@router.post(
    "/persons/{person_uuid}/profiles", response={201: ProfileOut}, summary="Profile a person (10-Point Plan)"
)
def profile_record(request: HttpRequest, person_uuid: uuid.UUID, payload: ProfileIn) -> Status[Any]:
    record = services.profile_record(
        ctx=api_context(request),
        person_uuid=person_uuid,
        office_id=payload.office_id,
        profile=ProfileInput(
            profile_types=tuple(payload.profile_types),
            specific_needs=tuple(payload.specific_needs),
            fear_of_return=payload.fear_of_return,
            notes=payload.notes,
        ),
    )
    return Status(
        201,
        ProfileOut(
            id=record.pk,
            profile_types=record.profile_types,
            fear_of_return=record.fear_of_return,
            specific_needs=[n.code for n in record.specific_needs.all()],
            referrals=[
                ReferralOut(id=r.pk, procedure=r.procedure, reason=r.reason, decision=r.decision)
                for r in record.referrals.all()
            ],
        ),
    )


@router.post("/referrals/{referral_id}/decision", response=ReferralOut)
def referral_decide(request: HttpRequest, referral_id: int, payload: ReferralDecisionIn) -> ReferralOut:
    referral = services.referral_decide(
        ctx=api_context(request), referral_id=referral_id, decision=payload.decision, note=payload.note
    )
    return ReferralOut(
        id=referral.pk, procedure=referral.procedure, reason=referral.reason, decision=referral.decision
    )


@router.post(
    "/mrz", response={200: MrzOut, 422: dict}, summary="Read an ICAO 9303 machine-readable zone (TD1, TD3)"
)
def mrz_read(request: HttpRequest, payload: MrzIn) -> Status[Any]:
    try:
        data = parse_mrz(payload.mrz, today=timezone.localdate())
    except UnableToParseMrz as exc:
        from karvon.registry.mrz_messages import mrz_error_message

        return Status(
            422,
            {
                "detail": [
                    {"field": f"mrz.{e.field}", "code": e.code, "message": mrz_error_message(e)}
                    for e in exc.errors
                ]
            },
        )
    return Status(
        200,
        MrzOut(
            format=data.format,
            doc_type=data.doc_type,
            issuing_state=data.issuing_state,
            family_name=data.family_name,
            given_names=data.given_names,
            document_number=data.document_number,
            nationality=data.nationality,
            birth_date=data.birth_date,
            birth_date_precision=data.birth_date_precision,
            sex=data.sex,
            expiry_date=data.expiry_date,
        ),
    )
