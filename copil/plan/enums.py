from django.db import models


class ThemeKind(models.TextChoices):
    TRANSVERSE = "transverse", "Transverse"
    THEMATIC = "thematic", "Thématique"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "À venir"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisé"
    LATE = "late", "En retard"
    PAUSED = "paused", "En pause"
    ABANDONED = "abandoned", "Abandonné"
    BLOCKED = "blocked", "Bloqué"


class IndicatorKind(models.TextChoices):
    OUTPUT = "output", "Indicateur de réalisation"
    OUTCOME = "outcome", "Indicateur de résultat"
    IMPACT = "impact", "Indicateur d'impact"


class IndicatorValueType(models.TextChoices):
    NUMBER = "number", "Nombre"
    PERCENTAGE = "percentage", "Pourcentage"
    BOOLEAN = "boolean", "Oui / non"
    TEXT = "text", "Texte"


class IndicatorDirection(models.TextChoices):
    HIGHER = "higher", "Plus haut est mieux"
    LOWER = "lower", "Plus bas est mieux"
