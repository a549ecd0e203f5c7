from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "copil.conventions"
    verbose_name = "Conventions"
