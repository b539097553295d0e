"""The "Motivo del cambio" of the workspace forms of an approved plan, and the plan's
versions page."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from planning.models import Objective, PlanVersion
from tests import factories
from tests.planning.test_views_items import field_error

pytestmark = pytest.mark.django_db

NO_REASON = (
    "El plan «Plan de Acción 2026» está aprobado: indique el motivo del cambio (queda en una "
    "nueva versión del plan)."
)


@pytest.fixture
def objective(approved):
    return factories.ObjectiveFactory(plan=approved, code="O1", name="Uno", weight=D("60"))


def objective_data(**overrides):
    return {"code": "O1", "name": "Uno", "description": "", "weight": "60"} | overrides


def test_draft_plan_form_has_no_reason_field(client, planner, plan):
    objective = factories.ObjectiveFactory(plan=plan, code="O1")
    client.force_login(planner)

    response = client.get(reverse("planning:objective-edit", args=[objective.pk]))

    assert "reason" not in response.context["form"].fields


def test_weight_change_without_reason_shows_error_beside_the_field(client, planner, objective):
    client.force_login(planner)

    response = client.post(
        reverse("planning:objective-edit", args=[objective.pk]), objective_data(weight="40")
    )

    assert response.status_code == 200
    assert field_error("reason", NO_REASON) in response.content.decode()
    assert Objective.objects.get().weight == D("60")


def test_weight_change_with_reason_makes_a_version(client, planner, approved, objective):
    client.force_login(planner)

    response = client.post(
        reverse("planning:objective-edit", args=[objective.pk]),
        objective_data(weight="40", reason="Acta del comité 3"),
    )

    assert response.status_code == 302
    version = approved.versions.get()
    assert (version.reason, version.changes[0]["new"]) == ("Acta del comité 3", "40")


def test_create_goal_needs_reason(client, planner, approved, objective):
    client.force_login(planner)
    url = reverse("planning:goal-create", args=[objective.pk])
    data = {"code": "M1", "name": "Meta", "product": "", "weight": "100", "unit": ""}

    refused = client.post(url, data)
    accepted = client.post(url, data | {"reason": "Nueva meta aprobada"})

    assert field_error("reason", NO_REASON) in refused.content.decode()
    assert accepted.status_code == 302
    assert approved.versions.get().changes[0]["what"] == "created"


def test_archive_asks_the_reason(client, planner, approved, objective):
    client.force_login(planner)
    url = reverse("planning:objective-archive", args=[objective.pk])

    page = client.get(url)
    refused = client.post(url)
    accepted = client.post(url, {"reason": "Se suprime"})

    assert 'name="reason"' in page.content.decode()
    assert NO_REASON in refused.content.decode()
    assert accepted.status_code == 302
    assert Objective.objects.get().archived is True
    assert approved.versions.get().reason == "Se suprime"


def test_delete_asks_the_reason(client, planner, approved, objective):
    client.force_login(planner)
    url = reverse("planning:objective-delete", args=[objective.pk])

    refused = client.post(url)
    accepted = client.post(url, {"reason": "Duplicado"})

    assert NO_REASON in refused.content.decode()
    assert accepted.status_code == 302
    assert not Objective.objects.exists()
    assert approved.versions.get().changes[0]["what"] == "deleted"


def test_schedule_form_asks_the_reason(client, planner, approved, unit):
    action = factories.ActionFactory(goal__objective__plan=approved, goal__unit=unit)
    period = factories.PeriodFactory(plan=approved, label="T1")
    client.force_login(planner)
    url = reverse("planning:action-schedule", args=[action.pk])

    refused = client.post(url, {f"period_{period.pk}": "30"})
    accepted = client.post(url, {f"period_{period.pk}": "30", "reason": "Reprogramación"})

    assert field_error("reason", NO_REASON) in refused.content.decode()
    assert accepted.status_code == 302
    assert approved.versions.get().changes[0]["new"] == "30"


def test_versions_page_lists_number_date_who_why_and_what(client, planner, approved, objective):
    PlanVersion.objects.create(
        plan=approved,
        number=1,
        created_by=planner,
        reason="Acta 3",
        changes=[{"item": "O1 Uno", "what": "weight", "old": "60", "new": "40"}],
    )
    client.force_login(planner)

    response = client.get(reverse("planning:plan-versions", args=[approved.pk]))

    html = response.content.decode()
    assert [v.number for v in response.context["page"]] == [1]
    assert "Acta 3" in html
    assert "O1 Uno: ponderación 60 → 40" in html
    assert planner.username in html or planner.get_full_name() in html


def test_versions_page_is_paginated(client, planner, approved):
    for number in range(1, 28):
        PlanVersion.objects.create(plan=approved, number=number, created_by=planner, reason="R")
    client.force_login(planner)

    response = client.get(reverse("planning:plan-versions", args=[approved.pk]) + "?page=2")

    assert [v.number for v in response.context["page"]] == [2, 1]


def test_versions_page_query_count_is_constant(client, planner, approved, count_queries):
    client.force_login(planner)
    url = reverse("planning:plan-versions", args=[approved.pk])
    PlanVersion.objects.create(plan=approved, number=1, created_by=planner, reason="R")
    with count_queries() as few:
        client.get(url)
    for number in (2, 3):
        other = factories.UserFactory()
        PlanVersion.objects.create(plan=approved, number=number, created_by=other, reason="R")
    with count_queries() as many:
        response = client.get(url)
    assert len({v.created_by for v in response.context["page"]}) == 3
    assert few.count == many.count


def test_versions_page_refused_without_view_permission(client, approved):
    client.force_login(factories.UserFactory())

    response = client.get(reverse("planning:plan-versions", args=[approved.pk]))

    assert response.status_code == 403


def test_period_form_asks_the_reason_and_the_versions_page_shows_it(client, planner, approved):
    client.force_login(planner)
    url = reverse("planning:period-create", args=[approved.pk])
    data = {"label": "T1 2026", "start_date": "2026-01-01", "end_date": "2026-03-31"}

    page = client.get(url)
    refused = client.post(url, data)
    accepted = client.post(url, data | {"reason": "Corte adicional"})
    versions = client.get(reverse("planning:plan-versions", args=[approved.pk]))

    assert "Motivo del cambio" in page.content.decode()
    assert field_error("reason", NO_REASON) in refused.content.decode()
    assert accepted.status_code == 302
    html = versions.content.decode()
    assert "Corte adicional" in html
    assert "T1 2026: creado" in html
    assert planner.get_full_name() in html


def test_quarters_form_asks_the_reason(client, planner, approved):
    client.force_login(planner)
    url = reverse("planning:period-quarters", args=[approved.pk])

    refused = client.post(url, {"year": "2026"})
    accepted = client.post(url, {"year": "2026", "reason": "Cortes del año"})

    assert field_error("reason", NO_REASON) in refused.content.decode()
    assert accepted.status_code == 302
    assert approved.versions.get().reason == "Cortes del año"
    assert approved.periods.count() == 4


def test_period_form_of_a_draft_plan_has_no_reason_field(client, planner, plan):
    client.force_login(planner)

    response = client.get(reverse("planning:period-create", args=[plan.pk]))

    assert "reason" not in response.context["form"].fields


def test_period_list_of_an_approved_plan_asks_the_reason_of_new_quarters(client, planner, approved):
    client.force_login(planner)

    response = client.get(reverse("planning:period-list", args=[approved.pk]))

    html = response.content.decode()
    assert '<label for="id_reason" class="form-label">Motivo del cambio</label>' in html
    assert 'name="reason" id="id_reason"' in html
