import pytest

from copil.accounts.models import Membership
from copil.audit.models import AuditEntry
from tests.factories import (
    ConventionFactory,
    DecisionFactory,
    IndicatorTargetFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_staff_manage_users_and_memberships_in_the_admin_audited(client):
    root = UserFactory(username="root", superuser=True)
    agent = UserFactory(username="marie.dupont")
    convention = ConventionFactory()
    client.force_login(root)
    for url in (
        "/admin/accounts/user/",
        f"/admin/accounts/user/{agent.pk}/change/",
        "/admin/accounts/membership/",
        "/admin/accounts/membership/add/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        "/admin/accounts/membership/add/",
        {"user": agent.pk, "convention": convention.pk, "role": "editor"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get()
    entry = AuditEntry.objects.get(convention_id=convention.pk)
    assert (entry.action, entry.actor_label, entry.object_id) == (
        "create",
        "root",
        str(membership.pk),
    )


def test_admin_deletes_of_nested_rows_are_filed_under_their_convention(client):
    """A target (indicator -> action -> plan -> convention) or a meeting's decision deleted
    in the admin shows in its convention's history."""
    root = UserFactory(username="root", superuser=True)
    client.force_login(root)
    target = IndicatorTargetFactory()
    convention_id = target.indicator.action.plan.convention_id
    url = f"/admin/monitoring/indicatortarget/{target.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action="delete", object_id=str(target.pk))
    assert entry.convention_id == convention_id
    decision = DecisionFactory()
    url = f"/admin/governance/decision/{decision.pk}/delete/"
    if client.get(url).status_code == 200:  # decisions may only be edited inline
        assert client.post(url, {"post": "yes"}).status_code == 302
        entry = AuditEntry.objects.get(action="delete", object_id=str(decision.pk))
        assert entry.convention_id == decision.meeting.convention_id
