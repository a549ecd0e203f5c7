"""The governance page and the meeting page cost a fixed number of queries, whatever the
number of bodies, members, meetings, decisions and tasks."""

import datetime as dt

import pytest

from copil.governance import services
from copil.governance.models import Attendee, BodyMember
from tests.factories import GovernanceBodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

QUERIES = {
    # session, user, institution; convention; bodies (+last and next meeting); their
    # members (+institution); meetings (+body); open tasks (+owner, meeting, body);
    # the user's role (can_govern)
    "governance_page": 3 + 6,
    # session, user, institution; meeting (+body, convention, approver) through the
    # funnel; attendees; agenda (+actions); decisions (+amendment); their actions; tasks
    # (+owner, decision); the user's role for can_govern, and twice for can_approve_minutes
    "meeting_page": 3 + 6 + 3,
    # session, user, institution; meeting (+body, convention) through the funnel; the
    # rows of its four parts, and the actions of its decisions; the choices of every
    # select once for the page (institutions, actions, amendments, members, decisions)
    "meeting_edit": 3 + 1 + 5 + 5,
}


def populate(world, n: int):
    actions = list(world.actions[k] for k in ("cd", "caf", "both"))
    for b in range(n):
        body = GovernanceBodyFactory(convention=world.shared, name=f"Instance {b}", position=b)
        for m in range(n):
            BodyMember.objects.create(body=body, role=f"Membre {m}", institution=world.cd)
        for k in range(n):
            meeting = MeetingFactory(body=body, date=dt.date(2020, 1 + k % 12, 1 + b))
            for a in range(n):
                Attendee.objects.create(
                    meeting=meeting, name=f"Personne {a}", institution=world.caf
                )
                services.add_agenda_item(meeting, title=f"Point {a}", action=actions[a % 3])
                decision = services.add_decision(
                    meeting, text=f"Décision {a}", actions=actions[: 1 + a % 3]
                )
                services.add_task(
                    meeting,
                    title=f"Tâche {a}",
                    owner=world.users["lead_cd"],
                    due_date=dt.date(2021, 6, 30),
                    decision=decision,
                )
    return meeting


@pytest.mark.parametrize("n", [1, 4])
def test_governance_pages_cost_a_fixed_number_of_queries(
    client, world, n, django_assert_num_queries
):
    meeting = populate(world, n)
    client.force_login(world.users["admin"])
    pages = {
        "governance_page": f"/conventions/{world.shared.pk}/gouvernance/",
        "meeting_page": f"/reunions/{meeting.pk}/",
        "meeting_edit": f"/reunions/{meeting.pk}/modifier/",
    }
    for name, url in pages.items():
        with django_assert_num_queries(QUERIES[name]):
            response = client.get(url)
        assert response.status_code == 200, name
