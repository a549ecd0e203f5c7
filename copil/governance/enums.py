from django.db import models


class BodyKind(models.TextChoices):
    STEERING = "steering", "Comité de pilotage"
    TECHNICAL = "technical", "Comité technique"
    BILATERAL = "bilateral", "Rencontres bilatérales"
    THEMATIC = "thematic", "Groupe thématique"
