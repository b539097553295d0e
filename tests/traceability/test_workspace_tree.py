"""The plan workspace: tree with progress, budget and semáforo, period selector, archived
toggle, and a constant query count."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from mipg.core.models import ReviewStatus
from tests import factories
from tests.builders import build_plan, semaforo_tally

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(unit):
    """A plan with two periods, one objective, one goal measured by a green indicator, two
    actions (one with budget and progress in both periods) and an archived action."""
    plan = factories.PlanFactory(name="Plan de Acción 2026")
    t1 = factories.PeriodFactory(plan=plan, label="T1 2026")
    t2 = factories.PeriodFactory(
        plan=plan, label="T2 2026", start_date="2026-04-01", end_date="2026-06-30"
    )
    objective = factories.ObjectiveFactory(plan=plan, code="O1", name="Fortalecer la planeación")
    goal = factories.GoalFactory(objective=objective, code="M1", name="Meta uno", unit=unit)
    funded = factories.ActionFactory(
        goal=goal, code="A1", name="Actividad con plata", weight=D("60")
    )
    factories.ActionFactory(goal=goal, code="A2", name="Actividad sin plata", weight=D("40"))
    factories.ActionFactory(
        goal=goal, code="A3", name="Actividad vieja", weight=D("0"), archived=True
    )
    for period, progress in ((t1, "25"), (t2, "50")):
        factories.ProgressReportFactory(
            action=funded, period=period, progress=D(progress), status=ReviewStatus.APPROVED
        )
    allocation = factories.AllocationFactory(action=funded, appropriation=D("1000"))
    factories.ExecutionFactory(allocation=allocation, stage="cdp", amount=D("900"))
    factories.ExecutionFactory(allocation=allocation, stage="commitment", amount=D("800"))
    factories.ExecutionFactory(allocation=allocation, stage="obligation", amount=D("400"))
    factories.ExecutionFactory(allocation=allocation, stage="payment", amount=D("250"))
    indicator = factories.IndicatorFactory(goal=goal)
    factories.TargetFactory(indicator=indicator, period=t1, value=D("10"))
    factories.MeasurementFactory(
        indicator=indicator, period=t1, value=D("9"), status=ReviewStatus.APPROVED
    )
    return {"plan": plan, "t1": t1, "t2": t2, "objective": objective, "goal": goal}


def row(body, anchor):
    """The HTML of the tree row with id ``anchor``."""
    start = body.index(f'<tr id="{anchor}"')
    return body[start : body.index("</tr>", start)]


def test_tree_shows_every_level_with_progress_budget_and_semaforo(client, planner, tree):
    client.force_login(planner)
    body = client.get(tree["plan"].get_absolute_url()).content.decode()
    action = row(body, f"actividad-{tree['goal'].actions.get(code='A1').pk}")
    assert "Actividad con plata" in action
    assert "50,0 %" in action  # latest approved progress (T2)
    assert "Compromiso" in action and "80,0 %" in action  # 800 / 1000
    assert "Obligación" in action and "40,0 %" in action
    assert "Pago" in action and "25,0 %" in action
    assert "Secretaría de Planeación" in action  # responsible unit
    unfunded = row(body, f"actividad-{tree['goal'].actions.get(code='A2').pk}")
    assert "Sin presupuesto" in unfunded
    goal = row(body, f"meta-{tree['goal'].pk}")
    assert "30,0 %" in goal  # 60 % × 50 + 40 % × 0
    assert "Verde" in goal  # 9 of 10 = 90 %
    objective = row(body, f"objetivo-{tree['objective'].pk}")
    assert "Fortalecer la planeación" in objective and "Verde" in objective
    assert "Actividad vieja" not in body  # archived: hidden by default


def test_tree_period_selector_shows_progress_as_of_that_period(client, planner, tree):
    client.force_login(planner)
    response = client.get(tree["plan"].get_absolute_url(), {"periodo": tree["t1"].pk})
    body = response.content.decode()
    funded = tree["goal"].actions.get(code="A1")
    assert "25,0 %" in row(body, f"actividad-{funded.pk}")
    assert "Reportes aprobados hasta T1 2026" in body
    assert response.context["period"] == tree["t1"]


def test_tree_period_of_another_plan_is_404(client, planner, tree):
    other = factories.PeriodFactory(plan=factories.PlanFactory())
    client.force_login(planner)
    response = client.get(tree["plan"].get_absolute_url(), {"periodo": other.pk})
    assert response.status_code == 404


def test_tree_archived_toggle_shows_archived_items_marked(client, planner, tree):
    client.force_login(planner)
    body = client.get(tree["plan"].get_absolute_url(), {"archivados": "1"}).content.decode()
    archived = row(body, f"actividad-{tree['goal'].actions.get(code='A3').pk}")
    assert "Actividad vieja" in archived
    assert "Archivado" in archived
    assert "desarchivar" in archived  # the unarchive control


def test_tree_plan_level_semaforo_counts(client, planner, tree):
    client.force_login(planner)
    response = client.get(tree["plan"].get_absolute_url())
    counts = {state: count for state, _label, count in response.context["semaforo"]}
    assert counts == semaforo_tally(verde=1)


def test_tree_read_only_roles_see_no_edit_controls(client, auditor, tree):
    client.force_login(auditor)
    body = client.get(tree["plan"].get_absolute_url()).content.decode()
    assert "Fortalecer la planeación" in body
    assert reverse("planning:objective-edit", args=[tree["objective"].pk]) not in body
    assert reverse("planning:objective-create", args=[tree["plan"].pk]) not in body
    assert "/mover/" not in body


def test_tree_of_empty_plan_invites_to_add_an_objective(client, planner):
    plan = factories.PlanFactory()
    client.force_login(planner)
    body = client.get(plan.get_absolute_url()).content.decode()
    assert "El plan aún no tiene objetivos." in body
    assert reverse("planning:objective-create", args=[plan.pk]) in body


def test_tree_query_count_is_constant_whatever_the_plan_size(client, planner, count_queries):
    small, big = build_plan(1), build_plan(3)
    client.force_login(planner)
    client.get(small.get_absolute_url())  # creates the Entity row once
    with count_queries() as few:
        small_body = client.get(small.get_absolute_url()).content.decode()
    with count_queries() as many:
        big_body = client.get(big.get_absolute_url(), {"archivados": "1"}).content.decode()
    assert small_body.count('class="tree-action') < big_body.count('class="tree-action')
    assert few.count == many.count
