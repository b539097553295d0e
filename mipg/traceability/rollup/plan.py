"""The roll-up of one plan for dashboards, the plan tree and the API.

Physical and financial progress (management.selectors.physical and .budget) and indicator compliance
(evaluation.selectors) side by side, never merged into one number (MIPG.md §4).

The semáforo of a node is weighted by the tree (MIPG.md §4, semáforo and roll-up), on the
compliance capped to 0–100 (each indicator keeps its raw figure):
- a goal: the equal average of its indicators;
- an objective: its goals by goal weight (Σ w·x / Σ w over the goals that have a score);
  when it also has indicators of its own, they measure it directly and the objective is the
  plain average of two parts, its own indicators and its goals;
- the plan: its objectives by objective weight.
An unreported indicator ("sin reporte") counts 0 and every node says how many it holds:
not reporting never raises a score. "Sin meta" and "sin línea base" indicators cannot be
judged and are left out of the averages (a node with nothing else takes their state).
Weights that sum to 0 fall back to the plain average. The query count is constant.

A plan served by others rolls up from what serves it instead: ``strategic``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from evaluation.selectors import (
    PLAN_SCOPE,
    SemaforoState,
    capped,
    indicator_results,
    indicator_results_at_cuts,
    indicators_of_plan,
    indicators_of_plans,
    semaforo,
)
from management.selectors.budget import plan_financial_progress, plans_financial_progress
from management.selectors.physical import (
    entity_thresholds,
    plan_physical_progress,
    plans_physical_progress,
)
from mipg.core.models import Entity
from planning.selectors import default_cutoff_period


@dataclass(frozen=True)
class NodeSemaforo:
    """Compliance summary of the indicators under a node (None when it has none)."""

    compliance: object  # Decimal weighted average of capped compliance, or None
    state: str
    indicators: int
    unreported: int = 0  # indicators "sin reporte" in the node (counted as 0)


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
    thresholds: dict = field(default_factory=dict)  # the entity's semáforo bands
    # Strategic roll-up only (``strategic``): year → PlanRollup of that year, the serving
    # plans, and for a year's roll-up each objective's ServedParts (objective id → list).
    years: dict = field(default_factory=dict)
    serving_plans: tuple = ()
    served: dict = field(default_factory=dict)
    strategic: bool = False


JUDGED_OUT = frozenset({SemaforoState.NO_TARGET, SemaforoState.NO_BASELINE})


def _score(result):
    """Capped compliance of an indicator for a roll-up: 0 when unreported, None when it
    cannot be judged (sin meta, sin línea base)."""
    if result.state == SemaforoState.NOT_REPORTED:
        return Decimal("0")
    if result.state in JUDGED_OUT:
        return None
    return capped(result.compliance)


def _weighted(parts):
    """Σ w·x / Σ w over (weight, value) with a value; the plain mean when Σ w is 0."""
    parts = [(Decimal(weight), value) for weight, value in parts if value is not None]
    if not parts:
        return None
    total = sum(weight for weight, _value in parts)
    if total:
        return sum(weight * value for weight, value in parts) / total
    return sum(value for _weight, value in parts) / len(parts)


def _node(value, results, *, red_below, green_from):
    """NodeSemaforo of a node scored `value` over its subtree's indicator `results`."""
    if not results:
        return None
    unreported = sum(1 for r in results if r.state == SemaforoState.NOT_REPORTED)
    if value is None:
        states = {r.state for r in results}
        state = (
            SemaforoState.NO_BASELINE
            if SemaforoState.NO_BASELINE in states
            else SemaforoState.NO_TARGET
        )
        return NodeSemaforo(None, state, len(results), unreported)
    state = semaforo(value, red_below=red_below, green_from=green_from)
    return NodeSemaforo(value, state, len(results), unreported)


def _objective_value(goal_parts, own_results):
    """An objective's score: its goals' (weight, score) by goal weight and, when it has
    indicators of its own, the plain average of the two parts."""
    parts = []
    if goal_parts:
        parts.append(_weighted(goal_parts))
    if own_results:
        parts.append(_weighted((1, _score(r)) for r in own_results))
    return _weighted((1, part) for part in parts)


def tree_semaforo(physical, own, *, red_below, green_from):
    """(goal, objective, plan) NodeSemaforo from the indicator results of each node.

    `own` maps ("goal", id) / ("objective", id) to the IndicatorResults measuring that node;
    weights come from the physical tree (`physical.goals`, `physical.objectives`).
    """
    bands = {"red_below": red_below, "green_from": green_from}
    goal_value, goal_results = {}, {}
    for (kind, pk), results in own.items():
        if kind == "goal":
            goal_value[pk] = _weighted((1, _score(r)) for r in results)
            goal_results[pk] = results
    objective_value, objective_results = {}, {}
    goals_of = defaultdict(list)
    for goal in physical.goals.values():
        if goal.id in goal_results:
            goals_of[goal.parent_id].append(goal)
    for pk in physical.objectives:
        goals = goals_of[pk]
        own_results = own.get(("objective", pk), [])
        results = own_results + [r for g in goals for r in goal_results[g.id]]
        if results:
            objective_value[pk] = _objective_value(
                [(g.weight, goal_value[g.id]) for g in goals], own_results
            )
            objective_results[pk] = results
    plan_value = _weighted(
        (physical.objectives[pk].weight, value) for pk, value in objective_value.items()
    )
    plan_results = [r for results in objective_results.values() for r in results]
    return (
        {pk: _node(goal_value[pk], goal_results[pk], **bands) for pk in goal_results},
        {
            pk: _node(objective_value[pk], objective_results[pk], **bands)
            for pk in objective_results
        },
        _node(plan_value, plan_results, **bands),
    )


def plan_rollup(
    plan,
    *,
    period=None,
    cumulative=True,
    year=None,
    scope=PLAN_SCOPE,
    actions=True,
    rows=False,
    explain=True,
    objective=None,
    among=None,
):
    """Roll-up of `plan` as of `period` (by default the latest period that has started:
    planning.selectors.default_cutoff_period).

    Physical progress counts approved reports up to the period; indicator results are
    cumulative up to it by default, from the plan's start (`scope` "plan") or from the start
    of the cut's year ("year"); financial progress covers the allocations of `year` (all
    years when None). With ``actions=False`` no action node is built (for pages that show
    the plan, its objectives and goals only): the same figures, in a fraction of the time.
    With ``rows=True`` the actions come as plain rows instead (``physical.action_rows``;
    always there with action nodes) and the budget grouped as the dashboard groups the
    actions across the tree (``financial.cells``, ``financial.plan_cells``: of the actions
    of ``among``, a queryset, when given; the same queries). ``explain=False``: the
    indicator results without their formula text (``evaluation.selectors.evaluate``; the
    same figures), for pages that never show it (the plan tree). ``objective``: the
    roll-up of that objective's branch alone, for a page that shows one branch (a tree
    branch): the objective, its goals, actions and indicators get the figures of the whole
    plan's roll-up, in the same queries; the plan node and the semáforo counts then stand
    for the branch, not the plan.
    """
    if period is None:
        period = default_cutoff_period(plan)
    entity = Entity.current()
    thresholds = entity_thresholds(entity)
    # planned and executed physical progress side by side, with their own semáforo
    physical = plan_physical_progress(
        plan, as_of=period, thresholds=thresholds, actions=actions, rows=rows, objective=objective
    )
    financial = plan_financial_progress(
        plan,
        year=year,
        tree=physical,
        actions=actions,
        sources=rows,
        objective=objective,
        among=among,
    )
    live_indicators = indicators_of_plan(plan, objective)
    indicators = list(live_indicators.order_by("code"))
    results = (
        indicator_results(
            indicators,
            among=live_indicators,
            period=period,
            cumulative=cumulative,
            scope=scope,
            entity=entity,
            explain=explain,
        )
        if period
        else {}
    )

    return _plan_rollup(plan, period, physical, financial, indicators, results, thresholds)


def plan_rollups(cuts, *, cumulative=True, scope=PLAN_SCOPE, entity=None):
    """{plan id: PlanRollup} of several plans, each at its own cut (`cuts`: {plan: period
    or None}, each plan once), without action nodes: the figures of ``plan_rollup(plan,
    period=period, cumulative=cumulative, scope=scope, actions=False)`` (all years of the
    budget) in eight queries whatever the number of plans (nine without `entity`): the
    objectives, goals and action rows of every plan, the budget sums by goal (two), the
    indicators and their targets and approved measurements."""
    if not cuts:
        return {}
    entity = entity or Entity.current()
    thresholds = entity_thresholds(entity)
    physical = plans_physical_progress(cuts, thresholds=thresholds)
    financial = plans_financial_progress(physical)
    indicators = defaultdict(list)
    all_indicators = list(indicators_of_plans(list(cuts)).order_by("code"))
    for indicator in all_indicators:
        indicators[indicator.plan_key].append(indicator)
    results = indicator_results_at_cuts(
        all_indicators,
        {plan.pk: period for plan, period in cuts.items()},
        cumulative=cumulative,
        scope=scope,
        entity=entity,
    )
    return {
        plan.pk: _plan_rollup(
            plan,
            period,
            physical[plan.pk],
            financial[plan.pk],
            indicators[plan.pk],
            results,
            thresholds,
        )
        for plan, period in cuts.items()
    }


def _plan_rollup(plan, period, physical, financial, indicators, results, thresholds):
    """The PlanRollup of `plan` from its physical and financial trees and its `indicators`
    with their `results` ({indicator id: IndicatorResult}, a superset is fine)."""
    counts = dict.fromkeys(SemaforoState, 0)
    own = defaultdict(list)
    for indicator in indicators:
        result = results.get(indicator.pk)
        if result is None:
            continue
        counts[result.state] += 1
        if indicator.goal_id:
            own["goal", indicator.goal_id].append(result)
        else:
            own["objective", indicator.objective_id].append(result)
    goal_semaforo, objective_semaforo, plan_semaforo = tree_semaforo(physical, own, **thresholds)

    return PlanRollup(
        plan=plan,
        period=period,
        physical=physical,
        financial=financial,
        indicators={i.pk: (i, results.get(i.pk)) for i in indicators},
        semaforo_counts=counts,
        goal_semaforo=goal_semaforo,
        objective_semaforo=objective_semaforo,
        plan_semaforo=plan_semaforo,
        thresholds=thresholds,
    )
