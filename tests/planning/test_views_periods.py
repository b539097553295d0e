"""Reporting periods of a plan: list, create one, create the four quarters, lock/unlock."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning.models import ReportingPeriod
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    PeriodFactory,
    PlanFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return PlanFactory(start_year=2026, end_year=2027)


def test_period_list_shows_periods_and_report_counts(client, auditor, plan):
    period = PeriodFactory(plan=plan, label="T1 2026")
    ProgressReportFactory(period=period, action__goal__objective__plan=plan)
    client.force_login(auditor)
    response = client.get(reverse("planning:period-list", args=[plan.pk]))
    assert "T1 2026" in response.content.decode()
    assert [p.report_count for p in response.context["periods"]] == [1]
    assert reverse("planning:period-lock", args=[period.pk]) not in response.content.decode()


def test_period_list_query_count_is_constant(client, planner, plan, count_queries):
    client.force_login(planner)
    url = reverse("planning:period-list", args=[plan.pk])
    PeriodFactory(plan=plan, label="T1")
    with count_queries() as few:
        client.get(url)
    for year, month in [(2026, 4), (2026, 7), (2026, 10), (2027, 1), (2027, 4), (2027, 7)]:
        start = datetime.date(year, month, 1)
        PeriodFactory(plan=plan, label=f"{year}-{month}", start_date=start, end_date=start)
    with count_queries() as many:
        client.get(url)
    assert few.count == many.count


def test_create_four_quarters_in_one_step(client, planner, plan):
    client.force_login(planner)
    response = client.post(reverse("planning:period-quarters", args=[plan.pk]), {"year": "2027"})
    assert response["Location"] == reverse("planning:period-list", args=[plan.pk])
    labels = list(plan.periods.order_by("start_date").values_list("label", flat=True))
    assert labels == ["T1 2027", "T2 2027", "T3 2027", "T4 2027"]


def test_quarters_outside_plan_years_show_error_and_create_nothing(client, planner, plan):
    client.force_login(planner)
    response = client.post(reverse("planning:period-quarters", args=[plan.pk]), {"year": "2030"})
    assert response.status_code == 200
    assert "El año debe estar entre 2026 y 2027 (años del plan)." in response.content.decode()
    assert not plan.periods.exists()


def test_quarters_twice_refused_all_or_nothing(client, planner, plan):
    PeriodFactory(plan=plan, label="T3 2026", start_date="2026-07-01", end_date="2026-09-30")
    client.force_login(planner)
    response = client.post(reverse("planning:period-quarters", args=[plan.pk]), {"year": "2026"})
    assert "T3 2026" in str(response.context["form"].errors["year"])
    assert plan.periods.count() == 1


def test_create_one_period(client, planner, plan):
    client.force_login(planner)
    client.post(
        reverse("planning:period-create", args=[plan.pk]),
        {
            "label": "S1 2026",
            "start_date": "2026-01-01",
            "end_date": "2026-06-30",
            "due_date": "2026-07-10",
        },
    )
    period = plan.periods.get()
    assert (period.label, period.due_date) == ("S1 2026", datetime.date(2026, 7, 10))


def test_create_period_with_due_date_before_end_shows_error(client, planner, plan):
    client.force_login(planner)
    response = client.post(
        reverse("planning:period-create", args=[plan.pk]),
        {
            "label": "S1 2026",
            "start_date": "2026-01-01",
            "end_date": "2026-06-30",
            "due_date": "2026-06-01",
        },
    )
    assert response.context["form"].errors["due_date"] == [
        "La fecha límite de reporte no puede ser anterior al 30/06/2026."
    ]
    assert not plan.periods.exists()


def test_lock_and_unlock_a_period_with_confirmation(client, planner, plan):
    period = PeriodFactory(plan=plan)
    client.force_login(planner)
    lock = reverse("planning:period-lock", args=[period.pk])
    assert "¿Cerrar el periodo" in client.get(lock).content.decode()
    client.post(lock)
    period.refresh_from_db()
    assert period.locked
    unlock = reverse("planning:period-unlock", args=[period.pk])
    response = client.post(unlock, {"reason": ""})
    assert response.context["form"].errors == {
        "reason": ["Indique por qué se vuelve a abrir el periodo."]
    }
    client.post(unlock, {"reason": "Falta el reporte de Hacienda"})
    period.refresh_from_db()
    assert not period.locked
    assert period.history.first().history_change_reason == "Falta el reporte de Hacienda"


def test_locking_a_locked_period_shows_the_message(client, planner, plan):
    period = PeriodFactory(plan=plan, locked=True, label="T1")
    client.force_login(planner)
    response = client.post(reverse("planning:period-lock", args=[period.pk]))
    assert "El periodo «T1» ya está cerrado." in response.content.decode()


@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_period_writes_forbidden_to_other_roles(client, request, persona, plan):
    period = PeriodFactory(plan=plan)
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("planning:period-create", args=[plan.pk]),
        reverse("planning:period-quarters", args=[plan.pk]),
        reverse("planning:period-lock", args=[period.pk]),
        reverse("planning:period-unlock", args=[period.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"year": "2026"}).status_code == 403
    assert list(ReportingPeriod.objects.values_list("locked", flat=True)) == [False]


def test_period_list_counts_reports_and_measurements_apart(client, planner, plan):
    """Two reports and three measurements in T1: 2 and 3 (not 6, nor 2 × 3 rows joined),
    counted by one subquery each: no query joins the reports or measurements table, so
    the page grows linearly instead of with reports × measurements per period."""
    first = PeriodFactory(plan=plan, label="T1 2026")
    april = datetime.date(2026, 4, 1)
    PeriodFactory(plan=plan, label="T2 2026", start_date=april, end_date=april)
    for _ in range(2):
        ProgressReportFactory(period=first, action__goal__objective__plan=plan)
    for _ in range(3):
        MeasurementFactory(period=first, indicator=IndicatorFactory(goal__objective__plan=plan))
    client.force_login(planner)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("planning:period-list", args=[plan.pk]))
    counts = [(p.label, p.report_count, p.measurement_count) for p in response.context["periods"]]
    assert counts == [("T1 2026", 2, 3), ("T2 2026", 0, 0)]
    joined = [
        q["sql"]
        for q in queries.captured_queries
        if 'JOIN "management_progressreport"' in q["sql"]
        or 'JOIN "evaluation_measurement"' in q["sql"]
    ]
    assert joined == []
