from decimal import Decimal as D

import pytest

from evaluation.selectors import SemaforoState
from mipg.core.models import ReviewStatus
from mipg.traceability.rollup import plan_rollup
from tests import factories
from tests.builders import build_plan

pytestmark = pytest.mark.django_db


def measured(indicator, period, *, target, value):
    factories.TargetFactory(indicator=indicator, period=period, value=D(target))
    if value is not None:
        factories.MeasurementFactory(
            indicator=indicator, period=period, value=D(value), status=ReviewStatus.APPROVED
        )


def test_plan_rollup_puts_physical_financial_and_semaforo_side_by_side():
    plan = factories.PlanFactory()
    period = factories.PeriodFactory(plan=plan)
    objective = factories.ObjectiveFactory(plan=plan)
    goal = factories.GoalFactory(objective=objective)
    action = factories.ActionFactory(goal=goal)
    factories.ProgressReportFactory(
        action=action, period=period, progress=D("40"), status=ReviewStatus.APPROVED
    )
    allocation = factories.AllocationFactory(action=action, appropriation=D("1000"))
    factories.ExecutionFactory(allocation=allocation, stage="cdp", amount=D("500"))
    factories.ExecutionFactory(allocation=allocation, stage="commitment", amount=D("250"))
    green = factories.IndicatorFactory(goal=goal)
    red = factories.IndicatorFactory(goal=goal)
    silent = factories.IndicatorFactory(goal=None, objective=objective, unit=goal.unit)
    measured(green, period, target="10", value="12")  # 120 % raw, capped at 100 → verde
    measured(red, period, target="10", value="4")  # 40 % → rojo
    measured(silent, period, target="10", value=None)  # sin reporte

    rollup = plan_rollup(plan)

    assert rollup.period == period
    assert rollup.physical.plan.physical == D("40")
    assert rollup.financial.plan.commitment_pct == D("25")  # 250 / 1000
    assert rollup.semaforo_counts[SemaforoState.GREEN] == 1
    assert rollup.semaforo_counts[SemaforoState.RED] == 1
    assert rollup.semaforo_counts[SemaforoState.NOT_REPORTED] == 1
    # Goal: average of capped compliance (100 + 40) / 2 = 70 → amarillo (60 ≤ 70 < 80)
    assert rollup.goal_semaforo[goal.pk].compliance == D("70")
    assert rollup.goal_semaforo[goal.pk].state == SemaforoState.YELLOW
    # Objective: its own indicator has no report, its goal's two count → still 70
    assert rollup.objective_semaforo[objective.pk].compliance == D("70")
    assert rollup.objective_semaforo[objective.pk].indicators == 3
    assert rollup.indicators[green.pk][1].compliance == D("120.00")


def test_plan_rollup_node_without_reports_reads_sin_reporte():
    plan = factories.PlanFactory()
    period = factories.PeriodFactory(plan=plan)
    goal = factories.GoalFactory(objective=factories.ObjectiveFactory(plan=plan))
    measured(factories.IndicatorFactory(goal=goal), period, target="5", value=None)
    rollup = plan_rollup(plan, period=period)
    assert rollup.goal_semaforo[goal.pk].state == SemaforoState.NOT_REPORTED
    assert rollup.goal_semaforo[goal.pk].compliance is None


def test_plan_rollup_without_periods_has_no_indicator_results():
    plan = factories.PlanFactory()
    factories.IndicatorFactory(
        goal=factories.GoalFactory(objective=factories.ObjectiveFactory(plan=plan))
    )
    rollup = plan_rollup(plan)
    assert rollup.period is None
    assert sum(rollup.semaforo_counts.values()) == 0


@pytest.mark.parametrize("size", [1, 3])
def test_plan_rollup_query_count_is_constant(size, count_queries):
    plan = build_plan(size)
    # 1 latest period + 4 physical + 6 financial + 1 indicators + 1 entity
    # + indicator_results (entity, targets, measurements; indicators already loaded)
    with count_queries() as counter:
        plan_rollup(plan)
    assert counter.count == 16
