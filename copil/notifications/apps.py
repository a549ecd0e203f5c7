from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "copil.notifications"
    verbose_name = "Rappels et calendriers"
