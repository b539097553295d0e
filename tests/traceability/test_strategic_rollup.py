"""The strategic plan rolls up from the plans that serve it (MIPG.md §3, issue 8 §4).

PEI 2024–2027: PEI-1 (weight 60) and PEI-2 (40). Plan de Acción 2026 serves it: O1 (50) and
O2 (30) serve PEI-1, O3 (20) serves PEI-2; each with one goal and one action planned at
100 % at the cut (T1), executed 40, 80 and 50 %, appropriations 1.000, 3.000 and 2.000,
and one goal indicator at 100 % (capped), 40 % and 50 %.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from evaluation.selectors import SemaforoState
from mipg.core.models import ReviewStatus
from mipg.traceability.rollup import rollup_of, strategic_rollup
from tests import factories

pytestmark = pytest.mark.django_db


def serving_plan(pei, year):
    plan = factories.PlanFactory(
        name=f"Plan de Acción {year}", start_year=year, end_year=year, parent=pei
    )
    period = factories.PeriodFactory(
        plan=plan,
        label="T1",
        start_date=datetime.date(year, 1, 1),
        end_date=datetime.date(year, 3, 31),
    )
    return plan, period


def serving_objective(plan, period, code, weight, serves, *, progress, budget, indicator):
    """An objective of `plan` serving `serves`: one goal, one action planned 100 % at
    `period`, approved `progress`, appropriation `budget`, one goal indicator at target 10
    and value `indicator`."""
    objective = factories.ObjectiveFactory(plan=plan, code=code, weight=D(weight), serves=serves)
    goal = factories.GoalFactory(objective=objective, code=f"M{code}", weight=D("100"))
    action = factories.ActionFactory(
        goal=goal,
        code=f"A{code}",
        weight=D("100"),
        start_date=period.start_date,
        end_date=period.end_date,
    )
    factories.ProgressReportFactory(
        action=action, period=period, progress=D(progress), status=ReviewStatus.APPROVED
    )
    factories.AllocationFactory(action=action, year=plan.start_year, appropriation=D(budget))
    measure = factories.IndicatorFactory(goal=goal)
    factories.TargetFactory(indicator=measure, period=period, value=D("10"))
    factories.MeasurementFactory(
        indicator=measure, period=period, value=D(indicator), status=ReviewStatus.APPROVED
    )
    return objective


@pytest.fixture
def pei(db):
    pei = factories.PlanFactory(name="PEI", kind="pei", start_year=2024, end_year=2027)
    pei.first = factories.ObjectiveFactory(plan=pei, code="PEI-1", weight=D("60"))
    pei.second = factories.ObjectiveFactory(plan=pei, code="PEI-2", weight=D("40"))
    return pei


@pytest.fixture
def plan_2026(pei):
    plan, period = serving_plan(pei, 2026)
    serving_objective(
        plan, period, "O1", "50", pei.first, progress="40", budget="1000", indicator="12"
    )
    serving_objective(
        plan, period, "O2", "30", pei.first, progress="80", budget="3000", indicator="4"
    )
    serving_objective(
        plan, period, "O3", "20", pei.second, progress="50", budget="2000", indicator="5"
    )
    return plan


def test_strategic_objectives_roll_up_physical_by_serving_weights(pei, plan_2026):
    rollup = strategic_rollup(pei)

    first, second = (
        rollup.physical.objectives[pei.first.pk],
        rollup.physical.objectives[pei.second.pk],
    )
    # PEI-1: (50·40 + 30·80) / (50 + 30) = 4400 / 80 = 55; planned 100 → compliance 55
    assert (first.physical, first.planned, first.compliance) == (D("55"), D("100"), D("55"))
    assert first.has_children and first.has_report
    # PEI-2: 50
    assert second.physical == D("50")
    # Plan: (60·55 + 40·50) / 100 = 53; planned 100
    assert (rollup.physical.plan.physical, rollup.physical.plan.planned) == (D("53"), D("100"))


def test_strategic_objectives_roll_up_budget_as_sums(pei, plan_2026):
    rollup = strategic_rollup(pei)

    assert rollup.financial.objectives[pei.first.pk].appropriation == D("4000")  # 1000 + 3000
    assert rollup.financial.objectives[pei.second.pk].appropriation == D("2000")
    assert rollup.financial.plan.appropriation == D("6000")
    assert rollup.financial.plan.definitive == D("6000")


def test_strategic_semaforo_from_the_serving_indicators(pei, plan_2026):
    rollup = strategic_rollup(pei)

    first = rollup.objective_semaforo[pei.first.pk]
    # O1 100 (12/10 capped), O2 40: (50·100 + 30·40) / 80 = 77.5 → amarillo
    assert (first.compliance, first.state, first.indicators) == (
        D("77.5"),
        SemaforoState.YELLOW,
        2,
    )
    assert rollup.objective_semaforo[pei.second.pk].compliance == D("50")
    # Plan: (60·77.5 + 40·50) / 100 = 66.5 → amarillo
    assert rollup.plan_semaforo.compliance == D("66.5")
    assert rollup.plan_semaforo.state == SemaforoState.YELLOW
    assert rollup.semaforo_counts[SemaforoState.GREEN] == 1
    assert rollup.semaforo_counts[SemaforoState.RED] == 2
    assert len(rollup.indicators) == 3


def test_unaligned_items_do_not_reach_the_strategic_plan(pei, plan_2026):
    period = plan_2026.periods.get()
    serving_objective(
        plan_2026, period, "O4", "0", None, progress="100", budget="9000", indicator="10"
    )

    rollup = strategic_rollup(pei)

    assert rollup.physical.plan.physical == D("53")
    assert rollup.financial.plan.appropriation == D("6000")
    assert len(rollup.indicators) == 3


def test_per_year_and_for_the_term(pei, plan_2026):
    plan_2027, period = serving_plan(pei, 2027)
    serving_objective(
        plan_2027, period, "O1", "100", pei.first, progress="90", budget="1000", indicator="10"
    )

    year_2026 = strategic_rollup(pei, year=2026)
    year_2027 = strategic_rollup(pei, year=2027)
    term = strategic_rollup(pei)

    assert year_2026.physical.plan.physical == D("53")
    # 2027: PEI-1 90, PEI-2 served by nothing → 0: (60·90 + 40·0) / 100 = 54
    assert year_2027.physical.objectives[pei.first.pk].physical == D("90")
    assert not year_2027.physical.objectives[pei.second.pk].has_children
    assert year_2027.physical.plan.physical == D("54")
    assert year_2027.financial.plan.appropriation == D("1000")
    # Term: each objective the plain average of the years it has data: PEI-1 (55 + 90) / 2
    # = 72.5, PEI-2 50 (2026 only); plan (60·72.5 + 40·50) / 100 = 63.5
    assert term.physical.objectives[pei.first.pk].physical == D("72.5")
    assert term.physical.objectives[pei.second.pk].physical == D("50")
    assert term.physical.plan.physical == D("63.5")
    assert term.physical.plan.planned == D("100")
    # Money adds up over the years: 6000 + 1000
    assert term.financial.plan.appropriation == D("7000")
    assert term.financial.objectives[pei.first.pk].appropriation == D("5000")
    # Semáforo over the years with a score: PEI-1 (77.5 + 100) / 2 = 88.75
    assert term.objective_semaforo[pei.first.pk].compliance == D("88.75")
    assert sorted(term.years) == [2026, 2027]
    assert term.years[2027].physical.plan.physical == D("54")


def test_rollup_of_dispatches_on_served_plans(pei, plan_2026):
    assert rollup_of(pei).physical.plan.physical == D("53")
    # The action plan keeps its own roll-up: (50·40 + 30·80 + 20·50) / 100 = 54
    assert rollup_of(plan_2026).physical.plan.physical == D("54")


# plan_rollup of the PEI and of the serving plan, plus the served plans, the alignment and
# the entity's bands.
QUERIES = 25


@pytest.mark.parametrize("extra", [0, 2])
def test_query_count_does_not_grow_with_serving_items(pei, django_assert_num_queries, extra):
    """1 and 3 serving objectives: the same queries."""
    plan, period = serving_plan(pei, 2026)
    serving_objective(plan, period, "O1", "10", pei.first, progress="40", budget="1", indicator="1")
    for i in range(extra):
        serving_objective(
            plan, period, f"X{i}", "10", pei.second, progress="40", budget="1", indicator="1"
        )

    with django_assert_num_queries(QUERIES):
        strategic_rollup(pei)


def test_home_workspace_and_api_show_the_strategic_rollup(
    client, client_for, planner, pei, plan_2026
):
    client.force_login(planner)

    cards = {c["plan"].pk: c for c in client.get(reverse("home")).context["cards"]}
    workspace = client.get(pei.get_absolute_url()).context["rollup"]
    api = client_for(planner).get(f"/api/v1/plans/{pei.pk}/rollup/").json()

    assert cards[pei.pk]["rollup"].physical.plan.physical == D("53")
    assert cards[pei.pk]["rollup"].financial.plan.appropriation == D("6000")
    assert {s: n for s, _label, n in cards[pei.pk]["semaforo"]}["rojo"] == 2
    assert workspace.physical.objectives[pei.first.pk].physical == D("55")
    assert D(api["plan"]["physical"]) == D("53")
    assert [D(o["physical"]) for o in api["objectives"]] == [D("55"), D("50")]
    year = client_for(planner).get(f"/api/v1/plans/{pei.pk}/rollup/?year=2027").json()
    assert D(year["plan"]["physical"]) == D("0")
