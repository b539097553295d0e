"""An action's product quantity target ("4 capacitaciones", issue #8 §2): optional, a
positive number and its unit together; editable in the form and the API through the same
service; a change after approval needs a reason and makes a plan version, like a weight;
shown on the action page."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from planning import services
from planning.models import Action, PlanVersion
from tests import factories
from tests.builders import approved_3_of_4

pytestmark = pytest.mark.django_db

NEED_UNIT = "Indique la unidad de la meta de cantidad (por ejemplo, «capacitaciones»)."
NEED_TARGET = "Indique la meta de cantidad en «capacitaciones» o deje la unidad vacía: van juntas."
NOT_POSITIVE = "La meta de cantidad debe ser mayor que cero."
NO_REASON = (
    "El plan «Plan de Acción 2026» está aprobado: indique el motivo del cambio (queda en una "
    "nueva versión del plan)."
)


def create(goal, planner, **fields):
    return services.create_action(
        goal,
        by=planner,
        code="A9",
        name="Capacitar a los enlaces",
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2026, 6, 30),
        weight=D("10"),
        **fields,
    )


# --- service ---------------------------------------------------------------------------------


def test_create_action_with_a_quantity_target(planner, goal):
    action = create(goal, planner, quantity_target=D("4"), quantity_unit="  capacitaciones ")

    action.refresh_from_db()
    assert (action.quantity_target, action.quantity_unit) == (D("4"), "capacitaciones")


def test_action_without_quantity_target_by_default(planner, goal):
    action = create(goal, planner)

    assert (action.quantity_target, action.quantity_unit) == (None, "")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"quantity_target": D("4")}, {"quantity_unit": [NEED_UNIT]}),
        ({"quantity_target": D("4"), "quantity_unit": "   "}, {"quantity_unit": [NEED_UNIT]}),
        ({"quantity_unit": "capacitaciones"}, {"quantity_target": [NEED_TARGET]}),
        (
            {"quantity_target": D("0"), "quantity_unit": "talleres"},
            {"quantity_target": [NOT_POSITIVE]},
        ),
        (
            {"quantity_target": D("-3"), "quantity_unit": "talleres"},
            {"quantity_target": [NOT_POSITIVE]},
        ),
    ],
)
def test_quantity_target_and_unit_both_or_neither_and_positive(planner, goal, fields, errors):
    with pytest.raises(ValidationError) as exc:
        create(goal, planner, **fields)

    assert exc.value.message_dict == errors
    assert not Action.objects.filter(code="A9").exists()


def test_clearing_both_removes_the_target(planner, action):
    Action.objects.filter(pk=action.pk).update(quantity_target=D("4"), quantity_unit="talleres")
    action.refresh_from_db()

    services.update_action(action, by=planner, quantity_target=None, quantity_unit="")

    action.refresh_from_db()
    assert (action.quantity_target, action.quantity_unit) == (None, "")


def test_quantity_target_change_after_approval_needs_a_reason(planner, approved, action):
    with pytest.raises(ValidationError) as exc:
        services.update_action(
            action, by=planner, quantity_target=D("4"), quantity_unit="capacitaciones"
        )

    assert exc.value.message_dict == {"reason": [NO_REASON]}
    assert Action.objects.get(pk=action.pk).quantity_target is None


def test_quantity_target_change_after_approval_makes_a_version(planner, approved, action):
    services.update_action(
        action, by=planner, quantity_target=D("4"), quantity_unit="capacitaciones", reason="PIC"
    )
    services.update_action(action, by=planner, quantity_target=D("4.5"), reason="Comité 3")

    first, second = approved.versions.order_by("number")
    assert first.changes == [
        {"item": str(action), "what": "quantity_target", "old": "", "new": "4"},
        {"item": str(action), "what": "quantity_unit", "old": "", "new": "capacitaciones"},
    ]
    assert second.changes == [
        {"item": str(action), "what": "quantity_target", "old": "4", "new": "4,5"}
    ]
    assert [row["label"] for row in first.change_rows()] == [
        "meta de cantidad",
        "unidad de la meta de cantidad",
    ]


def test_quantity_target_on_a_draft_plan_makes_no_version(planner, action):
    services.update_action(
        action, by=planner, quantity_target=D("4"), quantity_unit="capacitaciones"
    )

    assert not PlanVersion.objects.exists()


# --- form ------------------------------------------------------------------------------------


def action_data(**overrides):
    data = {
        "code": "A9",
        "name": "Capacitar a los enlaces",
        "start_date": "2026-02-01",
        "end_date": "2026-06-30",
        "weight": "10",
    }
    return {**data, **overrides}


def test_form_creates_an_action_with_its_quantity_target(client, planner, goal):
    client.force_login(planner)

    client.post(
        reverse("planning:action-create", args=[goal.pk]),
        action_data(quantity_target="4", quantity_unit="capacitaciones"),
    )

    created = Action.objects.get(code="A9")
    assert (created.quantity_target, created.quantity_unit) == (D("4"), "capacitaciones")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"quantity_target": "4"}, {"quantity_unit": [NEED_UNIT]}),
        ({"quantity_unit": "capacitaciones"}, {"quantity_target": [NEED_TARGET]}),
        (
            {"quantity_target": "0", "quantity_unit": "talleres"},
            {"quantity_target": [NOT_POSITIVE]},
        ),
    ],
)
def test_form_shows_the_quantity_errors_beside_their_fields(client, planner, goal, fields, errors):
    client.force_login(planner)

    response = client.post(reverse("planning:action-create", args=[goal.pk]), action_data(**fields))

    assert response.context["form"].errors == errors
    message = next(iter(errors.values()))[0]
    field = next(iter(errors))
    assert f'<p id="error_1_id_{field}"><strong>{message}</strong></p>' in (
        response.content.decode()
    )
    assert not Action.objects.filter(code="A9").exists()


def test_edit_form_shows_the_current_quantity_target(client, planner, action):
    Action.objects.filter(pk=action.pk).update(quantity_target=D("4"), quantity_unit="talleres")
    client.force_login(planner)

    form = client.get(reverse("planning:action-edit", args=[action.pk])).context["form"]

    assert (form.initial["quantity_target"], form.initial["quantity_unit"]) == (D("4"), "talleres")


# --- API -------------------------------------------------------------------------------------


def test_api_sets_and_reads_the_quantity_target(client_for, planner, action):
    response = client_for(planner).patch(
        f"/api/v1/actions/{action.pk}/",
        {"quantity_target": "4", "quantity_unit": "capacitaciones"},
    )

    assert response.status_code == 200
    assert (response.json()["quantity_target"], response.json()["quantity_unit"]) == (
        "4.00",
        "capacitaciones",
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"quantity_target": "4"}, {"quantity_unit": [NEED_UNIT]}),
        ({"quantity_unit": "capacitaciones"}, {"quantity_target": [NEED_TARGET]}),
        (
            {"quantity_target": "-1", "quantity_unit": "talleres"},
            {"quantity_target": [NOT_POSITIVE]},
        ),
    ],
)
def test_api_quantity_target_field_errors(client_for, planner, action, body, errors):
    response = client_for(planner).patch(f"/api/v1/actions/{action.pk}/", body)

    assert (response.status_code, response.json()["errors"]) == (400, errors)
    assert Action.objects.get(pk=action.pk).quantity_target is None


def test_api_quantity_target_after_approval_needs_a_reason(client_for, planner, approved, action):
    body = {"quantity_target": "4", "quantity_unit": "capacitaciones"}

    refused = client_for(planner).patch(f"/api/v1/actions/{action.pk}/", body)
    accepted = client_for(planner).patch(
        f"/api/v1/actions/{action.pk}/", {**body, "reason": "Acta 7"}
    )

    assert refused.json()["errors"] == {"reason": [NO_REASON]}
    assert accepted.status_code == 200
    assert approved.versions.get().reason == "Acta 7"


# --- action page -----------------------------------------------------------------------------


def test_action_page_shows_the_target_and_the_quantity_delivered(client, planner, action):
    Action.objects.filter(pk=action.pk).update(
        quantity_target=D("4"), quantity_unit="capacitaciones"
    )
    period = factories.PeriodFactory(
        plan=action.goal.objective.plan,
        label="T1 2026",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 3, 31),
    )
    approved_3_of_4(action, period)
    client.force_login(planner)

    page = client.get(reverse("planning:action-detail", args=[action.pk])).content.decode()

    assert '<dt class="col-sm-3">Meta de cantidad</dt><dd class="col-sm-9">4 capacitaciones' in page
    # the physical progress of the facts and the report's row in the table
    assert page.count("3 de 4 capacitaciones (75,00 %)") == 2
