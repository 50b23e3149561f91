"""The pure rules: from movements, stays and permits to the summary, and the status on a given day."""

from __future__ import annotations

from datetime import date

from karvon.cases.rules import state_rules
from karvon.presence.lawful_stay import (
    OPEN_ENDED,
    MovementFact,
    PermitFact,
    PresenceFacts,
    StayFact,
    is_overstaying,
    is_registration_missed,
    presence_state,
    status_on,
)

RULES = state_rules("KAZ").stay


def facts(movements=(), stays=(), permits=(), nationalities=("TJK",), protection="") -> PresenceFacts:
    return PresenceFacts(
        movements=list(movements),
        stays=list(stays),
        permits=list(permits),
        nationalities=list(nationalities),
        protection=protection,
        office_id=1,
    )


def entry(on: date, id: int = 1, state: str = "", authorised_until: date | None = None) -> MovementFact:
    return MovementFact(id, "entry", on, state, authorised_until)


def test_a_person_without_movements_is_present_with_no_entry_recorded():
    state = presence_state(facts(), RULES)
    assert state.present and state.lawful_until is None and state.registration_due_on is None
    assert status_on(state, date(2026, 11, 28)) == "no_entry_recorded"
    assert not is_overstaying(state, date(2026, 11, 28))


def test_an_entry_gives_the_visa_free_period_and_the_registration_deadline_of_the_nationality():
    state = presence_state(facts([entry(date(2026, 11, 1))]), RULES)
    # Tajik citizens: 90 days visa-free (the entry day is the first), 3 days to register.
    assert state.entry_until == date(2027, 1, 29)
    assert state.registration_due_on == date(2026, 11, 4)
    assert status_on(state, date(2026, 11, 28)) == "visa_free"
    assert is_registration_missed(state, date(2026, 11, 5))
    assert not is_registration_missed(state, date(2026, 11, 4))


def test_the_passport_shown_decides_over_other_nationalities():
    state = presence_state(facts([entry(date(2026, 11, 1), state="AFG")], nationalities=("TJK",)), RULES)
    assert state.entry_until == date(2026, 11, 30)  # 30 days for an Afghan passport


def test_without_a_document_the_most_favourable_nationality_counts():
    state = presence_state(facts([entry(date(2026, 11, 1))], nationalities=("AFG", "KGZ")), RULES)
    assert state.entry_until == date(2027, 1, 29)
    assert state.registration_due_on == date(2026, 12, 1)  # Kyrgyz citizens: 30 days


def test_a_visa_longer_than_the_visa_free_period_is_the_basis():
    state = presence_state(facts([entry(date(2026, 11, 1), authorised_until=date(2027, 6, 1))]), RULES)
    assert (state.entry_until, state.entry_basis) == (date(2027, 6, 1), "authorised")


def test_a_stay_registration_clears_the_deadline_and_can_extend_the_stay():
    state = presence_state(facts([entry(date(2026, 11, 1))], stays=[StayFact(1, date(2027, 3, 1))]), RULES)
    assert state.registration_due_on is None
    assert state.lawful_until == date(2027, 3, 1)
    assert status_on(state, date(2027, 2, 10)) == "registered_stay"


def test_a_stay_registered_after_an_earlier_entry_does_not_count():
    movements = [
        entry(date(2026, 1, 1), id=1),
        MovementFact(2, "exit", date(2026, 2, 1), "", None),
        entry(date(2026, 11, 1), id=3),
    ]
    state = presence_state(facts(movements, stays=[StayFact(1, date(2027, 1, 1))]), RULES)
    assert state.registered_until is None and state.registration_due_on == date(2026, 11, 4)


def test_after_an_exit_nobody_is_present_or_overdue():
    movements = [entry(date(2026, 1, 1)), MovementFact(2, "exit", date(2026, 2, 1), "", None)]
    state = presence_state(facts(movements), RULES)
    assert not state.present and state.registration_due_on is None
    assert not is_overstaying(state, date(2026, 11, 28))


def test_permits_the_latest_counts_revoked_ones_end_the_day_before_and_open_ended_ones_never():
    permits = [
        PermitFact("work_permit", date(2027, 1, 31), None),
        PermitFact("temporary_residence", date(2028, 1, 31), date(2026, 11, 10)),
    ]
    state = presence_state(facts([entry(date(2026, 1, 1))], permits=permits), RULES)
    assert (state.permit_type, state.permit_until) == ("work_permit", date(2027, 1, 31))
    assert state.registration_due_on is None  # a valid permit on entry: no stay registration due
    assert status_on(state, date(2026, 12, 1)) == "permit:work_permit"
    assert status_on(state, date(2027, 2, 1)) == "overstayer"
    open_ended = presence_state(facts(permits=[PermitFact("permanent_residence", None, None)]), RULES)
    assert open_ended.lawful_until == OPEN_ENDED


def test_protection_outranks_everything_and_never_overstays():
    state = presence_state(facts([entry(date(2020, 1, 1))], protection="refugee"), RULES)
    assert status_on(state, date(2026, 11, 28)) == "refugee"
    assert not is_overstaying(state, date(2026, 11, 28))
    assert not is_registration_missed(state, date(2026, 11, 28))
