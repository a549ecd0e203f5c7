"""Each rule of copil.accounts.perms, tested directly, and the funnel agreeing with it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from copil.accounts import perms
from copil.accounts.enums import Role
from copil.conventions.models import Convention
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EVERY_USER = ["admin", "editor", "lead_cd", "lead_caf", "reader", "non_member", "superuser"]
MEMBERS = ["admin", "editor", "lead_cd", "lead_caf", "reader"]


@pytest.mark.parametrize("key", EVERY_USER)
def test_view_convention_members_only_and_never_a_deleted_one(world, key):
    user = world.users[key]
    is_member = key in MEMBERS
    superuser = key == "superuser"
    assert perms.can_view_convention(user, world.shared) is (is_member or superuser)
    assert perms.can_view_convention(user, world.other) is superuser
    assert perms.can_view_convention(user, world.deleted) is superuser
    expected = {world.shared} if is_member else set()
    if superuser:
        expected = {world.shared, world.other, world.deleted}
    assert set(perms.conventions_for(user)) == expected


@pytest.mark.parametrize(
    ("key", "manage", "edit_plan", "import_"),
    [
        ("admin", True, True, True),
        ("editor", False, True, True),
        ("lead_cd", False, False, False),
        ("lead_caf", False, False, False),
        ("reader", False, False, False),
        ("non_member", False, False, False),
        ("superuser", True, True, True),
    ],
)
def test_convention_rules_per_role(world, key, manage, edit_plan, import_):
    user = world.users[key]
    assert perms.can_manage_convention(user, world.shared) is manage
    assert perms.can_edit_plan(user, world.shared) is edit_plan
    assert perms.can_import(user, world.shared) is import_
    assert (world.shared in perms.conventions_for(user, "manage")) is manage
    assert (world.shared in perms.conventions_for(user, "change")) is edit_plan
    assert (world.shared in perms.conventions_for(user, "import")) is import_


@pytest.mark.parametrize(
    ("key", "editable"),
    [
        ("admin", {"cd", "caf", "both"}),
        ("editor", {"cd", "caf", "both"}),
        ("lead_cd", {"cd", "both"}),  # co-piloted: editable by both lead institutions
        ("lead_caf", {"caf", "both"}),
        ("reader", set()),
        ("non_member", set()),
        ("superuser", {"cd", "caf", "both", "other", "deleted"}),
    ],
)
def test_edit_action_per_role_and_institution(world, key, editable):
    user = world.users[key]
    for name, action in world.actions.items():
        assert perms.can_edit_action(user, action) is (name in editable), name
    funnel = set(perms.actions_for(user, "change"))
    assert funnel == {world.actions[name] for name in editable}


@pytest.mark.parametrize("key", EVERY_USER)
def test_every_member_sees_every_action_of_their_conventions(world, key):
    visible = set(perms.actions_for(world.users[key]))
    if key == "superuser":
        assert visible == set(world.actions.values())
    elif key in MEMBERS:
        assert visible == {world.actions[name] for name in ("cd", "caf", "both")}
    else:
        assert visible == set()


def test_a_lead_editor_without_institution_edits_nothing(world):
    user = UserFactory(institution=None)
    MembershipFactory(user=user, convention=world.shared, role=Role.LEAD_EDITOR)
    assert not perms.can_edit_action(user, world.actions["cd"])
    assert not perms.actions_for(user, "change").exists()
    assert perms.actions_for(user).count() == 3


def test_anonymous_and_inactive_users_get_nothing(world):
    inactive = world.users["admin"]
    inactive.is_active = False
    for user in (AnonymousUser(), inactive, None):
        assert not perms.conventions_for(user).exists()
        assert not perms.actions_for(user).exists()
        assert not perms.can_view_convention(user, world.shared)
        assert not perms.can_edit_action(user, world.actions["cd"])
        assert not perms.can_import(user)


def test_import_of_a_new_convention_takes_staff(world):
    assert not perms.can_import(world.users["admin"])
    assert perms.can_import(UserFactory(staff=True))
    assert perms.can_import(world.users["superuser"])


def test_get_or_404_answers_404_for_what_may_not_be_seen_or_done(world):
    reader = world.users["reader"]
    assert perms.get_convention_or_404(reader, world.shared.pk) == world.shared
    assert perms.get_action_or_404(reader, world.actions["cd"].pk) == world.actions["cd"]
    for call in (
        lambda: perms.get_convention_or_404(reader, world.other.pk),
        lambda: perms.get_convention_or_404(reader, world.deleted.pk),
        lambda: perms.get_convention_or_404(reader, world.shared.pk, "change"),
        lambda: perms.get_action_or_404(reader, world.actions["cd"].pk, "change"),
        lambda: perms.get_action_or_404(world.users["lead_caf"], world.actions["cd"].pk, "change"),
    ):
        with pytest.raises(Http404):
            call()
    lead = world.users["lead_caf"]
    assert perms.get_action_or_404(lead, world.actions["both"].pk, "change")


def test_unknown_permissions_are_programming_errors(world):
    with pytest.raises(ValueError, match="unknown permission"):
        perms.conventions_for(world.users["admin"], "delete")
    with pytest.raises(ValueError, match="unknown permission"):
        perms.actions_for(world.users["admin"], "manage")


def test_the_funnel_keeps_the_callers_queryset(world, django_assert_num_queries):
    queryset = Convention.objects.select_related("plan")
    with django_assert_num_queries(1):
        convention = perms.get_convention_or_404(
            world.users["reader"], world.shared.pk, queryset=queryset
        )
        assert convention.plan.pk


@pytest.mark.parametrize("key", ["admin", "editor", "lead_cd", "lead_caf", "reader"])
def test_the_role_level_rules_agree_with_the_object_rules(world, key):
    """role_grants / role_edits_action (for callers that hold the role already, such as
    the reminders) answer as can_* do for the same member."""
    user = world.users[key]
    role = perms.role_on(user, world.shared)
    assert perms.role_grants(role, "change") is perms.can_edit_plan(user, world.shared)
    assert perms.role_grants(role, "govern") is perms.can_govern(user, world.shared)
    assert perms.role_grants(role, "validate") is perms.can_validate_measurements(
        user, world.shared
    )
    for action in (world.actions["cd"], world.actions["caf"], world.actions["both"]):
        leads = set(action.leads.values_list("institution_id", flat=True))
        assert perms.role_edits_action(role, user.institution_id, leads) is (
            perms.can_edit_action(user, action)
        )
