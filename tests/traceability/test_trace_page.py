"""The trace page: the chain up to the MIPG dimension and everything below the item."""

from decimal import Decimal as D

import pytest
from django.db.models.signals import post_init
from django.urls import reverse

from mipg.core.models import InstitutionalPlan
from planning.models import Action, Goal
from tests import factories
from tests.builders import build_plan

pytestmark = pytest.mark.django_db


def trace(obj):
    return reverse("trace", args=[f"{obj._meta.app_label}.{obj._meta.model_name}", obj.pk])


@pytest.fixture
def action():
    plan = factories.PlanFactory(name="Plan de Acción 2026")
    objective = factories.ObjectiveFactory(plan=plan, code="O1", policies=[factories.policy("P03")])
    goal = factories.GoalFactory(objective=objective, code="M1")
    peti = InstitutionalPlan.objects.get(code="PETI")
    return factories.ActionFactory(goal=goal, code="A1", institutional_plans=[peti])


def test_trace_of_action_goes_up_to_the_dimensions(client, auditor, action):
    client.force_login(auditor)
    response = client.get(trace(action))
    kinds = [link["kind"] for link in response.context["chain"]]
    assert kinds[:5] == [
        "Actividad",
        "Meta",
        "Objetivo",
        "Plan",
        "Plan institucional (Decreto 612)",
    ]
    names = [str(link["obj"]) for link in response.context["chain"]]
    assert "P03 Planeación Institucional" in names
    assert "P06 Gobierno Digital" in names  # through PETI
    assert any(name.startswith("D2 ") for name in names)
    assert any(name.startswith("D3 ") for name in names)
    body = response.content.decode()
    assert f'href="{action.goal.get_absolute_url()}"' in body


def test_trace_of_action_lists_budget_and_reports_below(client, planner, action):
    period = factories.PeriodFactory(plan=action.goal.objective.plan, label="T1 2026")
    factories.AllocationFactory(action=action, rubro="2.3.9", appropriation=D("5000"))
    factories.ProgressReportFactory(action=action, period=period, progress=D("20"))
    client.force_login(planner)
    response = client.get(trace(action))
    below = [str(node.obj) for node in response.context["below"]]
    assert below == ["2.3.9 · Recursos propios · 2026", "A1 · T1 2026"]
    assert "$ 5.000" in response.content.decode()


def test_trace_of_plan_shows_the_whole_tree_with_archived_marked(client, planner, action):
    plan = action.goal.objective.plan
    factories.ActionFactory(goal=action.goal, code="A2", name="Vieja", archived=True)
    factories.IndicatorFactory(goal=action.goal, code="IND-9")
    client.force_login(planner)
    response = client.get(trace(plan))
    [objective] = response.context["below"]
    [goal] = objective.children
    assert [str(node.obj.code) for node in goal.children] == ["A1", "A2", "IND-9"]
    assert [node.archived for node in goal.children] == [False, True, False]
    assert "Archivado" in response.content.decode()


def test_trace_of_goal_shows_actions_with_their_allocations(client, planner, action):
    factories.AllocationFactory(action=action, rubro="R1")
    factories.IndicatorFactory(goal=action.goal, code="IND-1")
    client.force_login(planner)
    response = client.get(trace(action.goal))
    action_node, indicator_node = response.context["below"]
    assert action_node.obj == action
    assert [str(child.obj.rubro) for child in action_node.children] == ["R1"]
    assert indicator_node.obj.code == "IND-1"


def test_trace_of_indicator_and_allocation_show_their_figures(client, planner, action):
    period = factories.PeriodFactory(plan=action.goal.objective.plan, label="T1")
    indicator = factories.IndicatorFactory(goal=action.goal)
    factories.TargetFactory(indicator=indicator, period=period, value=D("10"))
    factories.MeasurementFactory(indicator=indicator, period=period, value=D("7"))
    allocation = factories.AllocationFactory(action=action)
    factories.ExecutionFactory(allocation=allocation, stage="cdp", amount=D("1000"))
    client.force_login(planner)
    details = [n.detail for n in client.get(trace(indicator)).context["below"]]
    assert details == ["T1 · 10", "T1 · 7 · Borrador"]
    [execution] = client.get(trace(allocation)).context["below"]
    assert execution.detail == "01/03/2026 · $ 1.000"


def test_trace_of_untraceable_or_unknown_model_is_404(client, planner, unit):
    client.force_login(planner)
    assert client.get(reverse("trace", args=["mipg.unit", unit.pk])).status_code == 404
    assert client.get(reverse("trace", args=["nada.nada", 1])).status_code == 404
    assert client.get(reverse("trace", args=["planning.action", 999])).status_code == 404


def test_trace_needs_login(client, action):
    assert client.get(trace(action))["Location"].startswith(reverse("login"))


def test_trace_query_count_is_constant_whatever_the_plan_size(client, planner, count_queries):
    small, big = build_plan(3), build_plan(10, actions_per_goal=10)
    client.force_login(planner)
    with count_queries() as few:
        client.get(trace(small))
    with count_queries() as many:
        response = client.get(trace(big))
    goals = [goal for objective in response.context["below"] for goal in objective.children]
    assert sum(len(goal.children) for goal in goals) > 10  # actions and indicators
    assert few.count == many.count
    goal_small = small.objectives.first().goals.first()
    goal_big = big.objectives.first().goals.first()
    with count_queries() as few:
        small_nodes = client.get(trace(goal_small)).context["below"]
    with count_queries() as many:
        big_nodes = client.get(trace(goal_big)).context["below"]
    assert len(small_nodes) < len(big_nodes)
    assert few.count == many.count


@pytest.mark.parametrize("aligned", ["objective", "goal"])
def test_trace_shows_the_alignment_both_ways(client, planner, action, count_queries, aligned):
    """MIPG.md §3: an action plan objective, or a goal aligned on its own (issue 8 §4) → the
    PEI objective it serves; a PEI objective → the objectives and goals that serve it."""
    pei = factories.PlanFactory(name="PEI 2024–2027", kind="pei", start_year=2024, end_year=2027)
    target = factories.ObjectiveFactory(plan=pei, code="PEI-1", name="Gestión eficiente")
    goal = action.goal
    plan = goal.objective.plan
    plan.parent = pei
    plan.save()
    item = goal.objective if aligned == "objective" else goal
    item.serves = target
    item.save()
    client.force_login(planner)

    up = client.get(trace(item))
    from_action = client.get(trace(action))
    down = client.get(trace(target))

    assert up.context["serves"] == target
    assert f'<a href="{trace(target)}">PEI-1 Gestión eficiente</a>' in up.content.decode()
    assert from_action.context["serves"] == target
    assert down.context["served_by"] == [item]
    assert f'<a href="{trace(item)}">{item}</a>' in down.content.decode()
    assert "Plan de Acción 2026" in down.content.decode()
    with count_queries() as fewer:
        client.get(trace(target))
    objective = factories.ObjectiveFactory(plan=plan, code="O2", serves=target)
    other = factories.GoalFactory(objective=goal.objective, code="M2", serves=target)
    with count_queries() as more:
        served_by = client.get(trace(target)).context["served_by"]
    # the objectives first, then the goals, each in tree order
    expected = [item, objective, other] if aligned == "objective" else [objective, goal, other]
    assert served_by == expected
    assert more.count == fewer.count


def test_trace_of_plan_pages_its_goals(client, planner):
    """60 goals (one archived) in two objectives: 25 a page, each under its objective."""
    plan = build_plan(60, actions_per_goal=1)
    client.force_login(planner)
    pages = [client.get(trace(plan), {"page": n}) for n in (1, 2, 3)]
    goals = [
        [goal.obj.code for objective in page.context["below"] for goal in objective.children]
        for page in pages
    ]
    assert [len(codes) for codes in goals] == [25, 25, 10]
    # tree order: O1's goals (M0, M2, … M58), then O2's (M1, M3, … M59)
    assert goals[0][:2] == ["M0", "M2"] and goals[2][-1] == "M59"
    assert [o.obj.code for o in pages[1].context["below"]] == ["O1", "O2"]  # M48 | M1
    assert "60 resultados" in pages[0].content.decode()
    assert sorted(code for codes in goals for code in codes) == sorted(f"M{i}" for i in range(60))


@pytest.mark.parametrize("root", ["plan", "objective"])
def test_trace_of_plan_or_objective_reads_only_its_pages_goals(
    client, planner, count_queries, root
):
    """60 goals of one action each: a page shows 25 goals and builds only their actions,
    not the whole tree's (a plan of 20,000 actions read them all for one page), in the
    queries of a plan of 3 goals."""
    small, plan = build_plan(3, actions_per_goal=1), build_plan(60, actions_per_goal=1)
    item = plan if root == "plan" else plan.objectives.get(code="O1")
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance.pk)

    small_item = small if root == "plan" else small.objectives.get(code="O1")
    client.force_login(planner)
    client.get(trace(small_item))
    with count_queries() as few:
        client.get(trace(small_item))
    post_init.connect(count, sender=Action)
    try:
        with count_queries() as many:
            response = client.get(trace(item))
    finally:
        post_init.disconnect(count, sender=Action)
    assert few.count == many.count
    below = response.context["below"]
    goals = [n for o in below for n in o.children] if root == "plan" else below
    goals = [node for node in goals if isinstance(node.obj, Goal)]
    assert len(goals) == 25
    shown = {n.obj.pk for goal in goals for n in goal.children if isinstance(n.obj, Action)}
    assert len(shown) == 25 and set(built) == shown
