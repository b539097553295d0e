from decimal import Decimal

import pytest

from evaluation.filters import IndicatorFilter
from evaluation.models import Indicator
from management.filters import ProgressReportFilter
from management.models import ProgressReport
from mipg.core.models import InstitutionalPlan, ReviewStatus
from planning.filters import ActionFilter
from planning.models import Action
from tests import factories


@pytest.mark.django_db
def test_action_filter_by_policy_dimension_and_decreto_612_tag():

    tagged = factories.ActionFactory(
        goal=factories.GoalFactory(
            objective=factories.ObjectiveFactory(policies=[factories.policy("P06")])
        ),
        institutional_plans=[InstitutionalPlan.objects.get(code="PETI")],
    )
    factories.ActionFactory(
        goal=factories.GoalFactory(
            objective=factories.ObjectiveFactory(policies=[factories.policy("P01")])
        )
    )
    qs = Action.objects.all()
    assert list(ActionFilter({"policy": factories.policy("P06").pk}, qs).qs) == [tagged]
    assert list(ActionFilter({"dimension": factories.policy("P06").dimension_id}, qs).qs) == [
        tagged
    ]
    peti = InstitutionalPlan.objects.get(code="PETI").pk
    assert list(ActionFilter({"institutional_plan": peti}, qs).qs) == [tagged]


@pytest.mark.django_db
def test_progress_report_filter_by_status_and_unit():
    approved = factories.ProgressReportFactory(status=ReviewStatus.APPROVED)
    factories.ProgressReportFactory(status=ReviewStatus.DRAFT)
    qs = ProgressReport.objects.all()
    assert list(ProgressReportFilter({"status": "approved"}, qs).qs) == [approved]
    assert list(ProgressReportFilter({"unit": approved.action.unit_id}, qs).qs) == [approved]


@pytest.mark.django_db
def test_indicator_filter_by_semaforo_in_a_period():
    goal = factories.GoalFactory()
    period = factories.PeriodFactory(plan=goal.objective.plan)
    green = factories.IndicatorFactory(goal=goal)
    red = factories.IndicatorFactory(goal=goal)
    for indicator, value in ((green, "9"), (red, "3")):
        factories.TargetFactory(indicator=indicator, period=period, value=Decimal("10"))
        factories.MeasurementFactory(
            indicator=indicator, period=period, value=Decimal(value), status=ReviewStatus.APPROVED
        )
    qs = Indicator.objects.all()
    # 9 / 10 = 90 % → verde; 3 / 10 = 30 % → rojo
    assert list(IndicatorFilter({"period": period.pk, "semaforo": "verde"}, qs).qs) == [green]
    assert list(IndicatorFilter({"period": period.pk, "semaforo": "rojo"}, qs).qs) == [red]
    assert set(IndicatorFilter({"plan": goal.objective.plan_id}, qs).qs) == {green, red}
