"""A small world for permission tests: two institutions, three conventions, every role.

Convention ``shared`` (CD + CAF) has three actions: one led by the CD, one by the CAF and
one co-piloted by both. ``other`` has no members; ``deleted`` is soft-deleted although
everybody is a member of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from copil.accounts.enums import Role
from copil.institutions.enums import InstitutionKind
from tests.factories import (
    ActionFactory,
    ActionLeadFactory,
    ConventionFactory,
    InstitutionFactory,
    MembershipFactory,
    OrientationFactory,
    PartyFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
)

#: user key -> (institution key, role on ``shared`` and ``deleted``; None: no membership)
USERS = {
    "admin": ("cd", Role.ADMIN),
    "editor": ("cd", Role.EDITOR),
    "lead_cd": ("cd", Role.LEAD_EDITOR),
    "lead_caf": ("caf", Role.LEAD_EDITOR),
    "reader": ("caf", Role.READER),
    "non_member": ("cd", None),
}


@dataclass
class World:
    cd: object
    caf: object
    shared: object
    other: object
    deleted: object
    actions: dict  # "cd", "caf", "both" (on shared), "other", "deleted"
    users: dict  # the keys of USERS, plus "superuser"


def _plan_with_action(convention, number="1.1"):
    plan = PlanFactory(convention=convention)
    orientation = OrientationFactory(theme=ThemeFactory(plan=plan, number=1))
    return plan, ActionFactory(orientation=orientation, number=number)


def build_world() -> World:
    cd = InstitutionFactory(name="Département du Bas-Rhin", kind=InstitutionKind.DEPARTEMENT)
    caf = InstitutionFactory(name="Caf du Bas-Rhin", kind=InstitutionKind.CAF)
    shared = ConventionFactory(title="Convention CD-CAF 2019")
    other = ConventionFactory(title="CTG Pays de Saverne", capped=True)
    deleted = ConventionFactory(title="Convention supprimée", fixed_term=True)
    for convention in (shared, other, deleted):
        PartyFactory(convention=convention, institution=cd)
        PartyFactory(convention=convention, institution=caf, position=1)

    plan, led_by_cd = _plan_with_action(shared, "1.1")
    ActionLeadFactory(action=led_by_cd, institution=cd)
    led_by_caf = ActionFactory(orientation=led_by_cd.orientation, number="1.2")
    ActionLeadFactory(action=led_by_caf, institution=caf)
    co_piloted = ActionFactory(orientation=led_by_cd.orientation, number="1.3")
    ActionLeadFactory(action=co_piloted, institution=cd)
    ActionLeadFactory(action=co_piloted, institution=caf, position=1)
    _, other_action = _plan_with_action(other)
    ActionLeadFactory(action=other_action, institution=cd)
    _, deleted_action = _plan_with_action(deleted)
    ActionLeadFactory(action=deleted_action, institution=cd)

    institutions = {"cd": cd, "caf": caf}
    users = {}
    for key, (institution, role) in USERS.items():
        user = UserFactory(username=key, institution=institutions[institution])
        if role is not None:
            MembershipFactory(user=user, convention=shared, role=role)
            MembershipFactory(user=user, convention=deleted, role=role)
        users[key] = user
    users["superuser"] = UserFactory(username="root", superuser=True)
    deleted.deleted_at = timezone.now()
    deleted.save(update_fields=["deleted_at"])
    return World(
        cd=cd,
        caf=caf,
        shared=shared,
        other=other,
        deleted=deleted,
        actions={
            "cd": led_by_cd,
            "caf": led_by_caf,
            "both": co_piloted,
            "other": other_action,
            "deleted": deleted_action,
        },
        users=users,
    )
