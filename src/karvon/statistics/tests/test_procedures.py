"""National asylum flows come from the procedures' event logs: applications, decisions by level, solutions."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from karvon.cases import services as case_services
from karvon.cases.contracts import CaseOpenInput, StepInput
from karvon.registry.contracts import NameInput
from karvon.statistics.models import ApplicationFigure, DecisionFigure, Source
from karvon.statistics.services import national_figures_refresh

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)


def test_a_familys_rejection_and_recognition_on_appeal_are_counted_in_persons_and_cases(
    users: dict[str, Any], register: Callable[..., Any], ctx_for: Callable[..., Any], node: dict[str, Any]
) -> None:
    mother = register(
        users["officer"], names=(NameInput("family", "Каримова", "Cyrl"),), nationalities=("AFG",)
    )
    son = register(users["officer"], names=(NameInput("family", "Каримов", "Cyrl"),), nationalities=("AFG",))
    worker, boss = ctx_for(users["caseworker"]), ctx_for(users["supervisor"])
    case = case_services.case_open(
        ctx=worker,
        data=CaseOpenInput(
            kind="asylum",
            person_uuid=mother.uuid,
            office_id=node["almaty"].pk,
            began_on=TODAY,
            member_uuids=(son.uuid,),
        ),
    )

    def take(ctx: Any, transition: str, **extra: Any) -> Any:
        case.refresh_from_db()
        return case_services.case_transition(
            ctx=ctx, case_uuid=case.uuid, step=StepInput(transition, TODAY, case.version, **extra)
        )

    take(worker, "register_application")
    take(worker, "schedule_interview", details={"interview_at": "2026-12-02T10:00"})
    take(worker, "record_interview")
    take(worker, "complete_assessment")
    approval = take(worker, "reject", legal_basis="art. 12").approval
    case_services.approval_decide(ctx=boss, approval_id=approval.pk, approve=True, note="")
    take(worker, "lodge_appeal")
    take(worker, "recognise_on_appeal", legal_basis="Court ruling")

    national_figures_refresh(reference_date=TODAY, now=NOW)
    decisions = {
        (row.dec_level, row.dec_pc): (row.dec_recognized, row.dec_rejected, row.dec_total)
        for row in DecisionFigure.objects.filter(source=Source.NATIONAL, year=2026, coo="AFG")
    }
    assert decisions == {
        ("FI", "P"): (0, 2, 2),
        ("FI", "C"): (0, 1, 1),
        ("AR", "P"): (2, 0, 2),
        ("AR", "C"): (1, 0, 1),
    }
    applications = {
        (row.app_type, row.dec_level, row.app_pc): row.applied
        for row in ApplicationFigure.objects.filter(source=Source.NATIONAL, year=2026, coo="AFG")
    }
    assert applications == {
        ("N", "FI", "P"): 2,
        ("N", "FI", "C"): 1,
        ("A", "AR", "P"): 2,
        ("A", "AR", "C"): 1,
    }


def _row(days: list[int], threshold: int = 5) -> Any:
    from karvon.statistics.procedures import duration_from_counts

    return duration_from_counts("2026", Counter(days), threshold)


def test_durations_hide_small_groups_and_use_nearest_rank() -> None:
    assert _row([3, 9]) == _row([1, 2])
    hidden = _row([3, 9])
    assert (hidden.cases, hidden.median_days, hidden.p90_days, hidden.protected) == (2, None, None, True)
    shown = _row(list(range(1, 11)))
    assert (shown.median_days, shown.p90_days, shown.protected) == (5.5, 9.0, False)
    assert _row([]).protected is False


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=80))
def test_durations_from_counts_equal_those_of_the_listed_days(days: list[int]) -> None:
    ordered = sorted(days)
    row = _row(days, threshold=1)
    assert row.cases == len(days)
    assert row.median_days == float(statistics.median(days))
    assert row.p90_days == float(ordered[max(1, math.ceil(0.9 * len(days))) - 1])


def test_processing_times_follow_the_event_log(
    users: dict[str, Any], register: Callable[..., Any], ctx_for: Callable[..., Any], node: dict[str, Any]
) -> None:
    from karvon.statistics.procedures import processing_times

    worker, boss = ctx_for(users["caseworker"]), ctx_for(users["supervisor"])
    for index in range(3):
        person = register(users["officer"], names=(NameInput("family", f"Рахими{'и' * index}", "Cyrl"),))
        case = case_services.case_open(
            ctx=worker,
            data=CaseOpenInput(
                kind="asylum",
                person_uuid=person.uuid,
                office_id=node["almaty"].pk,
                began_on=date(2026, 11, 1),
                reason="paper file",
            ),
        )
        for transition, day in (("register_application", 3), ("schedule_interview", 5)):
            case.refresh_from_db()
            case_services.case_transition(
                ctx=worker,
                case_uuid=case.uuid,
                step=StepInput(
                    transition,
                    date(2026, 11, day),
                    case.version,
                    reason="paper file",
                    details={"interview_at": "2026-12-05T10:00"}
                    if transition == "schedule_interview"
                    else {},
                ),
            )
        for transition in ("record_interview", "complete_assessment", "recognise_refugee"):
            case.refresh_from_db()
            outcome = case_services.case_transition(
                ctx=worker,
                case_uuid=case.uuid,
                step=StepInput(
                    transition, date(2026, 11, 20 + index), case.version, reason="late", legal_basis="art. 12"
                ),
            )
        assert outcome.approval is not None
        case_services.approval_decide(ctx=boss, approval_id=outcome.approval.pk, approve=True, note="")
    # The pages read the counts the last refresh stored, never the event log.
    assert processing_times(year_from=2026, year_to=2026, threshold=3).stages == []
    national_figures_refresh(reference_date=TODAY, now=NOW)
    times = processing_times(year_from=2026, year_to=2026, threshold=3)
    assert [(r.label, r.cases, r.median_days, r.p90_days) for r in times.first_instance] == [
        ("2026", 3, 20.0, 21.0)
    ]
    stages = {r.label: (r.cases, r.median_days) for r in times.stages}
    assert stages["Application lodged"] == (3, 2.0)
    assert stages["Application registered"] == (3, 2.0)
