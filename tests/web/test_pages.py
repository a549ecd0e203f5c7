"""What the pages show (in French), on a world frozen on 1 December 2024."""

import datetime as dt
import html as html_lib
import re
from decimal import Decimal

import pytest

from copil.accounts.enums import Role
from copil.conventions import selectors as convention_selectors
from copil.conventions import services
from copil.conventions.models import Amendment
from copil.plan.enums import ActionStatus
from tests.factories import (
    ActionFactory,
    ActionLeadFactory,
    ActionPartnerFactory,
    BudgetLineFactory,
    ConventionFactory,
    DeliverableFactory,
    IndicatorFactory,
    InstitutionFactory,
    MembershipFactory,
    MilestoneFactory,
    OrientationFactory,
    SignatoryFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

ON = dt.date(2024, 12, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(convention_selectors, "today", lambda: ON)


def _text(response) -> str:
    html = response.content.decode()
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def _as(client, world, role="reader"):
    client.force_login(world.users[role])
    return client


def test_list_row_shows_parties_status_and_next_legal_deadline(client, world):
    text = _text(_as(client, world).get("/"))
    assert "Convention CD-CAF 2019" in text
    assert "Département du Bas-Rhin, Caf du Bas-Rhin" in text
    assert "En vigueur" in text
    assert "31/12/2024 — Dernier jour pour recevoir la dénonciation par lettre recommandée" in text


def test_convention_page(client, world):
    SignatoryFactory(party=world.shared.parties.get(institution=world.cd))
    Amendment.objects.create(convention=world.shared, number=1, title="Ajout d'une thématique")
    specific = ConventionFactory(
        title="Convention de financement",
        kind="specific",
        specific_kind="funding",
        parent=world.shared,
    )
    MembershipFactory(user=world.users["reader"], convention=specific, role=Role.READER)
    ConventionFactory(
        title="Spécifique invisible", kind="specific", specific_kind="project", parent=world.shared
    )
    response = _as(client, world).get(f"/conventions/{world.shared.pk}/")
    text = _text(response)
    assert "Représentée par Frédéric BIERRY, Président du Département du Bas-Rhin" in text
    assert "Conclue pour une durée initiale de 3 ans à compter du 1 juillet 2019." in text
    assert "Reconduite tacitement par périodes de 1 an." in text
    assert (
        "Dénonciation avec un préavis de 6 mois, par lettre recommandée avec accusé de réception."
        in text
    )
    timeline = response.context["page"].timeline
    assert [p.label for p in timeline] == [
        "Période initiale",
        "Reconduction n° 1",
        "Reconduction n° 2",
        "Reconduction n° 3",
        "Reconduction n° 4",
    ]
    assert [p.is_current for p in timeline] == [False, False, False, True, False]
    assert timeline[-1].is_next and timeline[-1].start == dt.date(2025, 7, 1)
    assert "Reconduction n° 3 01/07/2024 30/06/2025 31/12/2024 en cours" in text
    assert "Reconductions 3" in text
    assert "Avenant n° 1 — Ajout d'une thématique (Projet)" in text
    assert "Convention de financement" in text
    assert "Spécifique invisible" not in text
    assert "Voir le projet de coopération" in text


def test_convention_page_shows_a_termination_and_the_end(client, world):
    party = world.shared.parties.get(institution=world.caf)
    services.record_termination(world.shared, party, dt.date(2024, 11, 15))
    response = _as(client, world).get(f"/conventions/{world.shared.pk}/")
    text = _text(response)
    assert "Dénoncée (préavis en cours)" in text
    assert "Dénoncée par Caf du Bas-Rhin (préavis reçu le 15/11/2024) : fin le 30/06/2025." in text
    assert [p.label for p in response.context["page"].timeline][-1] == "Reconduction n° 3"


def test_superusers_see_predecessors_and_deleted_conventions(client, world):
    services.set_predecessor(world.shared, world.other)
    text = _text(_as(client, world, "superuser").get(f"/conventions/{world.shared.pk}/"))
    assert "Convention précédente CTG Pays de Saverne" in text
    text = _text(client.get(f"/conventions/{world.deleted.pk}/"))
    assert "Cette convention a été supprimée" in text


@pytest.fixture
def plan(world):
    """Two themes on ``shared``: 1.1 (CD), 1.2 (CAF), 1.3 (both) and 2.1 (CAF, done, MSA)."""
    msa = InstitutionFactory(name="MSA")
    theme = ThemeFactory(plan=world.actions["cd"].plan, number=2, title="Insertion")
    action = ActionFactory(
        orientation=OrientationFactory(theme=theme),
        number="2.1",
        title="Accès aux droits",
        status=ActionStatus.DONE,
        progress=100,
    )
    ActionLeadFactory(action=action, institution=world.caf)
    ActionPartnerFactory(action=action, institution=msa)
    return {"msa": msa, "action": action}


def _numbers(response):
    return [
        a.number
        for node in response.context["tree"]
        for branch in node.orientations
        for a in branch.actions
    ]


def test_plan_tree_and_its_filters(client, world, plan):
    url = f"/conventions/{world.shared.pk}/plan/"
    _as(client, world)
    response = client.get(url)
    html = response.content.decode()
    assert _numbers(response) == ["1.1", "1.2", "1.3", "2.1"]
    for field in ("theme", "lead", "partner", "status"):
        assert f'<label for="id_{field}">' in html
    assert '<form method="get"' in html
    theme2 = response.context["tree"][1].theme
    assert _numbers(client.get(url, {"theme": theme2.pk})) == ["2.1"]
    assert _numbers(client.get(url, {"lead": world.cd.pk})) == ["1.1", "1.3"]
    assert _numbers(client.get(url, {"lead": world.caf.pk})) == ["1.2", "1.3", "2.1"]
    assert _numbers(client.get(url, {"partner": plan["msa"].pk})) == ["2.1"]
    assert _numbers(client.get(url, {"status": "done"})) == ["2.1"]
    filtered = client.get(url, {"lead": world.cd.pk, "status": "done"})
    assert _numbers(filtered) == []
    assert "Aucune action ne correspond à ces filtres." in _text(filtered)
    # A stale or forged value is ignored, not an error page.
    assert _numbers(client.get(url, {"theme": "abc", "status": "done"})) == ["2.1"]


def test_plan_page_of_a_convention_without_plan(client, world):
    MembershipFactory(user=world.users["reader"], convention=(c := ConventionFactory()))
    text = _text(_as(client, world).get(f"/conventions/{c.pk}/plan/"))
    assert "Cette convention n'a pas de projet de coopération." in text


def test_action_page_shows_every_field_of_the_fiche(client, world):
    action = world.actions["both"]
    for name in (
        "shared_diagnosis",
        "operational_objectives",
        "target_audiences",
        "description",
        "expected_results",
    ):
        setattr(action, name, f"Texte de {name}")
    action.status, action.progress = ActionStatus.IN_PROGRESS, 40
    action.save()
    ActionPartnerFactory(action=action, institution=InstitutionFactory(name="MDPH"))
    BudgetLineFactory(
        action=action, institution=world.cd, amount_eur=Decimal("10000"), fte=Decimal("0.5")
    )
    BudgetLineFactory(
        action=action,
        institution=world.caf,
        amount_eur=Decimal("2500.50"),
        fte=Decimal("1"),
        text="dont 0,5 ETP de conseiller",
        position=1,
    )
    IndicatorFactory(action=action, label="Nombre de familles accompagnées")
    MilestoneFactory(action=action)
    DeliverableFactory(action=action)
    text = _text(_as(client, world, "lead_cd").get(f"/actions/{action.pk}/"))
    for name in (
        "shared_diagnosis",
        "operational_objectives",
        "target_audiences",
        "description",
        "expected_results",
    ):
        assert f"Texte de {name}" in text
    assert "Pour Département du Bas-Rhin : Direction de l'enfance et de la famille" in text
    assert "Pour Caf du Bas-Rhin" in text
    assert "MDPH" in text
    assert "Département du Bas-Rhin 10 000 € 0,5" in text
    assert "Caf du Bas-Rhin 2 500,50 € 1 dont 0,5 ETP de conseiller" in text
    assert "Total 12 500,50 € 1,5" in text
    assert "Nombre de familles accompagnées (indicateur de réalisation)" in text
    assert "Comité technique de lancement 31/03/2020" in text
    assert "Guide partagé des aides" in text
    assert "En cours" in text and "40 %" in text


def test_pages_have_landmarks_skip_link_and_french(client, world):
    _as(client, world)
    for url in (
        "/",
        f"/conventions/{world.shared.pk}/",
        f"/conventions/{world.shared.pk}/plan/",
        f"/actions/{world.actions['cd'].pk}/",
    ):
        html = client.get(url).content.decode()
        assert '<html lang="fr">' in html
        assert '<a class="skip-link" href="#contenu">Aller au contenu</a>' in html
        assert '<main id="contenu"' in html and 'role="banner"' in html
        assert "<h1>" in html
        assert 'name="csrfmiddlewaretoken"' in html  # the logout button is a POST form
