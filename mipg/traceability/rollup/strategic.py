"""The strategic roll-up: a plan served by others (a PEI served by its Planes de Acción,
``plan.children``) rolls up from the objectives and goals aligned to its objectives, each
serving plan at its own cut (MIPG.md §3; the rule with a worked example in docs/rollup.md).
``rollup_of`` picks it or ``plan_rollup``.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from evaluation.selectors import PLAN_SCOPE, SemaforoState, semaforo
from management.selectors.budget import BudgetTotals, FinancialProgress, NodeFinance
from management.selectors.physical import (
    HUNDRED,
    NodeProgress,
    PhysicalProgress,
    entity_thresholds,
    physical_compliance,
    physical_state,
)
from mipg.core.models import Entity
from mipg.traceability.rollup.plan import (
    NodeSemaforo,
    PlanRollup,
    _objective_value,
    _weighted,
    plan_rollup,
    plan_rollups,
)
from planning.models import Goal, Objective, ReportingPeriod, StrategicPlan
from planning.selectors import default_cutoff, default_cutoff_period


def with_serving_flag(plans):
    """A StrategicPlan queryset annotated with ``has_serving_plans`` for ``rollup_of``."""
    return plans.annotate(
        has_serving_plans=Exists(StrategicPlan.objects.filter(parent=OuterRef("pk")))
    )


def rollup_of(plan, *, actions=True, rows=False, objective=None, among=None, **kwargs):
    """The roll-up pages and the API show for `plan`: ``strategic_rollup`` when other plans
    serve it (``plan.children``), else ``plan_rollup`` (same keyword arguments). One query
    more than the chosen roll-up, none when `plan` was loaded with ``has_serving_plans``
    (``with_serving_flag``). ``actions=False``: a plan_rollup without action nodes (see
    there), ``rows=True`` with the action rows instead; a strategic roll-up has none of its
    own anyway (its own actions come with nodes and rows), nor budget grouped ``among``
    some actions. ``explain=False`` (either kind):
    indicator results without their formula text, the same figures. ``objective``: for a
    page that shows that objective's branch alone, a plan_rollup of the branch (see there);
    a strategic roll-up is the whole plan's all the same (its objectives' figures come
    from the plans that serve them)."""
    served = getattr(plan, "has_serving_plans", None)
    if served is None:
        served = plan.children.exists()
    if served:
        return strategic_rollup(plan, **kwargs)
    return plan_rollup(plan, actions=actions, rows=rows, objective=objective, among=among, **kwargs)


@dataclass(frozen=True)
class ServedPart:
    """One item of a serving plan in a strategic objective's figure of one year: the
    serving `plan` at its cut `period`, `kind` ("objective", "goal" or "rest": what is left
    of an objective some of whose goals serve elsewhere), its `share` of its own plan, its
    NodeProgress, BudgetTotals and NodeSemaforo (or None)."""

    plan: object
    period: object
    kind: str
    share: Decimal
    node: NodeProgress
    finance: object
    semaforo: object


@dataclass(frozen=True)
class Alignment:
    """What the serving items serve: objective id → served objective id, goal id → served
    objective id (only the items that say so)."""

    objectives: dict
    goals: dict

    @classmethod
    def of_plans(cls, plans):
        """Two queries whatever the number of items."""
        return cls(
            dict(
                Objective.objects.live()
                .filter(plan__in=plans, serves__isnull=False)
                .values_list("pk", "serves_id")
            ),
            dict(
                Goal.objects.live()
                .filter(objective__plan__in=plans, serves__isnull=False)
                .values_list("pk", "serves_id")
            ),
        )


def serving_cuts(plans, cut):
    """{plan id: period} of the `plans` that have started by the date `cut`: each at its
    latest period that has started by then (``default_cutoff`` at `cut`), never a later
    one; a plan without periods, with None, once its first year has begun. One query."""
    periods = defaultdict(list)
    for period in ReportingPeriod.objects.filter(plan__in=plans, start_date__lte=cut):
        periods[period.plan_id].append(period)
    cuts = {}
    for served in plans:
        for period in _cut_of(served, periods[served.pk], cut):
            cuts[served.pk] = period
    return cuts


def strategic_rollup(
    plan, *, period=None, cumulative=True, year=None, scope=PLAN_SCOPE, today=None, explain=True
):
    """Roll-up of a strategic plan (a PEI) from what serves it (MIPG.md §3): the live
    objectives and goals of its serving plans (``plan.children``) aligned to its objectives
    (``Objective.serves``, ``Goal.serves``). See docs/rollup.md for a worked example.

    The cut. `period`, a period of `plan` (by default its latest period that has started,
    ``default_cutoff_period``), gives the cut date: its end date, or today if earlier (no
    period: today). Each serving plan is rolled up by ``plan_rollup`` at its own latest
    period that has started by that date, never a later one, with the same `cumulative` and
    `scope`; a serving plan none of whose periods has started by then is left out (it says
    nothing yet). A serving plan counts for the year it starts (a Plan de Acción covers one
    year); `year` keeps only that year's serving plans.

    Which items reach which objective. A goal that serves an objective itself goes to that
    objective; the rest of its objective (its other goals and its own indicators) goes to
    what the objective serves; a goal without alignment follows its objective. Nothing is
    counted twice, and items aligned to nothing (or to an archived objective) reach nothing.

    For one year, each objective of `plan` averages the figures of the items aligned to it
    (physical executed and planned, and the semáforo) weighted by each item's share of its
    own plan: an objective weighs its weight; a goal aligned on its own weighs its
    objective's weight × the goal's weight ÷ the weights of the goal and its siblings (their
    count when they are all 0); the rest of an objective weighs its weight less its aligned
    goals' shares, with the figures of its remaining goals as ``plan_rollup`` combines them.
    So a goal aligned with the same objective as its objective changes nothing, and an
    objective whose goals all serve elsewhere contributes nothing itself (its own indicators
    are listed with its target but weigh nothing). Physical compliance is executed ÷ planned
    capped at 100; the budget is the sum of the items' BudgetTotals. The plan is its
    objectives by objective weight, an objective nobody serves counting 0, as an objective
    without goals does in ``plan_rollup``.

    For the whole term (`year` None), each objective is the plain average of the years in
    which something serves it (years without data are not zeros: a year not yet planned
    says nothing of the term); the budget adds up over the years; the plan again by
    objective weight. ``years`` keeps each year's roll-up.

    The plan's own goals and actions, if any, keep their own figures (``plan_rollup`` at
    `period`); its objectives read only what serves them. Queries: those of ``plan_rollup``
    once per serving plan that has started and once for `plan`, plus five (the default
    period, the serving plans, their periods, the aligned objectives, the aligned goals);
    none per serving objective or goal. ``explain=False``: as in ``plan_rollup``.
    """
    today = today or timezone.localdate()
    if period is None:
        period = default_cutoff_period(plan, today=today)
    cut = min(period.end_date, today) if period is not None else today
    own = plan_rollup(
        plan, period=period, cumulative=cumulative, year=year, scope=scope, explain=explain
    )
    serving = list(
        plan.children.annotate(periods_count=Count("periods")).order_by("start_year", "name", "pk")
    )
    if year is not None:
        serving = [s for s in serving if s.start_year == year]
    cuts = serving_cuts(serving, cut)
    serving = [s for s in serving if s.pk in cuts]
    alignment = Alignment.of_plans(serving)
    thresholds = own.thresholds or entity_thresholds()
    rollups = [
        plan_rollup(
            served, period=cuts[served.pk], cumulative=cumulative, scope=scope, explain=explain
        )
        for served in serving
    ]
    return _from_serving(own, rollups, alignment, thresholds, period=period, year=year)


def _from_serving(own, rollups, alignment, thresholds, *, period, year=None):
    """The strategic roll-up of `own.plan` (its own ``plan_rollup``) from the `rollups` of
    the serving plans that have started by the cut, each at its cut, oldest year first."""
    by_year = defaultdict(list)
    for rollup in rollups:
        by_year[rollup.plan.start_year].append(rollup)
    years = {
        y: _strategic_year(own, year_rollups, alignment, thresholds, period=period)
        for y, year_rollups in sorted(by_year.items())
    }
    if year is not None:
        return years.get(year) or _strategic_year(own, [], alignment, thresholds, period=period)
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
        period=period,
        years=years,
        serving_plans=tuple(r.plan for r in rollups),
    )


def rollups_of(plans, *, cumulative=True, scope=PLAN_SCOPE, today=None):
    """{plan id: the roll-up ``rollup_of`` gives for it at its default cut, without action
    nodes} of several `plans` (loaded by ``with_serving_flag`` with their ``periods``
    prefetched), for pages that show many plans' totals (the home page). The same figures
    in a number of queries that does not grow with the number of plans or of serving
    plans: the serving plans, their periods and alignment (four, only when a plan is
    served) and the eight of ``plan_rollups`` — once more for each further cut at which a
    plan is needed (a plan shown at its own cut and serving another at an earlier one)."""
    today = today or timezone.localdate()
    own_cuts = {plan: default_cutoff(plan.periods.all(), today=today) for plan in plans}
    served = [plan for plan in plans if plan.has_serving_plans]
    serving_of, serving_cut = defaultdict(list), {}
    alignment = Alignment({}, {})
    if served:
        serving = list(
            StrategicPlan.objects.filter(parent__in=served)
            .annotate(periods_count=Count("periods"))
            .order_by("start_year", "name", "pk")
        )
        cut_dates = {
            plan.pk: min(own_cuts[plan].end_date, today) if own_cuts[plan] else today
            for plan in served
        }
        periods = defaultdict(list)
        for period in ReportingPeriod.objects.filter(
            plan__in=serving, start_date__lte=max(cut_dates.values())
        ):
            periods[period.plan_id].append(period)
        for plan in serving:
            cut = cut_dates[plan.parent_id]
            started = [p for p in periods[plan.pk] if p.start_date <= cut]
            cuts = _cut_of(plan, started, cut)
            if cuts:
                serving_cut[plan] = cuts[0]
                serving_of[plan.parent_id].append(plan)
        alignment = Alignment.of_plans(list(serving_cut))
    entity = Entity.current()
    rollups = {}
    # a plan is rolled up once per cut at which it is needed; plan_rollups takes each
    # plan once, so a plan needed at two cuts goes into a second round
    rounds = []
    for plan, period in [*own_cuts.items(), *serving_cut.items()]:
        key = (plan.pk, period.pk if period else None)
        if key in rollups:
            continue
        rollups[key] = None
        for batch in rounds:
            if plan not in batch:
                batch[plan] = period
                break
        else:
            rounds.append({plan: period})
    for batch in rounds:
        for plan_id, rollup in plan_rollups(
            batch, cumulative=cumulative, scope=scope, entity=entity
        ).items():
            rollups[plan_id, rollup.period.pk if rollup.period else None] = rollup

    def rollup_at(plan, period):
        return rollups[plan.pk, period.pk if period else None]

    result = {}
    for plan, period in own_cuts.items():
        own = rollup_at(plan, period)
        if plan.has_serving_plans:
            own = _from_serving(
                own,
                [rollup_at(s, serving_cut[s]) for s in serving_of[plan.pk]],
                alignment,
                own.thresholds,
                period=period,
            )
        result[plan.pk] = own
    return result


def _cut_of(plan, started, cut):
    """(period,) of a serving `plan` at the date `cut` from its periods `started` by then
    (``serving_cuts``); (None,) for a plan without periods whose first year has begun; ()
    when it has not started."""
    if started:
        return (default_cutoff(started, today=cut),)
    if plan.start_year <= cut.year and not plan.periods_count:
        return (None,)
    return ()


def _strategic_year(own, rollups, alignment, thresholds, *, period):
    """The strategic plan `own.plan` from the serving plans' `rollups` of one year."""
    targets = own.physical.objectives
    parts, served, indicators = defaultdict(list), defaultdict(list), {}
    for rollup in rollups:
        reaches = _reaches(rollup, alignment, targets)
        for target, kind, part in _aligned_parts(rollup, reaches, thresholds):
            parts[target].append(part)
            served[target].append(ServedPart(rollup.plan, rollup.period, kind, *part))
        for pk, (indicator, result) in rollup.indicators.items():
            node = ("goal", indicator.goal_id) if indicator.goal_id else None
            node = node or ("objective", indicator.objective_id)
            if reaches.get(node) is not None:
                indicators[pk] = (indicator, result)
    plans = tuple(r.plan for r in rollups)
    return _strategic(
        own, parts, indicators, thresholds, period=period, serving_plans=plans, served_parts=served
    )


def _reaches(rollup, alignment, targets):
    """{("objective", id) or ("goal", id): the objective of `targets` it reaches, or None}
    for the live items of a serving plan's `rollup`: a goal's own alignment first, else its
    objective's (aligned to an objective outside `targets`, an item is not aligned)."""
    reaches = {}
    for pk in rollup.physical.objectives:
        target = alignment.objectives.get(pk)
        reaches["objective", pk] = target if target in targets else None
    for pk, goal in rollup.physical.goals.items():
        target = alignment.goals.get(pk)
        reaches["goal", pk] = (
            target if target in targets else reaches.get(("objective", goal.parent_id))
        )
    return reaches


def _aligned_parts(rollup, reaches, thresholds):
    """(target objective id, kind, (share, NodeProgress, BudgetTotals, NodeSemaforo or
    None)) of each aligned item of a serving plan's `rollup` (the rule of
    ``strategic_rollup``); kind: "goal", "objective" or "rest" (what is left of an
    objective some of whose goals serve elsewhere)."""
    goals_of = defaultdict(list)
    for goal in rollup.physical.goals.values():
        goals_of[goal.parent_id].append(goal)
    own_results = defaultdict(list)
    for indicator, result in rollup.indicators.values():
        if indicator.goal_id is None and result is not None:
            own_results[indicator.objective_id].append(result)
    for pk, objective in rollup.physical.objectives.items():
        target = reaches["objective", pk]
        goals = goals_of[pk]
        moved = [g for g in goals if reaches["goal", g.id] != target]
        for goal in moved:
            if reaches["goal", goal.id] is not None:
                yield (
                    reaches["goal", goal.id],
                    "goal",
                    (
                        _share(objective, goals, [goal]),
                        goal,
                        rollup.financial.goals[goal.id],
                        rollup.goal_semaforo.get(goal.id),
                    ),
                )
        if target is None:
            continue
        if not moved:
            yield (
                target,
                "objective",
                (
                    objective.weight,
                    objective,
                    rollup.financial.objectives[pk],
                    rollup.objective_semaforo.get(pk),
                ),
            )
            continue
        rest = [g for g in goals if g not in moved]
        if rest:
            yield (
                target,
                "rest",
                (
                    _share(objective, goals, rest),
                    _served_progress(
                        objective,
                        None,
                        [(g.weight, g, None, None) for g in rest],
                        thresholds,
                        keep_empty=True,
                    ),
                    BudgetTotals.sum(rollup.financial.goals[g.id] for g in rest),
                    _rest_semaforo(
                        [(g.weight, rollup.goal_semaforo.get(g.id)) for g in rest],
                        own_results[pk],
                        thresholds,
                    ),
                ),
            )


def _share(objective, siblings, goals):
    """The share of its plan that `goals`, some of an objective's goals `siblings`, weigh:
    the objective's weight × their weights ÷ the siblings' (their count when all are 0)."""
    total = sum((g.weight for g in siblings), Decimal("0"))
    if total:
        return objective.weight * sum(g.weight for g in goals) / total
    return objective.weight * len(goals) / len(siblings)


def _rest_semaforo(goal_parts, own_results, thresholds):
    """NodeSemaforo of what is left of an objective: its remaining goals' (weight,
    NodeSemaforo or None) and its own indicators' results, combined as ``tree_semaforo``
    combines an objective (``_objective_value``)."""
    goal_parts = [(w, s) for w, s in goal_parts if s is not None]
    if not goal_parts and not own_results:
        return None
    value = _objective_value([(w, s.compliance) for w, s in goal_parts], own_results)
    indicators = len(own_results) + sum(s.indicators for _w, s in goal_parts)
    unreported = sum(1 for r in own_results if r.state == SemaforoState.NOT_REPORTED)
    unreported += sum(s.unreported for _w, s in goal_parts)
    if value is None:
        states = {r.state for r in own_results} | {s.state for _w, s in goal_parts}
        state = (
            SemaforoState.NO_BASELINE
            if SemaforoState.NO_BASELINE in states
            else SemaforoState.NO_TARGET
        )
    else:
        state = semaforo(value, **thresholds)
    return NodeSemaforo(value, state, indicators, unreported)


def _strategic(
    own, parts, indicators, thresholds, *, period, years=None, serving_plans=(), served_parts=None
):
    """PlanRollup of the strategic plan `own.plan` at `period` whose objective `pk` is
    served by `parts[pk]`: (weight, NodeProgress, BudgetTotals, NodeSemaforo or None);
    `served_parts`: the same parts of one year as ServedParts, kept for «explicar este %»."""
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
        period=period,
        physical=PhysicalProgress(
            plan_node,
            physical,
            own.physical.goals,
            own.physical.actions,
            None,
            own.physical.action_facts,
            own.physical.action_rows,
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
        served=dict(served_parts or {}),
        strategic=True,
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
