"""Who may do what where: the acting-user context and the office scope of a capability."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
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
    # The scope is resolved once per request: the user's active assignments are read once (one query, plus one
    # for the offices of agency-wide assignments), and each capability's office ids are cached here.
    _scopes: dict[Capability, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)
    # The user's active assignments as read for this context (one entry once read).
    _grants: list[tuple[_Grant, ...]] = field(default_factory=list, compare=False, repr=False)

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


@dataclass(frozen=True)
class _Grant:
    """One active role assignment, reduced to what scopes need: the role and the offices it covers."""

    role: Role
    office_ids: frozenset[int]


def _grants(ctx: AccessContext) -> tuple[_Grant, ...]:
    """The user's active assignments today, each with the offices it covers; read once per context."""
    if ctx._grants:
        return ctx._grants[0]
    # Plain SQL: this runs on every request, and the ORM's query building costs more than the query.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT role, office_id, agency_id FROM {RoleAssignment._meta.db_table}"  # noqa: S608
            " WHERE user_id = %s AND valid_from <= %s AND (valid_until IS NULL OR valid_until >= %s)",
            [ctx.user.pk, ctx.today, ctx.today],
        )
        rows: list[tuple[str, int | None, int]] = list(cursor.fetchall())
    agency_offices: dict[int, set[int]] = {
        agency_id: set() for _, office_id, agency_id in rows if office_id is None
    }
    if agency_offices:
        for office_id, agency_id in Office.objects.filter(agency_id__in=agency_offices).values_list(
            "id", "agency_id"
        ):
            agency_offices[agency_id].add(office_id)
    known = {role.value for role in Role}
    grants = tuple(
        _Grant(
            role=Role(role),
            office_ids=frozenset(agency_offices[agency_id] if office_id is None else {office_id}),
        )
        for role, office_id, agency_id in rows
        if role in known
    )
    ctx._grants.append(grants)
    return grants


def office_ids_in_scope(ctx: AccessContext, capability: Capability) -> frozenset[int]:
    """Ids of the offices where the user holds a role with this capability, today."""
    cached = ctx._scopes.get(capability)
    if cached is not None:
        return cached
    if not ctx.user.is_active:
        return frozenset()
    roles = roles_with(capability)
    scope = frozenset().union(*(grant.office_ids for grant in _grants(ctx) if grant.role in roles))
    ctx._scopes[capability] = scope
    return scope


def has_capability(ctx: AccessContext, capability: Capability) -> bool:
    """True when the user holds the capability anywhere (in at least one office)."""
    if capability in {Capability.AUDIT_VIEW, Capability.STATISTICS_VIEW, Capability.ORGANISATION_MANAGE}:
        # Node-wide capabilities: holding the role in any agency is enough.
        if not ctx.user.is_active:
            return False
        roles = roles_with(capability)
        return any(grant.role in roles for grant in _grants(ctx))
    return bool(office_ids_in_scope(ctx, capability))


def require_capability(ctx: AccessContext, capability: Capability) -> None:
    if not has_capability(ctx, capability):
        raise UnableToAccess(capability.value)


def require_office(ctx: AccessContext, capability: Capability, office_id: int) -> None:
    if office_id not in office_ids_in_scope(ctx, capability):
        raise UnableToAccess(capability.value)
