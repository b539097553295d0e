"""Indicator pages: hoja de vida with results per period, create and edit (with the reason
the service demands for a baseline change after approval), permissions per role."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.models import Indicator
from mipg.core.models import ReviewStatus
from tests import factories
from tests.pages import assert_edit_pages_open, assert_edit_pages_refused, body

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(unit):
    return factories.GoalFactory(code="M1", name="Reducir tiempos de respuesta", unit=unit)


@pytest.fixture
def periods(goal):
    plan = goal.objective.plan
    return [
        factories.PeriodFactory(
            plan=plan,
            label="T1",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 3, 31),
        ),
        factories.PeriodFactory(
            plan=plan,
            label="T2",
            start_date=datetime.date(2026, 4, 1),
            end_date=datetime.date(2026, 6, 30),
        ),
    ]


@pytest.fixture
def indicator(goal, unit):
    return factories.IndicatorFactory(
        goal=goal,
        unit=unit,
        code="IND-9",
        name="Solicitudes atendidas",
        formula="Atendidas / Recibidas × 100",
        data_source="Sistema de PQRSD",
        baseline_value=Decimal("40"),
    )


def indicator_data(goal, unit, **overrides):
    return {
        "code": "IND-20",
        "name": "Trámites en línea",
        "measures": f"goal:{goal.pk}",
        "type": "efficacy",
        "level": "product",
        "formula": "Trámites en línea / Trámites × 100",
        "measurement_unit": "Porcentaje",
        "accumulation": "stock",
        "polarity": "increasing",
        "baseline_value": "12,5",
        "baseline_date": "2025-12-31",
        "frequency": "quarterly",
        "unit": unit.pk,
        "semaforo_red_below": "",
        "semaforo_green_from": "",
        **overrides,
    }


def test_indicator_detail_shows_hoja_de_vida_and_results_per_period(
    client, director, indicator, periods
):
    t1, t2 = periods
    factories.TargetFactory(indicator=indicator, period=t1, value=Decimal("10"))
    factories.TargetFactory(indicator=indicator, period=t2, value=Decimal("10"))
    factories.MeasurementFactory(
        indicator=indicator, period=t1, value=Decimal("9"), status=ReviewStatus.APPROVED
    )
    factories.MeasurementFactory(
        indicator=indicator, period=t2, value=Decimal("3"), status=ReviewStatus.SUBMITTED
    )
    client.force_login(director)

    page = body(client.get(indicator.get_absolute_url()))

    for text in ("Solicitudes atendidas", "Atendidas / Recibidas × 100", "Sistema de PQRSD"):
        assert text in page
    assert "Rojo por debajo de 60 %" in page  # entity default thresholds
    assert "90,00 %" in page and "Verde" in page  # T1: 9 / 10
    assert "Enviado" in page and "no cuenta hasta ser aprobada" in page  # T2
    assert "Sin reporte" in page
    assert "45,00 %" in page  # flow, cumulative to T2: 9 / 20
    # Breadcrumbs follow the chain plan → objective → goal → indicator.
    assert "Meta: M1 Reducir tiempos de respuesta" in page
    assert "Editar hoja de vida" not in page  # read-only for Directivo


def test_indicator_create_preselects_the_goal_from_the_query(client, planner, goal):
    client.force_login(planner)
    page = body(client.get(reverse("evaluation:indicator-create") + f"?meta={goal.pk}"))
    assert f'value="goal:{goal.pk}" selected' in page


def test_indicator_create_without_a_plan_lists_plans_to_choose(client, planner, goal):
    client.force_login(planner)
    page = body(client.get(reverse("evaluation:indicator-create")))
    assert f"?plan={goal.objective.plan_id}" in page


def test_indicator_create_saves_through_the_service(client, planner, goal, unit):
    client.force_login(planner)
    url = reverse("evaluation:indicator-create") + f"?meta={goal.pk}"
    response = client.post(url, indicator_data(goal, unit))
    indicator = Indicator.objects.get(code="IND-20")
    assert response["Location"] == indicator.get_absolute_url()
    assert (indicator.goal, indicator.objective) == (goal, None)
    assert indicator.baseline_value == Decimal("12.5")
    assert indicator.history.first().history_user == planner


def test_indicator_create_for_an_objective(client, planner, goal, unit):
    objective = goal.objective
    client.force_login(planner)
    url = reverse("evaluation:indicator-create") + f"?objetivo={objective.pk}"
    client.post(url, indicator_data(goal, unit, measures=f"objective:{objective.pk}"))
    indicator = Indicator.objects.get(code="IND-20")
    assert (indicator.goal, indicator.objective) == (None, objective)


def test_indicator_create_with_bad_input_shows_spanish_errors_and_saves_nothing(
    client, planner, goal, unit
):
    other_goal = factories.GoalFactory()  # of another plan: not a choice here
    client.force_login(planner)
    url = reverse("evaluation:indicator-create") + f"?meta={goal.pk}"
    page = body(
        client.post(
            url,
            indicator_data(
                goal,
                unit,
                name="",
                measures=f"goal:{other_goal.pk}",
                semaforo_red_below="120",
                baseline_value="muchos",
            ),
        )
    )
    assert "Este campo es requerido." in page
    assert "Escoja una opción válida." in page
    assert "Asegúrese de que este valor sea menor o igual a 100." in page
    assert "Ingrese un número." in page
    assert not Indicator.objects.exists()


def test_indicator_create_shows_service_error_beside_the_threshold(client, planner, goal, unit):
    client.force_login(planner)
    url = reverse("evaluation:indicator-create") + f"?meta={goal.pk}"
    page = body(
        client.post(
            url, indicator_data(goal, unit, semaforo_red_below="90", semaforo_green_from="70")
        )
    )
    assert 'id="error_1_id_semaforo_green_from"' in page
    assert "El umbral verde (70" in page and "no puede ser menor que el rojo" in page
    assert not Indicator.objects.exists()


def edit_data(indicator, **overrides):
    current = {
        "code": indicator.code,
        "name": indicator.name,
        "formula": indicator.formula,
        "measurement_unit": indicator.measurement_unit,
        "accumulation": indicator.accumulation,
        "polarity": indicator.polarity,
        "baseline_value": "40",
        "baseline_date": "",
        "reason": "",
    }
    return indicator_data(indicator.goal, indicator.unit, **{**current, **overrides})


def test_indicator_edit_form_shows_current_values(client, planner, indicator):
    client.force_login(planner)
    page = body(client.get(reverse("evaluation:indicator-edit", args=[indicator.pk])))
    assert 'value="Solicitudes atendidas"' in page
    assert f'value="goal:{indicator.goal_id}" selected' in page
    assert "Motivo del cambio" in page


def test_indicator_edit_baseline_after_approval_needs_a_reason(client, planner, indicator, periods):
    factories.MeasurementFactory(
        indicator=indicator, period=periods[0], status=ReviewStatus.APPROVED
    )
    client.force_login(planner)
    url = reverse("evaluation:indicator-edit", args=[indicator.pk])

    page = body(client.post(url, edit_data(indicator, baseline_value="35")))
    assert 'id="error_1_id_reason"' in page
    assert "Indique el motivo del cambio de la línea base" in page
    indicator.refresh_from_db()
    assert indicator.baseline_value == Decimal("40")

    response = client.post(
        url, edit_data(indicator, baseline_value="35", reason="Corrección del dato de 2025")
    )
    assert response["Location"] == indicator.get_absolute_url()
    indicator.refresh_from_db()
    assert indicator.baseline_value == Decimal("35")
    assert indicator.history.first().history_change_reason == "Corrección del dato de 2025"


def test_indicator_edit_can_move_it_to_an_objective_of_the_same_plan(client, planner, indicator):
    objective = factories.ObjectiveFactory(plan=indicator.goal.objective.plan, code="O9")
    client.force_login(planner)
    client.post(
        reverse("evaluation:indicator-edit", args=[indicator.pk]),
        edit_data(indicator, measures=f"objective:{objective.pk}"),
    )
    indicator.refresh_from_db()
    assert (indicator.goal, indicator.objective) == (None, objective)


@pytest.fixture
def edit_pages(goal, unit, indicator, periods):
    return [
        (
            reverse("evaluation:indicator-create") + f"?meta={goal.pk}",
            indicator_data(goal, unit),
        ),
        (
            reverse("evaluation:indicator-edit", args=[indicator.pk]),
            edit_data(indicator, name="Cambiado"),
        ),
        (
            reverse("evaluation:indicator-targets", args=[indicator.pk]),
            {f"period_{periods[0].pk}": "50", f"period_{periods[1].pk}": "60", "reason": ""},
        ),
    ]


def snapshot():
    return list(Indicator.objects.values_list("pk", "name")), [
        (t.period_id, t.value) for t in Indicator.objects.first().targets.all()
    ]


@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_indicator_edit_pages_are_forbidden_to_non_planners(client, edit_pages, persona, request):
    assert_edit_pages_refused(client, request.getfixturevalue(persona), edit_pages, snapshot)


@pytest.mark.parametrize("persona", ["planner", "admin_user"])
def test_indicator_edit_pages_open_for_planning_and_admin(client, edit_pages, persona, request):
    assert_edit_pages_open(client, request.getfixturevalue(persona), edit_pages)


@pytest.mark.parametrize("persona", ["responsible", "outsider", "director", "auditor"])
def test_indicator_detail_is_readable_by_every_internal_role(client, indicator, persona, request):
    client.force_login(request.getfixturevalue(persona))
    page = body(client.get(indicator.get_absolute_url()))
    assert "Hoja de vida" in page and indicator.name in page


def test_indicator_detail_of_an_unknown_indicator_is_404(client, planner):
    client.force_login(planner)
    assert client.get(reverse("evaluation:indicator-detail", args=[999])).status_code == 404


def test_indicator_detail_explains_the_figure(client, director, goal, unit, periods):
    # Decreciente Flujo, LB 400 per year, P 75, E 95 in T1: 20 % rojo, formula shown
    indicator = factories.IndicatorFactory(
        goal=goal,
        unit=unit,
        polarity=Indicator.Polarity.DECREASING,
        baseline_value=Decimal("400"),
    )
    factories.TargetFactory(indicator=indicator, period=periods[0], value=Decimal("75"))
    factories.MeasurementFactory(
        indicator=indicator, period=periods[0], value=Decimal("95"), status=ReviewStatus.APPROVED
    )
    client.force_login(director)
    page = body(client.get(indicator.get_absolute_url()))
    assert "LB = 400 ÷ 4 = 100; (100 − 95) / (100 − 75) = 20,00 %" in page
    assert "20,00 %" in page and "Rojo" in page


def test_indicator_detail_shows_last_data_when_the_cut_is_unreported(
    client, director, goal, unit, periods
):
    indicator = factories.IndicatorFactory(
        goal=goal, unit=unit, accumulation=Indicator.Accumulation.STOCK
    )
    for period, value in zip(periods, ["60", None], strict=True):
        factories.TargetFactory(indicator=indicator, period=period, value=Decimal("60"))
        if value:
            factories.MeasurementFactory(
                indicator=indicator,
                period=period,
                value=Decimal(value),
                status=ReviewStatus.APPROVED,
            )
    client.force_login(director)
    page = body(client.get(indicator.get_absolute_url()))
    assert "Último dato" in page and "T1 = 60" in page
    assert "Sin reporte" in page


def test_indicator_detail_decreasing_without_baseline_badge(client, director, goal, unit, periods):
    indicator = factories.IndicatorFactory(
        goal=goal, unit=unit, polarity=Indicator.Polarity.DECREASING
    )
    factories.TargetFactory(indicator=indicator, period=periods[0], value=Decimal("5"))
    client.force_login(director)
    page = body(client.get(indicator.get_absolute_url()))
    assert "Sin línea base" in page


def test_indicator_create_saves_baseline_horizon_and_tolerance(client, planner, goal, unit):
    client.force_login(planner)
    url = reverse("evaluation:indicator-create") + f"?meta={goal.pk}"
    data = indicator_data(
        goal,
        unit,
        polarity="maintenance",
        baseline_horizon="per_period",
        maintenance_tolerance="1,5",
    )
    client.post(url, data)
    indicator = Indicator.objects.get(code="IND-20")
    assert indicator.baseline_horizon == Indicator.BaselineHorizon.PER_PERIOD
    assert indicator.maintenance_tolerance == Decimal("1.5")


def test_indicator_create_refuses_a_negative_tolerance(client, planner, goal, unit):
    client.force_login(planner)
    url = reverse("evaluation:indicator-create") + f"?meta={goal.pk}"
    response = client.post(url, indicator_data(goal, unit, maintenance_tolerance="-1"))
    assert "maintenance_tolerance" in response.context["form"].errors
    assert not Indicator.objects.filter(code="IND-20").exists()


def test_indicator_detail_of_a_multi_year_plan_shows_the_year_and_the_whole_plan(
    client, director, goal, unit, periods
):
    # T1 and T2 of 2026 plus T4 of 2025: P 10 each; E 10 (2025), 10, 4 (2026).
    # Whole plan: 24 / 30 = 80 %; 2026 only: 14 / 20 = 70 %.
    earlier = factories.PeriodFactory(
        plan=goal.objective.plan,
        label="2025-T4",
        start_date=datetime.date(2025, 10, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    indicator = factories.IndicatorFactory(goal=goal, unit=unit)
    for period, value in zip([earlier, *periods], ["10", "10", "4"], strict=True):
        factories.TargetFactory(indicator=indicator, period=period, value=Decimal("10"))
        factories.MeasurementFactory(
            indicator=indicator, period=period, value=Decimal(value), status=ReviewStatus.APPROVED
        )
    client.force_login(director)
    page = body(client.get(indicator.get_absolute_url()))
    assert "24 / 30 = 80,00 %" in page
    assert "Solo el año 2026" in page and "14 / 20 = 70,00 %" in page


def test_indicator_detail_charts_targets_values_and_compliance_over_the_bands(
    client, director, goal, unit, periods
):
    indicator = factories.IndicatorFactory(goal=goal, unit=unit, measurement_unit="trámites")
    for period, target in zip(periods[:2], ("40", "60"), strict=True):
        factories.TargetFactory(indicator=indicator, period=period, value=Decimal(target))
    factories.MeasurementFactory(
        indicator=indicator, period=periods[0], value=Decimal("30"), status=ReviewStatus.APPROVED
    )
    client.force_login(director)
    response = client.get(indicator.get_absolute_url())
    targets, compliance = response.context["charts"]
    assert targets.rows[:2] == (("T1", "40", "30"), ("T2", "60", "—"))
    assert compliance.rows[0] == ("T1", "75,00 %")  # 30 / 40
    assert "rojo por debajo de 60 %, amarillo hasta 80 %" in compliance.description
    page = body(response)
    assert page.count('<svg role="img" aria-label="') == 2


def test_indicator_detail_without_figures_draws_no_chart(client, director, goal, unit, periods):
    indicator = factories.IndicatorFactory(goal=goal, unit=unit)
    client.force_login(director)
    assert client.get(indicator.get_absolute_url()).context["charts"] == []


def test_indicator_form_explains_each_accumulation_type_and_polarity(client, planner, goal):
    client.force_login(planner)
    page = body(client.get(reverse("evaluation:indicator-create") + f"?meta={goal.pk}"))
    assert "<strong>Flujo</strong>: lo que ocurre en cada periodo; el año suma" in page
    assert "<strong>Capacidad</strong>:" in page and "<strong>Reducción anual</strong>:" in page
    assert "<strong>Mantenimiento</strong>: mantener en la meta" in page
    client.cookies["django_language"] = "en"
    english = body(client.get(reverse("evaluation:indicator-create") + f"?meta={goal.pk}"))
    assert "what happens in each period; the year adds the periods up" in english
