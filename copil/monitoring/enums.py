from django.db import models


class MeasurementStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumise"
    VALIDATED = "validated", "Validée"
