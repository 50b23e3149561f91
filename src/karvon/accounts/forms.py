"""The sign-in form: Django's, with every attempt going through `accounts.sign_in` (audited and throttled)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from karvon.accounts.sign_in import SignInFailed, SignInRefused, sign_in
from karvon.web.client_address import client_address


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed sign-ins with this name or from this address. Wait 15 minutes and try again."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = sign_in(
                    username=username,
                    password=password,
                    ip_address=client_address(self.request) if self.request is not None else None,
                    now=timezone.now(),
                )
            except SignInRefused:
                raise ValidationError(self.error_messages["throttled"], code="throttled") from None
            except SignInFailed:
                raise self.get_invalid_login_error() from None
        return self.cleaned_data
