from django.db import models


class BodyKind(models.TextChoices):
    STEERING = "steering", "Comité de pilotage"
    TECHNICAL = "technical", "Comité technique"
    BILATERAL = "bilateral", "Rencontres bilatérales"
    THEMATIC = "thematic", "Groupe thématique"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Projet"
    APPROVED = "approved", "Approuvé"


class Presence(models.TextChoices):
    PRESENT = "present", "Présent"
    EXCUSED = "excused", "Excusé"
    ABSENT = "absent", "Absent"


class DecisionKind(models.TextChoices):
    DECISION = "decision", "Décision"
    ARBITRATION = "arbitration", "Arbitrage"
    INFORMATION = "information", "Information"
