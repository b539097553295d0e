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


def create_item(kind, plan, *, by, serves):
    """Create an objective of `plan`, or a goal of a new objective of `plan`, serving
    `serves`; return (the service's call, what the plan holds of that kind)."""
    if kind == "objective":
        return (
            lambda: services.create_objective(
                plan, by=by, code="O9", name="Talento", weight=D("40"), serves=serves
            ),
            plan.objectives,
        )
    objective = factories.ObjectiveFactory(plan=plan, code="O8")
    return (
        lambda: services.create_goal(
            objective, by=by, code="M9", name="Capacitar", weight=D("40"), serves=serves
        ),
        objective.goals,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["objective", "goal"])
def test_objective_of_another_plan_refused_next_to_field(planner, action_plan, pei, kind):
    other = factories.PlanFactory(name="Otro PEI", start_year=2024, end_year=2027)
    foreign = factories.ObjectiveFactory(plan=other, code="X1")
    create, items = create_item(kind, action_plan, by=planner, serves=foreign)

    with pytest.raises(ValidationError) as exc:
        create()

    assert exc.value.message_dict == {
        "serves": ["El objetivo debe ser del plan al que sirve este plan (PEI 2024-2027)."]
    }
    assert not items.filter(code__in=["O9", "M9"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "word"), [("objective", "objetivo"), ("goal", "meta")])
def test_plan_serving_no_plan_cannot_align(planner, pei, pei_objective, kind, word):
    create, _items = create_item(kind, pei, by=planner, serves=pei_objective)

    with pytest.raises(ValidationError) as exc:
        create()

    assert exc.value.message_dict == {
        "serves": [
            f"El plan «PEI 2024-2027» no sirve a otro plan: su {word} no puede alinearse a uno."
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
@pytest.mark.parametrize("kind", ["objective", "goal"])
def test_form_without_served_plan_has_no_alignment(client, planner, pei, pei_objective, kind):
    parent = pei if kind == "objective" else pei_objective
    client.force_login(planner)

    form = client.get(reverse(f"planning:{kind}-create", args=[parent.pk])).context["form"]

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


# --- goals (issue 8 §4): a goal may serve an objective of its own --------------------------


@pytest.fixture
def action_objective(action_plan, pei_objective):
    return factories.ObjectiveFactory(plan=action_plan, code="O1", serves=pei_objective)


@pytest.mark.django_db
def test_create_goal_aligned_to_another_parent_plan_objective(planner, action_objective, pei):
    second = factories.ObjectiveFactory(plan=pei, code="PEI-2", weight=D("50"))

    goal = services.create_goal(
        action_objective, by=planner, code="M1", name="Capacitar", weight=D("40"), serves=second
    )

    goal.refresh_from_db()
    assert goal.serves == second
    assert list(second.served_by_goals.all()) == [goal]


@pytest.mark.django_db
def test_update_goal_alignment_archived_target_refused_and_clear(planner, action_objective, pei):
    second = factories.ObjectiveFactory(plan=pei, code="PEI-2")
    archived = factories.ObjectiveFactory(plan=pei, code="PEI-9", archived=True)
    goal = factories.GoalFactory(objective=action_objective, code="M1")

    services.update_goal(goal, by=planner, serves=second)
    goal.refresh_from_db()
    assert goal.serves == second
    assert goal.history.first().serves_id == second.pk

    with pytest.raises(ValidationError) as exc:
        services.update_goal(goal, by=planner, serves=archived)
    assert exc.value.message_dict == {"serves": [f"El objetivo «{archived}» está archivado."]}
    goal.refresh_from_db()
    assert goal.serves == second

    services.update_goal(goal, by=planner, serves=None)
    goal.refresh_from_db()
    assert goal.serves is None


def goal_data(**overrides):
    return {"code": "M1", "name": "Capacitar", "product": "", "weight": "40", **overrides}


@pytest.mark.django_db
def test_goal_form_offers_the_served_plan_objectives_and_saves_them(
    client, planner, action_objective, pei, pei_objective
):
    second = factories.ObjectiveFactory(plan=pei, code="PEI-2")
    factories.ObjectiveFactory(plan=pei, code="PEI-9", archived=True)
    factories.ObjectiveFactory(code="X1")  # another plan's
    client.force_login(planner)
    create_url = reverse("planning:goal-create", args=[action_objective.pk])

    form = client.get(create_url).context["form"]
    assert list(form.fields["serves"].queryset) == [pei_objective, second]
    assert form.fields["serves"].label == "Objetivo al que sirve"

    client.post(create_url, goal_data(serves=second.pk))
    goal = action_objective.goals.get()
    assert goal.serves == second

    client.post(reverse("planning:goal-edit", args=[goal.pk]), goal_data(serves=""))
    goal.refresh_from_db()
    assert goal.serves is None


@pytest.mark.django_db
def test_api_goal_alignment_set_read_filtered_and_refused(
    client_for, planner, action_objective, pei_objective
):
    api = client_for(planner)
    foreign = factories.ObjectiveFactory(code="X1")

    def post(serves):
        data = {"objective": action_objective.pk, "code": "M1", "name": "C", "weight": "40"}
        return api.post("/api/v1/goals/", {**data, "serves": serves.pk})

    refused = post(foreign)
    created = post(pei_objective)

    assert refused.status_code == 400
    assert refused.json()["errors"]["serves"] == [
        "El objetivo debe ser del plan al que sirve este plan (PEI 2024-2027)."
    ]
    assert created.json()["serves"] == pei_objective.pk
    serving_goals = api.get(f"/api/v1/goals/?serves={pei_objective.pk}").json()["results"]
    serving_objectives = api.get(f"/api/v1/objectives/?serves={pei_objective.pk}").json()
    assert [g["code"] for g in serving_goals] == ["M1"]
    assert [o["code"] for o in serving_objectives["results"]] == ["O1"]
