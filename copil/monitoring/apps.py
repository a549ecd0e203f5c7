from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "copil.monitoring"
    verbose_name = "Suivi des indicateurs"
