from django.db import models


class InstitutionKind(models.TextChoices):
    DEPARTEMENT = "departement", "Département"
    CAF = "caf", "Caisse d'allocations familiales"
    EPCI = "epci", "Intercommunalité (EPCI)"
    MUNICIPALITY = "municipality", "Commune"
    REGION = "region", "Région"
    STATE = "state", "État et services déconcentrés"
    PUBLIC_BODY = "public_body", "Autre organisme public"
    ASSOCIATION = "association", "Association"
    OTHER = "other", "Autre"


class TerritoryKind(models.TextChoices):
    DEPARTEMENT = "departement", "Département"
    EPCI = "epci", "EPCI"
    ACTION_TERRITORY = "action_territory", "Territoire d'action"
    UTAMS = "utams", "UTAMS"
    CANTON = "canton", "Canton"
    MUNICIPALITY = "municipality", "Commune"
    OTHER = "other", "Autre"
