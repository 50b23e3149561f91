"""The demo cases walk the real transition tables: every event is a legal step, in order, within the rules."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest

from karvon.cases.demo import demo_cases_load
from karvon.cases.models import Case, CaseEvent
from karvon.cases.workflow import WORKFLOWS, CaseKind

TODAY = date(2026, 11, 28)


@pytest.fixture
def demo_node(db: Any) -> dict[str, Any]:
    from karvon.accounts.models import User
    from karvon.demo.loader import demo_people_load
    from karvon.demo.organisation import demo_organisation, demo_users

    now = datetime(2026, 11, 28, 9, tzinfo=UTC)
    offices = demo_organisation(state="TJK", now=now)
    demo_users(state="TJK", offices=offices, now=now)
    demo_people_load(
        people=300, state="TJK", seed=5, offices=offices, user=User.objects.get(username="officer"), now=now
    )
    return {
        "recorder": User.objects.get(username="caseworker"),
        "approver": User.objects.get(username="supervisor"),
    }


def test_demo_cases_follow_the_workflows(demo_node: dict[str, Any]) -> None:
    report = demo_cases_load(
        state="TJK", seed=1, today=TODAY, recorder=demo_node["recorder"], approver=demo_node["approver"]
    )
    assert report.cases == Case.objects.count() > 20
    assert report.events == CaseEvent.objects.count()
    kinds = set(Case.objects.values_list("kind", flat=True))
    assert {"asylum", "child_protection"} <= kinds
    for case in Case.objects.prefetch_related("events"):
        workflow = WORKFLOWS[CaseKind(case.kind)]
        events = list(case.events.all())
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        assert events[0].to_state == workflow.initial and events[0].occurred_on == case.began_on
        state = workflow.initial
        for previous, event in itertools.pairwise(events):
            transition = workflow.transitions[event.transition]
            assert state in transition.sources, (case.reference, state, event.transition)
            assert event.occurred_on >= previous.occurred_on
            state = transition.target or state
            assert event.to_state == state
        assert case.state == state and case.last_event_on == events[-1].occurred_on <= TODAY
        assert (case.closed_on is not None) == workflow.states[state].closed
        assert case.reference.startswith("TJK-")
