"""The home dashboard: current plans with physical and financial progress and semáforo."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from mipg.core.models import ReviewStatus
from mipg.traceability.views.home import HOME_PLAN_LIMIT
from planning.models import StrategicPlan
from tests import factories
from tests.builders import build_plan

pytestmark = pytest.mark.django_db


def test_home_shows_progress_side_by_side_for_current_plans(client, planner):
    action = factories.ActionFactory(goal__objective__plan__name="Plan de Acción 2026")
    plan = action.goal.objective.plan
    period = factories.PeriodFactory(plan=plan, label="T1 2026")
    factories.ProgressReportFactory(
        action=action, period=period, progress=D("40"), status=ReviewStatus.APPROVED
    )
    allocation = factories.AllocationFactory(action=action, appropriation=D("1000"))
    factories.ExecutionFactory(allocation=allocation, stage="cdp", amount=D("500"))
    factories.ExecutionFactory(allocation=allocation, stage="commitment", amount=D("250"))
    factories.TargetFactory(indicator=factories.IndicatorFactory(goal=action.goal), period=period)
    factories.PlanFactory(name="Plan viejo", status=StrategicPlan.Status.CLOSED)
    client.force_login(planner)
    response = client.get(reverse("home"))
    body = response.content.decode()
    [card] = response.context["cards"]
    assert card["plan"] == plan
    assert "Plan de Acción 2026" in body and "Plan viejo" not in body
    assert "40,00 %" in body  # physical
    assert "25,00 %" in body  # commitment / appropriation
    assert {state: n for state, _label, n in card["semaforo"]}["sin_reporte"] == 1
    assert "corte a T1 2026" in body
    assert reverse("planning:plan-list") in body


def test_home_without_current_plans_says_so(client, planner):
    factories.PlanFactory(status=StrategicPlan.Status.CLOSED)
    client.force_login(planner)
    body = client.get(reverse("home")).content.decode()
    assert "No hay planes en curso; todos están cerrados." in body


def test_home_query_count_does_not_grow_with_plan_size(client, planner, count_queries):
    small = build_plan(1)
    client.force_login(planner)
    client.get(reverse("home"))  # creates the Entity row once
    with count_queries() as few:
        client.get(reverse("home"))
    StrategicPlan.objects.filter(pk=small.pk).update(status=StrategicPlan.Status.CLOSED)
    big = build_plan(3)
    with count_queries() as many:
        response = client.get(reverse("home"))
    assert [card["plan"] for card in response.context["cards"]] == [big]
    assert few.count == many.count


def test_home_rolls_up_a_bounded_number_of_plans(client, planner, count_queries):
    factories.PlanFactory.create_batch(HOME_PLAN_LIMIT)
    client.force_login(planner)
    client.get(reverse("home"))
    with count_queries() as at_limit:
        client.get(reverse("home"))
    factories.PlanFactory.create_batch(3)
    with count_queries() as over_limit:
        response = client.get(reverse("home"))
    assert len(response.context["cards"]) == HOME_PLAN_LIMIT
    assert "Se muestran los 6 planes en curso más recientes de 9." in response.content.decode()
    assert at_limit.count == over_limit.count


def test_a_directivo_starts_on_the_dashboard_and_a_responsable_on_their_pending_items(
    client, director, responsible
):
    client.force_login(director)
    assert client.get(reverse("home"))["Location"] == reverse("dashboard")
    client.force_login(responsible)
    assert client.get(reverse("home"))["Location"] == reverse("management:my-pending")
