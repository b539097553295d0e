"""The 2026 plan and its action A1 of `unit` that the budget tests build on."""

import pytest

from tests.factories import ActionFactory, PlanFactory


@pytest.fixture
def plan(db):
    return PlanFactory(start_year=2026, end_year=2026)


@pytest.fixture
def action(plan, unit):
    return ActionFactory(goal__objective__plan=plan, goal__unit=unit, code="A1")
