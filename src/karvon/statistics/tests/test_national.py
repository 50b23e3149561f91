"""National stocks follow the procedures at the reference date; presence and specific needs are counted too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from karvon.cases import services as case_services
from karvon.cases.contracts import CaseOpenInput, StepInput
from karvon.registry.contracts import ProfileInput
from karvon.registry.services import profile_record
from karvon.statistics.classification import population_type
from karvon.statistics.models import PopulationFigure, PresenceFigure, Source, SpecificNeedFigure
from karvon.statistics.services import national_figures_refresh

NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)
TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("profiles", "protection", "had_case", "expected"),
    [
        (("asylum_seeker",), "", False, "ASY"),  # intention stated, no application lodged yet
        (("asylum_seeker",), "", True, "MIG"),  # the application was closed: no longer an asylum-seeker
        (("asylum_seeker", "stateless"), "", True, "STA"),
        ((), "asylum_seeker", True, "ASY"),
        (("migrant_worker",), "refugee", True, "REF"),
        ((), "complementary_protection", True, "REF"),  # UNHCR counts complementary protection as refugees
        ((), "humanitarian_protection", True, "OIP"),
        ((), "statelessness_applicant", False, "STA"),
        (
            ("refugee_elsewhere",),
            "trafficking_victim",
            False,
            "REF",
        ),  # no population type: the profile decides
        ((), "unaccompanied_child", False, "MIG"),
    ],
)
def test_population_type_prefers_the_procedures(
    profiles: tuple[str, ...], protection: str, had_case: bool, expected: str
) -> None:
    assert population_type(profiles, protection=protection, had_asylum_case=had_case) == expected


def _stocks(reference_date: date) -> dict[str, tuple[int | None, ...]]:
    national_figures_refresh(reference_date=reference_date, now=NOW)
    return {
        row.coo: (row.refugees, row.asylum_seekers, row.oip, row.stateless, row.migrants)
        for row in PopulationFigure.objects.filter(source=Source.NATIONAL, year=reference_date.year)
    }


def test_stocks_follow_each_case_to_the_reference_date(
    users: dict[str, Any], register: Callable[..., Any], ctx_for: Callable[..., Any], node: dict[str, Any]
) -> None:
    applicant = register(users["officer"], nationalities=("AFG",))
    profile_record(
        ctx=ctx_for(users["officer"]),
        person_uuid=applicant.uuid,
        office_id=node["almaty"].pk,
        profile=ProfileInput(profile_types=("asylum_seeker",), fear_of_return=True),
    )
    leaver = register(users["officer"], nationalities=("IRN",))
    worker, boss = ctx_for(users["caseworker"]), ctx_for(users["supervisor"])
    case = case_services.case_open(
        ctx=worker,
        data=CaseOpenInput(
            kind="asylum",
            person_uuid=applicant.uuid,
            office_id=node["almaty"].pk,
            began_on=date(2026, 11, 20),
            reason="paper file",
        ),
    )
    steps = ("register_application", "schedule_interview", "record_interview", "complete_assessment")
    for day, transition in enumerate(steps, start=21):
        case.refresh_from_db()
        case_services.case_transition(
            ctx=worker,
            case_uuid=case.uuid,
            step=StepInput(
                transition,
                date(2026, 11, day),
                case.version,
                reason="paper file",
                details={"interview_at": "2026-12-05T10:00"} if transition == "schedule_interview" else {},
            ),
        )
    case.refresh_from_db()
    outcome = case_services.case_transition(
        ctx=worker,
        case_uuid=case.uuid,
        step=StepInput(
            "recognise_refugee", date(2026, 11, 26), case.version, reason="late", legal_basis="art. 12"
        ),
    )
    if outcome.approval is not None:
        case_services.approval_decide(ctx=boss, approval_id=outcome.approval.pk, approve=True, note="")
    other = case_services.case_open(
        ctx=worker,
        data=CaseOpenInput(
            kind="return", person_uuid=leaver.uuid, office_id=node["almaty"].pk, began_on=TODAY
        ),
    )
    case_services.case_transition(
        ctx=worker, case_uuid=other.uuid, step=StepInput("departure", TODAY, other.version)
    )

    # Before the decision the applicant is an asylum-seeker; the leaver is still here.
    assert _stocks(date(2026, 11, 25)) == {"AFG": (0, 1, 0, 0, 0), "IRN": (0, 0, 0, 0, 1)}
    # After it, a refugee; the leaver has left the stock.
    assert _stocks(TODAY) == {"AFG": (1, 0, 0, 0, 0)}


def test_presence_and_specific_needs_are_counted_at_the_reference_date(
    users: dict[str, Any], register: Callable[..., Any], ctx_for: Callable[..., Any], node: dict[str, Any]
) -> None:
    from karvon.presence.contracts import MovementInput
    from karvon.presence.services import movement_record

    officer = ctx_for(users["officer"])
    overstayer = register(users["officer"], nationalities=("TJK",))
    movement_record(
        ctx=officer,
        person_uuid=overstayer.uuid,
        movement=MovementInput(
            direction="entry",
            crossed_on=date(2026, 1, 10),
            office_id=node["almaty"].pk,
            crossing_point_name="Kordai",
            purpose="work",
        ),
    )
    child = register(users["officer"], nationalities=("AFG",), birth_date=date(2012, 4, 1))
    profile_record(
        ctx=officer,
        person_uuid=child.uuid,
        office_id=node["almaty"].pk,
        profile=ProfileInput(
            profile_types=("unaccompanied_child",), specific_needs=("SC-UC", "LP-RR", "SC-CH")
        ),
    )

    national_figures_refresh(reference_date=TODAY, now=NOW)

    presence = {row.coo: row for row in PresenceFigure.objects.filter(source=Source.NATIONAL, year=2026)}
    assert presence["TJK"].overstayers == 1 and presence["TJK"].present == 1
    assert presence["AFG"].present == 1 and presence["AFG"].overstayers == 0
    for row in presence.values():
        statuses = sum(getattr(row, m) for m in PresenceFigure.__dict__ if m in _status_measures())
        assert statuses == row.present
    needs = SpecificNeedFigure.objects.get(source=Source.NATIONAL, coo="AFG")
    # Two SC codes count once in SC: people per category, not codes.
    assert (needs.sc, needs.lp, needs.persons, needs.cr) == (1, 1, 1, 0)
    assert not SpecificNeedFigure.objects.filter(coo="TJK").exists()


def _status_measures() -> tuple[str, ...]:
    from karvon.statistics.models import PRESENCE_STATUS_MEASURES

    return PRESENCE_STATUS_MEASURES


def test_arrivals_entries_and_exits_are_counted_by_year_and_origin(
    users: dict[str, Any], register: Callable[..., Any], ctx_for: Callable[..., Any], node: dict[str, Any]
) -> None:
    from karvon.presence.contracts import MovementInput
    from karvon.presence.services import movement_record
    from karvon.statistics.models import MovementFigure

    officer = ctx_for(users["officer"])
    traveller = register(users["officer"], nationalities=("UZB", "TJK"))
    for direction, day in (
        ("entry", date(2026, 3, 1)),
        ("exit", date(2026, 5, 1)),
        ("entry", date(2026, 9, 1)),
    ):
        movement_record(
            ctx=officer,
            person_uuid=traveller.uuid,
            movement=MovementInput(
                direction=direction,
                crossed_on=day,
                office_id=node["almaty"].pk,
                crossing_point_name="Kordai",
                purpose="work" if direction == "entry" else "",
            ),
        )
    register(users["officer"], nationalities=("AFG",))

    national_figures_refresh(reference_date=TODAY, now=NOW)

    rows = {
        row.coo: (row.arrivals, row.entries, row.exits)
        for row in MovementFigure.objects.filter(source=Source.NATIONAL, year=2026)
    }
    assert rows == {"UZB": (1, 2, 1), "AFG": (1, 0, 0)}


def test_the_refresh_runs_with_queries_logged_as_in_debug_mode(
    users: dict[str, Any], register: Callable[..., Any]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    register(users["officer"], nationalities=("AFG",))
    # Debug logging formats each statement with its parameters: a stray "%" in the SQL would break it.
    with CaptureQueriesContext(connection) as queries:
        national_figures_refresh(reference_date=TODAY, now=NOW, from_year=2025)
    assert len(queries) > 5
