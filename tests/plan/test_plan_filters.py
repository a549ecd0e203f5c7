"""The plan's territory and year filters."""

import datetime as dt

import pytest

from copil.accounts.perms import actions_for
from copil.plan import selectors
from copil.plan.models import Action
from copil.plan.selectors import filter_actions
from tests.factories import ActionFactory, MilestoneFactory, OrientationFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = PlanFactory()
    orientation = OrientationFactory(theme__plan=plan)
    dated = {
        "2019-2020": (dt.date(2019, 7, 1), dt.date(2020, 6, 30)),
        "from 2021": (dt.date(2021, 1, 1), None),
        "until 2019": (None, dt.date(2019, 12, 31)),
        "undated": (None, None),
    }
    actions = {
        key: ActionFactory(orientation=orientation, plan=plan, start_date=start, end_date=end)
        for key, (start, end) in dated.items()
    }
    MilestoneFactory(action=actions["undated"], due_date=dt.date(2022, 3, 31))
    MilestoneFactory(action=actions["undated"], due_date=None)
    return plan, actions


def _keys(queryset, actions):
    found = set(queryset)
    return {key for key, action in actions.items() if action in found}


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2018, {"until 2019"}),
        (2019, {"2019-2020", "until 2019"}),
        (2020, {"2019-2020"}),
        (2021, {"from 2021"}),
        (2022, {"from 2021", "undated"}),  # undated, but a milestone is due in 2022
        (None, {"2019-2020", "from 2021", "until 2019", "undated"}),
    ],
)
def test_year_keeps_the_actions_active_that_year(plan, year, expected):
    plan, actions = plan
    assert (
        _keys(selectors.filter_by_year(Action.objects.filter(plan=plan), year), actions) == expected
    )


def test_territory_keeps_the_actions_carried_out_there(plan):
    plan, actions = plan
    saverne = actions["2019-2020"].territories.create(kind="epci", name="Pays de Saverne")
    actions["undated"].territories.add(saverne)
    actions["from 2021"].territories.create(kind="epci", name="Eurométropole")
    found = selectors.filter_by_territory(Action.objects.filter(plan=plan), saverne.pk)
    assert _keys(found, actions) == {"2019-2020", "undated"}
    assert [t.name for t in selectors.territory_choices(plan)] == [
        "Eurométropole",
        "Pays de Saverne",
    ]


def test_filters_combine_with_the_plan_filters_and_the_funnel(plan, world):
    plan, actions = plan
    saverne = actions["undated"].territories.create(kind="epci", name="Pays de Saverne")
    base = filter_actions(actions_for(world.users["superuser"]).filter(plan=plan), status="planned")
    found = selectors.filter_plan_actions(base, territory=saverne.pk, year=2022)
    assert _keys(found, actions) == {"undated"}
    assert not selectors.filter_plan_actions(
        actions_for(world.users["reader"]).filter(plan=plan), territory=saverne.pk
    ).exists()


def test_year_choices_span_every_date_of_the_plan(plan, django_assert_num_queries):
    plan, _ = plan
    with django_assert_num_queries(1):
        assert selectors.year_choices(plan) == [2019, 2020, 2021, 2022]
    assert selectors.year_choices(PlanFactory()) == []
