"""Physical progress (avance físico) of actions and of a whole plan, computed in the
database from the approved progress reports, side by side with the planned progress
(programación, planning.models.ActionSchedule, or the default spread by dates) and the
compliance executed ÷ planned at the cut (MIPG.md §4, "Physical progress: planned vs
executed").

Physical and financial progress (management.selectors.budget) are kept side by side and
never merged into one number (MIPG.md §4). Values stay Decimals at full precision; round
only to present them (``percent()``).

Archived objectives, goals and actions — and everything under an archived node — are left
out of every roll-up.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import models
from django.db.models import (
    Case,
    DateField,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from management.models import ProgressReport
from mipg.core.models import Entity, ReviewStatus
from mipg.core.templatetags.mipg_format import quantity_progress_text
from planning.models import (
    Action,
    ActionSchedule,
    Goal,
    Objective,
    ReportingPeriod,
    default_planned,
)
from planning.selectors import live_items

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


class PhysicalState(models.TextChoices):
    """The semáforo of physical compliance: the colours of the indicators' semáforo (same
    values, same entity bands) and "no programado" when nothing is planned at the cut."""

    GREEN = "verde", _("Verde")
    YELLOW = "amarillo", _("Amarillo")
    RED = "rojo", _("Rojo")
    NOT_PLANNED = "no_programado", _("No programado")


def physical_compliance(executed, planned):
    """Executed ÷ planned × 100, raw (not capped); None when nothing is planned (planned
    None or 0). Example: 54 executed against 70 planned → 77.14 %."""
    if not planned:
        return None
    return executed * HUNDRED / planned


def physical_state(compliance, *, red_below, green_from):
    """The colour of a physical compliance with the entity's bands; "no programado"
    without one. Thresholds are at most 100, so capping never changes the colour."""
    if compliance is None:
        return PhysicalState.NOT_PLANNED
    if compliance >= green_from:
        return PhysicalState.GREEN
    if compliance < red_below:
        return PhysicalState.RED
    return PhysicalState.YELLOW


def entity_thresholds(entity=None):
    """The semáforo bands of the entity as keyword arguments of ``physical_state``."""
    entity = entity or Entity.current()
    return {"red_below": entity.semaforo_red_below, "green_from": entity.semaforo_green_from}


# --- Planned progress (programación) --------------------------------------------------


def with_planned_progress(actions, *, as_of):
    """Annotate an Action queryset with ``scheduled_planned``: the programación of each
    action for the period ``as_of`` (None without a row or without a period). Read the
    planned value with ``planned_progress(action, as_of)``, which falls back to the default
    spread by dates."""
    if as_of is None:
        scheduled = Value(None, output_field=PROGRESS_FIELD)
    else:
        scheduled = Subquery(
            # no order: one row per action and period (the model's default order joined
            # the action and the period for every action of the plan)
            ActionSchedule.objects.filter(action=OuterRef("pk"), period=as_of)
            .order_by()
            .values("planned")[:1],
            output_field=PROGRESS_FIELD,
        )
    return actions.annotate(scheduled_planned=scheduled)


def with_planned_at_latest_period(actions):
    """Annotate an Action queryset, whatever its plans, with ``cut_end`` (the end of the
    latest period of the action's plan, None without periods) and ``scheduled_planned``
    (its programación for that period); read it with ``planned_at_latest_period``.
    Periods of a plan do not overlap, so the end date names the period."""
    latest = ReportingPeriod.objects.filter(plan=OuterRef("goal__objective__plan")).order_by(
        "-end_date", "-start_date"
    )
    return actions.annotate(cut_end=Subquery(latest.values("end_date")[:1])).annotate(
        scheduled_planned=Subquery(
            ActionSchedule.objects.filter(
                action=OuterRef("pk"), period__end_date=OuterRef("cut_end")
            )
            .order_by()
            .values("planned")[:1],
            output_field=PROGRESS_FIELD,
        )
    )


def planned_at_latest_period(action):
    """The planned progress of an action annotated by ``with_planned_at_latest_period``:
    its programación at its plan's latest period, else the default spread by dates; None
    when the plan has no periods."""
    if action.cut_end is None:
        return None
    if action.scheduled_planned is not None:
        return Decimal(action.scheduled_planned)
    return default_planned(action, action.cut_end)


def planned_progress(action, as_of):
    """The planned cumulative progress of an action annotated by ``with_planned_progress``
    at the period ``as_of``: its programación, else the default spread by dates; None
    without a period."""
    if as_of is None:
        return None
    if action.scheduled_planned is not None:
        return Decimal(action.scheduled_planned)
    return default_planned(action, as_of.end_date)


# --- Physical progress ----------------------------------------------------------------


def approved_reports(*, as_of=None):
    """Approved progress reports of the action ``OuterRef("pk")``, latest period first;
    with ``as_of`` (a ReportingPeriod) only periods ending on or before its end."""
    return approved_reports_of(OuterRef("pk"), as_of=as_of)


def approved_reports_of(action, *, as_of=None):
    """Approved progress reports of `action` (an id, an Action or an OuterRef), latest
    period first, up to the period `as_of` when given: the first one is the action's
    physical progress at that cut."""
    reports = ProgressReport.objects.filter(action=action, status=ReviewStatus.APPROVED)
    if as_of is not None:
        reports = reports.filter(period__end_date__lte=as_of.end_date)
    return reports.order_by("-period__end_date", "-period__start_date", "-pk")


def _physical_expression(as_of):
    latest = approved_reports(as_of=as_of).values("progress")[:1]
    return Coalesce(Subquery(latest), Value(0), output_field=PROGRESS_FIELD)


# What ``_latest_progress`` reads for an action without an approved report: never a
# progress (reports hold 0–100, constraint progress_0_100).
NO_REPORT = -1


def _latest_progress(reports):
    """The progress of the first of `reports` (correlated on the action), NO_REPORT without
    one: a single lookup per action gives both its physical progress and whether it has a
    report (``_reported``), where a progress and an Exists cost PostgreSQL two."""
    return Coalesce(
        Subquery(reports.values("progress")[:1]), Value(NO_REPORT), output_field=PROGRESS_FIELD
    )


def _reported(latest):
    """(physical progress, has_report) of a ``_latest_progress`` value: 0 and False without
    a report, as ``with_physical_progress`` gives them."""
    if latest == NO_REPORT:
        return ZERO, False
    return latest, True


def with_physical_progress(actions, *, as_of=None):
    """Annotate an Action queryset with ``physical_progress`` (the cumulative progress of
    the latest approved report, 0 without one) and ``has_report``.

    Draft, submitted and returned reports never count.
    """
    return actions.annotate(
        physical_progress=_physical_expression(as_of),
        has_report=Exists(approved_reports(as_of=as_of)),
    )


def with_physical_quantity(actions, *, as_of=None):
    """Annotate an Action queryset with ``physical_quantity`` and
    ``physical_quantity_target``: the quantity delivered and the target of the latest
    approved report that ``with_physical_progress`` reads (None without one, or when that
    report is not quantity-driven). Read them with ``physical_quantity_text``."""
    latest = approved_reports(as_of=as_of)
    quantity = ProgressReport._meta.get_field("quantity")
    return actions.annotate(
        physical_quantity=Subquery(latest.values("quantity")[:1], output_field=quantity),
        physical_quantity_target=Subquery(
            latest.values("quantity_target")[:1], output_field=quantity
        ),
    )


def physical_quantity_text(action):
    """ "3 de 4 capacitaciones (75,00 %)" for an action annotated by
    ``with_physical_progress`` and ``with_physical_quantity`` whose physical progress comes
    from a quantity; "" otherwise."""
    if action.physical_quantity is None:
        return ""
    return quantity_progress_text(
        action.physical_quantity,
        action.physical_quantity_target,
        action.quantity_unit,
        action.physical_progress,
    )


@dataclass(frozen=True)
class NodeProgress:
    """Physical progress of one node of the plan tree.

    ``has_report``: for an action, an approved report counts; for a goal, objective or
    plan, at least one action under it has one. ``has_children`` is False for a goal,
    objective or plan with no non-archived children (its progress is then 0).

    ``planned`` is the planned cumulative progress at the cut (None without a period);
    ``compliance`` is executed ÷ planned × 100: raw for an action, capped at 100 for a goal,
    objective or plan (whose executed and planned are each the weighted average of its
    children's); ``state`` its semáforo (PhysicalState).
    """

    id: int
    code: str
    name: str
    weight: Decimal
    physical: Decimal
    parent_id: int | None = None
    has_report: bool = False
    has_children: bool = True
    planned: Decimal | None = None
    compliance: Decimal | None = None
    state: str = PhysicalState.NOT_PLANNED

    @classmethod
    def for_item(cls, item, **figures):
        """The node of an objective, goal or action with ``figures``."""
        return cls(id=item.pk, code=item.code, name=item.name, weight=item.weight, **figures)

    @property
    def physical_display(self):
        return percent(self.physical)

    @property
    def planned_display(self):
        return percent(self.planned)

    @property
    def compliance_display(self):
        return percent(self.compliance)


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


class ActionRow(NamedTuple):
    """One live action's own figures at the cut, as a plain row (no node): what the
    groupings across the tree read (``PhysicalProgress.action_rows``)."""

    id: int
    code: str
    name: str
    weight: Decimal
    goal_id: int
    unit_id: int | None
    start_date: date
    end_date: date
    physical: Decimal
    planned: Decimal | None
    has_report: bool


@dataclass(frozen=True)
class PhysicalProgress(TreeRollup):
    """The physical roll-up of a plan (NodeProgress nodes). ``action_facts``: {action id:
    (unit id, start date, end date)} of the live actions (None when not read), for the
    groupings across the tree (dashboards). ``action_rows``: [ActionRow] of the live
    actions in tree order (None when not read)."""

    as_of: object = None
    action_facts: dict | None = None
    action_rows: list | None = None


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
        self.planned_weighted = ZERO
        self.planned_plain = ZERO
        self.planned_known = True

    def add(self, node):
        self.add_figures(node.weight, node.physical, node.planned, node.has_report)

    def add_figures(self, weight, physical, planned, has_report):
        self.weighted += weight * physical
        self.weights += weight
        self.plain += physical
        self.count += 1
        self.has_report = self.has_report or has_report
        if planned is None:
            self.planned_known = False
        else:
            self.planned_weighted += weight * planned
            self.planned_plain += planned

    @property
    def value(self):
        return _relative_average(self.weighted, self.weights, self.plain, self.count)

    @property
    def planned(self):
        """Σ(w·planned)/Σw like ``value``; None when a child has no planned value."""
        if not self.planned_known:
            return None
        return _relative_average(
            self.planned_weighted, self.weights, self.planned_plain, self.count
        )


def goal_physical_progress(goal, actions, *, as_of, thresholds):
    """(goal node, {action id: node}) from ``actions`` of ``goal`` annotated by
    ``with_physical_progress`` and ``with_planned_progress`` at ``as_of`` (no queries).
    Archived actions get their own node but stay out of the goal's averages, as in
    ``plan_physical_progress``."""
    nodes, acc = {}, _Accumulator()
    for action in actions:
        node = NodeProgress.for_item(
            action,
            **_node_figures(
                action.physical_progress, planned_progress(action, as_of), thresholds, cap=False
            ),
            parent_id=goal.pk,
            has_report=action.has_report,
        )
        nodes[action.pk] = node
        if not action.archived:
            acc.add(node)
    goal_node = NodeProgress.for_item(
        goal,
        **_node_figures(
            acc.value, acc.planned if as_of is not None else None, thresholds, cap=True
        ),
        parent_id=goal.objective_id,
        has_report=acc.has_report,
        has_children=bool(acc.count),
    )
    return goal_node, nodes


def _node_figures(physical, planned, thresholds, *, cap):
    compliance = physical_compliance(physical, planned)
    if cap and compliance is not None:
        compliance = min(compliance, HUNDRED)
    return {
        "physical": physical,
        "planned": planned,
        "compliance": compliance,
        "state": physical_state(compliance, **thresholds),
    }


def _planned_of_row(scheduled, start_date, end_date, as_of):
    """``planned_progress`` of an action read as values (no model instance)."""
    if as_of is None:
        return None
    if scheduled is not None:
        return Decimal(scheduled)
    return default_planned(_Dates(start_date, end_date), as_of.end_date)


@dataclass(frozen=True)
class _Dates:
    start_date: object
    end_date: object


def plan_physical_progress(
    plan, *, as_of=None, thresholds=None, actions=True, rows=False, objective=None
):
    """Physical progress, executed and planned, per action, goal, objective and plan.

    Three queries whatever the size (four without ``thresholds``, the entity's semáforo
    bands): objectives, goals, and actions annotated with their latest approved progress
    and their programación at ``as_of``. Executed and planned progress are combined in
    Python from the action rows (the default planned spread by dates is computed there):
    actions → goals → objectives → plan.

    With ``actions=False`` the action nodes are not built (``actions`` and
    ``action_facts`` are empty): the goals, objectives and plan get the same figures from
    the action rows read as plain values, for pages that show no action. ``rows=True``
    (always with action nodes) keeps those rows as ``action_rows`` (ActionRow), for
    pages that group the actions across the tree without nodes (the dashboard).
    ``objective``: the branch of that objective of the plan alone (its objective, goals
    and actions get the figures of the whole plan's roll-up; the plan node stands for the
    branch), for a page that shows one branch.
    """
    thresholds = thresholds or entity_thresholds()
    objectives, goals, live = live_items(plan, objective)
    objectives, goals = list(objectives), list(goals)
    # Weights, progress and planned figures have two decimals: a goal's sums Σw·x and Σw
    # are exact in any order of its actions. Only the action rows and nodes are listed in
    # tree order; without them the actions are read unsorted.
    order = live.tree_order() if actions or rows else ()
    actions_query = with_planned_progress(
        live.order_by(*order).annotate(
            latest_progress=_latest_progress(approved_reports(as_of=as_of))
        ),
        as_of=as_of,
    )
    action_nodes, facts = {}, {}
    by_goal = defaultdict(_Accumulator)
    if not (actions or rows):
        for goal_id, weight, start, end, latest, scheduled in actions_query.values_list(
            "goal_id", "weight", "start_date", "end_date", "latest_progress", "scheduled_planned"
        ):
            progress, reported = _reported(latest)
            planned = _planned_of_row(scheduled, start, end, as_of)
            by_goal[goal_id].add_figures(weight, progress, planned, reported)
        return _tree(plan, objectives, goals, by_goal, as_of, thresholds, {}, {})
    # plain rows, not Action instances: a 20,000-action plan spent most of its roll-up
    # building models
    action_rows = []
    planned_by_dates = {}  # (start, end) → the default planned spread at the cut
    for (
        pk,
        code,
        name,
        weight,
        goal_id,
        start,
        end,
        unit_id,
        latest,
        scheduled,
    ) in actions_query.values_list(
        "pk",
        "code",
        "name",
        "weight",
        "goal_id",
        "start_date",
        "end_date",
        "unit_id",
        "latest_progress",
        "scheduled_planned",
    ):
        progress, reported = _reported(latest)
        if scheduled is None and as_of is not None:
            planned = planned_by_dates.get((start, end))
            if planned is None:
                planned = planned_by_dates[start, end] = _planned_of_row(None, start, end, as_of)
        else:
            planned = _planned_of_row(scheduled, start, end, as_of)
        row = ActionRow(
            pk, code, name, weight, goal_id, unit_id, start, end, progress, planned, reported
        )
        action_rows.append(row)
        by_goal[goal_id].add_figures(weight, progress, planned, reported)
        if actions:
            facts[pk] = (unit_id, start, end)
            action_nodes[pk] = NodeProgress(
                id=pk,
                code=code,
                name=name,
                weight=weight,
                **_node_figures(progress, planned, thresholds, cap=False),
                parent_id=goal_id,
                has_report=reported,
            )
    tree = _tree(plan, objectives, goals, by_goal, as_of, thresholds, action_nodes, facts)
    return replace(tree, action_rows=action_rows)


def plans_physical_progress(cuts, *, thresholds):
    """{plan id: PhysicalProgress} of several plans, each at its own cut (`cuts`: {plan:
    period or None}), without action nodes: the figures of ``plan_physical_progress(plan,
    as_of=period, actions=False)`` in three queries whatever the number of plans. Each
    action row reads its plan's cut from a CASE over the plans (its end date and period)."""
    if not cuts:
        return {}
    plans = list(cuts)
    by_plan = defaultdict(list)
    for objective in Objective.objects.live().filter(plan__in=plans):
        by_plan[objective.plan_id].append(objective)
    goals_of = defaultdict(list)
    for goal in (
        Goal.objects.live()
        .filter(objective__plan__in=plans)
        .in_tree_order()
        .annotate(plan_key=F("objective__plan_id"))
    ):
        goals_of[goal.plan_key].append(goal)
    ends = [
        When(goal__objective__plan=plan, then=Value(period.end_date if period else date.max))
        for plan, period in cuts.items()
    ]
    cut_periods = [
        When(goal__objective__plan=plan, then=Value(period.pk))
        for plan, period in cuts.items()
        if period is not None
    ]
    actions = (
        Action.objects.live()
        .filter(goal__objective__plan__in=plans)
        .order_by()
        .annotate(
            cut_end=Case(*ends, output_field=DateField()),
            cut_period=Case(*cut_periods, output_field=IntegerField())
            if cut_periods
            else Value(None, output_field=IntegerField()),
        )
    )
    reports = ProgressReport.objects.filter(
        action=OuterRef("pk"),
        status=ReviewStatus.APPROVED,
        period__end_date__lte=OuterRef("cut_end"),
    ).order_by("-period__end_date", "-period__start_date", "-pk")
    actions = actions.annotate(
        latest_progress=_latest_progress(reports),
        scheduled_planned=Subquery(
            ActionSchedule.objects.filter(action=OuterRef("pk"), period_id=OuterRef("cut_period"))
            .order_by()
            .values("planned")[:1],
            output_field=PROGRESS_FIELD,
        ),
    )
    as_of_plan = {plan.pk: period for plan, period in cuts.items()}
    by_goal = defaultdict(_Accumulator)
    for plan_id, goal_id, weight, start, end, latest, scheduled in actions.values_list(
        "goal__objective__plan_id",
        "goal_id",
        "weight",
        "start_date",
        "end_date",
        "latest_progress",
        "scheduled_planned",
    ):
        progress, reported = _reported(latest)
        planned = _planned_of_row(scheduled, start, end, as_of_plan[plan_id])
        by_goal[goal_id].add_figures(weight, progress, planned, reported)
    return {
        plan.pk: _tree(
            plan, by_plan[plan.pk], goals_of[plan.pk], by_goal, period, thresholds, {}, {}
        )
        for plan, period in cuts.items()
    }


def _tree(plan, objectives, goals, by_goal, as_of, thresholds, action_nodes, facts):
    """The PhysicalProgress of `plan` from its live `objectives` and `goals` (tree order)
    and the accumulated action figures of each goal (`by_goal`, {goal id: _Accumulator})."""
    goal_nodes = {}
    by_objective = defaultdict(_Accumulator)
    for goal in goals:
        acc = by_goal.get(goal.pk, _Accumulator())
        node = NodeProgress.for_item(
            goal,
            **_node_figures(
                acc.value, acc.planned if as_of is not None else None, thresholds, cap=True
            ),
            parent_id=goal.objective_id,
            has_report=acc.has_report,
            has_children=bool(acc.count),
        )
        goal_nodes[goal.pk] = node
        by_objective[goal.objective_id].add(node)

    objective_nodes = {}
    whole_plan = _Accumulator()
    for objective in objectives:
        acc = by_objective.get(objective.pk, _Accumulator())
        planned = acc.planned if as_of is not None else None
        node = NodeProgress.for_item(
            objective,
            **_node_figures(acc.value, planned, thresholds, cap=True),
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
        **_node_figures(
            whole_plan.value,
            whole_plan.planned if as_of is not None else None,
            thresholds,
            cap=True,
        ),
        has_report=whole_plan.has_report,
        has_children=bool(whole_plan.count),
    )
    return PhysicalProgress(plan_node, objective_nodes, goal_nodes, action_nodes, as_of, facts)
