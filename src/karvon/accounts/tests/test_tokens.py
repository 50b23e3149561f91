"""API tokens: a token authenticates its active user until it expires or is revoked, checked on every request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from karvon.accounts.models import ApiToken, User
from karvon.accounts.services import api_token_authenticate, api_token_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(users: Any, now: Any) -> Any:
    return api_token_issue(user=users["officer"], name="t", now=now, valid_days=30)


def test_a_valid_token_gives_its_user_as_the_database_holds_it(issued: Any, users: Any, now: Any) -> None:
    user = api_token_authenticate(secret=issued.secret, now=now)
    stored = User.objects.get(pk=users["officer"].pk)
    assert isinstance(user, User)
    fields = [f.attname for f in User._meta.concrete_fields]
    assert {f: getattr(user, f) for f in fields} == {f: getattr(stored, f) for f in fields}
    assert user._state.adding is False and user._state.db == "default"


def test_it_records_the_last_use_at_most_once_a_minute(issued: Any, now: Any) -> None:
    api_token_authenticate(secret=issued.secret, now=now)
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == now
    api_token_authenticate(secret=issued.secret, now=now + timedelta(seconds=30))
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == now
    api_token_authenticate(secret=issued.secret, now=now + timedelta(minutes=2))
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == now + timedelta(minutes=2)


def test_a_revoked_token_is_refused_from_the_next_request_on(issued: Any, now: Any) -> None:
    assert api_token_authenticate(secret=issued.secret, now=now) is not None
    ApiToken.objects.filter(pk=issued.token.pk).update(revoked_at=now)
    assert api_token_authenticate(secret=issued.secret, now=now) is None


def test_an_expired_token_is_refused(issued: Any, now: Any) -> None:
    assert api_token_authenticate(secret=issued.secret, now=now + timedelta(days=30)) is None


def test_the_token_of_a_deactivated_user_is_refused(issued: Any, users: Any, now: Any) -> None:
    User.objects.filter(pk=users["officer"].pk).update(is_active=False)
    assert api_token_authenticate(secret=issued.secret, now=now) is None


def test_an_unknown_token_is_refused(issued: Any, now: Any) -> None:
    assert api_token_authenticate(secret=issued.secret + "x", now=now) is None
