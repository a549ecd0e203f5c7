"""The Django admin keeps the lock of approved minutes."""

import pytest

from copil.governance import services
from copil.governance.models import Meeting

pytestmark = pytest.mark.django_db


def test_an_approved_meeting_is_read_only_in_the_admin(client, gov):
    root = gov.users["superuser"]
    client.force_login(root)
    draft_url = f"/admin/governance/meeting/{gov.meeting.pk}/change/"
    assert 'name="_save"' in client.get(draft_url).content.decode()
    services.approve_minutes(gov.meeting, by=root)
    response = client.get(draft_url)
    assert response.status_code == 200 and 'name="_save"' not in response.content.decode()
    response = client.post(draft_url, {"minutes": "Réécrit", "date": "2020-11-20"})
    assert response.status_code == 403
    assert client.post(f"/admin/governance/meeting/{gov.meeting.pk}/delete/").status_code == 403
    assert Meeting.objects.get(pk=gov.meeting.pk).minutes == "Compte rendu du comité."


def test_the_body_admin_lists_bodies_with_their_members(client, gov):
    client.force_login(gov.users["superuser"])
    assert client.get("/admin/governance/governancebody/").status_code == 200
    assert client.get(f"/admin/governance/governancebody/{gov.body.pk}/change/").status_code == 200
    assert client.get("/admin/governance/meeting/").status_code == 200
