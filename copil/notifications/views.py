"""Thin views: the reminder preferences of the signed-in user, their calendar address,
and the calendar feeds themselves (authenticated by the secret token in the URL only).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from copil.notifications import ics, selectors, services
from copil.notifications.forms import ReminderPreferencesForm


def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ReminderPreferencesForm(
        request.POST or None, turned_off=selectors.turned_off_kinds(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_reminder_preferences(user, form.enabled_kinds())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Vos préférences de rappels sont enregistrées."))
            return redirect("reminder_preferences")
    token = selectors.active_token(user)
    feeds = []
    if token is not None:
        feeds = [
            (
                c,
                request.build_absolute_uri(
                    reverse("convention_calendar_feed", args=[token.token, c.pk])
                ),
            )
            for c in selectors.feed_conventions(user)
        ]
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "token": token,
            "feed_url": token
            and request.build_absolute_uri(reverse("calendar_feed", args=[token.token])),
            "feeds": feeds,
            "has_email": bool(user.email),
        },
    )


@require_POST
def calendar_token_create(request: HttpRequest) -> HttpResponse:
    services.create_calendar_token(request.user)
    messages.success(request, _("Votre adresse de calendrier personnelle est créée."))
    return redirect(reverse("reminder_preferences") + "#calendrier")


@require_POST
def calendar_token_revoke(request: HttpRequest) -> HttpResponse:
    if services.revoke_calendar_token(request.user):
        messages.success(
            request, _("L'adresse de calendrier est révoquée : elle ne fonctionne plus.")
        )
    return redirect(reverse("reminder_preferences") + "#calendrier")


@require_POST
def calendar_token_regenerate(request: HttpRequest) -> HttpResponse:
    services.regenerate_calendar_token(request.user)
    messages.success(
        request,
        _("Une nouvelle adresse de calendrier est créée ; l'ancienne ne fonctionne plus."),
    )
    return redirect(reverse("reminder_preferences") + "#calendrier")


# --- the feeds: no session, the token is the credential ----------------------------------


def _token_or_404(token: str):
    found = selectors.token_or_none(token)
    if found is None:
        raise Http404("Calendrier inconnu ou révoqué.")
    return found


def _ics_response(events, name: str, filename: str) -> HttpResponse:
    body = ics.to_ics(events, name, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Every convention the token's user is a member of. 6 queries."""
    found = _token_or_404(token)
    services.touch_calendar_token(found)
    data = selectors.feed_data(selectors.feed_conventions(found.user))
    user = found.user
    name = f"copil — {user.get_full_name() or user.get_username()}"
    return _ics_response(ics.feed_events(data, timezone.localdate()), name, "copil.ics")


@login_not_required
@never_cache
@require_GET
def convention_calendar_feed(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """One convention of the token's user (404 when they are not a member). 7 queries."""
    found = _token_or_404(token)
    conventions = selectors.feed_conventions(found.user).filter(pk=pk)
    convention = get_object_or_404(conventions)
    services.touch_calendar_token(found)
    data = selectors.feed_data(conventions)
    return _ics_response(
        ics.feed_events(data, timezone.localdate()),
        f"copil — {convention.title}",
        f"convention-{convention.pk}.ics",
    )
