from django.apps import AppConfig


class RenewalsConfig(AppConfig):
    name = "copil.renewals"
    verbose_name = "Renouvellement des conventions"
