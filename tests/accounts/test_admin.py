import pytest

from copil.accounts.models import Membership
from copil.audit.models import AuditEntry
from tests.factories import ConventionFactory, UserFactory

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
