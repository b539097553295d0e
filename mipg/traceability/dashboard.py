"""The plan dashboard: where a plan stands at a cut, for managers, from the plan roll-up.

Every figure comes from ``plan_rollup`` (``rollup_of`` for a strategic plan): the plan and
its objectives are the tree's own nodes, so the dashboard, the plan page, the API and the
exports give the same numbers. Physical progress (planned and executed) and financial
execution stay side by side, never merged. The groups read the roll-up's actions as plain
rows (``rows=True``: ActionRow) and its budget grouped by objective, unit and funding
source in the database (``financial.cells``), so the page builds no action node.

Groups that cut across the tree (a unit, a MIPG dimension or policy, a Decreto 612 plan,
or the plan under a filter) weigh each action by its **share of the plan**: the product
of its normalised weights down the tree, s = w_obj/Σw_obj · w_goal/Σw_goal · w_act/Σw_act
(a plain 1/n among siblings whose weights sum to 0, as in the roll-up). A group's
executed (and planned) progress is Σ s·x / Σ s over its actions, its compliance
executed ÷ planned capped at 100, and its budget the sum of its actions' budgets.
Without a filter, Σ s·x over all the actions is exactly the plan's figure. Example: a
plan with one objective, two goals weighted 60 and 40, the first with actions weighted 50
and 50 (executed 80 % and 40 %, unit A and unit B), the second with one action (executed
20 %, unit A): shares 0,3, 0,3 and 0,4; unit A = (0,3·80 + 0,4·20) / 0,7 = 45,71 %,
unit B = 40 %, the plan = 0,3·80 + 0,3·40 + 0,4·20 = 44 %.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from types import SimpleNamespace

from django.db.models import CharField, IntegerField, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation.selectors import SemaforoState
from management.models import ProgressReport
from management.selectors.budget import AMOUNTS, BudgetTotals, budget_by_source
from management.selectors.budget import by_source as by_source_totals
from management.selectors.physical import (
    HUNDRED,
    ZERO,
    NodeProgress,
    PhysicalState,
    entity_thresholds,
    physical_compliance,
    physical_state,
)
from mipg.core.models import ReviewStatus, Unit
from mipg.traceability.rollup import rollup_of
from planning.models import Action, ActionSchedule, Objective, default_planned
from planning.selectors import default_cutoff, live_actions, live_objectives

NO_UNIT = _("Sin dependencia")
amounts_of = attrgetter(*AMOUNTS)  # a BudgetTotals' amounts in the order of AMOUNTS
LIST_LIMIT = 20


@dataclass(frozen=True)
class Group:
    """Physical and financial figures of a set of actions (see the module docstring)."""

    key: object
    label: str
    executed: Decimal
    planned: Decimal | None
    compliance: Decimal | None
    state: str
    finance: BudgetTotals
    actions: int
    url: str = ""


@dataclass(frozen=True)
class Dashboard:
    plan: object
    period: object
    rollup: object
    filtered: bool
    total: Group
    objectives: list
    units: list
    dimensions: list
    policies: list
    institutional_plans: list
    semaforo: list  # [(state, label, count)]
    indicators: list  # [(Indicator, IndicatorResult)] shown (only reds on request)
    lagging: list  # [NodeProgress] of actions behind their programación (rojo)
    lagging_count: int
    overdue: list  # [NodeProgress] of actions ended and not at 100 %
    overdue_count: int
    funnel: list  # [(funding source name, BudgetTotals)]
    funnel_total: BudgetTotals
    trend: list = field(default_factory=list)  # [(period, planned, executed)]
    # The plan's links across the tree (_Links: objective → policies, action → Decreto
    # 612 plans), for callers that list actions with their groups (report snapshots).
    links: object = None


def action_shares(physical):
    """{action id: its share of the plan} from the weights of a PhysicalProgress (its
    ``action_rows`` when it has them, else its action nodes)."""

    def normalised(nodes):
        total = sum((n.weight for n in nodes), ZERO)
        return {n.id: (n.weight / total if total else Decimal(1) / len(nodes)) for n in nodes}

    def by_parent(nodes, parent):
        groups = defaultdict(list)
        for node in nodes:
            groups[parent(node)].append(node)
        return groups.values()

    objective_share = normalised(list(physical.objectives.values())) if physical.objectives else {}
    goal_share = {}
    for siblings in by_parent(physical.goals.values(), lambda node: node.parent_id):
        for pk, share in normalised(siblings).items():
            goal_share[pk] = objective_share.get(physical.goals[pk].parent_id, ZERO) * share
    if physical.action_rows is not None:
        actions, parent = physical.action_rows, lambda row: row.goal_id
    else:
        actions, parent = physical.actions.values(), lambda node: node.parent_id
    shares = {}
    for siblings in by_parent(actions, parent):
        goal_id = parent(siblings[0])
        for pk, share in normalised(siblings).items():
            shares[pk] = goal_share.get(goal_id, ZERO) * share
    return shares


class _Sums:
    """The running sums behind a Group: Σ s·x and Σ s over its actions (s: the share of
    the plan, ``action_shares``), the plain sums for when the shares add up to 0, and its
    budget. One pass over the action rows fills every group's physical sums, one over the
    budget by action and source their budgets; groups of objectives (a policy, a
    dimension) add up their objectives' sums."""

    __slots__ = (
        "count",
        "finance",
        "plain_executed",
        "plain_planned",
        "planned_known",
        "share",
        "weighted_executed",
        "weighted_planned",
    )

    def __init__(self):
        self.count = 0
        self.share = self.weighted_executed = self.weighted_planned = ZERO
        self.plain_executed = self.plain_planned = ZERO
        self.planned_known = True
        self.finance = [ZERO] * len(AMOUNTS)

    def add(self, share, row):
        """Count the action `row` (an ActionRow) with its `share` of the plan."""
        self.count += 1
        self.share += share
        self.weighted_executed += share * row.physical
        self.plain_executed += row.physical
        if row.planned is None:
            self.planned_known = False
        elif self.planned_known:
            self.weighted_planned += share * row.planned
            self.plain_planned += row.planned

    def add_finance(self, amounts):
        """Add a budget (a list in the order of AMOUNTS)."""
        self.finance = [x + y for x, y in zip(self.finance, amounts, strict=True)]

    def merge(self, other):
        self.count += other.count
        self.share += other.share
        self.weighted_executed += other.weighted_executed
        self.plain_executed += other.plain_executed
        self.planned_known = self.planned_known and other.planned_known
        if self.planned_known:
            self.weighted_planned += other.weighted_planned
            self.plain_planned += other.plain_planned
        self.finance = [x + y for x, y in zip(self.finance, other.finance, strict=True)]

    def group(self, key, label, thresholds, url=""):
        """The Group: executed (planned) Σ s·x / Σ s, the plain mean when Σ s is 0."""
        executed, planned = ZERO, None
        if self.count:
            if self.share:
                total, done, due = self.share, self.weighted_executed, self.weighted_planned
            else:
                total, done, due = Decimal(self.count), self.plain_executed, self.plain_planned
            executed = done / total
            if self.planned_known:
                planned = due / total
        compliance = physical_compliance(executed, planned)
        if compliance is not None:
            compliance = min(compliance, HUNDRED)
        return Group(
            key=key,
            label=label,
            executed=executed,
            planned=planned,
            compliance=compliance,
            state=physical_state(compliance, **thresholds),
            finance=BudgetTotals(**dict(zip(AMOUNTS, self.finance, strict=True))),
            actions=self.count,
            url=url,
        )


def _tree_group(node, finance, count, url=""):
    """A Group with the tree's own figures for a node (plan or objective)."""
    return Group(
        key=node.id,
        label=f"{node.code} {node.name}".strip(),
        executed=node.physical,
        planned=node.planned,
        compliance=node.compliance,
        state=node.state,
        finance=BudgetTotals.sum([finance]),
        actions=count,
        url=url,
    )


def plan_dashboard(
    plan,
    *,
    period=None,
    periods=None,
    unit=None,
    policy=None,
    dimension=None,
    institutional_plan=None,
    only_reds=False,
    today=None,
    unit_names=None,
    actions=True,
    explain=True,
):
    """The Dashboard of `plan` at `period` (default: the latest period that has started),
    optionally restricted to the actions of a unit, a MIPG policy or dimension (through
    their objective) or a Decreto 612 plan. `periods`: the plan's periods when the caller
    has them already. `actions=False`: its roll-up has no action nodes (the figures are
    the same: they come from the action rows; callers that list the actions' own figures,
    such as report snapshots, keep them). `explain=False`: its indicator results come
    without their formula text (the same figures), for the page and its export, which never
    show it; report snapshots keep it. Queries do not grow with the plan's size."""
    today = today or timezone.localdate()
    periods = list(plan.periods.all() if periods is None else periods)
    rollup = rollup_of(
        plan,
        period=period or default_cutoff(periods, today=today),
        actions=actions,
        rows=True,
        explain=explain,
        # the budget cells of the actions in that Decreto 612 plan (all without the filter)
        among=None
        if institutional_plan is None
        else Action.objects.filter(institutional_plans=institutional_plan),
    )
    period = rollup.period
    physical, financial = rollup.physical, rollup.financial
    thresholds = rollup.thresholds or entity_thresholds()
    shares = action_shares(physical)

    links = _links(plan)
    goals = physical.goals
    filtered = any(f is not None for f in (unit, policy, dimension, institutional_plan))
    keep = _Kept(None if unit is None else unit.pk, _objectives_kept(links, policy, dimension))
    selected = _selected(physical.action_rows or [], goals, links, keep, institutional_plan)
    objective_of = {row.id: goals[row.goal_id].parent_id for row in selected}
    if unit_names is None:
        unit_names = dict(
            Unit.objects.filter(pk__in={row.unit_id for row in selected}).values_list("pk", "name")
        )

    # One pass over the selected actions fills the physical sums of every group they
    # belong to, one over their budget by source the groups' budgets.
    total_sums = _Sums()
    by_objective, by_unit, by_plan = (defaultdict(_Sums) for _ in range(3))
    no_plans = ()
    for row in selected:
        pk, share = row.id, shares[row.id]
        total_sums.add(share, row)
        by_objective[objective_of[pk]].add(share, row)
        by_unit[row.unit_id].add(share, row)
        for item in links.institutional_plans.get(pk, no_plans):
            by_plan[item.code].add(share, row)
    funnel = _add_budgets(
        financial,
        plan,
        selected,
        objective_of,
        links,
        (total_sums, by_objective, by_unit, by_plan),
        keep,
    )
    if filtered:
        total = total_sums.group(plan.pk, plan.name, thresholds)
        objectives = [
            by_objective[node.id].group(node.id, f"{node.code} {node.name}", thresholds)
            for node in physical.objectives.values()
            if node.id in by_objective
        ]
    else:
        total = _tree_group(physical.plan, financial.plan, len(selected))
        objectives = [
            _tree_group(
                node,
                financial.objectives[node.id],
                by_objective[node.id].count if node.id in by_objective else 0,
            )
            for node in physical.objectives.values()
        ]
    units = sorted(
        (
            sums.group(key, unit_names.get(key) or str(NO_UNIT), thresholds)
            for key, sums in by_unit.items()
        ),
        key=_ranking,
    )

    policies, dimensions = _by_policy(links, by_objective, thresholds)
    institutional_plans = _by_institutional_plan(links, by_plan, thresholds)

    selected_objectives = set(objective_of.values())
    indicators = [
        (indicator, result)
        for indicator, result in rollup.indicators.values()
        if result is not None
        and _indicator_selected(indicator, unit, selected_objectives, physical, filtered)
    ]
    counts = dict.fromkeys(SemaforoState, 0)
    for _indicator, result in indicators:
        counts[result.state] += 1
    if only_reds:
        indicators = [(i, r) for i, r in indicators if r.state == SemaforoState.RED]

    lagging_all = [
        row
        for row in selected
        if physical_state(physical_compliance(row.physical, row.planned), **thresholds)
        == PhysicalState.RED
    ]
    overdue_all = [row for row in selected if row.end_date < today and row.physical < HUNDRED]

    return Dashboard(
        plan=plan,
        period=period,
        rollup=rollup,
        filtered=filtered,
        total=total,
        objectives=objectives,
        units=units,
        dimensions=dimensions,
        policies=policies,
        institutional_plans=institutional_plans,
        semaforo=[(state.value, state.label, counts[state]) for state in SemaforoState],
        indicators=indicators,
        lagging=[_action_node(row, thresholds) for row in lagging_all[:LIST_LIMIT]],
        lagging_count=len(lagging_all),
        overdue=[_action_node(row, thresholds) for row in overdue_all[:LIST_LIMIT]],
        overdue_count=len(overdue_all),
        funnel=funnel,
        funnel_total=BudgetTotals.sum(totals for _source, totals in funnel),
        trend=_trend(plan, periods, selected, shares, period, filtered),
        links=links,
    )


@dataclass(frozen=True)
class _Kept:
    """The filters by unit and by MIPG policy or dimension: they keep or leave out all
    the actions of an (objective, unit) together (None: no such filter)."""

    unit_id: int | None
    objectives: set | None  # the ids of the objectives the policy or dimension keeps

    @property
    def all(self):
        return self.unit_id is None and self.objectives is None

    def __call__(self, objective_id, unit_id):
        return (self.unit_id is None or unit_id == self.unit_id) and (
            self.objectives is None or objective_id in self.objectives
        )


def _objectives_kept(links, policy, dimension):
    """The ids of the objectives whose MIPG policies pass the filters by `policy` and by
    `dimension` (None without either)."""
    if policy is None and dimension is None:
        return None
    return {
        objective_id
        for objective_id, items in links.policies.items()
        if (policy is None or policy.pk in {p.pk for p in items})
        and (dimension is None or dimension.pk in {p.dimension_id for p in items})
    }


def _selected(rows, goals, links, keep, institutional_plan):
    """The ActionRows of `rows` under the filters (all of them without one), in order:
    those whose (objective, unit) `keep` (a _Kept) keeps, in `institutional_plan` when
    given."""
    in_plan = None
    if institutional_plan is not None:
        in_plan = {
            pk
            for pk, items in links.institutional_plans.items()
            if institutional_plan.pk in {p.pk for p in items}
        }
    elif keep.all:
        return list(rows)
    return [
        row
        for row in rows
        if keep(goals[row.goal_id].parent_id, row.unit_id)
        and (in_plan is None or row.id in in_plan)
    ]


def _action_node(row, thresholds):
    """The NodeProgress of an action from its ActionRow (the roll-up's action node)."""
    compliance = physical_compliance(row.physical, row.planned)
    return NodeProgress(
        id=row.id,
        code=row.code,
        name=row.name,
        weight=row.weight,
        physical=row.physical,
        parent_id=row.goal_id,
        has_report=row.has_report,
        planned=row.planned,
        compliance=compliance,
        state=physical_state(compliance, **thresholds),
    )


def _add_budgets(financial, plan, selected, objective_of, links, sums, keep):
    """Add the budget of the `selected` actions to their groups' `sums` (the total, by
    objective, by unit, by Decreto 612 plan code) and return the funnel: [(source name,
    BudgetTotals)]. From the roll-up's budget cells (no query): those of the actions the
    Decreto 612 plan filter kept, under the filters by unit and MIPG policy or dimension
    (`keep`, on each cell's objective and unit). Budgets are exact sums of money: adding
    them up by (objective, unit, source) first, then by group, gives the same figures as
    adding them action by action. A strategic plan's roll-up has no cells: from the
    actions' own budgets, and the funnel in three queries."""
    if financial.cells is None:
        return _add_action_budgets(financial, plan, selected, objective_of, links, sums)
    total_sums, by_objective, by_unit, by_plan = sums
    by_cell, by_source, in_plans = defaultdict(list), defaultdict(list), defaultdict(list)
    for (objective_id, unit_id, source_id), totals in financial.cells.items():
        if keep(objective_id, unit_id):
            by_cell[objective_id, unit_id].append(totals)
            by_source[source_id].append(totals)
    code_of = {item.pk: item.code for items in links.institutional_plans.values() for item in items}
    for (plan_id, objective_id, unit_id, _source_id), totals in financial.plan_cells.items():
        if keep(objective_id, unit_id):
            in_plans[code_of[plan_id]].append(totals)
    for (objective_id, unit_id), items in by_cell.items():
        amounts = amounts_of(BudgetTotals.sum(items))
        total_sums.add_finance(amounts)
        by_objective[objective_id].add_finance(amounts)
        by_unit[unit_id].add_finance(amounts)
    for code, items in in_plans.items():
        by_plan[code].add_finance(amounts_of(BudgetTotals.sum(items)))
    return by_source_totals(
        {pk: BudgetTotals.sum(items) for pk, items in by_source.items()},
        financial.source_names,
    )


def _add_action_budgets(financial, plan, selected, objective_of, links, sums):
    """``_add_budgets`` from each selected action's own budget (``financial.actions``)."""
    total_sums, by_objective, by_unit, by_plan = sums
    plans_of = links.institutional_plans
    cells = defaultdict(list)  # (objective, unit) → [BudgetTotals]
    for row in selected:
        totals = financial.actions[row.id]
        cells[objective_of[row.id], row.unit_id].append(totals)
        amounts = amounts_of(totals)
        for item in plans_of.get(row.id, ()):
            by_plan[item.code].add_finance(amounts)
    for (objective_id, unit_id), items in cells.items():
        amounts = amounts_of(BudgetTotals.sum(items))
        total_sums.add_finance(amounts)
        by_objective[objective_id].add_finance(amounts)
        by_unit[unit_id].add_finance(amounts)
    return budget_by_source(
        live_actions(plan).filter(pk__in=[row.id for row in selected]), year=financial.year
    )


def _ranking(group):
    """Units by compliance (those with nothing planned last), then executed, then name."""
    compliance = group.compliance if group.compliance is not None else Decimal(-1)
    return (-compliance, -group.executed, str(group.label))


@dataclass(frozen=True)
class _Links:
    """The plan's links across the tree: objective id → [policy] (each with `dimension`),
    action id → [institutional plan]."""

    policies: dict
    institutional_plans: dict


def _links(plan):
    """The _Links of `plan`: one query (the two link tables, united)."""
    policy_links = (
        Objective.policies.through.objects.filter(objective__in=live_objectives(plan))
        .order_by()
        .annotate(kind=Value("p"))
        .values_list(
            "kind",
            "objective_id",
            "policy_id",
            "policy__code",
            "policy__name_es",
            "policy__dimension_id",
            "policy__dimension__code",
            "policy__dimension__name_es",
        )
    )
    plan_links = (
        Action.institutional_plans.through.objects.filter(action__in=live_actions(plan))
        .order_by()
        .annotate(
            kind=Value("i"),
            no_dimension=Value(None, output_field=IntegerField()),
            no_code=Value(None, output_field=CharField()),
            no_name=Value(None, output_field=CharField()),
        )
        .values_list(
            "kind",
            "action_id",
            "institutionalplan_id",
            "institutionalplan__code",
            "institutionalplan__name",
            "no_dimension",
            "no_code",
            "no_name",
        )
    )
    policies, institutional_plans = defaultdict(list), defaultdict(list)
    for (
        kind,
        owner,
        pk,
        code,
        name,
        dimension_id,
        dimension_code,
        dimension_name,
    ) in policy_links.union(plan_links, all=True):
        item = SimpleNamespace(pk=pk, code=code, name=name)
        if kind == "p":
            item.dimension_id = dimension_id
            item.dimension = SimpleNamespace(code=dimension_code, name=dimension_name)
            policies[owner].append(item)
        else:
            institutional_plans[owner].append(item)
    return _Links(policies, institutional_plans)


def _by_policy(links, by_objective, thresholds):
    """(policies, dimensions): an action counts in each policy of its objective (and once
    in each dimension of those policies); a group adds up its objectives' sums."""
    policy_objectives, dimension_objectives = defaultdict(set), defaultdict(set)
    labels = {}
    for objective_id in by_objective:
        for policy in links.policies.get(objective_id, ()):
            dimension = policy.dimension
            policy_objectives[policy.code].add(objective_id)
            dimension_objectives[dimension.code].add(objective_id)
            labels["p", policy.code] = f"{policy.code} {policy.name}"
            labels["d", dimension.code] = f"{dimension.code} {dimension.name}"

    def groups(kind, objectives_of):
        result = []
        for code, objective_ids in sorted(objectives_of.items()):
            sums = _Sums()
            for objective_id in sorted(objective_ids):
                sums.merge(by_objective[objective_id])
            result.append(sums.group(code, labels[kind, code], thresholds))
        return result

    return groups("p", policy_objectives), groups("d", dimension_objectives)


def _by_institutional_plan(links, by_plan, thresholds):
    labels = {
        item.code: item.name for items in links.institutional_plans.values() for item in items
    }
    return [by_plan[code].group(code, labels[code], thresholds) for code in sorted(by_plan)]


def _indicator_selected(indicator, unit, objectives, physical, filtered):
    """Under a filter, the indicators of the objectives (or their goals) that hold a
    selected action (`objectives`: their ids), and of the unit when filtering by unit."""
    if not filtered:
        return True
    if unit is not None and indicator.unit_id != unit.pk:
        return False
    objective_id = indicator.objective_id
    if indicator.goal_id is not None and indicator.goal_id in physical.goals:
        objective_id = physical.goals[indicator.goal_id].parent_id
    return objective_id in objectives


def _trend(plan, periods, rows, shares, period, filtered):
    """[(period, planned, executed)] for each period of the plan up to the cut: Σ s·x / Σ s
    over the `rows` (s: their shares of the plan, as the groups), so without a filter the
    cut's point is the plan's figures (to the last digits: the roll-up averages level by
    level). One query, and work in the reports, programación and spans of dates, not in
    actions × periods."""
    if period is None:
        return []
    all_periods = periods
    periods = [p for p in periods if p.end_date <= period.end_date]
    periods.sort(key=lambda p: (p.end_date, p.start_date))
    if not periods:
        return []
    dates_of = {row.id: (row.start_date, row.end_date) for row in rows}
    ids = dates_of.keys()
    ends = {p.pk: (p.end_date, p.start_date) for p in all_periods}
    # The programación and the approved reports up to the cut, in one query.
    schedules = (
        ActionSchedule.objects.filter(
            action_id__in=live_actions(plan).values("pk"), period__end_date__lte=period.end_date
        )
        .order_by()
        .annotate(kind=Value("s"))
        .values_list("kind", "action_id", "period_id", "pk", "planned")
    )
    approved = (
        ProgressReport.objects.filter(
            action_id__in=live_actions(plan).values("pk"),
            status=ReviewStatus.APPROVED,
            period__end_date__lte=period.end_date,
        )
        .order_by()
        .annotate(kind=Value("r"))
        .values_list("kind", "action_id", "period_id", "pk", "progress")
    )
    scheduled_at = defaultdict(list)  # period id → [(share, span, planned)]
    found = []
    for kind, action_id, period_id, pk, value in schedules.union(approved, all=True):
        if action_id not in ids:
            continue
        if kind == "s":  # one per action and period (schedule_unique_per_period)
            scheduled_at[period_id].append((shares[action_id], dates_of[action_id], Decimal(value)))
        else:
            found.append((ends[period_id], pk, action_id, Decimal(value)))
    # The approved reports in the order they take effect: at each period an action reads
    # its latest report ending by then (latest period end, then start, then id).
    found.sort(key=lambda report: report[:2])
    total = sum((shares[pk] for pk in ids), ZERO) if filtered else Decimal(1)
    if not total:
        return []
    # Planned: each span of dates (start, end) weighs the shares of its actions, and at a
    # period the actions with programación there replace their span's spread by it.
    span_shares = defaultdict(lambda: ZERO)
    for pk in ids:
        span_shares[dates_of[pk]] += shares[pk]
    # Executed: Σ s·x kept as the reports take effect, each replacing the action's last.
    latest, next_report, executed, points = {}, 0, ZERO, []
    for p in periods:
        while next_report < len(found) and found[next_report][0][0] <= p.end_date:
            _end, _pk, action_id, progress = found[next_report]
            share = shares[action_id]
            executed += share * progress - share * latest.get(action_id, ZERO)
            latest[action_id] = progress
            next_report += 1
        # (start, end) → the default planned spread at this period
        default = {dates: default_planned(_Dates(*dates), p.end_date) for dates in span_shares}
        planned = sum((default[dates] * share for dates, share in span_shares.items()), ZERO)
        for share, dates, value in scheduled_at.get(p.pk, ()):
            planned += share * value - share * default[dates]
        points.append((p, planned / total, executed / total))
    return points


@dataclass(frozen=True)
class _Dates:
    start_date: object
    end_date: object


# --- Explain this % --------------------------------------------------------------------

LEVELS = ("plan", "objective", "goal", "action")


@dataclass(frozen=True)
class Contribution:
    """One child's part in its parent's figure: weight, normalised weight (w / Σw), its
    executed and planned progress and what each adds to the parent (share × value)."""

    kind: str
    node: object
    weight: Decimal
    share: Decimal
    executed: Decimal
    planned: Decimal | None
    adds_executed: Decimal
    adds_planned: Decimal | None
    # a part served by another plan (strategic roll-up): that plan at its cut, and whether
    # the part is what is left of an objective some of whose goals serve elsewhere
    plan: object = None
    period: object = None
    rest: bool = False

    @property
    def key(self):
        key = f"{self.kind}-{self.node.id}"
        return f"{self.plan.pk}:{key}" if self.plan is not None else key

    @property
    def node_key(self):
        """The explained node's key on its own plan's page."""
        return f"{self.kind}-{self.node.id}"


@dataclass(frozen=True)
class Explanation:
    kind: str
    node: object  # NodeProgress of the explained node
    finance: object  # its NodeFinance
    children: list  # [Contribution], empty for an action
    parents: list  # [(kind, NodeProgress)] from the plan down to the node's parent


def parse_node(key):
    """("objective", 12) from "objective-12"; ("plan", None) for "" or "plan"; None when
    the key is not one of those forms."""
    if key in ("", "plan"):
        return "plan", None
    kind, _sep, pk = key.partition("-")
    if kind in LEVELS[1:] and pk.isdigit():
        return kind, int(pk)
    return None


def explain(rollup, kind, pk=None):
    """The Explanation of a node of `rollup` (the plan when `kind` is "plan"); None when
    the node is not in the roll-up (unknown, archived, or of another plan).

    A node's executed (planned) progress is Σ share × child's value over its children,
    share = w / Σw (1/n when the weights sum to 0), as the roll-up computes it; the
    children's contributions add up to the node's figure."""
    physical, financial = rollup.physical, rollup.financial
    levels = {
        "plan": ({physical.plan.id: physical.plan}, {financial.plan.id: financial.plan}),
        "objective": (physical.objectives, financial.objectives),
        "goal": (physical.goals, financial.goals),
        "action": (physical.actions, financial.actions),
    }
    nodes, finances = levels[kind]
    if pk is None:
        pk = physical.plan.id
    node = nodes.get(pk)
    if node is None:
        return None
    children = []
    child_kind = LEVELS[LEVELS.index(kind) + 1] if kind != "action" else None
    if kind == "objective" and rollup.strategic:
        children = _served_contributions(rollup, pk)
    elif child_kind:
        siblings = [n for n in levels[child_kind][0].values() if n.parent_id == node.id]
        total = sum((n.weight for n in siblings), ZERO)
        for child in siblings:
            share = child.weight / total if total else Decimal(1) / len(siblings)
            children.append(
                Contribution(
                    kind=child_kind,
                    node=child,
                    weight=child.weight,
                    share=share * HUNDRED,
                    executed=child.physical,
                    planned=child.planned,
                    adds_executed=share * child.physical,
                    adds_planned=None if child.planned is None else share * child.planned,
                )
            )
    parents = []
    parent_id, level = node.parent_id, LEVELS.index(kind)
    while level > 0:
        level -= 1
        parent_nodes = levels[LEVELS[level]][0]
        parent = parent_nodes.get(parent_id)
        if parent is None:
            break
        parents.insert(0, (LEVELS[level], parent))
        parent_id = parent.parent_id
    return Explanation(
        kind=kind, node=node, finance=finances.get(pk), children=children, parents=parents
    )


def _served_contributions(rollup, pk):
    """The Contributions of the items of serving plans to the objective `pk` of a
    strategic `rollup`, adding up to its figure (docs/rollup.md): in one year's roll-up
    each item weighs its share of its own plan ÷ the shares of all the items that reach
    the objective (1/n when they are all 0); over the term the objective is the plain
    average of the years in which something serves it, so each item's relative share is
    further divided by the number of those years."""
    if rollup.years:
        years = [y for y in rollup.years.values() if y.physical.objectives[pk].has_children]
    else:
        years = [rollup]
    children = []
    for year in years:
        parts = year.served.get(pk, [])
        total = sum((part.share for part in parts), ZERO)
        for part in parts:
            share = (part.share / total if total else Decimal(1) / len(parts)) / len(years)
            node = part.node
            children.append(
                Contribution(
                    kind="goal" if part.kind == "goal" else "objective",
                    node=node,
                    weight=part.share,
                    share=share * HUNDRED,
                    executed=node.physical,
                    planned=node.planned,
                    adds_executed=share * node.physical,
                    adds_planned=None if node.planned is None else share * node.planned,
                    plan=part.plan,
                    period=part.period,
                    rest=part.kind == "rest",
                )
            )
    return children
