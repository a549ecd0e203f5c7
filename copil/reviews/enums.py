from django.db import models


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Projet"
    REVIEWED = "reviewed", "Examiné par le comité technique"
    VALIDATED = "validated", "Validé par le comité de pilotage"


class ReviewFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    ODT = "odt", "OpenDocument (ODT)"
    DOCX = "docx", "Word (DOCX)"
