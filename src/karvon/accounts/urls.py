"""Log in, log out and personal API tokens."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from karvon.accounts import views
from karvon.accounts.forms import SignInForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=SignInForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
]
