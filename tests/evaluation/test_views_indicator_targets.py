"""All the targets of an indicator on one form: all saved or none (set_targets)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.models import IndicatorTarget
from mipg.core.models import ReviewStatus
from tests.factories import IndicatorFactory, MeasurementFactory, PeriodFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(unit):
    return IndicatorFactory(goal__unit=unit, unit=unit, code="IND-3")


@pytest.fixture
def periods(indicator):
    plan = indicator.goal.objective.plan
    return [
        PeriodFactory(
            plan=plan,
            label=f"T{i}",
            start_date=datetime.date(2026, 3 * i - 2, 1),
            end_date=datetime.date(2026, 3 * i, 28),
        )
        for i in (1, 2, 3)
    ]


def url(indicator):
    return reverse("evaluation:indicator-targets", args=[indicator.pk])


def targets(indicator):
    return {t.period.label: t.value for t in indicator.targets.select_related("period")}


def form(periods, values, reason=""):
    data = {f"period_{p.pk}": value for p, value in zip(periods, values, strict=True)}
    return {**data, "reason": reason}


def test_targets_form_has_one_row_per_period_with_current_values(
    client, planner, indicator, periods
):
    TargetFactory(indicator=indicator, period=periods[1], value=Decimal("12.5"))
    client.force_login(planner)
    page = client.get(url(indicator)).content.decode()
    for period in periods:
        assert f'<label for="id_period_{period.pk}">{period.label}</label>' in page
    assert 'value="12,5"' in page


def test_targets_are_set_changed_and_deleted_on_one_form(client, planner, indicator, periods):
    TargetFactory(indicator=indicator, period=periods[0], value=Decimal("5"))
    TargetFactory(indicator=indicator, period=periods[2], value=Decimal("7"))
    client.force_login(planner)
    response = client.post(url(indicator), form(periods, ["6", "1.250,5", ""]))
    assert response["Location"] == indicator.get_absolute_url()
    assert targets(indicator) == {"T1": Decimal("6"), "T2": Decimal("1250.5")}


def test_targets_with_one_bad_value_save_nothing(client, planner, indicator, periods):
    TargetFactory(indicator=indicator, period=periods[0], value=Decimal("5"))
    client.force_login(planner)
    page = client.post(url(indicator), form(periods, ["8", "diez", "9"])).content.decode()
    assert f'id="id_period_{periods[1].pk}-error"' in page
    assert "Ingrese un número." in page
    assert targets(indicator) == {"T1": Decimal("5")}


def test_targets_of_a_locked_period_cannot_be_changed_from_the_form(
    client, planner, indicator, periods
):
    TargetFactory(indicator=indicator, period=periods[2], value=Decimal("3"))
    periods[2].locked = True
    periods[2].save()
    client.force_login(planner)
    page = client.get(url(indicator)).content.decode()
    assert f'id="id_period_{periods[2].pk}" inputmode="decimal"' in page
    assert "disabled" in page
    # A disabled field keeps its current value whatever is posted.
    response = client.post(url(indicator), form(periods, ["4", "5", "6"]))
    assert response["Location"] == indicator.get_absolute_url()
    assert targets(indicator) == {"T1": Decimal("4"), "T2": Decimal("5"), "T3": Decimal("3")}


def test_targets_change_after_approval_needs_a_reason_and_saves_nothing_without_it(
    client, planner, indicator, periods
):
    TargetFactory(indicator=indicator, period=periods[0], value=Decimal("5"))
    MeasurementFactory(indicator=indicator, period=periods[0], status=ReviewStatus.APPROVED)
    client.force_login(planner)

    page = client.post(url(indicator), form(periods, ["8", "9", ""])).content.decode()
    assert 'id="error_1_id_reason"' in page
    assert "Indique el motivo: cambia la meta de periodos con mediciones aprobadas (T1)" in page
    assert targets(indicator) == {"T1": Decimal("5")}  # T2 not saved either: all or nothing

    client.post(url(indicator), form(periods, ["8", "9", ""], reason="Ajuste por recorte"))
    assert targets(indicator) == {"T1": Decimal("8"), "T2": Decimal("9")}
    target = IndicatorTarget.objects.get(indicator=indicator, period=periods[0])
    assert target.history.first().history_change_reason == "Ajuste por recorte"
