"""Data the browser tests start from, built with the factories (committed: the live
server reads it from another thread)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from mipg.core.models import ReviewStatus
from planning.models import StrategicPlan
from tests.factories import (
    ActionFactory,
    AllocationFactory,
    ExecutionFactory,
    GoalFactory,
    IndicatorFactory,
    ObjectiveFactory,
    PeriodFactory,
    PlanFactory,
    ProgressReportFactory,
    TargetFactory,
)


def approved_plan_with_an_open_period(unit):
    """An approved plan with one objective → goal → action of ``unit`` and one unlocked
    period around today (so the action is due in «Mis pendientes»)."""
    today = timezone.localdate()
    plan = PlanFactory(
        name="Plan de Acción vigente",
        status=StrategicPlan.Status.APPROVED,
        start_year=today.year - 1,
        end_year=today.year + 1,
    )
    goal = GoalFactory(
        objective=ObjectiveFactory(plan=plan, code="O1"),
        code="M1",
        name="Dependencias capacitadas",
        unit=unit,
    )
    action = ActionFactory(
        goal=goal,
        code="A1",
        name="Capacitar a las dependencias",
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=60),
    )
    period = PeriodFactory(
        plan=plan,
        label="Periodo en curso",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=30),
        due_date=today + datetime.timedelta(days=40),
    )
    return plan, action, period


def plan_with_a_row_in_every_list(unit, responsible):
    """The plan above with every kind of figure, so that the pages render their tables, not
    empty states: budget, an indicator with a target, a report of ``responsible`` waiting
    for review (A1) and an action still to report (A2). Long names, as real plans have."""
    plan, action, period = approved_plan_with_an_open_period(unit)
    action.name = "Capacitar a las dependencias en el Modelo Integrado de Planeación y Gestión"
    action.save()
    ActionFactory(
        goal=action.goal,
        code="A2",
        name="Publicar el informe de gestión de la vigencia en la sede electrónica",
        weight=Decimal("0"),
        start_date=action.start_date,
        end_date=action.end_date,
    )
    allocation = AllocationFactory(action=action, year=period.start_date.year)
    ExecutionFactory(allocation=allocation, date=period.start_date)
    indicator = IndicatorFactory(
        goal=action.goal, code="IND-1", name="Porcentaje de dependencias capacitadas"
    )
    TargetFactory(indicator=indicator, period=period)
    ProgressReportFactory(
        action=action,
        period=period,
        progress=Decimal("40"),
        status=ReviewStatus.SUBMITTED,
        created_by=responsible,
        submitted_by=responsible,
        submitted_at=timezone.now(),
    )
    return plan, period
