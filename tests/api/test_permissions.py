"""Who may read, write and move the workflow, per role (and unit), through the API.

Personas (tests/conftest.py): admin_user (superuser), planner (Planeación), responsible
(Responsable of `unit`, the unit of the scenario's goal, action and indicator), outsider
(Responsable of another unit), director (Directivo), auditor (Control Interno) and None
(anonymous).
"""

import pytest

from evaluation.models import Measurement
from management.models import ProgressReport
from mipg.core.models import ReviewStatus
from planning.models import Action, StrategicPlan
from tests.factories import AllocationFactory, PlanFactory

PERSONAS = ["admin_user", "planner", "responsible", "outsider", "director", "auditor", None]


@pytest.fixture
def as_persona(request, client_for):
    """The API client of a persona given by fixture name (None: anonymous)."""

    def make(name):
        user = request.getfixturevalue(name) if name else None
        return client_for(user), user

    return make


FIGURE_LISTS = ("/api/v1/measurements/", "/api/v1/progress-reports/")


def _expect(persona, allowed, *, anonymous=401):
    if persona is None:
        return anonymous
    return allowed.get(persona, 403)


# --- Reads -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/measurements/",
        "/api/v1/progress-reports/",
        "/api/v1/periods/",
        "/api/v1/indicators/",
    ],
)
def test_internal_lists_are_read_by_every_role_and_refused_to_anonymous(
    as_persona, scenario, persona, url
):
    scenario.measurement()
    scenario.report()
    client, _user = as_persona(persona)
    response = client.get(url)
    assert response.status_code == (401 if persona is None else 200)
    if persona is not None:
        # The figures are drafts of `unit`: hidden from another unit's Responsable.
        hidden = persona == "outsider" and url in FIGURE_LISTS
        assert response.json()["count"] == (0 if hidden else 1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_plans_are_read_by_everybody_anonymous_only_the_approved_ones(
    as_persona, scenario, persona
):
    client, _user = as_persona(persona)
    names = {p["name"] for p in client.get("/api/v1/plans/").json()["results"]}
    if persona is None:
        assert names == {"Plan aprobado"}
    else:
        assert names == {"Plan aprobado", "Plan de Acción 2026"}


# --- Plain writes ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_action_needs_the_planning_role(as_persona, scenario, persona):
    client, _user = as_persona(persona)
    response = client.post(
        "/api/v1/actions/",
        {
            "goal": scenario.goal.pk,
            "code": "A9",
            "name": "Nueva actividad",
            "start_date": "2026-02-01",
            "end_date": "2026-05-31",
            "weight": "10",
        },
    )
    expected = _expect(persona, {"admin_user": 201, "planner": 201})
    assert response.status_code == expected
    assert Action.objects.filter(code="A9").exists() == (expected == 201)


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_indicator_needs_the_planning_role(as_persona, scenario, persona):
    client, _user = as_persona(persona)
    response = client.patch(f"/api/v1/indicators/{scenario.indicator.pk}/", {"name": "Nuevo"})
    expected = _expect(persona, {"admin_user": 200, "planner": 200})
    assert response.status_code == expected
    scenario.indicator.refresh_from_db()
    assert (scenario.indicator.name == "Nuevo") == (expected == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_record_budget_execution_needs_the_planning_role(as_persona, scenario, persona):

    allocation = AllocationFactory(action=scenario.action)
    client, _user = as_persona(persona)
    response = client.post(
        "/api/v1/budget-executions/",
        {
            "allocation": allocation.pk,
            "stage": "cdp",
            "amount": "1000.00",
            "date": "2026-03-02",
            "document_number": "CDP-1",
        },
    )
    expected = _expect(persona, {"admin_user": 201, "planner": 201})
    assert response.status_code == expected
    assert allocation.executions.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_measurement_only_by_a_responsable_of_the_indicators_unit(
    as_persona, scenario, persona
):
    client, _user = as_persona(persona)
    response = client.post(
        "/api/v1/measurements/",
        {"indicator": scenario.indicator.pk, "period": scenario.period.pk, "value": "7"},
    )
    expected = _expect(persona, {"admin_user": 201, "responsible": 201})
    assert response.status_code == expected
    assert Measurement.objects.exists() == (expected == 201)
    if expected == 403:
        assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_progress_report_only_by_a_responsable_of_the_actions_unit(
    as_persona, scenario, persona
):
    client, _user = as_persona(persona)
    response = client.post(
        "/api/v1/progress-reports/",
        {"action": scenario.action.pk, "period": scenario.period.pk, "progress": "25"},
    )
    expected = _expect(persona, {"admin_user": 201, "responsible": 201})
    assert response.status_code == expected
    assert ProgressReport.objects.exists() == (expected == 201)


# --- Workflow actions ------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["measurements", "progress-reports"])
def test_submit_only_by_a_responsable_of_the_unit(as_persona, scenario, persona, kind):
    figure = scenario.measurement() if kind == "measurements" else scenario.report(evidence=True)
    client, _user = as_persona(persona)
    response = client.post(f"/api/v1/{kind}/{figure.pk}/submit/")
    # Another unit's Responsable does not see the draft at all.
    expected = _expect(persona, {"admin_user": 200, "responsible": 200, "outsider": 404})
    assert response.status_code == expected
    figure.refresh_from_db()
    assert figure.status == (ReviewStatus.SUBMITTED if expected == 200 else ReviewStatus.DRAFT)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["measurements", "progress-reports"])
def test_approve_only_by_planning(as_persona, scenario, responsible, persona, kind):
    factory = scenario.measurement if kind == "measurements" else scenario.report
    figure = factory(status=ReviewStatus.SUBMITTED, by=responsible)
    client, _user = as_persona(persona)
    response = client.post(f"/api/v1/{kind}/{figure.pk}/approve/", {"comment": "Bien"})
    expected = _expect(persona, {"admin_user": 200, "planner": 200})
    assert response.status_code == expected
    figure.refresh_from_db()
    assert figure.status == (ReviewStatus.APPROVED if expected == 200 else ReviewStatus.SUBMITTED)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["measurements", "progress-reports"])
def test_return_only_by_planning(as_persona, scenario, responsible, persona, kind):
    factory = scenario.measurement if kind == "measurements" else scenario.report
    figure = factory(status=ReviewStatus.SUBMITTED, by=responsible)
    client, _user = as_persona(persona)
    response = client.post(f"/api/v1/{kind}/{figure.pk}/return/", {"comment": "Falta soporte"})
    expected = _expect(persona, {"admin_user": 200, "planner": 200})
    assert response.status_code == expected
    figure.refresh_from_db()
    assert figure.status == (ReviewStatus.RETURNED if expected == 200 else ReviewStatus.SUBMITTED)
    if expected == 200:
        assert figure.review_comment == "Falta soporte"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["measurements", "progress-reports"])
def test_reopen_only_by_planning_with_a_reason(as_persona, scenario, responsible, persona, kind):
    factory = scenario.measurement if kind == "measurements" else scenario.report
    figure = factory(status=ReviewStatus.APPROVED, by=responsible)
    client, _user = as_persona(persona)
    response = client.post(f"/api/v1/{kind}/{figure.pk}/reopen/", {"reason": "Cifra errada"})
    expected = _expect(persona, {"admin_user": 200, "planner": 200})
    assert response.status_code == expected
    figure.refresh_from_db()
    assert figure.status == (ReviewStatus.RETURNED if expected == 200 else ReviewStatus.APPROVED)
    if expected == 200:
        assert figure.review_comment == "Cifra errada"


@pytest.mark.parametrize("kind", ["measurements", "progress-reports"])
def test_reopen_without_a_reason_is_a_field_error(client_for, scenario, responsible, planner, kind):
    factory = scenario.measurement if kind == "measurements" else scenario.report
    figure = factory(status=ReviewStatus.APPROVED, by=responsible)
    response = client_for(planner).post(f"/api/v1/{kind}/{figure.pk}/reopen/", {"reason": "  "})
    figure.refresh_from_db()
    assert (response.status_code, list(response.json()["errors"])) == (400, ["reason"])
    assert figure.status == ReviewStatus.APPROVED


def test_submitter_may_not_approve_their_own_measurement(client_for, scenario, admin_user):
    measurement = scenario.measurement(status=ReviewStatus.SUBMITTED, by=admin_user)
    response = client_for(admin_user).post(f"/api/v1/measurements/{measurement.pk}/approve/")
    assert response.status_code == 403
    assert "usted mismo envió" in response.json()["detail"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_approve_plan_only_by_the_directors(as_persona, scenario, persona):
    # A plan with nothing in it: its integrity report has no errors (the scenario's plan
    # has weights that do not sum 100, which block any approval; see
    # tests/traceability/test_plan_approval.py).
    plan = PlanFactory(name="Plan sin contenido")
    client, _user = as_persona(persona)
    response = client.post(f"/api/v1/plans/{plan.pk}/approve/")
    expected = _expect(persona, {"admin_user": 200, "director": 200})
    assert response.status_code == expected
    plan.refresh_from_db()
    approved = StrategicPlan.Status.APPROVED
    assert (plan.status == approved) == (expected == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_lock_period_only_by_planning(as_persona, scenario, persona):
    client, _user = as_persona(persona)
    response = client.post(f"/api/v1/periods/{scenario.period.pk}/lock/")
    expected = _expect(persona, {"admin_user": 200, "planner": 200})
    assert response.status_code == expected
    scenario.period.refresh_from_db()
    assert scenario.period.locked == (expected == 200)
