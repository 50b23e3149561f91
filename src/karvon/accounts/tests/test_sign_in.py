"""Sign-in: every attempt audited; a name or an address with too many failures waits before it is checked again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from karvon.accounts.models import User
from karvon.accounts.sign_in import (
    FAILURES_PER_ADDRESS,
    FAILURES_PER_NAME,
    SIGN_IN_WINDOW,
    SignInFailed,
    SignInRefused,
    sign_in,
)
from karvon.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
PASSWORD = "a long demo passphrase"


@pytest.fixture
def erlan(db):
    return User.objects.create_user(username="erlan", password=PASSWORD)


def attempt(password: str, *, username: str = "erlan", address: str = "192.0.2.10", now: datetime = NOW):
    return sign_in(username=username, password=password, ip_address=address, now=now)


def test_a_sign_in_and_a_failure_are_audited_without_the_password(erlan):
    assert attempt(PASSWORD) == erlan
    with pytest.raises(SignInFailed):
        attempt("wrong")
    signed_in, failed = AuditEvent.objects.order_by("id")
    assert (signed_in.action, signed_in.actor, signed_in.ip_address) == ("user.sign_in", erlan, "192.0.2.10")
    assert (failed.action, failed.actor, failed.actor_username) == ("user.sign_in_failed", None, "erlan")
    assert "wrong" not in str(failed.changes) and failed.ip_address == "192.0.2.10"


def test_a_name_with_too_many_failures_waits_even_with_the_right_password(erlan):
    for _ in range(FAILURES_PER_NAME):
        with pytest.raises(SignInFailed):
            attempt("guess", now=NOW)
    with pytest.raises(SignInRefused):
        attempt(PASSWORD, now=NOW + timedelta(minutes=1), address="198.51.100.1")
    # Refused attempts are not counted: the name is let in again once the failures are older than the window.
    assert attempt(PASSWORD, now=NOW + SIGN_IN_WINDOW + timedelta(seconds=1)) == erlan


def test_the_name_is_counted_whatever_its_case(erlan):
    for _ in range(FAILURES_PER_NAME):
        with pytest.raises(SignInFailed):
            attempt("guess", username="ERLAN")
    with pytest.raises(SignInRefused):
        attempt(PASSWORD)


def test_an_address_with_too_many_failures_waits_whatever_the_name(erlan):
    for number in range(FAILURES_PER_ADDRESS):
        with pytest.raises(SignInFailed):
            attempt("guess", username=f"nobody{number}")
    with pytest.raises(SignInRefused):
        attempt(PASSWORD)
    assert attempt(PASSWORD, address="192.0.2.11") == erlan


def test_the_sign_in_page_says_why_in_the_users_language(erlan):
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    for _ in range(FAILURES_PER_NAME):
        response = client.post("/login/", {"username": "erlan", "password": "guess"})
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post("/login/", {"username": "erlan", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Слишком много неудачных попыток входа" in response.content.decode()
    other = Client().post("/login/", {"username": "erlan", "password": PASSWORD}, REMOTE_ADDR="192.0.2.99")
    assert other.status_code == 200  # the name itself is locked, from any address
    assert AuditEvent.objects.filter(action="user.sign_in").count() == 0


def test_the_right_password_signs_in_through_the_page(erlan):
    client = Client()
    response = client.post("/login/", {"username": "erlan", "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(erlan.pk)
    event = AuditEvent.objects.get(action="user.sign_in")
    assert event.actor == erlan and event.ip_address == "127.0.0.1"
