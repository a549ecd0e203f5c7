"""The review's workflow: one per year within the convention's life, the narrative with
optimistic concurrency, draft -> reviewed -> validated, validated is locked; every write
audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from copil.accounts.enums import Role
from copil.audit.models import AuditEntry
from copil.reviews import services
from copil.reviews.models import ThemeReview
from tests.factories import (
    ConventionFactory,
    GovernanceBodyFactory,
    MeetingFactory,
    MembershipFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2021, 3, 1)


@pytest.fixture
def convention():
    convention = ConventionFactory()  # 01/07/2019, 3 years then tacit renewal
    PlanFactory(convention=convention)
    ThemeFactory(plan=convention.plan, number=1)
    return convention


def _admin(convention, role=Role.ADMIN):
    user = UserFactory()
    MembershipFactory(user=user, convention=convention, role=role)
    return user


def test_one_review_per_year_within_the_conventions_life(convention):
    review = services.create_review(convention, 2020, today=TODAY)
    assert review.status == "draft" and review.version == 1
    with pytest.raises(ValidationError, match="Le bilan 2020 de cette convention existe déjà"):
        services.create_review(convention, 2020, today=TODAY)
    with pytest.raises(ValidationError, match="en dehors de la vie de la convention"):
        services.create_review(convention, 2018, today=TODAY)
    with pytest.raises(ValidationError, match=r"\(2019 à 2021\)"):
        services.create_review(convention, 2022, today=TODAY)  # not yet
    assert AuditEntry.objects.filter(object_id=str(review.pk), action="create").count() == 1


def test_a_convention_without_an_effective_date_has_no_review():
    convention = ConventionFactory(effective_date=None)
    with pytest.raises(ValidationError, match="date d'effet"):
        services.create_review(convention, 2020)


def test_the_narrative_refuses_a_stale_version(convention):
    review = services.create_review(convention, 2020, today=TODAY)
    theme = convention.plan.themes.get()
    review = services.update_narrative(
        review,
        expected_version=1,
        introduction="Une année de déploiement.",
        themes={theme.pk: {"achievements": "Guichet unique ouvert", "outlook": "Étendre"}},
    )
    assert review.version == 2
    row = ThemeReview.objects.get(review=review, theme=theme)
    assert (row.achievements, row.difficulties, row.outlook) == (
        "Guichet unique ouvert",
        "",
        "Étendre",
    )
    with pytest.raises(services.StaleReviewError, match="modifié par quelqu'un d'autre"):
        services.update_narrative(review, expected_version=1, conclusion="Trop tard")
    review.refresh_from_db()
    assert review.conclusion == ""
    entry = AuditEntry.objects.filter(object_id=str(review.pk), action="update").get()
    assert entry.changes["thématique 1 — acquis"] == ["", "Guichet unique ouvert"]
    assert entry.convention_id == convention.pk
    same = services.update_narrative(
        review, expected_version=2, introduction="Une année de déploiement."
    )
    assert same.version == 2  # nothing changed: no new version


def test_reviewed_then_validated_then_locked(convention):
    review = services.create_review(convention, 2020, today=TODAY)
    technical = MeetingFactory(
        body=GovernanceBodyFactory(convention=convention, kind="technical"),
        date=dt.date(2021, 2, 1),
    )
    steering = MeetingFactory(
        body=GovernanceBodyFactory(convention=convention), date=dt.date(2021, 3, 1)
    )
    editor, admin = _admin(convention, Role.EDITOR), _admin(convention)
    with pytest.raises(ValidationError, match="examiné par le comité technique peut être validé"):
        services.validate_review(review, user=admin)
    with pytest.raises(ValidationError, match="pas une séance du comité technique"):
        services.mark_reviewed(review, user=editor, meeting=steering)
    review = services.mark_reviewed(review, user=editor, meeting=technical)
    assert (review.status, review.reviewed_by, review.reviewed_in) == (
        "reviewed",
        editor,
        technical,
    )
    with pytest.raises(ValidationError, match="Seul un administrateur"):
        services.validate_review(review, user=editor)
    other = MeetingFactory(body=GovernanceBodyFactory(convention=ConventionFactory()))
    with pytest.raises(ValidationError, match="n'appartient pas à la convention"):
        services.validate_review(review, user=admin, meeting=other)
    review = services.validate_review(review, user=admin, meeting=steering)
    assert review.status == "validated" and review.validated_at and review.is_locked
    for attempt in (
        lambda: services.update_narrative(review, expected_version=review.version, conclusion="x"),
        lambda: services.mark_reviewed(review, user=admin),
        lambda: services.validate_review(review, user=admin),
    ):
        with pytest.raises(services.ReviewLockedError, match="verrouillé"):
            attempt()
    assert AuditEntry.objects.filter(object_id=str(review.pk), action="update").count() == 2
