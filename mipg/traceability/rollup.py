"""The whole roll-up of a plan for dashboards, the plan tree and the API.

Physical and financial progress (management.selectors.physical and .budget) and indicator compliance
(evaluation.selectors) side by side, never merged into one number (MIPG.md §4). A goal's or
objective's semáforo is the average of the capped compliance of the indicators that
measure it (an objective's own and its goals'), banded with the entity's thresholds.
The query count is constant whatever the size of the plan.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from evaluation.selectors import (
    SemaforoState,
    capped,
    indicator_results,
    indicators_of_plan,
    semaforo,
)
from management.selectors.budget import plan_financial_progress
from management.selectors.physical import entity_thresholds, plan_physical_progress
from mipg.core.models import Entity


@dataclass(frozen=True)
class NodeSemaforo:
    """Compliance summary of the indicators under a node (None when it has none)."""

    compliance: object  # Decimal average of capped compliance, or None
    state: str
    indicators: int


@dataclass(frozen=True)
class PlanRollup:
    plan: object
    period: object
    physical: object  # management.selectors.physical.PhysicalProgress (planned and executed)
    financial: object  # management.selectors.budget.FinancialProgress
    indicators: dict  # indicator id → (Indicator, IndicatorResult)
    semaforo_counts: dict  # SemaforoState → count
    goal_semaforo: dict = field(default_factory=dict)  # goal id → NodeSemaforo
    objective_semaforo: dict = field(default_factory=dict)  # objective id → NodeSemaforo
    plan_semaforo: NodeSemaforo | None = None


def _summarise(results, *, red_below, green_from):
    if not results:
        return None
    values = [capped(r.compliance) for r in results if r.compliance is not None]
    if values:
        average = sum(values) / len(values)
        return NodeSemaforo(
            average, semaforo(average, red_below=red_below, green_from=green_from), len(results)
        )
    states = {r.state for r in results}
    state = (
        SemaforoState.NOT_REPORTED
        if SemaforoState.NOT_REPORTED in states
        else SemaforoState.NO_TARGET
    )
    return NodeSemaforo(None, state, len(results))


def plan_rollup(plan, *, period=None, cumulative=True, year=None):
    """Roll-up of `plan` as of `period` (the plan's latest period when None).

    Physical progress counts approved reports up to the period; indicator results are
    cumulative up to it by default; financial progress covers the allocations of `year`
    (all years when None).
    """
    if period is None:
        period = plan.periods.order_by("-end_date").first()
    entity = Entity.current()
    thresholds = {"red_below": entity.semaforo_red_below, "green_from": entity.semaforo_green_from}
    # planned and executed physical progress side by side, with their own semáforo
    physical = plan_physical_progress(plan, as_of=period, thresholds=entity_thresholds(entity))
    financial = plan_financial_progress(plan, year=year)
    indicators = list(indicators_of_plan(plan).order_by("code"))
    results = indicator_results(indicators, period=period, cumulative=cumulative) if period else {}

    counts = dict.fromkeys(SemaforoState, 0)
    by_goal, by_objective = defaultdict(list), defaultdict(list)
    for indicator in indicators:
        result = results.get(indicator.pk)
        if result is None:
            continue
        counts[result.state] += 1
        if indicator.goal_id:
            goal = physical.goals.get(indicator.goal_id)
            by_goal[indicator.goal_id].append(result)
            if goal is not None:
                by_objective[goal.parent_id].append(result)
        else:
            by_objective[indicator.objective_id].append(result)

    return PlanRollup(
        plan=plan,
        period=period,
        physical=physical,
        financial=financial,
        indicators={i.pk: (i, results.get(i.pk)) for i in indicators},
        semaforo_counts=counts,
        goal_semaforo={k: _summarise(v, **thresholds) for k, v in by_goal.items()},
        objective_semaforo={k: _summarise(v, **thresholds) for k, v in by_objective.items()},
        plan_semaforo=_summarise(list(results.values()), **thresholds),
    )
