"""Data the browser tests start from, built with the factories (committed: the live
server reads it from another thread)."""

import datetime

from django.utils import timezone

from planning.models import StrategicPlan
from tests.factories import ActionFactory, GoalFactory, ObjectiveFactory, PeriodFactory, PlanFactory


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
