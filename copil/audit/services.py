"""Audit entries are written explicitly by services, inside their transaction.

No signals: a write that bypasses a service is a bug, and the absence of its
audit entry makes the bug visible in tests.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from copil.audit.context import current_actor
from copil.audit.models import AuditAction, AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, bytes | bytearray | memoryview):  # a file's bytes: its size only
        return f"{len(value)} octets"
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of an instance, JSON-ready (FKs as ids)."""
    names = fields or [f.attname for f in instance._meta.concrete_fields if f.name not in ("id",)]
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that changed."""
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def record(
    instance: models.Model,
    action: str,
    changes: dict[str, Any] | None = None,
    *,
    convention_id: int | None = None,
    message: str = "",
) -> AuditEntry:
    """Write one audit entry; must be called inside the service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the service's transaction")
    actor = current_actor()
    if changes is None:
        changes = snapshot(instance) if action == AuditAction.CREATE else {}
    return AuditEntry.objects.create(
        actor=actor.user,
        actor_label=actor.label[:200],
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        convention_id=convention_id,
        changes=changes,
        message=message[:500],
    )
