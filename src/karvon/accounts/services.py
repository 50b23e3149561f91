"""Writes of accounts: users, role assignments and API tokens, each audited."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

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


_COLUMNS: dict[tuple[type[Model], str, str], tuple[str, list[Any]]] = {}


def _columns(model: type[Model], prefix: str, db: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
    """A model's concrete columns for a plain SELECT, and for each the converters the ORM would apply to it."""
    known = _COLUMNS.get((model, prefix, db.alias))
    if known is not None:
        return known
    fields = model._meta.concrete_fields
    table = model._meta.db_table
    columns = ", ".join(f"{prefix}.{db.ops.quote_name(str(f.column))}" for f in fields)
    converters = []
    for f in fields:
        col = f.get_col(table)
        converters.append((col, [*db.ops.get_db_converters(col), *f.get_db_converters(db)]))
    known = _COLUMNS[(model, prefix, db.alias)] = (columns, converters)
    return known


def _attnames(model: type[Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _converted(values: Sequence[Any], converters: list[Any], db: BaseDatabaseWrapper) -> list[Any]:
    converted = []
    for value, (col, functions) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, col, db)
        converted.append(value)
    return converted


def api_token_authenticate(*, secret: str, now: datetime) -> User | None:
    """The active user of a valid token, or None: the token must exist, not be revoked or expired, and its user be
    active. Checked against the database on every request (nothing is cached between requests), so a revoked
    token or a deactivated user is refused from the next request on."""
    db = connections[ApiToken.objects.db]
    # One plain query for the token and its user: this runs on every API request, and building the ORM query with
    # select_related and two model instances cost more (about 1.7 ms) than the query itself.
    token_columns, token_converters = _columns(ApiToken, "t", db)
    user_columns, user_converters = _columns(User, "u", db)
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT {token_columns}, {user_columns} FROM {ApiToken._meta.db_table} t"  # noqa: S608
            f" JOIN {User._meta.db_table} u ON u.id = t.user_id"
            " WHERE t.key_hash = %s AND t.revoked_at IS NULL",
            [token_hash(secret)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(token_converters)
    token = ApiToken.from_db(db.alias, _attnames(ApiToken), _converted(row[:split], token_converters, db))
    user = User.from_db(db.alias, _attnames(User), _converted(row[split:], user_converters, db))
    if not user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    # Touch at most once a minute: a write per request would serialise API clients on SQLite.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


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
