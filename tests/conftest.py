import pytest

from tests.world import build_world


@pytest.fixture
def world(db):
    """Conventions, actions and users of every role (see tests/world.py)."""
    return build_world()
