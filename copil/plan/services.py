"""Writing a cooperation plan: the import of a document (atomic and idempotent), and the
edits users make to an action (fields, parts, notes, comments, attachments, deletion)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from copil.audit import concurrency
from copil.audit.display import row_text
from copil.audit.models import AuditAction
from copil.audit.services import diff, record, snapshot
from copil.conventions import services as convention_services
from copil.conventions.enums import ConventionKind
from copil.conventions.models import Convention
from copil.core.names import fold_key
from copil.governance import services as governance_services
from copil.governance.models import BodyMember, GovernanceBody
from copil.importers.compare import compare_documents
from copil.importers.model import CopilImportError, ImportedAction, ImportedDocument
from copil.institutions.models import Institution
from copil.institutions.services import get_or_create_institution
from copil.plan.documents import convention_to_document, load_convention
from copil.plan.models import (
    Action,
    ActionLead,
    ActionPartner,
    Attachment,
    BudgetLine,
    Comment,
    CooperationPlan,
    Deliverable,
    FollowUpNote,
    Indicator,
    Milestone,
    Orientation,
    Theme,
)

ACTION_TEXT_FIELDS = (
    "title",
    "shared_diagnosis",
    "operational_objectives",
    "target_audiences",
    "description",
    "expected_results",
    "schedule",
    "leads_text",
    "partners_text",
    "budget_text",
    "indicators_text",
)


@dataclass
class ImportResult:
    convention: Convention
    created: bool = False
    unchanged: bool = False
    applied: bool = False
    differences: list[str] = field(default_factory=list)


class _Institutions:
    """Resolves institution names once per import (a document repeats them a lot)."""

    def __init__(self) -> None:
        self._cache: dict[str, Institution] = {}

    def __call__(self, name: str) -> Institution:
        if name not in self._cache:
            self._cache[name] = get_or_create_institution(name)
        return self._cache[name]


def _fill_action_children(action: Action, item: ImportedAction, institution: _Institutions):
    ActionLead.objects.bulk_create(
        ActionLead(action=action, institution=institution(x.institution), unit=x.unit, position=i)
        for i, x in enumerate(item.leads)
    )
    seen: set[int] = set()
    partners = []
    for name in item.partners:
        inst = institution(name)
        if inst.pk not in seen:  # "CD" and "Département" in one row are one partner
            seen.add(inst.pk)
            partners.append(ActionPartner(action=action, institution=inst, position=len(partners)))
    ActionPartner.objects.bulk_create(partners)
    BudgetLine.objects.bulk_create(
        BudgetLine(
            action=action,
            institution=institution(b.institution) if b.institution else None,
            amount_eur=b.amount_eur,
            fte=b.fte,
            text=b.text,
            position=i,
        )
        for i, b in enumerate(item.budget)
    )
    _sync_indicators(action, item)
    _sync_milestones(action, item)
    Deliverable.objects.bulk_create(
        Deliverable(action=action, label=d, position=i) for i, d in enumerate(item.deliverables)
    )


def _sync_indicators(action: Action, item: ImportedAction) -> None:
    """Indicators are matched by label, not recreated: their definition, targets and
    measurements (entered in copil, not in the document) survive a re-import."""
    existing = {fold_key(i.label): i for i in Indicator.objects.filter(action=action)}
    new = []
    for i, x in enumerate(item.indicators):
        indicator = existing.pop(fold_key(x.label), None)
        if indicator is None:
            new.append(Indicator(action=action, label=x.label, kind=x.kind or "", position=i))
            continue
        indicator.label, indicator.position = x.label, i
        indicator.kind = x.kind or indicator.kind
        indicator.save(update_fields=["label", "position", "kind"])
    Indicator.objects.bulk_create(new)
    dropped = list(existing.values())
    _refuse_losing_monitoring(action, dropped)
    Indicator.objects.filter(pk__in=[i.pk for i in dropped]).delete()


def _sync_milestones(action: Action, item: ImportedAction) -> None:
    """Milestones are matched by label: the day one was reached (set in copil) is kept; the
    document's due date wins when it gives one."""
    existing = {fold_key(m.label): m for m in Milestone.objects.filter(action=action)}
    new = []
    for i, m in enumerate(item.milestones):
        milestone = existing.pop(fold_key(m.label), None)
        if milestone is None:
            new.append(Milestone(action=action, label=m.label, due_date=m.date, position=i))
            continue
        milestone.label, milestone.position = m.label, i
        milestone.due_date = m.date or milestone.due_date
        milestone.save(update_fields=["label", "position", "due_date"])
    Milestone.objects.bulk_create(new)
    Milestone.objects.filter(pk__in=[m.pk for m in existing.values()]).delete()


class MonitoringDataError(CopilImportError):
    """Applying the document would delete indicators that hold targets or measurements."""


def _refuse_losing_monitoring(action: Action, indicators: list[Indicator]) -> None:
    """A document never silently deletes what people measured: the import is refused
    (and rolled back) instead, saying which indicator and how to proceed."""
    ids = [i.pk for i in indicators]
    if not ids:
        return
    held = (
        Indicator.objects.filter(pk__in=ids)
        .filter(models.Q(measurements__isnull=False) | models.Q(targets__isnull=False))
        .distinct()
        .first()
    )
    if held is not None:
        raise MonitoringDataError(
            f"Import refusé : l'indicateur « {held.label[:80]} » de l'action {action.number} "
            "a des cibles ou des mesures saisies et le document ne le contient plus. "
            "Gardez-le dans le document, ou supprimez d'abord ses mesures et ses cibles."
        )


def _clear_action_children(action: Action) -> None:
    """Rows that only the document writes; indicators and milestones are synced instead."""
    for model in (ActionLead, ActionPartner, BudgetLine, Deliverable):
        model.objects.filter(action=action).delete()


def _write_plan(convention: Convention, doc: ImportedDocument) -> dict[str, int]:
    """Upsert the plan by numbers, keeping what users added (status, progress...).

    Actions in the bin: one the document still holds is restored (the document is the
    plan; its history, notes and status come back with it), so that the stored plan then
    equals the document; one the document drops stays in the bin, untouched (it was not
    in the comparison shown before the import), unless its orientation goes away."""
    institution = _Institutions()
    plan, _ = CooperationPlan.objects.get_or_create(convention=convention)
    plan.cooperation_principles = "\n".join(doc.cooperation_principles)
    plan.save(update_fields=["cooperation_principles"])
    themes = {t.number: t for t in plan.themes.all()}
    orientations = {
        (o.theme.number, o.number): o
        for o in Orientation.objects.filter(theme__plan=plan).select_related("theme")
    }
    actions = {a.number: a for a in plan.actions.all()}
    kept_actions: set[str] = set()
    counts = {"themes": 0, "orientations": 0, "actions": 0}
    position = 0
    for t in doc.themes:
        theme = themes.pop(t.number, None) or Theme(plan=plan, number=t.number)
        theme.title, theme.kind, theme.introduction = t.title[:300], t.kind, t.introduction
        theme.save()
        counts["themes"] += 1
        for o in t.orientations:
            orientation = orientations.pop((t.number, o.number), None) or Orientation(
                theme=theme, number=o.number
            )
            orientation.theme = theme
            orientation.title, orientation.introduction = o.title[:500], o.introduction
            orientation.save()
            counts["orientations"] += 1
            for a in o.actions:
                position += 1
                action = actions.get(a.number) or Action(plan=plan, number=a.number)
                before = {f: getattr(action, f) for f in ACTION_TEXT_FIELDS} if action.pk else {}
                action.orientation, action.position = orientation, position
                for name in ACTION_TEXT_FIELDS:
                    setattr(action, name, getattr(a, name))
                action.title = action.title[:500]
                if action.pk:
                    changed = {
                        f: [before[f], getattr(action, f)]
                        for f in ACTION_TEXT_FIELDS
                        if before[f] != getattr(action, f)
                    }
                    binned = snapshot(action, ["deleted_at"]) if action.deleted_at else None
                    action.deleted_at = None
                    action.version += 1
                    action.save()
                    _clear_action_children(action)
                    if binned is not None:
                        record(
                            action,
                            AuditAction.RESTORE,
                            diff(binned, snapshot(action, ["deleted_at"])),
                            convention_id=convention.pk,
                            message="import",
                        )
                    record(
                        action,
                        AuditAction.UPDATE,
                        changed,
                        convention_id=convention.pk,
                        message="import",
                    )
                else:
                    action.save()
                _fill_action_children(action, a, institution)
                kept_actions.add(a.number)
                counts["actions"] += 1
    for number, action in actions.items():
        if number not in kept_actions and action.deleted_at is None:
            _refuse_losing_monitoring(action, list(action.indicators.all()))
            record(action, AuditAction.DELETE, convention_id=convention.pk, message="import")
            action.delete()
    for orientation in orientations.values():
        for action in orientation.actions.all():  # binned ones (the others were moved)
            _refuse_losing_monitoring(action, list(action.indicators.all()))
            record(action, AuditAction.DELETE, convention_id=convention.pk, message="import")
        orientation.delete()
    for theme in themes.values():
        theme.delete()
    return counts


def _term_fields(doc: ImportedDocument) -> dict:
    term = doc.term
    return {
        "effective_date": term.effective_date,
        "initial_term_months": term.initial_term_months,
        "renewal_period_months": term.renewal_period_months,
        "tacit_renewal": term.tacit_renewal,
        "max_total_term_months": term.max_total_term_months,
        "notice_period_months": term.notice_period_months or 0,
        "notice_form": term.notice_form or "",
        "term_clause": term.text,
    }


def _find_existing(doc: ImportedDocument, source_sha256: str) -> Convention | None:
    alive = Convention.objects.alive()
    return (
        alive.filter(source_sha256=source_sha256).first()
        or alive.filter(title__iexact=doc.title.strip()).first()
    )


@transaction.atomic
def import_document(
    doc: ImportedDocument,
    *,
    source_name: str,
    source_sha256: str,
    convention: Convention | None = None,
    apply_changes: bool = False,
    kind: str = ConventionKind.FRAMEWORK,
) -> ImportResult:
    """Store a parsed document.

    The same document twice is a no-op; a changed document for an existing convention
    returns its differences and is applied only with apply_changes=True. Any error
    rolls the whole import back.
    """
    existing = convention or _find_existing(doc, source_sha256)
    if existing is not None:
        if existing.source_sha256 == source_sha256:
            return ImportResult(convention=existing, unchanged=True)
        differences = compare_documents(convention_to_document(load_convention(existing.pk)), doc)
        if not differences:
            return ImportResult(convention=existing, unchanged=True)
        if not apply_changes:
            return ImportResult(convention=existing, differences=differences)
        updated = convention_services.update_convention(
            existing,
            title=doc.title[:300],
            source_name=source_name[:300],
            source_sha256=source_sha256,
            **{k: v for k, v in _term_fields(doc).items() if k != "effective_date" or v},
        )
        counts = _write_plan(updated, doc)
        record(
            updated,
            AuditAction.IMPORT,
            {"differences": differences, **counts},
            convention_id=updated.pk,
            message=f"import de {source_name}"[:500],
        )
        return ImportResult(convention=updated, applied=True, differences=differences)

    created = convention_services.create_convention(
        title=doc.title[:300] or source_name[:300],
        reference=doc.reference[:100],
        kind=kind,
        source_name=source_name[:300],
        source_sha256=source_sha256,
        **_term_fields(doc),
    )
    for party in doc.parties:
        aliases = [party.name_as_written] if party.name_as_written else []
        convention_services.add_party(
            created,
            get_or_create_institution(party.institution, aliases=aliases),
            name_as_written=party.name_as_written[:300],
            address=party.address[:300],
            representative_name=party.representative_name[:200],
            representative_title=party.representative_title[:300],
        )
    GovernanceBody.objects.bulk_create(
        GovernanceBody(
            convention=created,
            kind=b.kind,
            name=b.name[:300],
            frequency=b.frequency[:200],
            composition=b.composition,
            position=i,
        )
        for i, b in enumerate(doc.governance_bodies)
    )
    # The seats of each body, read from its composition, on the convention's parties.
    seats = governance_services.party_institutions(created)
    BodyMember.objects.bulk_create(
        member
        for body in created.governance_bodies.all()
        for member in governance_services.seats_to_members(body, body.composition, seats)
    )
    for d in doc.deliberations:
        created.deliberations.create(
            reference=d.reference[:100], body=d.body[:200], date=d.date, text=d.text
        )
    counts = _write_plan(created, doc)
    record(
        created,
        AuditAction.IMPORT,
        {**counts, "warnings": len(doc.warnings)},
        convention_id=created.pk,
        message=f"import de {source_name}"[:500],
    )
    return ImportResult(convention=created, created=True)


# --- editing an action from the web (or any other caller) ------------------------------

#: The fields of a fiche action that users edit; the order of the edit form.
EDITABLE_ACTION_FIELDS = (
    "title",
    "shared_diagnosis",
    "operational_objectives",
    "target_audiences",
    "description",
    "expected_results",
    "schedule",
    "status",
    "progress",
    "start_date",
    "end_date",
)


class StaleVersionError(concurrency.StaleVersionError):
    """Someone saved the action after the caller loaded it; nothing was written."""

    template = (
        "Cette action a été modifiée par quelqu'un d'autre entre-temps "
        "(version {version}). Rien n'a été enregistré."
    )


def _lock(action: Action) -> Action:
    return Action.objects.select_for_update().get(pk=action.pk)


def _convention_id(action: Action) -> int:
    return CooperationPlan.objects.values_list("convention_id", flat=True).get(pk=action.plan_id)


@transaction.atomic
def update_action(action: Action, expected_version: int | None = None, **fields: Any) -> Action:
    """Update the fiche's own fields. With ``expected_version``, refuses
    (StaleVersionError, carrying what differs) when someone saved a newer version."""
    unknown = set(fields) - set(EDITABLE_ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    current = _lock(action)
    if current.deleted_at is not None:
        raise ValidationError("Cette action a été supprimée.")
    if expected_version is not None and current.version != expected_version:
        raise StaleVersionError(current, concurrency.conflicts(current, expected_version, fields))
    tracked = [*EDITABLE_ACTION_FIELDS, "version"]
    before = snapshot(current, tracked)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    if not diff(before, snapshot(current, tracked)):
        return current  # nothing changed: no new version, no entry
    current.version += 1
    current.save(update_fields=[*fields, "version", "updated_at"])
    record(
        current,
        AuditAction.UPDATE,
        diff(before, snapshot(current, tracked)),
        convention_id=_convention_id(current),
    )
    return current


def _set_deleted(action: Action, deleted_at, audit_action: str) -> Action:
    current = _lock(action)
    if (current.deleted_at is None) == (deleted_at is None):
        return current  # already in that state: nothing to record
    before = snapshot(current, ["deleted_at", "version"])
    current.deleted_at = deleted_at
    current.version += 1
    current.save(update_fields=["deleted_at", "version", "updated_at"])
    record(
        current,
        audit_action,
        diff(before, snapshot(current, ["deleted_at", "version"])),
        convention_id=_convention_id(current),
    )
    return current


@transaction.atomic
def delete_action(action: Action) -> Action:
    """Soft delete: the action leaves every list but stays in its convention's bin."""
    return _set_deleted(action, timezone.now(), AuditAction.DELETE)


@transaction.atomic
def restore_action(action: Action) -> Action:
    return _set_deleted(action, None, AuditAction.RESTORE)


# --- the structured parts (leads, partners, budget, indicators, milestones, deliverables)

#: related name -> the fields shown in the history for one row
ACTION_PARTS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "leads": (ActionLead, ("institution", "unit")),
    "partner_links": (ActionPartner, ("institution",)),
    "budget_lines": (BudgetLine, ("institution", "amount_eur", "fte", "text")),
    "indicators": (Indicator, ("label", "kind")),
    "milestones": (Milestone, ("label", "due_date", "reached_on")),
    "deliverables": (Deliverable, ("label",)),
}


def _part_rows(action: Action, part: str) -> list[str]:
    model, names = ACTION_PARTS[part]
    related = [n for n in names if model._meta.get_field(n).is_relation]
    rows = model.objects.filter(action=action).select_related(*related)
    return [row_text(obj, names) for obj in rows]


@transaction.atomic
def save_action_parts(action: Action, formsets: dict[str, Any]) -> list[str]:
    """Save inline formsets over the parts of ``action`` (keyed by related name), in one
    transaction; one audit entry on the action per part that changed, listing its rows
    before -> after. Returns the parts that changed."""
    unknown = set(formsets) - set(ACTION_PARTS)
    if unknown:
        raise ValueError(f"unknown parts: {sorted(unknown)}")
    current = _lock(action)
    if current.deleted_at is not None:
        raise ValidationError("Cette action a été supprimée.")
    changed: dict[str, list[list[str]]] = {}
    for part, formset in formsets.items():
        if not formset.has_changed():
            continue
        before = _part_rows(current, part)
        model = ACTION_PARTS[part][0]
        position = (
            model.objects.filter(action=current).aggregate(top=models.Max("position"))["top"] or 0
        )
        objects = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in objects:
            if obj.pk is None:
                position += 1
                obj.position = position
            obj.action = current
            obj.full_clean()
            obj.save()
        after = _part_rows(current, part)
        if before != after:
            changed[part] = [before, after]
    if changed:
        # No new version of the fiche: its edit form, open elsewhere, overwrites none of
        # these rows and need not be refused.
        record(
            current,
            AuditAction.UPDATE,
            changed,
            convention_id=_convention_id(current),
            message="moyens et suivi",
        )
    return list(changed)


# --- follow-up notes, comments, attachments ----------------------------------------------


@transaction.atomic
def add_note(action: Action, *, author: Any, date: dt.date, text: str) -> FollowUpNote:
    note = FollowUpNote(action=action, author=author, date=date, text=text)
    note.full_clean()
    note.save()
    record(
        action,
        AuditAction.UPDATE,
        {"notes": [None, f"{date:%d/%m/%Y} : {text}"[:2000]]},
        convention_id=_convention_id(action),
        message="note de suivi",
    )
    return note


@transaction.atomic
def add_comment(action: Action, *, author: Any, text: str) -> Comment:
    comment = Comment(action=action, author=author, text=text)
    comment.full_clean()
    comment.save()
    record(
        action,
        AuditAction.UPDATE,
        {"comments": [None, text[:2000]]},
        convention_id=_convention_id(action),
        message="commentaire",
    )
    return comment


@transaction.atomic
def add_attachment(
    action: Action, *, uploaded_by: Any, upload: Any, content_type: str
) -> Attachment:
    """Store an already checked upload (see plan.uploads.check_upload) under MEDIA_ROOT."""
    attachment = Attachment(
        action=action,
        original_name=upload.name[:255],
        size=upload.size,
        content_type=content_type,
        uploaded_by=uploaded_by,
    )
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.save()
        record(
            action,
            AuditAction.UPDATE,
            {"attachments": [None, f"{attachment.original_name} ({attachment.size} octets)"]},
            convention_id=_convention_id(action),
            message="pièce jointe",
        )
    except Exception:
        attachment.file.delete(save=False)  # no file left without its row
        raise
    return attachment
