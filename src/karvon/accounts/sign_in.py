"""Sign-in attempts: each audited, and refused for a while after too many failures by one name or one address."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import authenticate
from django.db import transaction

from karvon.accounts.models import User
from karvon.audit.selectors import audit_recent_count
from karvon.audit.services import audit_record


class SignInRefused(Exception):
    """Too many failures with this name or from this address lately: the password was not checked."""


class SignInFailed(Exception):
    """Wrong name or password, or an inactive account (not told apart, as Django's own form does not)."""


SIGN_IN_FAILED = "user.sign_in_failed"
SIGN_IN = "user.sign_in"
# Guessing passwords: 5 wrong ones for one name, or 20 from one address (an office behind one address has many
# officers), within 15 minutes; then that name or address waits until its oldest failure in the window is 15
# minutes old. A refused attempt is not checked and not counted, so a locked name unlocks on time.
SIGN_IN_WINDOW = timedelta(minutes=15)
FAILURES_PER_NAME = 5
FAILURES_PER_ADDRESS = 20


def _name_of_attempt(username: str) -> str:
    # Lowercased: the failures of "Erlan" and "erlan" count together, and an exact comparison uses the partial
    # index on (actor_username, occurred_at) where a case-insensitive one could not.
    return username.strip().lower()[:150]


def sign_in_refused(*, username: str, ip_address: str | None, now: datetime) -> bool:
    """Whether an attempt now, with this name from this address, is refused without checking the password."""
    since = now - SIGN_IN_WINDOW
    name = _name_of_attempt(username)
    if (
        name
        and audit_recent_count(action=SIGN_IN_FAILED, since=since, actor_username=name) >= FAILURES_PER_NAME
    ):
        return True
    return (
        bool(ip_address)
        and audit_recent_count(action=SIGN_IN_FAILED, since=since, ip_address=ip_address)
        >= FAILURES_PER_ADDRESS
    )


def _attempt_record(*, user: User | None, username: str, ip_address: str | None, now: datetime) -> None:
    """A sign-in (`user`), or a wrong name or password (`user` None: the name typed, lowercased, is the event's
    "who"); the address is kept, never the password."""
    with transaction.atomic():
        audit_record(
            actor=user,
            claimed_username=_name_of_attempt(username),
            action=SIGN_IN if user else SIGN_IN_FAILED,
            object_type="user",
            object_id=str(user.pk) if user else "",
            occurred_at=now,
            ip_address=ip_address,
        )


def sign_in(*, username: str, password: str, ip_address: str | None, now: datetime) -> User:
    """The user whose name and password these are; every attempt is audited, and refused after too many failures.

    Raises SignInRefused (throttled: not checked, not counted) or SignInFailed (counted)."""
    if sign_in_refused(username=username, ip_address=ip_address, now=now):
        raise SignInRefused
    user = authenticate(None, username=username, password=password)
    if not isinstance(user, User) or not user.is_active:
        _attempt_record(user=None, username=username, ip_address=ip_address, now=now)
        raise SignInFailed
    _attempt_record(user=user, username=username, ip_address=ip_address, now=now)
    return user
