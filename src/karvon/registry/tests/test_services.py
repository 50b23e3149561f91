"""Registering, changing and profiling people through the services: validated, atomic, audited."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import person_input

from karvon.audit.models import AuditEvent
from karvon.registry import services
from karvon.registry.contracts import (
    DocumentInput,
    MemberInput,
    NameInput,
    ProfileInput,
    RegistrationInput,
    UnableToSaveStaleEdit,
    UnableToValidate,
)
from karvon.registry.models import HouseholdMembership, NameSearchKey, Person, Registration

pytestmark = pytest.mark.django_db


def registration(node, **overrides):
    values = {
        "office_id": node["almaty"].pk,
        "registered_on": date(2026, 11, 20),
        "met_at": "border_crossing",
        "arrival_date": date(2026, 11, 19),
        "transit_countries": ("AFG", "TJK"),
    }
    values.update(overrides)
    return RegistrationInput(**values)


def codes(exc: UnableToValidate) -> dict[str, str]:
    return {e.field: e.code for e in exc.errors}


def test_registering_a_person_stores_names_keys_documents_and_an_audit_event(users, register):
    person = register(users["officer"])
    assert person.version == 1
    assert {(n.part, n.text, n.script, n.source, n.is_primary) for n in person.names.all()} == {
        ("given", "Фаррух", "Cyrl", "declared", True),
        ("family", "Саидов", "Cyrl", "declared", True),
        ("family", "SAIDOV", "Latn", "document", False),
        ("patronymic", "Рустамович", "Cyrl", "declared", True),
    }
    assert NameSearchKey.objects.filter(person=person).exists()
    assert person.documents.get().number_normalised == "400123456"
    event = AuditEvent.objects.get(action="person.create", person_uuid=person.uuid)
    assert event.actor_username == "alice" and event.ip_address == "127.0.0.1"
    assert event.changes["fields"]["names.family"][1].startswith("Саидов")


def test_a_household_is_registered_with_one_principal_and_a_registration_each(users, node, ctx_for):
    members = [
        MemberInput(person_input(), "principal"),
        MemberInput(
            person_input(
                names=(NameInput("given", "Мадина", "Cyrl"), NameInput("family", "Саидова", "Cyrl")),
                sex="F",
                documents=(),
            ),
            "spouse",
        ),
        MemberInput(
            person_input(
                names=(NameInput("given", "Алишер", "Cyrl"), NameInput("family", "Саидов", "Cyrl")),
                birth_date=date(2012, 6, 1),
                documents=(),
            ),
            "child",
        ),
    ]
    household = services.household_register(
        ctx=ctx_for(users["officer"]), registration=registration(node), members=members
    )
    assert household.memberships.count() == 3
    assert household.memberships.filter(relationship="principal").count() == 1
    assert Registration.objects.filter(household=household).count() == 3


def test_a_household_needs_exactly_one_principal(users, node, ctx_for):
    with pytest.raises(UnableToValidate) as exc:
        services.household_register(
            ctx=ctx_for(users["officer"]),
            registration=registration(node),
            members=[MemberInput(person_input(), "spouse")],
        )
    assert codes(exc.value) == {"members": "one_principal"}


def test_nothing_is_half_saved_when_one_member_is_wrong(users, node, ctx_for):
    members = [
        MemberInput(person_input(), "principal"),
        MemberInput(person_input(birth_date=date(2031, 1, 1), documents=()), "child"),
    ]
    with pytest.raises(UnableToValidate) as exc:
        services.household_register(
            ctx=ctx_for(users["officer"]), registration=registration(node), members=members
        )
    assert codes(exc.value)["members.1.birth_date"] == "future"
    assert Person.objects.count() == 0 and AuditEvent.objects.filter(action="person.create").count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"birth_date": date(2027, 1, 1)}, "birth_date", "future"),
        ({"birth_date": date(1850, 1, 1)}, "birth_date", "too_early"),
        ({"nationalities": ("XYZ",)}, "nationalities.0", "unknown_country"),
        ({"nationalities": ("XXA", "AFG")}, "nationalities", "stateless_with_nationality"),
        ({"languages": ("zz1",)}, "languages.0", "unknown_language"),
        ({"names": (NameInput("given", "Sаidov", "Latn"),)}, "names.0.text", "mixed_script"),
        ({"names": (NameInput("given", "Саидов", "Latn"),)}, "names.0.text", "wrong_script"),
        ({"names": (NameInput("given", "Farrukh2", "Latn"),)}, "names.0.text", "digits"),
        ({"names": (NameInput("given", "   ", "Latn"),)}, "names.0.text", "required"),
        ({"names": (NameInput("given", "A" * 101, "Latn"),)}, "names.0.text", "too_long"),
        ({"names": (NameInput("patronymic", "Рустамович", "Cyrl"),)}, "names", "required"),
        ({"names": (NameInput("given", "Ali", "Grek"),)}, "names.0.script", "invalid_choice"),
        (
            {"documents": (DocumentInput("passport", "N1", "KAZ", date(2020, 5, 1), date(2020, 4, 1)),)},
            "documents.0.expiry_date",
            "before_issue",
        ),
        (
            {"documents": (DocumentInput("passport", "N1", "XXA"),)},
            "documents.0.issuing_state",
            "unknown_country",
        ),
        ({"documents": (DocumentInput("passport", "N°1", "KAZ"),)}, "documents.0.number", "invalid"),
        (
            {"documents": (DocumentInput("passport", "N1", "KAZ", date(1980, 1, 1)),)},
            "documents.0.issue_date",
            "before_birth",
        ),
        ({"email": "not-an-address"}, "email", "invalid"),
        ({"phone": "call me"}, "phone", "invalid"),
        ({"sex": "Q"}, "sex", "invalid_choice"),
    ],
)
def test_bad_input_gets_a_field_specific_error_and_saves_nothing(users, register, overrides, field, code):
    with pytest.raises(UnableToValidate) as exc:
        register(users["officer"], **overrides)
    assert codes(exc.value).get(field) == code, exc.value.errors
    assert Person.objects.count() == 0


def test_errors_are_in_the_users_language(users, register):
    from django.utils import translation

    with translation.override("ru"), pytest.raises(UnableToValidate) as exc:
        register(users["officer"], birth_date=date(2027, 1, 1))
    assert "будущ" in exc.value.errors[0].message


def test_registration_dates_are_checked(users, node, ctx_for):
    with pytest.raises(UnableToValidate) as exc:
        services.person_register(
            ctx=ctx_for(users["officer"]),
            person=person_input(),
            registration=registration(
                node,
                registered_on=date(2026, 12, 1),
                arrival_date=date(2026, 12, 2),
                transit_countries=("ZZZ",),
                met_at="referral",
            ),
        )
    assert codes(exc.value) == {
        "registration.registered_on": "future",
        "registration.arrival_date": "after_registration",
        "registration.transit_countries.0": "unknown_country",
        "registration.referred_by": "required",
    }


def test_an_officer_cannot_register_in_another_office(users, node, ctx_for):
    with pytest.raises(UnableToValidate) as exc:
        services.person_register(
            ctx=ctx_for(users["officer"]),
            person=person_input(),
            registration=registration(node, office_id=node["shymkent"].pk),
        )
    assert codes(exc.value) == {"registration.office_id": "office_not_allowed"}


def test_dates_known_to_the_year_are_stored_on_the_first_of_january(users, register):
    person = register(users["officer"], birth_date=date(1990, 7, 15), birth_date_precision="year")
    assert person.birth_date == date(1990, 1, 1)


def test_an_edit_based_on_an_old_version_is_refused_and_says_what_changed(users, register, ctx_for):
    person = register(users["officer"])
    ctx = ctx_for(users["officer"])
    services.person_update(
        ctx=ctx, person_uuid=person.uuid, based_on_version=1, person=person_input(phone="+992 90 123 45 67")
    )
    with pytest.raises(UnableToSaveStaleEdit) as exc:
        services.person_update(
            ctx=ctx_for(users["caseworker"]),
            person_uuid=person.uuid,
            based_on_version=1,
            person=person_input(address="Almaty, Abay 10"),
        )
    assert exc.value.current_version == 2
    assert [(c.actor, c.field, c.new) for c in exc.value.changes] == [("alice", "phone", "+992 90 123 45 67")]
    person.refresh_from_db()
    assert person.address == "" and person.version == 2


def test_an_edit_replaces_names_and_their_search_keys(users, register, ctx_for):
    person = register(users["officer"])
    services.person_update(
        ctx=ctx_for(users["officer"]),
        person_uuid=person.uuid,
        based_on_version=1,
        person=person_input(
            names=(NameInput("given", "Jamshed", "Latn"), NameInput("family", "Rahimov", "Latn"))
        ),
    )
    assert sorted(person.names.values_list("text", flat=True)) == ["Jamshed", "Rahimov"]
    from karvon_match import name_search_keys

    stored = set(NameSearchKey.objects.filter(person=person).values_list("key", flat=True))
    name_keys = {k for k in stored if k.startswith(("f:", "s:"))}
    assert name_keys == name_search_keys("Jamshed") | name_search_keys("Rahimov")
    # Blocking keys for matching: family + given name, and each with the year of birth.
    assert {"fg:rahimov|jamshed", "fy:rahimov:1990", "gy:jamshed:1990"} <= stored


def test_moving_between_households_keeps_the_history(users, register, ctx_for, now):
    first = register(users["officer"])
    second = register(
        users["officer"],
        names=(NameInput("given", "Jamshed", "Latn"), NameInput("family", "Rahimov", "Latn")),
        documents=(),
    )
    target = second.memberships.get().household
    services.household_member_move(
        ctx=ctx_for(users["officer"]),
        person_uuid=first.uuid,
        household_uuid=target.uuid,
        relationship="sibling",
        on_date=now.date(),
    )
    history = list(HouseholdMembership.objects.filter(person=first).order_by("started_on", "id"))
    assert [(m.relationship, m.ended_on) for m in history] == [("principal", now.date()), ("sibling", None)]
    assert history[1].household == target


def test_profiling_an_unaccompanied_child_suggests_child_protection_and_the_officer_decides(
    users, register, ctx_for, node
):
    child = register(users["officer"], birth_date=date(2011, 4, 2), documents=())
    profile = services.profile_record(
        ctx=ctx_for(users["officer"]),
        person_uuid=child.uuid,
        office_id=node["almaty"].pk,
        profile=ProfileInput(profile_types=("unaccompanied_child",), specific_needs=("SC-UC",)),
    )
    assert list(profile.specific_needs.values_list("code", flat=True)) == ["SC-UC"]
    referral = profile.referrals.get()
    assert referral.procedure == "child_protection" and referral.decision == "pending"
    with pytest.raises(UnableToValidate):
        services.referral_decide(
            ctx=ctx_for(users["officer"]), referral_id=referral.pk, decision="declined", note=""
        )
    decided = services.referral_decide(
        ctx=ctx_for(users["officer"]), referral_id=referral.pk, decision="accepted", note=""
    )
    assert decided.decision == "accepted" and decided.decided_by == users["officer"]
    assert AuditEvent.objects.filter(action="referral.decide", person_uuid=child.uuid).exists()


def test_a_profile_with_an_unknown_specific_need_is_refused(users, register, ctx_for, node):
    person = register(users["officer"])
    with pytest.raises(UnableToValidate) as exc:
        services.profile_record(
            ctx=ctx_for(users["officer"]),
            person_uuid=person.uuid,
            office_id=node["almaty"].pk,
            profile=ProfileInput(profile_types=("refugee",), specific_needs=("SC-XX",)),
        )
    assert codes(exc.value) == {"profile_types.0": "invalid_choice", "specific_needs.0": "unknown_code"}


def test_people_outside_the_scope_cannot_be_changed(users, register, ctx_for):
    person = register(users["officer"])
    with pytest.raises(Person.DoesNotExist):
        services.person_update(
            ctx=ctx_for(users["other_officer"]),
            person_uuid=person.uuid,
            based_on_version=1,
            person=person_input(),
        )
