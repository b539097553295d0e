"""The plan → objective → goal chain most planning tests build on."""

import datetime
from decimal import Decimal

import pytest

from planning.models import StrategicPlan
from tests import factories


@pytest.fixture
def plan(db):
    return factories.PlanFactory(name="Plan de Acción 2026", start_year=2026, end_year=2026)


@pytest.fixture
def objective(plan):
    return factories.ObjectiveFactory(plan=plan, code="O1", weight=Decimal("100"))


@pytest.fixture
def goal(objective, unit):
    """A goal of `unit`."""
    return factories.GoalFactory(objective=objective, code="M1", weight=Decimal("100"), unit=unit)


@pytest.fixture
def action(goal):
    """A1, running the whole of 2026 (some modules override it with their own action)."""
    return factories.ActionFactory(
        goal=goal,
        code="A1",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )


@pytest.fixture
def approved(plan):
    """`plan`, approved: changes to it need a reason and make a new version."""
    StrategicPlan.objects.filter(pk=plan.pk).update(status=StrategicPlan.Status.APPROVED)
    plan.refresh_from_db()
    return plan
