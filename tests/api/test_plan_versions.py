"""API writes to an approved plan: the reason is a JSON field error when missing, and the
write makes a plan version; a closed plan refuses indicator targets and budget."""

from decimal import Decimal

import pytest

from planning.models import Objective, PlanVersion, StrategicPlan
from tests import factories
from tests.evaluation.test_indicator_services import indicator_api_fields

pytestmark = pytest.mark.django_db

NO_REASON = (
    "El plan «Plan X» está aprobado: indique el motivo del cambio (queda en una nueva "
    "versión del plan)."
)


@pytest.fixture
def plan(db):
    return factories.PlanFactory(name="Plan X", status=StrategicPlan.Status.APPROVED)


@pytest.fixture
def objective(plan):
    return factories.ObjectiveFactory(plan=plan, code="O1", name="Uno", weight=Decimal("60"))


def test_patch_weight_without_reason_is_a_field_error(client_for, planner, objective):
    response = client_for(planner).patch(f"/api/v1/objectives/{objective.pk}/", {"weight": "40"})

    assert response.status_code == 400
    assert response.json()["errors"]["reason"] == [NO_REASON]
    assert Objective.objects.get().weight == Decimal("60")


def test_patch_weight_with_reason_makes_a_version(client_for, planner, plan, objective):
    response = client_for(planner).patch(
        f"/api/v1/objectives/{objective.pk}/", {"weight": "40", "reason": "Acta 4"}
    )

    assert response.json()["weight"] == "40.00"
    assert plan.versions.get().changes == [
        {"item": "O1 Uno", "what": "weight", "old": "60", "new": "40"}
    ]


def assert_reason_required(client, url, body, reason):
    """POST `body` to `url`: refused without a reason; return the response with `reason`."""
    refused = client.post(url, body)
    assert refused.json()["errors"]["reason"] == [NO_REASON]
    return client.post(url, body | {"reason": reason})


def test_create_with_reason_makes_a_version(client_for, planner, plan):
    client = client_for(planner)
    body = {"plan": plan.pk, "code": "O2", "name": "Dos", "weight": "0"}

    created = assert_reason_required(client, "/api/v1/objectives/", body, "Nuevo objetivo")

    assert created.status_code == 201
    assert plan.versions.get().changes[0]["what"] == "created"


def test_archive_unarchive_and_delete_take_the_reason(client_for, planner, plan, objective):
    client = client_for(planner)
    url = f"/api/v1/objectives/{objective.pk}/"

    assert client.post(url + "archive/").json()["errors"] == {"reason": [NO_REASON]}
    assert client.post(url + "archive/", {"reason": "Se suprime"}).json()["archived"] is True
    assert client.post(url + "unarchive/", {"reason": "Vuelve"}).json()["archived"] is False
    assert client.delete(url).status_code == 400
    assert client.delete(url + "?reason=Duplicado").status_code == 204

    assert list(plan.versions.order_by("number").values_list("number", "reason")) == [
        (1, "Se suprime"),
        (2, "Vuelve"),
        (3, "Duplicado"),
    ]


def test_plan_years_need_the_reason(client_for, planner, plan):
    client = client_for(planner)

    refused = client.patch(f"/api/v1/plans/{plan.pk}/", {"end_year": 2027})
    accepted = client.patch(f"/api/v1/plans/{plan.pk}/", {"end_year": 2027, "reason": "Ampliación"})

    assert refused.json()["errors"]["reason"] == [NO_REASON]
    assert accepted.json()["end_year"] == 2027
    assert PlanVersion.objects.get().changes[0]["what"] == "end_year"


def test_target_without_reason_is_a_field_error(client_for, planner, plan, unit):
    indicator = factories.IndicatorFactory(goal__objective__plan=plan, goal__unit=unit)
    period = factories.PeriodFactory(plan=plan)
    client = client_for(planner)
    body = {"indicator": indicator.pk, "period": period.pk, "value": "5"}

    created = assert_reason_required(client, "/api/v1/targets/", body, "Meta nueva")

    assert created.status_code == 201
    assert plan.versions.get().changes[0]["what"] == "target"


def test_closed_plan_refuses_targets_and_budget(client_for, planner, plan, unit):
    indicator = factories.IndicatorFactory(goal__objective__plan=plan, goal__unit=unit)
    period = factories.PeriodFactory(plan=plan)
    allocation = factories.AllocationFactory(action__goal=indicator.goal)
    StrategicPlan.objects.update(status=StrategicPlan.Status.CLOSED)
    client = client_for(planner)

    target = client.post(
        "/api/v1/targets/",
        {"indicator": indicator.pk, "period": period.pk, "value": "5", "reason": "Tarde"},
    )
    budget = client.patch(f"/api/v1/budget-allocations/{allocation.pk}/", {"appropriation": "5"})

    assert target.status_code == budget.status_code == 400
    assert "está cerrado" in str(target.json())
    assert "está cerrado" in str(budget.json())


def test_new_period_needs_the_reason(client_for, planner, plan):
    body = {"plan": plan.pk, "label": "T1", "start_date": "2026-01-01", "end_date": "2026-03-31"}

    created = assert_reason_required(client_for(planner), "/api/v1/periods/", body, "Corte")

    assert created.status_code == 201
    assert plan.periods.get().label == "T1"
    assert plan.versions.get().changes == [{"item": "T1", "what": "created", "old": "", "new": ""}]


def test_new_indicator_needs_the_reason(client_for, planner, plan, unit):
    goal = factories.GoalFactory(objective__plan=plan, unit=unit)
    body = indicator_api_fields(goal)

    created = assert_reason_required(client_for(planner), "/api/v1/indicators/", body, "Nuevo")

    assert created.json()["code"] == "IND-01"
    assert plan.versions.get().changes[0]["what"] == "created"


def test_archiving_an_indicator_needs_the_reason(client_for, planner, plan, unit):
    indicator = factories.IndicatorFactory(goal__objective__plan=plan, goal__unit=unit)
    client = client_for(planner)
    url = f"/api/v1/indicators/{indicator.pk}/"

    refused = client.patch(url, {"archived": True}, format="json")
    archived = client.patch(url, {"archived": True, "reason": "Se reemplaza"}, format="json")

    assert refused.json()["errors"] == {"reason": [NO_REASON]}
    assert archived.json()["archived"] is True
    assert plan.versions.get().changes[0]["what"] == "archived"
