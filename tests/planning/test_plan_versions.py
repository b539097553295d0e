"""Changes to an approved plan need a reason and make a numbered version (MIPG.md §5)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from planning import services
from planning.models import Action, Objective, PlanVersion, StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db

D = Decimal
NO_REASON = (
    "El plan «Plan de Acción 2026» está aprobado: indique el motivo del cambio (queda en una "
    "nueva versión del plan)."
)


@pytest.fixture
def objectives(approved):
    return (
        factories.ObjectiveFactory(plan=approved, code="O1", name="Uno", weight=D("60")),
        factories.ObjectiveFactory(plan=approved, code="O2", name="Dos", weight=D("40")),
    )


@pytest.fixture
def action(approved, unit):
    return factories.ActionFactory(
        goal__objective__plan=approved, goal__unit=unit, code="A1", name="Taller"
    )


def test_weight_change_without_reason_refused_and_nothing_saved(planner, objectives):
    first, _second = objectives

    with pytest.raises(ValidationError) as exc:
        services.update_objective(first, by=planner, weight=D("30"))

    assert exc.value.message_dict == {"reason": [NO_REASON]}
    assert Objective.objects.get(pk=first.pk).weight == D("60")
    assert not PlanVersion.objects.exists()


def test_weight_change_with_reason_makes_version_1(planner, approved, objectives):
    first, _second = objectives

    services.update_objective(first, by=planner, weight=D("30.5"), reason="  Comité 2  ")

    version = approved.versions.get()
    assert (version.number, version.created_by, version.reason) == (1, planner, "Comité 2")
    assert version.changes == [{"item": "O1 Uno", "what": "weight", "old": "60", "new": "30,5"}]


def test_several_changes_in_one_save_make_one_version(planner, approved, action):
    services.update_action(
        action,
        by=planner,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 10, 31),
        weight=D("100"),
        reason="Reprogramación",
    )

    version = approved.versions.get()
    assert version.changes == [
        {"item": "A1 Taller", "what": "start_date", "old": "01/02/2026", "new": "01/03/2026"},
        {"item": "A1 Taller", "what": "end_date", "old": "30/11/2026", "new": "31/10/2026"},
    ]


def test_versions_are_numbered_per_plan(planner, approved, objectives):
    first, second = objectives
    other = factories.PlanFactory(status=StrategicPlan.Status.APPROVED)
    third = factories.ObjectiveFactory(plan=other, weight=D("50"))

    services.update_objective(first, by=planner, weight=D("50"), reason="Uno")
    services.update_objective(second, by=planner, weight=D("50"), reason="Dos")
    services.update_objective(third, by=planner, weight=D("40"), reason="Otro plan")

    assert list(approved.versions.values_list("number", "reason")) == [(2, "Dos"), (1, "Uno")]
    assert list(other.versions.values_list("number", flat=True)) == [1]


def test_change_of_name_or_order_needs_no_reason(planner, approved, objectives):
    first, second = objectives

    services.update_objective(first, by=planner, name="Uno renombrado")
    services.reorder_children(approved, by=planner, ordered_ids=[second.pk, first.pk])

    assert not PlanVersion.objects.exists()


def test_draft_plan_changes_make_no_version(planner, plan):
    objective = factories.ObjectiveFactory(plan=plan, weight=D("60"))

    services.update_objective(objective, by=planner, weight=D("50"))
    services.archive_objective(objective, by=planner)

    assert not PlanVersion.objects.exists()


@pytest.mark.parametrize(
    ("write", "what"),
    [
        (lambda a, by, r: services.archive_action(a, by=by, reason=r), "archived"),
        (lambda a, by, r: services.delete_action(a, by=by, reason=r), "deleted"),
        (
            lambda a, by, r: services.create_action(
                a.goal,
                by=by,
                code="A2",
                name="Taller",
                start_date=a.start_date,
                end_date=a.end_date,
                weight=D("0"),
                reason=r,
            ),
            "created",
        ),
    ],
)
def test_item_writes_need_a_reason_and_make_a_version(planner, approved, action, write, what):
    with pytest.raises(ValidationError) as exc:
        write(action, planner, "")
    assert exc.value.message_dict == {"reason": [NO_REASON]}
    assert list(Action.objects.values_list("code", "archived")) == [("A1", False)]

    write(action, planner, "Acta 7")

    version = approved.versions.get()
    assert version.changes[0]["what"] == what
    assert version.reason == "Acta 7"


def test_unarchive_makes_a_version(planner, approved, action):
    Action.objects.filter(pk=action.pk).update(archived=True)
    action.refresh_from_db()

    services.unarchive_action(action, by=planner, reason="Se retoma")

    assert approved.versions.get().changes == [
        {"item": "A1 Taller", "what": "unarchived", "old": "", "new": ""}
    ]


def test_plan_years_change_makes_a_version(planner, approved):
    with pytest.raises(ValidationError):
        services.update_plan(approved, by=planner, end_year=2027)

    services.update_plan(approved, by=planner, end_year=2027, name="PA", reason="Ampliación")

    assert approved.versions.get().changes == [
        {"item": "PA (2026–2027)", "what": "end_year", "old": "2026", "new": "2027"}
    ]


def test_schedule_change_makes_a_version(planner, approved, action):
    t1 = factories.PeriodFactory(plan=approved, label="T1")
    with pytest.raises(ValidationError):
        services.set_action_schedule(action, by=planner, planned={t1: D("40")})

    services.set_action_schedule(action, by=planner, planned={t1: D("40")}, reason="Ajuste")
    services.clear_action_schedule(action, by=planner, reason="Volver al reparto")

    assert [v.changes for v in approved.versions.order_by("number")] == [
        [{"item": "A1 Taller — T1", "what": "schedule", "old": "", "new": "40"}],
        [{"item": "A1 Taller — T1", "what": "schedule", "old": "40", "new": ""}],
    ]


def test_closed_plan_refuses_changes_even_with_reason(planner, approved, objectives):
    StrategicPlan.objects.filter(pk=approved.pk).update(status=StrategicPlan.Status.CLOSED)

    with pytest.raises(ValidationError) as exc:
        services.update_objective(objectives[0], by=planner, weight=D("10"), reason="Tarde")

    assert "está cerrado" in exc.value.messages[0]
    assert not PlanVersion.objects.exists()


def test_change_rows_have_the_translated_label(planner, approved, objectives):
    services.update_objective(objectives[0], by=planner, weight=D("50"), reason="R")

    assert approved.versions.get().change_rows()[0]["label"] == "ponderación"


TREE_WRITES = {
    "create_objective": lambda a, by, r: services.create_objective(
        a.goal.objective.plan, by=by, code="O2", name="Nuevo", weight=D("0"), reason=r
    ),
    "archive_objective": lambda a, by, r: services.archive_objective(
        a.goal.objective, by=by, reason=r
    ),
    "create_goal": lambda a, by, r: services.create_goal(
        a.goal.objective, by=by, code="M2", name="Nueva", weight=D("0"), reason=r
    ),
    "archive_goal": lambda a, by, r: services.archive_goal(a.goal, by=by, reason=r),
}


@pytest.mark.parametrize("write", TREE_WRITES)
def test_objective_and_goal_writes_need_a_reason_and_make_a_version(
    planner, approved, action, write
):
    tree = [Objective.objects.values_list("code", "archived"), Action.objects.values_list("pk")]
    before = [list(rows) for rows in tree]
    with pytest.raises(ValidationError) as exc:
        TREE_WRITES[write](action, planner, "")
    assert exc.value.message_dict == {"reason": [NO_REASON]}
    assert [list(rows) for rows in tree] == before

    TREE_WRITES[write](action, planner, "Acta 8")

    version = approved.versions.get()
    assert (version.number, version.reason, version.changes[0]["what"]) == (
        1,
        "Acta 8",
        write.split("_")[0] + "d",
    )


def test_new_period_needs_a_reason_and_makes_a_version(planner, approved):
    fields = {
        "label": "T1 2026",
        "start_date": datetime.date(2026, 1, 1),
        "end_date": datetime.date(2026, 3, 31),
    }
    with pytest.raises(ValidationError) as exc:
        services.create_period(approved, by=planner, **fields)
    assert exc.value.message_dict == {"reason": [NO_REASON]}
    assert not approved.periods.exists()

    services.create_period(approved, by=planner, reason="Nuevo corte", **fields)

    version = approved.versions.get()
    assert (version.number, version.reason, version.created_by) == (1, "Nuevo corte", planner)
    assert version.changes == [{"item": "T1 2026", "what": "created", "old": "", "new": ""}]


def test_new_quarters_need_a_reason_and_make_one_version(planner, approved):
    with pytest.raises(ValidationError) as exc:
        services.create_quarterly_periods(approved, by=planner, year=2026)
    assert exc.value.message_dict == {"reason": [NO_REASON]}
    assert not approved.periods.exists()

    services.create_quarterly_periods(approved, by=planner, year=2026, reason="Cortes 2026")

    assert [change["item"] for change in approved.versions.get().changes] == [
        "T1 2026",
        "T2 2026",
        "T3 2026",
        "T4 2026",
    ]
