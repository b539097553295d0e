"""Create, edit, reorder, archive and delete objectives, goals and actions."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from mipg.core.models import InstitutionalPlan, ReviewStatus
from planning.models import Action, Goal, Objective, StrategicPlan
from tests import factories
from tests.builders import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def objective(plan):
    return factories.ObjectiveFactory(plan=plan, code="O1", weight=D("60"))


@pytest.fixture
def action(goal):
    return factories.ActionFactory(goal=goal, code="A1", weight=D("50"))


def field_error(field, message):
    """How crispy-bootstrap5 renders an error beside ``field``."""
    return f'<p id="error_1_id_{field}"><strong>{message}</strong></p>'


def action_data(**overrides):
    data = {
        "code": "A9",
        "name": "Publicar el plan",
        "deliverable": "Plan publicado",
        "unit": "",
        "responsible": "",
        "start_date": "2026-02-01",
        "end_date": "2026-03-31",
        "weight": "50",
    }
    return {**data, **overrides}


# --- create -----------------------------------------------------------------------------


def test_create_objective_with_policies(client, planner, plan):
    client.force_login(planner)
    response = client.post(
        reverse("planning:objective-create", args=[plan.pk]),
        {
            "code": "O1",
            "name": "Fortalecer la planeación",
            "description": "",
            "weight": "100",
            "policies": [factories.policy("P03").pk, factories.policy("P13").pk],
        },
    )
    objective = Objective.objects.get(plan=plan, code="O1")
    assert response["Location"] == f"{plan.get_absolute_url()}#objetivo-{objective.pk}"
    assert sorted(p.code for p in objective.policies.all()) == ["P03", "P13"]


def test_create_objective_over_weight_shows_error_beside_weight(client, planner, objective):
    client.force_login(planner)
    response = client.post(
        reverse("planning:objective-create", args=[objective.plan_id]),
        {"code": "O2", "name": "Otro", "description": "", "weight": "50"},
    )
    assert response.status_code == 200
    message = (
        "Los demás objetivos del plan ya suman 60 %; quedan 40 % disponibles y se pidieron 50 %."
    )
    assert field_error("weight", message) in response.content.decode()
    assert list(Objective.objects.values_list("code", flat=True)) == ["O1"]


def test_create_objective_form_suggests_the_free_weight(client, planner, objective):
    client.force_login(planner)
    response = client.get(reverse("planning:objective-create", args=[objective.plan_id]))
    assert response.context["form"].initial["weight"] == D("40")


def test_create_goal_with_duplicate_code_shows_error(client, planner, goal, unit):
    client.force_login(planner)
    response = client.post(
        reverse("planning:goal-create", args=[goal.objective_id]),
        {"code": "M1", "name": "Repetida", "product": "", "weight": "0", "unit": unit.pk},
    )
    assert response.status_code == 200
    assert field_error("code", "Ya existe una meta con el código «M1» en este objetivo.") in (
        response.content.decode()
    )
    assert goal.objective.goals.count() == 1


def test_create_action_defaults_unit_and_tags(client, planner, goal):
    client.force_login(planner)
    tags = InstitutionalPlan.objects.filter(code__in=["PETI", "PAV"])
    response = client.post(
        reverse("planning:action-create", args=[goal.pk]),
        {**action_data(), "institutional_plans": [tag.pk for tag in tags]},
    )
    created = Action.objects.get(goal=goal, code="A9")
    assert response["Location"].endswith(f"#actividad-{created.pk}")
    assert created.unit == goal.unit
    assert set(created.institutional_plans.all()) == set(tags)
    assert created.history.first().history_user == planner


def test_create_action_with_end_before_start_shows_spanish_error(client, planner, goal):
    client.force_login(planner)
    response = client.post(
        reverse("planning:action-create", args=[goal.pk]),
        action_data(start_date="2026-05-01", end_date="2026-04-01"),
    )
    assert response.status_code == 200
    assert (
        field_error("end_date", "La fecha de fin no puede ser anterior a la fecha de inicio.")
        in response.content.decode()
    )
    assert not goal.actions.exists()


def test_create_action_outside_plan_years_shows_error(client, planner, goal):
    client.force_login(planner)
    response = client.post(
        reverse("planning:action-create", args=[goal.pk]),
        action_data(start_date="2025-12-01"),
    )
    assert "start_date" in response.context["form"].errors
    assert "La fecha debe estar entre el 01/01/2026 y el 31/12/2026" in (response.content.decode())
    assert not goal.actions.exists()


def test_create_action_responsible_outside_unit_is_refused(client, planner, goal, outsider):
    client.force_login(planner)
    response = client.post(
        reverse("planning:action-create", args=[goal.pk]),
        action_data(unit=goal.unit_id, responsible=outsider.pk),
    )
    assert response.status_code == 200
    assert "no pertenece a la dependencia" in str(response.context["form"].errors["responsible"])
    assert not goal.actions.exists()


def test_create_on_a_closed_plan_shows_the_reason(client, planner, objective):
    StrategicPlan.objects.filter(pk=objective.plan_id).update(status=StrategicPlan.Status.CLOSED)
    client.force_login(planner)
    response = client.post(
        reverse("planning:goal-create", args=[objective.pk]),
        {"code": "M5", "name": "Tarde", "product": "", "weight": "10", "unit": ""},
    )
    assert response.status_code == 200
    assert "está cerrado" in response.content.decode()
    assert not objective.goals.exists()


# --- edit -------------------------------------------------------------------------------


def test_edit_goal_saves_changes(client, planner, goal):
    client.force_login(planner)
    client.post(
        reverse("planning:goal-edit", args=[goal.pk]),
        {"code": "M1", "name": "Meta renombrada", "product": "", "weight": "90", "unit": ""},
    )
    goal.refresh_from_db()
    assert (goal.name, goal.weight, goal.unit_id) == ("Meta renombrada", D("90"), None)


def test_edit_action_bad_weight_is_not_saved(client, planner, action):
    factories.ActionFactory(goal=action.goal, code="A2", weight=D("50"))
    client.force_login(planner)
    response = client.post(
        reverse("planning:action-edit", args=[action.pk]),
        action_data(code="A1", weight="80", start_date="2026-02-01", end_date="2026-11-30"),
    )
    assert response.status_code == 200
    assert "quedan 50 % disponibles y se pidieron 80 %" in response.content.decode()
    action.refresh_from_db()
    assert action.weight == D("50")


def test_edit_without_changes_saves_nothing(client, planner, objective):
    client.force_login(planner)
    before = objective.history.count()
    response = client.post(
        reverse("planning:objective-edit", args=[objective.pk]),
        {"code": "O1", "name": objective.name, "description": "", "weight": "60"},
        follow=True,
    )
    assert "No hubo cambios." in response.content.decode()
    assert objective.history.count() == before


# --- reorder ----------------------------------------------------------------------------


def test_reorder_moves_an_action_up(client, planner, goal):
    factories.ActionFactory(goal=goal, code="A1", weight=D("10"), position=1)
    factories.ActionFactory(goal=goal, code="A2", weight=D("10"), position=2)
    third = factories.ActionFactory(goal=goal, code="A3", weight=D("10"), position=3)
    client.force_login(planner)
    response = client.post(
        reverse("planning:action-reorder", args=[third.pk]),
        {"direction": "up", "archivados": "1"},
    )
    order = list(goal.actions.order_by("position").values_list("code", flat=True))
    assert order == ["A1", "A3", "A2"]
    assert response["Location"].endswith(f"?archivados=1#actividad-{third.pk}")


def test_reorder_skips_hidden_archived_siblings(client, planner, plan):
    one = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("50"), position=1)
    factories.ObjectiveFactory(plan=plan, code="O2", weight=D("0"), position=2, archived=True)
    factories.ObjectiveFactory(plan=plan, code="O3", weight=D("50"), position=3)
    client.force_login(planner)
    client.post(reverse("planning:objective-reorder", args=[one.pk]), {"direction": "down"})
    order = list(plan.objectives.order_by("position").values_list("code", flat=True))
    assert order == ["O2", "O3", "O1"]


def test_reorder_first_item_up_changes_nothing(client, planner, goal):
    first = factories.ActionFactory(goal=goal, code="A1", weight=D("10"), position=1)
    factories.ActionFactory(goal=goal, code="A2", weight=D("10"), position=2)
    client.force_login(planner)
    response = client.post(
        reverse("planning:action-reorder", args=[first.pk]), {"direction": "up"}, follow=True
    )
    assert "ya está en esa posición" in response.content.decode()
    assert list(goal.actions.order_by("position").values_list("code", flat=True)) == [
        "A1",
        "A2",
    ]


def test_reorder_needs_post(client, planner, action):
    client.force_login(planner)
    assert client.get(reverse("planning:action-reorder", args=[action.pk])).status_code == 405


# --- archive / delete ---------------------------------------------------------------------


def test_archive_and_unarchive_a_goal_with_confirmation(client, planner, goal):
    client.force_login(planner)
    url = reverse("planning:goal-archive", args=[goal.pk])
    assert "¿Archivar «M1" in client.get(url).content.decode()
    goal.refresh_from_db()
    assert not goal.archived
    response = client.post(url)
    goal.refresh_from_db()
    assert goal.archived
    assert response["Location"].endswith(f"?archivados=1#meta-{goal.pk}")
    response = client.post(reverse("planning:goal-unarchive", args=[goal.pk]))
    goal.refresh_from_db()
    assert not goal.archived
    assert response["Location"].endswith(f"/#meta-{goal.pk}")


def test_delete_action_after_confirmation(client, planner, action):
    client.force_login(planner)
    url = reverse("planning:action-delete", args=[action.pk])
    page = client.get(url).content.decode()
    assert "¿Eliminar «A1" in page
    assert Action.objects.filter(pk=action.pk).exists()
    response = client.post(url)
    assert response["Location"] == action.goal.objective.plan.get_absolute_url()
    assert not Action.objects.filter(pk=action.pk).exists()


def test_delete_objective_lists_what_goes_with_it(client, planner, action):
    client.force_login(planner)
    objective = action.goal.objective
    response = client.get(reverse("planning:objective-delete", args=[objective.pk]))
    assert ("metas", 1) in response.context["below"]
    assert ("actividades", 1) in response.context["below"]


def test_delete_refused_with_approved_figures_offers_archive(client, planner, action):
    factories.ProgressReportFactory(action=action, status=ReviewStatus.APPROVED)
    client.force_login(planner)
    response = client.post(reverse("planning:goal-delete", args=[action.goal_id]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "porque tiene cifras aprobadas" in body
    archive_url = reverse("planning:goal-archive", args=[action.goal_id])
    assert f'action="{archive_url}"' in body
    assert Goal.objects.filter(pk=action.goal_id).exists()
    client.post(archive_url)
    assert Goal.objects.get(pk=action.goal_id).archived


def test_delete_refused_with_budget_execution(client, planner, action):
    factories.ExecutionFactory(allocation=factories.AllocationFactory(action=action))
    client.force_login(planner)
    response = client.post(reverse("planning:action-delete", args=[action.pk]))
    assert "tiene ejecución presupuestal registrada" in response.content.decode()
    assert Action.objects.filter(pk=action.pk).exists()


# --- permissions ------------------------------------------------------------------------


def edit_urls(plan, objective, goal, action):
    urls = [reverse("planning:objective-create", args=[plan.pk])]
    urls += [reverse("planning:goal-create", args=[objective.pk])]
    urls += [reverse("planning:action-create", args=[goal.pk])]
    for kind, item in (("objective", objective), ("goal", goal), ("action", action)):
        for verb in ("edit", "delete", "archive", "unarchive", "reorder"):
            urls.append(reverse(f"planning:{kind}-{verb}", args=[item.pk]))
    return urls


@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_edit_pages_forbidden_to_other_roles(client, request, persona, plan, action):
    goal, objective = action.goal, action.goal.objective
    client.force_login(request.getfixturevalue(persona))
    for url in edit_urls(plan, objective, goal, action):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"code": "X", "name": "X", "direction": "up"}).status_code == 403
    assert Action.objects.filter(pk=action.pk, archived=False).exists()
    assert Objective.objects.count() == 1 and Goal.objects.count() == 1


def test_edit_pages_open_for_planner(client, planner, plan, action):
    client.force_login(planner)
    goal, objective = action.goal, action.goal.objective
    for url in edit_urls(plan, objective, goal, action):
        if not url.endswith("/mover/"):
            assert client.get(url).status_code == 200, url


def test_edit_pages_send_anonymous_to_login(client, plan, action):
    goal, objective = action.goal, action.goal.objective
    for url in edit_urls(plan, objective, goal, action):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_moving_an_action_returns_to_the_page_of_its_branch_that_shows_it(client, planner):
    """60 actions in one goal, one archived: the 59 live ones take two pages of 50; the
    last moves up and the tree opens on page 2 of the goal's branch, where it is."""
    plan = build_plan(60, actions_per_goal=60)
    goal = plan.objectives.get(code="O1").goals.get()
    last = goal.actions.get(code="A59")
    client.force_login(planner)
    response = client.post(reverse("planning:action-reorder", args=[last.pk]), {"direction": "up"})
    branch = reverse("planning:goal-branch", args=[goal.pk])
    assert response["Location"] == f"{branch}?page=2#actividad-{last.pk}"
    first = goal.actions.get(code="A0")
    response = client.post(
        reverse("planning:action-reorder", args=[first.pk]), {"direction": "down"}
    )
    assert response["Location"] == f"{branch}#actividad-{first.pk}"
