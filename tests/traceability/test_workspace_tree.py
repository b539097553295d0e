"""The plan workspace: tree with progress, budget and semáforo, period selector, archived
toggle, and a constant query count."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from mipg.core.models import ReviewStatus
from planning.models import Goal
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


def branch_url(item, **params):
    """The branch page of an objective or goal (its goals or actions)."""
    kind = item._meta.model_name
    return reverse(f"planning:{kind}-branch", args=[item.pk]), params


def get_branch(client, item, **params):
    url, params = branch_url(item, **params)
    return client.get(url, params).content.decode()


def test_tree_opens_with_the_objectives_closed(client, planner, tree):
    client.force_login(planner)
    body = client.get(tree["plan"].get_absolute_url()).content.decode()
    objective = row(body, f"objetivo-{tree['objective'].pk}")
    assert "Fortalecer la planeación" in objective and "Verde" in objective
    assert "30,00 %" in objective  # its only goal: 60 % × 50 + 40 % × 0
    # the toggle is a link to the branch page (works without the script) and says what
    # it opens
    url = reverse("planning:objective-branch", args=[tree["objective"].pk])
    assert f'href="{url}"' in objective and 'aria-expanded="false"' in objective
    assert "Ver las metas de" in objective and "1 metas" in objective
    assert f'id="meta-{tree["goal"].pk}"' not in body
    assert "Actividad con plata" not in body


def test_tree_branches_show_every_level_with_progress_budget_and_semaforo(client, planner, tree):
    client.force_login(planner)
    goals = get_branch(client, tree["objective"])
    goal = row(goals, f"meta-{tree['goal'].pk}")
    assert "30,00 %" in goal  # 60 % × 50 + 40 % × 0
    assert "Verde" in goal  # 9 of 10 = 90 %
    assert f'data-parent="objetivo-{tree["objective"].pk}"' in goal
    assert "Ver las actividades de" in goal and "2 actividades" in goal
    body = get_branch(client, tree["goal"])
    action = row(body, f"actividad-{tree['goal'].actions.get(code='A1').pk}")
    assert "Actividad con plata" in action
    assert "50,00 %" in action  # latest approved progress (T2)
    assert "Compromiso" in action and "80,00 %" in action  # 800 / 1000
    assert "Obligación" in action and "40,00 %" in action
    assert "Pago" in action and "25,00 %" in action
    assert "Secretaría de Planeación" in action  # responsible unit
    unfunded = row(body, f"actividad-{tree['goal'].actions.get(code='A2').pk}")
    assert "Sin presupuesto" in unfunded
    # the rows it hangs from, open, above it
    assert 'aria-expanded="true"' in row(body, f"meta-{tree['goal'].pk}")
    assert "Fortalecer la planeación" in row(body, f"objetivo-{tree['objective'].pk}")
    assert "Actividad vieja" not in body  # archived: hidden by default


def test_tree_branch_for_the_script_is_its_rows_alone(client, planner, tree):
    client.force_login(planner)
    url, _params = branch_url(tree["goal"])
    response = client.get(url, headers={"X-Tree-Branch": "1"})
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="actividad-{tree["goal"].actions.get(code="A1").pk}"')
    assert body.count("<tr ") == 2 and "<html" not in body
    assert f'data-parent="meta-{tree["goal"].pk}"' in body
    assert "X-Tree-Branch" in response["Vary"]


def test_tree_rows_share_one_reorder_form(client, planner, tree):
    """The move buttons of every row post the page's one form to their own URL: one CSRF
    token for the tree, not one per row."""
    client.force_login(planner)
    body = get_branch(client, tree["goal"], archivados="1")
    assert body.count('id="tree-reorder"') == 1
    assert body.count('form="tree-reorder"') == 6  # up and down of A1, A2, A3
    a2 = tree["goal"].actions.get(code="A2")
    assert f'formaction="{reverse("planning:action-reorder", args=[a2.pk])}"' in body
    assert '<input type="hidden" name="archivados" value="1">' in body


def test_tree_long_branch_pages_fifty_actions(client, planner):
    plan = build_plan(60, actions_per_goal=60)  # one goal, one of its actions archived
    goal = plan.objectives.get(code="O1").goals.get()
    client.force_login(planner)
    first = get_branch(client, goal)
    second = get_branch(client, goal, page="2")
    assert (first.count('class="tree-action'), second.count('class="tree-action')) == (50, 9)
    assert "Página 1 de 2 (1–50 de 59)" in first
    url, _params = branch_url(goal)
    assert f'href="{url}?page=2"' in first
    last = goal.actions.get(code="A59")
    assert f'id="actividad-{last.pk}"' in second


def test_tree_period_selector_shows_progress_as_of_that_period(client, planner, tree):
    client.force_login(planner)
    url, _params = branch_url(tree["goal"])
    response = client.get(url, {"periodo": tree["t1"].pk})
    body = response.content.decode()
    funded = tree["goal"].actions.get(code="A1")
    assert "25,00 %" in row(body, f"actividad-{funded.pk}")
    assert "Reportes aprobados hasta T1 2026" in body
    assert response.context["period"] == tree["t1"]
    plan_page = client.get(tree["plan"].get_absolute_url(), {"periodo": tree["t1"].pk})
    assert plan_page.context["period"] == tree["t1"]
    # the toggles keep the period
    objective_branch = reverse("planning:objective-branch", args=[tree["objective"].pk])
    assert f'href="{objective_branch}?periodo={tree["t1"].pk}"' in plan_page.content.decode()


def test_tree_period_of_another_plan_is_404(client, planner, tree):
    other = factories.PeriodFactory(plan=factories.PlanFactory())
    client.force_login(planner)
    response = client.get(tree["plan"].get_absolute_url(), {"periodo": other.pk})
    assert response.status_code == 404
    url, _params = branch_url(tree["goal"])
    assert client.get(url, {"periodo": other.pk}).status_code == 404


def test_tree_archived_toggle_shows_archived_items_marked(client, planner, tree):
    client.force_login(planner)
    body = get_branch(client, tree["goal"], archivados="1")
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
    branch = get_branch(client, tree["goal"])
    assert "Actividad con plata" in branch
    assert "/mover/" not in body + branch
    assert 'id="tree-reorder"' not in body + branch


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
    assert small_body.count('class="tree-objective') == 2
    assert big_body.count('class="tree-objective') == 2
    assert few.count == many.count


@pytest.mark.parametrize("level", ["objective", "goal"])
def test_tree_branch_query_count_is_constant_whatever_its_size(
    client, planner, count_queries, level
):
    """A goal with 1 action and one with 3 (an objective with 1 goal and one with 2):
    the same queries."""
    per_goal = 1 if level == "objective" else 3
    small, big = build_plan(1, actions_per_goal=1), build_plan(3, actions_per_goal=per_goal)
    client.force_login(planner)
    items = {
        plan: plan.objectives.get(code="O1")
        if level == "objective"
        else Goal.objects.get(objective__plan=plan, code="M0")
        for plan in (small, big)
    }
    get_branch(client, items[small])  # creates the Entity row once
    with count_queries() as few:
        small_body = get_branch(client, items[small])
    with count_queries() as many:
        big_body = get_branch(client, items[big], archivados="1")
    child = "tree-goal" if level == "objective" else "tree-action"
    assert small_body.count(f'class="{child}') < big_body.count(f'class="{child}')
    assert few.count == many.count


def test_tree_is_the_workbench_indicators_budget_and_programacion_from_their_rows(
    client, planner, tree
):
    client.force_login(planner)
    new_indicator = reverse("evaluation:indicator-create")
    objective, goal = tree["objective"], tree["goal"]
    plan_page = client.get(tree["plan"].get_absolute_url()).content.decode()
    objective_row = row(plan_page, f"objetivo-{objective.pk}")
    assert f'href="{new_indicator}?objetivo={objective.pk}"' in objective_row
    assert "Agregar indicador a O1" in objective_row
    goals = get_branch(client, objective)
    assert f'href="{new_indicator}?meta={goal.pk}"' in row(goals, f"meta-{goal.pk}")
    a1 = goal.actions.get(code="A1")
    action_row = row(get_branch(client, goal), f"actividad-{a1.pk}")
    assert f'href="{reverse("management:action-budget", args=[a1.pk])}"' in action_row
    assert f'href="{reverse("planning:action-schedule", args=[a1.pk])}"' in action_row
    assert "Presupuesto de A1" in action_row and "Programación de A1" in action_row
    # the links lead to working pages
    assert client.get(f"{new_indicator}?meta={goal.pk}").status_code == 200
    assert client.get(reverse("planning:action-schedule", args=[a1.pk])).status_code == 200


def test_tree_workbench_buttons_follow_permissions(client, auditor, tree):
    client.force_login(auditor)
    goals = get_branch(client, tree["objective"])
    assert "?meta=" not in goals
    actions = get_branch(client, tree["goal"])
    assert "/programacion/" not in actions


@pytest.mark.parametrize("level", ["objective", "goal"])
def test_tree_branch_reads_its_objective_alone_with_the_plan_page_figures(client, planner, level):
    """A branch's roll-up reads its objective's branch, not the whole plan: its rows show
    what the plan page's roll-up gives them."""
    plan = build_plan(20, actions_per_goal=2)
    objective = plan.objectives.get(code="O1")
    goal = objective.goals.filter(archived=False).order_by("position").first()
    item = objective if level == "objective" else goal
    client.force_login(planner)
    url, _params = branch_url(item)
    branch = client.get(url).context["rollup"]
    assert set(branch.physical.objectives) == {objective.pk}
    plan_page = client.get(plan.get_absolute_url()).context["rollup"]
    assert branch.physical.objectives[objective.pk] == plan_page.physical.objectives[objective.pk]
    assert branch.financial.goals[goal.pk] == plan_page.financial.goals[goal.pk]
    assert branch.goal_semaforo.get(goal.pk) == plan_page.goal_semaforo.get(goal.pk)
