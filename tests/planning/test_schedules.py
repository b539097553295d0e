"""The programación of an action: default spread by dates and the schedule service."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from planning.models import ActionSchedule, StrategicPlan, default_planned
from planning.services import clear_action_schedule, set_action_schedule
from planning.services.schedules import schedule_field
from tests import factories

D = Decimal


def _action(start, end):
    return factories.ActionFactory.build(start_date=start, end_date=end)


@pytest.mark.parametrize(
    ("start", "end", "period_end", "expected"),
    [
        # a whole year, 365 days: T1 ends after 90 days, T2 after 181, T3 after 273
        ((2026, 1, 1), (2026, 12, 31), (2026, 3, 31), D("24.66")),
        ((2026, 1, 1), (2026, 12, 31), (2026, 6, 30), D("49.59")),
        ((2026, 1, 1), (2026, 12, 31), (2026, 9, 30), D("74.79")),
        ((2026, 1, 1), (2026, 12, 31), (2026, 12, 31), D("100")),
        # 1 April – 30 September (183 days): nothing planned at the end of T1,
        # 91/183 = 49.73 at the end of T2, everything from T3 on
        ((2026, 4, 1), (2026, 9, 30), (2026, 3, 31), D("0")),
        ((2026, 4, 1), (2026, 9, 30), (2026, 6, 30), D("49.73")),
        ((2026, 4, 1), (2026, 9, 30), (2026, 12, 31), D("100")),
        # a one-day action on the period's last day is done
        ((2026, 3, 31), (2026, 3, 31), (2026, 3, 31), D("100")),
    ],
)
def test_default_planned_share_of_duration_elapsed(start, end, period_end, expected):
    action = _action(datetime.date(*start), datetime.date(*end))
    assert default_planned(action, datetime.date(*period_end)) == expected


def _planned(action):
    return [row.planned for row in ActionSchedule.objects.filter(action=action)]


def test_set_action_schedule_saves_every_period(action, quarters, planner):
    values = dict(zip(quarters, ["10", "40", "40", "100"], strict=True))
    set_action_schedule(action, by=planner, planned=values)
    assert _planned(action) == [D("10"), D("40"), D("40"), D("100")]

    set_action_schedule(action, by=planner, planned={**values, quarters[2]: "60"})
    assert ActionSchedule.objects.get(action=action, period=quarters[2]).planned == D("60")
    assert ActionSchedule.objects.get(action=action, period=quarters[2]).history.count() == 2


def test_set_action_schedule_refuses_decreasing_values(action, quarters, planner):
    values = dict(zip(quarters, ["30", "20", "50", "100"], strict=True))
    with pytest.raises(ValidationError) as error:
        set_action_schedule(action, by=planner, planned=values)
    assert error.value.message_dict == {
        schedule_field(quarters[1]): [
            "El avance programado es acumulado: no puede ser menor que el de 2026-T1 (30)."
        ]
    }
    assert _planned(action) == []


@pytest.mark.parametrize("bad", ["-1", "100.01", "abc", "", None, "12.345"])
def test_set_action_schedule_refuses_values_outside_0_100(action, quarters, planner, bad):
    values = dict(zip(quarters, [bad, "40", "60", "100"], strict=True))
    with pytest.raises(ValidationError) as error:
        set_action_schedule(action, by=planner, planned=values)
    assert error.value.message_dict == {
        schedule_field(quarters[0]): ["Indique un porcentaje entre 0 y 100."]
    }
    assert _planned(action) == []


def test_set_action_schedule_needs_planning_rights(action, quarters, responsible):
    with pytest.raises(PermissionDenied):
        set_action_schedule(action, by=responsible, planned=dict.fromkeys(quarters, "100"))


def test_set_action_schedule_refuses_a_closed_plan(action, quarters, planner, plan):
    StrategicPlan.objects.filter(pk=plan.pk).update(status=StrategicPlan.Status.CLOSED)
    with pytest.raises(ValidationError, match="cerrado"):
        set_action_schedule(action, by=planner, planned=dict.fromkeys(quarters, "100"))


def test_clear_action_schedule_falls_back_to_default(action, quarters, planner):
    set_action_schedule(action, by=planner, planned=dict.fromkeys(quarters, "100"))
    clear_action_schedule(action, by=planner)
    assert _planned(action) == []
