"""Sign in and out. Every other page requires a signed-in user (LoginRequiredMiddleware)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator

from copil.accounts.forms import LoginForm


def _cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): the header's « Se déconnecter » button is a form."""


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' lockout response: the login page again, saying why (HTTP 429)."""
    username = (credentials or {}).get("username", "")
    form = LoginForm(request, initial={"username": username})
    context = {
        "form": form,
        "locked": True,
        "cooloff_minutes": _cooloff_minutes(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/login.html", context, status=429)
