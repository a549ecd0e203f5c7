"""perms.action_rights answers like the one-object rules, in one query at most."""

import pytest

from copil.accounts import perms
from copil.plan import services
from copil.plan.models import Action

pytestmark = pytest.mark.django_db

ROLES = ["admin", "editor", "lead_cd", "lead_caf", "reader", "non_member", "superuser"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", ["cd", "caf", "both", "other", "deleted"])
def test_action_rights_agree_with_the_rules(world, role, key, django_assert_max_num_queries):
    user = world.users[role]
    action = (
        Action.objects.select_related("plan__convention")
        .prefetch_related("leads")
        .get(pk=world.actions[key].pk)
    )
    with django_assert_max_num_queries(1):
        rights = perms.action_rights(user, action)
    convention = action.plan.convention
    assert rights.edit is perms.can_edit_action(user, action)
    assert rights.edit_plan is perms.can_edit_plan(user, convention)
    commenters = {"admin", "editor", "lead_cd", "lead_caf"}
    visible = role == "superuser" or (key in ("cd", "caf", "both") and role in commenters)
    assert rights.comment is visible
    assert perms.can_comment_action(user, action) is visible


@pytest.mark.parametrize("role", ROLES)
def test_nobody_has_rights_on_a_deleted_action(world, role):
    action = services.delete_action(world.actions["cd"])
    assert perms.action_rights(world.users[role], action) == perms.ActionRights()
    assert not perms.can_edit_action(world.users[role], action)
