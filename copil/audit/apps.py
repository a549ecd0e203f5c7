from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "copil.audit"
    verbose_name = "Historique"
