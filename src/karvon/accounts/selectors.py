"""Reads about the acting user: their roles and offices today."""

from __future__ import annotations

from dataclasses import dataclass

from karvon.accounts.access import AccessContext, active_assignments
from karvon.accounts.models import RoleAssignment


@dataclass(frozen=True)
class UserOverview:
    assignments: list[RoleAssignment]


def user_overview(*, ctx: AccessContext) -> UserOverview:
    return UserOverview(assignments=list(active_assignments(ctx.user, today=ctx.today).order_by("role")))
