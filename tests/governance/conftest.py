import datetime as dt

import pytest

from copil.conventions.models import Amendment
from tests.factories import GovernanceBodyFactory, MeetingFactory


@pytest.fixture
def gov(world):
    """The world, plus a steering committee of ``shared`` with one draft meeting, and a
    body, meeting and amendment of ``other``."""
    world.body = GovernanceBodyFactory(convention=world.shared)
    world.meeting = MeetingFactory(
        body=world.body, date=dt.date(2020, 11, 20), minutes="Compte rendu du comité."
    )
    world.other_body = GovernanceBodyFactory(convention=world.other)
    world.other_meeting = MeetingFactory(body=world.other_body)
    world.amendment = Amendment.objects.create(convention=world.shared, number=1, title="Avenant 1")
    world.other_amendment = Amendment.objects.create(
        convention=world.other, number=1, title="Avenant de l'autre"
    )
    return world
