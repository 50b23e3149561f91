"""Profiling and referral per UNHCR's 10-Point Plan: which procedure a profile suggests (pure rules)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from karvon.registry.contracts import ProfileInput, SuggestedReferral

CHILD_NEED_PREFIXES = ("SC-", "CR-")


def age_on(birth_date: date | None, on: date) -> int | None:
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def referrals_suggested(
    profile: ProfileInput, *, birth_date: date | None, today: date
) -> list[SuggestedReferral]:
    """Each suggestion names the facts that triggered it; the officer decides."""
    types = set(profile.profile_types)
    needs = set(profile.specific_needs)
    age = age_on(birth_date, today)
    suggestions: dict[str, str] = {}
    if types & {"unaccompanied_child", "separated_child"} or needs & {"SC-UC", "SC-SC", "SC-CH", "SC-UM"}:
        suggestions["child_protection"] = _("Unaccompanied or separated child")
    elif age is not None and age < 18 and any(n.startswith(CHILD_NEED_PREFIXES) for n in needs):
        suggestions["child_protection"] = _("Child with specific needs")
    # LP-RR / LP-TR: at risk of refoulement, which is a protection claim whatever else the person said.
    if profile.fear_of_return or "asylum_seeker" in types or needs & {"LP-RR", "LP-TR"}:
        suggestions["asylum"] = (
            _("States a fear of return") if profile.fear_of_return else _("Asks for asylum")
        )
    if "trafficking_victim" in types:
        suggestions["counter_trafficking"] = _("Victim or presumed victim of trafficking")
    if "stateless" in types:
        suggestions["statelessness"] = _("Possibly stateless")
    if types & {"migrant_worker", "irregular_migrant"} and "asylum" not in suggestions:
        suggestions["migration"] = _("Migrant: stay registration and permits")
    if "returnee" in types and not profile.fear_of_return:
        suggestions["return"] = _("Wishes to return")
    return [SuggestedReferral(procedure=p, reason=r) for p, r in suggestions.items()]
