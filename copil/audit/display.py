"""Audit values as users read them: field labels, choice labels, French dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

#: Labels of the changes that are not a model field (parts and follow-up of an action,
#: summaries of an import).
EXTRA_LABELS = {
    "leads": "Pilotes",
    "partner_links": "Partenaires associés",
    "budget_lines": "Budget prévisionnel",
    "indicators": "Indicateurs",
    "milestones": "Jalons",
    "deliverables": "Livrables",
    "notes": "Note de suivi",
    "comments": "Commentaire",
    "attachments": "Pièce jointe",
    "differences": "Différences",
    "themes": "Thématiques",
    "orientations": "Orientations",
    "actions": "Actions",
    "warnings": "Avertissements",
}
#: Never shown: bookkeeping that changes with every write.
HIDDEN = frozenset({"updated_at", "version"})


def field_label(model: type[models.Model] | None, name: str) -> str:
    if name in EXTRA_LABELS:
        return EXTRA_LABELS[name]
    if model is not None:
        try:
            label = getattr(model._meta.get_field(name), "verbose_name", None)
        except FieldDoesNotExist:
            label = None
        if label:
            label = str(label)
            return label[:1].upper() + label[1:]
    return name


def display_value(model: type[models.Model] | None, name: str, value: Any) -> str:
    """A value as users read it: choice labels, French dates, "—" for empty."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return " ; ".join(display_value(model, name, v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} : {v}" for k, v in value.items())
    if isinstance(value, bool):
        return "oui" if value else "non"
    model_field = None
    if model is not None:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            model_field = None
    if model_field is not None and getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, str) and isinstance(model_field, models.DateField):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if not isinstance(model_field, models.DateTimeField):
            value = value.date()
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


#: Fields whose raw value reads with a unit in a row of the history.
UNITS = {"amount_eur": "€", "fte": "ETP"}


def row_text(obj: models.Model, names: tuple[str, ...]) -> str:
    """One row of a formset (a lead, a budget line, a decision...) as the history shows
    it: its non-empty fields as users read them, joined by " — "."""
    parts = []
    for name in names:
        value = getattr(obj, name)
        if value in (None, ""):
            continue
        if isinstance(value, models.Model):
            parts.append(str(value))
        elif name in UNITS:
            parts.append(f"{value} {UNITS[name]}")
        else:
            parts.append(display_value(type(obj), name, value))
    return " — ".join(parts)
