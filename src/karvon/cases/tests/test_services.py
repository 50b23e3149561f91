"""Opening cases and taking their steps through the services: rules, approvals, concurrency, scope, audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import DatabaseError, transaction

from karvon.accounts.access import UnableToAccess
from karvon.audit.models import AuditEvent
from karvon.cases import selectors, services
from karvon.cases.contracts import CaseOpenInput, StepInput, UnableToTransitionStale
from karvon.cases.models import Appointment, Case, CaseEvent
from karvon.registry.contracts import UnableToValidate
from karvon.registry.models import Person

TODAY = date(2026, 11, 28)


@pytest.fixture
def open_asylum(
    ctx_for: Callable[..., Any], users: dict[str, Any], family: dict[str, Any], node: dict[str, Any]
) -> Any:
    def do(**overrides: Any) -> Any:
        values: dict[str, Any] = {
            "kind": "asylum",
            "person_uuid": family["mother"].uuid,
            "office_id": node["almaty"].pk,
            "began_on": TODAY,
            "member_uuids": (family["son"].uuid,),
        }
        values.update(overrides)
        return services.case_open(ctx=ctx_for(users["caseworker"]), data=CaseOpenInput(**values))

    return do


def step(ctx: Any, case: Any, transition: str, **values: Any) -> Any:
    case.refresh_from_db()
    return services.case_transition(
        ctx=ctx,
        case_uuid=case.uuid,
        step=StepInput(
            transition=transition,
            occurred_on=values.pop("occurred_on", TODAY),
            expected_version=values.pop("expected_version", case.version),
            **values,
        ),
    )


def test_a_family_goes_from_lodging_through_rejection_and_appeal_to_recognition(
    open_asylum: Any, users: dict[str, Any], ctx_for: Callable[..., Any], family: dict[str, Any]
) -> None:
    case = open_asylum()
    assert case.reference.startswith("KAZ-ASY-2026-")
    assert case.state == "lodged"
    assert case.due_on == TODAY + timedelta(days=5)
    worker = ctx_for(users["caseworker"])
    step(worker, case, "register_application")
    outcome = step(worker, case, "schedule_interview", details={"interview_at": "2026-12-03T10:30"})
    interview = Appointment.objects.get(case=case)
    assert interview.starts_at.isoformat() == "2026-12-03T05:30:00+00:00"  # 10:30 in Almaty
    assert outcome.case.state == "interview_scheduled"
    step(worker, case, "record_interview")
    interview.refresh_from_db()
    assert interview.status == "held"
    step(worker, case, "complete_assessment")

    # A rejection waits for a supervisor (KAZ rules); the caseworker cannot take another step meanwhile.
    outcome = step(worker, case, "reject", legal_basis="Law on Refugees, art. 12")
    assert outcome.event is None and outcome.approval is not None
    assert outcome.case.state == "assessed" and outcome.case.awaiting_approval == "reject"
    with pytest.raises(UnableToValidate) as refused:
        step(worker, case, "record_contact")
    assert refused.value.errors[0].code == "awaiting_approval"
    with pytest.raises(UnableToValidate) as own:
        services.approval_decide(
            ctx=ctx_for(users["supervisor"]), approval_id=outcome.approval.pk, approve=False, note=""
        )
    assert own.value.errors[0].field == "note"
    decided = services.approval_decide(
        ctx=ctx_for(users["supervisor"]), approval_id=outcome.approval.pk, approve=True, note=""
    )
    assert decided.case.state == "rejected"
    assert decided.event is not None
    assert (
        decided.event.recorded_by == users["caseworker"] and decided.event.approved_by == users["supervisor"]
    )
    assert (decided.event.decision, decided.event.decision_level, decided.event.persons) == (
        "rejected",
        "FI",
        2,
    )

    step(worker, case, "lodge_appeal", reason="")
    outcome = step(worker, case, "recognise_on_appeal", legal_basis="Court ruling 2-123/2026")
    assert outcome.case.state == "recognised"
    assert outcome.case.due_on is None and outcome.case.closed_on is None
    assert (outcome.event.decision, outcome.event.decision_level) == ("recognised", "AR")
    events = list(CaseEvent.objects.filter(case=case).values_list("transition", flat=True))
    assert events == [
        "open",
        "register_application",
        "schedule_interview",
        "record_interview",
        "complete_assessment",
        "reject",
        "lodge_appeal",
        "recognise_on_appeal",
    ]
    assert selectors.protection_statuses(person_ids=[family["mother"].pk, family["son"].pk]) == {
        family["mother"].pk: "refugee",
        family["son"].pk: "refugee",
    }


def test_a_decision_needs_a_legal_basis(
    open_asylum: Any, users: dict[str, Any], ctx_for: Callable[..., Any]
) -> None:
    case = open_asylum()
    worker = ctx_for(users["caseworker"])
    for name in ("register_application",):
        step(worker, case, name)
    case.refresh_from_db()
    # Jump to assessed through the real steps.
    step(worker, case, "schedule_interview", details={"interview_at": "2026-12-01T09:00"})
    step(worker, case, "record_interview")
    step(worker, case, "complete_assessment")
    with pytest.raises(UnableToValidate) as refused:
        step(worker, case, "recognise_refugee")
    assert [(e.field, e.code) for e in refused.value.errors] == [("legal_basis", "required")]


def test_an_illegal_step_is_refused_and_nothing_is_written(
    open_asylum: Any, users: dict[str, Any], ctx_for: Callable[..., Any]
) -> None:
    case = open_asylum()
    before = CaseEvent.objects.count()
    with pytest.raises(UnableToValidate) as refused:
        step(ctx_for(users["caseworker"]), case, "recognise_refugee", legal_basis="x")
    assert refused.value.errors[0].code == "not_allowed"
    assert "Register the application" in refused.value.errors[0].message
    assert CaseEvent.objects.count() == before


def test_two_users_moving_the_same_case_one_wins(
    open_asylum: Any, users: dict[str, Any], ctx_for: Callable[..., Any]
) -> None:
    case = open_asylum()
    loaded_version = case.version
    step(ctx_for(users["caseworker"]), case, "register_application", expected_version=loaded_version)
    with pytest.raises(UnableToTransitionStale) as stale:
        step(ctx_for(users["supervisor"]), case, "withdraw", expected_version=loaded_version)
    assert stale.value.current_state == "registered"
    assert stale.value.moved_by == "dilnoza"
    case.refresh_from_db()
    assert case.state == "registered"


def test_steps_cannot_be_dated_before_the_case_or_in_the_future(
    open_asylum: Any, users: dict[str, Any], ctx_for: Callable[..., Any]
) -> None:
    case = open_asylum(began_on=date(2026, 11, 1), reason="registered on paper during the outage")
    worker = ctx_for(users["caseworker"])
    with pytest.raises(UnableToValidate) as early:
        step(worker, case, "register_application", occurred_on=date(2026, 10, 31), reason="paper file")
    assert early.value.errors[0].code == "before_case_began"
    with pytest.raises(UnableToValidate) as future:
        step(worker, case, "register_application", occurred_on=date(2026, 11, 29))
    assert future.value.errors[0].code == "future"
    outcome = step(worker, case, "register_application", occurred_on=date(2026, 11, 2), reason="paper file")
    assert outcome.case.state_entered_on == date(2026, 11, 2)


def test_opening_rules(
    open_asylum: Any,
    users: dict[str, Any],
    ctx_for: Callable[..., Any],
    family: dict[str, Any],
    node: dict[str, Any],
) -> None:
    with pytest.raises(UnableToValidate) as future:
        open_asylum(began_on=TODAY + timedelta(days=1))
    assert future.value.errors[0].code == "future"
    with pytest.raises(UnableToValidate) as backdated:
        open_asylum(began_on=TODAY - timedelta(days=3))
    assert backdated.value.errors[0].code == "backdated_without_reason"
    open_asylum()
    with pytest.raises(UnableToValidate) as twice:
        open_asylum(member_uuids=())
    assert twice.value.errors[0].code == "case_already_open"
    with pytest.raises(UnableToValidate) as adult:
        open_asylum(kind="child_protection", member_uuids=())
    assert adult.value.errors[0].code == "not_a_child"
    child_case = open_asylum(kind="child_protection", person_uuid=family["son"].uuid, member_uuids=())
    assert child_case.state == "opened"
    with pytest.raises(UnableToValidate) as elsewhere:
        open_asylum(kind="trafficking", office_id=node["shymkent"].pk)
    assert elsewhere.value.errors[0].field == "office_id"


def test_cases_are_scoped_to_the_office(
    open_asylum: Any, users: dict[str, Any], ctx_for: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    case = open_asylum()
    other_worker = make_user("erlan", "caseworker", office="shymkent")
    for user in (other_worker, users["statistician"], users["dpo"], users["administrator"]):
        with pytest.raises(Case.DoesNotExist):
            selectors.case_get(ctx=ctx_for(user), case_uuid=case.uuid)
    with pytest.raises(Case.DoesNotExist):
        step(ctx_for(other_worker), case, "register_application")
    # The officer can see the case but not work it.
    assert selectors.case_get(ctx=ctx_for(users["officer"]), case_uuid=case.uuid) == case
    with pytest.raises(UnableToAccess):
        step(ctx_for(users["officer"]), case, "register_application")


def test_reads_and_writes_are_audited(
    open_asylum: Any, users: dict[str, Any], ctx_for: Callable[..., Any], family: dict[str, Any]
) -> None:
    case = open_asylum()
    step(ctx_for(users["caseworker"]), case, "register_application")
    selectors.case_file(ctx=ctx_for(users["supervisor"]), case_uuid=case.uuid)
    actions = list(
        AuditEvent.objects.filter(person_uuid=family["mother"].uuid, action__startswith="case.").values_list(
            "action", "actor_username"
        )
    )
    assert ("case.open", "dilnoza") in actions
    assert ("case.transition", "dilnoza") in actions
    assert ("case.view", "carol") in actions


def test_the_event_log_is_append_only(open_asylum: Any) -> None:
    case = open_asylum()
    event = CaseEvent.objects.get(case=case)
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()


def test_a_supervisor_cannot_approve_their_own_request(
    open_asylum: Any, users: dict[str, Any], ctx_for: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    case = open_asylum()
    boss = ctx_for(users["supervisor"])
    step(boss, case, "register_application")
    step(boss, case, "schedule_interview", details={"interview_at": "2026-12-01T09:00"})
    step(boss, case, "record_interview")
    step(boss, case, "complete_assessment")
    outcome = step(boss, case, "recognise_refugee", legal_basis="art. 12")
    with pytest.raises(UnableToValidate) as own:
        services.approval_decide(ctx=boss, approval_id=outcome.approval.pk, approve=True, note="")
    assert own.value.errors[0].code == "own_request"
    other_boss = make_user("farida", "supervisor", office=None)
    decided = services.approval_decide(
        ctx=ctx_for(other_boss),
        approval_id=outcome.approval.pk,
        approve=False,
        note="Interview notes missing",
    )
    assert decided.case.state == "assessed" and decided.case.awaiting_approval == ""
    assert decided.approval.status == "refused"


def test_overdue_and_supervisor_overview(
    open_asylum: Any, users: dict[str, Any], ctx_for: Callable[..., Any]
) -> None:
    case = open_asylum(began_on=date(2026, 11, 1), reason="paper file")
    later = ctx_for(users["supervisor"])
    overdue = selectors.overdue_cases(ctx=later)
    assert [row.case for row in overdue.rows] == [case]
    assert overdue.rows[0].person_name == "Каримова Зарина"
    overview = selectors.supervisor_overview(ctx=later)
    assert overview.open_total == 1 and overview.overdue_total == 1
    assert overview.stages[0].state == "lodged"
    assert selectors.overdue_cases(ctx=ctx_for(users["statistician"])).total == 0


def test_a_merged_person_keeps_their_cases_visible_to_the_caseworker(
    open_asylum: Any, users: dict[str, Any], ctx_for: Callable[..., Any]
) -> None:
    case = open_asylum()
    page = selectors.my_cases(ctx=ctx_for(users["caseworker"]))
    assert [row.case.pk for row in page.rows] == [case.pk]
    assert Person.objects.filter(pk=case.person_id).exists()
