"""Reads of planning used by several pages: the live items of a plan, plans in choice
order, a plan's periods, and what hangs below a tree item."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mipg.core.queries import related_count
from planning.models import (
    Action,
    ActionSchedule,
    Goal,
    Objective,
    ReportingPeriod,
    StrategicPlan,
    default_planned,
)

# Rows of one branch of the plan tree per page (the goals of an objective, the actions of a
# goal): the workspace opens branches one at a time and pages long ones.
BRANCH_PAGE_SIZE = 50
# The order of siblings in the plan tree.
SIBLING_ORDER = ("position", "code", "pk")


def branch_page_of(item, parent_field, *, archived):
    """The page (from 1, BRANCH_PAGE_SIZE rows each) of its branch of the plan tree that
    shows ``item`` (a goal or an action) among its siblings in SIBLING_ORDER; archived
    siblings count only when ``archived`` (the tree shows them). One query."""
    siblings = type(item).objects.filter(**{parent_field: getattr(item, f"{parent_field}_id")})
    if not archived:
        siblings = siblings.filter(archived=False)
    same = {"position": item.position}
    before = siblings.filter(
        Q(position__lt=item.position)
        | Q(**same, code__lt=item.code)
        | Q(**same, code=item.code, pk__lt=item.pk)
    ).count()
    return before // BRANCH_PAGE_SIZE + 1


def live_objectives(plan):
    return Objective.objects.live().filter(plan=plan)


def live_goals(plan):
    """The live goals of ``plan`` in tree order."""
    return Goal.objects.live().filter(objective__plan=plan).in_tree_order()


def live_actions(plan):
    return Action.objects.live().filter(goal__objective__plan=plan)


def live_items(plan, objective=None):
    """The live (objectives, goals in tree order, actions) of `plan` as querysets, or only
    those of the branch of one of its objectives (`objective`): what a roll-up reads."""
    objectives, goals, actions = live_objectives(plan), live_goals(plan), live_actions(plan)
    if objective is None:
        return objectives, goals, actions
    return (
        objectives.filter(pk=objective.pk),
        goals.filter(objective=objective),
        actions.filter(goal__objective=objective),
    )


def plans_newest_first():
    """Every plan, the most recent first (the order of the plan choosers)."""
    return StrategicPlan.objects.order_by("-start_year", "name")


def periods_of(plan):
    """The reporting periods of ``plan`` in calendar order."""
    return plan.periods.order_by("start_date", "pk")


def default_cutoff(periods, *, today=None):
    """The default cut-off of every page among `periods` (any iterable: a list already
    loaded, a prefetch): the latest period that has started (start_date ≤ today), never a
    future one — a future period would compare today's figures with targets not yet due.
    Before any period has started, the first one (nothing can be reported yet); None
    without periods."""
    today = today or timezone.localdate()
    periods = list(periods)
    started = [p for p in periods if p.start_date <= today]
    if started:
        return max(started, key=lambda p: (p.start_date, p.end_date, p.pk))
    return min(periods, key=lambda p: (p.start_date, p.end_date, p.pk), default=None)


def default_cutoff_period(plan, *, today=None):
    """`default_cutoff` of the plan's periods; one query."""
    return default_cutoff(plan.periods.all(), today=today)


def periods_with_figure_counts(plan):
    """The periods of ``plan`` in calendar order with ``report_count`` and
    ``measurement_count`` (progress reports and measurements filed in each)."""
    return periods_of(plan).annotate(
        report_count=related_count(ReportingPeriod, "progress_reports"),
        measurement_count=related_count(ReportingPeriod, "measurements"),
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


def versions_of(plan):
    """The versions (modificaciones) of ``plan``, newest first, with who made them."""
    return plan.versions.select_related("created_by").order_by("-number")
