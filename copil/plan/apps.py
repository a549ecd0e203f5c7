from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "copil.plan"
    verbose_name = "Projet de coopération"
