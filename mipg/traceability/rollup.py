"""The whole roll-up of a plan for dashboards, the plan tree and the API.

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

A plan served by others (a PEI served by its Planes de Acción, ``plan.children``) rolls up
from what serves it: ``strategic_rollup`` (MIPG.md §3). ``rollup_of`` picks the right one.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef

from evaluation.selectors import (
    PLAN_SCOPE,
    SemaforoState,
    capped,
    indicator_results,
    indicators_of_plan,
    semaforo,
)
from management.selectors.budget import (
    BudgetTotals,
    FinancialProgress,
    NodeFinance,
    plan_financial_progress,
)
from management.selectors.physical import (
    HUNDRED,
    NodeProgress,
    PhysicalProgress,
    entity_thresholds,
    physical_compliance,
    physical_state,
    plan_physical_progress,
)
from mipg.core.models import Entity
from planning.models import Objective, StrategicPlan
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
    # Strategic roll-up only: year → PlanRollup of that year, and the serving plans.
    years: dict = field(default_factory=dict)
    serving_plans: tuple = ()


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
        parts = []
        if goals:
            parts.append(_weighted((g.weight, goal_value[g.id]) for g in goals))
        if own_results:
            parts.append(_weighted((1, _score(r)) for r in own_results))
        results = own_results + [r for g in goals for r in goal_results[g.id]]
        if results:
            objective_value[pk] = _weighted((1, part) for part in parts)
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


def plan_rollup(plan, *, period=None, cumulative=True, year=None, scope=PLAN_SCOPE):
    """Roll-up of `plan` as of `period` (by default the latest period that has started:
    planning.selectors.default_cutoff_period).

    Physical progress counts approved reports up to the period; indicator results are
    cumulative up to it by default, from the plan's start (`scope` "plan") or from the start
    of the cut's year ("year"); financial progress covers the allocations of `year` (all
    years when None).
    """
    if period is None:
        period = default_cutoff_period(plan)
    entity = Entity.current()
    thresholds = entity_thresholds(entity)
    # planned and executed physical progress side by side, with their own semáforo
    physical = plan_physical_progress(plan, as_of=period, thresholds=thresholds)
    financial = plan_financial_progress(plan, year=year, tree=physical)
    indicators = list(indicators_of_plan(plan).order_by("code"))
    results = (
        indicator_results(
            indicators, period=period, cumulative=cumulative, scope=scope, entity=entity
        )
        if period
        else {}
    )

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


# --- Strategic roll-up: a plan served by others ------------------------------------------


def with_serving_flag(plans):
    """A StrategicPlan queryset annotated with ``has_serving_plans`` for ``rollup_of``."""
    return plans.annotate(
        has_serving_plans=Exists(StrategicPlan.objects.filter(parent=OuterRef("pk")))
    )


def rollup_of(plan, **kwargs):
    """The roll-up pages and the API show for `plan`: ``strategic_rollup`` when other plans
    serve it (``plan.children``), else ``plan_rollup`` (same keyword arguments; the
    strategic one only uses `year`). One query more than the chosen roll-up, none when
    `plan` was loaded with ``has_serving_plans`` (``with_serving_flag``)."""
    served = getattr(plan, "has_serving_plans", None)
    if served is None:
        served = plan.children.exists()
    if served:
        return strategic_rollup(plan, year=kwargs.get("year"))
    return plan_rollup(plan, **kwargs)


def strategic_rollup(plan, *, year=None):
    """Roll-up of a strategic plan (a PEI) from the objectives of the plans serving it
    (MIPG.md §3). Each serving plan is rolled up by ``plan_rollup`` at its own default
    cut-off and counts for the year it starts (a Plan de Acción covers one year).

    For one year, each objective of `plan` takes the live objectives of that year's serving
    plans aligned to it (``Objective.serves``): physical executed and planned are their
    weighted average by their own weights (Σ w·x / Σ w, as ``plan_rollup`` does with the
    goals of an objective), compliance executed ÷ planned capped at 100; the budget is the
    sum of their BudgetTotals; the semáforo is the weighted average of their scores. The
    plan is its objectives by objective weight, an objective nobody serves counting 0, as
    an objective without goals does in ``plan_rollup``.

    For the whole term (`year` None), each objective is the plain average of the years in
    which something serves it (years without data are not zeros: a year not yet planned
    says nothing of the term); the budget adds up over the years; the plan again by
    objective weight. ``years`` keeps each year's roll-up.

    The plan's own goals and actions, if any, keep their own figures (``plan_rollup``); its
    objectives read only what serves them. Queries: those of ``plan_rollup`` once per
    serving plan and once for `plan`, plus three; none per serving item.
    """
    own = plan_rollup(plan)
    serving = list(plan.children.order_by("start_year", "name", "pk"))
    if year is not None:
        serving = [s for s in serving if s.start_year == year]
    aligned = dict(
        Objective.objects.live()
        .filter(plan__in=serving, serves__isnull=False)
        .values_list("pk", "serves_id")
    )
    thresholds = entity_thresholds()
    by_year = defaultdict(list)
    for served in serving:
        by_year[served.start_year].append(plan_rollup(served))
    years = {
        y: _strategic_year(own, rollups, aligned, thresholds, serving_plans=rollups)
        for y, rollups in sorted(by_year.items())
    }
    if year is not None:
        return years.get(year) or _strategic_year(own, [], aligned, thresholds)
    parts = defaultdict(list)
    for year_rollup in years.values():
        for pk, node in year_rollup.physical.objectives.items():
            if node.has_children:
                parts[pk].append(
                    (
                        HUNDRED,  # equal weights: the plain average over the years
                        node,
                        year_rollup.financial.objectives[pk],
                        year_rollup.objective_semaforo.get(pk),
                    )
                )
    return _strategic(
        own,
        parts,
        {k: v for y in years.values() for k, v in y.indicators.items()},
        thresholds,
        years=years,
        serving_plans=tuple(serving),
    )


def _strategic_year(own, rollups, aligned, thresholds, *, serving_plans=()):
    """The strategic plan `own.plan` from the serving plans' `rollups` of one year."""
    parts, indicators = defaultdict(list), {}
    for rollup in rollups:
        for pk, node in rollup.physical.objectives.items():
            target = aligned.get(pk)
            if target in own.physical.objectives:
                parts[target].append(
                    (
                        node.weight,
                        node,
                        rollup.financial.objectives[pk],
                        rollup.objective_semaforo.get(pk),
                    )
                )
        for pk, (indicator, result) in rollup.indicators.items():
            objective_id = indicator.objective_id
            if objective_id is None:
                goal = rollup.physical.goals.get(indicator.goal_id)
                objective_id = goal.parent_id if goal else None
            if aligned.get(objective_id) in own.physical.objectives:
                indicators[pk] = (indicator, result)
    plans = tuple(r.plan for r in serving_plans)
    return _strategic(own, parts, indicators, thresholds, serving_plans=plans)


def _strategic(own, parts, indicators, thresholds, *, years=None, serving_plans=()):
    """PlanRollup of the strategic plan `own.plan` whose objective `pk` is served by
    `parts[pk]`: (weight, NodeProgress, NodeFinance, NodeSemaforo or None) tuples."""
    plan = own.plan
    physical, financial, semaforos = {}, {}, {}
    for pk, pei_node in own.physical.objectives.items():
        served = parts.get(pk, [])
        physical[pk] = _served_progress(pei_node, plan, served, thresholds)
        financial[pk] = NodeFinance(
            id=pk,
            code=pei_node.code,
            name=pei_node.name,
            parent_id=plan.pk,
            **BudgetTotals.sum(f for _w, _n, f, _s in served).amounts(),
        )
        node = _served_semaforo([(w, s) for w, _n, _f, s in served if s], thresholds)
        if node is not None:
            semaforos[pk] = node
    plan_parts = [(node.weight, node, None, semaforos.get(pk)) for pk, node in physical.items()]
    plan_node = _served_progress(
        NodeProgress(id=plan.pk, code="", name=plan.name, weight=HUNDRED, physical=HUNDRED),
        None,
        plan_parts,
        thresholds,
        keep_empty=True,
    )
    counts = dict.fromkeys(SemaforoState, 0)
    for _indicator, result in indicators.values():
        if result is not None:
            counts[result.state] += 1
    return PlanRollup(
        plan=plan,
        period=None,
        physical=PhysicalProgress(
            plan_node, physical, own.physical.goals, own.physical.actions, None
        ),
        financial=FinancialProgress(
            NodeFinance(
                id=plan.pk,
                code="",
                name=plan.name,
                **BudgetTotals.sum(financial.values()).amounts(),
            ),
            financial,
            own.financial.goals,
            own.financial.actions,
            None,
        ),
        indicators=indicators,
        semaforo_counts=counts,
        goal_semaforo=own.goal_semaforo,
        objective_semaforo=semaforos,
        plan_semaforo=_served_semaforo([(w, s) for w, _n, _f, s in plan_parts if s], thresholds),
        years=years or {},
        serving_plans=serving_plans,
    )


def _served_progress(node, parent, parts, thresholds, *, keep_empty=False):
    """`node` (a NodeProgress) with executed and planned Σ w·x / Σ w of the NodeProgress in
    `parts`, compliance capped at 100. Nothing serving it: 0 executed and 0 planned."""
    nodes = [(weight, part) for weight, part, _f, _s in parts]
    if not nodes:
        executed = planned = Decimal("0")
    else:
        executed = _weighted((w, n.physical) for w, n in nodes)
        planned = (
            None
            if any(n.planned is None for _w, n in nodes)
            else _weighted((w, n.planned) for w, n in nodes)
        )
    compliance = physical_compliance(executed, planned)
    if compliance is not None:
        compliance = min(compliance, HUNDRED)
    return NodeProgress(
        id=node.id,
        code=node.code,
        name=node.name,
        weight=node.weight,
        physical=executed,
        parent_id=parent.pk if parent is not None else None,
        has_report=any(n.has_report for _w, n in nodes),
        has_children=bool(nodes) and (keep_empty or any(n.has_children for _w, n in nodes)),
        planned=planned,
        compliance=compliance,
        state=physical_state(compliance, **thresholds),
    )


def _served_semaforo(parts, thresholds):
    """NodeSemaforo from (weight, NodeSemaforo) parts: Σ w·x / Σ w over the parts with a
    score; None without parts."""
    if not parts:
        return None
    value = _weighted((w, s.compliance) for w, s in parts)
    indicators = sum(s.indicators for _w, s in parts)
    unreported = sum(s.unreported for _w, s in parts)
    state = semaforo(value, **thresholds) if value is not None else parts[0][1].state
    return NodeSemaforo(value, state, indicators, unreported)
