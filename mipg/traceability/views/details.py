"""Goal and action pages: the item, where it sits, and what hangs from it (indicators of a
goal; budget, progress reports and control interno's ratings of an action)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from evaluation.selectors import indicator_results
from management.selectors.budget import action_budget_lines
from management.selectors.physical import (
    entity_thresholds,
    goal_physical_progress,
    physical_compliance,
    physical_quantity_text,
    physical_state,
    with_physical_progress,
    with_physical_quantity,
    with_planned_progress,
)
from mipg.core.permissions import require_perm
from mipg.core.web import crumbs_for
from planning.models import Action, Goal, StrategicPlan
from planning.selectors import action_schedule, default_cutoff_period, periods_of


@login_required
def goal_detail(request, pk):
    require_perm(request.user, "planning.view_goal")
    goal = get_object_or_404(Goal.objects.select_related("unit", "objective__plan"), pk=pk)
    plan = goal.objective.plan
    period = default_cutoff_period(plan)
    actions = list(
        with_planned_progress(
            with_physical_progress(
                goal.actions.select_related("unit", "responsible"), as_of=period
            ),
            as_of=period,
        ).order_by("position", "code", "pk")
    )
    physical, action_nodes = goal_physical_progress(
        goal, actions, as_of=period, thresholds=entity_thresholds()
    )
    indicators = list(goal.indicators.select_related("unit").order_by("code", "pk"))
    results = indicator_results(indicators, period=period, cumulative=True) if period else {}
    return render(
        request,
        "traceability/goal_detail.html",
        {
            "goal": goal,
            "item": goal,
            "kind": "goal",
            "plan": plan,
            "period": period,
            "actions": [(action, action_nodes[action.pk]) for action in actions],
            "physical": physical,
            "indicators": [(indicator, results.get(indicator.pk)) for indicator in indicators],
            "editable": plan.status != plan.Status.CLOSED,
            "crumbs": crumbs_for(goal),
        },
    )


@login_required
def action_detail(request, pk):
    require_perm(request.user, "planning.view_action")
    plan = get_object_or_404(StrategicPlan, objectives__goals__actions=pk)
    cutoff = default_cutoff_period(plan)
    actions = Action.objects.select_related("unit", "responsible", "goal__objective__plan")
    action = get_object_or_404(
        with_physical_quantity(
            with_physical_progress(actions, as_of=cutoff), as_of=cutoff
        ).prefetch_related("institutional_plans"),
        pk=pk,
    )
    lines, total = action_budget_lines(action)
    reports = {
        report.period_id: report
        for report in action.progress_reports.visible_to(request.user).select_related(
            "created_by", "reviewed_by"
        )
    }
    periods = list(periods_of(plan))
    planned = action_schedule(action, periods)
    # the figures at the default cut-off, as the goal page and the plan tree show them
    at_cut = next((value for value in planned if cutoff and value.period.pk == cutoff.pk), None)
    cut = at_cut.planned if at_cut else None
    compliance = physical_compliance(action.physical_progress, cut)
    physical = {
        "period": cutoff,
        "planned": cut,
        "compliance": compliance,
        "state": physical_state(compliance, **entity_thresholds()),
    }
    ratings = {
        (rating.year, rating.semester): rating
        for rating in action.ratings.select_related("rated_by")
    }
    semesters = [
        (year, semester, ratings.get((year, semester)))
        for year in range(plan.start_year, plan.end_year + 1)
        for semester in (1, 2)
    ]
    return render(
        request,
        "traceability/action_detail.html",
        {
            "action": action,
            "item": action,
            "kind": "action",
            "plan": plan,
            "budget_lines": lines,
            "budget_total": total,
            "reports": [(value, reports.get(value.period.pk)) for value in planned],
            "physical": physical,
            "physical_quantity": physical_quantity_text(action),
            "semesters": semesters,
            "editable": plan.status != plan.Status.CLOSED,
            "crumbs": crumbs_for(action),
        },
    )
