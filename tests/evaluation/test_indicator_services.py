"""Indicator and target services: who may write, what is refused, and the reasons kept in
history when approved figures are affected (MIPG.md §4–§5)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation.models import Indicator, IndicatorTarget
from evaluation.services import (
    create_indicator,
    set_target,
    set_targets,
    update_indicator,
)
from mipg.core.models import Entity, ReviewStatus
from tests import factories

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def goal(unit):
    return factories.GoalFactory(unit=unit)


@pytest.fixture
def plan(goal):
    return goal.objective.plan


@pytest.fixture
def indicator(goal):
    return factories.IndicatorFactory(goal=goal, baseline_value=D("20"))


@pytest.fixture
def period(plan):
    return factories.PeriodFactory(plan=plan, label="2026-T1")


@pytest.fixture
def period2(plan):
    return factories.PeriodFactory(
        plan=plan,
        label="2026-T2",
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 6, 30),
    )


def indicator_fields(measured_goal, **overrides):
    goal = measured_goal
    fields = {
        "code": "IND-01",
        "name": "Trámites racionalizados",
        "goal": goal,
        "type": Indicator.Type.EFFICACY,
        "level": Indicator.Level.PRODUCT,
        "formula": "Trámites racionalizados / Trámites programados × 100",
        "measurement_unit": "Porcentaje",
        "accumulation": Indicator.Accumulation.FLOW,
        "polarity": Indicator.Polarity.INCREASING,
        "frequency": Indicator.Frequency.QUARTERLY,
        "unit": goal.unit,
    }
    return fields | overrides


def indicator_api_fields(measured_goal, **overrides):
    """``indicator_fields`` as the API takes them: related objects by id."""
    fields = indicator_fields(measured_goal, **overrides)
    return {name: getattr(value, "pk", value) for name, value in fields.items()}


def approve(indicator, period, value="10"):
    return factories.MeasurementFactory(
        indicator=indicator, period=period, value=D(value), status=ReviewStatus.APPROVED
    )


def errors_of(excinfo):
    return excinfo.value.message_dict


# --- create_indicator ------------------------------------------------------------------


def test_create_indicator_for_goal(planner, goal):
    indicator = create_indicator(by=planner, **indicator_fields(goal))
    assert Indicator.objects.get(pk=indicator.pk).goal == goal
    assert indicator.history.first().history_user == planner


def test_create_indicator_for_objective(planner, goal):
    indicator = create_indicator(
        by=planner, **indicator_fields(goal, goal=None, objective=goal.objective)
    )
    assert indicator.objective == goal.objective


def test_create_indicator_refuses_goal_and_objective(planner, goal):
    with pytest.raises(ValidationError) as excinfo:
        create_indicator(by=planner, **indicator_fields(goal, objective=goal.objective))
    assert errors_of(excinfo)["goal"] == ["Un indicador mide una meta o un objetivo, no ambos."]
    assert not Indicator.objects.exists()


def test_create_indicator_needs_goal_or_objective(planner, goal):
    with pytest.raises(ValidationError) as excinfo:
        create_indicator(by=planner, **indicator_fields(goal, goal=None))
    assert errors_of(excinfo)["goal"] == ["Indique la meta o el objetivo que mide el indicador."]


def test_create_indicator_refuses_unordered_thresholds(planner, goal):
    fields = indicator_fields(goal, semaforo_red_below=D("80"), semaforo_green_from=D("60"))
    with pytest.raises(ValidationError) as excinfo:
        create_indicator(by=planner, **fields)
    assert "semaforo_green_from" in errors_of(excinfo)
    assert not Indicator.objects.exists()


def test_create_indicator_checks_threshold_against_entity_default(planner, goal):
    # Entity green is 80; an own red of 90 would leave no amarillo band and invert the bands.
    with pytest.raises(ValidationError) as excinfo:
        create_indicator(by=planner, **indicator_fields(goal, semaforo_red_below=D("90")))
    assert "semaforo_green_from" in errors_of(excinfo)


def test_create_indicator_accepts_equal_thresholds(planner, goal):
    fields = indicator_fields(goal, semaforo_red_below=D("70"), semaforo_green_from=D("70"))
    assert create_indicator(by=planner, **fields).semaforo_green_from == D("70")


def test_create_indicator_reports_field_errors(planner, goal):
    with pytest.raises(ValidationError) as excinfo:
        create_indicator(by=planner, **indicator_fields(goal, polarity="sideways", name=""))
    assert {"polarity", "name"} <= errors_of(excinfo).keys()


@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_create_indicator_needs_planning_role(request, goal, persona):
    with pytest.raises(PermissionDenied):
        create_indicator(by=request.getfixturevalue(persona), **indicator_fields(goal))
    assert not Indicator.objects.exists()


# --- update_indicator ------------------------------------------------------------------


def test_update_indicator_changes_fields_and_the_callers_instance(planner, indicator):
    returned = update_indicator(indicator, by=planner, name="Nuevo nombre")
    assert returned is indicator
    assert indicator.name == "Nuevo nombre"
    assert Indicator.objects.get(pk=indicator.pk).name == "Nuevo nombre"
    assert indicator.history.first().history_user == planner


def test_update_indicator_without_changes_writes_no_history(planner, indicator):
    versions = indicator.history.count()
    update_indicator(indicator, by=planner, name=indicator.name)
    assert indicator.history.count() == versions


def test_update_indicator_baseline_free_before_any_approval(planner, indicator, period):
    factories.MeasurementFactory(indicator=indicator, period=period, status=ReviewStatus.SUBMITTED)
    update_indicator(indicator, by=planner, baseline_value=D("25"))
    assert Indicator.objects.get(pk=indicator.pk).baseline_value == D("25")


@pytest.mark.parametrize(
    "change", [{"baseline_value": D("25")}, {"baseline_date": datetime.date(2025, 12, 31)}]
)
def test_update_indicator_baseline_after_approval_needs_reason(planner, indicator, period, change):
    approve(indicator, period)
    with pytest.raises(ValidationError) as excinfo:
        update_indicator(indicator, by=planner, **change)
    assert "reason" in errors_of(excinfo)
    assert "línea base" in errors_of(excinfo)["reason"][0]
    stored = Indicator.objects.get(pk=indicator.pk)
    assert (stored.baseline_value, stored.baseline_date) == (D("20"), None)


def test_update_indicator_blank_reason_is_no_reason(planner, indicator, period):
    approve(indicator, period)
    with pytest.raises(ValidationError) as excinfo:
        update_indicator(indicator, by=planner, baseline_value=D("25"), reason="   ")
    assert "reason" in errors_of(excinfo)


def test_update_indicator_baseline_reason_kept_in_history(planner, indicator, period):
    approve(indicator, period)
    reason = "Corrección de la línea base según informe DANE 2025"
    update_indicator(indicator, by=planner, baseline_value=D("25"), reason=reason)
    latest = indicator.history.first()
    assert latest.baseline_value == D("25")
    assert latest.history_change_reason == reason


def test_update_indicator_same_baseline_in_other_notation_needs_no_reason(
    planner, indicator, period
):
    approve(indicator, period)
    update_indicator(indicator, by=planner, baseline_value="20.0000", name="Otro nombre")
    assert Indicator.objects.get(pk=indicator.pk).name == "Otro nombre"


def test_update_indicator_other_fields_after_approval_need_no_reason(planner, indicator, period):
    approve(indicator, period)
    update_indicator(indicator, by=planner, data_source="SUIT")
    assert indicator.history.first().history_change_reason is None


def test_update_indicator_keeps_a_long_reason_whole(planner, indicator, period):
    approve(indicator, period)
    reason = "Corrección de la línea base según el informe del DANE. " * 5
    update_indicator(indicator, by=planner, baseline_value=D("25"), reason=reason.strip())
    assert indicator.history.first().history_change_reason == reason.strip()


def test_update_indicator_refuses_goal_and_objective(planner, indicator):
    with pytest.raises(ValidationError) as excinfo:
        update_indicator(indicator, by=planner, objective=indicator.goal.objective)
    assert "goal" in errors_of(excinfo)


def test_update_indicator_can_switch_to_objective(planner, indicator):
    update_indicator(indicator, by=planner, goal=None, objective=indicator.goal.objective)
    assert Indicator.objects.get(pk=indicator.pk).objective == indicator.objective


def test_update_indicator_refuses_moving_plan_with_targets(planner, indicator, period):
    factories.TargetFactory(indicator=indicator, period=period)
    with pytest.raises(ValidationError) as excinfo:
        update_indicator(indicator, by=planner, goal=factories.GoalFactory())
    assert "goal" in errors_of(excinfo)


def test_update_indicator_moves_plan_without_figures(planner, indicator):
    other = factories.GoalFactory()
    update_indicator(indicator, by=planner, goal=other)
    assert Indicator.objects.get(pk=indicator.pk).goal == other


def test_update_indicator_unknown_field_is_a_programming_error(planner, indicator):
    with pytest.raises(TypeError):
        update_indicator(indicator, by=planner, colour="red")


def test_update_indicator_needs_planning_role(responsible, indicator):
    with pytest.raises(PermissionDenied):
        update_indicator(indicator, by=responsible, name="x")


def test_update_indicator_thresholds_checked_against_entity(planner, indicator):
    entity = Entity.current()
    entity.semaforo_green_from = D("70")
    entity.save()
    with pytest.raises(ValidationError) as excinfo:
        update_indicator(indicator, by=planner, semaforo_red_below=D("75"))
    assert "semaforo_green_from" in errors_of(excinfo)


# --- set_targets -----------------------------------------------------------------------


def test_set_targets_creates_and_returns_them(planner, indicator, period, period2):
    result = set_targets(indicator, by=planner, values={period: D("10"), period2: D("20.5")})
    stored = dict(indicator.targets.values_list("period_id", "value"))
    assert stored == {period.pk: D("10"), period2.pk: D("20.5")}
    assert result[period.pk].value == D("10")


def test_set_targets_for_objective_indicator(planner, goal, period):
    indicator = factories.IndicatorFactory(goal=None, objective=goal.objective, unit=goal.unit)
    set_targets(indicator, by=planner, values={period: D("7")})
    assert indicator.targets.get().value == D("7")


def test_set_targets_none_deletes(planner, indicator, period):
    target = factories.TargetFactory(indicator=indicator, period=period)
    assert set_targets(indicator, by=planner, values={period: None}) == {period.pk: None}
    assert not indicator.targets.exists()
    assert IndicatorTarget.history.filter(id=target.pk).first().history_type == "-"


def test_set_targets_is_all_or_nothing(planner, indicator, period):
    foreign = factories.PeriodFactory()  # another plan
    with pytest.raises(ValidationError) as excinfo:
        set_targets(indicator, by=planner, values={period: D("10"), foreign: D("20")})
    assert "no pertenece al plan" in errors_of(excinfo)["period"][0]
    assert not IndicatorTarget.objects.exists()


def test_set_targets_refuses_locked_period(planner, indicator, period, period2):
    period.locked = True
    period.save()
    with pytest.raises(ValidationError) as excinfo:
        set_targets(indicator, by=planner, values={period: D("10"), period2: D("20")})
    assert "cerrado" in errors_of(excinfo)["period"][0]
    assert not IndicatorTarget.objects.exists()


def test_set_targets_locked_period_unchanged_value_is_accepted(planner, indicator, period, period2):
    factories.TargetFactory(indicator=indicator, period=period, value=D("10"))
    period.locked = True
    period.save()
    set_targets(indicator, by=planner, values={period: D("10.0000"), period2: D("20")})
    assert indicator.targets.get(period=period2).value == D("20")


def test_set_targets_change_after_approval_needs_reason(planner, indicator, period, period2):
    factories.TargetFactory(indicator=indicator, period=period, value=D("10"))
    approve(indicator, period)
    with pytest.raises(ValidationError) as excinfo:
        set_targets(indicator, by=planner, values={period: D("12"), period2: D("20")})
    assert "2026-T1" in errors_of(excinfo)["reason"][0]
    assert indicator.targets.get().value == D("10")


def test_set_targets_change_after_approval_keeps_reason(planner, indicator, period):
    target = factories.TargetFactory(indicator=indicator, period=period, value=D("10"))
    approve(indicator, period)
    set_targets(indicator, by=planner, values={period: D("12")}, reason="Recorte presupuestal")
    target.refresh_from_db()
    assert target.value == D("12")
    assert target.history.first().history_change_reason == "Recorte presupuestal"
    assert target.history.first().history_user == planner


def test_set_targets_delete_after_approval_needs_and_keeps_reason(planner, indicator, period):
    target = factories.TargetFactory(indicator=indicator, period=period, value=D("10"))
    approve(indicator, period)
    with pytest.raises(ValidationError) as excinfo:
        set_targets(indicator, by=planner, values={period: None})
    assert "reason" in errors_of(excinfo)
    set_targets(indicator, by=planner, values={period: None}, reason="Meta eliminada por el comité")
    deletion = IndicatorTarget.history.filter(id=target.pk).first()
    assert (deletion.history_type, deletion.history_change_reason) == (
        "-",
        "Meta eliminada por el comité",
    )


def test_set_targets_new_target_after_approval_needs_no_reason(planner, indicator, period):
    approve(indicator, period)
    set_targets(indicator, by=planner, values={period: D("10")})
    assert indicator.targets.get().value == D("10")


def test_set_targets_unapproved_measurement_needs_no_reason(planner, indicator, period):
    factories.TargetFactory(indicator=indicator, period=period, value=D("10"))
    factories.MeasurementFactory(indicator=indicator, period=period, status=ReviewStatus.SUBMITTED)
    set_targets(indicator, by=planner, values={period: D("12")})
    assert indicator.targets.get().value == D("12")


@pytest.mark.parametrize("bad", ["diez", D("1.23456"), D("1e20")])
def test_set_targets_refuses_bad_values(planner, indicator, period, bad):
    with pytest.raises(ValidationError) as excinfo:
        set_targets(indicator, by=planner, values={period: bad})
    assert "value" in errors_of(excinfo)
    assert not IndicatorTarget.objects.exists()


def test_set_targets_accepts_numbers_as_text(planner, indicator, period):
    set_targets(indicator, by=planner, values={period: "15.5"})
    assert indicator.targets.get().value == D("15.5")


@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_set_targets_needs_planning_role(request, indicator, period, persona):
    with pytest.raises(PermissionDenied):
        set_targets(indicator, by=request.getfixturevalue(persona), values={period: D("10")})
    assert not IndicatorTarget.objects.exists()


def test_set_targets_delete_needs_delete_permission(indicator, period):
    user = factories.UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="evaluation",
            codename__in=["change_indicatortarget", "add_indicatortarget"],
        )
    )
    factories.TargetFactory(indicator=indicator, period=period)
    with pytest.raises(PermissionDenied):
        set_targets(indicator, by=user, values={period: None})
    assert indicator.targets.exists()


def test_set_target_wrapper(planner, indicator, period):
    target = set_target(indicator, period, by=planner, value=D("30"))
    assert target.value == D("30")
    assert set_target(indicator, period, by=planner, value=None) is None
    assert not indicator.targets.exists()


def test_set_target_other_plan_period(planner, indicator):
    other = factories.PeriodFactory(plan=factories.ObjectiveFactory().plan)
    with pytest.raises(ValidationError) as excinfo:
        set_target(indicator, other, by=planner, value=D("1"))
    assert "period" in errors_of(excinfo)
