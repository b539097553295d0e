"""Indicators and targets of an approved plan make plan versions; a closed plan refuses
them (MIPG.md §5)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation.models import Indicator, IndicatorTarget
from evaluation.services import create_indicator, set_targets, update_indicator
from planning.models import PlanVersion, StrategicPlan
from tests import factories
from tests.builders import closed_plan_message
from tests.evaluation.test_indicator_services import indicator_fields
from tests.evaluation.test_views_indicators import indicator_data

pytestmark = pytest.mark.django_db

D = Decimal
CLOSED = closed_plan_message("Plan X")


@pytest.fixture
def goal(unit):
    return factories.GoalFactory(
        unit=unit, objective__plan__name="Plan X", code="M1", name="Trámites"
    )


@pytest.fixture
def plan(goal):
    return goal.objective.plan


@pytest.fixture
def indicator(goal):
    return factories.IndicatorFactory(goal=goal, code="IND-1", name="Trámites", baseline_value=20)


@pytest.fixture
def periods(plan):
    return (
        factories.PeriodFactory(plan=plan, label="2026-T1"),
        factories.PeriodFactory(plan=plan, label="2026-T2"),
    )


def _set_status(plan, status):
    StrategicPlan.objects.filter(pk=plan.pk).update(status=status)


def test_targets_of_approved_plan_need_reason_and_make_one_version(
    planner, plan, indicator, periods
):
    t1, t2 = periods
    factories.TargetFactory(indicator=indicator, period=t1, value=D("10"))
    _set_status(plan, StrategicPlan.Status.APPROVED)

    with pytest.raises(ValidationError) as exc:
        set_targets(indicator, by=planner, values={t1: D("12"), t2: D("20")})
    assert "indique el motivo del cambio" in exc.value.message_dict["reason"][0]
    assert list(IndicatorTarget.objects.values_list("value", flat=True)) == [D("10")]

    set_targets(indicator, by=planner, values={t1: D("12"), t2: D("20")}, reason="Comité")

    version = PlanVersion.objects.get()
    assert (version.plan_id, version.number, version.reason) == (plan.pk, 1, "Comité")
    assert version.changes == [
        {"item": "IND-1 Trámites — 2026-T1", "what": "target", "old": "10", "new": "12"},
        {"item": "IND-1 Trámites — 2026-T2", "what": "target", "old": "", "new": "20"},
    ]


def test_unchanged_targets_make_no_version(planner, plan, indicator, periods):
    t1, _t2 = periods
    factories.TargetFactory(indicator=indicator, period=t1, value=D("10"))
    _set_status(plan, StrategicPlan.Status.APPROVED)

    set_targets(indicator, by=planner, values={t1: D("10")})

    assert not PlanVersion.objects.exists()


def test_baseline_change_of_approved_plan_makes_a_version(planner, plan, indicator):
    _set_status(plan, StrategicPlan.Status.APPROVED)

    with pytest.raises(ValidationError) as exc:
        update_indicator(indicator, by=planner, baseline_value=D("25"))
    assert list(exc.value.message_dict) == ["reason"]
    assert Indicator.objects.get().baseline_value == D("20")

    update_indicator(indicator, by=planner, baseline_value=D("25"), reason="Dato corregido")
    update_indicator(indicator, by=planner, name="Trámites en línea")

    assert PlanVersion.objects.get().changes == [
        {"item": "IND-1 Trámites", "what": "baseline_value", "old": "20", "new": "25"}
    ]


def test_closed_plan_refuses_targets(planner, plan, indicator, periods):
    _set_status(plan, StrategicPlan.Status.CLOSED)

    with pytest.raises(ValidationError) as exc:
        set_targets(indicator, by=planner, values={periods[0]: D("5")}, reason="Tarde")

    assert exc.value.messages == [CLOSED]
    assert not IndicatorTarget.objects.exists()


def test_closed_plan_refuses_indicator_update(planner, plan, indicator):
    _set_status(plan, StrategicPlan.Status.CLOSED)

    with pytest.raises(ValidationError) as exc:
        update_indicator(indicator, by=planner, name="Otro", reason="Tarde")

    assert exc.value.messages == [CLOSED]
    assert Indicator.objects.get().name == "Trámites"


def test_closed_plan_refuses_new_indicator(planner, plan, goal):
    _set_status(plan, StrategicPlan.Status.CLOSED)

    with pytest.raises(ValidationError) as exc:
        create_indicator(by=planner, **indicator_fields(goal))

    assert exc.value.messages == [CLOSED]
    assert not Indicator.objects.exists()


def test_targets_page_of_approved_plan_shows_the_reason_error(
    client, planner, plan, indicator, periods
):
    _set_status(plan, StrategicPlan.Status.APPROVED)
    client.force_login(planner)
    url = reverse("evaluation:indicator-targets", args=[indicator.pk])
    data = {f"period_{p.pk}": "" for p in periods} | {f"period_{periods[0].pk}": "7"}

    refused = client.post(url, data | {"reason": ""})
    assert "indique el motivo del cambio" in refused.content.decode()
    assert not IndicatorTarget.objects.exists()

    accepted = client.post(url, data | {"reason": "Comité"})
    assert accepted.status_code == 302
    assert PlanVersion.objects.get().reason == "Comité"


def test_targets_page_of_closed_plan_shows_the_refusal(client, planner, plan, indicator, periods):
    _set_status(plan, StrategicPlan.Status.CLOSED)
    client.force_login(planner)
    url = reverse("evaluation:indicator-targets", args=[indicator.pk])
    data = {f"period_{p.pk}": "" for p in periods} | {f"period_{periods[0].pk}": "7", "reason": "x"}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "está cerrado" in response.content.decode()
    assert not IndicatorTarget.objects.exists()


def test_new_indicator_of_approved_plan_needs_reason_and_makes_a_version(planner, plan, goal):
    _set_status(plan, StrategicPlan.Status.APPROVED)

    with pytest.raises(ValidationError) as exc:
        create_indicator(by=planner, **indicator_fields(goal))
    assert list(exc.value.message_dict) == ["reason"]
    assert not Indicator.objects.exists()

    create_indicator(by=planner, reason="Indicador nuevo", **indicator_fields(goal))

    version = PlanVersion.objects.get()
    assert (version.number, version.reason) == (1, "Indicador nuevo")
    assert version.changes == [
        {"item": "IND-01 Trámites racionalizados", "what": "created", "old": "", "new": ""}
    ]


def test_archiving_an_indicator_of_approved_plan_makes_a_version(planner, plan, indicator):
    _set_status(plan, StrategicPlan.Status.APPROVED)

    with pytest.raises(ValidationError) as exc:
        update_indicator(indicator, by=planner, archived=True)
    assert list(exc.value.message_dict) == ["reason"]
    assert Indicator.objects.get().archived is False

    update_indicator(indicator, by=planner, archived=True, reason="Se reemplaza")

    assert PlanVersion.objects.get().changes == [
        {"item": "IND-1 Trámites", "what": "archived", "old": "", "new": ""}
    ]


def test_indicator_create_page_of_approved_plan_asks_the_reason(client, planner, plan, goal, unit):
    _set_status(plan, StrategicPlan.Status.APPROVED)
    client.force_login(planner)
    url = reverse("evaluation:indicator-create") + f"?meta={goal.pk}"
    data = indicator_data(goal, unit)

    page = client.get(url)
    refused = client.post(url, data)
    accepted = client.post(url, data | {"reason": "Comité 5"})

    assert "Motivo del cambio" in page.content.decode()
    assert 'id="error_1_id_reason"' in refused.content.decode()
    assert accepted.status_code == 302
    assert Indicator.objects.filter(code="IND-20").count() == 1
    assert PlanVersion.objects.get().reason == "Comité 5"


def test_indicator_create_page_of_draft_plan_has_no_reason_field(client, planner, goal):
    client.force_login(planner)

    response = client.get(reverse("evaluation:indicator-create") + f"?meta={goal.pk}")

    assert "reason" not in response.context["form"].fields
