"""Planned vs executed physical progress on the plan tree and the goal page: the MIPG.md §4
example (actions weighted 60 and 40, planned 50 and 100, executed 50 and 60 → planned 70,
executed 54, compliance 77 amarillo)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from mipg.core.models import ReviewStatus
from planning.models import ActionSchedule
from tests import factories
from tests.builders import quarters_2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(responsible):
    plan = factories.PlanFactory(start_year=2026, end_year=2026)
    q1, q2, *_ = quarters_2026(plan)
    goal = factories.GoalFactory(
        objective=factories.ObjectiveFactory(plan=plan, weight=D("100")), weight=D("100")
    )
    for code, weight, planned, executed in [("A1", 60, 50, 50), ("A2", 40, 100, 60)]:
        action = factories.ActionFactory(goal=goal, code=code, weight=D(weight))
        ActionSchedule.objects.create(action=action, period=q2, planned=D(planned))
        factories.ProgressReportFactory(
            action=action,
            period=q2,
            progress=D(executed),
            status=ReviewStatus.APPROVED,
            created_by=responsible,
        )
    return plan, goal, q2


def test_tree_shows_planned_and_executed_at_every_level(client, planner, example):
    plan, goal, q2 = example
    client.force_login(planner)
    # the objective's row on the plan tree, the goal's row in the objective's branch
    response = client.get(reverse("planning:plan-detail", args=[plan.pk]), {"periodo": q2.pk})
    branch = client.get(
        reverse("planning:objective-branch", args=[goal.objective_id]), {"periodo": q2.pk}
    )
    figures = {
        row.kind: (row.physical.planned, row.physical.physical, row.physical.state)
        for row in [*response.context["rows"], *branch.context["children"]]
    }
    assert figures == {
        "objective": (D("70"), D("54"), "amarillo"),
        "goal": (D("70"), D("54"), "amarillo"),
    }
    html = response.content.decode()
    assert "Avance programado" in html
    assert "77,14 %" in html  # compliance 54 ÷ 70 of the plan, objective and goal


def test_goal_page_shows_planned_beside_executed(client, planner, example):
    plan, goal, q2 = example
    plan.periods.filter(end_date__gt=q2.end_date).delete()  # the page shows the latest period
    client.force_login(planner)
    response = client.get(reverse("planning:goal-detail", args=[goal.pk]))
    physical = response.context["physical"]
    assert (physical.planned, physical.physical, physical.compliance_display) == (
        D("70"),
        D("54"),
        D("77.14"),
    )
    assert [(a.code, n.planned, n.compliance) for a, n in response.context["actions"]] == [
        ("A1", D("50"), D("100")),
        ("A2", D("100"), D("60")),
    ]


def test_home_shows_planned_beside_executed(client, planner):
    action = factories.ActionFactory(goal__objective__plan__name="Plan de Acción 2026")
    period = factories.PeriodFactory(plan=action.goal.objective.plan, label="T1 2026")
    ActionSchedule.objects.create(action=action, period=period, planned=D("80"))
    factories.ProgressReportFactory(
        action=action, period=period, progress=D("40"), status=ReviewStatus.APPROVED
    )
    client.force_login(planner)
    body = client.get(reverse("home")).content.decode()
    assert "Programado: 80,00 %" in body
    assert 'Rojo</span> <span class="small">50,00 %' in body  # 40 ÷ 80
