"""Who may do what on the review pages: every role x every view x a review they may and
may not see; the review page's fixed query count; the forms' French errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from copil.accounts.enums import Role
from copil.reviews.models import AnnualReview
from tests.factories import (
    ActionFactory,
    ActionLeadFactory,
    AnnualReviewFactory,
    BudgetLineFactory,
    ConventionFactory,
    DecisionFactory,
    FollowUpNoteFactory,
    GovernanceBodyFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    InstitutionFactory,
    MeasurementFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    OrientationFactory,
    PartyFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

#: The views this module's matrices cover (tests/web/test_url_coverage.py).
MATRIX_URL_NAMES = {
    "review_list",
    "review_detail",
    "review_download",
    "review_write",
    "review_mark_reviewed",
    "review_validate",
}

ROLES = ["admin", "editor", "lead_caf", "lead_cd", "reader", "non_member", "anonymous", "superuser"]
MEMBERS = {"admin", "editor", "lead_caf", "lead_cd", "reader"}
WRITERS = {"admin", "editor", "superuser"}
VALIDATORS = {"admin", "superuser"}
YEARS = {"shared": 2020, "other": 2014, "deleted": 2009}


def _reviews(world, status="draft"):
    return {
        name: AnnualReviewFactory(convention=getattr(world, name), year=year, status=status)
        for name, year in YEARS.items()
    }


def _login(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])


def _seen(role, obj):
    """200 for what the role sees, else 404; anonymous: the login page."""
    if role == "anonymous":
        return 302
    if role == "superuser" or (obj == "shared" and role in MEMBERS):
        return 200
    return 404


PAGES = {
    "list": lambda w, r, obj: f"/conventions/{getattr(w, obj).pk}/bilans/",
    "detail": lambda w, r, obj: f"/bilans/{r[obj].pk}/",
    "download_docx": lambda w, r, obj: f"/bilans/{r[obj].pk}/telecharger/docx/",
    "download_odt": lambda w, r, obj: f"/bilans/{r[obj].pk}/telecharger/odt/",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("obj", ["shared", "other", "deleted"])
def test_who_sees_and_downloads(client, world, role, page, obj):
    reviews = _reviews(world)
    _login(client, world, role)
    url = PAGES[page](world, reviews, obj)
    response = client.get(url)
    assert response.status_code == _seen(role, obj)
    if response.status_code == 302:
        assert response.url == f"/connexion/?next={url}"
    if response.status_code == 200 and page.startswith("download"):
        fmt = page.rsplit("_", 1)[1]
        year = YEARS[obj]
        convention = getattr(world, obj).pk
        assert response["Content-Disposition"] == (
            f'attachment; filename="bilan-{year}-convention-{convention}.{fmt}"'
        )


def test_the_pdf_download(client, world):
    reviews = _reviews(world)
    client.force_login(world.users["reader"])
    response = client.get(f"/bilans/{reviews['shared'].pk}/telecharger/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(f"/bilans/{reviews['shared'].pk}/telecharger/xls/").status_code == 404


def _expected_post(role, obj, allowed):
    if role == "anonymous":
        return 302
    seen = role == "superuser" or (obj == "shared" and role in MEMBERS)
    if not seen or role not in allowed:
        return 404
    return 302


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", ["shared", "other"])
def test_who_writes(client, world, role, obj):
    reviews = _reviews(world)
    theme = getattr(world, obj).plan.themes.get()
    _login(client, world, role)
    review = reviews[obj]
    expected = _expected_post(role, obj, WRITERS)
    # the forms are 404 for GET-only users too: the page shows no form to them
    page = client.get(f"/bilans/{review.pk}/")
    if page.status_code == 200:
        assert ("Rédiger le bilan de la thématique" in page.content.decode()) is (role in WRITERS)
    response = client.post(
        f"/bilans/{review.pk}/rediger/",
        {"theme-1-theme": theme.pk, "theme-1-version": 1, "theme-1-achievements": "Acquis"},
    )
    assert response.status_code == expected
    general = client.post(
        f"/bilans/{review.pk}/rediger/", {"introduction": "Intro", "conclusion": "", "version": 2}
    )
    assert general.status_code == expected
    created = client.post(
        f"/conventions/{getattr(world, obj).pk}/bilans/", {"year": YEARS[obj] + 1}
    )
    assert created.status_code == expected
    examined = client.post(f"/bilans/{review.pk}/examiner/", {"meeting": ""})
    assert examined.status_code == expected
    review.refresh_from_db()
    if expected == 302 and role != "anonymous":
        assert review.status == "reviewed" and review.introduction == "Intro"
        assert AnnualReview.objects.filter(convention=review.convention).count() == 2
    else:
        assert review.status == "draft" and review.version == 1


@pytest.mark.parametrize("role", ROLES)
def test_who_validates(client, world, role):
    reviews = _reviews(world, status="reviewed")
    _login(client, world, role)
    for obj, review in reviews.items():
        response = client.post(f"/bilans/{review.pk}/valider/", {"meeting": ""})
        expected = _expected_post(role, obj, VALIDATORS)
        if obj == "deleted" and role == "superuser":
            expected = 302
        assert response.status_code == expected, obj
        review.refresh_from_db()
        assert (review.status == "validated") is (expected == 302 and role != "anonymous")


def test_a_validated_review_refuses_changes_in_french(client, world):
    review = AnnualReviewFactory(
        convention=world.shared, year=2020, status="validated", validated_at=dt.datetime.now(dt.UTC)
    )
    client.force_login(world.users["admin"])
    page = client.get(f"/bilans/{review.pk}/").content.decode()
    assert "verrouillé" in page and "Rédiger le bilan" not in page
    response = client.post(
        f"/bilans/{review.pk}/rediger/", {"introduction": "x", "conclusion": "", "version": 1}
    )
    assert response.status_code == 400
    assert "il est verrouillé et ne peut plus être modifié" in response.content.decode()


def test_form_errors_are_french_and_next_to_the_field(client, world):
    client.force_login(world.users["editor"])
    response = client.post(f"/conventions/{world.shared.pk}/bilans/", {"year": "1990"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez une année de la liste." in html and 'aria-invalid="true"' in html
    review = AnnualReviewFactory(convention=world.shared, year=2020, version=3)
    stale = client.post(
        f"/bilans/{review.pk}/rediger/", {"introduction": "x", "conclusion": "", "version": 2}
    )
    assert stale.status_code == 400
    assert "modifié par quelqu&#x27;un d&#x27;autre" in stale.content.decode()
    bad = client.post(f"/bilans/{review.pk}/examiner/", {"meeting": "999999"})
    assert bad.status_code == 400 and "Choisissez une séance de la liste." in bad.content.decode()


# --- the review page costs a fixed number of queries ---------------------------------------


def _build(n_actions: int):
    cd = InstitutionFactory(name="Département du Bas-Rhin")
    caf = InstitutionFactory(name="Caf du Bas-Rhin", kind="caf")
    convention = ConventionFactory()
    PartyFactory(convention=convention, institution=cd)
    PartyFactory(convention=convention, institution=caf, position=1)
    plan = PlanFactory(convention=convention)
    themes = [ThemeFactory(plan=plan, number=t) for t in (1, 2, 3)]
    orientations = [OrientationFactory(theme=t, number=1) for t in themes]
    meeting = MeetingFactory(body=GovernanceBodyFactory(convention=convention))
    MeetingFactory(
        body=GovernanceBodyFactory(convention=convention, kind="technical"),
        date=dt.date(2021, 1, 5),
    )
    for i in range(n_actions):
        action = ActionFactory(orientation=orientations[i % 3], number=f"{i % 3 + 1}.{i + 1}")
        ActionLeadFactory(action=action, institution=cd if i % 2 else caf)
        BudgetLineFactory(action=action, institution=cd)
        MilestoneFactory(action=action, due_date=dt.date(2020, 5, 1))
        indicator = IndicatorFactory(action=action)
        MeasurementFactory(indicator=indicator, value=Decimal(i))
        IndicatorTargetFactory(indicator=indicator)
        FollowUpNoteFactory(action=action, date=dt.date(2020, 3, 3))
        DecisionFactory(meeting=meeting).actions.add(action)
    review = AnnualReviewFactory(convention=convention, year=2020)
    user = UserFactory(institution=cd)
    MembershipFactory(user=user, convention=convention, role=Role.ADMIN)
    return user, review


# session, user, institution; review (+convention, meetings); review content: parties,
# signatories, themes, actions, leads, budget, indicators, milestones, notes, measurements,
# targets, meetings, decisions, decision actions, theme reviews, history; rights (role x2);
# theme reviews and theme ids of the forms; technical committee meetings.
REVIEW_PAGE_QUERIES = 3 + 1 + 17 + 2 + 2 + 1


@pytest.mark.parametrize("n_actions", [3, 30])
def test_the_review_page_costs_a_fixed_number_of_queries(
    client, n_actions, django_assert_num_queries
):
    user, review = _build(n_actions)
    client.force_login(user)
    with django_assert_num_queries(REVIEW_PAGE_QUERIES):
        response = client.get(f"/bilans/{review.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("Décision") >= n_actions
