"""Writing an annual review: create it for a year, write its narrative, mark it reviewed
by the technical committee, validate it in the steering committee (which locks it).

Every function is one transaction that writes its audit entry; errors are
ValidationErrors with a French message, for the form or the command line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from copil.accounts import perms
from copil.audit.models import AuditAction
from copil.audit.services import diff, record, snapshot
from copil.conventions.models import Convention
from copil.core.review import to_dict
from copil.governance.enums import BodyKind
from copil.governance.models import Meeting
from copil.plan.models import Theme
from copil.reviews.enums import ReviewStatus
from copil.reviews.models import AnnualReview, ThemeReview
from copil.reviews.selectors import convention_years, review_content

LOCKED = (
    "Ce bilan a été validé par le comité de pilotage : il est verrouillé et ne peut plus "
    "être modifié."
)
NARRATIVE_FIELDS = ("achievements", "difficulties", "outlook")
NARRATIVE_LABELS = {
    "achievements": "acquis",
    "difficulties": "difficultés",
    "outlook": "perspectives",
}


class ReviewLockedError(ValidationError):
    def __init__(self) -> None:
        super().__init__(LOCKED)


class StaleReviewError(ValidationError):
    """Someone saved the review after the caller loaded it; nothing was written."""

    def __init__(self, current: AnnualReview) -> None:
        super().__init__(
            "Ce bilan a été modifié par quelqu'un d'autre entre-temps "
            f"(version {current.version}). Rien n'a été enregistré : relisez puis "
            "enregistrez à nouveau."
        )
        self.current = current


def check_year(convention: Convention, year: int, today: dt.date | None = None) -> None:
    years = convention_years(convention, today or timezone.localdate())
    if not years:
        raise ValidationError(
            "La date d'effet de cette convention n'est pas renseignée : aucun bilan possible."
        )
    if year not in years:
        raise ValidationError(
            f"L'année {year} est en dehors de la vie de la convention ({years[0]} à {years[-1]})."
        )


@transaction.atomic
def create_review(convention: Convention, year: int, *, today: dt.date | None = None):
    """One review per year, within the convention's life."""
    if convention.deleted_at is not None:
        raise ValidationError("Cette convention a été supprimée.")
    check_year(convention, year, today)
    if AnnualReview.objects.filter(convention=convention, year=year).exists():
        raise ValidationError(f"Le bilan {year} de cette convention existe déjà.")
    review = AnnualReview.objects.create(convention=convention, year=year)
    record(review, AuditAction.CREATE, convention_id=convention.pk)
    return review


def _lock(review: AnnualReview) -> AnnualReview:
    current = AnnualReview.objects.select_for_update().get(pk=review.pk)
    if current.is_locked:
        raise ReviewLockedError
    return current


@transaction.atomic
def update_narrative(
    review: AnnualReview,
    *,
    expected_version: int | None = None,
    introduction: str | None = None,
    conclusion: str | None = None,
    themes: dict[int, dict[str, str]] | None = None,
) -> AnnualReview:
    """The introduction, the conclusion and, per theme id, the narrative fields given.
    Refuses a validated review, and a stale ``expected_version``."""
    current = _lock(review)
    if expected_version is not None and current.version != expected_version:
        raise StaleReviewError(current)
    tracked = ["introduction", "conclusion"]
    before = snapshot(current, tracked)
    if introduction is not None:
        current.introduction = introduction
    if conclusion is not None:
        current.conclusion = conclusion
    changes = diff(before, snapshot(current, tracked))
    plan_themes = {t.pk: t for t in Theme.objects.filter(plan__convention_id=current.convention_id)}
    existing = {t.theme_id: t for t in ThemeReview.objects.filter(review=current)}
    for theme_id, values in (themes or {}).items():
        theme = plan_themes.get(theme_id)
        if theme is None:
            raise ValidationError("Cette thématique n'appartient pas à la convention du bilan.")
        unknown = set(values) - set(NARRATIVE_FIELDS)
        if unknown:
            raise ValueError(f"not a narrative field: {sorted(unknown)}")
        row = existing.get(theme_id) or ThemeReview(review=current, theme=theme)
        old = {name: getattr(row, name) for name in NARRATIVE_FIELDS}
        for name, value in values.items():
            setattr(row, name, value)
        for name in NARRATIVE_FIELDS:
            if old[name] != getattr(row, name):
                label = f"thématique {theme.number} — {NARRATIVE_LABELS[name]}"
                changes[label] = [old[name], getattr(row, name)]
        if row.pk is None and any(getattr(row, name) for name in NARRATIVE_FIELDS):
            row.save()
        elif row.pk is not None and any(old[n] != getattr(row, n) for n in NARRATIVE_FIELDS):
            row.save(update_fields=list(NARRATIVE_FIELDS))
    if not changes:
        return current
    current.version += 1
    changes["version"] = [current.version - 1, current.version]
    current.save(update_fields=["introduction", "conclusion", "version", "updated_at"])
    record(current, AuditAction.UPDATE, changes, convention_id=current.convention_id)
    return current


def _check_meeting(meeting: Meeting | None, review: AnnualReview, kind: str) -> None:
    if meeting is None:
        return
    if meeting.convention_id != review.convention_id:
        raise ValidationError("Cette réunion n'appartient pas à la convention du bilan.")
    if meeting.body.kind != kind:
        raise ValidationError(
            f"Cette réunion n'est pas une séance du {BodyKind(kind).label.lower()}."
        )


def _transition(
    review: AnnualReview,
    *,
    user: Any,
    source: str,
    target: str,
    prefix: str,
    meeting: Meeting | None,
) -> AnnualReview:
    current = _lock(review)
    if current.status != source:
        raise ValidationError(
            {
                ReviewStatus.REVIEWED: "Seul un bilan en projet peut être marqué examiné.",
                ReviewStatus.VALIDATED: (
                    "Seul un bilan examiné par le comité technique peut être validé."
                ),
            }[target]
        )
    fields = ["status", f"{prefix}_at", f"{prefix}_by_id", f"{prefix}_in_id", "version"]
    before = snapshot(current, fields)
    current.status = target
    setattr(current, f"{prefix}_at", timezone.now())
    setattr(current, f"{prefix}_by", user if getattr(user, "pk", None) else None)
    setattr(current, f"{prefix}_in", meeting)
    current.version += 1
    update = [f"{prefix}_at", f"{prefix}_by", f"{prefix}_in", "status", "version", "updated_at"]
    changes = diff(before, snapshot(current, fields))
    if target == ReviewStatus.VALIDATED:
        # Freeze the document as validated: from now on its page and its files are
        # rendered from this snapshot, not from the live (still changing) data.
        document = review_content(current.convention, current.year, current)
        current.content = to_dict(document)
        update.append("content")
        actions = sum(len(t.actions) for t in document.themes)
        changes["document"] = [
            "calculé à partir des données",
            f"figé à la validation ({len(document.themes)} thématiques, {actions} actions)",
        ]
    current.save(update_fields=update)
    record(current, AuditAction.UPDATE, changes, convention_id=current.convention_id)
    return current


@transaction.atomic
def mark_reviewed(
    review: AnnualReview, *, user: Any, meeting: Meeting | None = None
) -> AnnualReview:
    """draft -> reviewed, optionally in a technical committee meeting of the convention."""
    _check_meeting(meeting, review, BodyKind.TECHNICAL)
    return _transition(
        review,
        user=user,
        source=ReviewStatus.DRAFT,
        target=ReviewStatus.REVIEWED,
        prefix="reviewed",
        meeting=meeting,
    )


@transaction.atomic
def validate_review(
    review: AnnualReview, *, user: Any, meeting: Meeting | None = None
) -> AnnualReview:
    """reviewed -> validated (locked), by an admin of the convention, optionally in a
    steering committee meeting of the convention."""
    if not perms.can_validate_review(user, review.convention):
        raise ValidationError("Seul un administrateur de la convention peut valider le bilan.")
    _check_meeting(meeting, review, BodyKind.STEERING)
    return _transition(
        review,
        user=user,
        source=ReviewStatus.REVIEWED,
        target=ReviewStatus.VALIDATED,
        prefix="validated",
        meeting=meeting,
    )
