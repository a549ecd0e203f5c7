"""The database itself guards the date and term rules."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from copil.conventions.enums import AmendmentStatus, ConventionKind
from copil.conventions.models import Amendment, Termination
from tests.factories import ActionFactory, ConventionFactory, PartyFactory

pytestmark = pytest.mark.django_db


def _violates(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_initial_term_must_be_positive():
    _violates(ConventionFactory, initial_term_months=0)


def test_tacit_renewal_needs_a_renewal_period():
    _violates(ConventionFactory, tacit_renewal=True, renewal_period_months=None)


def test_max_term_cannot_be_shorter_than_initial_term():
    _violates(ConventionFactory, initial_term_months=36, max_total_term_months=24)


def test_specific_kind_only_on_specific_conventions():
    _violates(ConventionFactory, kind=ConventionKind.FRAMEWORK, specific_kind="funding")
    _violates(ConventionFactory, kind=ConventionKind.SPECIFIC, specific_kind="")
    parent = ConventionFactory()
    child = ConventionFactory(kind=ConventionKind.SPECIFIC, specific_kind="funding", parent=parent)
    assert list(parent.specific_conventions.all()) == [child]


def test_action_starts_before_it_ends():
    _violates(ActionFactory, start_date=dt.date(2020, 2, 1), end_date=dt.date(2020, 1, 1))
    _violates(ActionFactory, progress=101)


def test_termination_notice_precedes_its_end():
    party = PartyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Termination.objects.create(
            convention=party.convention,
            party=party,
            notice_received_on=dt.date(2025, 1, 1),
            effective_end=dt.date(2024, 6, 30),
        )


def test_signed_amendment_has_a_signature_date_before_effect():
    convention = ConventionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Amendment.objects.create(
            convention=convention, number=1, title="x", status=AmendmentStatus.SIGNED
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Amendment.objects.create(
            convention=convention,
            number=1,
            title="x",
            signed_on=dt.date(2020, 5, 1),
            effective_date=dt.date(2020, 4, 1),
        )


def test_lifecycle_of_the_three_real_clauses():
    state = ConventionFactory().lifecycle(dt.date(2024, 11, 22))
    assert (state.status, state.notice_deadline) == ("in_force", dt.date(2024, 12, 31))
    assert ConventionFactory(capped=True).lifecycle(dt.date(2016, 11, 22)).ends_on == dt.date(
        2017, 6, 30
    )
    assert ConventionFactory(fixed_term=True).lifecycle(dt.date(2013, 1, 1)).status == "expired"


def test_lifecycle_unknown_without_term():
    assert (
        ConventionFactory(
            initial_term_months=None, tacit_renewal=False, renewal_period_months=None
        ).lifecycle(dt.date(2020, 1, 1))
        is None
    )
