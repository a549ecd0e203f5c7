"""Staff edits in the Django admin are audited like service writes."""

from __future__ import annotations

from django.db import transaction

from copil.audit.context import acting_as, actor_for_user
from copil.audit.models import AuditAction
from copil.audit.services import diff, record, snapshot

#: Where each model finds its convention, tried in order (the first attribute chain that
#: exists wins): conventions and their rows, the plan, indicators, governance, reviews.
CONVENTION_PATHS = (
    "convention_id",
    "plan.convention_id",
    "action.plan.convention_id",
    "indicator.action.plan.convention_id",
    "theme.plan.convention_id",
    "party.convention_id",
    "meeting.convention_id",
    "body.convention_id",
    "review.convention_id",
)


def _convention_id(obj) -> int | None:
    for path in CONVENTION_PATHS:
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


class AuditedAdminMixin:
    def save_model(self, request, obj, form, change):
        with transaction.atomic(), acting_as(actor_for_user(request.user)):
            before = {}
            if change and obj.pk:
                before = snapshot(type(obj).objects.get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            action = AuditAction.UPDATE if change else AuditAction.CREATE
            record(
                obj,
                action,
                diff(before, snapshot(obj)),
                convention_id=_convention_id(obj),
                message="administration",
            )

    def delete_model(self, request, obj):
        with transaction.atomic(), acting_as(actor_for_user(request.user)):
            record(
                obj,
                AuditAction.DELETE,
                diff(snapshot(obj), {}),
                convention_id=_convention_id(obj),
                message="administration",
            )
            super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        with transaction.atomic(), acting_as(actor_for_user(request.user)):
            model = formset.model
            pks = [f.instance.pk for f in formset.forms if f.instance.pk and f.has_changed()]
            before = {o.pk: snapshot(o) for o in model.objects.filter(pk__in=pks)}
            for deleted in formset.deleted_forms:
                obj = deleted.instance
                if obj.pk:
                    record(
                        obj,
                        AuditAction.DELETE,
                        diff(snapshot(obj), {}),
                        convention_id=_convention_id(obj),
                        message="administration",
                    )
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                record(
                    obj,
                    AuditAction.CREATE,
                    convention_id=_convention_id(obj),
                    message="administration",
                )
            for obj, _fields in formset.changed_objects:
                record(
                    obj,
                    AuditAction.UPDATE,
                    diff(before.get(obj.pk, {}), snapshot(obj)),
                    convention_id=_convention_id(obj),
                    message="administration",
                )
