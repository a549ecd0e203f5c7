import pytest

from copil.accounts.demo import create_demo_accounts
from copil.accounts.models import Membership, User
from copil.institutions.enums import InstitutionKind
from tests.factories import ConventionFactory, InstitutionFactory, PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    """Eight argon2 hashes take seconds; argon2 itself is tested in test_login."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def convention():
    convention = ConventionFactory()
    cd = InstitutionFactory(name="Département du Bas-Rhin", kind=InstitutionKind.OTHER)
    caf = InstitutionFactory(name="Caf du Bas-Rhin", kind=InstitutionKind.OTHER)
    PartyFactory(convention=convention, institution=cd)
    PartyFactory(convention=convention, institution=caf, position=1)
    PartyFactory(
        convention=convention,
        institution=InstitutionFactory(name="MSA", kind=InstitutionKind.OTHER),
        position=2,
    )
    return convention


def test_one_account_per_role_in_the_departement_and_the_caf(convention, monkeypatch):
    monkeypatch.setenv("COPIL_DEMO_PASSWORD", "mot-de-passe-de-test")
    accounts = create_demo_accounts(convention)
    assert [(name, role, str(inst)) for name, role, inst in accounts] == [
        ("cd67-admin", "admin", "Département du Bas-Rhin"),
        ("cd67-editeur", "editor", "Département du Bas-Rhin"),
        ("cd67-pilote", "lead_editor", "Département du Bas-Rhin"),
        ("cd67-lecteur", "reader", "Département du Bas-Rhin"),
        ("caf67-admin", "admin", "Caf du Bas-Rhin"),
        ("caf67-editeur", "editor", "Caf du Bas-Rhin"),
        ("caf67-pilote", "lead_editor", "Caf du Bas-Rhin"),
        ("caf67-lecteur", "reader", "Caf du Bas-Rhin"),
    ]
    user = User.objects.get(username="caf67-pilote")
    assert user.check_password("mot-de-passe-de-test")
    assert not user.is_staff


def test_demo_accounts_are_idempotent(convention):
    first = create_demo_accounts(convention)
    membership = Membership.objects.get(user__username="cd67-lecteur")
    membership.role = "admin"
    membership.save()
    assert create_demo_accounts(convention) == first
    assert User.objects.count() == 8
    assert Membership.objects.count() == 8
    membership.refresh_from_db()
    assert membership.role == "reader"
