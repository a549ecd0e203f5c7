from django.urls import path

from copil.notifications import views

urlpatterns = [
    path("compte/rappels/", views.preferences, name="reminder_preferences"),
    path(
        "compte/rappels/calendrier/creer/",
        views.calendar_token_create,
        name="calendar_token_create",
    ),
    path(
        "compte/rappels/calendrier/revoquer/",
        views.calendar_token_revoke,
        name="calendar_token_revoke",
    ),
    path(
        "compte/rappels/calendrier/regenerer/",
        views.calendar_token_regenerate,
        name="calendar_token_regenerate",
    ),
    path("calendrier/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path(
        "calendrier/<str:token>/conventions/<int:pk>.ics",
        views.convention_calendar_feed,
        name="convention_calendar_feed",
    ),
]
