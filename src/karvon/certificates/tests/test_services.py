"""Issuing and revoking certificates: the basis each kind needs, numbering, supersession, scope and audit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from karvon.audit.models import AuditEvent
from karvon.certificates.models import Certificate
from karvon.certificates.services import certificate_issue, certificate_revoke
from karvon.certificates.tokens import token_hash, verification_secret
from karvon.registry.contracts import UnableToValidate
from karvon.registry.models import Person

pytestmark = pytest.mark.django_db


def codes(exc: pytest.ExceptionInfo[UnableToValidate]) -> dict[str, str]:
    return {e.field: e.code for e in exc.value.errors}


def issue(ctx, person, kind, **kwargs):
    return certificate_issue(
        ctx=ctx, kind=kind, person_uuid=person.uuid, language=kwargs.pop("language", "ru"), **kwargs
    )


def test_an_asylum_seeker_certificate_is_issued_on_a_pending_asylum_case(users, ctx_for, person, make_case):
    case = make_case(person, state="interview_scheduled")
    certificate = issue(
        ctx_for(users["caseworker"]), person, "asylum_seeker_certificate", case_uuid=case.uuid
    )
    assert certificate.number == "KAZ-AS-2026-000001"
    assert certificate.case == case and certificate.office.code == "ALA"
    assert certificate.valid_from == date(2026, 11, 28)
    # KAZ rules: 90 days, the day of issue counting as the first.
    assert certificate.valid_until == date(2026, 11, 28) + timedelta(days=89)
    event = AuditEvent.objects.get(action="certificate.issue")
    assert event.person_uuid == person.uuid and event.object_id == str(certificate.uuid)
    assert (
        event.changes["number"] == certificate.number
        and event.changes["basis"]["reference"] == case.reference
    )


@pytest.mark.parametrize(
    ("state", "kind", "allowed"),
    [
        ("lodged", "asylum_seeker_certificate", True),
        ("rejected", "asylum_seeker_certificate", True),  # may still appeal
        ("finally_rejected", "asylum_seeker_certificate", False),
        ("recognised", "asylum_seeker_certificate", False),
        ("recognised", "refugee_certificate", True),
        ("complementary_protection", "refugee_certificate", False),
        ("assessed", "refugee_certificate", False),
        ("ceased", "refugee_certificate", False),
    ],
)
def test_a_case_certificate_needs_the_stage_to_give_the_status(
    users, ctx_for, person, make_case, state, kind, allowed
):
    case = make_case(person, state=state)
    if allowed:
        assert issue(ctx_for(users["caseworker"]), person, kind, case_uuid=case.uuid).kind == kind
    else:
        with pytest.raises(UnableToValidate) as exc:
            issue(ctx_for(users["caseworker"]), person, kind, case_uuid=case.uuid)
        assert codes(exc) == {"case_uuid": "no_protection"}


def test_a_dependant_on_the_case_gets_a_refugee_certificate_too(
    users, ctx_for, person, register, make_case, add_member
):
    from karvon.registry.contracts import NameInput

    child = register(
        users["officer"],
        names=(NameInput("given", "Мадина", "Cyrl"), NameInput("family", "Саидова", "Cyrl")),
        documents=(),
    )
    other = register(
        users["officer"],
        names=(NameInput("given", "Иван", "Cyrl"), NameInput("family", "Петров", "Cyrl")),
        documents=(),
    )
    case = make_case(person, state="recognised")
    add_member(case, person, "principal")
    add_member(case, child)
    assert (
        issue(ctx_for(users["caseworker"]), child, "refugee_certificate", case_uuid=case.uuid).person == child
    )
    with pytest.raises(UnableToValidate) as exc:
        issue(ctx_for(users["caseworker"]), other, "refugee_certificate", case_uuid=case.uuid)
    assert codes(exc) == {"case_uuid": "other_person"}


def test_a_case_certificate_needs_a_case_of_the_asylum_procedure(users, ctx_for, person, make_case):
    with pytest.raises(UnableToValidate) as exc:
        issue(ctx_for(users["caseworker"]), person, "refugee_certificate")
    assert codes(exc) == {"case_uuid": "required"}
    trafficking = make_case(person, state="identified", kind="trafficking")
    with pytest.raises(UnableToValidate) as exc:
        issue(ctx_for(users["caseworker"]), person, "asylum_seeker_certificate", case_uuid=trafficking.uuid)
    assert codes(exc) == {"case_uuid": "not_asylum"}


def test_a_basis_that_does_not_fit_the_kind_is_refused_by_field(
    users, ctx_for, person, make_case, make_appointment
):
    case = make_case(person, state="lodged")
    appointment = make_appointment(person)
    with pytest.raises(UnableToValidate) as exc:
        issue(
            ctx_for(users["caseworker"]),
            person,
            "registration_confirmation",
            case_uuid=case.uuid,
            appointment_uuid=appointment.uuid,
        )
    assert codes(exc) == {"case_uuid": "not_expected", "appointment_uuid": "not_expected"}
    with pytest.raises(UnableToValidate) as exc:
        issue(ctx_for(users["caseworker"]), person, "passport", language="de")
    assert codes(exc) == {"kind": "invalid_choice", "language": "invalid_choice"}


def test_messages_come_in_the_users_language(users, ctx_for, person, make_case):
    from django.utils import translation

    case = make_case(person, state="finally_rejected")
    with translation.override("en"), pytest.raises(UnableToValidate) as exc:
        issue(ctx_for(users["caseworker"]), person, "asylum_seeker_certificate", case_uuid=case.uuid)
    assert (
        "Finally rejected" in exc.value.errors[0].message and "Asylum-seeker" in exc.value.errors[0].message
    )


def test_a_registration_confirmation_is_issued_on_the_persons_latest_registration(users, ctx_for, person):
    certificate = issue(ctx_for(users["officer"]), person, "registration_confirmation", language="en")
    assert certificate.registration == person.registrations.get()
    assert certificate.number == "KAZ-RG-2026-000001" and certificate.language == "en"


def test_an_appointment_slip_is_valid_until_the_appointments_day_at_the_office(
    users, ctx_for, person, make_appointment
):
    # 20:30 UTC on 2 December is already 3 December in Almaty (UTC+5).
    appointment = make_appointment(person, starts_at=datetime(2026, 12, 2, 20, 30, tzinfo=UTC))
    certificate = issue(
        ctx_for(users["caseworker"]), person, "appointment_slip", appointment_uuid=appointment.uuid
    )
    assert certificate.valid_until == date(2026, 12, 3)


def test_only_a_scheduled_future_appointment_gets_a_slip(users, ctx_for, person, make_appointment):
    cancelled = make_appointment(person, status="cancelled")
    past = make_appointment(person, starts_at=datetime(2026, 11, 20, 5, 0, tzinfo=UTC))
    with pytest.raises(UnableToValidate) as exc:
        issue(ctx_for(users["caseworker"]), person, "appointment_slip", appointment_uuid=cancelled.uuid)
    assert codes(exc) == {"appointment_uuid": "not_scheduled"}
    with pytest.raises(UnableToValidate) as exc:
        issue(ctx_for(users["caseworker"]), person, "appointment_slip", appointment_uuid=past.uuid)
    assert codes(exc) == {"appointment_uuid": "past"}
    with pytest.raises(UnableToValidate) as exc:
        issue(ctx_for(users["caseworker"]), person, "appointment_slip")
    assert codes(exc) == {"appointment_uuid": "required"}


def test_a_new_certificate_of_the_same_kind_supersedes_the_current_one(users, ctx_for, person, make_case):
    case = make_case(person, state="lodged")
    ctx = ctx_for(users["caseworker"])
    first = issue(ctx, person, "asylum_seeker_certificate", case_uuid=case.uuid)
    second = issue(ctx, person, "asylum_seeker_certificate", case_uuid=case.uuid, language="en")
    first.refresh_from_db()
    assert first.superseded_by == second and first.superseded_at == ctx.now
    assert second.superseded_by is None and second.number == "KAZ-AS-2026-000002"
    assert AuditEvent.objects.get(action="certificate.issue", object_id=str(second.uuid)).changes[
        "supersedes"
    ] == [first.number]
    # Another kind is not touched.
    confirmation = issue(ctx, person, "registration_confirmation")
    second.refresh_from_db()
    assert second.superseded_at is None and confirmation.superseded_at is None


def test_slips_for_different_appointments_stand_side_by_side(users, ctx_for, person, make_appointment):
    ctx = ctx_for(users["caseworker"])
    interview = make_appointment(person)
    collection = make_appointment(
        person, starts_at=datetime(2026, 12, 10, 5, 0, tzinfo=UTC), kind="document_collection"
    )
    first = issue(ctx, person, "appointment_slip", appointment_uuid=interview.uuid)
    issue(ctx, person, "appointment_slip", appointment_uuid=collection.uuid)
    first.refresh_from_db()
    assert first.superseded_at is None
    reprinted = issue(ctx, person, "appointment_slip", appointment_uuid=interview.uuid)
    first.refresh_from_db()
    assert first.superseded_by == reprinted


def test_the_database_refuses_two_current_certificates_of_a_kind(users, ctx_for, person, make_case):
    certificate = issue(
        ctx_for(users["caseworker"]),
        person,
        "refugee_certificate",
        case_uuid=make_case(person, state="recognised").uuid,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            kind=certificate.kind, number="X-1", person=person, case=certificate.case, language="ru",
            office=certificate.office, issued_at=certificate.issued_at, issued_by=certificate.issued_by,
            valid_from=certificate.valid_from, valid_until=certificate.valid_until, token_hash="0" * 64,
        )  # fmt: skip


def test_the_database_refuses_a_basis_that_does_not_fit_the_kind(users, ctx_for, person, make_case):
    certificate = issue(ctx_for(users["officer"]), person, "registration_confirmation")
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(case=make_case(person))


def test_only_a_hash_of_the_verification_secret_is_stored(users, ctx_for, person):
    certificate = issue(ctx_for(users["officer"]), person, "registration_confirmation")
    secret = verification_secret(certificate.uuid)
    assert len(secret) >= 22  # at least 128 bits in URL-safe base64
    assert certificate.token_hash == token_hash(secret) and secret not in certificate.token_hash
    stored = [str(v) for v in Certificate.objects.filter(pk=certificate.pk).values().get().values()]
    assert not any(secret in value for value in stored)


def test_a_person_outside_the_users_offices_is_not_found(users, ctx_for, person):
    with pytest.raises(Person.DoesNotExist):
        issue(ctx_for(users["other_officer"]), person, "registration_confirmation")


def test_a_case_of_an_office_outside_the_scope_is_not_found(users, ctx_for, person, make_case, register):
    case = make_case(person, state="lodged", office="shymkent")
    with pytest.raises(UnableToValidate) as exc:
        issue(ctx_for(users["caseworker"]), person, "asylum_seeker_certificate", case_uuid=case.uuid)
    assert codes(exc) == {"case_uuid": "not_found"}


def test_users_without_the_capability_cannot_issue(users, ctx_for, person):
    from karvon.accounts.access import UnableToAccess

    with pytest.raises(UnableToAccess):
        issue(ctx_for(users["statistician"]), person, "registration_confirmation")


def test_revoking_records_who_when_and_why_once(users, ctx_for, person):
    certificate = issue(ctx_for(users["officer"]), person, "registration_confirmation")
    ctx = ctx_for(users["supervisor"])
    with pytest.raises(UnableToValidate) as exc:
        certificate_revoke(ctx=ctx, certificate_uuid=certificate.uuid, reason="  ")
    assert codes(exc) == {"reason": "required"}
    revoked = certificate_revoke(
        ctx=ctx, certificate_uuid=certificate.uuid, reason="Issued to the wrong person"
    )
    assert (
        revoked.revoked_by == users["supervisor"]
        and revoked.revocation_reason == "Issued to the wrong person"
    )
    event = AuditEvent.objects.get(action="certificate.revoke")
    assert event.person_uuid == person.uuid and event.changes["reason"] == "Issued to the wrong person"
    with pytest.raises(UnableToValidate) as exc:
        certificate_revoke(ctx=ctx, certificate_uuid=certificate.uuid, reason="again")
    assert codes(exc) == {"reason": "already_revoked"}


def test_a_revoked_certificate_does_not_block_a_new_one(users, ctx_for, person):
    ctx = ctx_for(users["officer"])
    first = issue(ctx, person, "registration_confirmation")
    certificate_revoke(ctx=ctx, certificate_uuid=first.uuid, reason="Misprint")
    second = issue(ctx, person, "registration_confirmation")
    first.refresh_from_db()
    assert first.superseded_by is None and second.number.endswith("000002")


def test_revoking_outside_the_scope_is_not_found(users, ctx_for, person):
    certificate = issue(ctx_for(users["officer"]), person, "registration_confirmation")
    with pytest.raises(Certificate.DoesNotExist):
        certificate_revoke(ctx=ctx_for(users["other_officer"]), certificate_uuid=certificate.uuid, reason="x")
