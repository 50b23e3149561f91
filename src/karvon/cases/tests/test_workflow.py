"""The transition tables and the rules that judge a step, without the database."""

from __future__ import annotations

from datetime import date

import pytest

from karvon.cases.rules import available_states, state_rules
from karvon.cases.workflow import (
    ASYLUM,
    PROTECTION_LABELS,
    WORKFLOWS,
    CaseFacts,
    CaseKind,
    StepRequest,
    decision_level,
    next_steps,
    transition_check,
)

TODAY = date(2026, 11, 28)


def facts(state: str = "assessed", **overrides: object) -> CaseFacts:
    values: dict[str, object] = {
        "kind": CaseKind.ASYLUM,
        "state": state,
        "began_on": date(2026, 9, 1),
        "last_event_on": date(2026, 11, 1),
        "appeal_level": 0,
    }
    values.update(overrides)
    return CaseFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", list(CaseKind))
def test_every_step_goes_between_known_states(kind: CaseKind) -> None:
    workflow = WORKFLOWS[kind]
    assert workflow.initial in workflow.states
    for transition in workflow.transitions.values():
        assert transition.sources, transition.name
        assert transition.sources <= set(workflow.states), transition.name
        assert not transition.target or transition.target in workflow.states, transition.name


@pytest.mark.parametrize("kind", list(CaseKind))
def test_open_stages_lead_somewhere_and_closed_ones_nowhere(kind: CaseKind) -> None:
    workflow = WORKFLOWS[kind]
    for state in workflow.states.values():
        moves = [t for t in workflow.transitions.values() if state.code in t.sources and t.target]
        if state.closed:
            assert not [t for t in workflow.transitions.values() if state.code in t.sources], state.code
        else:
            assert moves, f"{kind}: {state.code} is a dead end"


@pytest.mark.parametrize("kind", list(CaseKind))
def test_every_stage_is_reachable_from_the_start(kind: CaseKind) -> None:
    workflow = WORKFLOWS[kind]
    reached = {workflow.initial}
    frontier = [workflow.initial]
    while frontier:
        state = frontier.pop()
        for transition in workflow.transitions.values():
            if state in transition.sources and transition.target and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(workflow.states)


def test_protection_codes_are_labelled() -> None:
    for workflow in WORKFLOWS.values():
        for state in workflow.states.values():
            assert not state.protection or state.protection in PROTECTION_LABELS
            assert not (state.closed and state.protection)


def test_the_asylum_path_of_a_family_rejected_then_recognised_on_appeal() -> None:
    path = [
        ("register_application", "registered"),
        ("schedule_interview", "interview_scheduled"),
        ("record_interview", "interviewed"),
        ("complete_assessment", "assessed"),
        ("reject", "rejected"),
        ("lodge_appeal", "appeal_lodged"),
        ("recognise_on_appeal", "recognised"),
    ]
    state = ASYLUM.initial
    for name, target in path:
        assert name in {t.name for t in next_steps(facts(state), appeal_levels=2)}
        state = ASYLUM.transitions[name].target
        assert state == target
    assert ASYLUM.states[state].protection == "refugee"


def test_an_illegal_step_is_refused_naming_the_allowed_ones() -> None:
    _, refusals = transition_check(
        facts("registered"), StepRequest("recognise_refugee", TODAY), today=TODAY, appeal_levels=2
    )
    assert [r.code for r in refusals] == ["not_allowed"]
    assert "Schedule the interview" in refusals[0].message
    assert "Application withdrawn" in refusals[0].message


def test_a_closed_case_takes_no_step() -> None:
    _, refusals = transition_check(
        facts("withdrawn"), StepRequest("reject", TODAY), today=TODAY, appeal_levels=2
    )
    assert refusals[0].code == "not_allowed"
    assert "closed" in refusals[0].message


def test_appeals_stop_after_the_last_level() -> None:
    assert "lodge_appeal" in {
        t.name for t in next_steps(facts("appeal_rejected", appeal_level=1), appeal_levels=2)
    }
    assert "lodge_appeal" not in {
        t.name for t in next_steps(facts("appeal_rejected", appeal_level=2), appeal_levels=2)
    }
    _, refusals = transition_check(
        facts("appeal_rejected", appeal_level=2),
        StepRequest("lodge_appeal", TODAY),
        today=TODAY,
        appeal_levels=2,
    )
    assert "No further appeal" in refusals[0].message


@pytest.mark.parametrize(
    ("occurred_on", "reason", "code"),
    [
        (date(2026, 11, 29), "", "future"),
        (date(2026, 8, 31), "late entry", "before_case_began"),
        (date(2026, 10, 31), "late entry", "before_previous_step"),
        (date(2026, 11, 20), "", "backdated_without_reason"),
    ],
)
def test_dates_are_judged(occurred_on: date, reason: str, code: str) -> None:
    _, refusals = transition_check(
        facts(), StepRequest("reject", occurred_on, reason=reason), today=TODAY, appeal_levels=2
    )
    assert [r.code for r in refusals] == [code]


def test_a_backdated_step_with_a_reason_is_allowed() -> None:
    transition, refusals = transition_check(
        facts(),
        StepRequest("reject", date(2026, 11, 20), reason="entered late: system outage"),
        today=TODAY,
        appeal_levels=2,
    )
    assert refusals == []
    assert transition.target == "rejected"


def test_a_step_needs_its_details() -> None:
    _, refusals = transition_check(
        facts("registered"), StepRequest("schedule_interview", TODAY), today=TODAY, appeal_levels=2
    )
    assert [(r.field, r.code) for r in refusals] == [("details.interview_at", "required")]


def test_trafficking_identification_takes_htcds_terms() -> None:
    presumed = facts("presumed", kind=CaseKind.TRAFFICKING)
    _, refusals = transition_check(
        presumed,
        StepRequest(
            "identify_victim",
            TODAY,
            details={"exploitation": ["forced_labour_construction"], "means_of_control": ["witchcraft"]},
        ),
        today=TODAY,
        appeal_levels=2,
    )
    assert [(r.field, r.code) for r in refusals] == [("details.means_of_control", "invalid_choice")]
    _, refusals = transition_check(
        presumed,
        StepRequest(
            "identify_victim",
            TODAY,
            details={"exploitation": ["sexual"], "means_of_control": ["debt_bondage", "threats"]},
        ),
        today=TODAY,
        appeal_levels=2,
    )
    assert refusals == []


def test_nothing_moves_while_a_step_awaits_approval() -> None:
    _, refusals = transition_check(
        facts(awaiting_approval="reject"), StepRequest("record_contact", TODAY), today=TODAY, appeal_levels=2
    )
    assert [r.code for r in refusals] == ["awaiting_approval"]


def test_decision_levels_follow_the_states_appeal_bodies() -> None:
    reject = ASYLUM.transitions["reject"]
    on_appeal = ASYLUM.transitions["recognise_on_appeal"]
    assert decision_level(reject, 0, ("AR", "JR")) == "FI"
    assert decision_level(on_appeal, 1, ("AR", "JR")) == "AR"
    assert decision_level(on_appeal, 2, ("AR", "JR")) == "JR"
    assert decision_level(ASYLUM.transitions["record_contact"], 0, ("AR",)) == ""


@pytest.mark.parametrize("state", available_states())
def test_every_states_rules_load(state: str) -> None:
    rules = state_rules(state)
    assert rules.state == state
    assert rules.appeal_levels
    for kind in rules.approval_required:
        assert kind in WORKFLOWS


def test_due_dates_take_the_sooner_limit() -> None:
    rules = state_rules("KAZ")
    began = date(2026, 9, 1)
    # Registered on 1 Sep: the next step is due 30 days later, before the 90-day decision limit.
    assert rules.due_date(CaseKind.ASYLUM, "registered", entered_on=began, began_on=began) == date(
        2026, 10, 1
    )
    # Assessed late: the 90-day decision limit from lodging comes first.
    assert rules.due_date(CaseKind.ASYLUM, "assessed", entered_on=date(2026, 11, 25), began_on=began) == date(
        2026, 11, 30
    )
    assert rules.due_date(CaseKind.ASYLUM, "rejected", entered_on=date(2026, 11, 25), began_on=began) == date(
        2026, 12, 25
    )
    assert (
        rules.due_date(CaseKind.ASYLUM, "recognised", entered_on=date(2026, 11, 25), began_on=began) is None
    )


def test_stay_rules_follow_nationality() -> None:
    stay = state_rules("KAZ").stay
    assert stay.registration_due(date(2026, 11, 1), "TJK") == date(2026, 11, 4)
    assert stay.registration_due(date(2026, 11, 1), "RUS") == date(2026, 12, 1)
    assert stay.visa_free_until(date(2026, 11, 1), "UZB") == date(2027, 1, 29)
