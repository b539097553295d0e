"""«Explicar este porcentaje» of a plan served by others explains the dashboard's figure:
the items of the serving plans are the contributions (docs/rollup.md, worked example).

PEI: PEI-1 (60) and PEI-2 (40). Plan de Acción 2026: O1 (50) → PEI-1 with M1a (80, own
alignment none, executed 40 %) and M1b (20, serves PEI-2 itself, 90 %); O2 (50) → PEI-2,
60 %. Plan de Acción 2025: O9 (100) → PEI-2, 30 %. Everything planned 100 % at T1.
"""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from mipg.traceability.dashboard import plan_dashboard
from tests import factories
from tests.traceability.test_strategic_rollup import serving_goal, serving_objective, serving_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def pei(db):
    pei = factories.PlanFactory(name="PEI", kind="pei", start_year=2024, end_year=2027)
    pei.first = factories.ObjectiveFactory(plan=pei, code="PEI-1", weight=D("60"))
    pei.second = factories.ObjectiveFactory(plan=pei, code="PEI-2", weight=D("40"))
    plan, period = serving_plan(pei, 2026)
    o1 = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("50"), serves=pei.first)
    serving_goal(o1, period, "M1a", "80", progress="40", budget="1000", indicator="5")
    pei.m1b = serving_goal(
        o1, period, "M1b", "20", progress="90", budget="500", indicator="10", serves=pei.second
    )
    pei.o1 = o1
    pei.o2 = serving_objective(
        plan, period, "O2", "50", pei.second, progress="60", budget="2000", indicator="7"
    )
    pei.plan_2026 = plan
    older, older_period = serving_plan(pei, 2025)
    pei.o9 = serving_objective(
        older, older_period, "O9", "100", pei.second, progress="30", budget="700", indicator="3"
    )
    pei.plan_2025 = older
    return pei


def explain(client, plan, node):
    response = client.get(reverse("planning:plan-explain", args=[plan.pk]), {"node": node})
    return response.context["explanation"], response.content.decode()


def rounded(value):
    return value.quantize(D("0.0001"))


def test_explain_of_a_served_objective_adds_up_to_the_dashboards_figure(client, director, pei):
    client.force_login(director)
    dashboard = {g.key: g for g in plan_dashboard(pei).objectives}
    explanation, body = explain(client, pei, f"objective-{pei.second.pk}")

    # PEI-2 over the term: 2026 (10·90 + 50·60) / 60 = 65, 2025 30; (65 + 30) / 2 = 47,5
    rows = [
        (
            c.plan,
            c.kind,
            c.node.id,
            c.weight,
            rounded(c.share),
            c.executed,
            rounded(c.adds_executed),
        )
        for c in explanation.children
    ]
    assert rows == [
        # M1b: share of its plan 50 × 20 / 100 = 10; 10 / 60 / 2 years = 8,3333 %
        (pei.plan_2025, "objective", pei.o9.pk, D(100), D("50.0000"), D(30), D("15.0000")),
        (pei.plan_2026, "goal", pei.m1b.pk, D(10), D("8.3333"), D(90), D("7.5000")),
        (pei.plan_2026, "objective", pei.o2.pk, D(50), D("41.6667"), D(60), D("25.0000")),
    ]
    total = sum(c.adds_executed for c in explanation.children)
    assert rounded(total) == rounded(explanation.node.physical) == D("47.5000")
    assert explanation.node.physical == dashboard[pei.second.pk].executed
    assert "47,50 %" in body
    link = reverse("planning:plan-explain", args=[pei.plan_2026.pk])
    assert f'href="{link}?period=' in body and f"node=goal-{pei.m1b.pk}" in body


def test_explain_of_a_served_objective_shows_the_rest_of_a_split_objective(client, director, pei):
    client.force_login(director)
    explanation, body = explain(client, pei, f"objective-{pei.first.pk}")
    # PEI-1: only the rest of O1 (M1a, share 50 × 80 / 100 = 40) serves it, in 2026 only
    (rest,) = explanation.children
    assert (rest.rest, rest.node.id, rest.weight, rest.share) == (True, pei.o1.pk, D(40), D(100))
    assert rest.adds_executed == explanation.node.physical == D(40)
    assert "sus metas sin alineación propia" in body


def test_explain_of_a_served_plan_is_the_dashboards_total(client, director, pei):
    client.force_login(director)
    dashboard = plan_dashboard(pei)
    explanation, _body = explain(client, pei, "plan")
    # 60 % × 40 + 40 % × 47,5 = 24 + 19 = 43
    assert [rounded(c.adds_executed) for c in explanation.children] == [D(24), D(19)]
    assert explanation.node.physical == dashboard.total.executed == D(43)
