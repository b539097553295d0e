"""factory_boy factories for every model. Defaults build a valid, minimal object graph."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from evaluation.models import Indicator, IndicatorTarget, Measurement, MeasurementEvidence
from management.models import (
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
    FundingSource,
    ProgressEvidence,
    ProgressReport,
)
from mipg.core.models import Policy, Unit, User
from planning.models import Action, Goal, Objective, ReportingPeriod, StrategicPlan


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Dependencia {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    first_name = "Ana"
    last_name = factory.Sequence(lambda n: f"Pérez {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("clave-segura-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))

    @factory.post_generation
    def member_of(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.add(*extracted)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicPlan

    name = factory.Sequence(lambda n: f"Plan de Acción {n}")
    kind = StrategicPlan.Kind.ACTION
    start_year = 2026
    end_year = 2026


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"O{n}")
    name = factory.Sequence(lambda n: f"Objetivo {n}")
    weight = Decimal("100")

    @factory.post_generation
    def policies(self, create, extracted, **kwargs):
        if create and extracted:
            self.policies.add(*extracted)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    objective = factory.SubFactory(ObjectiveFactory)
    code = factory.Sequence(lambda n: f"M{n}")
    name = factory.Sequence(lambda n: f"Meta {n}")
    weight = Decimal("100")
    unit = factory.SubFactory(UnitFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    goal = factory.SubFactory(GoalFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"Actividad {n}")
    unit = factory.SelfAttribute("goal.unit")
    start_date = datetime.date(2026, 2, 1)
    end_date = datetime.date(2026, 11, 30)
    weight = Decimal("100")

    @factory.post_generation
    def institutional_plans(self, create, extracted, **kwargs):
        if create and extracted:
            self.institutional_plans.add(*extracted)


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    plan = factory.SubFactory(PlanFactory)
    label = factory.Sequence(lambda n: f"Periodo {n}")
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2026, 3, 31)


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource
        django_get_or_create = ("code",)

    code = "RP"
    name = "Recursos propios"


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetAllocation

    action = factory.SubFactory(ActionFactory)
    source = factory.SubFactory(FundingSourceFactory)
    year = 2026
    rubro = factory.Sequence(lambda n: f"2.3.2.02.{n:03d}")
    appropriation = Decimal("1000000")


class ExecutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetExecution

    allocation = factory.SubFactory(AllocationFactory)
    stage = BudgetExecution.Stage.CDP
    amount = Decimal("100000")
    date = datetime.date(2026, 3, 1)
    document_number = factory.Sequence(lambda n: f"DOC-{n}")


class ModificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetModification

    allocation = factory.SubFactory(AllocationFactory)
    kind = BudgetModification.Kind.ADDITION
    amount = Decimal("200000")
    date = datetime.date(2026, 4, 1)
    act_number = factory.Sequence(lambda n: f"Decreto {n} de 2026")
    reason = "Recursos del balance"


def _with_evidence(figure, create, extracted, **kwargs):
    """`evidence=True`: one evidence row (no stored file), so that a report can be
    submitted while the entity requires evidence (the default)."""
    if create and extracted:
        attach_evidence(figure)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport
        skip_postgeneration_save = True

    action = factory.SubFactory(ActionFactory)
    period = factory.SubFactory(
        PeriodFactory, plan=factory.SelfAttribute("..action.goal.objective.plan")
    )
    progress = Decimal("50")
    created_by = factory.SubFactory(UserFactory)
    evidence = factory.PostGeneration(_with_evidence)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"IND-{n}")
    name = factory.Sequence(lambda n: f"Indicador {n}")
    goal = factory.SubFactory(GoalFactory)
    objective = None
    type = Indicator.Type.EFFICACY
    level = Indicator.Level.PRODUCT
    formula = "Ejecutado / Programado × 100"
    measurement_unit = "Número"
    accumulation = Indicator.Accumulation.FLOW
    polarity = Indicator.Polarity.INCREASING
    frequency = Indicator.Frequency.QUARTERLY
    unit = factory.SelfAttribute("goal.unit")
    plan = factory.LazyAttribute(lambda o: (o.goal.objective if o.goal else o.objective).plan)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.SubFactory(PeriodFactory)
    value = Decimal("10")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement
        skip_postgeneration_save = True

    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.SubFactory(PeriodFactory)
    value = Decimal("10")
    created_by = factory.SubFactory(UserFactory)
    evidence = factory.PostGeneration(_with_evidence)


def policy(code):
    return Policy.objects.get(code=code)


def attach_evidence(figure, name="acta.pdf"):
    """An evidence row on the progress report or measurement, without writing a file: enough
    for the rule "evidence is required to submit" (Entity.evidence_required_to_submit)."""
    if isinstance(figure, ProgressReport):
        model, field = ProgressEvidence, "report"
    else:
        model, field = MeasurementEvidence, "measurement"
    return model.objects.create(
        **{field: figure},
        file=f"evidence/{name}",
        original_name=name,
        size=1,
        uploaded_by=figure.created_by,
    )
