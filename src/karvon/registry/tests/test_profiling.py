"""Profiling suggests the procedure each profile needs (UNHCR 10-Point Plan)."""

from __future__ import annotations

from datetime import date

from karvon.registry.contracts import ProfileInput
from karvon.registry.profiling import age_on, referrals_suggested

TODAY = date(2026, 11, 28)


def procedures(profile: ProfileInput, birth: date | None = None) -> set[str]:
    return {s.procedure for s in referrals_suggested(profile, birth_date=birth, today=TODAY)}


def test_an_unaccompanied_child_goes_to_child_protection():
    assert procedures(ProfileInput(("unaccompanied_child",), ("SC-UC",)), date(2011, 5, 1)) == {
        "child_protection"
    }


def test_a_fear_of_return_goes_to_the_asylum_procedure_even_for_a_migrant_worker():
    assert procedures(ProfileInput(("migrant_worker",), fear_of_return=True)) == {"asylum"}


def test_a_presumed_trafficking_victim_goes_to_counter_trafficking():
    assert "counter_trafficking" in procedures(ProfileInput(("trafficking_victim",)))


def test_risk_of_refoulement_is_a_protection_claim():
    assert "asylum" in procedures(ProfileInput(("irregular_migrant",), ("LP-RR",)))


def test_a_migrant_worker_without_fear_goes_to_stay_registration():
    assert procedures(ProfileInput(("migrant_worker",))) == {"migration"}


def test_a_child_with_a_child_at_risk_need_goes_to_child_protection():
    assert "child_protection" in procedures(ProfileInput(("other",), ("CR-CP",)), date(2015, 1, 1))


def test_age_counts_birthdays():
    assert age_on(date(2008, 11, 29), TODAY) == 17
    assert age_on(date(2008, 11, 28), TODAY) == 18
    assert age_on(None, TODAY) is None
