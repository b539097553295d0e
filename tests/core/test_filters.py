from decimal import Decimal

import pytest

from evaluation.filters import IndicatorFilter
from evaluation.models import Indicator
from management.filters import ProgressReportFilter
from management.models import ProgressReport
from mipg.core.models import ReviewStatus
from planning.filters import ActionFilter
from planning.models import Action
from tests.factories import (
    ActionFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PeriodFactory,
    ProgressReportFactory,
    TargetFactory,
    policy,
)


@pytest.mark.django_db
def test_action_filter_by_policy_dimension_and_decreto_612_tag():
    from mipg.core.models import InstitutionalPlan

    tagged = ActionFactory(
        goal=GoalFactory(objective=ObjectiveFactory(policies=[policy("P06")])),
        institutional_plans=[InstitutionalPlan.objects.get(code="PETI")],
    )
    ActionFactory(goal=GoalFactory(objective=ObjectiveFactory(policies=[policy("P01")])))
    qs = Action.objects.all()
    assert list(ActionFilter({"policy": policy("P06").pk}, qs).qs) == [tagged]
    assert list(ActionFilter({"dimension": policy("P06").dimension_id}, qs).qs) == [tagged]
    peti = InstitutionalPlan.objects.get(code="PETI").pk
    assert list(ActionFilter({"institutional_plan": peti}, qs).qs) == [tagged]


@pytest.mark.django_db
def test_progress_report_filter_by_status_and_unit():
    approved = ProgressReportFactory(status=ReviewStatus.APPROVED)
    ProgressReportFactory(status=ReviewStatus.DRAFT)
    qs = ProgressReport.objects.all()
    assert list(ProgressReportFilter({"status": "approved"}, qs).qs) == [approved]
    assert list(ProgressReportFilter({"unit": approved.action.unit_id}, qs).qs) == [approved]


@pytest.mark.django_db
def test_indicator_filter_by_semaforo_in_a_period():
    goal = GoalFactory()
    period = PeriodFactory(plan=goal.objective.plan)
    green = IndicatorFactory(goal=goal)
    red = IndicatorFactory(goal=goal)
    for indicator, value in ((green, "9"), (red, "3")):
        TargetFactory(indicator=indicator, period=period, value=Decimal("10"))
        MeasurementFactory(
            indicator=indicator, period=period, value=Decimal(value), status=ReviewStatus.APPROVED
        )
    qs = Indicator.objects.all()
    # 9 / 10 = 90 % → verde; 3 / 10 = 30 % → rojo
    assert list(IndicatorFilter({"period": period.pk, "semaforo": "verde"}, qs).qs) == [green]
    assert list(IndicatorFilter({"period": period.pk, "semaforo": "rojo"}, qs).qs) == [red]
    assert set(IndicatorFilter({"plan": goal.objective.plan_id}, qs).qs) == {green, red}
