from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from copil.audit.context import acting_as, actor_for_user


class AuditActorMiddleware:
    """Every write made while serving a request is attributed to its user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with acting_as(actor_for_user(user)):
                return self.get_response(request)
        return self.get_response(request)
