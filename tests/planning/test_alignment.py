"""Alignment (MIPG.md §3): an objective of a serving plan serves an objective of the plan
its plan serves (``plan.parent``)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from planning import services
from tests import factories

D = Decimal


@pytest.fixture
def pei(db):
    return factories.PlanFactory(name="PEI 2024-2027", kind="pei", start_year=2024, end_year=2027)


@pytest.fixture
def pei_objective(pei):
    return factories.ObjectiveFactory(plan=pei, code="PEI-1", weight=D("50"))


@pytest.fixture
def action_plan(pei):
    return factories.PlanFactory(
        name="Plan de Acción 2026", start_year=2026, end_year=2026, parent=pei
    )


@pytest.mark.django_db
def test_create_objective_aligned_to_parent_plan_objective(planner, action_plan, pei_objective):
    objective = services.create_objective(
        action_plan, by=planner, code="O1", name="Talento", weight=D("40"), serves=pei_objective
    )

    objective.refresh_from_db()
    assert objective.serves == pei_objective
    assert list(pei_objective.served_by.all()) == [objective]


@pytest.mark.django_db
def test_objective_of_another_plan_refused_next_to_field(planner, action_plan, pei):
    other = factories.PlanFactory(name="Otro PEI", start_year=2024, end_year=2027)
    foreign = factories.ObjectiveFactory(plan=other, code="X1")

    with pytest.raises(ValidationError) as exc:
        services.create_objective(
            action_plan, by=planner, code="O1", name="Talento", weight=D("40"), serves=foreign
        )

    assert exc.value.message_dict == {
        "serves": ["El objetivo debe ser del plan al que sirve este plan (PEI 2024-2027)."]
    }
    assert not action_plan.objectives.exists()


@pytest.mark.django_db
def test_plan_serving_no_plan_cannot_align(planner, pei, pei_objective):
    with pytest.raises(ValidationError) as exc:
        services.create_objective(
            pei, by=planner, code="PEI-2", name="Finanzas", weight=D("50"), serves=pei_objective
        )

    assert exc.value.message_dict == {
        "serves": [
            "El plan «PEI 2024-2027» no sirve a otro plan: su objetivo no puede alinearse a uno."
        ]
    }


@pytest.mark.django_db
def test_update_objective_alignment_and_clear(planner, action_plan, pei, pei_objective):
    second = factories.ObjectiveFactory(plan=pei, code="PEI-2", weight=D("50"))
    objective = factories.ObjectiveFactory(plan=action_plan, code="O1", serves=pei_objective)

    services.update_objective(objective, by=planner, serves=second)
    objective.refresh_from_db()
    assert objective.serves == second
    assert objective.history.first().serves_id == second.pk

    services.update_objective(objective, by=planner, serves=None)
    objective.refresh_from_db()
    assert objective.serves is None


@pytest.mark.django_db
def test_update_to_archived_target_refused(planner, action_plan, pei):
    archived = factories.ObjectiveFactory(plan=pei, code="PEI-9", archived=True)
    objective = factories.ObjectiveFactory(plan=action_plan, code="O1")

    with pytest.raises(ValidationError) as exc:
        services.update_objective(objective, by=planner, serves=archived)

    assert exc.value.message_dict == {"serves": [f"El objetivo «{archived}» está archivado."]}
    objective.refresh_from_db()
    assert objective.serves is None


# --- form and API ------------------------------------------------------------------------


def objective_data(**overrides):
    return {"code": "O1", "name": "Talento", "description": "", "weight": "40", **overrides}


@pytest.mark.django_db
def test_objective_form_offers_the_served_plan_objectives(client, planner, action_plan, pei):
    first = factories.ObjectiveFactory(plan=pei, code="PEI-1")
    factories.ObjectiveFactory(plan=pei, code="PEI-9", archived=True)
    factories.ObjectiveFactory(code="X1")  # another plan's
    client.force_login(planner)

    form = client.get(reverse("planning:objective-create", args=[action_plan.pk])).context["form"]

    assert list(form.fields["serves"].queryset) == [first]
    assert form.fields["serves"].label == "Objetivo al que sirve"


@pytest.mark.django_db
def test_objective_form_without_served_plan_has_no_alignment(client, planner, pei):
    client.force_login(planner)

    form = client.get(reverse("planning:objective-create", args=[pei.pk])).context["form"]

    assert "serves" not in form.fields


@pytest.mark.django_db
def test_create_and_edit_objective_alignment_in_the_form(client, planner, action_plan, pei):
    first = factories.ObjectiveFactory(plan=pei, code="PEI-1")
    second = factories.ObjectiveFactory(plan=pei, code="PEI-2")
    client.force_login(planner)

    client.post(
        reverse("planning:objective-create", args=[action_plan.pk]),
        objective_data(serves=first.pk),
    )
    objective = action_plan.objectives.get()
    assert objective.serves == first

    client.post(
        reverse("planning:objective-edit", args=[objective.pk]),
        objective_data(serves=second.pk),
    )
    objective.refresh_from_db()
    assert objective.serves == second


@pytest.mark.django_db
def test_api_objective_alignment_error_is_a_field_error(client_for, planner, action_plan):
    foreign = factories.ObjectiveFactory(code="X1")

    response = client_for(planner).post(
        "/api/v1/objectives/",
        {
            "plan": action_plan.pk,
            "code": "O1",
            "name": "Talento",
            "weight": "40",
            "serves": foreign.pk,
        },
    )

    assert response.status_code == 400
    assert response.json()["errors"]["serves"] == [
        "El objetivo debe ser del plan al que sirve este plan (PEI 2024-2027)."
    ]
