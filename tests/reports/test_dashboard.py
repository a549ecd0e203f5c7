"""The convention dashboard, on a world frozen on 1 December 2024."""

import datetime as dt
import html as html_lib
import re
from decimal import Decimal

import pytest

from copil.accounts.enums import Role
from copil.governance.models import GovernanceBody
from copil.plan.enums import ActionStatus
from copil.reports import charts
from tests.factories import (
    ActionFactory,
    ActionLeadFactory,
    BudgetLineFactory,
    ConventionFactory,
    InstitutionFactory,
    MembershipFactory,
    MilestoneFactory,
    OrientationFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def build_convention(n_actions: int = 4):
    cd = InstitutionFactory(name="Département du Bas-Rhin")
    caf = InstitutionFactory(name="Caf du Bas-Rhin")
    convention = ConventionFactory(title="CTG 2019-2022")
    plan = PlanFactory(convention=convention)
    themes = [
        ThemeFactory(plan=plan, number=1, title="Petite enfance"),
        ThemeFactory(plan=plan, number=2, title="Logement"),
        ThemeFactory(plan=plan, number=3, title="Sans action"),
    ]
    orientations = [OrientationFactory(theme=t, number=1) for t in themes[:2]]
    statuses = [ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.LATE]
    actions = []
    for i in range(n_actions):
        action = ActionFactory(
            orientation=orientations[i % 2], number=f"{i % 2 + 1}.{i + 1}", status=statuses[i % 3]
        )
        ActionLeadFactory(action=action, institution=cd)
        BudgetLineFactory(action=action, institution=cd, amount_eur=Decimal("1000"), fte=None)
        BudgetLineFactory(action=action, institution=caf, amount_eur=None, fte=Decimal("0.5"))
        MilestoneFactory(action=action, label=f"Jalon passé {i}", due_date=dt.date(2024, 6, 30))
        MilestoneFactory(
            action=action,
            label=f"Jalon atteint {i}",
            due_date=dt.date(2024, 1, 31),
            reached_on=dt.date(2024, 1, 15),
        )
        MilestoneFactory(action=action, label=f"Jalon futur {i}", due_date=dt.date(2025, 3, 31))
        actions.append(action)
    GovernanceBody.objects.create(
        convention=convention,
        kind="steering",
        name="Comité de pilotage",
        frequency="au moins une fois par an",
    )
    GovernanceBody.objects.create(
        convention=convention,
        kind="bilateral",
        name="Rencontres bilatérales",
        frequency="en tant que de besoin",
        position=1,
    )
    user = UserFactory(institution=cd)
    MembershipFactory(user=user, convention=convention, role=Role.READER)
    return user, convention, actions


def test_dashboard_shows_statuses_budget_milestones_deadlines_and_governance(client, frozen_today):
    user, convention, actions = build_convention(4)
    client.force_login(user)
    response = client.get(f"/conventions/{convention.pk}/tableau-de-bord/")
    assert response.status_code == 200
    board = response.context["board"]
    rows = {row.theme.title: row for row in board.status_by_theme.rows}
    labels = [label for _, label in board.status_by_theme.statuses]
    assert rows["Petite enfance"].total == 2 and rows["Logement"].total == 2
    assert rows["Sans action"].total == 0
    assert dict(zip(labels, board.status_by_theme.totals, strict=True)) == {
        "À venir": 0,
        "En cours": 2,
        "Réalisé": 1,
        "En retard": 1,
        "En pause": 0,
        "Abandonné": 0,
        "Bloqué": 0,
    }
    by_institution = {row.institution: row for row in board.budget_by_institution.rows}
    assert by_institution["Département du Bas-Rhin"].amount_eur == Decimal("4000")
    assert by_institution["Caf du Bas-Rhin"].fte == Decimal("2.0")
    assert board.budget_by_institution.total.amount_eur == Decimal("4000")
    assert [row.institution for row in board.budget_by_theme.rows] == [
        "1. Petite enfance",
        "2. Logement",
    ]
    assert [item.milestone.label for item in board.overdue_milestones] == [
        f"Jalon passé {i}" for i in range(4)
    ]
    assert board.overdue_milestones[0].days_late == 154
    assert [alert.body.name for alert in board.governance_alerts] == ["Comité de pilotage"]
    assert board.governance_alerts[0].due_on == dt.date(2020, 7, 1)
    assert board.deadlines and all(d.on >= frozen_today for d in board.deadlines)

    text = _text(response)
    assert "Situation au 1 décembre 2024" in text
    assert "Jalon passé 0" in text and "Jalon atteint 0" not in text and "Jalon futur 0" not in text
    assert "154 jours" in text
    assert "Comité de pilotage" in text and "annuelle" in text and "01/07/2020" in text
    assert "31/12/2024" in text  # the notice deadline of the current period
    assert "4 000 €" in text


def test_charts_are_accessible_svg_followed_by_their_table(client, frozen_today):
    user, convention, _ = build_convention(3)
    client.force_login(user)
    html = client.get(f"/conventions/{convention.pk}/tableau-de-bord/").content.decode()
    # Server-rendered charts: the only script on the page is the vendored htmx of base.html.
    scripts = re.findall(r"<script[^>]*>", html)
    assert all("vendor/htmx" in tag for tag in scripts), scripts
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 3  # statuses x themes, budget per institution, per theme
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        chart_id = re.search(r'<title id="([^"]+)-title"', svg).group(1)
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in svg
        after = html.split(svg, 1)[1]
        assert after.lstrip().startswith("</figure>")
        assert "<table>" in after[:400]
    # series are told apart by patterns, not colour alone, and named in the legend
    assert "<pattern" in svgs[0] and "En cours" in svgs[0] and "Réalisé" in svgs[0]


def test_chart_text_is_escaped():
    svg = charts.stacked_bar_chart(
        "c", "<b>titre</b>", "desc & co", ["<script>x</script>"], [charts.Series("a<b", [2])]
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "desc &amp; co" in svg and "a&lt;b" in svg
    bars = charts.bar_chart("d", "t", "d", [("<i>x</i>", Decimal("10"), "10 €")])
    assert "<i>" not in bars and "10 €" in bars


def test_a_convention_without_plan_still_shows_deadlines_and_governance(client, frozen_today):
    convention = ConventionFactory()
    GovernanceBody.objects.create(
        convention=convention, kind="technical", name="Comité technique", frequency="trimestrielle"
    )
    user = UserFactory()
    MembershipFactory(user=user, convention=convention)
    client.force_login(user)
    response = client.get(f"/conventions/{convention.pk}/tableau-de-bord/")
    assert response.status_code == 200
    text = _text(response)
    assert "pas de projet de coopération" in text
    assert "Comité technique" in text


def test_the_convention_page_links_to_its_dashboard(client, world):
    client.force_login(world.users["reader"])
    html = client.get(f"/conventions/{world.shared.pk}/").content.decode()
    assert f'href="/conventions/{world.shared.pk}/tableau-de-bord/"' in html


@pytest.mark.parametrize("n_actions", [3, 30])
def test_dashboard_costs_a_fixed_number_of_queries(
    client, frozen_today, n_actions, django_assert_num_queries
):
    user, convention, _ = build_convention(n_actions)
    client.force_login(user)
    # session, user, institution; convention (+plan, termination); governance bodies;
    # themes; actions (status, theme); budget lines; overdue milestones (+actions)
    with django_assert_num_queries(3 + 6):
        response = client.get(f"/conventions/{convention.pk}/tableau-de-bord/")
    assert response.status_code == 200
    assert response.context["board"].action_count == n_actions
