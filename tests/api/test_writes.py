"""Writes go through the services: same validation, same workflow, history kept."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from evaluation.models import IndicatorTarget, Measurement
from management.models import BudgetAllocation, ProgressReport
from mipg.core.models import ReviewStatus
from planning.models import Action, Goal, Objective, StrategicPlan
from tests.factories import (
    AllocationFactory,
    ExecutionFactory,
    GoalFactory,
    IndicatorFactory,
    PeriodFactory,
    attach_evidence,
)


def test_plan_lifecycle_create_edit_approve_close(client_for, planner, director):
    planning = client_for(planner)
    created = planning.post(
        "/api/v1/plans/",
        {"name": "Plan 2027", "kind": "action", "start_year": 2027, "end_year": 2027},
    )
    assert created.status_code == 201
    plan_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    edited = planning.patch(f"/api/v1/plans/{plan_id}/", {"description": "Anual"})
    assert edited.json()["description"] == "Anual"
    assert client_for(director).post(f"/api/v1/plans/{plan_id}/approve/").json()["status"] == (
        "approved"
    )
    closed = client_for(director).post(f"/api/v1/plans/{plan_id}/close/").json()
    assert closed["status"] == "closed"
    # A closed plan refuses every edit of its content.
    response = planning.post(
        "/api/v1/objectives/", {"plan": plan_id, "code": "O1", "name": "x", "weight": "10"}
    )
    assert response.status_code == 400
    assert "cerrado" in response.json()["errors"]["non_field_errors"][0]
    assert StrategicPlan.objects.get(pk=plan_id).history.first().history_user == director


def test_tree_create_edit_archive_and_delete(client_for, planner, scenario):
    client = client_for(planner)
    objective = client.post(
        "/api/v1/objectives/",
        {
            "plan": scenario.plan.pk,
            "code": "O2",
            "name": "Segundo",
            "weight": "40",
            "policies": [1],
        },
    ).json()
    assert objective["policies"] == [1]
    goal = client.post(
        "/api/v1/goals/",
        {"objective": objective["id"], "code": "M2", "name": "Meta", "weight": "100"},
    ).json()
    assert goal["plan"] == scenario.plan.pk
    action = client.post(
        "/api/v1/actions/",
        {
            "goal": goal["id"],
            "code": "A2",
            "name": "Actividad",
            "start_date": "2026-03-01",
            "end_date": "2026-06-30",
            "weight": "100",
            "institutional_plans": [1, 2],
        },
    ).json()
    assert (action["plan"], action["objective"], action["institutional_plans"]) == (
        scenario.plan.pk,
        objective["id"],
        [1, 2],
    )
    renamed = client.patch(f"/api/v1/actions/{action['id']}/", {"name": "Renombrada"}).json()
    assert renamed["name"] == "Renombrada"
    assert client.post(f"/api/v1/goals/{goal['id']}/archive/").json()["archived"] is True
    assert client.post(f"/api/v1/goals/{goal['id']}/unarchive/").json()["archived"] is False
    assert client.delete(f"/api/v1/objectives/{objective['id']}/").status_code == 204
    assert not Objective.objects.filter(pk=objective["id"]).exists()
    assert not Goal.objects.filter(pk=goal["id"]).exists()
    assert not Action.objects.filter(pk=action["id"]).exists()


def test_delete_refused_when_there_are_approved_figures(client_for, planner, scenario, responsible):
    scenario.report(status=ReviewStatus.APPROVED, by=responsible)
    response = client_for(planner).delete(f"/api/v1/actions/{scenario.action.pk}/")
    assert response.status_code == 400
    assert "Archívelo" in response.json()["errors"]["non_field_errors"][0]
    assert Action.objects.filter(pk=scenario.action.pk).exists()


def test_action_dates_outside_the_plan_are_field_errors(client_for, planner, scenario):
    response = client_for(planner).patch(
        f"/api/v1/actions/{scenario.action.pk}/", {"start_date": "2025-12-01"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["start_date"]


def test_measurement_workflow_submit_return_resubmit_approve(
    client_for, scenario, responsible, planner
):
    reporter, reviewer = client_for(responsible), client_for(planner)
    created = reporter.post(
        "/api/v1/measurements/",
        {
            "indicator": scenario.indicator.pk,
            "period": scenario.period.pk,
            "numerator": "9",
            "denominator": "10",
        },
    )
    assert created.status_code == 201
    measurement = created.json()
    assert (measurement["value"], measurement["status"]) == ("0.9000", "draft")
    pk = measurement["id"]
    assert reporter.post(f"/api/v1/measurements/{pk}/submit/").json()["status"] == "submitted"
    missing = reviewer.post(f"/api/v1/measurements/{pk}/return/", {"comment": ""})
    assert missing.status_code == 400
    assert list(missing.json()["errors"]) == ["comment"]
    returned = reviewer.post(f"/api/v1/measurements/{pk}/return/", {"comment": "Revise"})
    assert returned.json()["status"] == "returned"
    fixed = reporter.patch(f"/api/v1/measurements/{pk}/", {"value": "8.5"})
    assert (fixed.json()["value"], fixed.json()["numerator"]) == ("8.5000", None)
    reporter.post(f"/api/v1/measurements/{pk}/submit/")
    approved = reviewer.post(f"/api/v1/measurements/{pk}/approve/").json()
    assert (approved["status"], approved["reviewed_by"]) == ("approved", planner.pk)
    # Approved figures are frozen.
    frozen = reporter.patch(f"/api/v1/measurements/{pk}/", {"value": "1"})
    assert frozen.status_code == 400
    assert Measurement.objects.get(pk=pk).value == Decimal("8.5")


def test_progress_report_workflow(client_for, scenario, responsible, planner):
    reporter, reviewer = client_for(responsible), client_for(planner)
    report = reporter.post(
        "/api/v1/progress-reports/",
        {
            "action": scenario.action.pk,
            "period": scenario.period.pk,
            "progress": "30",
            "narrative": "Va bien",
        },
    ).json()
    too_much = reporter.patch(f"/api/v1/progress-reports/{report['id']}/", {"progress": "130"})
    assert list(too_much.json()["errors"]) == ["progress"]
    attach_evidence(ProgressReport.objects.get(pk=report["id"]))
    reporter.post(f"/api/v1/progress-reports/{report['id']}/submit/")
    approved = reviewer.post(f"/api/v1/progress-reports/{report['id']}/approve/", {"comment": "OK"})
    assert (approved.json()["status"], approved.json()["review_comment"]) == ("approved", "OK")


def test_locked_period_refuses_reports(client_for, scenario, responsible, planner):
    client_for(planner).post(f"/api/v1/periods/{scenario.period.pk}/lock/")
    response = client_for(responsible).post(
        "/api/v1/measurements/",
        {"indicator": scenario.indicator.pk, "period": scenario.period.pk, "value": "3"},
    )
    assert response.status_code == 400
    assert "cerrado" in response.json()["errors"]["period"][0]


# --- Bulk measurements -----------------------------------------------------------------


@pytest.fixture
def second_indicator(scenario):
    return IndicatorFactory(goal=scenario.goal, code="IND-2")


def test_bulk_creates_every_measurement_and_submits_them(
    client_for, scenario, responsible, second_indicator
):
    response = client_for(responsible).post(
        "/api/v1/measurements/bulk/",
        {
            "submit": True,
            "items": [
                {"indicator": scenario.indicator.pk, "period": scenario.period.pk, "value": "5"},
                {
                    "indicator": second_indicator.pk,
                    "period": scenario.period.pk,
                    "numerator": "1",
                    "denominator": "4",
                },
            ],
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["submitted"] is True
    assert [(m["indicator"], m["value"], m["status"]) for m in body["items"]] == [
        (scenario.indicator.pk, "5.0000", "submitted"),
        (second_indicator.pk, "0.2500", "submitted"),
    ]
    assert Measurement.objects.filter(status=ReviewStatus.SUBMITTED).count() == 2


def test_bulk_is_all_or_nothing_with_errors_by_item_index(
    client_for, scenario, responsible, second_indicator
):
    other_plan_period = PeriodFactory(label="Otro plan")
    response = client_for(responsible).post(
        "/api/v1/measurements/bulk/",
        {
            "items": [
                {"indicator": scenario.indicator.pk, "period": scenario.period.pk, "value": "5"},
                {"indicator": second_indicator.pk, "period": other_plan_period.pk, "value": "5"},
                {"indicator": scenario.indicator.pk, "period": scenario.period.pk, "value": "6"},
            ]
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], set(body["items"])) == ("invalid", {"1", "2"})
    assert "no pertenece al plan" in body["items"]["1"]["period"][0]
    assert "Ya existe una medición" in body["items"]["2"]["period"][0]
    assert Measurement.objects.count() == 0  # item 0 was valid but rolled back


def test_bulk_answers_403_like_a_single_write_for_another_units_indicator(
    client_for, scenario, responsible, other_unit
):
    foreign = IndicatorFactory(goal=scenario.goal, code="IND-X", unit=other_unit)
    item = {"indicator": foreign.pk, "period": scenario.period.pk, "value": "5"}
    mine = {"indicator": scenario.indicator.pk, "period": scenario.period.pk, "value": "5"}
    client = client_for(responsible)
    single = client.post("/api/v1/measurements/", item)
    bulk = client.post("/api/v1/measurements/bulk/", {"items": [mine, item]})
    assert (single.status_code, bulk.status_code) == (403, 403)
    assert bulk.json()["code"] == "permission_denied"
    assert bulk.json()["items"]["1"]["non_field_errors"] == [single.json()["detail"]]
    assert Measurement.objects.count() == 0


def test_bulk_type_errors_are_reported_by_index_before_any_write(client_for, scenario, responsible):
    response = client_for(responsible).post(
        "/api/v1/measurements/bulk/",
        {
            "items": [
                {"indicator": scenario.indicator.pk, "period": scenario.period.pk, "value": "5"},
                {"indicator": "uno", "period": scenario.period.pk, "value": "muchos"},
            ]
        },
    )
    assert response.status_code == 400
    assert set(response.json()["items"]) == {"1"}
    assert set(response.json()["items"]["1"]) == {"indicator", "value"}


def test_bulk_keys_that_are_objects_are_field_errors_not_server_errors(
    client_for, scenario, responsible
):
    # found by schemathesis: {"period": {}} once made the key lookup fail with a 500
    response = client_for(responsible).post(
        "/api/v1/measurements/bulk/",
        {"items": [{"indicator": 0, "period": {}, "value": ""}, {"indicator": [1], "period": 1}]},
    )
    assert response.status_code == 400
    assert set(response.json()["items"]["0"]) >= {"indicator", "period"}
    assert "indicator" in response.json()["items"]["1"]


@pytest.mark.parametrize(
    "key", [-11426492179809833058304, 697727440382120 * 10**9, "99999999999999999999999"]
)
def test_bulk_keys_beyond_any_column_are_field_errors(client_for, scenario, responsible, key):
    response = client_for(responsible).post(
        "/api/v1/measurements/bulk/",
        {"items": [{"indicator": key, "period": scenario.period.pk, "value": "5"}]},
    )
    assert response.status_code == 400
    assert "indicator" in response.json()["items"]["0"]


def _bulk_queries(client, scenario, count_queries, size):
    indicators = [IndicatorFactory(goal=scenario.goal, code=f"B{size}-{i}") for i in range(size)]
    items = [{"indicator": i.pk, "period": scenario.period.pk, "value": "5"} for i in indicators]
    with count_queries() as counted:
        response = client.post("/api/v1/measurements/bulk/", {"submit": True, "items": items})
    assert response.status_code == 201, response.content
    return counted.count, indicators


def test_bulk_runs_the_same_queries_for_2_and_8_items(
    client_for, scenario, responsible, count_queries
):
    client = client_for(responsible)
    client.get("/api/v1/measurements/")  # warm-up: the user's permission cache
    small, _ = _bulk_queries(client, scenario, count_queries, 2)
    large, indicators = _bulk_queries(client, scenario, count_queries, 8)
    # Validation: the indicators and the periods of every item (2); the write: savepoint,
    # lock of the plan, indicators (locked), periods, existing measurements, entity, insert,
    # history insert, submit update, history insert, release (11); the answer: the created
    # measurements and their evidence (2).
    assert (small, large) == (15, 15)
    # Every measurement was recorded as created then submitted, by its reporter.
    history = Measurement.history.filter(indicator__in=indicators).order_by("history_id")
    assert [(h.status, h.history_user) for h in history] == [
        *[("draft", responsible)] * 8,
        *[("submitted", responsible)] * 8,
    ]


@pytest.mark.parametrize("payload", [{}, {"items": []}, {"items": "x"}, {"items": [{}] * 501}])
def test_bulk_needs_between_1_and_500_items(client_for, responsible, db, payload):
    response = client_for(responsible).post("/api/v1/measurements/bulk/", payload)
    assert response.status_code == 400
    body = response.json()
    assert "items" in body["errors"] or body["items"]


# --- Targets and budget ----------------------------------------------------------------


def test_targets_are_created_replaced_and_deleted_with_reasons(
    client_for, scenario, planner, responsible
):
    client = client_for(planner)
    period = PeriodFactory(
        plan=scenario.plan, label="T2", start_date="2026-04-01", end_date="2026-06-30"
    )
    created = client.post(
        "/api/v1/targets/",
        {"indicator": scenario.indicator.pk, "period": period.pk, "value": "12"},
    )
    assert created.status_code == 201
    replaced = client.post(
        "/api/v1/targets/",
        {"indicator": scenario.indicator.pk, "period": period.pk, "value": "15"},
    )
    assert (replaced.status_code, replaced.json()["value"]) == (200, "15.0000")
    # The first period has an approved measurement: changing its target needs a reason.
    scenario.measurement(status=ReviewStatus.APPROVED, by=responsible)
    target_url = f"/api/v1/targets/{scenario.target.pk}/"
    refused = client.patch(target_url, {"value": "20"})
    assert list(refused.json()["errors"]) == ["reason"]
    changed = client.patch(target_url, {"value": "20", "reason": "Ajuste presupuestal"})
    assert changed.json()["value"] == "20.0000"
    assert client.delete(f"{target_url}?reason=Sin%20meta").status_code == 204
    assert not IndicatorTarget.objects.filter(pk=scenario.target.pk).exists()


def test_target_patch_without_value_keeps_the_value(client_for, scenario, planner):
    target_url = f"/api/v1/targets/{scenario.target.pk}/"
    before = scenario.target.value
    response = client_for(planner).patch(target_url, {"reason": "Solo revisión"})
    assert (response.status_code, response.json()["value"]) == (200, f"{before:.4f}")
    assert client_for(planner).patch(target_url, {}).json()["value"] == f"{before:.4f}"


def test_budget_allocation_shows_stage_totals_and_keeps_the_chain(client_for, planner, scenario):
    client = client_for(planner)
    allocation = client.post(
        "/api/v1/budget-allocations/",
        {
            "action": scenario.action.pk,
            "source": 1,
            "year": 2026,
            "rubro": "2.3.2.02",
            "appropriation": "1000000.00",
        },
    ).json()
    for stage, amount in (("cdp", "600000"), ("commitment", "400000")):
        entry = client.post(
            "/api/v1/budget-executions/",
            {
                "allocation": allocation["id"],
                "stage": stage,
                "amount": amount,
                "date": "2026-04-01",
                "document_number": stage.upper(),
            },
        )
        assert entry.status_code == 201
    over = client.post(
        "/api/v1/budget-executions/",
        {
            "allocation": allocation["id"],
            "stage": "payment",
            "amount": "500000",
            "date": "2026-04-02",
            "document_number": "PAGO",
        },
    )
    assert list(over.json()["errors"]) == ["amount"]
    shown = client.get(f"/api/v1/budget-allocations/{allocation['id']}/").json()
    assert (shown["cdp"], shown["commitment"], shown["payment"]) == (
        "600000.00",
        "400000.00",
        "0.00",
    )
    blocked = client.delete(f"/api/v1/budget-allocations/{allocation['id']}/")
    assert blocked.status_code == 400
    assert BudgetAllocation.objects.filter(pk=allocation["id"]).exists()


# The hoja de vida of an indicator, without code, what it measures and unit.
INDICATOR = {
    "name": "Cobertura",
    "type": "efficacy",
    "level": "result",
    "formula": "A / B × 100",
    "measurement_unit": "%",
    "accumulation": "stock",
    "polarity": "increasing",
    "frequency": "quarterly",
}


def test_indicator_create_and_baseline_change_needs_reason_after_approval(
    client_for, planner, scenario, unit, responsible
):
    client = client_for(planner)
    created = client.post(
        "/api/v1/indicators/",
        {
            **INDICATOR,
            "code": "IND-9",
            "objective": scenario.objective.pk,
            "unit": unit.pk,
            "baseline_value": "40",
        },
    )
    assert created.status_code == 201
    both = client.post(
        "/api/v1/indicators/",
        {**created.json(), "code": "IND-10", "goal": scenario.goal.pk},
    )
    assert "goal" in both.json()["errors"]
    scenario.measurement(status=ReviewStatus.APPROVED, by=responsible)
    url = f"/api/v1/indicators/{scenario.indicator.pk}/"
    assert list(client.patch(url, {"baseline_value": "3"}).json()["errors"]) == ["reason"]
    ok = client.patch(url, {"baseline_value": "3", "reason": "Dato corregido por el DANE"})
    assert ok.json()["baseline_value"] == "3.0000"


def test_allocation_update_refuses_appropriation_below_cdp(client_for, planner, scenario):

    allocation = AllocationFactory(action=scenario.action, appropriation=Decimal("1000"))
    ExecutionFactory(allocation=allocation, amount=Decimal("800"))
    response = client_for(planner).patch(
        f"/api/v1/budget-allocations/{allocation.pk}/", {"appropriation": "500"}
    )
    assert list(response.json()["errors"]) == ["appropriation"]


# --- Data rules: codes, plan hierarchy, text lengths --------------------------------------


def test_indicator_codes_are_unique_in_their_plan(client_for, planner, scenario, unit):
    client = client_for(planner)
    # scenario.indicator ("IND-1") measures scenario.goal; this one its objective.
    duplicate = {**INDICATOR, "code": "IND-1", "objective": scenario.objective.pk}
    response = client.post("/api/v1/indicators/", {**duplicate, "unit": unit.pk})
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {
        "code": ["Ya existe un indicador con el código «IND-1» en este plan."]
    }
    other_plan_goal = GoalFactory()
    elsewhere = {**INDICATOR, "code": "IND-1", "goal": other_plan_goal.pk, "unit": unit.pk}
    assert client.post("/api/v1/indicators/", elsewhere).status_code == 201
    second = IndicatorFactory(goal=scenario.goal, code="IND-2")
    renamed = client.patch(f"/api/v1/indicators/{second.pk}/", {"code": "IND-1"})
    assert list(renamed.json()["errors"]) == ["code"]


def test_the_database_refuses_two_indicators_with_one_code_in_a_plan(scenario):
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(goal=scenario.goal, code=scenario.indicator.code)


def test_an_approved_plan_cannot_serve_a_draft_plan(client_for, planner, scenario):
    response = client_for(planner).patch(
        f"/api/v1/plans/{scenario.public_plan.pk}/", {"parent": scenario.plan.pk}
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {
        "parent": [
            f"Un plan aprobado no puede servir a un plan en borrador: apruebe primero "
            f"«{scenario.plan.name}»."
        ]
    }
    draft_child = client_for(planner).post(
        "/api/v1/plans/",
        {
            "name": "Hijo",
            "kind": "action",
            "start_year": 2026,
            "end_year": 2026,
            "parent": scenario.plan.pk,
        },
    )
    assert draft_child.status_code == 201


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/api/v1/plans/", {"name": "Plan", "start_year": 2026, "end_year": 2026}, "description"),
        ("/api/v1/measurements/{measurement}/return/", {}, "comment"),
    ],
)
def test_free_texts_are_limited_to_5000_characters(
    client_for, planner, responsible, scenario, path, payload, field
):
    measurement = scenario.measurement(status=ReviewStatus.SUBMITTED, by=responsible)
    url = path.format(measurement=measurement.pk)
    client = client_for(planner)
    too_long = client.post(url, {**payload, field: "x" * 5001})
    assert too_long.status_code == 400, too_long.content
    assert too_long.json()["errors"] == {
        field: ["Asegúrese de que este campo no tenga más de 5000 caracteres."]
    }
    assert client.post(url, {**payload, field: "x" * 5000}).status_code in (200, 201)
