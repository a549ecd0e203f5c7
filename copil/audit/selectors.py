"""Histories as users read them: who, when, what (field: before -> after), page by page.

A page costs two queries (the count and the entries, with their content type) whatever
the number of entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from copil.audit.display import HIDDEN, display_value, field_label
from copil.audit.models import AuditEntry

PER_PAGE = 50


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    entry: AuditEntry
    changes: list[Change] = field(default_factory=list)


def entries_for_object(app_label: str, model: str, pk: int) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type__app_label=app_label, content_type__model=model, object_id=str(pk)
    ).select_related("content_type")


def entries_for_convention(convention_id: int) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(convention_id=convention_id).select_related("content_type")


def _changes(entry: AuditEntry) -> list[Change]:
    model = entry.content_type.model_class()
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    rows = []
    for name, value in changes.items():
        if name in HIDDEN:
            continue
        if isinstance(value, list) and len(value) == 2:
            before, after = value
        else:  # a creation's snapshot, or an import's summary
            before, after = None, value
        rows.append(
            Change(
                field_label(model, name),
                display_value(model, name, before),
                display_value(model, name, after),
            )
        )
    return rows


def history_page(entries: QuerySet[AuditEntry], page_number: str | None) -> tuple[Page, list]:
    page = Paginator(entries.order_by("-at", "-id"), PER_PAGE).get_page(page_number)
    return page, [HistoryRow(entry, _changes(entry)) for entry in page.object_list]
