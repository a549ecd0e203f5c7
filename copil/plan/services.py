"""Writing a cooperation plan: the import of a document, atomic and idempotent."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from copil.audit.models import AuditAction
from copil.audit.services import record
from copil.conventions import services as convention_services
from copil.conventions.enums import ConventionKind
from copil.conventions.models import Convention
from copil.governance.models import GovernanceBody
from copil.importers.compare import compare_documents
from copil.importers.model import ImportedAction, ImportedDocument
from copil.institutions.models import Institution
from copil.institutions.services import get_or_create_institution
from copil.plan.documents import convention_to_document, load_convention
from copil.plan.models import (
    Action,
    ActionLead,
    ActionPartner,
    BudgetLine,
    CooperationPlan,
    Deliverable,
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
    Indicator.objects.bulk_create(
        Indicator(action=action, label=x.label, kind=x.kind or "", position=i)
        for i, x in enumerate(item.indicators)
    )
    Milestone.objects.bulk_create(
        Milestone(action=action, label=m.label, due_date=m.date, position=i)
        for i, m in enumerate(item.milestones)
    )
    Deliverable.objects.bulk_create(
        Deliverable(action=action, label=d, position=i) for i, d in enumerate(item.deliverables)
    )


def _clear_action_children(action: Action) -> None:
    for model in (ActionLead, ActionPartner, BudgetLine, Indicator, Milestone, Deliverable):
        model.objects.filter(action=action).delete()


def _write_plan(convention: Convention, doc: ImportedDocument) -> dict[str, int]:
    """Upsert the plan by numbers, keeping what users added (status, progress...)."""
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
                    action.version += 1
                    action.save()
                    _clear_action_children(action)
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
        if number not in kept_actions:
            record(action, AuditAction.DELETE, convention_id=convention.pk, message="import")
            action.delete()
    for orientation in orientations.values():
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
