"""Factories for the Django models; traits read like the domain."""

from __future__ import annotations

import datetime as dt

import factory

from copil.conventions.enums import ConventionKind, NoticeForm
from copil.conventions.models import Convention, Party, Signatory
from copil.institutions.enums import InstitutionKind
from copil.institutions.models import Institution
from copil.plan.models import Action, CooperationPlan, Orientation, Theme


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Département n° {n}")
    kind = InstitutionKind.DEPARTEMENT


class ConventionFactory(factory.django.DjangoModelFactory):
    """Defaults to the 2019 Bas-Rhin clause: 3 years, tacit 1-year renewals, 6 months notice."""

    class Meta:
        model = Convention

    title = factory.Sequence(lambda n: f"Convention de partenariat n° {n}")
    kind = ConventionKind.FRAMEWORK
    effective_date = dt.date(2019, 7, 1)
    initial_term_months = 36
    renewal_period_months = 12
    tacit_renewal = True
    notice_period_months = 6
    notice_form = NoticeForm.REGISTERED_LETTER

    class Params:
        # 2013: yearly tacit renewal within 4 years.
        capped = factory.Trait(
            effective_date=dt.date(2013, 7, 1),
            initial_term_months=12,
            renewal_period_months=12,
            max_total_term_months=48,
            notice_period_months=0,
        )
        # 2008: 4 years, no renewal.
        fixed_term = factory.Trait(
            effective_date=dt.date(2008, 3, 1),
            initial_term_months=48,
            renewal_period_months=None,
            tacit_renewal=False,
            notice_period_months=0,
        )


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    convention = factory.SubFactory(ConventionFactory)
    institution = factory.SubFactory(InstitutionFactory)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    party = factory.SubFactory(PartyFactory)
    representative_name = "Frédéric BIERRY"
    representative_title = "Président du Département du Bas-Rhin"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationPlan

    convention = factory.SubFactory(ConventionFactory)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Thématique {n + 1}")


class OrientationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Orientation

    theme = factory.SubFactory(ThemeFactory)
    number = 1
    title = "Orientation"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    orientation = factory.SubFactory(OrientationFactory)
    plan = factory.SelfAttribute("orientation.theme.plan")
    number = factory.Sequence(lambda n: f"1.{n + 1}")
    title = factory.Sequence(lambda n: f"Action {n + 1}")
