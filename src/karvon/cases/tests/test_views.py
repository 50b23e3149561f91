"""The procedures pages: a caseworker moves a case, a supervisor approves, a partner takes a referral."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from karvon.cases.models import Case, Referral


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def today() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def opened(users: dict[str, Any], family: dict[str, Any], node: dict[str, Any], today: str) -> Case:
    response = client_for(users["caseworker"]).post(
        f"/cases/person/{family['mother'].uuid}/open/",
        {
            "kind": "asylum",
            "office_id": node["almaty"].pk,
            "began_on": today,
            "member_uuids": [],
            "procedure_type": "G",
            "application_type": "N",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get()


def test_the_person_page_lists_procedures_and_the_open_form_offers_the_household(
    users: dict[str, Any], family: dict[str, Any]
) -> None:
    client = client_for(users["caseworker"])
    page = client.get(f"/registry/persons/{family['mother'].uuid}/")
    assert f"/cases/person/{family['mother'].uuid}/panel/" in page.content.decode()
    panel = client.get(f"/cases/person/{family['mother'].uuid}/panel/")
    assert "Open a case" in panel.content.decode()
    form = client.get(f"/cases/person/{family['mother'].uuid}/open/")
    assert form.status_code == 200


def test_a_caseworker_moves_a_case_and_a_supervisor_approves(
    opened: Case, users: dict[str, Any], today: str
) -> None:
    worker = client_for(users["caseworker"])
    assert opened.reference in worker.get("/cases/").content.decode()
    page = worker.get(f"/cases/{opened.uuid}/")
    assert "Register the application" in page.content.decode()

    def take(transition: str, **extra: str) -> Any:
        opened.refresh_from_db()
        data = {
            "transition": transition,
            "occurred_on": today,
            "expected_version": str(opened.version),
            **extra,
        }
        return worker.post(f"/cases/{opened.uuid}/step/", data)

    assert take("register_application").status_code == 302
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT11:00")
    assert take("schedule_interview", interview_at=later).status_code == 302
    assert take("record_interview").status_code == 302
    assert take("complete_assessment").status_code == 302
    refused = take("recognise_refugee")
    assert refused.status_code == 422
    assert "A decision must name its legal basis." in refused.content.decode()
    assert take("recognise_refugee", legal_basis="Law on Refugees, art. 12").status_code == 302
    opened.refresh_from_db()
    assert opened.awaiting_approval == "recognise_refugee"

    boss = client_for(users["supervisor"])
    overview = boss.get("/cases/overview/").content.decode()
    assert opened.reference in overview
    assert "present now" in overview and "/presence/overstays/" in overview
    approval = opened.approvals.get()
    response = boss.post(f"/cases/approvals/{approval.pk}/decide/", {"decision": "approve", "note": ""})
    assert response.status_code == 302
    opened.refresh_from_db()
    assert opened.state == "recognised"
    history = worker.get(f"/cases/{opened.uuid}/").content.decode()
    assert "approved by" in history


def test_a_stale_form_is_told_and_nothing_saved(opened: Case, users: dict[str, Any], today: str) -> None:
    worker = client_for(users["caseworker"])
    version = opened.version
    worker.post(
        f"/cases/{opened.uuid}/step/",
        {"transition": "register_application", "occurred_on": today, "expected_version": version},
    )
    response = client_for(users["supervisor"]).post(
        f"/cases/{opened.uuid}/step/",
        {"transition": "withdraw", "occurred_on": today, "expected_version": version},
        follow=True,
    )
    assert "Someone else (dilnoza) moved this case" in response.content.decode()
    opened.refresh_from_db()
    assert opened.state == "registered"


def test_russian_pages_render(opened: Case, users: dict[str, Any]) -> None:
    page = client_for(users["caseworker"], "ru").get(f"/cases/{opened.uuid}/")
    assert page.status_code == 200
    assert 'lang="ru"' in page.content.decode()


def test_other_offices_and_non_case_roles_get_404(opened: Case, users: dict[str, Any]) -> None:
    for user in (users["other_officer"], users["statistician"], users["dpo"]):
        assert client_for(user).get(f"/cases/{opened.uuid}/").status_code == 404
    assert client_for(users["statistician"]).get("/cases/").status_code == 404


def test_a_partner_accepts_a_referral_and_sees_only_that_child(
    users: dict[str, Any], family: dict[str, Any], partners: dict[str, Any], partner_user: Any
) -> None:
    officer = client_for(users["officer"])
    form = officer.get(f"/cases/person/{family['son'].uuid}/refer/?procedure=child_protection")
    assert "Child protection NGO" in form.content.decode()
    sent = officer.post(
        f"/cases/person/{family['son'].uuid}/refer/",
        {
            "procedure": "child_protection",
            "from_office_id": partners["almaty"].pk,
            "to_agency_id": partners["ngo"].pk,
            "reason": "Unaccompanied, SC-UC",
            "shared": ["identity", "languages", "specific_needs"],
        },
    )
    assert sent.status_code == 302
    referral = Referral.objects.get()
    ngo = client_for(partner_user)
    inbox = ngo.get("/cases/referrals/").content.decode()
    assert f"/cases/referrals/{referral.uuid}/" in inbox
    detail = ngo.get(f"/cases/referrals/{referral.uuid}/").content.decode()
    assert "Омид" in detail and "Каримова" not in detail and "Зарина" not in detail
    accepted = ngo.post(
        f"/cases/referrals/{referral.uuid}/act/", {"action": "accept", "office_id": partners["ngo_office"].pk}
    )
    assert accepted.status_code == 302
    case = Case.objects.get(kind="child_protection")
    page = ngo.get(f"/cases/{case.uuid}/").content.decode()
    assert "Омид" in page and "You see this person through a referral" in page
    assert ngo.get(f"/registry/persons/{family['son'].uuid}/").status_code == 404
    assert ngo.get(f"/registry/persons/{family['mother'].uuid}/").status_code == 404


def test_the_calendar_shows_the_office_week(opened: Case, users: dict[str, Any]) -> None:
    page = client_for(users["caseworker"]).get("/cases/calendar/")
    assert page.status_code == 200


def test_the_overdue_list_filters_by_office(
    users: dict[str, Any], family: dict[str, Any], node: dict[str, Any]
) -> None:
    from datetime import date

    from karvon.accounts.access import AccessContext
    from karvon.cases import services
    from karvon.cases.contracts import CaseOpenInput

    services.case_open(
        ctx=AccessContext(user=users["caseworker"], now=timezone.now()),
        data=CaseOpenInput(
            kind="asylum",
            person_uuid=family["mother"].uuid,
            office_id=node["almaty"].pk,
            began_on=date(2026, 10, 1),
            reason="paper file",
        ),
    )
    boss = client_for(users["supervisor"])
    assert "KAZ-ASY" in boss.get("/cases/?view=overdue").content.decode()
    assert "KAZ-ASY" in boss.get(f"/cases/?view=overdue&office={node['almaty'].pk}").content.decode()
    assert "KAZ-ASY" not in boss.get(f"/cases/?view=overdue&office={node['shymkent'].pk}").content.decode()


def test_a_supervisor_gives_a_case_to_a_caseworker_of_its_office(opened: Case, users: dict[str, Any]) -> None:
    boss = client_for(users["supervisor"])
    page = boss.get(f"/cases/{opened.uuid}/").content.decode()
    assert "Madina" in page or "dilnoza" in page
    response = boss.post(f"/cases/{opened.uuid}/assign/", {"user_id": users["caseworker"].pk})
    assert response.status_code == 302
    opened.refresh_from_db()
    assert opened.assigned_to == users["caseworker"]
    refused = boss.post(f"/cases/{opened.uuid}/assign/", {"user_id": users["statistician"].pk}, follow=True)
    assert "Choose a caseworker of the case" in refused.content.decode()
    assert (
        "Give the case to"
        not in client_for(users["caseworker"]).get(f"/cases/{opened.uuid}/").content.decode()
    )
