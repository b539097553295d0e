"""GET …/trace/ on every traceable item and GET /plans/{id}/rollup/."""

import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from mipg.core.api.serializers import RESOURCE_NAMES
from mipg.core.models import InstitutionalPlan, ReviewStatus
from mipg.core.trace import route_of
from mipg.traceability.api.rollup import (
    PlanRollupSerializer,
    _decimal,
    _decimal_json,
    rollup_data,
    rollup_json,
)
from mipg.traceability.rollup import plan_rollup
from planning.models import ActionSchedule
from tests.builders import build_plan, quarters_2026, semaforo_tally
from tests.factories import (
    ActionFactory,
    AllocationFactory,
    ExecutionFactory,
    GoalFactory,
    ModificationFactory,
    ObjectiveFactory,
    PeriodFactory,
    PlanFactory,
    ProgressReportFactory,
    policy,
)


@pytest.fixture
def traced(scenario, responsible):
    scenario.objective.policies.add(policy("P03"))
    scenario.action.institutional_plans.add(InstitutionalPlan.objects.get(code="PETI"))
    allocation = AllocationFactory(action=scenario.action, appropriation=Decimal("1000"))
    return {
        "plans": scenario.plan,
        "objectives": scenario.objective,
        "goals": scenario.goal,
        "actions": scenario.action,
        "indicators": scenario.indicator,
        "targets": scenario.target,
        "measurements": scenario.measurement(),
        "progress-reports": scenario.report(),
        "budget-allocations": allocation,
        "budget-executions": ExecutionFactory(allocation=allocation, amount=Decimal("400")),
        "budget-modifications": ModificationFactory(allocation=allocation),
    }


@pytest.mark.parametrize(
    "resource",
    [
        "plans",
        "objectives",
        "goals",
        "actions",
        "indicators",
        "targets",
        "measurements",
        "progress-reports",
        "budget-allocations",
        "budget-executions",
        "budget-modifications",
    ],
)
def test_trace_of_every_traceable_item_reaches_its_plan(
    client_for, auditor, traced, scenario, resource
):
    item = traced[resource]
    body = client_for(auditor).get(f"/api/v1/{resource}/{item.pk}/trace/").json()
    assert body["item"]["id"] == item.pk
    assert body["item"]["url"].endswith(f"/api/v1/{resource}/{item.pk}/")
    assert body["plan"]["id"] == scenario.plan.pk
    assert body["chain"][0] == body["item"]
    assert body["chain"][-1]["type"] in ("plan", "dimension")


def test_trace_of_a_measurement_goes_up_to_the_mipg_dimension(client_for, auditor, traced):
    measurement = traced["measurements"]
    body = client_for(auditor).get(f"/api/v1/measurements/{measurement.pk}/trace/").json()
    assert [node["type"] for node in body["chain"]] == [
        "measurement",
        "indicator",
        "goal",
        "objective",
        "plan",
        "policy",
        "dimension",
    ]
    assert body["period"]["name"] == "T1 2026"
    assert [p["code"] for p in body["policies"]] == ["P03"]
    assert [d["code"] for d in body["dimensions"]] == ["D2"]


def test_trace_of_an_aligned_goal_names_the_objective_it_serves(client_for, auditor, traced):
    goal = traced["goals"]
    pei = PlanFactory(name="PEI", kind="pei", start_year=2024, end_year=2027)
    target = ObjectiveFactory(plan=pei, code="PEI-3")
    goal.objective.plan.parent = pei
    goal.objective.plan.save()
    goal.serves = target
    goal.save()

    body = client_for(auditor).get(f"/api/v1/goals/{goal.pk}/trace/").json()
    action = client_for(auditor).get(f"/api/v1/actions/{traced['actions'].pk}/trace/").json()

    assert (body["serves"]["type"], body["serves"]["id"]) == ("objective", target.pk)
    assert action["serves"]["id"] == target.pk
    types = [node["type"] for node in body["chain"]]
    assert types[:5] == ["goal", "objective", "plan", "objective", "plan"]
    assert body["chain"][3]["id"] == target.pk


def test_trace_of_an_action_includes_its_decreto_612_plans(client_for, auditor, traced):
    action = traced["actions"]
    body = client_for(auditor).get(f"/api/v1/actions/{action.pk}/trace/").json()
    assert [p["code"] for p in body["institutional_plans"]] == ["PETI"]
    assert {p["code"] for p in body["policies"]} == {"P03", "P06"}


def test_rollup_matches_the_dashboards_selector(client_for, director, scenario, responsible):
    scenario.report(status=ReviewStatus.APPROVED, by=responsible, progress=Decimal("50"))
    scenario.measurement(status=ReviewStatus.APPROVED, by=responsible, value=Decimal("9"))
    allocation = AllocationFactory(action=scenario.action, appropriation=Decimal("1000"))
    ExecutionFactory(allocation=allocation, amount=Decimal("400"))
    body = client_for(director).get(f"/api/v1/plans/{scenario.plan.pk}/rollup/").json()
    expected = plan_rollup(scenario.plan)
    assert body["period"]["id"] == scenario.period.pk
    assert body["plan"]["physical"] == f"{expected.physical.plan.physical:.2f}" == "50.00"
    action = body["actions"][0]
    assert (action["id"], action["physical"]) == (scenario.action.pk, "50.00")
    assert action["financial"]["appropriation"] == "1000.00"
    assert action["financial"]["cdp_pct"] == "40.00"
    assert body["goals"][0]["semaforo"] == {
        "compliance": "90.00",
        "state": "verde",
        "indicators": 1,
        "unreported": 0,
    }
    assert body["semaforo_counts"] == semaforo_tally(verde=1)
    assert body["indicators"][0]["compliance"] == "90.00"
    assert body["indicators"][0]["explanation"] == "9 / 10 = 90,00 %"
    assert body["indicators"][0]["unreported"] == 0


def test_rollup_refuses_a_period_of_another_plan_and_bad_years(client_for, director, scenario):

    client = client_for(director)
    url = f"/api/v1/plans/{scenario.plan.pk}/rollup/"
    foreign = PeriodFactory(label="Ajeno")
    assert list(client.get(f"{url}?period={foreign.pk}").json()["errors"]) == ["period"]
    assert list(client.get(f"{url}?year=3000").json()["errors"]) == ["year"]
    assert list(client.get(f"{url}?cumulative=quizas").json()["errors"]) == ["cumulative"]
    assert client.get(f"{url}?year=2026&cumulative=false").json()["year"] == 2026
    assert list(client.get(f"{url}?scope=decada").json()["errors"]) == ["scope"]
    assert client.get(f"{url}?scope=year").json()["scope"] == "year"


def test_rollup_shows_planned_beside_executed(client_for, director, responsible):
    """MIPG.md §4 example through the API: planned 70, executed 54, compliance 77 amarillo."""
    plan = PlanFactory(start_year=2026, end_year=2026)
    q1, q2, *_ = quarters_2026(plan)
    goal = GoalFactory(objective=ObjectiveFactory(plan=plan, weight=Decimal("100")))
    actions = []
    for weight, planned, executed in [("60", "50", "50"), ("40", "100", "60")]:
        action = ActionFactory(goal=goal, weight=Decimal(weight))
        ActionSchedule.objects.create(action=action, period=q2, planned=Decimal(planned))
        ProgressReportFactory(
            action=action,
            period=q2,
            progress=Decimal(executed),
            status=ReviewStatus.APPROVED,
            created_by=responsible,
        )
        actions.append(action)

    body = client_for(director).get(f"/api/v1/plans/{plan.pk}/rollup/?period={q2.pk}").json()

    expected = {"planned": "70.00", "physical": "54.00", "physical_compliance": "77.14"}
    for node in (body["plan"], body["objectives"][0], body["goals"][0]):
        assert {key: node[key] for key in expected} == expected
        assert node["physical_state"] == "amarillo"
    assert [
        (a["planned"], a["physical"], a["physical_compliance"], a["physical_state"])
        for a in body["actions"]
    ] == [("50.00", "50.00", "100.00", "verde"), ("100.00", "60.00", "60.00", "amarillo")]


def test_every_traceable_model_has_an_api_resource_for_its_trace():
    """A model that declares a trace_route appears in API traces: it needs its resource name
    (a missing one made GET /api/v1/budget-modifications/{id}/trace/ answer 500)."""
    traceable = {
        model._meta.label_lower for model in apps.get_models() if route_of(model) is not None
    }
    assert traceable - set(RESOURCE_NAMES) == set()
    for resource in {RESOURCE_NAMES[label] for label in traceable}:
        assert reverse(f"api:{resource}-trace", args=[1]).endswith("/trace/")


def test_rollup_depth_keeps_the_figures_of_the_levels_it_shows(client_for, planner, count_queries):
    plan = build_plan(12, actions_per_goal=3)
    client = client_for(planner)
    url = f"/api/v1/plans/{plan.pk}/rollup/"
    full = client.get(url).json()
    goals = client.get(url, {"depth": "goals"}).json()
    objectives = client.get(url, {"depth": "objectives"}).json()
    assert full["actions"] and goals["actions"] == [] and objectives["goals"] == []
    for level in ("plan", "objectives", "indicators", "semaforo_counts"):
        assert goals[level] == full[level] == objectives[level]
    assert goals["goals"] == full["goals"]
    assert client.get(url, {"depth": "leaves"}).json()["errors"]["depth"]
    # the default is still the whole tree, with the same queries
    with count_queries() as counted_full:
        client.get(url)
    with count_queries() as counted_goals:
        client.get(url, {"depth": "goals"})
    assert counted_goals.count == counted_full.count


def test_rollup_json_is_what_the_serializer_renders(db):
    plan = build_plan(12)
    periods = list(plan.periods.order_by("start_date"))
    # a zero-budget action (null percentages), modifications and an action without reports
    ActionFactory(goal=plan.objectives.first().goals.first(), code="A-CERO", weight=Decimal("0"))
    rollup = plan_rollup(plan, period=periods[-1])
    data = rollup_data(rollup, year=None, cumulative=True)
    assert any(node["semaforo"] is None for node in data["actions"])
    assert any(node["financial"]["cdp_pct"] is None for node in data["actions"])

    fast, slow = rollup_json(data), PlanRollupSerializer(data).data

    assert fast == slow
    assert json.dumps(fast) == json.dumps(slow)  # same keys in the same order


@pytest.mark.parametrize(
    "value",
    [
        None,
        Decimal("0"),
        Decimal("-0.005"),
        Decimal("66.665"),
        Decimal("66.675"),
        Decimal("-1.005"),
        Decimal("1E+3"),
        Decimal("33.33333333333333333333333333"),
        Decimal("123456789012.345"),
        7,
        2.5,
    ],
)
def test_rollup_decimals_are_what_the_serializer_field_renders(value):
    # the tree's numbers skip DRF's field machinery; they must read the same to the digit
    assert _decimal_json(value) == (None if value is None else _decimal().to_representation(value))
