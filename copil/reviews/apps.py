from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "copil.reviews"
    verbose_name = "Bilans annuels"
