from django.db import models


class ReminderKind(models.TextChoices):
    NOTICE_DEADLINE = "notice_deadline", "Date limite de dénonciation"
    STEERING_DUE = "steering_due", "Comité de pilotage à réunir"
    MILESTONE = "milestone", "Jalons à échéance ou en retard"
    MEASUREMENT = "measurement", "Indicateurs à renseigner"
    TASK = "task", "Tâches de suivi à échéance"
