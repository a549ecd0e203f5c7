from django.db import models


class ConventionKind(models.TextChoices):
    FRAMEWORK = "framework", "Convention cadre de partenariat"
    CTG = "ctg", "Convention territoriale globale"
    TERRITORIAL_CONTRACT = "territorial_contract", "Contrat départemental"
    SPECIFIC = "specific", "Convention spécifique"


class SpecificKind(models.TextChoices):
    MANAGEMENT = "management", "de gestion"
    FUNDING = "funding", "de financement"
    PROJECT = "project", "de projet"
    DATA_EXCHANGE = "data_exchange", "d'échange de données"


class NoticeForm(models.TextChoices):
    REGISTERED_LETTER = "registered_letter", "Lettre recommandée avec accusé de réception"
    LETTER = "letter", "Courrier"
    ANY = "any", "Toute forme"


class AmendmentStatus(models.TextChoices):
    DRAFT = "draft", "Projet"
    SIGNED = "signed", "Signé"


class LifecycleStatus(models.TextChoices):
    """Computed by copil.core.lifecycle, never stored: labels for display."""

    NOT_STARTED = "not_started", "Pas encore en vigueur"
    IN_FORCE = "in_force", "En vigueur"
    NOTICE_GIVEN = "notice_given", "Dénoncée (préavis en cours)"
    TERMINATED = "terminated", "Résiliée"
    EXPIRED = "expired", "Échue"
