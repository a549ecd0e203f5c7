from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "copil.governance"
    verbose_name = "Gouvernance"
