"""Who may do what where: the acting-user context and the office scope of a capability."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from karvon.accounts.models import Office, RoleAssignment, User
from karvon.accounts.roles import Capability, Role, roles_with


@dataclass(frozen=True)
class AccessContext:
    """The acting user, where the request came from, and the time: passed into every domain call."""

    user: User
    now: datetime
    ip_address: str | None = None
    # The scope is resolved once per request; each capability's office ids are cached here.
    _scopes: dict[Capability, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def today(self) -> date:
        # The node's own calendar day (TIME_ZONE), not UTC's: Almaty is five hours ahead.
        return timezone.localtime(self.now).date()


class UnableToAccess(Exception):
    """The user may not do this here. Interfaces answer 404 for records, never naming why."""


def active_assignments(user: User, *, today: date) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today), user=user, valid_from__lte=today
    ).select_related("agency", "office")


def user_roles(user: User, *, today: date) -> frozenset[Role]:
    if not user.is_active:
        return frozenset()
    return frozenset(Role(r) for r in active_assignments(user, today=today).values_list("role", flat=True))


def office_ids_in_scope(ctx: AccessContext, capability: Capability) -> frozenset[int]:
    """Ids of the offices where the user holds a role with this capability, today."""
    cached = ctx._scopes.get(capability)
    if cached is not None:
        return cached
    if not ctx.user.is_active:
        return frozenset()
    assignments = active_assignments(ctx.user, today=ctx.today).filter(
        role__in=[role.value for role in roles_with(capability)]
    )
    office_ids: set[int] = set()
    agency_ids: set[int] = set()
    for assignment in assignments:
        if assignment.office_id is not None:
            office_ids.add(assignment.office_id)
        else:
            agency_ids.add(assignment.agency_id)
    if agency_ids:
        office_ids.update(Office.objects.filter(agency_id__in=agency_ids).values_list("id", flat=True))
    scope = frozenset(office_ids)
    ctx._scopes[capability] = scope
    return scope


def has_capability(ctx: AccessContext, capability: Capability) -> bool:
    """True when the user holds the capability anywhere (in at least one office)."""
    if capability in {Capability.AUDIT_VIEW, Capability.STATISTICS_VIEW, Capability.ORGANISATION_MANAGE}:
        # Node-wide capabilities: holding the role in any agency is enough.
        roles = roles_with(capability)
        return any(role in roles for role in user_roles(ctx.user, today=ctx.today))
    return bool(office_ids_in_scope(ctx, capability))


def require_capability(ctx: AccessContext, capability: Capability) -> None:
    if not has_capability(ctx, capability):
        raise UnableToAccess(capability.value)


def require_office(ctx: AccessContext, capability: Capability, office_id: int) -> None:
    if office_id not in office_ids_in_scope(ctx, capability):
        raise UnableToAccess(capability.value)
