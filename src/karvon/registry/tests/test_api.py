"""The registry API: same rules as the pages — scoped (404, never 403), validated field by field, audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from karvon.accounts.services import api_token_issue
from karvon.audit.models import AuditEvent
from karvon.registry.models import Person

pytestmark = pytest.mark.django_db

PERSON = {
    "names": [
        {"part": "given", "text": "Фаррух", "script": "Cyrl"},
        {"part": "family", "text": "Саидов", "script": "Cyrl"},
        {"part": "family", "text": "SAIDOV", "script": "Latn", "source": "document"},
    ],
    "sex": "M",
    "birth_date": "1990-03-12",
    "nationalities": ["TJK"],
    "languages": ["tgk", "rus"],
    "documents": [
        {
            "doc_type": "passport",
            "number": "400123456",
            "issuing_state": "TJK",
            "issue_date": "2020-01-10",
            "expiry_date": "2030-01-09",
        }
    ],
}


def client_for(user, now, language: str = "en") -> Client:
    issued = api_token_issue(user=user, name="test", now=now, valid_days=30)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}", HTTP_ACCEPT_LANGUAGE=language)


def post(client: Client, path: str, payload: object):
    return client.post(path, data=json.dumps(payload), content_type="application/json")


def register_payload(node, person=None, **registration):
    return {
        "person": person or PERSON,
        "registration": {
            "office_id": node["almaty"].pk,
            "registered_on": "2026-11-20",
            "met_at": "border_crossing",
            "arrival_date": "2026-11-19",
            "transit_countries": ["AFG", "TJK"],
            **registration,
        },
    }


def test_registering_through_the_api_returns_the_person(users, node, now):
    response = post(client_for(users["officer"], now), "/api/v1/persons", register_payload(node))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["nationalities"] == ["TJK"]
    assert {n["text"] for n in body["names"]} == {"Фаррух", "Саидов", "SAIDOV"}


def test_the_api_needs_a_token(node):
    assert Client().get("/api/v1/persons").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer kv_wrong").get("/api/v1/persons").status_code == 401


def test_an_expired_or_revoked_token_is_refused(users, now):
    from datetime import timedelta

    issued = api_token_issue(user=users["officer"], name="t", now=now - timedelta(days=40), valid_days=30)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}").get("/api/v1/persons").status_code == 401


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 200),
        ("caseworker", 200),
        ("supervisor", 200),
        ("other_officer", 404),
        ("statistician", 404),
        ("dpo", 404),
        ("administrator", 404),
    ],
)
def test_reading_a_person_as_every_role(users, register, now, role, status):
    person = register(users["officer"])
    response = client_for(users[role], now).get(f"/api/v1/persons/{person.uuid}")
    assert response.status_code == status
    if status == 404:
        assert "Саидов" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "found"),
    [("officer", 1), ("caseworker", 1), ("supervisor", 1), ("other_officer", 0)],
)
def test_searching_as_every_role_that_may_search(users, register, now, role, found):
    register(users["officer"])
    response = client_for(users[role], now).get("/api/v1/persons", {"q": "Saidov"})
    assert response.status_code == 200
    assert response.json()["total"] == found


def test_the_search_answer_in_full(users, register, now):
    from karvon.registry.contracts import DocumentInput, NameInput

    person = register(
        users["officer"],
        names=(
            NameInput("given", "Фаррух", "Cyrl"),
            NameInput("family", "Саидов", "Cyrl"),
            NameInput("family", "SAIDOV", "Latn", "document"),
        ),
        documents=(DocumentInput("passport", "400123456", "TJK"),),
        birth_date=date(1990, 3, 12),
    )
    response = client_for(users["officer"], now).get("/api/v1/persons", {"q": "Saidov"})
    assert response.json() == {
        "results": [
            {
                "uuid": str(person.uuid),
                "given": "Фаррух",
                "family": "Саидов",
                "patronymic": "",
                "other_spellings": [["SAIDOV", "Latn"]],
                "sex": person.sex,
                "birth_date": "1990-03-12",
                "birth_date_precision": "exact",
                "nationalities": [n.country for n in person.nationalities.all()],
                "documents": ["TJK 400123456"],
                "reasons": [],
                "match_probability": None,
            }
        ],
        "page": 1,
        "page_count": 1,
        "total": 1,
        "total_is_capped": False,
    }


@pytest.mark.parametrize("role", ["statistician", "dpo", "administrator"])
def test_roles_without_personal_data_cannot_search(users, register, now, role):
    register(users["officer"])
    assert client_for(users[role], now).get("/api/v1/persons", {"q": "Saidov"}).status_code == 404


@pytest.mark.parametrize("role", ["caseworker", "statistician", "dpo", "administrator", "other_officer"])
def test_roles_that_may_not_register_here(users, node, now, role):
    response = post(client_for(users[role], now), "/api/v1/persons", register_payload(node))
    assert response.status_code in (404, 422)
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"birth_date": "1990-02-31"}, "person.birth_date", "date_from_datetime_parsing"),
        ({"birth_date": "2031-01-01"}, "person.birth_date", "future"),
        ({"sex": "male"}, "person.sex", "literal_error"),
        ({"nationalities": ["XYZ"]}, "person.nationalities.0", "unknown_country"),
        ({"names": []}, "person.names", "too_short"),
        (
            {"names": [{"part": "given", "text": "Sаidov", "script": "Latn"}]},
            "person.names.0.text",
            "mixed_script",
        ),
        (
            {
                "documents": [
                    {
                        "doc_type": "passport",
                        "number": "1",
                        "issuing_state": "TJK",
                        "issue_date": "2020-01-10",
                        "expiry_date": "2019-01-09",
                    }
                ]
            },
            "person.documents.0.expiry_date",
            "before_issue",
        ),
    ],
)
def test_bad_input_gets_field_specific_errors(users, node, now, change, field, code):
    response = post(
        client_for(users["officer"], now),
        "/api/v1/persons",
        register_payload(node, person={**PERSON, **change}),
    )
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert any(d["field"].endswith(field.removeprefix("person.")) and d["code"] == code for d in detail), (
        detail
    )
    assert Person.objects.count() == 0


def test_errors_come_in_russian_when_asked(users, node, now):
    response = post(
        client_for(users["officer"], now, "ru"),
        "/api/v1/persons",
        register_payload(node, person={**PERSON, "birth_date": "2031-01-01"}),
    )
    assert "будущ" in response.json()["detail"][0]["message"]


def test_malformed_json_is_a_clear_422(users, now):
    response = client_for(users["officer"], now).post(
        "/api/v1/persons", data="{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)


def test_a_stale_update_gets_409_with_what_changed(users, register, now):
    person = register(users["officer"])
    alice, carol = client_for(users["officer"], now), client_for(users["supervisor"], now)
    first = alice.put(
        f"/api/v1/persons/{person.uuid}",
        data=json.dumps({"version": 1, "person": PERSON | {"phone": "+992 90 000 11 22"}}),
        content_type="application/json",
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = carol.put(
        f"/api/v1/persons/{person.uuid}",
        data=json.dumps({"version": 1, "person": PERSON | {"address": "Almaty"}}),
        content_type="application/json",
    )
    assert second.status_code == 409
    body = second.json()
    assert body["current_version"] == 2 and body["changes"][0]["field"] == "phone"


def test_household_registration_and_member_listing(users, node, now):
    client = client_for(users["officer"], now)
    child = {
        **PERSON,
        "names": [
            {"part": "given", "text": "Алишер", "script": "Cyrl"},
            {"part": "family", "text": "Саидов", "script": "Cyrl"},
        ],
        "birth_date": "2012-06-01",
        "documents": [],
    }
    response = post(
        client,
        "/api/v1/households",
        {
            "registration": register_payload(node)["registration"],
            "members": [
                {"relationship": "principal", "person": PERSON},
                {"relationship": "child", "person": child},
            ],
        },
    )
    assert response.status_code == 201, response.content
    household = response.json()
    assert [m["relationship"] for m in household["members"]] == ["principal", "child"]
    assert client.get(f"/api/v1/households/{household['uuid']}").status_code == 200
    assert (
        client_for(users["other_officer"], now).get(f"/api/v1/households/{household['uuid']}").status_code
        == 404
    )


def test_profiling_through_the_api(users, register, node, now):
    child = register(users["officer"], birth_date=date(2011, 1, 1), documents=())
    client = client_for(users["officer"], now)
    response = post(
        client,
        f"/api/v1/persons/{child.uuid}/profiles",
        {
            "office_id": node["almaty"].pk,
            "profile_types": ["unaccompanied_child"],
            "specific_needs": ["SC-UC"],
        },
    )
    assert response.status_code == 201, response.content
    referral = response.json()["referrals"][0]
    assert referral["procedure"] == "child_protection"
    decided = post(client, f"/api/v1/referrals/{referral['id']}/decision", {"decision": "accepted"})
    assert decided.json()["decision"] == "accepted"


def test_reading_an_mrz(users, now):
    from karvon.registry.mrz import compose_td3

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
    client = client_for(users["officer"], now)
    good = post(client, "/api/v1/mrz", {"mrz": mrz})
    assert good.status_code == 200 and good.json()["family_name"] == "SAIDOV"
    broken = mrz[:-1] + ("0" if mrz[-1] != "0" else "1")
    bad = post(client, "/api/v1/mrz", {"mrz": broken})
    assert bad.status_code == 422 and bad.json()["detail"][0]["code"].startswith("check_digit")


def test_every_read_is_audited(users, register, now):
    person = register(users["officer"])
    client = client_for(users["caseworker"], now)
    client.get(f"/api/v1/persons/{person.uuid}")
    client.get("/api/v1/persons", {"q": "Саидов"})
    actions = set(
        AuditEvent.objects.filter(person_uuid=person.uuid, actor_username="dilnoza").values_list(
            "action", flat=True
        )
    )
    assert actions == {"person.view", "person.search"}


def test_the_openapi_schema_is_served(users, now):
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/persons" in paths and "/api/v1/households" in paths and "/api/v1/audit/events" in paths


def test_household_errors_name_the_member_as_the_body_does(users, node, now):
    child = {**PERSON, "birth_date": "2031-01-01", "documents": []}
    response = post(
        client_for(users["officer"], now),
        "/api/v1/households",
        {
            "registration": register_payload(node)["registration"],
            "members": [
                {"relationship": "principal", "person": PERSON},
                {"relationship": "child", "person": child},
            ],
        },
    )
    assert response.status_code == 422
    assert {"field": "members.1.person.birth_date", "code": "future"} in [
        {k: d[k] for k in ("field", "code")} for d in response.json()["detail"]
    ]


def test_the_registration_answer_is_the_person_as_stored(users, node, now):
    """The answer is built from the rows as written (no second read): it must equal a later read."""
    person = {
        **PERSON,
        "names": [
            {"part": "family", "text": "Саидов", "script": "Cyrl"},
            {"part": "given", "text": "Фаррух", "script": "Cyrl"},
            {"part": "patronymic", "text": "Рустамович", "script": "Cyrl"},
            {"part": "family", "text": "SAIDOV", "script": "Latn", "source": "document"},
            {"part": "given", "text": "FARRUKH", "script": "Latn", "source": "document"},
        ],
        "nationalities": ["TJK", "RUS", "UZB"],
        "languages": ["tgk", "rus", "uzb"],
        "documents": [
            {"doc_type": "passport", "number": "400 123 456", "issuing_state": "TJK"},
            {"doc_type": "national_id", "number": "a-77", "issuing_state": "RUS", "issue_date": "2019-05-01"},
        ],
    }
    client = client_for(users["officer"], now)
    created = post(client, "/api/v1/persons", register_payload(node, person))
    assert created.status_code == 201, created.content
    read = client.get(f"/api/v1/persons/{created.json()['uuid']}")
    assert read.status_code == 200
    assert created.json() == read.json()


def test_registering_a_household_writes_every_row_and_event(users, node, now):
    from karvon.registry.models import HouseholdMembership, NameSearchKey, Registration

    client = client_for(users["officer"], now)
    child = {**PERSON, "birth_date": "2015-06-01", "documents": []}
    response = post(
        client,
        "/api/v1/households",
        {
            "registration": register_payload(node)["registration"],
            "members": [
                {"relationship": "principal", "person": PERSON},
                {"relationship": "child", "person": child},
            ],
        },
    )
    assert response.status_code == 201, response.content
    household = response.json()
    members = [m["person"] for m in household["members"]]
    people = Person.objects.filter(uuid__in=members)
    assert people.count() == 2
    for person in people:
        assert Registration.objects.filter(person=person, household__uuid=household["uuid"]).count() == 1
        assert HouseholdMembership.objects.get(person=person).household.uuid.hex == household["uuid"].replace(
            "-", ""
        )
        assert NameSearchKey.objects.filter(person=person, key="f:saidov").exists()
        created = AuditEvent.objects.get(person_uuid=person.uuid, action="person.create")
        assert created.changes["household"] == household["uuid"] and created.actor_username == "alice"
    events = AuditEvent.objects.filter(action__in=["person.create", "household.create"]).order_by("id")
    assert [e.action for e in events] == ["person.create", "person.create", "household.create"]


def test_a_registration_and_a_search_take_a_bounded_number_of_queries(
    users, node, now, django_assert_max_num_queries
):
    client = client_for(users["officer"], now)
    post(client, "/api/v1/persons", register_payload(node))  # the token's first use is recorded once
    # Token, scope, the registration's rows (one statement on PostgreSQL, one per table elsewhere) and the
    # duplicate check's task.
    with django_assert_max_num_queries(16):
        assert post(client, "/api/v1/persons", register_payload(node)).status_code == 201
    # Token, scope, newest id, candidates (one range here), the page's people and details, the audit events.
    with django_assert_max_num_queries(9):
        response = client.get("/api/v1/persons", {"q": "Саидов"})
    assert response.status_code == 200 and response.json()["total"] == 2
