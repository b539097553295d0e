"""The integrity report of a plan as a page."""

import pytest
from django.urls import reverse

from tests.builders import build_plan
from tests.factories import ActionFactory, GoalFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_integrity_page_groups_findings_by_severity_with_links(client, auditor):
    plan = PlanFactory(name="Plan incompleto")
    empty_objective = ObjectiveFactory(plan=plan, code="O1", name="Sin metas")
    goal = GoalFactory(objective=ObjectiveFactory(plan=plan, code="O2", weight=0), code="M1")
    action = ActionFactory(goal=goal, unit=None, code="A1")
    client.force_login(auditor)
    response = client.get(reverse("planning:plan-integrity", args=[plan.pk]))
    body = response.content.decode()
    errors, warnings = response.context["groups"]
    error_kinds = {row["finding"].kind for row in errors["rows"]}
    assert {"objective_without_goals", "action_without_unit"} <= error_kinds
    assert all(row["finding"].severity == "error" for row in errors["rows"])
    assert {"plan_without_periods", "action_without_budget"} <= {
        row["finding"].kind for row in warnings["rows"]
    }
    assert body.index("Errores") < body.index("Advertencias")
    assert f'href="{empty_objective.get_absolute_url()}"' in body
    assert f'href="{action.get_absolute_url()}"' in body
    assert "Objetivo sin metas" in body


def test_integrity_page_of_complete_plan_says_so(client, planner):
    plan = PlanFactory()
    client.force_login(planner)
    response = client.get(reverse("planning:plan-integrity", args=[plan.pk]))
    kinds = [row["finding"].kind for g in response.context["groups"] for row in g["rows"]]
    assert kinds == ["plan_without_periods"]


def test_integrity_page_query_count_is_constant(client, planner, count_queries):
    small, big = build_plan(3), build_plan(10)
    client.force_login(planner)
    with count_queries() as few:
        few_total = client.get(reverse("planning:plan-integrity", args=[small.pk])).context["total"]
    with count_queries() as many:
        many_total = client.get(reverse("planning:plan-integrity", args=[big.pk])).context["total"]
    assert few_total < many_total
    assert few.count == many.count
