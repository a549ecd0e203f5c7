"""Factories for the Django models; traits read like the domain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from copil.accounts.enums import Role
from copil.accounts.models import Membership, User
from copil.conventions.enums import ConventionKind, NoticeForm
from copil.conventions.models import Convention, Party, Signatory
from copil.institutions.enums import InstitutionKind
from copil.institutions.models import Institution
from copil.plan.enums import IndicatorKind
from copil.plan.models import (
    Action,
    ActionLead,
    ActionPartner,
    BudgetLine,
    CooperationPlan,
    Deliverable,
    Indicator,
    Milestone,
    Orientation,
    Theme,
)


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


class ActionLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionLead

    action = factory.SubFactory(ActionFactory)
    institution = factory.SubFactory(InstitutionFactory)
    unit = "Direction de l'enfance et de la famille"


class ActionPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPartner

    action = factory.SubFactory(ActionFactory)
    institution = factory.SubFactory(InstitutionFactory)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    action = factory.SubFactory(ActionFactory)
    institution = factory.SubFactory(InstitutionFactory)
    amount_eur = Decimal("10000.00")
    fte = Decimal("0.50")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    label = factory.Sequence(lambda n: f"Nombre de familles accompagnées ({n})")
    kind = IndicatorKind.OUTPUT


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    label = "Comité technique de lancement"
    due_date = dt.date(2020, 3, 31)


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    action = factory.SubFactory(ActionFactory)
    label = "Guide partagé des aides"


class UserFactory(factory.django.DjangoModelFactory):
    """No usable password by default (hashing with argon2 is slow): tests use
    force_login; pass ``password="..."`` to log in through the form."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    institution = factory.SubFactory(InstitutionFactory)
    password = factory.PostGenerationMethodCall("set_password", None)

    class Params:
        superuser = factory.Trait(is_superuser=True, is_staff=True, institution=None)
        staff = factory.Trait(is_staff=True)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's API
        if create:
            obj.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    convention = factory.SubFactory(ConventionFactory)
    role = Role.READER


class FollowUpNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plan.FollowUpNote"  # by name: leaves the import block above as it was

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    date = dt.date(2025, 3, 1)
    text = "Comité technique tenu ; calendrier confirmé."


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plan.Comment"

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    text = "À présenter au prochain comité de pilotage."


# --- governance, monitoring, reviews, notifications (by model name) -----------------------


class GovernanceBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.GovernanceBody"

    convention = factory.SubFactory(ConventionFactory)
    kind = "steering"
    name = "Comité de pilotage"
    frequency = "au moins une fois par an"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Meeting"

    body = factory.SubFactory(GovernanceBodyFactory)
    convention = factory.SelfAttribute("body.convention")
    date = dt.date(2020, 11, 20)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Decision"

    meeting = factory.SubFactory(MeetingFactory)
    kind = "decision"
    text = "Le comité valide le calendrier de l'action."


class FollowUpTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.FollowUpTask"

    meeting = factory.SubFactory(MeetingFactory)
    title = "Transmettre le bilan au comité technique"
    due_date = dt.date(2021, 1, 31)


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitoring.IndicatorTarget"

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2020
    value = Decimal("100")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitoring.Measurement"

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2020"
    period_start = dt.date(2020, 1, 1)
    period_end = dt.date(2020, 12, 31)
    value = Decimal("42")


class AnnualReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.AnnualReview"

    convention = factory.SubFactory(ConventionFactory)
    year = 2020
