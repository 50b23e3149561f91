"""Each state's legal rules for procedures and presence, read from a JSON file per state (never hard-coded)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from karvon.cases.workflow import WORKFLOWS, CaseKind

RULES_DIR = Path(__file__).parent / "rules"


class AppealLevel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # UNHCR's dec_level code of decisions at this level: AR administrative review, JR judicial review, …
    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str


class StayRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Days after entry within which the place of stay must be registered.
    registration_days: int = Field(ge=0, le=365)
    # Nationalities (ISO alpha-3) with another deadline, e.g. under a regional agreement.
    registration_days_by_nationality: dict[str, int] = Field(default_factory=dict)
    # Nationalities that need not register their stay at all.
    registration_exempt_nationalities: tuple[str, ...] = ()
    # Days a person may stay without a permit, counted from the entry day.
    visa_free_days: int = Field(ge=0, le=365)
    visa_free_days_by_nationality: dict[str, int] = Field(default_factory=dict)

    def registration_due(self, entry_date: date, nationality: str) -> date | None:
        if nationality in self.registration_exempt_nationalities:
            return None
        days = self.registration_days_by_nationality.get(nationality, self.registration_days)
        return entry_date + timedelta(days=days)

    def visa_free_until(self, entry_date: date, nationality: str) -> date:
        days = self.visa_free_days_by_nationality.get(nationality, self.visa_free_days)
        # The entry day counts as the first day of stay.
        return entry_date + timedelta(days=max(days - 1, 0))


class StateRules(BaseModel):
    """One state's time limits, appeal levels and approvals; a file in rules/ named by the ISO alpha-3 code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    state: str = Field(pattern=r"^[A-Z]{3}$")
    time_zone: str
    # Where the figures come from, and what is still to be confirmed by the state's legal service.
    sources: str
    appeal_levels: tuple[AppealLevel, ...]
    # Days after a negative decision within which an appeal may be lodged.
    appeal_time_limit_days: int = Field(ge=1, le=365)
    # Days without contact after which a pending case is listed as "may be closed as abandoned".
    abandonment_after_days: int = Field(ge=1, le=3650)
    # Asylum: days from lodging within which the first-instance decision is due.
    asylum_decision_days: int = Field(ge=1, le=3650)
    # Per kind of case, per state: days from entering the state within which the next step is due.
    deadlines: dict[CaseKind, dict[str, int]]
    # Per kind of case: the steps that wait for a supervisor's approval.
    approval_required: dict[CaseKind, tuple[str, ...]]
    reflection_period_days: int = Field(ge=1, le=365)
    certificate_validity_days: dict[str, int]
    stay: StayRules

    def model_post_init(self, context: object, /) -> None:
        for kind, per_state in self.deadlines.items():
            unknown = set(per_state) - set(WORKFLOWS[kind].states)
            if unknown:
                raise ValueError(f"deadlines.{kind}: unknown states {sorted(unknown)}")
        for kind, steps in self.approval_required.items():
            unknown = set(steps) - set(WORKFLOWS[kind].transitions)
            if unknown:
                raise ValueError(f"approval_required.{kind}: unknown steps {sorted(unknown)}")

    def needs_approval(self, kind: CaseKind, transition: str) -> bool:
        return transition in self.approval_required.get(kind, ())

    def appeal_level_codes(self) -> tuple[str, ...]:
        return tuple(level.code for level in self.appeal_levels)

    def due_date(self, kind: CaseKind, state: str, *, entered_on: date, began_on: date) -> date | None:
        """When the next step is due for a case that entered `state` on `entered_on`."""
        candidates: list[date] = []
        days = self.deadlines.get(kind, {}).get(state)
        if days is not None:
            candidates.append(entered_on + timedelta(days=days))
        if kind == CaseKind.ASYLUM and state in {
            "lodged",
            "registered",
            "interview_scheduled",
            "interviewed",
            "assessed",
        }:
            candidates.append(began_on + timedelta(days=self.asylum_decision_days))
        if kind == CaseKind.ASYLUM and state in {"rejected", "excluded", "appeal_rejected"}:
            # The appeal window: after it the rejection can be made final.
            candidates.append(entered_on + timedelta(days=self.appeal_time_limit_days))
        if kind == CaseKind.TRAFFICKING and state == "reflection_period":
            candidates.append(entered_on + timedelta(days=self.reflection_period_days))
        return min(candidates) if candidates else None


@cache
def state_rules(state: str) -> StateRules:
    """The rules of a state; ValueError names the file when it is missing or does not validate."""
    path = RULES_DIR / f"{state.upper()}.json"
    if not path.exists():
        raise ValueError(f"No rules for state {state!r}: expected {path}")
    return StateRules.model_validate(json.loads(path.read_text(encoding="utf-8")))


def available_states() -> list[str]:
    return sorted(p.stem for p in RULES_DIR.glob("*.json"))
