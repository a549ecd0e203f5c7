import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from copil.audit.context import Actor, acting_as
from copil.audit.models import AuditEntry
from copil.conventions import services
from tests.factories import ConventionFactory, InstitutionFactory, PartyFactory

pytestmark = pytest.mark.django_db


def test_create_convention_is_audited_with_its_author():
    with acting_as(Actor(label="marie.dupont")):
        convention = services.create_convention(
            title="CTG Communauté de communes du Pays de Saverne",
            kind="ctg",
            effective_date=dt.date(2022, 1, 1),
            initial_term_months=48,
            tacit_renewal=False,
        )
    entry = AuditEntry.objects.get(convention_id=convention.pk)
    assert (entry.action, entry.actor_label) == ("create", "marie.dupont")
    assert entry.changes["initial_term_months"] == 48


def test_create_convention_refuses_inconsistent_rules_in_french():
    with pytest.raises(ValidationError) as excinfo:
        services.create_convention(
            title="x", kind="framework", initial_term_months=12, tacit_renewal=True
        )
    assert "reconduction" in str(excinfo.value).lower()


def test_update_records_before_and_after_and_refuses_stale_versions():
    convention = ConventionFactory()
    services.update_convention(convention, expected_version=1, notice_period_months=3)
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.changes["notice_period_months"] == [6, 3]
    with pytest.raises(ValidationError, match="modifiée par quelqu'un d'autre"):
        services.update_convention(convention, expected_version=1, notice_period_months=2)
    convention.refresh_from_db()
    assert (convention.notice_period_months, convention.version) == (3, 2)


def test_termination_before_the_deadline_ends_the_current_period():
    party = PartyFactory()
    termination = services.record_termination(party.convention, party, dt.date(2024, 12, 31))
    assert termination.effective_end == dt.date(2025, 6, 30)
    assert party.convention.lifecycle(dt.date(2025, 3, 1)).status == "notice_given"
    assert party.convention.lifecycle(dt.date(2025, 7, 1)).status == "terminated"


def test_late_termination_ends_the_following_period():
    party = PartyFactory()
    termination = services.record_termination(party.convention, party, dt.date(2025, 1, 1))
    assert termination.effective_end == dt.date(2026, 6, 30)


def test_termination_refused_twice_and_after_the_end():
    party = PartyFactory()
    services.record_termination(party.convention, party, dt.date(2024, 12, 1))
    with pytest.raises(ValidationError, match="déjà été dénoncée"):
        services.record_termination(party.convention, party, dt.date(2024, 12, 2))
    old = PartyFactory(convention=ConventionFactory(fixed_term=True))
    with pytest.raises(ValidationError, match="ne peut plus être dénoncée"):
        services.record_termination(old.convention, old, dt.date(2013, 1, 1))


def test_lineage_refuses_overlapping_periods():
    c2008 = ConventionFactory(fixed_term=True)
    c2013 = ConventionFactory(capped=True)
    services.set_predecessor(c2013, c2008)
    assert c2008.successor == c2013
    c2019 = ConventionFactory(effective_date=dt.date(2016, 1, 1))
    with pytest.raises(ValidationError, match="chevauchent"):
        services.set_predecessor(c2019, c2013)


def test_soft_delete_and_restore():
    convention = ConventionFactory()
    services.soft_delete(convention)
    from copil.conventions.models import Convention

    assert not Convention.objects.alive().filter(pk=convention.pk).exists()
    services.restore(convention)
    assert Convention.objects.alive().filter(pk=convention.pk).exists()


def test_institution_found_by_any_alias():
    from copil.institutions.services import find_institution, get_or_create_institution

    cd = get_or_create_institution("Département du Bas-Rhin", aliases=["CD67", "C.D. 67"])
    assert find_institution("cd 67") == cd
    assert get_or_create_institution("CD67") == cd
    assert InstitutionFactory(name="Autre").pk != cd.pk
