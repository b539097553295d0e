"""The plan dashboard (mipg.traceability.dashboard): figures against hand-computed values,
the same as the tree's, and a query count that does not grow with the plan."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from evaluation.selectors import SemaforoState
from mipg.core.models import ReviewStatus
from mipg.traceability.dashboard import action_shares, plan_dashboard
from mipg.traceability.rollup import plan_rollup, with_serving_flag
from mipg.traceability.views.dashboard import INDICATOR_LIMIT
from planning.models import StrategicPlan
from tests import factories
from tests.builders import build_plan, dashboard_example

D = Decimal
TODAY = datetime.date(2026, 7, 15)


@pytest.fixture
def small(db):
    return dashboard_example()


def by_label(groups):
    return {g.label: g for g in groups}


def test_action_shares_are_the_product_of_normalised_weights(small):
    a1, a2, a3 = small["actions"]
    shares = action_shares(plan_rollup(small["plan"], period=small["t2"]).physical)
    assert shares == {a1.pk: D("0.3"), a2.pk: D("0.3"), a3.pk: D("0.4")}


def test_dashboard_plan_figures_are_the_tree_figures(small):
    dash = plan_dashboard(small["plan"], period=small["t2"], today=TODAY)
    # executed 0.3·80 + 0.3·40 + 0.4·20 = 44; planned 0.3·100 + 0.3·40 + 0.4·100 = 82
    assert dash.total.executed == D(44)
    assert dash.total.planned == D(82)
    assert round(dash.total.compliance, 2) == D("53.66")  # 44 / 82
    assert dash.total.state == "rojo"
    assert dash.total.executed == dash.rollup.physical.plan.physical
    assert dash.total.finance.definitive == D(4_000_000)
    assert dash.total.finance.commitment == D(500_000)


def test_dashboard_ranks_units_by_their_share_weighted_figures(small):
    dash = plan_dashboard(small["plan"], period=small["t2"], today=TODAY)
    unit_a = by_label(dash.units)["Unidad A"]
    unit_b = by_label(dash.units)["Unidad B"]
    # A: executed (0.3·80 + 0.4·20) / 0.7 = 45.71; planned (0.3·100 + 0.4·100) / 0.7 = 100
    assert round(unit_a.executed, 2) == D("45.71")
    assert unit_a.planned == D(100)
    assert round(unit_a.compliance, 2) == D("45.71")
    # B: executed 40 of planned 40 → 100 %, first in the ranking
    assert (unit_b.executed, unit_b.planned, unit_b.compliance) == (D(40), D(40), D(100))
    assert [g.label for g in dash.units] == ["Unidad B", "Unidad A"]
    assert unit_a.finance.appropriation == D(4_000_000)
    assert unit_b.finance.appropriation == 0


def test_dashboard_filtered_by_unit_uses_only_its_actions(small):
    unit_a, _unit_b = small["units"]
    dash = plan_dashboard(small["plan"], period=small["t2"], unit=unit_a, today=TODAY)
    assert dash.filtered
    assert round(dash.total.executed, 2) == D("45.71")
    assert dash.total.actions == 2
    assert [g.label for g in dash.units] == ["Unidad A"]
    assert len(dash.objectives) == 1 and round(dash.objectives[0].executed, 2) == D("45.71")


def test_dashboard_groups_by_policy_dimension_and_decreto_612_plan(small):
    dash = plan_dashboard(small["plan"], period=small["t2"], today=TODAY)
    (policy,) = dash.policies
    assert policy.key == "P10" and policy.executed == D(44) and policy.actions == 3
    (dimension,) = dash.dimensions
    assert dimension.executed == D(44)
    (pinar,) = dash.institutional_plans
    assert pinar.key == small["pinar"].code and pinar.executed == D(40)


def test_dashboard_lists_lagging_and_overdue_actions(small):
    a1, a2, a3 = small["actions"]
    dash = plan_dashboard(small["plan"], period=small["t2"], today=TODAY)
    # A3: 20 of 100 planned → rojo, and it ended on 30 June below 100 %.
    assert [node.id for node in dash.lagging] == [a3.pk]
    assert [node.id for node in dash.overdue] == [a3.pk]
    assert (dash.lagging_count, dash.overdue_count) == (1, 1)


def test_dashboard_trend_ends_at_the_cut_with_the_plan_figures(small):
    dash = plan_dashboard(small["plan"], period=small["t2"], today=TODAY)
    (t1, planned1, executed1), (t2, planned2, executed2) = dash.trend
    assert (t1.label, t2.label) == ("T1", "T2")
    # T1: planned 0.3·50 + 0.3·20 + 0.4·50 = 41; executed 0.3·30 + 0.4·20 = 17
    assert (planned1, executed1) == (D(41), D(17))
    assert (planned2, executed2) == (dash.total.planned, dash.total.executed)


def test_dashboard_budget_funnel_by_funding_source(small):
    dash = plan_dashboard(small["plan"], period=small["t2"], today=TODAY)
    ((source, totals),) = dash.funnel
    assert source == "Recursos propios"
    assert (totals.definitive, totals.cdp, totals.commitment, totals.payment) == (
        D(4_000_000),
        D(600_000),
        D(500_000),
        0,
    )


def test_dashboard_semaforo_counts_and_only_reds(small):
    a1, _a2, a3 = small["actions"]
    red = factories.IndicatorFactory(goal=a1.goal, code="IND-R")
    factories.TargetFactory(indicator=red, period=small["t2"], value=D(100))
    factories.MeasurementFactory(
        indicator=red, period=small["t2"], value=D(10), status=ReviewStatus.APPROVED
    )
    green = factories.IndicatorFactory(goal=a3.goal, code="IND-V")
    factories.TargetFactory(indicator=green, period=small["t2"], value=D(10))
    factories.MeasurementFactory(
        indicator=green, period=small["t2"], value=D(10), status=ReviewStatus.APPROVED
    )
    dash = plan_dashboard(small["plan"], period=small["t2"], today=TODAY)
    counts = {state: count for state, _label, count in dash.semaforo}
    assert counts[SemaforoState.RED] == 1 and counts[SemaforoState.GREEN] == 1
    reds = plan_dashboard(small["plan"], period=small["t2"], only_reds=True, today=TODAY)
    assert [i.code for i, _r in reds.indicators] == ["IND-R"]


def test_dashboard_queries_do_not_grow_with_the_plan(count_queries):
    counts = []
    for size in (12, 36):
        plan = with_serving_flag(StrategicPlan.objects).get(pk=build_plan(size).pk)
        with count_queries() as counted:
            plan_dashboard(plan, today=TODAY)
        counts.append(counted.count)
    # periods + the roll-up at that cut (8: entity, objectives, goals, actions, budget by
    # action and source (2), indicators, their targets with measurements) + the links to
    # policies and Decreto 612 plans + the units' names + the trend (programación with the
    # approved reports); the funnel comes from the roll-up's budget by source
    assert counts == [12, 12]


# --- the pages ------------------------------------------------------------------------


def dashboard_page(client, small, **params):
    query = {"plan": small["plan"].pk, "period": small["t2"].pk, **params}
    return client.get(reverse("dashboard"), query)


def test_dashboard_page_shows_the_hand_computed_figures_and_charts(client, director, small):
    client.force_login(director)
    response = dashboard_page(client, small)
    page = response.content.decode()
    assert "44,00 %" in page and "Programado: 82,00 %" in page  # the plan
    assert "45,71 %" in page  # unit A
    ranking = page.split('id="por-dependencia"', 1)[1]
    assert ranking.index("Unidad B") < ranking.index("Unidad A")
    assert "$ 4.000.000" in page  # apropiación definitiva
    # four charts, each an image with a name, its caption and its data table
    assert page.count('<svg role="img" aria-label="') == 4
    assert page.count('class="table table-sm small chart-data') == 4
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    explain = reverse("planning:plan-explain", args=[small["plan"].pk])
    assert f'href="{explain}?period={small["t2"].pk}"' in page


def test_dashboard_page_filters_by_unit_and_shows_only_reds(client, director, small):
    unit_a, _unit_b = small["units"]
    client.force_login(director)
    page = dashboard_page(client, small, unit=unit_a.pk).content.decode()
    assert "Filtrado: 2 actividades" in page and "45,71 %" in page
    assert "Unidad B" not in page.split("Por dependencia", 1)[1].split("Por dimensión", 1)[0]
    page = dashboard_page(client, small, only_reds="on").content.decode()
    assert "Ningún indicador está en rojo." in page


def test_dashboard_page_refuses_a_period_of_another_plan_next_to_the_field(client, director, small):
    other = factories.PeriodFactory(label="Otro plan T1")
    client.force_login(director)
    response = dashboard_page(client, small, period=other.pk)
    assert response.status_code == 200
    assert response.context["form"].errors["period"]
    assert response.context["dashboard"].period == small["t2"]  # the default cut


def test_dashboard_needs_a_login(client, small):
    response = dashboard_page(client, small)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_dashboard_page_queries_do_not_grow_with_the_plan(client, director, count_queries):
    client.force_login(director)
    counts = []
    for size in (12, 36):
        plan = build_plan(size)
        client.get(reverse("dashboard"), {"plan": plan.pk})
        with count_queries() as counted:
            client.get(reverse("dashboard"), {"plan": plan.pk})
        counts.append(counted.count)
    # The request: session, user, the user's and the groups' permissions (4). The form:
    # the plans, the chosen plan's periods, units, policies with their dimensions,
    # Decreto 612 plans (5). The dashboard: entity, objectives, goals, actions,
    # appropriations, modifications with executions, indicators, targets with
    # measurements (the roll-up, 8), the links to policies and Decreto 612 plans, the
    # trend (10). The menu: the user's groups (1).
    assert counts == [20, 20]


def test_dashboard_export_has_a_sheet_per_table_with_the_same_figures(client, director, small):
    client.force_login(director)
    query = {"plan": small["plan"].pk, "period": small["t2"].pk}
    response = client.get(reverse("dashboard-export"), query)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[:3] == ["Plan", "Objetivos", "Dependencias"]
    plan_sheet = list(workbook["Plan"].values)
    assert plan_sheet[0][:4] == (
        "Plan",
        "Actividades",
        "Avance programado (%)",
        "Avance ejecutado (%)",
    )
    assert plan_sheet[1][1:4] == (3, 82, 44)
    units = {row[0]: row for row in list(workbook["Dependencias"].values)[1:]}
    assert round(units["Unidad A"][3], 2) == 45.71
    funnel = list(workbook["Presupuesto por fuente"].values)
    assert funnel[1][:4] == ("Recursos propios", 4_000_000, 600_000, 500_000)


def explain_page(client, small, node=""):
    url = reverse("planning:plan-explain", args=[small["plan"].pk])
    return client.get(url, {"period": small["t2"].pk, "node": node})


def test_explain_shows_the_weighted_contributions_down_to_the_reports(client, director, small):
    a1, _a2, _a3 = small["actions"]
    client.force_login(director)
    plan = explain_page(client, small)
    (objective,) = plan.context["explanation"].children
    assert (objective.share, objective.adds_executed) == (D(100), D(44))
    goals = explain_page(client, small, objective.key).context["explanation"].children
    # M1: 60 % × (0,5·80 + 0,5·40 = 60) = 36; M2: 40 % × 20 = 8; 36 + 8 = 44
    assert [(g.share, g.executed, g.adds_executed) for g in goals] == [
        (D(60), D(60), D(36)),
        (D(40), D(20), D(8)),
    ]
    page = explain_page(client, small, f"action-{a1.pk}")
    assert [r.progress for r in page.context["reports"]] == [D(80), D(30)]
    body = page.content.decode()
    report = page.context["reports"][0]
    assert reverse("management:report-detail", args=[report.pk]) in body
    assert "80,00 %" in body


def test_explain_refuses_unknown_nodes_and_nodes_of_other_plans(client, director, small):
    client.force_login(director)
    elsewhere = factories.ActionFactory()
    assert explain_page(client, small, "action-abc").status_code == 404
    assert explain_page(client, small, f"action-{elsewhere.pk}").status_code == 404
    assert explain_page(client, small, "plan").status_code == 200


def test_explain_page_queries_do_not_grow_with_the_plan(client, director, count_queries):
    client.force_login(director)
    counts = []
    for size in (12, 36):
        plan = build_plan(size)
        url = reverse("planning:plan-explain", args=[plan.pk])
        client.get(url)
        with count_queries() as counted:
            response = client.get(url, {"node": "plan"})
        assert response.status_code == 200
        assert len(response.context["explanation"].children) == 2  # the two objectives
        counts.append(counted.count)
    assert counts[0] == counts[1], counts


def test_dashboard_page_lists_the_first_indicators_and_counts_them_all(client, director, small):
    goal = small["actions"][0].goal
    factories.IndicatorFactory.create_batch(INDICATOR_LIMIT + 1, goal=goal)
    client.force_login(director)
    response = client.get(reverse("dashboard"), {"plan": small["plan"].pk})
    everything = response.context["dashboard"].indicators
    assert len(everything) > INDICATOR_LIMIT
    assert response.context["indicators_shown"] == everything[:INDICATOR_LIMIT]
    assert sum(n for _state, _label, n in response.context["dashboard"].semaforo) == len(everything)
    assert (
        f"Se muestran los primeros {INDICATOR_LIMIT} de {len(everything)}; la exportación"
        in response.content.decode()
    )
