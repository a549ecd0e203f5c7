"""Renewing a convention: the service, the page, the command line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError

from copil.accounts.enums import Role
from copil.audit.models import AuditEntry
from copil.cli import cli
from copil.conventions.models import Convention
from copil.governance.models import BodyMember
from copil.plan.enums import ActionStatus
from copil.renewals.services import renew_convention
from copil.reviews.enums import ReviewStatus
from tests.factories import (
    ActionFactory,
    ActionLeadFactory,
    ActionPartnerFactory,
    AnnualReviewFactory,
    BudgetLineFactory,
    CommentFactory,
    ConventionFactory,
    DeliverableFactory,
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
    SignatoryFactory,
    ThemeFactory,
    UserFactory,
)
from tests.web.test_queries import QUERIES

pytestmark = pytest.mark.django_db

#: The views this module's matrices cover (tests/web/test_url_coverage.py).
MATRIX_URL_NAMES = {"convention_renew"}

END = dt.date(2012, 2, 29)  # the 2008 convention: 4 years from 2008-03-01, no renewal
NEXT = dt.date(2012, 3, 1)


@pytest.fixture
def old(db):
    """The 2008 convention, with a plan, governance, members and two reviews."""
    cd = InstitutionFactory(name="Département du Bas-Rhin")
    caf = InstitutionFactory(name="Caf du Bas-Rhin")
    msa = InstitutionFactory(name="MSA d'Alsace")
    convention = ConventionFactory(title="Convention CD-CAF 2008", fixed_term=True)
    SignatoryFactory(party=PartyFactory(convention=convention, institution=cd))
    PartyFactory(convention=convention, institution=caf, position=1, address="Strasbourg")
    plan = PlanFactory(convention=convention, cooperation_principles="S'informer mutuellement")
    theme = ThemeFactory(plan=plan, number=5, title="Enfance")
    orientation = OrientationFactory(theme=theme, number=1, title="Accueil du jeune enfant")
    action = ActionFactory(
        orientation=orientation,
        number="5.1",
        title="Développer l'accueil",
        description="Créer des places",
        status=ActionStatus.IN_PROGRESS,
        progress=60,
        start_date=dt.date(2009, 1, 1),
        end_date=dt.date(2011, 12, 31),
    )
    action.territories.create(kind="epci", name="Eurométropole")
    ActionLeadFactory(action=action, institution=cd, unit="Direction de l'enfance")
    ActionLeadFactory(action=action, institution=caf, unit="", position=1)
    ActionPartnerFactory(action=action, institution=msa)
    BudgetLineFactory(action=action, institution=cd, amount_eur=Decimal("5000"), year=2010)
    indicator = IndicatorFactory(action=action, label="Places créées", unit="places")
    IndicatorTargetFactory(indicator=indicator, year=2010, value=Decimal("50"))
    IndicatorTargetFactory(indicator=indicator, year=2013, value=Decimal("80"))
    MeasurementFactory(indicator=indicator)
    DeliverableFactory(action=action, label="Schéma d'accueil")
    MilestoneFactory(action=action)
    FollowUpNoteFactory(action=action)
    CommentFactory(action=action)
    gone = ActionFactory(orientation=orientation, number="5.2", title="Supprimée")
    gone.deleted_at = dt.datetime(2011, 1, 1, tzinfo=dt.UTC)
    gone.save(update_fields=["deleted_at"])
    body = GovernanceBodyFactory(convention=convention, name="Comité de pilotage")
    body.members.create(institution=cd, role="Président", position=0)
    MeetingFactory(body=body, date=dt.date(2010, 11, 20))
    admin = UserFactory(username="cd67-admin", institution=cd)
    reader = UserFactory(username="caf67-lecteur", institution=caf)
    MembershipFactory(user=admin, convention=convention, role=Role.ADMIN)
    MembershipFactory(user=reader, convention=convention, role=Role.READER)
    validated = AnnualReviewFactory(
        convention=convention,
        year=2010,
        status=ReviewStatus.VALIDATED,
        validated_at=dt.datetime(2011, 3, 1, tzinfo=dt.UTC),
    )
    AnnualReviewFactory(convention=convention, year=2011)  # a later draft
    return convention, admin, reader, validated


# --- the service -------------------------------------------------------------------------------


def test_renewal_creates_the_successor_with_its_plan_members_and_review(old):
    convention, admin, reader, validated = old
    result = renew_convention(convention, effective_date=NEXT)
    new = result.successor
    assert new.title == "Convention CD-CAF 2008 — renouvellement 2012"
    assert new.predecessor_id == convention.pk and new.effective_date == NEXT
    assert (new.kind, new.initial_term_months, new.tacit_renewal) == (
        convention.kind,
        48,
        False,
    )
    assert [(p.institution.name, p.address) for p in new.parties.all()] == [
        ("Département du Bas-Rhin", ""),
        ("Caf du Bas-Rhin", "Strasbourg"),
    ]
    assert not new.parties.first().signatories.exists()  # to be signed again
    assert {(m.user_id, m.role) for m in new.memberships.all()} == {
        (admin.pk, Role.ADMIN),
        (reader.pk, Role.READER),
    }
    (body,) = new.governance_bodies.all()
    assert body.name == "Comité de pilotage" and not body.meetings.exists()
    assert BodyMember.objects.filter(body=body, role="Président").exists()

    assert new.plan.cooperation_principles == "S'informer mutuellement"
    (action,) = new.plan.actions.all()  # the deleted one stays behind
    assert (action.number, action.title, action.description) == (
        "5.1",
        "Développer l'accueil",
        "Créer des places",
    )
    assert (action.status, action.progress, action.start_date) == (ActionStatus.PLANNED, 0, None)
    assert action.orientation.title == "Accueil du jeune enfant"
    assert action.orientation.theme.number == 5
    assert [str(lead) for lead in action.leads.all()] == [
        "Département du Bas-Rhin — Direction de l'enfance",
        "Caf du Bas-Rhin",
    ]
    assert [p.institution.name for p in action.partner_links.all()] == ["MSA d'Alsace"]
    assert [(b.amount_eur, b.year) for b in action.budget_lines.all()] == [(Decimal("5000"), None)]
    assert [t.name for t in action.territories.all()] == ["Eurométropole"]
    (indicator,) = action.indicators.all()
    assert (indicator.label, indicator.unit) == ("Places créées", "places")
    assert [(t.year, t.value) for t in indicator.targets.all()] == [(2013, Decimal("80"))]
    assert [d.label for d in action.deliverables.all()] == ["Schéma d'accueil"]
    for empty in ("milestones", "notes", "comments", "attachments"):
        assert not getattr(action, empty).exists(), empty
    assert not indicator.measurements.exists()

    validated.refresh_from_db()
    assert validated.basis_for == new and result.basis_review == validated
    assert result.counts["actions"] == 1 and result.counts["members"] == 2


def test_renewal_is_audited(old):
    convention = old[0]
    new = renew_convention(convention, effective_date=NEXT).successor
    messages = set(AuditEntry.objects.values_list("message", flat=True))
    assert f"renouvellement de la convention n° {convention.pk} (Convention CD-CAF 2008)" in (
        messages
    )
    assert any(m.startswith(f"renouvelée par la convention n° {new.pk}") for m in messages)
    assert "éléments de bilan de la convention suivante" in messages
    assert AuditEntry.objects.filter(convention_id=new.pk, action="create").count() >= 4


def test_without_a_validated_review_the_latest_is_attached(old):
    convention, *_ = old
    convention.reviews.filter(year=2010).update(status=ReviewStatus.DRAFT)
    result = renew_convention(convention, effective_date=NEXT, copy_plan=False)
    assert result.basis_review.year == 2011
    assert not hasattr(result.successor, "plan")


def test_renewal_refusals_are_french_and_change_nothing(old):
    convention, *_ = old
    before = Convention.objects.count()
    with pytest.raises(ValidationError) as error:
        renew_convention(convention, effective_date=END)
    assert error.value.messages == [
        "La date d'effet (29/02/2012) doit être postérieure à la fin de la convention "
        "actuelle (29/02/2012) : au plus tôt le 01/03/2012."
    ]
    open_ended = ConventionFactory()
    with pytest.raises(ValidationError, match="se reconduit tacitement sans terme"):
        renew_convention(open_ended, effective_date=dt.date(2030, 1, 1))
    assert Convention.objects.count() == before + 1
    renew_convention(convention, effective_date=NEXT, title="Convention 2012-2015")
    with pytest.raises(ValidationError, match="déjà une convention suivante : « Convention 2012"):
        renew_convention(convention, effective_date=dt.date(2013, 1, 1))
    assert Convention.objects.count() == before + 2


def test_a_deleted_convention_cannot_be_renewed(old):
    convention, *_ = old
    convention.deleted_at = dt.datetime(2012, 1, 1, tzinfo=dt.UTC)
    convention.save(update_fields=["deleted_at"])
    with pytest.raises(ValidationError, match="supprimée"):
        renew_convention(convention, effective_date=NEXT)


# --- the page ----------------------------------------------------------------------------------

ROLES = ["admin", "editor", "lead_caf", "lead_cd", "reader", "non_member", "superuser"]


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("obj", ["shared", "other", "deleted"])
def test_renew_page_matrix(client, world, role, obj):
    url = f"/conventions/{getattr(world, obj).pk}/renouveler/"
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        return
    allowed = role == "superuser" or (role == "admin" and obj == "shared")
    assert response.status_code == (200 if allowed else 404)
    posted = client.post(url, {"effective_date": "2030-01-01"})
    # "shared" renews tacitly without end (refused: 200 with the reason); "other" ends in
    # 2017 and is renewed (302 to its successor).
    assert posted.status_code == ((302 if obj == "other" else 200) if allowed else 404)


def test_admin_renews_from_the_page(client, old):
    convention, admin, reader, _ = old
    client.force_login(admin)
    page = client.get(f"/conventions/{convention.pk}/").content.decode()
    assert f'href="/conventions/{convention.pk}/renouveler/"' in page
    form = client.get(f"/conventions/{convention.pk}/renouveler/")
    assert form.context["form"]["effective_date"].value() == NEXT
    bad = client.post(f"/conventions/{convention.pk}/renouveler/", {"effective_date": "2012-02-01"})
    assert bad.status_code == 200
    assert "doit être postérieure à la fin de la convention actuelle" in bad.content.decode()
    garbage = client.post(f"/conventions/{convention.pk}/renouveler/", {"effective_date": "zz"})
    assert "Saisissez une date valide" in garbage.content.decode()
    response = client.post(
        f"/conventions/{convention.pk}/renouveler/",
        {"effective_date": "2012-03-01", "title": "Convention 2012", "copy_plan": "on"},
        follow=True,
    )
    new = Convention.objects.get(predecessor=convention)
    assert response.redirect_chain[-1][0] == f"/conventions/{new.pk}/"
    html = response.content.decode()
    assert "Éléments de bilan de la convention précédente" in html
    assert "Bilan 2010 de « Convention CD-CAF 2008 »" in html
    old_page = client.get(f"/conventions/{convention.pk}/").content.decode()
    assert "/renouveler/" not in old_page  # it has a successor now


def test_readers_are_not_offered_a_renewal(client, old):
    convention, _, reader, _ = old
    client.force_login(reader)
    assert "/renouveler/" not in client.get(f"/conventions/{convention.pk}/").content.decode()


@pytest.mark.parametrize("role", ["admin", "reader"])
def test_convention_page_query_count_with_renewal_and_basis_review(
    client, old, role, django_assert_num_queries
):
    convention, admin, reader, _ = old
    new = renew_convention(convention, effective_date=NEXT).successor
    client.force_login(admin if role == "admin" else reader)
    # The successor (fixed term: renewable) shows its basis review through select_related;
    # a renewable convention costs one query more, the funnel's answer to "may this user
    # renew it?" (an open-ended one, as in tests/web/test_queries.py, costs nothing more).
    with django_assert_num_queries(QUERIES["convention"] + 1):
        assert client.get(f"/conventions/{new.pk}/").status_code == 200


# --- the command line --------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(cli, ["renew", *[str(a) for a in args]])


def test_cli_renews_and_says_what_it_did(old):
    convention = old[0]
    result = run(convention.pk, "--effective-date", "2012-03-01", "--title", "Convention 2012")
    assert result.exit_code == 0, result.output
    new = Convention.objects.get(predecessor=convention)
    lines = result.stdout.strip().splitlines()
    assert lines[0] == (
        f"Convention n° {new.pk} « Convention 2012 » créée à compter du 01/03/2012, à la "
        f"suite de la n° {convention.pk} (1 thématiques, 1 fiches action, 1 indicateurs, "
        "2 membres)."
    )
    assert lines[1].startswith(
        f"Éléments de bilan : le bilan 2010 de la convention n° {convention.pk}"
    )
    assert AuditEntry.objects.filter(actor_label="ligne de commande", convention_id=new.pk).exists()


def test_cli_refusals_are_one_french_line(old):
    convention = old[0]
    result = run(convention.pk, "--effective-date", "2012-01-01")
    assert result.exit_code == 2
    assert result.stderr.startswith("copil : erreur : La date d'effet (01/01/2012)")
    assert run(999999, "--effective-date", "2012-03-01").stderr.strip() == (
        "copil : erreur : aucune convention n° 999999."
    )
    assert "--effective-date" in run(convention.pk, "--effective-date", "mars").stderr
