"""Renewing a convention: its successor, created from it in one transaction.

What the successor takes from its predecessor:

- the convention itself: kind, framework convention, territory, preamble, term rules,
  secrecy threshold (a new title and effective date; no reference, no signatures, no
  deliberations, no amendments: those are the new convention's own acts);
- the parties (institution, name as written, address), without their signatories;
- the governance bodies (kind, name, frequency, composition, seats), without meetings;
- the cooperation plan: principles, themes, orientations, actions (every text field,
  leads, partners, territories, budget lines without their year, indicators with their
  definition, targets of the years from the new effective date on, deliverables). Each
  action starts over: status "à venir", progress 0, no dates. Milestones, follow-up
  notes, comments, attachments and measurements stay with the predecessor: they are
  the history of the convention that ends;
- the members, with their roles;
- the predecessor's last review (the latest validated one, else the latest) becomes
  the successor's "éléments de bilan" (``AnnualReview.basis_for``).

The lineage is set by ``conventions.services.set_predecessor``, which refuses
overlapping periods. Every write leaves an audit entry; any refusal leaves nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When

from copil.accounts.models import Membership
from copil.audit.models import AuditAction
from copil.audit.services import record
from copil.conventions import services as conventions
from copil.conventions.models import Convention
from copil.governance.models import BodyMember, GovernanceBody
from copil.monitoring.models import IndicatorTarget
from copil.plan.enums import ActionStatus
from copil.plan.models import (
    Action,
    ActionLead,
    ActionPartner,
    BudgetLine,
    CooperationPlan,
    Deliverable,
    Indicator,
    Orientation,
    Theme,
)
from copil.plan.services import ACTION_TEXT_FIELDS
from copil.reviews.enums import ReviewStatus
from copil.reviews.models import AnnualReview

ACTION_COPIED_FIELDS = ("number", "position", *ACTION_TEXT_FIELDS)
INDICATOR_COPIED_FIELDS = (
    "label",
    "kind",
    "value_type",
    "unit",
    "direction",
    "baseline",
    "baseline_year",
    "breakdown",
    "position",
)
TERM_COPIED_FIELDS = (
    "initial_term_months",
    "renewal_period_months",
    "tacit_renewal",
    "max_total_term_months",
    "notice_period_months",
    "notice_form",
    "term_clause",
)


@dataclass
class RenewalResult:
    successor: Convention
    counts: dict[str, int] = field(default_factory=dict)
    basis_review: AnnualReview | None = None


def _fr(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def default_title(convention: Convention, effective_date: dt.date) -> str:
    return f"{convention.title} — renouvellement {effective_date.year}"[:300]


def suggested_effective_date(convention: Convention, on: dt.date) -> dt.date | None:
    """The day after the predecessor ends (None when it has no known end)."""
    state = convention.lifecycle(on)
    if state is None or state.ends_on is None:
        return None
    return state.ends_on + dt.timedelta(days=1)


def check_renewable(convention: Convention, effective_date: dt.date | None) -> None:
    """The French reasons why ``convention`` cannot be renewed on ``effective_date``."""
    if convention.deleted_at is not None:
        raise ValidationError("Cette convention est supprimée : elle ne peut pas être renouvelée.")
    successor = Convention.objects.filter(predecessor=convention).first()
    if successor is not None:
        raise ValidationError(
            f"Cette convention a déjà une convention suivante : « {successor.title} »."
        )
    if convention.effective_date is None or convention.initial_term_months is None:
        raise ValidationError(
            "La date d'effet ou la durée de cette convention n'est pas renseignée : "
            "sa fin ne peut pas être calculée."
        )
    if effective_date is None:
        raise ValidationError("Indiquez la date d'effet de la nouvelle convention.")
    state = convention.lifecycle(effective_date)
    if state is not None and state.ends_on is None:
        raise ValidationError(
            "Cette convention se reconduit tacitement sans terme : enregistrez d'abord sa "
            "dénonciation, qui fixe sa date de fin, puis renouvelez-la."
        )
    if state is not None and effective_date <= state.ends_on:
        raise ValidationError(
            f"La date d'effet ({_fr(effective_date)}) doit être postérieure à la fin de la "
            f"convention actuelle ({_fr(state.ends_on)}) : au plus tôt le "
            f"{_fr(state.ends_on + dt.timedelta(days=1))}."
        )


@transaction.atomic
def renew_convention(
    convention: Convention,
    *,
    effective_date: dt.date,
    title: str | None = None,
    copy_plan: bool = True,
) -> RenewalResult:
    """Create the successor of ``convention`` (see the module docstring). Raises
    ValidationError (French message) and writes nothing when it cannot be renewed."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    check_renewable(convention, effective_date)
    title = (title or "").strip() or default_title(convention, effective_date)
    successor = conventions.create_convention(
        title=title[:300],
        kind=convention.kind,
        specific_kind=convention.specific_kind,
        parent=convention.parent,
        territory=convention.territory,
        preamble=convention.preamble,
        secrecy_threshold=convention.secrecy_threshold,
        effective_date=effective_date,
        **{name: getattr(convention, name) for name in TERM_COPIED_FIELDS},
    )
    counts: dict[str, int] = {}
    for party in convention.parties.select_related("institution").order_by("position", "pk"):
        conventions.add_party(
            successor,
            party.institution,
            name_as_written=party.name_as_written,
            address=party.address,
        )
    counts["parties"] = convention.parties.count()
    counts["governance_bodies"] = _copy_bodies(convention, successor)
    if copy_plan:
        counts.update(_copy_plan(convention, successor, effective_date))
    counts["members"] = _copy_members(convention, successor)
    successor = conventions.set_predecessor(successor, convention)
    review = _attach_last_review(convention, successor)
    record(
        successor,
        AuditAction.CREATE,
        {"renewal_of": convention.pk, "copied": counts, "basis_review": review and review.pk},
        convention_id=successor.pk,
        message=f"renouvellement de la convention n° {convention.pk} ({convention.title})"[:500],
    )
    record(
        convention,
        AuditAction.UPDATE,
        {"successor": [None, successor.pk]},
        convention_id=convention.pk,
        message=f"renouvelée par la convention n° {successor.pk} ({successor.title})"[:500],
    )
    return RenewalResult(successor=successor, counts=counts, basis_review=review)


def _copy_bodies(convention: Convention, successor: Convention) -> int:
    bodies = list(
        convention.governance_bodies.prefetch_related("members").order_by("position", "pk")
    )
    for body in bodies:
        copy = GovernanceBody.objects.create(
            convention=successor,
            kind=body.kind,
            name=body.name,
            frequency=body.frequency,
            composition=body.composition,
            position=body.position,
        )
        BodyMember.objects.bulk_create(
            BodyMember(
                body=copy,
                institution_id=m.institution_id,
                role=m.role,
                name=m.name,
                position=m.position,
            )
            for m in body.members.all()
        )
    return len(bodies)


def _copy_members(convention: Convention, successor: Convention) -> int:
    memberships = [
        Membership(user_id=m.user_id, convention=successor, role=m.role)
        for m in convention.memberships.order_by("pk")
    ]
    created = Membership.objects.bulk_create(memberships)
    for membership in created:
        if membership.pk is None:  # backends that do not return ids on bulk_create
            membership = Membership.objects.get(user_id=membership.user_id, convention=successor)
        record(membership, AuditAction.CREATE, convention_id=successor.pk, message="renouvellement")
    return len(created)


def _copy_plan(convention: Convention, successor: Convention, effective_date: dt.date) -> dict:
    plan = CooperationPlan.objects.filter(convention=convention).first()
    if plan is None:
        return {"themes": 0, "orientations": 0, "actions": 0, "indicators": 0, "targets": 0}
    new_plan = CooperationPlan.objects.create(
        convention=successor, cooperation_principles=plan.cooperation_principles
    )
    themes = {}
    for theme in plan.themes.order_by("number"):
        themes[theme.pk] = Theme.objects.create(
            plan=new_plan,
            number=theme.number,
            title=theme.title,
            kind=theme.kind,
            introduction=theme.introduction,
        )
    orientations = {}
    for orientation in Orientation.objects.filter(theme__plan=plan).order_by("pk"):
        orientations[orientation.pk] = Orientation.objects.create(
            theme=themes[orientation.theme_id],
            number=orientation.number,
            title=orientation.title,
            introduction=orientation.introduction,
        )
    actions = {}
    old_actions = list(
        plan.actions.alive().prefetch_related("territories").order_by("position", "pk")
    )
    for action in old_actions:
        copy = Action(
            plan=new_plan,
            orientation=orientations[action.orientation_id],
            status=ActionStatus.PLANNED,
            progress=0,
            **{name: getattr(action, name) for name in ACTION_COPIED_FIELDS},
        )
        copy.save()
        copy.territories.set(action.territories.all())
        actions[action.pk] = copy
    ids = list(actions)
    ActionLead.objects.bulk_create(
        ActionLead(
            action=actions[x.action_id],
            institution_id=x.institution_id,
            unit=x.unit,
            position=x.position,
        )
        for x in ActionLead.objects.filter(action_id__in=ids).order_by("pk")
    )
    ActionPartner.objects.bulk_create(
        ActionPartner(
            action=actions[x.action_id], institution_id=x.institution_id, position=x.position
        )
        for x in ActionPartner.objects.filter(action_id__in=ids).order_by("pk")
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            action=actions[x.action_id],
            institution_id=x.institution_id,
            amount_eur=x.amount_eur,
            fte=x.fte,
            text=x.text,
            position=x.position,
        )
        for x in BudgetLine.objects.filter(action_id__in=ids).order_by("pk")
    )
    Deliverable.objects.bulk_create(
        Deliverable(action=actions[x.action_id], label=x.label, position=x.position)
        for x in Deliverable.objects.filter(action_id__in=ids).order_by("pk")
    )
    indicators = {}
    for indicator in Indicator.objects.filter(action_id__in=ids).order_by("pk"):
        indicators[indicator.pk] = Indicator.objects.create(
            action=actions[indicator.action_id],
            **{name: getattr(indicator, name) for name in INDICATOR_COPIED_FIELDS},
        )
    targets = IndicatorTarget.objects.bulk_create(
        IndicatorTarget(
            indicator=indicators[t.indicator_id],
            year=t.year,
            territory_id=t.territory_id,
            value=t.value,
        )
        for t in IndicatorTarget.objects.filter(
            indicator_id__in=list(indicators), year__gte=effective_date.year
        ).order_by("pk")
    )
    return {
        "themes": len(themes),
        "orientations": len(orientations),
        "actions": len(actions),
        "indicators": len(indicators),
        "targets": len(targets),
    }


def last_review(convention: Convention) -> AnnualReview | None:
    """The latest validated review, else the latest one."""
    validated_first = Case(
        When(status=ReviewStatus.VALIDATED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return convention.reviews.order_by(validated_first, "-year").first()


def _attach_last_review(convention: Convention, successor: Convention) -> AnnualReview | None:
    review = last_review(convention)
    if review is None:
        return None
    if review.basis_for_id is not None:
        raise ValidationError(
            f"Le bilan {review.year} sert déjà d'éléments de bilan à une autre convention."
        )
    AnnualReview.objects.filter(pk=review.pk).update(basis_for=successor)
    review.basis_for = successor
    record(
        review,
        AuditAction.UPDATE,
        {"basis_for": [None, successor.pk]},
        convention_id=convention.pk,
        message="éléments de bilan de la convention suivante",
    )
    return review


def renewal_counts_text(counts: dict[str, Any]) -> str:
    labels = {
        "themes": "thématiques",
        "actions": "fiches action",
        "indicators": "indicateurs",
        "members": "membres",
    }
    return ", ".join(f"{counts[k]} {v}" for k, v in labels.items() if k in counts)
