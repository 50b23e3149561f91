"""Pure rules of presence: from a person's movements, stays and permits to their summary and status (no ORM)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from karvon.cases.rules import StayRules

# A permit without an end date is valid "for ever": a date every comparison with today treats as later.
OPEN_ENDED = date(9999, 12, 31)
# "Since ever": where a status that has no start date begins in the tallies.
SINCE_EVER = date(1, 1, 1)
UNKNOWN_NATIONALITY = "XXX"

# Statuses of people present who hold no protection status (those come from karvon.cases.workflow).
PERMIT_PREFIX = "permit:"
REGISTERED_STAY = "registered_stay"
VISA_FREE = "visa_free"
AUTHORISED = "authorised"
OVERSTAYER = "overstayer"
NO_ENTRY_RECORDED = "no_entry_recorded"


@dataclass(frozen=True)
class MovementFact:
    id: int
    direction: str  # "entry" or "exit"
    crossed_on: date
    document_state: str
    authorised_until: date | None


@dataclass(frozen=True)
class StayFact:
    entry_id: int
    registered_until: date


@dataclass(frozen=True)
class PermitFact:
    permit_type: str
    valid_until: date | None
    revoked_on: date | None


@dataclass(frozen=True)
class PresenceFacts:
    """What the summary of one person is computed from; movements in the order they happened."""

    movements: Sequence[MovementFact]
    stays: Sequence[StayFact]
    permits: Sequence[PermitFact]
    nationalities: Sequence[str]
    protection: str
    office_id: int | None


@dataclass(frozen=True)
class PresenceState:
    office_id: int | None
    present: bool
    entered_on: date | None
    protection: str
    permit_type: str
    permit_until: date | None
    registered_until: date | None
    entry_until: date | None
    entry_basis: str
    lawful_until: date | None
    registration_due_on: date | None


STATE_FIELDS = (
    "office_id",
    "present",
    "entered_on",
    "protection",
    "permit_type",
    "permit_until",
    "registered_until",
    "entry_until",
    "entry_basis",
    "lawful_until",
    "registration_due_on",
)


def state_of(summary: object) -> PresenceState:
    """The state a stored summary row holds (any object with the state's attributes)."""
    return PresenceState(**{name: getattr(summary, name) for name in STATE_FIELDS})


def permit_ends_on(permit: PermitFact) -> date:
    """The last day a permit counts: its end, or the day before it was revoked if that came first."""
    end = permit.valid_until or OPEN_ENDED
    if permit.revoked_on is not None:
        end = min(end, permit.revoked_on - timedelta(days=1))
    return end


def _nationalities_for(entry: MovementFact, nationalities: Sequence[str]) -> tuple[str, ...]:
    # The passport shown at the border decides the rules; without one, the most favourable nationality does.
    if entry.document_state:
        return (entry.document_state,)
    return tuple(nationalities) or (UNKNOWN_NATIONALITY,)


def presence_state(facts: PresenceFacts, rules: StayRules) -> PresenceState:
    last = facts.movements[-1] if facts.movements else None
    present = last is None or last.direction == "entry"
    entry = last if last is not None and last.direction == "entry" else None

    permit_type, permit_until = "", None
    for permit in facts.permits:
        permit_end = permit_ends_on(permit)
        if permit_until is None or permit_end > permit_until:
            permit_type, permit_until = permit.permit_type, permit_end

    registered_until: date | None = None
    entry_until: date | None = None
    entry_basis = ""
    registration_due_on: date | None = None
    if entry is not None:
        stays = [s.registered_until for s in facts.stays if s.entry_id == entry.id]
        registered_until = max(stays) if stays else None
        candidates = _nationalities_for(entry, facts.nationalities)
        entry_until = max(rules.visa_free_until(entry.crossed_on, code) for code in candidates)
        entry_basis = VISA_FREE
        if entry.authorised_until is not None and entry.authorised_until > entry_until:
            entry_until, entry_basis = entry.authorised_until, AUTHORISED
        dues = [rules.registration_due(entry.crossed_on, code) for code in candidates]
        # A permit valid on the day of entry carries a registered residence: no stay registration is due.
        holds_permit = permit_until is not None and permit_until >= entry.crossed_on
        if not stays and not holds_permit and all(due is not None for due in dues):
            registration_due_on = max(due for due in dues if due is not None)

    ends = [d for d in (permit_until, registered_until, entry_until) if d is not None]
    return PresenceState(
        office_id=facts.office_id,
        present=present,
        entered_on=entry.crossed_on if entry is not None else None,
        protection=facts.protection,
        permit_type=permit_type,
        permit_until=permit_until,
        registered_until=registered_until,
        entry_until=entry_until,
        entry_basis=entry_basis,
        lawful_until=max(ends) if ends else None,
        registration_due_on=registration_due_on if present else None,
    )


def status_on(state: PresenceState, today: date) -> str:
    """Under which status a present person is here today; the same rule as the counts' SQL expression."""
    if state.protection:
        return state.protection
    if state.permit_until is not None and state.permit_until >= today:
        return PERMIT_PREFIX + state.permit_type
    if state.registered_until is not None and state.registered_until >= today:
        return REGISTERED_STAY
    if state.entry_until is not None and state.entry_until >= today:
        return state.entry_basis
    if state.lawful_until is None:
        return NO_ENTRY_RECORDED
    return OVERSTAYER


def is_overstaying(state: PresenceState, today: date) -> bool:
    return (
        state.present
        and not state.protection
        and state.lawful_until is not None
        and state.lawful_until < today
    )


def is_registration_missed(state: PresenceState, today: date) -> bool:
    return (
        state.present
        and not state.protection
        and state.registration_due_on is not None
        and state.registration_due_on < today
    )


TallyKey = tuple[int, str, str, date]  # (office id, kind, status, date)


def _status_periods(state: PresenceState) -> list[tuple[str, date, date | None]]:
    """(status, first day, last day or None for open-ended) in time order; the same rule as `status_on`."""
    if state.protection:
        return [(state.protection, SINCE_EVER, None)]
    if state.lawful_until is None:
        return [(NO_ENTRY_RECORDED, SINCE_EVER, None)]
    periods: list[tuple[str, date, date | None]] = []
    start = SINCE_EVER
    for status, until in (
        (PERMIT_PREFIX + state.permit_type, state.permit_until),
        (REGISTERED_STAY, state.registered_until),
        (state.entry_basis, state.entry_until),
    ):
        if until is not None and until >= start:
            if until == OPEN_ENDED:
                return [*periods, (status, start, None)]
            periods.append((status, start, until))
            start = until + timedelta(days=1)
    periods.append((OVERSTAYER, start, None))
    return periods


def tally_entries(state: PresenceState | None) -> list[tuple[TallyKey, int]]:
    """What one person adds to the tallies of their office (nothing when not present or without an office)."""
    if state is None or not state.present or state.office_id is None:
        return []
    office = state.office_id
    entries: list[tuple[TallyKey, int]] = []
    for status, first, last in _status_periods(state):
        entries.append(((office, "status", status, first), 1))
        if last is not None:
            entries.append(((office, "status", status, last + timedelta(days=1)), -1))
    if not state.protection:
        if state.registration_due_on is not None:
            entries.append(((office, "due", "", state.registration_due_on), 1))
        if state.lawful_until is not None:
            entries.append(((office, "lawful", "", state.lawful_until), 1))
    return entries
