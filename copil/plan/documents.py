"""A stored convention as an ImportedDocument: what exports and re-import diffs read.

The plan as it stands: actions in the bin (soft-deleted, ``Action.deleted_at``) are not
part of it, so an export, a plan version or the comparison before a re-import never
shows them (what a re-import does with them: ``plan.services._write_plan``)."""

from __future__ import annotations

from django.db.models import Prefetch

from copil.conventions.models import Convention
from copil.importers.model import (
    BudgetItem,
    ImportedAction,
    ImportedDocument,
    ImportedGovernanceBody,
    ImportedOrientation,
    ImportedParty,
    ImportedTerm,
    ImportedTheme,
    IndicatorItem,
    Lead,
    MilestoneItem,
)
from copil.plan.models import Action, Orientation, Theme


def load_convention(convention_id: int) -> Convention:
    """One convention with its whole plan (its binned actions left out), in a fixed number
    of queries."""
    actions = (
        Action.objects.alive()
        .order_by("position")
        .prefetch_related(
            "leads__institution",
            "partner_links__institution",
            "budget_lines__institution",
            "indicators",
            "milestones",
            "deliverables",
        )
    )
    return (
        Convention.objects.alive()
        .select_related("plan")
        .prefetch_related(
            "parties__institution",
            "parties__signatories",
            "governance_bodies",
            Prefetch(
                "plan__themes",
                queryset=Theme.objects.order_by("number").prefetch_related(
                    Prefetch(
                        "orientations",
                        queryset=Orientation.objects.order_by("number").prefetch_related(
                            Prefetch("actions", queryset=actions)
                        ),
                    )
                ),
            ),
        )
        .get(pk=convention_id)
    )


def _action(action: Action) -> ImportedAction:
    return ImportedAction(
        number=action.number,
        title=action.title,
        shared_diagnosis=action.shared_diagnosis,
        operational_objectives=action.operational_objectives,
        target_audiences=action.target_audiences,
        description=action.description,
        expected_results=action.expected_results,
        leads=[Lead(institution=x.institution.name, unit=x.unit) for x in action.leads.all()],
        leads_text=action.leads_text,
        partners=[x.institution.name for x in action.partner_links.all()],
        partners_text=action.partners_text,
        schedule=action.schedule,
        milestones=[MilestoneItem(label=m.label, date=m.due_date) for m in action.milestones.all()],
        deliverables=[d.label for d in action.deliverables.all()],
        budget=[
            BudgetItem(
                institution=b.institution.name if b.institution else None,
                amount_eur=b.amount_eur.normalize() if b.amount_eur is not None else None,
                fte=b.fte.normalize() if b.fte is not None else None,
                text=b.text,
            )
            for b in action.budget_lines.all()
        ],
        budget_text=action.budget_text,
        indicators=[
            IndicatorItem(label=i.label, kind=i.kind or None) for i in action.indicators.all()
        ],
        indicators_text=action.indicators_text,
    )


def convention_to_document(convention: Convention) -> ImportedDocument:
    """Expects a convention from load_convention (everything prefetched)."""
    plan = getattr(convention, "plan", None)
    parties = []
    for party in convention.parties.all():
        signatory = next(iter(party.signatories.all()), None)
        parties.append(
            ImportedParty(
                institution=party.institution.name,
                name_as_written=party.name_as_written,
                address=party.address,
                representative_name=signatory.representative_name if signatory else "",
                representative_title=signatory.representative_title if signatory else "",
            )
        )
    return ImportedDocument(
        title=convention.title,
        source_format="database",
        reference=convention.reference,
        parties=parties,
        term=ImportedTerm(
            initial_term_months=convention.initial_term_months,
            renewal_period_months=convention.renewal_period_months,
            tacit_renewal=convention.tacit_renewal,
            max_total_term_months=convention.max_total_term_months,
            notice_period_months=convention.notice_period_months or None,
            notice_form=convention.notice_form or None,
            effective_date=convention.effective_date,
            text=convention.term_clause,
        ),
        cooperation_principles=[
            line for line in (plan.cooperation_principles if plan else "").splitlines() if line
        ],
        governance_bodies=[
            ImportedGovernanceBody(
                kind=b.kind, name=b.name, frequency=b.frequency, composition=b.composition
            )
            for b in convention.governance_bodies.all()
        ],
        themes=[
            ImportedTheme(
                number=t.number,
                title=t.title,
                kind=t.kind,
                introduction=t.introduction,
                orientations=[
                    ImportedOrientation(
                        number=o.number,
                        title=o.title,
                        introduction=o.introduction,
                        actions=[_action(a) for a in o.actions.all()],
                    )
                    for o in t.orientations.all()
                ],
            )
            for t in (plan.themes.all() if plan else [])
        ],
    )
