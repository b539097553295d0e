"""Reads of management: physical and financial roll-ups of a plan, and the budget pages'
allocations with their totals per execution stage, all computed in the database.

Physical progress (avance físico) and financial progress (ejecución presupuestal) are kept
side by side and never merged into one number (MIPG.md §4). Values stay Decimals at full
precision; round only to present them (``percent()``).

Archived objectives, goals and actions — and everything under an archived node — are left
out of every roll-up.

On the budget pages each stage is a correlated subquery rather than a
join with a SUM: the list filters join through many-valued relations (policies, Decreto
612 plans), and a join would repeat execution rows and inflate the sums.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce

from management.models import BudgetAllocation, BudgetExecution, ProgressReport
from mipg.core.models import ReviewStatus
from planning.models import Action, Goal, Objective

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
PROGRESS_FIELD = DecimalField(max_digits=5, decimal_places=2)
MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)
STAGES = tuple(BudgetExecution.Stage.values)


def percent(value):
    """A percentage rounded to two decimals for display; ``None`` stays ``None``."""
    if value is None:
        return None
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _live_objectives(plan):
    return Objective.objects.live().filter(plan=plan)


def _live_goals(plan):
    return (
        Goal.objects.live()
        .filter(objective__plan=plan)
        .order_by("objective__position", "objective__code", "position", "code")
    )


def _live_actions(plan):
    return Action.objects.live().filter(goal__objective__plan=plan)


# --- Physical progress ----------------------------------------------------------------


def approved_reports(*, as_of=None):
    """Approved progress reports of the action ``OuterRef("pk")``, latest period first;
    with ``as_of`` (a ReportingPeriod) only periods ending on or before its end."""
    reports = ProgressReport.objects.filter(action=OuterRef("pk"), status=ReviewStatus.APPROVED)
    if as_of is not None:
        reports = reports.filter(period__end_date__lte=as_of.end_date)
    return reports.order_by("-period__end_date", "-period__start_date", "-pk")


def _physical_expression(as_of):
    latest = approved_reports(as_of=as_of).values("progress")[:1]
    return Coalesce(Subquery(latest), Value(0), output_field=PROGRESS_FIELD)


def with_physical_progress(actions, *, as_of=None):
    """Annotate an Action queryset with ``physical_progress`` (the cumulative progress of
    the latest approved report, 0 without one) and ``has_report``.

    Draft, submitted and returned reports never count.
    """
    return actions.annotate(
        physical_progress=_physical_expression(as_of),
        has_report=Exists(approved_reports(as_of=as_of)),
    )


@dataclass(frozen=True)
class NodeProgress:
    """Physical progress of one node of the plan tree.

    ``has_report``: for an action, an approved report counts; for a goal, objective or
    plan, at least one action under it has one. ``has_children`` is False for a goal,
    objective or plan with no non-archived children (its progress is then 0).
    """

    id: int
    code: str
    name: str
    weight: Decimal
    physical: Decimal
    parent_id: int | None = None
    has_report: bool = False
    has_children: bool = True

    @property
    def physical_display(self):
        return percent(self.physical)


@dataclass(frozen=True)
class PhysicalProgress:
    """The roll-up of a plan. Dicts are keyed by id and ordered as the tree."""

    plan: NodeProgress
    objectives: dict
    goals: dict
    actions: dict
    as_of: object = None

    def goals_of(self, objective_id):
        return [g for g in self.goals.values() if g.parent_id == objective_id]

    def actions_of(self, goal_id):
        return [a for a in self.actions.values() if a.parent_id == goal_id]


def _relative_average(weighted_sum, weight_sum, plain_sum, count):
    """Σ(w·p)/Σw; the plain average when every weight is 0; 0 without children."""
    if not count:
        return ZERO
    if weight_sum:
        return weighted_sum / weight_sum
    return plain_sum / count


class _Accumulator:
    def __init__(self):
        self.weighted = ZERO
        self.weights = ZERO
        self.plain = ZERO
        self.count = 0
        self.has_report = False

    def add(self, node):
        self.weighted += node.weight * node.physical
        self.weights += node.weight
        self.plain += node.physical
        self.count += 1
        self.has_report = self.has_report or node.has_report

    @property
    def value(self):
        return _relative_average(self.weighted, self.weights, self.plain, self.count)


def plan_physical_progress(plan, *, as_of=None):
    """Physical progress per action, goal, objective and plan.

    Four queries whatever the size: objectives, goals, actions annotated with their
    latest approved progress, and the same actions grouped by goal (Σw·p, Σw, Σp, n).
    Goals → objectives → plan are combined in Python over those few grouped rows.
    """
    objectives = list(_live_objectives(plan))
    goals = list(_live_goals(plan))
    actions = with_physical_progress(_live_actions(plan), as_of=as_of).order_by(
        "goal__objective__position",
        "goal__objective__code",
        "goal__position",
        "goal__code",
        "position",
        "code",
    )
    action_nodes = {
        a.pk: NodeProgress(
            id=a.pk,
            code=a.code,
            name=a.name,
            weight=a.weight,
            physical=a.physical_progress,
            parent_id=a.goal_id,
            has_report=a.has_report,
        )
        for a in actions
    }

    physical = _physical_expression(as_of)
    grouped = {
        row["goal_id"]: row
        for row in _live_actions(plan)
        .order_by()
        .values("goal_id")
        .annotate(
            weighted=Sum(F("weight") * physical, output_field=DecimalField()),
            weights=Sum("weight"),
            plain=Sum(physical, output_field=DecimalField()),
            count=Count("pk"),
            reported=Count("pk", filter=Exists(approved_reports(as_of=as_of))),
        )
    }

    goal_nodes = {}
    by_objective = defaultdict(_Accumulator)
    for goal in goals:
        row = grouped.get(goal.pk)
        node = NodeProgress(
            id=goal.pk,
            code=goal.code,
            name=goal.name,
            weight=goal.weight,
            physical=_relative_average(
                _dec(row["weighted"]), _dec(row["weights"]), _dec(row["plain"]), row["count"]
            )
            if row
            else ZERO,
            parent_id=goal.objective_id,
            has_report=bool(row and row["reported"]),
            has_children=row is not None,
        )
        goal_nodes[goal.pk] = node
        by_objective[goal.objective_id].add(node)

    objective_nodes = {}
    whole_plan = _Accumulator()
    for objective in objectives:
        acc = by_objective.get(objective.pk, _Accumulator())
        node = NodeProgress(
            id=objective.pk,
            code=objective.code,
            name=objective.name,
            weight=objective.weight,
            physical=acc.value,
            parent_id=plan.pk,
            has_report=acc.has_report,
            has_children=bool(acc.count),
        )
        objective_nodes[objective.pk] = node
        whole_plan.add(node)

    plan_node = NodeProgress(
        id=plan.pk,
        code="",
        name=plan.name,
        weight=HUNDRED,
        physical=whole_plan.value,
        has_report=whole_plan.has_report,
        has_children=bool(whole_plan.count),
    )
    return PhysicalProgress(plan_node, objective_nodes, goal_nodes, action_nodes, as_of)


def _dec(value):
    return ZERO if value is None else Decimal(value)


# --- Financial progress ---------------------------------------------------------------


@dataclass(frozen=True)
class NodeFinance:
    """Budget of one node: apropiación and the sums of each execution stage (releases,
    i.e. negative entries, included). Percentages are of the appropriation and ``None``
    when the node has no appropriation ("sin presupuesto")."""

    id: int
    code: str
    name: str
    parent_id: int | None = None
    appropriation: Decimal = ZERO
    cdp: Decimal = ZERO
    commitment: Decimal = ZERO
    obligation: Decimal = ZERO
    payment: Decimal = ZERO

    @property
    def has_budget(self):
        return self.appropriation != 0

    def ratio(self, amount):
        """``amount`` as a percentage of the appropriation; None without appropriation."""
        if not self.appropriation:
            return None
        return amount / self.appropriation * HUNDRED

    @property
    def cdp_pct(self):
        return self.ratio(self.cdp)

    @property
    def commitment_pct(self):
        return self.ratio(self.commitment)

    @property
    def obligation_pct(self):
        return self.ratio(self.obligation)

    @property
    def payment_pct(self):
        return self.ratio(self.payment)


@dataclass(frozen=True)
class FinancialProgress:
    """The budget roll-up of a plan. Dicts are keyed by id and ordered as the tree."""

    plan: NodeFinance
    objectives: dict
    goals: dict
    actions: dict
    year: int | None = None

    def goals_of(self, objective_id):
        return [g for g in self.goals.values() if g.parent_id == objective_id]

    def actions_of(self, goal_id):
        return [a for a in self.actions.values() if a.parent_id == goal_id]


AMOUNTS = ("appropriation", *STAGES)


def _add_amounts(totals, node):
    for name in AMOUNTS:
        totals[name] += getattr(node, name)


def plan_financial_progress(plan, *, year=None):
    """Appropriation and execution per action, goal, objective and plan.

    ``year`` limits to the allocations of that vigencia (and their executions). Five
    queries whatever the size: objectives, goals, actions, appropriations grouped by
    action, executions grouped by action with one conditional sum per stage.
    Appropriations and executions are summed in separate queries: joining both would
    repeat each appropriation once per execution entry.
    """
    objectives = list(_live_objectives(plan))
    goals = list(_live_goals(plan))
    actions = list(
        _live_actions(plan).order_by(
            "goal__objective__position",
            "goal__objective__code",
            "goal__position",
            "goal__code",
            "position",
            "code",
        )
    )
    allocations = BudgetAllocation.objects.live().filter(action__goal__objective__plan=plan)
    if year is not None:
        allocations = allocations.filter(year=year)
    appropriations = dict(
        allocations.order_by()
        .values("action_id")
        .annotate(total=Sum("appropriation"))
        .values_list("action_id", "total")
    )
    executions = {
        row["allocation__action_id"]: row
        for row in BudgetExecution.objects.filter(allocation__in=allocations)
        .order_by()
        .values("allocation__action_id")
        .annotate(**{stage: Sum("amount", filter=Q(stage=stage), default=0) for stage in STAGES})
    }

    action_nodes = {}
    by_goal = defaultdict(lambda: dict.fromkeys(AMOUNTS, ZERO))
    for action in actions:
        row = executions.get(action.pk, {})
        node = NodeFinance(
            id=action.pk,
            code=action.code,
            name=action.name,
            parent_id=action.goal_id,
            appropriation=_dec(appropriations.get(action.pk)),
            **{stage: _dec(row.get(stage)) for stage in STAGES},
        )
        action_nodes[action.pk] = node
        _add_amounts(by_goal[action.goal_id], node)

    goal_nodes = {}
    by_objective = defaultdict(lambda: dict.fromkeys(AMOUNTS, ZERO))
    for goal in goals:
        node = NodeFinance(
            id=goal.pk,
            code=goal.code,
            name=goal.name,
            parent_id=goal.objective_id,
            **by_goal[goal.pk],
        )
        goal_nodes[goal.pk] = node
        _add_amounts(by_objective[goal.objective_id], node)

    objective_nodes = {}
    whole_plan = dict.fromkeys(AMOUNTS, ZERO)
    for objective in objectives:
        node = NodeFinance(
            id=objective.pk,
            code=objective.code,
            name=objective.name,
            parent_id=plan.pk,
            **by_objective[objective.pk],
        )
        objective_nodes[objective.pk] = node
        _add_amounts(whole_plan, node)

    plan_node = NodeFinance(id=plan.pk, code="", name=plan.name, **whole_plan)
    return FinancialProgress(plan_node, objective_nodes, goal_nodes, action_nodes, year)


STAGE_LABELS = dict(BudgetExecution.Stage.choices)


def _stage_total(stage):
    entries = (
        BudgetExecution.objects.filter(allocation=OuterRef("pk"), stage=stage)
        .order_by()
        .values("allocation")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(entries, output_field=MONEY_FIELD), ZERO, output_field=MONEY_FIELD)


def with_stage_totals(allocations):
    """Annotate allocations with ``cdp``, ``commitment``, ``obligation`` and ``payment``
    (cumulative sums, releases included; 0 without entries) and ``available``
    (apropiación − CDP: what is still free to be certified)."""
    allocations = allocations.annotate(**{stage: _stage_total(stage) for stage in STAGES})
    return allocations.annotate(available=F("appropriation") - F("cdp"))


def commitment_percent(allocation):
    """Compromisos as a percentage of the appropriation; None without appropriation."""
    if not allocation.appropriation:
        return None
    return percent(allocation.commitment / allocation.appropriation * HUNDRED)


def allocation_rows():
    """Allocations with their action (up to the plan), unit, source and stage totals."""
    return with_stage_totals(
        BudgetAllocation.objects.select_related(
            "action__unit", "action__goal__objective__plan", "source"
        ).order_by("action__goal__objective__plan_id", "action__code", "year", "rubro", "pk")
    )


def executions_with_running_totals():
    """Execution entries, oldest first, each with ``running_total``: the cumulative amount
    of its stage in its allocation up to and including that entry."""
    return (
        BudgetExecution.objects.select_related("created_by")
        .annotate(
            running_total=Window(
                Sum("amount"),
                partition_by=[F("allocation_id"), F("stage")],
                order_by=[F("date").asc(), F("pk").asc()],
            )
        )
        .order_by("date", "pk")
    )


@dataclass(frozen=True)
class BudgetTotals:
    """Totals of an action over all its allocations."""

    appropriation: Decimal
    cdp: Decimal
    commitment: Decimal
    obligation: Decimal
    payment: Decimal

    @property
    def available(self):
        return self.appropriation - self.cdp

    @property
    def commitment_percent(self):
        return commitment_percent(self)


def action_budget(action):
    """(allocations of the action with stage totals and their execution entries
    prefetched as ``entries``, BudgetTotals of the action). Three queries."""
    allocations = list(
        with_stage_totals(BudgetAllocation.objects.filter(action=action).select_related("source"))
        .prefetch_related(
            Prefetch("executions", queryset=executions_with_running_totals(), to_attr="entries")
        )
        .order_by("year", "rubro", "pk")
    )
    appropriation = BudgetAllocation.objects.filter(action=action).aggregate(
        total=Sum("appropriation", default=ZERO)
    )["total"]
    stages = BudgetExecution.objects.filter(allocation__action=action).aggregate(
        **{stage: Sum("amount", filter=Q(stage=stage), default=ZERO) for stage in STAGES}
    )
    return allocations, BudgetTotals(appropriation=appropriation, **stages)
