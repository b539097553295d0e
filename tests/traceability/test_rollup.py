from decimal import Decimal as D

import pytest

from evaluation.selectors import SemaforoState
from mipg.core.models import ReviewStatus
from mipg.traceability.rollup import plan_rollup
from tests.builders import build_plan
from tests.factories import (
    ActionFactory,
    AllocationFactory,
    ExecutionFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PeriodFactory,
    PlanFactory,
    ProgressReportFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def measured(indicator, period, *, target, value):
    TargetFactory(indicator=indicator, period=period, value=D(target))
    if value is not None:
        MeasurementFactory(
            indicator=indicator, period=period, value=D(value), status=ReviewStatus.APPROVED
        )


def test_plan_rollup_puts_physical_financial_and_semaforo_side_by_side():
    plan = PlanFactory()
    period = PeriodFactory(plan=plan)
    objective = ObjectiveFactory(plan=plan)
    goal = GoalFactory(objective=objective)
    action = ActionFactory(goal=goal)
    ProgressReportFactory(
        action=action, period=period, progress=D("40"), status=ReviewStatus.APPROVED
    )
    allocation = AllocationFactory(action=action, appropriation=D("1000"))
    ExecutionFactory(allocation=allocation, stage="cdp", amount=D("500"))
    ExecutionFactory(allocation=allocation, stage="commitment", amount=D("250"))
    green = IndicatorFactory(goal=goal)
    red = IndicatorFactory(goal=goal)
    silent = IndicatorFactory(goal=None, objective=objective, unit=goal.unit)
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
    plan = PlanFactory()
    period = PeriodFactory(plan=plan)
    goal = GoalFactory(objective=ObjectiveFactory(plan=plan))
    measured(IndicatorFactory(goal=goal), period, target="5", value=None)
    rollup = plan_rollup(plan, period=period)
    assert rollup.goal_semaforo[goal.pk].state == SemaforoState.NOT_REPORTED
    assert rollup.goal_semaforo[goal.pk].compliance is None


def test_plan_rollup_without_periods_has_no_indicator_results():
    plan = PlanFactory()
    IndicatorFactory(goal=GoalFactory(objective=ObjectiveFactory(plan=plan)))
    rollup = plan_rollup(plan)
    assert rollup.period is None
    assert sum(rollup.semaforo_counts.values()) == 0


@pytest.mark.parametrize("size", [1, 3])
def test_plan_rollup_query_count_is_constant(size, count_queries):
    plan = build_plan(size)
    # 1 latest period + 4 physical + 5 financial + 1 indicators + 1 entity
    # + indicator_results (entity, targets, measurements; indicators already loaded)
    with count_queries() as counter:
        plan_rollup(plan)
    assert counter.count == 15
