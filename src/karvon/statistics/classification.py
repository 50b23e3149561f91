"""How one person of the registry is counted: UNHCR population type, age band, youth bands (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

MIGRANTS = "MIG"
# A person is counted once, in the first type that applies: a stateless refugee is a refugee (UNHCR).
PROFILE_TO_POPULATION_TYPE = (
    ("refugee_elsewhere", "REF"),
    ("asylum_seeker", "ASY"),
    ("stateless", "STA"),
)
AGE_BANDS = ("0_4", "5_11", "12_17", "18_59", "60")
UNKNOWN_AGE = "other"


# What a procedure's protection status makes a person in UNHCR's population types. UNHCR counts people
# granted complementary protection among refugees; a humanitarian status (protection against return without a
# refugee or complementary status) is counted as OIP. Trafficking and child protection are no population type:
# such a person is counted by their profile.
PROTECTION_TO_POPULATION_TYPE = {
    "refugee": "REF",
    "complementary_protection": "REF",
    "humanitarian_protection": "OIP",
    "asylum_seeker": "ASY",
    "stateless": "STA",
    "statelessness_applicant": "STA",
}


def population_type(
    profile_types: Iterable[str], *, protection: str = "", had_asylum_case: bool = False
) -> str:
    """The procedures decide where they give a status at the date; else the latest profile. A person whose
    asylum application is closed (rejected, withdrawn…) is no longer an asylum-seeker, whatever the profile."""
    if protection in PROTECTION_TO_POPULATION_TYPE:
        return PROTECTION_TO_POPULATION_TYPE[protection]
    held = set(profile_types)
    if had_asylum_case:
        held.discard("asylum_seeker")
    for profile, population in PROFILE_TO_POPULATION_TYPE:
        if profile in held:
            return population
    return MIGRANTS


def age_on(birth_date: date | None, reference_date: date) -> int | None:
    if birth_date is None or birth_date > reference_date:
        return None
    had_birthday = (reference_date.month, reference_date.day) >= (birth_date.month, birth_date.day)
    return reference_date.year - birth_date.year - (0 if had_birthday else 1)


def age_band(age: int | None) -> str:
    """UNHCR's bands 0–4, 5–11, 12–17, 18–59, 60+, and "other" for an unknown age."""
    if age is None:
        return UNKNOWN_AGE
    if age <= 4:
        return "0_4"
    if age <= 11:
        return "5_11"
    if age <= 17:
        return "12_17"
    if age <= 59:
        return "18_59"
    return "60"


def youth_bands(age: int | None) -> tuple[bool, bool]:
    """(15–24, 15–34): the UN's youth and the wider youth band used by several states of the region."""
    if age is None:
        return False, False
    return 15 <= age <= 24, 15 <= age <= 34
