"""Each page costs a fixed number of SQL queries, whatever the size of the plan.

Every signed-in page costs 3 queries before its own: the session, the user, and the user's
institution shown in the header.
"""

import pytest

from copil.accounts.enums import Role
from copil.institutions.enums import InstitutionKind
from copil.plan import services
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
    PartyFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUERIES = {
    "home": 3 + 2,  # conventions; parties with their institutions
    "convention": 3 + 6,  # convention (+termination, territory, plan); parties; signatories;
    # amendments; deliberations; the related conventions the user may see
    "plan": 3 + 9,  # convention (+plan); themes; orientations; lead and partner choices;
    # territory and year choices; actions (through the funnel); their leads
    "plan_filtered": 3 + 9,
    "action": 3 + 14,  # action (+orientation, theme, plan, convention); leads; partners;
    # budget lines; indicators; milestones; deliverables; territories; notes; comments;
    # attachments (each with its author); the user's role (perms.action_rights); the
    # latest value of its indicators (monitoring's indicator_values tag); the decisions
    # that concern it (governance.selectors.decisions_for_actions)
    "action_edit": 3 + 1,  # action (+orientation, theme, plan, convention) through the funnel
    "action_parts": 3 + 8,  # action; leads; partners; budget lines; indicators; milestones;
    # deliverables; the institutions of every select, once for the page
    "action_history": 3 + 3,  # action; count of entries; one page of entries (+content type)
    "convention_history": 3 + 5,  # convention; count; one page of entries; the user's role;
    # the bin (actions in the bin)
}


def build_plan(n_actions: int):
    cd = InstitutionFactory(name="Département du Bas-Rhin", kind=InstitutionKind.DEPARTEMENT)
    caf = InstitutionFactory(name="Caf du Bas-Rhin", kind=InstitutionKind.CAF)
    partners = [InstitutionFactory(name=n) for n in ("MSA", "MDPH", "ARS")]
    conventions = [ConventionFactory() for _ in range(max(1, n_actions // 10))]
    convention = conventions[0]
    for c in conventions:
        PartyFactory(convention=c, institution=cd)
        PartyFactory(convention=c, institution=caf, position=1)
    plan = PlanFactory(convention=convention)
    themes = [ThemeFactory(plan=plan, number=t) for t in (1, 2, 3)]
    orientations = [OrientationFactory(theme=t, number=o) for t in themes for o in (1, 2)]
    specific = ConventionFactory(parent=convention, kind="specific", specific_kind="funding")
    specific.parties.create(institution=cd)
    for i in range(n_actions):
        action = ActionFactory(
            orientation=orientations[i % len(orientations)], number=f"{i % 3 + 1}.{i + 1}"
        )
        ActionLeadFactory(action=action, institution=cd if i % 2 else caf)
        if i % 3 == 0:
            ActionLeadFactory(action=action, institution=caf, position=1)
        ActionPartnerFactory(action=action, institution=partners[i % 3])
        BudgetLineFactory(action=action, institution=cd)
        BudgetLineFactory(action=action, institution=caf, position=1)
        IndicatorFactory(action=action)
        MilestoneFactory(action=action)
        DeliverableFactory(action=action)
        action.territories.create(kind="epci", name=f"EPCI {i}")
    user = UserFactory(institution=cd)
    for c in [*conventions, specific]:
        MembershipFactory(user=user, convention=c, role=Role.LEAD_EDITOR)
    return user, convention, plan.actions.order_by("-pk").first(), cd


@pytest.mark.parametrize("n_actions", [3, 30])
def test_each_page_costs_a_fixed_number_of_queries(client, n_actions, django_assert_num_queries):
    user, convention, action, cd = build_plan(n_actions)
    client.force_login(user)
    pages = {
        "home": "/",
        "convention": f"/conventions/{convention.pk}/",
        "plan": f"/conventions/{convention.pk}/plan/",
        "plan_filtered": f"/conventions/{convention.pk}/plan/?lead={cd.pk}&status=planned",
        "action": f"/actions/{action.pk}/",
    }
    for name, url in pages.items():
        with django_assert_num_queries(QUERIES[name]):
            response = client.get(url)
        assert response.status_code == 200, name


@pytest.mark.parametrize("n_actions", [3, 30])
def test_edit_and_history_pages_cost_a_fixed_number_of_queries(
    client, n_actions, django_assert_num_queries
):
    user, convention, _action, cd = build_plan(n_actions)
    action = convention.plan.actions.filter(leads__institution=cd).order_by("-pk").first()
    for other in convention.plan.actions.all():
        services.update_action(other, progress=10)
    for progress in range(n_actions):
        services.update_action(action, progress=progress + 11)
    services.delete_action(convention.plan.actions.exclude(pk=action.pk).first())
    user.memberships.filter(convention=convention).update(role=Role.EDITOR)  # sees the bin
    client.force_login(user)
    pages = {
        "action_edit": f"/actions/{action.pk}/modifier/",
        "action_parts": f"/actions/{action.pk}/moyens/",
        "action_history": f"/actions/{action.pk}/historique/",
        "convention_history": f"/conventions/{convention.pk}/historique/",
    }
    for name, url in pages.items():
        with django_assert_num_queries(QUERIES[name]):
            response = client.get(url)
        assert response.status_code == 200, name
