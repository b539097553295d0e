"""Physical progress (avance físico) of actions and of a whole plan, computed in the
database from the approved progress reports.

Physical and financial progress (management.selectors.budget) are kept side by side and
never merged into one number (MIPG.md §4). Values stay Decimals at full precision; round
only to present them (``percent()``).

Archived objectives, goals and actions — and everything under an archived node — are left
out of every roll-up.
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
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from management.models import ProgressReport
from mipg.core.models import ReviewStatus
from planning.selectors import live_actions, live_goals, live_objectives

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
PROGRESS_FIELD = DecimalField(max_digits=5, decimal_places=2)


def percent(value):
    """A percentage rounded to two decimals for display; ``None`` stays ``None``."""
    if value is None:
        return None
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def decimal_or_zero(value):
    return ZERO if value is None else Decimal(value)


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

    @classmethod
    def for_item(cls, item, **figures):
        """The node of an objective, goal or action with ``figures``."""
        return cls(id=item.pk, code=item.code, name=item.name, weight=item.weight, **figures)

    @property
    def physical_display(self):
        return percent(self.physical)


@dataclass(frozen=True)
class TreeRollup:
    """Nodes of a plan's roll-up. Dicts are keyed by id and ordered as the tree."""

    plan: object
    objectives: dict
    goals: dict
    actions: dict

    def goals_of(self, objective_id):
        return [g for g in self.goals.values() if g.parent_id == objective_id]

    def actions_of(self, goal_id):
        return [a for a in self.actions.values() if a.parent_id == goal_id]


@dataclass(frozen=True)
class PhysicalProgress(TreeRollup):
    """The physical roll-up of a plan (NodeProgress nodes)."""

    as_of: object = None


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
    objectives = list(live_objectives(plan))
    goals = list(live_goals(plan))
    actions = with_physical_progress(live_actions(plan).in_tree_order(), as_of=as_of)
    action_nodes = {
        a.pk: NodeProgress.for_item(
            a,
            physical=a.physical_progress,
            parent_id=a.goal_id,
            has_report=a.has_report,
        )
        for a in actions
    }

    physical = _physical_expression(as_of)
    grouped = {
        row["goal_id"]: row
        for row in live_actions(plan)
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
        node = NodeProgress.for_item(
            goal,
            physical=_relative_average(
                decimal_or_zero(row["weighted"]),
                decimal_or_zero(row["weights"]),
                decimal_or_zero(row["plain"]),
                row["count"],
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
        node = NodeProgress.for_item(
            objective,
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
