from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "copil.institutions"
    verbose_name = "Institutions et territoires"
