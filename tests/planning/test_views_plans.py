"""Plan list, create/edit plan, approve and close."""

import pytest
from django.urls import reverse

from planning.models import StrategicPlan
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def plan_data(**overrides):
    data = {
        "name": "Plan de Acción 2027",
        "kind": StrategicPlan.Kind.ACTION,
        "description": "",
        "start_year": "2027",
        "end_year": "2027",
        "parent": "",
    }
    return {**data, **overrides}


def test_plan_list_shows_plans_with_counts_and_links(client, planner):
    plan = PlanFactory(name="Plan de Acción 2026")
    client.force_login(planner)
    body = client.get(reverse("planning:plan-list")).content.decode()
    assert "Plan de Acción 2026" in body
    assert reverse("planning:plan-detail", args=[plan.pk]) in body
    assert reverse("planning:plan-create") in body  # Planeación may create


def test_plan_list_filters_by_status(client, director):
    PlanFactory(name="Borrador uno")
    PlanFactory(name="Aprobado uno", status=StrategicPlan.Status.APPROVED)
    client.force_login(director)
    body = client.get(reverse("planning:plan-list"), {"estado": "approved"}).content.decode()
    assert "Aprobado uno" in body
    assert "Borrador uno" not in body
    assert reverse("planning:plan-create") not in body  # Directivo does not create plans


def test_plan_list_empty_state(client, auditor):
    client.force_login(auditor)
    assert "Aún no hay planes." in client.get(reverse("planning:plan-list")).content.decode()


def test_plan_list_query_count_is_constant(client, planner, count_queries):
    client.force_login(planner)
    url = reverse("planning:plan-list")
    PlanFactory.create_batch(2)
    client.get(url)
    with count_queries() as few:
        client.get(url)
    parent = PlanFactory()
    PlanFactory.create_batch(30, parent=parent)
    with count_queries() as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25
    assert few.count == many.count


def test_plan_create_saves_through_the_service(client, planner):
    client.force_login(planner)
    response = client.post(reverse("planning:plan-create"), plan_data())
    plan = StrategicPlan.objects.get(name="Plan de Acción 2027")
    assert response["Location"] == reverse("planning:plan-detail", args=[plan.pk])
    assert plan.history.first().history_user == planner


def test_plan_create_bad_years_shows_spanish_error_beside_field(client, planner):
    client.force_login(planner)
    response = client.post(
        reverse("planning:plan-create"), plan_data(start_year="2028", end_year="2027")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "El año final no puede ser anterior al año inicial." in body
    assert response.context["form"].errors["end_year"] == [
        "El año final no puede ser anterior al año inicial."
    ]
    assert not StrategicPlan.objects.exists()


def test_plan_create_non_numeric_year_is_a_form_error(client, planner):
    client.force_login(planner)
    response = client.post(reverse("planning:plan-create"), plan_data(start_year="dos mil"))
    assert response.status_code == 200
    assert "Ingrese un número entero." in response.content.decode()
    assert not StrategicPlan.objects.exists()


def test_plan_edit_updates_only_changed_fields(client, planner):
    plan = PlanFactory(name="Viejo")
    client.force_login(planner)
    client.post(
        reverse("planning:plan-edit", args=[plan.pk]),
        plan_data(name="Nuevo", start_year="2026", end_year="2026"),
    )
    plan.refresh_from_db()
    assert plan.name == "Nuevo"


def test_plan_edit_cannot_serve_itself(client, planner):
    plan = PlanFactory()
    client.force_login(planner)
    response = client.post(
        reverse("planning:plan-edit", args=[plan.pk]),
        plan_data(start_year="2026", end_year="2026", parent=str(plan.pk)),
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    plan.refresh_from_db()
    assert plan.parent_id is None


@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_plan_create_and_edit_forbidden_to_non_planners(client, request, persona):
    plan = PlanFactory(name="Intacto")
    client.force_login(request.getfixturevalue(persona))
    for url in (reverse("planning:plan-create"), reverse("planning:plan-edit", args=[plan.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, plan_data()).status_code == 403
    plan.refresh_from_db()
    assert plan.name == "Intacto"
    assert StrategicPlan.objects.count() == 1


def test_anonymous_is_sent_to_login(client):
    plan = PlanFactory()
    for url in (
        reverse("planning:plan-list"),
        reverse("planning:plan-detail", args=[plan.pk]),
        reverse("planning:plan-create"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_director_approves_a_plan_after_confirmation(client, director):
    plan = PlanFactory()
    client.force_login(director)
    url = reverse("planning:plan-approve", args=[plan.pk])
    confirmation = client.get(url).content.decode()
    assert "¿Aprobar el plan" in confirmation
    plan.refresh_from_db()
    assert plan.status == StrategicPlan.Status.DRAFT  # GET changes nothing
    response = client.post(url, follow=True)
    plan.refresh_from_db()
    assert plan.status == StrategicPlan.Status.APPROVED
    assert plan.approved_by == director
    assert "Se aprobó el plan" in response.content.decode()


def test_planner_cannot_approve_a_plan(client, planner):
    plan = PlanFactory()
    client.force_login(planner)
    url = reverse("planning:plan-approve", args=[plan.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    plan.refresh_from_db()
    assert plan.status == StrategicPlan.Status.DRAFT


def test_director_closes_an_approved_plan(client, director):
    plan = PlanFactory(status=StrategicPlan.Status.APPROVED)
    client.force_login(director)
    client.post(reverse("planning:plan-close", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == StrategicPlan.Status.CLOSED


def test_closing_a_draft_plan_shows_the_service_message(client, director):
    plan = PlanFactory()
    client.force_login(director)
    response = client.post(reverse("planning:plan-close", args=[plan.pk]))
    assert response.status_code == 200
    assert "Solo se puede cerrar un plan aprobado" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == StrategicPlan.Status.DRAFT


def test_plan_detail_shows_transition_buttons_by_role(client, director, planner):
    plan = PlanFactory()
    approve = reverse("planning:plan-approve", args=[plan.pk])
    client.force_login(director)
    assert approve in client.get(plan.get_absolute_url()).content.decode()
    client.force_login(planner)
    assert approve not in client.get(plan.get_absolute_url()).content.decode()
