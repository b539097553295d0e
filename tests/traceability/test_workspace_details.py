"""Goal and action pages."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from mipg.core.models import ReviewStatus
from planning.models import ActionRating
from tests import factories
from tests.builders import build_plan

pytestmark = pytest.mark.django_db


def test_goal_detail_shows_actions_indicators_and_breadcrumbs(client, auditor, unit):
    goal = factories.GoalFactory(code="M1", name="Meta de prueba", unit=unit)
    plan = goal.objective.plan
    period = factories.PeriodFactory(plan=plan, label="T1 2026")
    action = factories.ActionFactory(goal=goal, code="A1", name="Hacer algo")
    factories.ProgressReportFactory(
        action=action, period=period, progress=D("40"), status=ReviewStatus.APPROVED
    )
    indicator = factories.IndicatorFactory(goal=goal, code="IND-1", name="Cobertura")
    factories.TargetFactory(indicator=indicator, period=period, value=D("10"))
    factories.MeasurementFactory(
        indicator=indicator, period=period, value=D("5"), status=ReviewStatus.APPROVED
    )
    client.force_login(auditor)
    response = client.get(reverse("planning:goal-detail", args=[goal.pk]))
    body = response.content.decode()
    assert "Meta de prueba" in body and "Hacer algo" in body and "40,00 %" in body
    assert "Cobertura" in body and "50,00 %" in body and "Rojo" in body
    assert [label for label, _url in response.context["crumbs"]][:2] == ["Planes", f"Plan: {plan}"]
    assert reverse("trace", args=["planning.goal", goal.pk]) in body
    assert reverse("planning:goal-edit", args=[goal.pk]) not in body  # read-only role


def test_action_detail_shows_budget_by_stage_reports_and_ratings(client, planner, director):
    action = factories.ActionFactory(code="A1")
    plan = action.goal.objective.plan
    t1 = factories.PeriodFactory(plan=plan, label="T1 2026")
    factories.PeriodFactory(
        plan=plan, label="T2 2026", start_date="2026-04-01", end_date="2026-06-30"
    )
    allocation = factories.AllocationFactory(
        action=action, appropriation=D("1000000"), rubro="2.3.1"
    )
    factories.ExecutionFactory(allocation=allocation, stage="cdp", amount=D("800000"))
    factories.ExecutionFactory(allocation=allocation, stage="commitment", amount=D("600000"))
    factories.ExecutionFactory(allocation=allocation, stage="commitment", amount=D("-100000"))
    factories.ProgressReportFactory(
        action=action,
        period=t1,
        progress=D("30"),
        status=ReviewStatus.RETURNED,
        review_comment="Falta la evidencia",
    )
    ActionRating.objects.create(
        action=action,
        year=2026,
        semester=1,
        rating="partial",
        comment="Va lento",
        rated_by=director,
    )
    client.force_login(planner)
    response = client.get(reverse("planning:action-detail", args=[action.pk]))
    body = response.content.decode()
    total = response.context["budget_total"]
    assert (total.appropriation, total.cdp, total.commitment) == (
        D("1000000"),
        D("800000"),
        D("500000"),
    )
    assert total.commitment_pct == D("50")
    assert "$ 1.000.000" in body and "$ 500.000" in body
    assert "Devuelto" in body and "Falta la evidencia" in body
    assert "T2 2026" in body and "Sin reporte" in body
    assert "Parcial" in body and "Va lento" in body
    assert "Sin calificar" in body  # 2026-S2
    assert reverse("planning:rating-edit", args=[action.pk, 2026, 2]) not in body


def test_action_detail_offers_control_interno_to_rate_each_semester(client, auditor):
    action = factories.ActionFactory()
    client.force_login(auditor)
    body = client.get(reverse("planning:action-detail", args=[action.pk])).content.decode()
    for semester in (1, 2):
        assert reverse("planning:rating-edit", args=[action.pk, 2026, semester]) in body
    assert reverse("planning:action-edit", args=[action.pk]) not in body


def test_action_detail_without_budget_says_so(client, responsible):
    action = factories.ActionFactory()
    client.force_login(responsible)
    body = client.get(reverse("planning:action-detail", args=[action.pk])).content.decode()
    assert "Sin presupuesto asignado." in body


def test_detail_pages_send_anonymous_to_login(client):
    action = factories.ActionFactory()
    for url in (
        reverse("planning:goal-detail", args=[action.goal_id]),
        reverse("planning:action-detail", args=[action.pk]),
    ):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_unknown_goal_is_404(client, planner):
    client.force_login(planner)
    assert client.get(reverse("planning:goal-detail", args=[999])).status_code == 404


def test_goal_detail_query_count_is_constant(client, planner, count_queries):
    small = build_plan(1).objectives.first().goals.first()
    big = build_plan(3, actions_per_goal=3).objectives.first().goals.first()
    client.force_login(planner)
    client.get(reverse("planning:goal-detail", args=[small.pk]))  # creates the Entity row once
    with count_queries() as few:
        few_rows = len(
            client.get(reverse("planning:goal-detail", args=[small.pk])).context["actions"]
        )
    with count_queries() as many:
        response = client.get(reverse("planning:goal-detail", args=[big.pk]))
    assert few_rows < len(response.context["actions"])
    assert few.count == many.count


def _action_with(n, by):
    """An action with ``n`` allocations (each executed), ``n`` periods each with a report by
    a different person (quantity-driven: the action has a target of 4 capacitaciones), and
    a rating of each semester of the plan by a different person."""
    action = factories.ActionFactory(quantity_target=4, quantity_unit="capacitaciones")
    plan = action.goal.objective.plan
    for month in range(1, n + 1):
        period = factories.PeriodFactory(
            plan=plan, start_date=f"2026-{month:02d}-01", end_date=f"2026-{month:02d}-28"
        )
        factories.ProgressReportFactory(
            action=action, period=period, quantity=2, quantity_target=4, progress=50
        )
        factories.ExecutionFactory(allocation=factories.AllocationFactory(action=action))
    for semester in range(1, min(n, 2) + 1):
        ActionRating.objects.create(
            action=action, year=2026, semester=semester, rating="partial", rated_by=by
        )
    return action


def test_action_detail_query_count_is_constant(client, planner, auditor, count_queries):
    small, big = _action_with(1, auditor), _action_with(6, planner)
    client.force_login(planner)
    client.get(reverse("planning:action-detail", args=[small.pk]))  # creates the Entity row once
    with count_queries() as few:
        client.get(reverse("planning:action-detail", args=[small.pk]))
    with count_queries() as many:
        response = client.get(reverse("planning:action-detail", args=[big.pk]))
    assert len(response.context["budget_lines"]) == 6
    assert all(report for _period, report in response.context["reports"])
    assert response.content.decode().count("2 de 4 capacitaciones (50,00 %)") == 6
    assert few.count == many.count
