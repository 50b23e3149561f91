"""The procedures API: a family's asylum case, approvals, conflicts and a referral to a partner, over HTTP."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from karvon.accounts.services import api_token_issue


def client_for(user: Any, language: str = "en") -> Client:
    issued = api_token_issue(user=user, name="test", now=timezone.now(), valid_days=30)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}", HTTP_ACCEPT_LANGUAGE=language)


def post(client: Client, path: str, payload: object) -> Any:
    return client.post(path, data=json.dumps(payload), content_type="application/json")


@pytest.fixture
def today() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def case(users: dict[str, Any], family: dict[str, Any], node: dict[str, Any], today: str) -> dict[str, Any]:
    response = post(
        client_for(users["caseworker"]),
        "/api/v1/cases",
        {
            "kind": "asylum",
            "person_uuid": str(family["mother"].uuid),
            "office_id": node["almaty"].pk,
            "began_on": today,
            "member_uuids": [str(family["son"].uuid)],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def take(client: Client, case: dict[str, Any], transition: str, today: str, **extra: Any) -> Any:
    current = client.get(f"/api/v1/cases/{case['uuid']}").json()["case"]
    payload = {
        "transition": transition,
        "occurred_on": today,
        "expected_version": current["version"],
        **extra,
    }
    return post(client, f"/api/v1/cases/{case['uuid']}/transitions", payload)


def test_a_case_moves_through_the_api_with_an_approval(
    case: dict[str, Any], users: dict[str, Any], today: str
) -> None:
    worker = client_for(users["caseworker"])
    assert take(worker, case, "register_application", today).status_code == 201
    later = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    assert take(worker, case, "schedule_interview", today, details={"interview_at": later}).status_code == 201
    assert take(worker, case, "record_interview", today).status_code == 201
    assert take(worker, case, "complete_assessment", today).status_code == 201
    waiting = take(worker, case, "reject", today, legal_basis="Law on Refugees art. 12")
    assert waiting.status_code == 202
    approval = waiting.json()["approval"]
    boss = client_for(users["supervisor"])
    assert [a["id"] for a in boss.get("/api/v1/approvals").json()] == [approval["id"]]
    decided = post(boss, f"/api/v1/approvals/{approval['id']}/decision", {"approve": True})
    assert decided.status_code == 200
    assert decided.json()["case"]["state"] == "rejected"
    assert decided.json()["event"]["approved_by"] == "carol"
    detail = worker.get(f"/api/v1/cases/{case['uuid']}").json()
    assert [s["name"] for s in detail["next_steps"]][:2] == ["lodge_appeal", "finalise_rejection"]
    assert detail["person"]["full_file"] is True
    assert [e["transition"] for e in detail["events"]][-1] == "reject"


def test_an_illegal_step_gets_422_naming_the_allowed_steps_in_russian(
    case: dict[str, Any], users: dict[str, Any], today: str
) -> None:
    response = take(client_for(users["caseworker"], "ru"), case, "recognise_refugee", today, legal_basis="x")
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["field"] == "transition" and error["code"] == "not_allowed"


def test_a_stale_step_gets_409(case: dict[str, Any], users: dict[str, Any], today: str) -> None:
    worker = client_for(users["caseworker"])
    stale_version = case["version"]
    assert take(worker, case, "register_application", today).status_code == 201
    response = post(
        client_for(users["supervisor"]),
        f"/api/v1/cases/{case['uuid']}/transitions",
        {"transition": "withdraw", "occurred_on": today, "expected_version": stale_version},
    )
    assert response.status_code == 409
    assert response.json()["current_state"] == "registered"
    assert response.json()["moved_by"] == "dilnoza"


def test_bad_dates_and_payloads_get_field_errors(
    case: dict[str, Any], users: dict[str, Any], today: str
) -> None:
    worker = client_for(users["caseworker"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert take(worker, case, "register_application", tomorrow).json()["detail"][0]["code"] == "future"
    response = post(
        worker, f"/api/v1/cases/{case['uuid']}/transitions", {"transition": "x", "occurred_on": "2026-02-31"}
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert {"occurred_on", "expected_version"} <= fields


def test_outside_scope_is_404(case: dict[str, Any], users: dict[str, Any], today: str) -> None:
    for user in (users["other_officer"], users["statistician"], users["dpo"]):
        assert client_for(user).get(f"/api/v1/cases/{case['uuid']}").status_code == 404
    response = take(client_for(users["caseworker"]), case, "register_application", today)
    assert response.status_code == 201
    other = post(
        client_for(users["other_officer"]),
        f"/api/v1/cases/{case['uuid']}/transitions",
        {"transition": "withdraw", "occurred_on": today, "expected_version": 3},
    )
    assert other.status_code == 404


def test_a_child_referred_to_a_partner_who_sees_only_that_child_and_what_is_shared(
    users: dict[str, Any], family: dict[str, Any], partners: dict[str, Any], partner_user: Any
) -> None:
    sent = post(
        client_for(users["officer"]),
        "/api/v1/referrals",
        {
            "person_uuid": str(family["son"].uuid),
            "procedure": "child_protection",
            "from_office_id": partners["almaty"].pk,
            "to_agency_id": partners["ngo"].pk,
            "reason": "Unaccompanied child, SC-UC",
            "shared": ["identity", "languages", "specific_needs"],
        },
    )
    assert sent.status_code == 201, sent.content
    referral = sent.json()
    ngo = client_for(partner_user)
    inbox = ngo.get("/api/v1/referrals").json()
    assert [r["uuid"] for r in inbox] == [referral["uuid"]]
    seen = ngo.get(f"/api/v1/referrals/{referral['uuid']}").json()["person"]
    assert {n["text"] for n in seen["names"]} >= {"Омид", "Каримов"}
    assert seen["nationalities"] is None and seen["documents"] is None and seen["contact"] is None
    assert seen["household"] is None
    assert seen["full_file"] is False
    # The partner cannot reach the person, the mother or anyone else through the registry.
    assert ngo.get(f"/api/v1/persons/{family['son'].uuid}").status_code == 404
    assert ngo.get(f"/api/v1/persons/{family['mother'].uuid}").status_code == 404
    assert ngo.get("/api/v1/persons?q=Каримов").json()["total"] == 0
    accepted = post(
        ngo, f"/api/v1/referrals/{referral['uuid']}/accept", {"office_id": partners["ngo_office"].pk}
    )
    assert accepted.status_code == 200
    case_uuid = accepted.json()["case_uuid"]
    child_case = ngo.get(f"/api/v1/cases/{case_uuid}").json()
    assert child_case["case"]["kind"] == "child_protection"
    assert child_case["person"]["birth_date"] is not None and child_case["person"]["documents"] is None
    # Revoked: the partner keeps its case record but sees nothing more of the child.
    revoked = post(
        client_for(users["officer"]),
        f"/api/v1/referrals/{referral['uuid']}/revoke",
        {"note": "Moved to a state shelter"},
    )
    assert revoked.status_code == 200
    after = ngo.get(f"/api/v1/cases/{case_uuid}").json()["person"]
    assert after["names"] == [] and after["birth_date"] is None


def test_the_openapi_schema_lists_the_procedures(db: Any) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/cases",
        "/api/v1/cases/{case_uuid}/transitions",
        "/api/v1/referrals",
        "/api/v1/appointments",
    ):
        assert path in schema["paths"]
