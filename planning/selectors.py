"""Reads of planning used by several pages: the live items of a plan, plans in choice
order, a plan's periods, and what hangs below a tree item."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from planning.models import Action, ActionSchedule, Goal, Objective, StrategicPlan, default_planned


def live_objectives(plan):
    return Objective.objects.live().filter(plan=plan)


def live_goals(plan):
    """The live goals of ``plan`` in tree order."""
    return Goal.objects.live().filter(objective__plan=plan).in_tree_order()


def live_actions(plan):
    return Action.objects.live().filter(goal__objective__plan=plan)


def plans_newest_first():
    """Every plan, the most recent first (the order of the plan choosers)."""
    return StrategicPlan.objects.order_by("-start_year", "name")


def periods_of(plan):
    """The reporting periods of ``plan`` in calendar order."""
    return plan.periods.order_by("start_date", "pk")


def periods_with_figure_counts(plan):
    """The periods of ``plan`` in calendar order with ``report_count`` and
    ``measurement_count`` (progress reports and measurements filed in each)."""
    return periods_of(plan).annotate(
        report_count=Count("progress_reports", distinct=True),
        measurement_count=Count("measurements", distinct=True),
    )


def counts_below(item):
    """[(label, count), ...] of what hangs below an objective, goal or action (what its
    deletion would take with it)."""
    if isinstance(item, Objective):
        return [
            (_("metas"), item.goals.count()),
            (_("actividades"), Action.objects.filter(goal__objective=item).count()),
            (_("indicadores propios"), item.indicators.count()),
        ]
    if isinstance(item, Goal):
        return [
            (_("actividades"), item.actions.count()),
            (_("indicadores"), item.indicators.count()),
        ]
    return [
        (_("asignaciones presupuestales"), item.allocations.count()),
        (_("reportes de avance"), item.progress_reports.count()),
    ]


@dataclass(frozen=True)
class PlannedValue:
    """The planned cumulative progress of an action at the end of ``period``;
    ``programmed`` is False when it comes from the default spread by dates."""

    period: object
    planned: Decimal
    programmed: bool


def action_schedule(action, periods):
    """[PlannedValue, ...] of ``action`` for each of ``periods`` (its plan's, in calendar
    order): its programación where set, else the default spread by dates. One query."""
    rows = dict(ActionSchedule.objects.filter(action=action).values_list("period_id", "planned"))
    return [
        PlannedValue(period, rows[period.pk], True)
        if period.pk in rows
        else PlannedValue(period, default_planned(action, period.end_date), False)
        for period in periods
    ]
