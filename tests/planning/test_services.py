"""Plans and the objective → goal → action tree (planning.services)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from mipg.core.models import InstitutionalPlan
from planning import services
from planning.models import Action, Goal, Objective, StrategicPlan
from tests import factories
from tests.builders import closed_plan_message

D = Decimal
OUTSIDE_2026 = "La fecha debe estar entre el 01/01/2026 y el 31/12/2026 (años del plan)."


def action_kwargs(**overrides):
    values = {
        "code": "A1",
        "name": "Actualizar el PINAR",
        "start_date": datetime.date(2026, 2, 1),
        "end_date": datetime.date(2026, 6, 30),
        "weight": D("60"),
    }
    values.update(overrides)
    return values


# --- Plans -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_plan_saves_draft_and_history(planner):
    plan = services.create_plan(
        by=planner, name="PEI 2026-2029", kind="pei", start_year=2026, end_year=2029
    )

    plan.refresh_from_db()
    assert (plan.name, plan.kind, plan.status) == ("PEI 2026-2029", "pei", "draft")
    assert (plan.start_year, plan.end_year) == (2026, 2029)
    assert plan.history.count() == 1
    assert plan.history.first().history_user == planner


@pytest.mark.django_db
def test_create_plan_end_year_before_start_refused(planner):
    with pytest.raises(ValidationError) as exc:
        services.create_plan(by=planner, name="PEI", start_year=2027, end_year=2026)

    assert exc.value.message_dict == {
        "end_year": ["El año final no puede ser anterior al año inicial."]
    }
    assert StrategicPlan.objects.count() == 0


@pytest.mark.django_db
def test_create_plan_missing_name_is_field_error(planner):
    with pytest.raises(ValidationError) as exc:
        services.create_plan(by=planner, name="", start_year=2026, end_year=2026)

    assert set(exc.value.message_dict) == {"name"}
    assert StrategicPlan.objects.count() == 0


@pytest.mark.django_db
def test_create_plan_unknown_field_is_programming_error(planner):
    with pytest.raises(TypeError):
        services.create_plan(by=planner, name="P", start_year=2026, end_year=2026, status="closed")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["responsible", "outsider", "director", "auditor"])
def test_create_plan_without_permission_refused(request, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.create_plan(by=user, name="P", start_year=2026, end_year=2026)

    assert StrategicPlan.objects.count() == 0


@pytest.mark.django_db
def test_create_plan_by_admin_allowed(admin_user):
    plan = services.create_plan(by=admin_user, name="P", start_year=2026, end_year=2026)

    assert StrategicPlan.objects.get().pk == plan.pk


@pytest.mark.django_db
def test_update_plan_changes_fields_and_records_history(planner, plan):
    services.update_plan(plan, by=planner, name="Plan de Acción 2026 v2", description="Ajuste")

    plan.refresh_from_db()
    assert (plan.name, plan.description) == ("Plan de Acción 2026 v2", "Ajuste")
    assert plan.history.count() == 2
    assert plan.history.first().history_user == planner


@pytest.mark.django_db
def test_update_plan_parent_to_itself_refused(planner, plan):
    with pytest.raises(ValidationError) as exc:
        services.update_plan(plan, by=planner, parent=plan)

    assert "parent" in exc.value.message_dict
    plan.refresh_from_db()
    assert plan.parent_id is None


@pytest.mark.django_db
def test_update_plan_parent_cycle_refused(planner):
    pei = factories.PlanFactory(kind="pei", start_year=2026, end_year=2029)
    action_plan = factories.PlanFactory(parent=pei)
    grandchild = factories.PlanFactory(parent=action_plan)

    with pytest.raises(ValidationError) as exc:
        services.update_plan(pei, by=planner, parent=grandchild)

    assert exc.value.message_dict == {
        "parent": ["Un plan no puede servir a sí mismo ni a uno de sus planes derivados."]
    }
    pei.refresh_from_db()
    assert pei.parent_id is None


@pytest.mark.django_db
def test_update_plan_parent_without_cycle_accepted(planner, plan):
    pei = factories.PlanFactory(kind="pei", start_year=2026, end_year=2029)

    services.update_plan(plan, by=planner, parent=pei)

    plan.refresh_from_db()
    assert plan.parent_id == pei.pk


@pytest.mark.django_db
def test_update_plan_years_leaving_content_outside_refused(planner, plan, goal):
    factories.ActionFactory(goal=goal)  # 2026-02-01 … 2026-11-30
    factories.PeriodFactory(plan=plan)  # 2026-01-01 … 2026-03-31

    with pytest.raises(ValidationError) as exc:
        services.update_plan(plan, by=planner, start_year=2027, end_year=2027)

    assert exc.value.message_dict == {
        "start_year": [
            "Con ese año quedarían fuera del plan 1 actividad(es) y 1 periodo(s); "
            "ajuste primero sus fechas."
        ]
    }
    plan.refresh_from_db()
    assert (plan.start_year, plan.end_year) == (2026, 2026)


@pytest.mark.django_db
def test_update_plan_extending_years_accepted(planner, plan, goal):
    factories.ActionFactory(goal=goal)

    services.update_plan(plan, by=planner, end_year=2027)

    plan.refresh_from_db()
    assert plan.end_year == 2027


@pytest.mark.django_db
def test_update_plan_closed_refused(planner, plan):
    StrategicPlan.objects.filter(pk=plan.pk).update(status="closed")

    with pytest.raises(ValidationError) as exc:
        services.update_plan(plan, by=planner, name="Otro nombre")

    assert "está cerrado" in exc.value.messages[0]
    plan.refresh_from_db()
    assert plan.name == "Plan de Acción 2026"


@pytest.mark.django_db
def test_approve_plan_by_director(director, plan):
    services.approve_plan(plan, by=director)

    plan.refresh_from_db()
    assert plan.status == "approved"
    assert plan.approved_by == director
    assert plan.approved_at is not None
    assert plan.history.count() == 2


@pytest.mark.django_db
def test_approve_plan_by_planner_refused(planner, plan):
    with pytest.raises(PermissionDenied) as exc:
        services.approve_plan(plan, by=planner)

    assert str(exc.value) == "Solo la alta dirección aprueba planes."
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == ("draft", None)


@pytest.mark.django_db
def test_close_plan_by_director(director, plan):
    services.approve_plan(plan, by=director)

    services.close_plan(plan, by=director)

    plan.refresh_from_db()
    assert plan.status == "closed"
    assert plan.history.count() == 3


@pytest.mark.django_db
def test_close_plan_by_planner_refused(planner, plan):
    StrategicPlan.objects.filter(pk=plan.pk).update(status="approved")

    with pytest.raises(PermissionDenied):
        services.close_plan(plan, by=planner)

    plan.refresh_from_db()
    assert plan.status == "approved"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("service", "status", "message"),
    [
        (
            "approve_plan",
            "approved",
            "Solo se puede aprobar un plan en borrador; este está «Aprobado».",
        ),
        (
            "approve_plan",
            "closed",
            "Solo se puede aprobar un plan en borrador; este está «Cerrado».",
        ),
        ("close_plan", "draft", "Solo se puede cerrar un plan aprobado; este está «Borrador»."),
        ("close_plan", "closed", "Solo se puede cerrar un plan aprobado; este está «Cerrado»."),
    ],
)
def test_plan_illegal_transition_refused(director, plan, service, status, message):
    StrategicPlan.objects.filter(pk=plan.pk).update(status=status)

    with pytest.raises(ValidationError) as exc:
        getattr(services, service)(plan, by=director)

    assert exc.value.messages == [message]
    plan.refresh_from_db()
    assert plan.status == status


# --- Objectives --------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_objective_with_policies_and_position(planner, plan):
    first = services.create_objective(
        plan,
        by=planner,
        code="O1",
        name="Fortalecer la planeación",
        weight=D("60"),
        policies=[factories.policy("P03"), factories.policy("P04")],
    )
    second = services.create_objective(plan, by=planner, code="O2", name="Otro", weight="40")

    first.refresh_from_db()
    assert sorted(first.policies.values_list("code", flat=True)) == ["P03", "P04"]
    assert (first.position, second.position) == (1, 2)
    assert second.weight == D("40")
    # One record for the insert, one for the policies.
    assert first.history.count() == 2
    assert sorted(first.history.first().policies.values_list("policy__code", flat=True)) == [
        "P03",
        "P04",
    ]


@pytest.mark.django_db
def test_sibling_weights_60_plus_40_accepted(planner, plan):
    services.create_objective(plan, by=planner, code="O1", name="Uno", weight=D("60"))
    services.create_objective(plan, by=planner, code="O2", name="Dos", weight=D("40"))

    assert sorted(plan.objectives.values_list("weight", flat=True)) == [D("40"), D("60")]


@pytest.mark.django_db
def test_sibling_weights_60_plus_50_refused(planner, plan):
    services.create_objective(plan, by=planner, code="O1", name="Uno", weight=D("60"))

    with pytest.raises(ValidationError) as exc:
        services.create_objective(plan, by=planner, code="O2", name="Dos", weight=D("50"))

    assert exc.value.message_dict == {
        "weight": [
            "Los demás objetivos del plan ya suman 60 %; quedan 40 % disponibles y se "
            "pidieron 50 %."
        ]
    }
    assert list(plan.objectives.values_list("code", flat=True)) == ["O1"]


@pytest.mark.django_db
def test_sibling_weights_decimals_refused_over_100(planner, objective):
    for code, weight in [("M1", "33.33"), ("M2", "33.33"), ("M3", "33.34")]:
        services.create_goal(objective, by=planner, code=code, name=code, weight=D(weight))

    with pytest.raises(ValidationError) as exc:
        services.create_goal(objective, by=planner, code="M4", name="M4", weight=D("0.01"))

    assert exc.value.message_dict == {
        "weight": [
            "Las demás metas del objetivo ya suman 100 %; quedan 0 % disponibles y se "
            "pidieron 0,01 %."
        ]
    }
    assert objective.goals.count() == 3


@pytest.mark.django_db
def test_sibling_weights_ignore_archived_siblings(planner, plan):
    factories.ObjectiveFactory(plan=plan, code="O1", weight=D("70"), archived=True)

    services.create_objective(plan, by=planner, code="O2", name="Dos", weight=D("100"))

    assert plan.objectives.filter(archived=False).get().weight == D("100")


@pytest.mark.django_db
def test_update_objective_weight_counts_other_siblings_only(planner, plan):
    first = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("60"))
    second = factories.ObjectiveFactory(plan=plan, code="O2", weight=D("40"))

    services.update_objective(first, by=planner, weight=D("55"))
    with pytest.raises(ValidationError) as exc:
        services.update_objective(second, by=planner, weight=D("45.5"))

    assert exc.value.message_dict == {
        "weight": [
            "Los demás objetivos del plan ya suman 55 %; quedan 45 % disponibles y se "
            "pidieron 45,5 %."
        ]
    }
    second.refresh_from_db()
    assert (first.weight, second.weight) == (D("55"), D("40"))


@pytest.mark.django_db
@pytest.mark.parametrize("weight", [D("-1"), D("100.01")])
def test_create_objective_weight_out_of_range_refused(planner, plan, weight):
    with pytest.raises(ValidationError) as exc:
        services.create_objective(plan, by=planner, code="O1", name="Uno", weight=weight)

    assert set(exc.value.message_dict) == {"weight"}
    assert plan.objectives.count() == 0


@pytest.mark.django_db
def test_create_objective_duplicate_code_is_field_error(planner, plan):
    factories.ObjectiveFactory(plan=plan, code="O1", weight=D("10"))

    with pytest.raises(ValidationError) as exc:
        services.create_objective(plan, by=planner, code=" O1 ", name="Otro", weight=D("10"))

    assert exc.value.message_dict == {
        "code": ["Ya existe un objetivo con el código «O1» en este plan."]
    }
    assert plan.objectives.count() == 1


@pytest.mark.django_db
def test_create_objective_same_code_in_other_plan_accepted(planner, plan):
    factories.ObjectiveFactory(code="O1", weight=D("10"))

    objective = services.create_objective(plan, by=planner, code="O1", name="Uno", weight=10)

    assert Objective.objects.filter(code="O1").count() == 2
    assert objective.plan_id == plan.pk


@pytest.mark.django_db
def test_update_objective_to_sibling_code_refused(planner, plan):
    factories.ObjectiveFactory(plan=plan, code="O1", weight=D("10"))
    second = factories.ObjectiveFactory(plan=plan, code="O2", weight=D("10"))

    with pytest.raises(ValidationError) as exc:
        services.update_objective(second, by=planner, code="O1")

    assert set(exc.value.message_dict) == {"code"}
    second.refresh_from_db()
    assert second.code == "O2"


@pytest.mark.django_db
def test_update_objective_policies_recorded_in_history(planner, objective):
    services.update_objective(
        objective, by=planner, name="Nuevo", policies=[factories.policy("P16")]
    )

    objective.refresh_from_db()
    assert objective.name == "Nuevo"
    assert list(objective.policies.values_list("code", flat=True)) == ["P16"]
    latest = objective.history.first()
    assert list(latest.policies.values_list("policy__code", flat=True)) == ["P16"]
    assert latest.history_user == planner


@pytest.mark.django_db
def test_create_objective_in_closed_plan_refused(planner, plan):
    StrategicPlan.objects.filter(pk=plan.pk).update(status="closed")

    with pytest.raises(ValidationError) as exc:
        services.create_objective(plan, by=planner, code="O1", name="Uno", weight=D("10"))

    assert exc.value.messages == [closed_plan_message("Plan de Acción 2026")]
    assert plan.objectives.count() == 0


@pytest.mark.django_db
def test_create_objective_in_approved_plan_accepted(planner, plan):
    StrategicPlan.objects.filter(pk=plan.pk).update(status="approved")

    services.create_objective(
        plan, by=planner, code="O1", name="Uno", weight=D("10"), reason="Ajuste del comité"
    )

    assert plan.objectives.count() == 1
    assert plan.versions.get().reason == "Ajuste del comité"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_create_objective_without_permission_refused(request, plan, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.create_objective(plan, by=user, code="O1", name="Uno", weight=D("10"))

    assert plan.objectives.count() == 0


# --- Goals -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_goal_saves_with_unit_and_history(planner, objective, unit):
    goal = services.create_goal(
        objective, by=planner, code="M1", name="Meta", weight=D("100"), product="PINAR", unit=unit
    )

    goal.refresh_from_db()
    assert (goal.objective_id, goal.unit_id, goal.product, goal.position) == (
        objective.pk,
        unit.pk,
        "PINAR",
        1,
    )
    assert goal.history.count() == 1


@pytest.mark.django_db
def test_goal_weights_60_plus_50_refused(planner, objective):
    factories.GoalFactory(objective=objective, code="M1", weight=D("60"))

    with pytest.raises(ValidationError) as exc:
        services.create_goal(objective, by=planner, code="M2", name="Dos", weight=D("50"))

    assert exc.value.message_dict == {
        "weight": [
            "Las demás metas del objetivo ya suman 60 %; quedan 40 % disponibles y se "
            "pidieron 50 %."
        ]
    }
    assert objective.goals.count() == 1


@pytest.mark.django_db
def test_create_goal_duplicate_code_is_field_error(planner, goal):
    with pytest.raises(ValidationError) as exc:
        services.create_goal(goal.objective, by=planner, code="M1", name="Otra", weight=D("0"))

    assert exc.value.message_dict == {
        "code": ["Ya existe una meta con el código «M1» en este objetivo."]
    }
    assert Goal.objects.count() == 1


@pytest.mark.django_db
def test_create_goal_under_archived_objective_refused(planner, plan):
    objective = factories.ObjectiveFactory(plan=plan, code="O1", archived=True)

    with pytest.raises(ValidationError) as exc:
        services.create_goal(objective, by=planner, code="M1", name="Meta", weight=D("10"))

    assert "está archivado" in exc.value.messages[0]
    assert Goal.objects.count() == 0


@pytest.mark.django_db
def test_update_goal_weight_over_100_refused(planner, objective):
    factories.GoalFactory(objective=objective, code="M1", weight=D("60"))
    second = factories.GoalFactory(objective=objective, code="M2", weight=D("40"))

    with pytest.raises(ValidationError) as exc:
        services.update_goal(second, by=planner, weight=D("41"))

    assert "ya suman 60 %; quedan 40 %" in exc.value.message_dict["weight"][0]
    second.refresh_from_db()
    assert second.weight == D("40")


@pytest.mark.django_db
def test_create_goal_in_closed_plan_refused(planner, plan, objective):
    StrategicPlan.objects.filter(pk=plan.pk).update(status="closed")

    with pytest.raises(ValidationError):
        services.create_goal(objective, by=planner, code="M9", name="Meta", weight=D("0"))

    assert Goal.objects.count() == 0


# --- Actions -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_action_defaults_unit_and_tags_plans(planner, goal, unit, responsible):
    tags = list(InstitutionalPlan.objects.filter(code__in=["PINAR", "PETI"]))
    action = services.create_action(
        goal,
        by=planner,
        **action_kwargs(responsible=responsible, institutional_plans=tags, deliverable="Acta"),
    )

    action.refresh_from_db()
    assert action.unit_id == unit.pk
    assert action.responsible_id == responsible.pk
    assert action.deliverable == "Acta"
    assert sorted(action.institutional_plans.values_list("code", flat=True)) == ["PETI", "PINAR"]
    assert action.history.count() == 2


@pytest.mark.django_db
def test_action_weights_60_plus_40_accepted_and_50_refused(planner, goal):
    services.create_action(goal, by=planner, **action_kwargs(code="A1", weight=D("60")))
    services.create_action(goal, by=planner, **action_kwargs(code="A2", weight=D("40")))

    with pytest.raises(ValidationError) as exc:
        services.create_action(goal, by=planner, **action_kwargs(code="A3", weight=D("50")))

    assert exc.value.message_dict == {
        "weight": [
            "Las demás actividades de la meta ya suman 100 %; quedan 0 % disponibles y se "
            "pidieron 50 %."
        ]
    }
    assert list(goal.actions.values_list("code", flat=True)) == ["A1", "A2"]


@pytest.mark.django_db
def test_create_action_duplicate_code_is_field_error(planner, goal):
    factories.ActionFactory(goal=goal, code="A1", weight=D("10"))

    with pytest.raises(ValidationError) as exc:
        services.create_action(goal, by=planner, **action_kwargs(code="A1", weight=D("10")))

    assert exc.value.message_dict == {
        "code": ["Ya existe una actividad con el código «A1» en esta meta."]
    }
    assert Action.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dates", "errors"),
    [
        (
            {"start_date": datetime.date(2025, 12, 31)},
            {"start_date": [OUTSIDE_2026]},
        ),
        (
            {"end_date": datetime.date(2027, 1, 1)},
            {"end_date": [OUTSIDE_2026]},
        ),
        (
            {"start_date": datetime.date(2025, 6, 1), "end_date": datetime.date(2027, 6, 1)},
            {"start_date": [OUTSIDE_2026], "end_date": [OUTSIDE_2026]},
        ),
        (
            {"start_date": datetime.date(2026, 7, 1), "end_date": datetime.date(2026, 6, 30)},
            {"end_date": ["La fecha de fin no puede ser anterior a la fecha de inicio."]},
        ),
    ],
)
def test_create_action_bad_dates_refused(planner, goal, dates, errors):
    with pytest.raises(ValidationError) as exc:
        services.create_action(goal, by=planner, **action_kwargs(**dates))

    assert exc.value.message_dict == errors
    assert Action.objects.count() == 0


@pytest.mark.django_db
def test_create_action_on_plan_boundaries_accepted(planner, goal):
    action = services.create_action(
        goal,
        by=planner,
        **action_kwargs(start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31)),
    )

    assert (action.start_date, action.end_date) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )


@pytest.mark.django_db
def test_create_action_in_later_year_of_multiyear_plan_accepted(planner, unit):
    pei = factories.PlanFactory(kind="pei", start_year=2026, end_year=2029)
    goal = factories.GoalFactory(objective__plan=pei, unit=unit)

    action = services.create_action(
        goal,
        by=planner,
        **action_kwargs(start_date=datetime.date(2028, 3, 1), end_date=datetime.date(2029, 2, 1)),
    )

    assert action.end_date == datetime.date(2029, 2, 1)


@pytest.mark.django_db
def test_create_action_responsible_outside_unit_refused(planner, goal, outsider):
    with pytest.raises(ValidationError) as exc:
        services.create_action(goal, by=planner, **action_kwargs(responsible=outsider))

    assert exc.value.message_dict == {
        "responsible": [f"{outsider} no pertenece a la dependencia «Secretaría de Planeación»."]
    }
    assert Action.objects.count() == 0


@pytest.mark.django_db
def test_create_action_inactive_responsible_refused(planner, goal, unit):
    former = factories.UserFactory(is_active=False, member_of=[unit])

    with pytest.raises(ValidationError) as exc:
        services.create_action(goal, by=planner, **action_kwargs(responsible=former))

    assert exc.value.message_dict == {"responsible": [f"{former} no es un usuario activo."]}


@pytest.mark.django_db
def test_update_action_tags_responsible_and_dates(planner, goal, responsible):
    action = factories.ActionFactory(goal=goal, code="A1", weight=D("50"))
    peti = InstitutionalPlan.objects.get(code="PETI")

    services.update_action(
        action,
        by=planner,
        institutional_plans=[peti],
        responsible=responsible,
        end_date=datetime.date(2026, 12, 15),
        weight=D("100"),
    )

    action.refresh_from_db()
    assert list(action.institutional_plans.values_list("code", flat=True)) == ["PETI"]
    assert (action.responsible_id, action.end_date, action.weight) == (
        responsible.pk,
        datetime.date(2026, 12, 15),
        D("100"),
    )
    assert action.history.count() == 3  # factory insert, update, tags


@pytest.mark.django_db
def test_update_action_end_date_outside_plan_refused(planner, goal):
    action = factories.ActionFactory(goal=goal, code="A1")

    with pytest.raises(ValidationError) as exc:
        services.update_action(action, by=planner, end_date=datetime.date(2027, 1, 31))

    assert exc.value.message_dict == {"end_date": [OUTSIDE_2026]}
    action.refresh_from_db()
    assert action.end_date == datetime.date(2026, 11, 30)
    assert action.history.count() == 1


@pytest.mark.django_db
def test_update_action_unit_change_checks_responsible(planner, goal, responsible, other_unit):
    action = factories.ActionFactory(goal=goal, responsible=responsible)

    with pytest.raises(ValidationError) as exc:
        services.update_action(action, by=planner, unit=other_unit)

    assert set(exc.value.message_dict) == {"responsible"}
    action.refresh_from_db()
    assert action.unit_id == goal.unit_id


@pytest.mark.django_db
def test_update_action_unrelated_field_ignores_stale_responsible(planner, goal, outsider):
    # The person left the unit after being assigned: editing the name still works.
    action = factories.ActionFactory(goal=goal, responsible=outsider)

    services.update_action(action, by=planner, name="Nuevo nombre")

    action.refresh_from_db()
    assert action.name == "Nuevo nombre"


@pytest.mark.django_db
def test_update_action_unknown_field_is_programming_error(planner, goal):
    action = factories.ActionFactory(goal=goal)

    with pytest.raises(TypeError):
        services.update_action(action, by=planner, goal=factories.GoalFactory())


@pytest.mark.django_db
def test_update_action_by_responsible_refused(responsible, goal):
    action = factories.ActionFactory(goal=goal, name="Original")

    with pytest.raises(PermissionDenied):
        services.update_action(action, by=responsible, name="Cambiado")

    action.refresh_from_db()
    assert action.name == "Original"


@pytest.mark.django_db
def test_update_action_in_closed_plan_refused(planner, plan, goal):
    action = factories.ActionFactory(goal=goal, name="Original")
    StrategicPlan.objects.filter(pk=plan.pk).update(status="closed")

    with pytest.raises(ValidationError) as exc:
        services.update_action(action, by=planner, name="Cambiado")

    assert "está cerrado" in exc.value.messages[0]
    action.refresh_from_db()
    assert action.name == "Original"


# --- Reordering --------------------------------------------------------------------------


@pytest.mark.django_db
def test_reorder_objectives_of_plan(planner, plan):
    o1, o2, o3 = (
        factories.ObjectiveFactory(plan=plan, code=f"O{i}", weight=D("10")) for i in (1, 2, 3)
    )

    services.reorder_children(plan, by=planner, ordered_ids=[o3.pk, o1.pk, str(o2.pk)])

    assert list(plan.objectives.values_list("code", "position")) == [
        ("O3", 1),
        ("O1", 2),
        ("O2", 3),
    ]
    assert o3.history.first().history_user == planner


@pytest.mark.django_db
def test_reorder_goals_and_actions(planner, objective, goal):
    second_goal = factories.GoalFactory(objective=objective, code="M2", weight=D("0"))
    a1 = factories.ActionFactory(goal=goal, code="A1", weight=D("50"))
    a2 = factories.ActionFactory(goal=goal, code="A2", weight=D("50"), archived=True)

    services.reorder_children(objective, by=planner, ordered_ids=[second_goal.pk, goal.pk])
    services.reorder_children(goal, by=planner, ordered_ids=[a2.pk, a1.pk])

    assert list(objective.goals.values_list("code", flat=True)) == ["M2", "M1"]
    assert list(goal.actions.values_list("code", "position")) == [("A2", 1), ("A1", 2)]


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["missing", "duplicate", "foreign", "junk"])
def test_reorder_children_incomplete_list_refused(planner, plan, case):
    o1 = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("10"), position=5)
    o2 = factories.ObjectiveFactory(plan=plan, code="O2", weight=D("10"), position=6)
    ids = {
        "missing": [o2.pk],
        "duplicate": [o2.pk, o2.pk],
        "foreign": [o2.pk, o1.pk, factories.ObjectiveFactory().pk],
        "junk": [o2.pk, "uno"],
    }[case]

    with pytest.raises(ValidationError) as exc:
        services.reorder_children(plan, by=planner, ordered_ids=ids)

    assert exc.value.message_dict == {
        "ordered_ids": [
            "El nuevo orden debe incluir exactamente una vez cada uno de los 2 elementos."
        ]
    }
    assert list(plan.objectives.values_list("code", "position")) == [("O1", 5), ("O2", 6)]


@pytest.mark.django_db
def test_reorder_children_by_auditor_refused(auditor, plan):
    o1 = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("10"), position=1)
    o2 = factories.ObjectiveFactory(plan=plan, code="O2", weight=D("10"), position=2)

    with pytest.raises(PermissionDenied):
        services.reorder_children(plan, by=auditor, ordered_ids=[o2.pk, o1.pk])

    assert list(plan.objectives.values_list("code", flat=True)) == ["O1", "O2"]


@pytest.mark.django_db
def test_reorder_children_in_closed_plan_refused(planner, plan):
    o1 = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("10"), position=1)
    o2 = factories.ObjectiveFactory(plan=plan, code="O2", weight=D("10"), position=2)
    StrategicPlan.objects.filter(pk=plan.pk).update(status="closed")

    with pytest.raises(ValidationError):
        services.reorder_children(plan, by=planner, ordered_ids=[o2.pk, o1.pk])

    assert list(plan.objectives.values_list("code", flat=True)) == ["O1", "O2"]


# --- Locking -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_goal_locks_plan_row_first(planner, count_queries, objective):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks; its IMMEDIATE transactions serialise writers")

    with count_queries() as q:
        services.create_goal(objective, by=planner, code="M1", name="Meta", weight=D("100"))

    locked = [query["sql"] for query in q.captured_queries if "FOR UPDATE" in query["sql"]]
    assert len(locked) == 2
    assert 'FROM "planning_strategicplan"' in locked[0]
    assert 'FROM "planning_objective"' in locked[1]
