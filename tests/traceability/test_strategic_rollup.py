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
from planning.models import ActionSchedule
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
    """An objective of `plan` serving `serves`: one goal (``serving_goal``) weighted 100."""
    objective = factories.ObjectiveFactory(plan=plan, code=code, weight=D(weight), serves=serves)
    serving_goal(
        objective, period, f"M{code}", "100", progress=progress, budget=budget, indicator=indicator
    )
    return objective


def serving_goal(objective, period, code, weight, *, progress, budget, indicator, serves=None):
    """A goal of `objective` (serving `serves` itself when given) with one action planned
    100 % at `period`, approved `progress`, appropriation `budget`, one goal indicator at
    target 10 and value `indicator`."""
    goal = factories.GoalFactory(objective=objective, code=code, weight=D(weight), serves=serves)
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
    factories.AllocationFactory(
        action=action, year=objective.plan.start_year, appropriation=D(budget)
    )
    measure = factories.IndicatorFactory(goal=goal)
    factories.TargetFactory(indicator=measure, period=period, value=D("10"))
    factories.MeasurementFactory(
        indicator=measure, period=period, value=D(indicator), status=ReviewStatus.APPROVED
    )
    return goal


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

    # The cut: the PEI has no periods, so today; Plan 2027 counts once its T1 has started.
    today = datetime.date(2027, 4, 1)
    year_2026 = strategic_rollup(pei, year=2026, today=today)
    year_2027 = strategic_rollup(pei, year=2027, today=today)
    term = strategic_rollup(pei, today=today)

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


# plan_rollup of the PEI (8: it has no period, so its default cut-off is asked once more and
# no indicator result is read) and of the serving plan (8, at the cut given), plus the PEI's
# default cut-off, the serving plans, their periods, the aligned objectives and the aligned
# goals (5); the entity's bands come with the PEI's roll-up.
QUERIES = 21


@pytest.mark.parametrize("extra", [0, 2])
def test_query_count_does_not_grow_with_serving_items(pei, django_assert_num_queries, extra):
    """1 and 3 serving objectives, 1 and 3 goals aligned on their own: the same queries."""
    plan, period = serving_plan(pei, 2026)
    objective = serving_objective(
        plan, period, "O1", "10", pei.first, progress="40", budget="1", indicator="1"
    )
    serving_goal(
        objective, period, "G0", "10", progress="40", budget="1", indicator="1", serves=pei.second
    )
    for i in range(extra):
        serving_objective(
            plan, period, f"X{i}", "10", pei.second, progress="40", budget="1", indicator="1"
        )
        serving_goal(
            objective,
            period,
            f"G{i + 1}",
            "10",
            progress="40",
            budget="1",
            indicator="1",
            serves=pei.second,
        )

    with django_assert_num_queries(QUERIES):
        rollup = strategic_rollup(pei)

    assert len(rollup.indicators) == 2 + 2 * extra


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
    # a branch of the strategic plan keeps the served figures (its whole roll-up)
    url = reverse("planning:objective-branch", args=[pei.first.pk])
    branch = client.get(url).context["rollup"]
    assert branch.physical.objectives[pei.first.pk].physical == D("55")
    assert D(api["plan"]["physical"]) == D("53")
    assert [D(o["physical"]) for o in api["objectives"]] == [D("55"), D("50")]
    year = client_for(planner).get(f"/api/v1/plans/{pei.pk}/rollup/?year=2027").json()
    assert D(year["plan"]["physical"]) == D("0")


# --- Goals aligned on their own (the example of docs/rollup.md) ---------------------------


@pytest.fixture
def goal_aligned(pei):
    """Plan de Acción 2026 (cut T1, everything planned 100 %): O1 (50) serves PEI-1 with
    goals M1a (80: executed 40, budget 1.000, indicator 5/10) and M1b (20: executed 90,
    budget 500, indicator 10/10) — M1b serves PEI-2 itself; O2 (50) serves PEI-2 with one
    goal (executed 60, budget 2.000, indicator 7/10)."""
    plan, period = serving_plan(pei, 2026)
    first = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("50"), serves=pei.first)
    serving_goal(first, period, "M1a", "80", progress="40", budget="1000", indicator="5")
    serving_goal(
        first,
        period,
        "M1b",
        "20",
        progress="90",
        budget="500",
        indicator="10",
        serves=pei.second,
    )
    serving_objective(
        plan, period, "O2", "50", pei.second, progress="60", budget="2000", indicator="7"
    )
    return plan


def test_an_aligned_goal_leaves_its_objective_for_its_own_target(pei, goal_aligned):
    """Each aligned item weighs its share of its plan: O1's M1b 50 × 20/100 = 10, the rest
    of O1 (M1a) 50 × 80/100 = 40, O2 50."""
    rollup = strategic_rollup(pei)

    first = rollup.physical.objectives[pei.first.pk]
    second = rollup.physical.objectives[pei.second.pk]
    # PEI-1: the rest of O1, i.e. M1a alone: 40 executed of 100 planned
    assert (first.physical, first.planned, first.compliance) == (D("40"), D("100"), D("40"))
    # PEI-2: (10·90 + 50·60) / (10 + 50) = 3900 / 60 = 65
    assert (second.physical, second.planned, second.compliance) == (D("65"), D("100"), D("65"))
    # Plan: (60·40 + 40·65) / 100 = 50
    assert rollup.physical.plan.physical == D("50")


def test_an_aligned_goal_takes_its_money_and_indicators_along(pei, goal_aligned):
    rollup = strategic_rollup(pei)

    # PEI-1: M1a 1.000 (O1's 1.500 less M1b's 500); PEI-2: 500 + 2.000
    assert rollup.financial.objectives[pei.first.pk].appropriation == D("1000")
    assert rollup.financial.objectives[pei.second.pk].appropriation == D("2500")
    assert rollup.financial.plan.appropriation == D("3500")
    first = rollup.objective_semaforo[pei.first.pk]
    second = rollup.objective_semaforo[pei.second.pk]
    # PEI-1: M1a's 50 % → rojo; PEI-2: (10·100 + 50·70) / 60 = 75 → amarillo
    assert (first.compliance, first.state, first.indicators) == (D("50"), SemaforoState.RED, 1)
    assert (second.compliance, second.state, second.indicators) == (
        D("75"),
        SemaforoState.YELLOW,
        2,
    )
    # Plan: (60·50 + 40·75) / 100 = 60 → amarillo; three indicators, none counted twice
    assert rollup.plan_semaforo.compliance == D("60")
    assert len(rollup.indicators) == 3
    assert sum(rollup.semaforo_counts.values()) == 3


def test_a_goal_aligned_with_its_objective_changes_nothing(pei, plan_2026):
    """A goal serving the same objective as its objective: its share and the rest add up to
    the objective: PEI-1 stays (50·40 + 30·80) / 80 = 55."""
    goal = plan_2026.objectives.get(code="O1").goals.get()
    goal.serves = pei.first
    goal.save()

    rollup = strategic_rollup(pei)

    assert rollup.physical.objectives[pei.first.pk].physical == D("55")
    assert rollup.financial.objectives[pei.first.pk].appropriation == D("4000")
    assert rollup.objective_semaforo[pei.first.pk].compliance == D("77.5")


def test_an_aligned_goal_under_an_unaligned_objective_still_counts(pei, plan_2026):
    period = plan_2026.periods.get()
    loose = factories.ObjectiveFactory(plan=plan_2026, code="O9", weight=D("0"))
    serving_goal(
        loose,
        period,
        "M9",
        "100",
        progress="100",
        budget="9000",
        indicator="10",
        serves=pei.second,
    )

    rollup = strategic_rollup(pei)

    # O9 weighs 0 in its plan, so M9's share is 0: PEI-2 keeps O3's 50, but the money adds up
    assert rollup.physical.objectives[pei.second.pk].physical == D("50")
    assert rollup.financial.objectives[pei.second.pk].appropriation == D("11000")
    assert len(rollup.indicators) == 4


# --- The cut: a period of the strategic plan ----------------------------------------------


def semesters(plan, year):
    return [
        factories.PeriodFactory(
            plan=plan,
            label=f"{year}-S1",
            start_date=datetime.date(year, 1, 1),
            end_date=datetime.date(year, 6, 30),
        ),
        factories.PeriodFactory(
            plan=plan,
            label=f"{year}-S2",
            start_date=datetime.date(year, 7, 1),
            end_date=datetime.date(year, 12, 31),
        ),
    ]


def semester_plan(pei, year, *, progress, indicator):
    """Plan de Acción `year` serving PEI-1 with O1 (100) → one goal → one action programmed
    50 % at S1 and 100 % at S2, approved `progress` (S1, S2), and one goal indicator (flujo)
    with target 10 each semester and approved values `indicator` (S1, S2; None: none)."""
    plan = factories.PlanFactory(
        name=f"Plan de Acción {year}", start_year=year, end_year=year, parent=pei
    )
    periods = semesters(plan, year)
    objective = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("100"), serves=pei.first)
    goal = factories.GoalFactory(objective=objective, code="M1", weight=D("100"))
    action = factories.ActionFactory(
        goal=goal,
        code="A1",
        weight=D("100"),
        start_date=periods[0].start_date,
        end_date=periods[1].end_date,
    )
    measure = factories.IndicatorFactory(goal=goal)
    for period, planned, done, value in zip(
        periods, ("50", "100"), progress, indicator, strict=True
    ):
        ActionSchedule.objects.create(action=action, period=period, planned=D(planned))
        factories.ProgressReportFactory(
            action=action, period=period, progress=D(done), status=ReviewStatus.APPROVED
        )
        factories.TargetFactory(indicator=measure, period=period, value=D("10"))
        if value is not None:
            factories.MeasurementFactory(
                indicator=measure, period=period, value=D(value), status=ReviewStatus.APPROVED
            )
    factories.AllocationFactory(action=action, year=year, appropriation=D("1000"))
    return plan


@pytest.fixture
def two_years(db):
    """PEI 2024–2027 with one objective PEI-1 (100) and semester periods in 2024 and 2025;
    Plan de Acción 2024: executed 40 % (S1) and 80 % (S2), indicator 10 and 4;
    Plan de Acción 2025: executed 30 % (S1) and 90 % (S2), indicator 5 and none."""
    pei = factories.PlanFactory(name="PEI", kind="pei", start_year=2024, end_year=2027)
    pei.first = factories.ObjectiveFactory(plan=pei, code="PEI-1", weight=D("100"))
    pei.cuts = {p.label: p for year in (2024, 2025) for p in semesters(pei, year)}
    semester_plan(pei, 2024, progress=("40", "80"), indicator=("10", "4"))
    semester_plan(pei, 2025, progress=("30", "90"), indicator=("5", None))
    return pei


def test_cut_in_the_second_year_takes_each_plan_at_its_latest_started_period(two_years):
    """Cut 2025-S1 (ends 30/6/2025): Plan 2024 at its S2 (80 of 100, indicator
    (10 + 4) / 20 = 70 %), Plan 2025 at its S1 (30 of 50, indicator 5/10 = 50 %)."""
    rollup = strategic_rollup(two_years, period=two_years.cuts["2025-S1"])

    assert rollup.period == two_years.cuts["2025-S1"]
    node = rollup.years[2024].physical.objectives[two_years.first.pk]
    assert (node.physical, node.planned) == (D("80"), D("100"))
    node = rollup.years[2025].physical.objectives[two_years.first.pk]
    assert (node.physical, node.planned, node.compliance) == (D("30"), D("50"), D("60"))
    # The term: the plain average of the two years: executed (80 + 30) / 2 = 55, planned
    # (100 + 50) / 2 = 75, compliance 55 / 75 = 73.33 %
    term = rollup.physical.plan
    assert (term.physical, term.planned) == (D("55"), D("75"))
    assert term.compliance.quantize(D("0.01")) == D("73.33")
    # Semáforo: (70 + 50) / 2 = 60
    assert rollup.plan_semaforo.compliance == D("60")


def test_cut_in_the_first_year_leaves_out_the_plan_not_started(two_years):
    """Cut 2024-S1: Plan 2024 at S1 (40 of 50, indicator 10/10); Plan 2025 has not started."""
    rollup = strategic_rollup(two_years, period=two_years.cuts["2024-S1"])

    assert sorted(rollup.years) == [2024]
    assert (rollup.physical.plan.physical, rollup.physical.plan.planned) == (D("40"), D("50"))
    assert rollup.plan_semaforo.compliance == D("100")
    assert rollup.financial.plan.appropriation == D("1000")


def test_cut_passes_cumulative_through(two_years):
    """Not cumulative: each plan's indicator in its cut period only: 2024 S2 4/10 = 40 %,
    2025 S1 5/10 = 50 % → (40 + 50) / 2 = 45."""
    rollup = strategic_rollup(two_years, period=two_years.cuts["2025-S1"], cumulative=False)

    assert rollup.plan_semaforo.compliance == D("45")


def test_cut_and_year_together(two_years):
    """2025 at the cut 2025-S2: 90 of 100; 2025 at the cut 2024-S2: nothing started, 0."""
    assert strategic_rollup(
        two_years, period=two_years.cuts["2025-S2"], year=2025
    ).physical.plan.physical == D("90")
    early = strategic_rollup(two_years, period=two_years.cuts["2024-S2"], year=2025)
    assert (early.physical.plan.physical, early.financial.plan.appropriation) == (D("0"), D("0"))


def test_default_cut_is_the_strategic_plan_latest_started_period_never_after_today(two_years):
    """Today 15/3/2025: the PEI's 2025-S1 has started, but the serving plans are cut at
    today, so Plan 2025 is at S1 (its S2 starts in July): the same as the cut 2025-S1."""
    rollup = strategic_rollup(two_years, today=datetime.date(2025, 3, 15))

    assert rollup.period == two_years.cuts["2025-S1"]
    assert (rollup.physical.plan.physical, rollup.physical.plan.planned) == (D("55"), D("75"))


def test_api_and_plan_page_honour_the_cut(client, client_for, planner, two_years):
    cut = two_years.cuts["2025-S1"]
    client.force_login(planner)

    api = client_for(planner).get(
        f"/api/v1/plans/{two_years.pk}/rollup/?period={cut.pk}&cumulative=false"
    )
    page = client.get(two_years.get_absolute_url(), {"periodo": cut.pk})

    data = api.json()
    assert data["period"]["label"] == "2025-S1"
    assert (D(data["plan"]["physical"]), D(data["plan"]["planned"])) == (D("55"), D("75"))
    assert D(data["plan"]["semaforo"]["compliance"]) == D("45")
    rollup = page.context["rollup"]
    assert (rollup.physical.plan.physical, rollup.physical.plan.planned) == (D("55"), D("75"))
    assert rollup.plan_semaforo.compliance == D("60")  # the page: cumulative
    html = page.content.decode()
    assert "55,00 %" in html
    assert "Reportes aprobados hasta 2025-S1" in html


def test_cut_passes_scope_through(client_for, planner):
    """A serving plan of two years (2024–2025) with one goal indicator (flujo), target 10
    each semester, values 10, 10 and 4 up to 2025-S1. At the PEI's 2025-S1: from the plan's
    start (24 / 30 = 80 %) or from the start of the cut's year (4 / 10 = 40 %)."""
    pei = factories.PlanFactory(name="PEI B", kind="pei", start_year=2024, end_year=2027)
    target = factories.ObjectiveFactory(plan=pei, code="PEI-1", weight=D("100"))
    cut = semesters(pei, 2025)[0]
    plan = factories.PlanFactory(name="Plan bienal", start_year=2024, end_year=2025, parent=pei)
    periods = [*semesters(plan, 2024), semesters(plan, 2025)[0]]
    objective = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("100"), serves=target)
    measure = factories.IndicatorFactory(
        goal=factories.GoalFactory(objective=objective, code="M1", weight=D("100"))
    )
    for period, value in zip(periods, ("10", "10", "4"), strict=True):
        factories.TargetFactory(indicator=measure, period=period, value=D("10"))
        factories.MeasurementFactory(
            indicator=measure, period=period, value=D(value), status=ReviewStatus.APPROVED
        )

    whole = strategic_rollup(pei, period=cut)
    year = strategic_rollup(pei, period=cut, scope="year")
    api = client_for(planner).get(f"/api/v1/plans/{pei.pk}/rollup/?period={cut.pk}&scope=year")

    assert whole.plan_semaforo.compliance == D("80")
    assert year.plan_semaforo.compliance == D("40")
    assert D(api.json()["plan"]["semaforo"]["compliance"]) == D("40")
