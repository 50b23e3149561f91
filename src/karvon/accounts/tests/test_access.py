"""Role assignments scope what a user may do: by office or whole agency, and only until they expire."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from karvon.accounts.access import has_capability, office_ids_in_scope, user_roles
from karvon.accounts.roles import ROLE_CAPABILITIES, Capability, Role

pytestmark = pytest.mark.django_db


def test_an_office_assignment_covers_only_that_office(users, node, ctx_for):
    scope = office_ids_in_scope(ctx_for(users["officer"]), Capability.PERSON_VIEW)
    assert scope == {node["almaty"].pk}


def test_an_agency_assignment_covers_every_office_of_the_agency(users, node, ctx_for):
    scope = office_ids_in_scope(ctx_for(users["supervisor"]), Capability.PERSON_VIEW)
    assert scope == {node["almaty"].pk, node["shymkent"].pk}
    assert node["bcp"].pk not in scope


def test_an_expired_assignment_gives_nothing(make_user, ctx_for, now):
    user = make_user("old", "registration_officer", valid_until=now.date() - timedelta(days=1))
    assert office_ids_in_scope(ctx_for(user), Capability.PERSON_VIEW) == frozenset()
    assert user_roles(user, today=now.date()) == frozenset()


def test_an_assignment_not_yet_started_gives_nothing(make_user, ctx_for):
    user = make_user("future", "registration_officer")
    assert not office_ids_in_scope(
        ctx_for(user, now=ctx_for(user).now.replace(year=2025)), Capability.PERSON_VIEW
    )


def test_a_deactivated_user_has_no_scope(users, ctx_for):
    user = users["officer"]
    user.is_active = False
    user.save()
    assert not has_capability(ctx_for(user), Capability.PERSON_VIEW)


@pytest.mark.parametrize("role", [Role.STATISTICIAN, Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR])
def test_roles_that_never_see_a_person(role):
    assert Capability.PERSON_VIEW not in ROLE_CAPABILITIES[role]


def test_the_statistician_sees_statistics_but_no_person(users, ctx_for):
    ctx = ctx_for(users["statistician"])
    assert has_capability(ctx, Capability.STATISTICS_VIEW)
    assert not has_capability(ctx, Capability.PERSON_VIEW)


def test_role_assignment_refuses_an_office_of_another_agency(users, node, now):
    from karvon.accounts.services import UnableToAssignRole, role_assign

    with pytest.raises(UnableToAssignRole):
        role_assign(
            user=users["officer"],
            role=Role.CASEWORKER,
            agency=node["migration"],
            office=node["bcp"],
            valid_from=date(2026, 1, 1),
            valid_until=None,
            granted_by=None,
            now=now,
        )
