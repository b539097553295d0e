"""Fixtures of the API tests: clients per persona and a small plan to work on."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from mipg.core.models import ReviewStatus
from planning.models import StrategicPlan
from tests.factories import (
    ActionFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PeriodFactory,
    PlanFactory,
    ProgressReportFactory,
    TargetFactory,
)


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    """Anonymous throttling is tested on its own (test_errors.py); elsewhere it would make
    the suite depend on the order of the tests."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None},
    }


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def client_for(db):
    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


class Scenario:
    """A draft plan with one objective → goal → action of `unit`, a period, an indicator of
    `unit` with a target, and an approved plan (what anonymous clients see)."""

    def __init__(self, unit):
        self.plan = PlanFactory(name="Plan de Acción 2026")
        self.objective = ObjectiveFactory(plan=self.plan, code="O1", weight=Decimal("60"))
        self.goal = GoalFactory(
            objective=self.objective, code="M1", unit=unit, weight=Decimal("50")
        )
        self.action = ActionFactory(goal=self.goal, code="A1", weight=Decimal("40"))
        self.period = PeriodFactory(
            plan=self.plan,
            label="T1 2026",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 3, 31),
        )
        self.indicator = IndicatorFactory(goal=self.goal, code="IND-1")
        self.target = TargetFactory(
            indicator=self.indicator, period=self.period, value=Decimal("10")
        )
        self.public_plan = PlanFactory(name="Plan aprobado", status=StrategicPlan.Status.APPROVED)

    def measurement(self, *, status=ReviewStatus.DRAFT, by=None, **kwargs):
        fields = {"indicator": self.indicator, "period": self.period, "status": status}
        if by is not None:
            fields["created_by"] = by
            if status != ReviewStatus.DRAFT:
                fields["submitted_by"] = by
        return MeasurementFactory(**fields, **kwargs)

    def report(self, *, status=ReviewStatus.DRAFT, by=None, **kwargs):
        fields = {"action": self.action, "period": self.period, "status": status}
        if by is not None:
            fields["created_by"] = by
            if status != ReviewStatus.DRAFT:
                fields["submitted_by"] = by
        return ProgressReportFactory(**fields, **kwargs)


@pytest.fixture
def scenario(unit):
    return Scenario(unit)
