"""The registry pages as every role: scoped (404 outside), forms with field errors, MRZ reading, conflicts."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from karvon.registry.models import Person
from karvon.registry.mrz import compose_td3

pytestmark = pytest.mark.django_db

ALL_ROLES = ["officer", "other_officer", "caseworker", "supervisor", "statistician", "dpo", "administrator"]
SEES_ALMATY = {"officer", "caseworker", "supervisor"}
MAY_REGISTER = {"officer", "other_officer", "supervisor"}


def login(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ALL_ROLES)
def test_person_pages_as_every_role(users, register, role):
    person = register(users["officer"])
    client = login(users[role])
    expected = 200 if role in SEES_ALMATY else 404
    for url in (
        f"/registry/persons/{person.uuid}/",
        f"/registry/persons/{person.uuid}/edit/",
        f"/registry/persons/{person.uuid}/profile/",
        f"/registry/households/{person.memberships.get().household.uuid}/",
    ):
        response = client.get(url)
        assert response.status_code == expected, (role, url)
        if expected == 404:
            assert "Саидов" not in response.content.decode()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_person_list_as_every_role(users, register, role):
    register(users["officer"])
    response = login(users[role]).get("/registry/persons/", {"q": "saidov"})
    if role in SEES_ALMATY:
        assert response.status_code == 200 and "Саидов" in response.content.decode()
    elif role == "other_officer":
        assert response.status_code == 200 and "Nobody found" in response.content.decode()
        assert "Фаррух" not in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_registration_form_as_every_role(users, role):
    response = login(users[role]).get("/registry/register/")
    assert response.status_code == (200 if role in MAY_REGISTER else 404)


def test_anonymous_users_are_sent_to_log_in(node):
    response = Client().get("/registry/persons/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def form_data(node, **overrides):
    data = {
        "p-family_name": "Саидов",
        "p-family_script": "Cyrl",
        "p-given_name": "Фаррух",
        "p-given_script": "Cyrl",
        "p-patronymic": "",
        "p-patronymic_script": "Cyrl",
        "p-primary_source": "declared",
        "p-sex": "M",
        "p-birth_date": "12.03.1990",
        "p-nationalities": "TJK",
        "p-languages": "tgk, rus",
        "r-office": str(node["almaty"].pk),
        "r-registered_on": "20.11.2026",
        "r-met_at": "border_crossing",
        "r-arrival_date": "19.11.2026",
        "r-transit_countries": "AFG TJK",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_registering_through_the_form_goes_to_the_household(users, node):
    response = login(users["officer"]).post("/registry/register/", form_data(node))
    assert response.status_code == 302 and "/registry/households/" in response["Location"]
    person = Person.objects.get()
    assert person.birth_date == date(1990, 3, 12)
    assert person.registrations.get().transit_countries == ["AFG", "TJK"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"p-birth_date": "31.02.1990"}, "is not a real date"),
        ({"p-birth_date": "1990/03"}, "DD.MM.YYYY"),
        ({"p-family_name": "Sаidov", "p-family_script": "Latn"}, "look-alike"),
        ({"p-nationalities": "TJK, QQQ"}, "QQQ"),
        ({"r-registered_on": "01.01.2099"}, "in the future"),
        (
            {
                "p-doc0_number": "N123",
                "p-doc0_state": "KAZ",
                "p-doc0_issued": "10.05.2020",
                "p-doc0_expires": "01.05.2020",
            },
            "after the date of issue",
        ),
    ],
)
def test_bad_input_is_shown_on_the_field_and_nothing_is_saved(users, node, overrides, message):
    response = login(users["officer"]).post("/registry/register/", form_data(node, **overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Person.objects.count() == 0


def test_errors_are_shown_in_russian(users, node):
    response = login(users["officer"], "ru").post(
        "/registry/register/", form_data(node, **{"p-birth_date": "01.01.2099"})
    )
    assert "будущ" in response.content.decode()


def test_reading_a_passport_mrz_fills_the_form(users, node):
    mrz = compose_td3(
        issuing_state="TJK",
        family_name="SAIDOV",
        given_names="FARRUKH",
        document_number="400123456",
        nationality="TJK",
        birth_date=date(1990, 3, 12),
        sex="M",
        expiry_date=date(2030, 1, 9),
    )
    response = login(users["officer"]).post(
        "/registry/register/",
        form_data(node, **{"action": "read_mrz", "p-mrz": mrz, "p-birth_date": "", "p-nationalities": ""}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Saidov"' in html and 'value="400123456"' in html and 'value="12.03.1990"' in html
    assert Person.objects.count() == 0


def test_a_wrong_check_digit_is_named(users, node):
    mrz = compose_td3(
        issuing_state="TJK",
        family_name="SAIDOV",
        given_names="FARRUKH",
        document_number="400123456",
        nationality="TJK",
        birth_date=date(1990, 3, 12),
        sex="M",
        expiry_date=date(2030, 1, 9),
    )
    lines = mrz.split("\n")
    broken = lines[1][:9] + str((int(lines[1][9]) + 1) % 10) + lines[1][10:]
    response = login(users["officer"]).post(
        "/registry/register/", form_data(node, **{"action": "read_mrz", "p-mrz": lines[0] + "\n" + broken})
    )
    assert "check digit for the document number" in response.content.decode()


def test_search_before_create_shows_the_likely_person(users, register, node):
    register(users["officer"])
    response = login(users["officer"]).post(
        "/registry/similar/",
        form_data(
            node,
            **{
                "p-family_name": "Saydov",
                "p-family_script": "Latn",
                "p-given_name": "Farrukh",
                "p-given_script": "Latn",
            },
        ),
    )
    assert "Саидов" in response.content.decode()


def test_a_concurrent_edit_is_refused_with_the_other_change_shown(users, register, node):
    person = register(users["officer"])
    edit = {k: v for k, v in form_data(node).items() if k.startswith("p-")} | {"p-version": "1"}
    first = login(users["officer"]).post(
        f"/registry/persons/{person.uuid}/edit/", edit | {"p-phone": "+992900001122"}
    )
    assert first.status_code == 302
    second = login(users["caseworker"]).post(
        f"/registry/persons/{person.uuid}/edit/", edit | {"p-address": "Almaty"}
    )
    html = second.content.decode()
    assert second.status_code == 409 and "+992900001122" in html and "alice" in html
    person.refresh_from_db()
    assert person.address == "" and person.phone == "+992900001122"


def test_profiling_a_child_as_unaccompanied(users, register, node):
    child = register(users["officer"], birth_date=date(2012, 5, 5), documents=())
    client = login(users["officer"])
    response = client.post(
        f"/registry/persons/{child.uuid}/profile/",
        {
            "f-office": str(node["almaty"].pk),
            "f-profile_types": ["unaccompanied_child"],
            "f-specific_needs": ["SC-UC"],
            "f-notes": "",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/registry/persons/{child.uuid}/").content.decode()
    assert "SC-UC" in page and "Child protection" in page


def test_the_interface_switches_to_russian(users):
    response = login(users["officer"], "ru").get("/")
    assert "Найти" in response.content.decode() or "Регистр" in response.content.decode()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_photo_is_stored_and_served_only_within_the_scope(users, register, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    person = register(users["officer"])
    client = login(users["officer"])
    response = client.post(
        f"/registry/persons/{person.uuid}/photo/upload/",
        {"photo": SimpleUploadedFile("me.png", PNG, content_type="image/png")},
    )
    assert response.status_code == 302
    photo = client.get(f"/registry/persons/{person.uuid}/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png" and photo.content == PNG
    assert login(users["other_officer"]).get(f"/registry/persons/{person.uuid}/photo/").status_code == 404
    assert login(users["statistician"]).get(f"/registry/persons/{person.uuid}/photo/").status_code == 404


def test_a_file_that_is_not_an_image_is_refused(users, register, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    person = register(users["officer"])
    client = login(users["officer"])
    client.post(
        f"/registry/persons/{person.uuid}/photo/upload/",
        {"photo": SimpleUploadedFile("me.png", b"<svg onload=alert(1)>", content_type="image/png")},
    )
    person.refresh_from_db()
    assert not person.photo
    assert "JPEG or PNG" in client.get(f"/registry/persons/{person.uuid}/").content.decode()


def test_moving_a_person_to_a_new_household_in_the_page_keeps_the_history(users, register):
    person = register(users["officer"])
    old = person.memberships.get().household
    response = login(users["officer"]).post(
        f"/registry/persons/{person.uuid}/household/",
        {"household": "", "relationship": "principal", "on_date": "2026-11-25"},
    )
    assert response.status_code == 302
    memberships = list(person.memberships.order_by("id"))
    assert memberships[0].household == old and memberships[0].ended_on is not None
    assert memberships[1].ended_on is None and memberships[1].household != old
