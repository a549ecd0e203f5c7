import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from copil.accounts import services
from copil.accounts.enums import Role
from copil.accounts.models import Membership
from copil.audit.context import Actor, acting_as
from copil.audit.models import AuditEntry
from tests.factories import ConventionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_add_change_and_remove_a_member_are_audited_on_the_convention():
    convention, user = ConventionFactory(), UserFactory(username="marie.dupont")
    with acting_as(Actor(label="admin.cd67")):
        membership = services.add_member(convention, user, Role.READER)
        services.change_role(membership, Role.EDITOR)
        services.remove_member(Membership.objects.get(pk=membership.pk))
    entries = AuditEntry.objects.filter(convention_id=convention.pk).order_by("id")
    assert [(e.action, e.actor_label) for e in entries] == [
        ("create", "admin.cd67"),
        ("update", "admin.cd67"),
        ("delete", "admin.cd67"),
    ]
    assert entries[0].changes["role"] == "reader"
    assert entries[1].changes == {"role": ["reader", "editor"]}
    assert entries[2].changes["role"] == ["editor", None]
    assert not Membership.objects.exists()


def test_a_user_has_one_role_per_convention():
    membership = MembershipFactory()
    with pytest.raises(ValidationError, match="déjà membre"):
        services.add_member(membership.convention, membership.user, Role.ADMIN)
    with pytest.raises(IntegrityError):
        MembershipFactory(user=membership.user, convention=membership.convention)


def test_unknown_roles_are_refused_in_french():
    with pytest.raises(ValidationError, match="Rôle inconnu"):
        services.add_member(ConventionFactory(), UserFactory(), "owner")


def test_changing_to_the_same_role_writes_nothing():
    membership = MembershipFactory(role=Role.READER)
    services.change_role(membership, Role.READER)
    assert not AuditEntry.objects.exists()


def test_role_labels_are_french():
    assert [label for _, label in Role.choices] == [
        "Administrateur",
        "Éditeur",
        "Éditeur des actions pilotées",
        "Lecteur",
    ]
