"""Optimistic concurrency for any versioned model whose updates are audited.

A form carries the ``version`` it was loaded at. When someone saved a newer version in
between, the service refuses the save and says which fields the other person changed,
read from the audit entries ("version": [old, new] in each update's changes), with
their saved value against yours. Nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from copil.audit.display import display_value, field_label
from copil.audit.models import AuditEntry


@dataclass(frozen=True)
class Conflict:
    """One field that someone else changed: their (saved) value against yours."""

    field: str
    label: str
    theirs: str
    yours: str


class StaleVersionError(ValidationError):
    """Someone saved the object after the caller loaded it; nothing was written."""

    #: "{version}" is replaced by the saved version.
    template = (
        "Cet élément a été modifié par quelqu'un d'autre entre-temps "
        "(version {version}). Rien n'a été enregistré."
    )

    def __init__(self, current: models.Model, conflicts: list[Conflict]) -> None:
        super().__init__(self.template.format(version=current.version))
        self.current = current
        self.conflicts = conflicts


def changed_since(instance: models.Model, version: int) -> set[str] | None:
    """The fields that the audited updates after ``version`` touched; None when the history
    does not account for every version since (an import, for one, records no version)."""
    names: set[str] = set()
    covered: set[int] = set()
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
    ).order_by("-id")
    for changes in entries.values_list("changes", flat=True).iterator():
        span = changes.get("version") if isinstance(changes, dict) else None
        if not (isinstance(span, list) and len(span) == 2 and isinstance(span[1], int)):
            continue
        if span[1] <= version:
            break
        names |= changes.keys()
        covered.add(span[1])
    return names if covered == set(range(version + 1, instance.version + 1)) else None


def conflicts(
    current: models.Model, expected_version: int, fields: dict[str, Any]
) -> list[Conflict]:
    """The submitted fields that others changed since ``expected_version`` (all the
    fields when the history cannot tell) and whose saved value differs from yours."""
    model = type(current)
    touched = changed_since(current, expected_version)
    return [
        Conflict(
            name,
            field_label(model, name),
            display_value(model, name, getattr(current, name)),
            display_value(model, name, value),
        )
        for name, value in fields.items()
        if (touched is None or name in touched) and getattr(current, name) != value
    ]
