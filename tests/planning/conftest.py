"""The plan → objective → goal chain most planning tests build on."""

from decimal import Decimal

import pytest

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
