"""The programación page of an action (Planeación)."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from planning.models import ActionSchedule
from tests import factories

pytestmark = pytest.mark.django_db


def url(action):
    return reverse("planning:action-schedule", args=[action.pk])


def data(quarters, *values):
    return {f"period_{period.pk}": value for period, value in zip(quarters, values, strict=True)}


def test_schedule_page_proposes_the_spread_by_dates(client, planner, action, quarters):
    client.force_login(planner)
    form = client.get(url(action)).context["form"]
    assert [form[f"period_{q.pk}"].initial for q in quarters] == [
        D("24.66"),
        D("49.59"),
        D("74.79"),
        D("100"),
    ]


def test_schedule_page_saves_the_programacion(client, planner, action, quarters):
    client.force_login(planner)
    response = client.post(url(action), data(quarters, "10", "35,5", "70", "100"))
    assert response.url == action.get_absolute_url()
    assert list(ActionSchedule.objects.filter(action=action).values_list("planned", flat=True)) == [
        D("10"),
        D("35.5"),
        D("70"),
        D("100"),
    ]


def test_schedule_page_refuses_a_decrease_beside_the_field(client, planner, action, quarters):
    client.force_login(planner)
    response = client.post(url(action), data(quarters, "50", "40", "70", "100"))
    form = response.context["form"]
    assert form.errors == {
        f"period_{quarters[1].pk}": [
            "El avance programado es acumulado: no puede ser menor que el de 2026-T1 (50)."
        ]
    }
    assert "no puede ser menor que el de 2026-T1" in response.content.decode()
    assert not ActionSchedule.objects.filter(action=action).exists()


def test_schedule_page_refuses_more_than_100(client, planner, action, quarters):
    client.force_login(planner)
    response = client.post(url(action), data(quarters, "50", "60", "70", "120"))
    assert response.context["form"].errors == {
        f"period_{quarters[3].pk}": ["Indique un porcentaje entre 0 y 100."]
    }


def test_schedule_page_resets_to_the_dates(client, planner, action, quarters):
    client.force_login(planner)
    client.post(url(action), data(quarters, "10", "20", "30", "100"))
    client.post(url(action), {"restablecer": "1"})
    assert not ActionSchedule.objects.filter(action=action).exists()


def test_schedule_page_is_for_planning_only(client, responsible, action, quarters):
    client.force_login(responsible)
    response = client.post(url(action), data(quarters, "10", "20", "30", "100"))
    assert response.status_code == 403
    assert not ActionSchedule.objects.filter(action=action).exists()


def test_action_page_shows_planned_beside_reported(client, planner, action, quarters):
    ActionSchedule.objects.create(action=action, period=quarters[0], planned=D("20"))
    factories.ProgressReportFactory(
        action=action, period=quarters[3], progress=D("80"), status="approved"
    )
    client.force_login(planner)
    response = client.get(action.get_absolute_url())
    planned = [
        (value.period.label, value.planned, value.programmed)
        for value, _ in response.context["reports"]
    ]
    assert planned == [
        ("2026-T1", D("20"), True),
        ("2026-T2", D("49.59"), False),
        ("2026-T3", D("74.79"), False),
        ("2026-T4", D("100"), False),
    ]
    physical = response.context["physical"]
    assert (physical["planned"], physical["compliance"], physical["state"]) == (
        D("100"),
        D("80"),
        "verde",
    )
    assert url(action) in response.content.decode()


def test_schedule_page_query_count_does_not_grow_with_periods(
    client, planner, action, quarters, count_queries
):
    client.force_login(planner)
    client.get(url(action))
    with count_queries() as four:
        client.get(url(action))
    factories.PeriodFactory(
        plan=action.goal.objective.plan,
        label="2027-T1",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 3, 31),
    )
    with count_queries() as five:
        response = client.get(url(action))
    assert len(response.context["form"].fields) == 5
    assert four.count == five.count
