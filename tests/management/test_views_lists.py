"""Lists of actions, indicators, progress reports and budget lines: filters, sorting,
pagination, figures for a period and who may read them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from mipg.core.models import InstitutionalPlan, ReviewStatus
from tests import factories
from tests.pages import body

pytestmark = pytest.mark.django_db


def rows(response):
    """The text of the first cell of each body row of the page's table."""
    tbody = re.search(r"<tbody>(.*?)</tbody>", body(response), re.S)
    if tbody is None:
        return []
    cells = re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>", tbody.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


@pytest.fixture
def data(unit, other_unit):
    """Two actions of two units under objectives with different policies and tags, with a
    report, an indicator and an allocation each."""
    plan = factories.PlanFactory(name="Plan de Acción 2026")
    t1 = factories.PeriodFactory(
        plan=plan,
        label="T1",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 3, 31),
    )
    t2 = factories.PeriodFactory(
        plan=plan,
        label="T2",
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    digital = factories.GoalFactory(
        objective=factories.ObjectiveFactory(
            plan=plan, code="O1", policies=[factories.policy("P06")]
        ),
        code="M1",
        unit=unit,
    )
    people = factories.GoalFactory(
        objective=factories.ObjectiveFactory(
            plan=plan, code="O2", policies=[factories.policy("P01")]
        ),
        code="M2",
        unit=other_unit,
    )
    alfa = factories.ActionFactory(
        goal=digital,
        code="ACT-ALFA",
        name="Sede electrónica",
        institutional_plans=[InstitutionalPlan.objects.get(code="PETI")],
    )
    beta = factories.ActionFactory(
        goal=people,
        code="ACT-BETA",
        name="Plan de vacantes",
        institutional_plans=[InstitutionalPlan.objects.get(code="PAV")],
    )
    factories.ProgressReportFactory(
        action=alfa, period=t1, progress=Decimal("40"), status=ReviewStatus.APPROVED
    )
    factories.ProgressReportFactory(action=beta, period=t2, progress=Decimal("10"))
    green = factories.IndicatorFactory(goal=digital, code="IND-VERDE", unit=unit)
    red = factories.IndicatorFactory(goal=people, code="IND-ROJO", unit=other_unit)
    for indicator, value in ((green, "9"), (red, "3")):
        factories.TargetFactory(indicator=indicator, period=t1, value=Decimal("10"))
        factories.MeasurementFactory(
            indicator=indicator, period=t1, value=Decimal(value), status=ReviewStatus.APPROVED
        )
    alfa_budget = factories.AllocationFactory(
        action=alfa, rubro="R-ALFA", appropriation=Decimal("2000000"), year=2026
    )
    factories.ExecutionFactory(allocation=alfa_budget, stage="cdp", amount=Decimal("1500000"))
    factories.ExecutionFactory(allocation=alfa_budget, stage="commitment", amount=Decimal("500000"))
    factories.AllocationFactory(action=beta, rubro="R-BETA", appropriation=Decimal("1000000"))
    return {"plan": plan, "t1": t1, "t2": t2, "alfa": alfa, "beta": beta}


ACTIONS = reverse("planning:action-list")
INDICATORS = reverse("evaluation:indicator-list")
REPORTS = reverse("management:report-list")
ALLOCATIONS = reverse("management:allocation-list")


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ["ACT-ALFA", "ACT-BETA"]),
        ({"unit": "unit"}, ["ACT-ALFA"]),
        ({"policy": "P06"}, ["ACT-ALFA"]),
        ({"dimension": "P01"}, ["ACT-BETA"]),
        ({"institutional_plan": "PAV"}, ["ACT-BETA"]),
        ({"q": "vacantes"}, ["ACT-BETA"]),
    ],
)
def test_action_list_filters(client, planner, data, unit, query, expected):
    values = {
        "unit": lambda _v: unit.pk,
        "policy": lambda code: factories.policy(code).pk,
        "dimension": lambda code: factories.policy(code).dimension_id,
        "institutional_plan": lambda code: InstitutionalPlan.objects.get(code=code).pk,
        "q": lambda v: v,
    }
    client.force_login(planner)
    params = {name: values[name](value) for name, value in query.items()}
    assert rows(client.get(ACTIONS, params)) == expected


def test_action_list_shows_progress_tags_and_policies(client, planner, data):
    client.force_login(planner)
    page = body(client.get(ACTIONS))
    assert "40,00 %" in page  # approved progress of ACT-ALFA
    assert "sin reporte aprobado" in page  # ACT-BETA has only a draft
    assert "Plan Anual de Vacantes" in page
    assert ">P06<" in page


def test_action_list_sorts_by_the_chosen_column(client, planner, data):
    client.force_login(planner)
    response = client.get(ACTIONS, {"ordering": "-code"})
    assert rows(response) == ["ACT-BETA", "ACT-ALFA"]
    page = body(response)
    assert 'aria-sort="descending"' in page
    assert 'href="?ordering=code"' in page  # the header toggles the direction


def test_action_list_paginates_25_per_page_keeping_filters(client, planner, unit):
    goal = factories.GoalFactory(unit=unit)
    for i in range(30):
        factories.ActionFactory(goal=goal, code=f"A{i:02d}")
    client.force_login(planner)
    first = client.get(ACTIONS, {"unit": unit.pk, "ordering": "code"})
    assert rows(first) == [f"A{i:02d}" for i in range(25)]
    assert "30 resultados" in body(first)
    assert f"?unit={unit.pk}&amp;ordering=code&amp;page=2" in body(first)
    second = client.get(ACTIONS, {"unit": unit.pk, "ordering": "code", "page": 2})
    assert rows(second) == [f"A{i:02d}" for i in range(25, 30)]


def test_list_export_links_keep_the_filters(client, planner, data, unit):
    client.force_login(planner)
    page = body(client.get(ACTIONS, {"unit": unit.pk, "page": 1}))
    assert f'href="/planeacion/actividades/exportar/csv/?unit={unit.pk}"' in page
    assert f'href="/planeacion/actividades/exportar/xlsx/?unit={unit.pk}"' in page


def test_indicator_list_shows_figures_of_the_chosen_period(client, planner, data):
    client.force_login(planner)
    page = body(client.get(INDICATORS, {"period": data["t1"].pk, "ordering": "code"}))
    assert "90,00 %" in page and "30,00 %" in page
    assert "Verde" in page and "Rojo" in page
    without_period = body(client.get(INDICATORS))
    assert "Cumplimiento" not in without_period
    assert "Elija un periodo en los filtros" in without_period


@pytest.mark.parametrize("state, expected", [("verde", ["IND-VERDE"]), ("rojo", ["IND-ROJO"])])
def test_indicator_list_filters_by_semaforo_in_a_period(client, planner, data, state, expected):
    client.force_login(planner)
    response = client.get(INDICATORS, {"period": data["t1"].pk, "semaforo": state})
    assert rows(response) == expected


def test_indicator_list_semaforo_without_period_asks_for_one(client, planner, data):
    client.force_login(planner)
    response = client.get(INDICATORS, {"semaforo": "verde"})
    assert "Elija un periodo para filtrar por semáforo." in body(response)
    assert rows(response) == ["IND-ROJO", "IND-VERDE"]  # the semáforo filter is not applied


def test_indicator_list_filters_by_unit_policy_and_dimension(client, planner, data, other_unit):
    client.force_login(planner)
    assert rows(client.get(INDICATORS, {"unit": other_unit.pk})) == ["IND-ROJO"]
    assert rows(client.get(INDICATORS, {"policy": factories.policy("P06").pk})) == ["IND-VERDE"]
    dimension = factories.policy("P01").dimension_id
    assert rows(client.get(INDICATORS, {"dimension": dimension})) == ["IND-ROJO"]


def test_indicator_list_sorts_by_code_both_ways(client, planner, data):
    client.force_login(planner)
    factories.IndicatorFactory(goal=data["alfa"].goal, code="IND-ZZ", name="Aaa primero")
    names = rows(client.get(INDICATORS, {"ordering": "code"}))
    assert names == ["IND-ROJO", "IND-VERDE", "IND-ZZ"]
    assert rows(client.get(INDICATORS, {"ordering": "-code"})) == names[::-1]


def test_report_list_filters_by_status_period_and_unit(client, planner, data, unit):
    client.force_login(planner)
    assert rows(client.get(REPORTS, {"status": "approved"})) == ["ACT-ALFA Sede electrónica"]
    assert rows(client.get(REPORTS, {"period": data["t2"].pk})) == ["ACT-BETA Plan de vacantes"]
    assert rows(client.get(REPORTS, {"unit": unit.pk})) == ["ACT-ALFA Sede electrónica"]
    assert rows(client.get(REPORTS, {"ordering": "-progress"})) == [
        "ACT-ALFA Sede electrónica",
        "ACT-BETA Plan de vacantes",
    ]


def test_report_list_period_choices_name_the_plan(client, planner, data):
    client.force_login(planner)
    assert "Plan de Acción 2026 · T1" in body(client.get(REPORTS))


def test_allocation_list_shows_totals_and_commitment_percent(client, planner, data):
    client.force_login(planner)
    response = client.get(ALLOCATIONS, {"ordering": "rubro"})
    assert rows(response) == ["ACT-ALFA Sede electrónica", "ACT-BETA Plan de vacantes"]
    page = body(response)
    assert "$ 2.000.000" in page and "$ 1.500.000" in page and "$ 500.000" in page
    assert "25,00 %" in page  # 500 000 ÷ 2 000 000


def test_allocation_list_filters_by_unit_policy_and_decreto_612_plan(
    client, planner, data, other_unit
):
    client.force_login(planner)
    beta = ["ACT-BETA Plan de vacantes"]
    assert rows(client.get(ALLOCATIONS, {"unit": other_unit.pk})) == beta
    assert rows(client.get(ALLOCATIONS, {"policy": factories.policy("P01").pk})) == beta
    pav = InstitutionalPlan.objects.get(code="PAV").pk
    assert rows(client.get(ALLOCATIONS, {"institutional_plan": pav})) == beta
    assert rows(client.get(ALLOCATIONS, {"year": 2025})) == []


def test_allocation_totals_are_not_inflated_by_many_valued_filters(client, planner, unit):
    """An objective with two policies must not count each execution twice."""
    action = factories.ActionFactory(
        goal=factories.GoalFactory(
            objective=factories.ObjectiveFactory(
                policies=[factories.policy("P06"), factories.policy("P07")]
            )
        )
    )
    allocation = factories.AllocationFactory(action=action, appropriation=Decimal("1000"))
    factories.ExecutionFactory(allocation=allocation, stage="cdp", amount=Decimal("700"))
    client.force_login(planner)
    page = body(client.get(ALLOCATIONS, {"dimension": factories.policy("P06").dimension_id}))
    assert "$ 700" in page and "$ 1.400" not in page


@pytest.mark.parametrize("persona", ["responsible", "outsider", "director", "auditor"])
@pytest.mark.parametrize("url", [ACTIONS, INDICATORS, REPORTS, ALLOCATIONS])
def test_lists_are_readable_by_every_internal_role(client, data, persona, url, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    # The other unit's report is a draft: a Responsable of `unit` sees only the approved one.
    assert len(rows(response)) == (1 if (url, persona) == (REPORTS, "responsible") else 2)
    assert "Exportar CSV" in body(response)


@pytest.mark.parametrize("url", [ACTIONS, INDICATORS, REPORTS, ALLOCATIONS])
def test_lists_are_forbidden_to_users_without_a_role(client, data, url):
    client.force_login(factories.UserFactory())
    response = client.get(url)
    assert response.status_code == 403
    assert "Acceso denegado" in body(response)


@pytest.mark.parametrize("url", [ACTIONS, INDICATORS, REPORTS, ALLOCATIONS])
def test_lists_send_anonymous_users_to_login(client, url):
    assert client.get(url)["Location"].startswith("/cuenta/login/")


def test_lists_say_when_no_row_matches(client, planner, data):
    client.force_login(planner)
    assert "Ninguna actividad cumple los filtros." in body(client.get(ACTIONS, {"q": "nada"}))


def test_navigation_links_to_the_lists(client, responsible):
    client.force_login(responsible)
    page = body(client.get(reverse("management:my-pending")))
    for url in (ACTIONS, INDICATORS, REPORTS, ALLOCATIONS):
        assert f'href="{url}"' in page
