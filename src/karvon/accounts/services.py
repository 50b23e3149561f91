"""Writes of accounts: users, role assignments and API tokens, each audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction

from karvon.accounts.models import Agency, ApiToken, Office, RoleAssignment, User
from karvon.accounts.roles import Role
from karvon.audit.services import audit_record

TOKEN_PREFIX = "kv_"  # noqa: S105 — a visible prefix that marks Karvon tokens, not a secret


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once; only its hash is kept


class UnableToAssignRole(Exception):
    pass


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_issue(*, user: User, name: str, now: datetime, valid_days: int | None) -> IssuedToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[:10],
            key_hash=token_hash(secret),
            expires_at=now + timedelta(days=valid_days) if valid_days else None,
        )
        audit_record(
            actor=user,
            action="token.issue",
            object_type="api_token",
            object_id=str(token.pk),
            occurred_at=now,
            changes={"name": name},
        )
    return IssuedToken(token=token, secret=secret)


def api_token_authenticate(*, secret: str, now: datetime) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    # Touch at most once a minute: a write per request would serialise API clients on SQLite.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def role_assign(
    *,
    user: User,
    role: Role,
    agency: Agency,
    office: Office | None,
    valid_from: date,
    valid_until: date | None,
    granted_by: User | None,
    now: datetime,
) -> RoleAssignment:
    if office is not None and office.agency_id != agency.pk:
        raise UnableToAssignRole("The office does not belong to the agency.")
    if valid_until is not None and valid_until < valid_from:
        raise UnableToAssignRole("The assignment ends before it starts.")
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role.value,
            agency=agency,
            office=office,
            valid_from=valid_from,
            valid_until=valid_until,
            granted_by=granted_by,
        )
        audit_record(
            actor=granted_by,
            action="role.assign",
            object_type="role_assignment",
            object_id=str(assignment.pk),
            occurred_at=now,
            changes={
                "user": user.username,
                "role": role.value,
                "agency": agency.code,
                "office": office.code if office else None,
                "valid_until": valid_until.isoformat() if valid_until else None,
            },
        )
    return assignment
