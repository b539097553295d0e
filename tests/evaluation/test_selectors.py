"""indicator_results and semaforo_counts against the database: only approved figures count,
thresholds come from the indicator or the entity, and the query count does not grow."""

import datetime
from decimal import Decimal

import pytest

from evaluation.models import Indicator
from evaluation.selectors import (
    SemaforoState,
    indicator_results,
    indicators_of_plan,
    semaforo_counts,
)
from mipg.core.models import Entity, ReviewStatus
from tests import factories

pytestmark = pytest.mark.django_db

D = Decimal
Acc = Indicator.Accumulation


@pytest.fixture
def plan():
    return factories.PlanFactory()


@pytest.fixture
def goal(plan):
    return factories.GoalFactory(objective__plan=plan)


def indicator_with(goal, quarters, *, targets, values, status=ReviewStatus.APPROVED, **fields):
    """An indicator of `goal` with a target and a measurement per quarter (None: none)."""
    indicator = factories.IndicatorFactory(goal=goal, **fields)
    for period, target, value in zip(quarters, targets, values, strict=True):
        if target is not None:
            factories.TargetFactory(indicator=indicator, period=period, value=D(target))
        if value is not None:
            factories.MeasurementFactory(
                indicator=indicator, period=period, value=D(value), status=status
            )
    return indicator


def figures(result):
    """(E, P, compliance, state): the four figures the hand-computed cases check."""
    return (result.executed, result.target, result.compliance, result.state)


def result_of(indicator, period, *, cumulative=False):
    results = indicator_results(
        Indicator.objects.filter(pk=indicator.pk), period=period, cumulative=cumulative
    )
    return results[indicator.pk]


# --- one period ------------------------------------------------------------------------


def test_results_increasing_period(goal, quarters):
    indicator = indicator_with(goal, quarters[:1], targets=["50"], values=["45"])
    # 45 / 50 × 100 = 90.00 ≥ 80 → verde
    assert figures(result_of(indicator, quarters[0])) == (
        D("45"),
        D("50"),
        D("90.00"),
        SemaforoState.GREEN,
    )


def test_results_decreasing_period(goal, quarters):
    indicator = indicator_with(
        goal,
        quarters[:1],
        targets=["10"],
        values=["14"],
        polarity=Indicator.Polarity.DECREASING,
        baseline_value=D("20"),
        baseline_horizon=Indicator.BaselineHorizon.PER_PERIOD,
    )
    # (20 − 14) / (20 − 10) × 100 = 60.00 → amarillo
    result = result_of(indicator, quarters[0])
    assert (result.compliance, result.state) == (D("60.00"), SemaforoState.YELLOW)


def test_results_decreasing_below_target_keeps_raw_value(goal, quarters):
    indicator = indicator_with(
        goal,
        quarters[:1],
        targets=["10"],
        values=["4"],
        polarity=Indicator.Polarity.DECREASING,
        baseline_value=D("20"),
        baseline_horizon=Indicator.BaselineHorizon.PER_PERIOD,
    )
    # (20 − 4) / (20 − 10) × 100 = 160.00, not capped
    result = result_of(indicator, quarters[0])
    assert (result.compliance, result.state) == (D("160.00"), SemaforoState.GREEN)


def test_results_period_view_uses_only_that_period(goal, quarters):
    indicator = indicator_with(
        goal, quarters, targets=["10", "20", "30", "40"], values=["12", "18", None, "35"]
    )
    # Second quarter alone: 18 / 20 × 100 = 90.00
    assert figures(result_of(indicator, quarters[1])) == (
        D("18"),
        D("20"),
        D("90.00"),
        SemaforoState.GREEN,
    )
    # Third quarter: target 30 but no approved value
    assert figures(result_of(indicator, quarters[2])) == (
        None,
        D("30"),
        None,
        SemaforoState.NOT_REPORTED,
    )


# --- cumulative by accumulation over four quarters ------------------------------------


def test_results_cumulative_flow(goal, quarters):
    indicator = indicator_with(
        goal, quarters, targets=["10", "20", "30", "40"], values=["12", "18", None, "35"]
    )
    # E = 12 + 18 + 35 = 65; P = 10 + 20 + 30 + 40 = 100 → 65.00 → amarillo
    assert figures(result_of(indicator, quarters[3], cumulative=True)) == (
        D("65"),
        D("100"),
        D("65.00"),
        SemaforoState.YELLOW,
    )
    # Up to the third quarter: E = 12 + 18 = 30; P = 10 + 20 + 30 = 60 → 50.00 → rojo
    assert figures(result_of(indicator, quarters[2], cumulative=True)) == (
        D("30"),
        D("60"),
        D("50.00"),
        SemaforoState.RED,
    )


@pytest.mark.parametrize("accumulation", [Acc.STOCK, Acc.CUMULATIVE])
def test_results_cumulative_stock_and_cumulative(goal, quarters, accumulation):
    indicator = indicator_with(
        goal,
        quarters,
        targets=["10", "20", "30", "40"],
        values=["12", "18", None, "35"],
        accumulation=accumulation,
    )
    # Last approved value 35 against its quarter's target 40 → 87.50 → verde
    assert figures(result_of(indicator, quarters[3], cumulative=True)) == (
        D("35"),
        D("40"),
        D("87.50"),
        SemaforoState.GREEN,
    )
    # Rule changed (issue 8): up to the third quarter, which has no approved value, the
    # cut is sin reporte against Q3's target 30 (it read Q2's 18 against 20 = 90.00)
    result = result_of(indicator, quarters[2], cumulative=True)
    assert figures(result) == (None, D("30"), None, SemaforoState.NOT_REPORTED)
    assert result.last_reported == (quarters[1].label, D("18"))


def test_results_cumulative_reduction(goal, quarters):
    indicator = indicator_with(
        goal,
        quarters,
        targets=["90", "80", "70", "60"],
        values=["92", "85", None, "65"],
        accumulation=Acc.REDUCTION,
        baseline_value=D("100"),
    )
    # E = 65, P = 60 → (100 − 65) / (100 − 60) × 100 = 35 / 40 × 100 = 87.50
    assert figures(result_of(indicator, quarters[3], cumulative=True)) == (
        D("65"),
        D("60"),
        D("87.50"),
        SemaforoState.GREEN,
    )
    # Up to the second quarter: E = 85, P = 80 → 15 / 20 × 100 = 75.00 → amarillo
    assert figures(result_of(indicator, quarters[1], cumulative=True)) == (
        D("85"),
        D("80"),
        D("75.00"),
        SemaforoState.YELLOW,
    )


def test_results_cumulative_capacity(goal, quarters):
    indicator = indicator_with(
        goal,
        quarters,
        targets=["40", "40", "50", "50"],
        values=["30", "36", None, "60"],
        accumulation=Acc.CAPACITY,
        polarity=Indicator.Polarity.MAINTENANCE,
    )
    # Rule changed (issue 8): each quarter's compliance, averaged; keep-at with the entity
    # tolerance of 10 % of P. Q1 30 vs 40: band 4, 6 beyond → 100 × (1 − 6 / 8) = 25;
    # Q2 36 vs 40: inside → 100; Q3 unreported → 0; Q4 60 vs 50: band 5, 5 beyond →
    # 100 × (1 − 5 / 10) = 50. (25 + 100 + 0 + 50) / 4 = 43.75 → rojo, 1 sin reporte
    # (it read mean 42 against mean 45 = 93.33 verde, the unreported quarter dropped).
    result = result_of(indicator, quarters[3], cumulative=True)
    assert figures(result) == (D("60"), D("50"), D("43.75"), SemaforoState.RED)
    assert result.unreported == 1


def test_results_cumulative_ignores_later_periods_and_other_plans(goal, quarters):
    indicator = indicator_with(
        goal, quarters, targets=["10", "20", "30", "40"], values=["10", "20", "30", "40"]
    )
    other_period = factories.PeriodFactory(start_date=datetime.date(2026, 1, 1))  # another plan
    factories.TargetFactory(indicator=indicator, period=other_period, value=D("1000"))
    factories.MeasurementFactory(
        indicator=indicator, period=other_period, value=D("1"), status=ReviewStatus.APPROVED
    )
    # Up to Q2 of its own plan: E = 10 + 20 = 30, P = 10 + 20 = 30
    result = result_of(indicator, quarters[1], cumulative=True)
    assert (result.executed, result.target, result.compliance) == (D("30"), D("30"), D("100.00"))


# --- what counts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED]
)
def test_results_ignore_unapproved_measurements(goal, quarters, status):
    indicator = indicator_with(goal, quarters[:1], targets=["50"], values=["45"], status=status)
    assert figures(result_of(indicator, quarters[0])) == (
        None,
        D("50"),
        None,
        SemaforoState.NOT_REPORTED,
    )


def test_results_cumulative_flow_sums_only_approved(goal, quarters):
    indicator = indicator_with(goal, quarters[:1], targets=["10"], values=["10"])
    unapproved = [ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED]
    for period, status in zip(quarters[1:], unapproved, strict=True):
        factories.TargetFactory(indicator=indicator, period=period, value=D("10"))
        factories.MeasurementFactory(
            indicator=indicator, period=period, value=D("10"), status=status
        )
    # E = 10 (first quarter only); P = 10 × 4 = 40 → 25.00 → rojo
    assert figures(result_of(indicator, quarters[3], cumulative=True)) == (
        D("10"),
        D("40"),
        D("25.00"),
        SemaforoState.RED,
    )


def test_results_no_target_is_sin_meta_even_with_a_report(goal, quarters):
    indicator = indicator_with(goal, quarters[:1], targets=[None], values=["45"])
    assert figures(result_of(indicator, quarters[0])) == (
        D("45"),
        None,
        None,
        SemaforoState.NO_TARGET,
    )


def test_results_nothing_at_all_is_sin_meta(goal, quarters):
    indicator = factories.IndicatorFactory(goal=goal)
    assert figures(result_of(indicator, quarters[0])) == (None, None, None, SemaforoState.NO_TARGET)


def test_results_target_without_report_is_sin_reporte(goal, quarters):
    indicator = indicator_with(goal, quarters[:1], targets=["50"], values=[None])
    assert result_of(indicator, quarters[0]).state == SemaforoState.NOT_REPORTED


def test_results_reduction_without_baseline_has_no_compliance(goal, quarters):
    indicator = indicator_with(
        goal, quarters[:1], targets=["80"], values=["90"], accumulation=Acc.REDUCTION
    )
    # Rule changed (issue 8): its own state "sin línea base" (it read grey "sin meta")
    assert figures(result_of(indicator, quarters[0])) == (
        D("90"),
        D("80"),
        None,
        SemaforoState.NO_BASELINE,
    )


def test_results_zero_target_met(goal, quarters):
    indicator = indicator_with(goal, quarters[:1], targets=["0"], values=["0"])
    # P = 0 and E ≥ P: 100 by definition
    assert result_of(indicator, quarters[0]).compliance == D("100")


def test_results_zero_denominator_decreasing_not_met(goal, quarters):
    indicator = indicator_with(
        goal,
        quarters[:1],
        targets=["10"],
        values=["12"],
        polarity=Indicator.Polarity.DECREASING,
        baseline_value=D("10"),
        baseline_horizon=Indicator.BaselineHorizon.PER_PERIOD,
    )
    # LB − P = 0 and E > P: 0 → rojo
    result = result_of(indicator, quarters[0])
    assert (result.compliance, result.state) == (D("0"), SemaforoState.RED)


# --- thresholds ------------------------------------------------------------------------


def test_results_indicator_thresholds_override_the_entity(goal, quarters):
    default = indicator_with(goal, quarters[:1], targets=["100"], values=["75"])
    strict = indicator_with(
        goal,
        quarters[:1],
        targets=["100"],
        values=["75"],
        semaforo_red_below=D("50"),
        semaforo_green_from=D("70"),
    )
    lenient_red_only = indicator_with(
        goal, quarters[:1], targets=["100"], values=["75"], semaforo_red_below=D("80")
    )
    results = indicator_results(Indicator.objects.all(), period=quarters[0])
    # 75 / 100 × 100 = 75.00: amarillo at 60/80; verde at 50/70; rojo at 80/80 (entity green)
    assert results[default.pk].state == SemaforoState.YELLOW
    assert results[strict.pk].state == SemaforoState.GREEN
    assert results[lenient_red_only.pk].state == SemaforoState.RED


def test_results_use_the_entity_defaults(goal, quarters):
    indicator = indicator_with(goal, quarters[:1], targets=["100"], values=["75"])
    entity = Entity.current()
    entity.semaforo_red_below, entity.semaforo_green_from = D("50"), D("70")
    entity.save()
    assert result_of(indicator, quarters[0]).state == SemaforoState.GREEN


# --- inputs ----------------------------------------------------------------------------


def test_results_accept_a_list_of_indicators(goal, quarters):
    indicator = indicator_with(goal, quarters[:1], targets=["50"], values=["45"])
    results = indicator_results([indicator], period=quarters[0])
    assert results[indicator.pk].compliance == D("90.00")


def test_results_of_no_indicators_is_empty(quarters, count_queries):
    with count_queries(0):  # .none() does not even query
        assert indicator_results(Indicator.objects.none(), period=quarters[0]) == {}
    assert indicator_results([], period=quarters[0]) == {}


# --- semáforo counts -------------------------------------------------------------------


def test_indicators_of_plan_leave_out_archived_and_other_plans(plan, goal):
    of_goal = factories.IndicatorFactory(goal=goal)
    of_objective = factories.IndicatorFactory(goal=None, objective=goal.objective, unit=goal.unit)
    factories.IndicatorFactory(goal=goal, archived=True)
    factories.IndicatorFactory(goal=factories.GoalFactory(objective=goal.objective, archived=True))
    factories.IndicatorFactory(
        goal=None, objective=factories.ObjectiveFactory(plan=plan, archived=True), unit=goal.unit
    )
    factories.IndicatorFactory()  # another plan
    assert set(indicators_of_plan(plan)) == {of_goal, of_objective}


def test_semaforo_counts_by_state(plan, goal, quarters):
    period = quarters[0]
    indicator_with(goal, [period], targets=["100"], values=["90"])  # 90 → verde
    indicator_with(goal, [period], targets=["100"], values=["85"])  # 85 → verde
    indicator_with(goal, [period], targets=["100"], values=["70"])  # 70 → amarillo
    indicator_with(goal, [period], targets=["100"], values=["10"])  # 10 → rojo
    indicator_with(goal, [period], targets=["100"], values=[None])  # sin reporte
    indicator_with(goal, [period], targets=["100"], values=["90"], status=ReviewStatus.SUBMITTED)
    factories.IndicatorFactory(goal=goal)  # sin meta
    objective_indicator = factories.IndicatorFactory(
        goal=None, objective=goal.objective, unit=goal.unit
    )
    factories.TargetFactory(indicator=objective_indicator, period=period, value=D("100"))
    factories.MeasurementFactory(
        indicator=objective_indicator,
        period=period,
        value=D("100"),
        status=ReviewStatus.APPROVED,
    )  # 100 → verde
    indicator_with(goal, [period], targets=["100"], values=["10"], archived=True)  # left out

    assert semaforo_counts(plan, period=period) == {
        SemaforoState.GREEN: 3,
        SemaforoState.YELLOW: 1,
        SemaforoState.RED: 1,
        SemaforoState.NO_TARGET: 1,
        SemaforoState.NOT_REPORTED: 2,
        SemaforoState.NO_BASELINE: 0,
    }


def test_semaforo_counts_cumulative(plan, goal, quarters):
    indicator_with(
        goal, quarters, targets=["10", "10", "10", "10"], values=["10", "10", None, None]
    )
    # Period view of Q3: sin reporte; cumulative: E = 20, P = 30 → 66.67 → amarillo
    assert semaforo_counts(plan, period=quarters[2])[SemaforoState.NOT_REPORTED] == 1
    assert semaforo_counts(plan, period=quarters[2], cumulative=True)[SemaforoState.YELLOW] == 1


def test_semaforo_counts_of_empty_plan_are_zero(plan, quarters):
    assert semaforo_counts(plan, period=quarters[0]) == dict.fromkeys(SemaforoState, 0)


# --- query counts ----------------------------------------------------------------------


def make_indicators(goal, quarters, how_many):
    for number in range(how_many):
        indicator_with(
            goal,
            quarters,
            targets=["10", "20", "30", "40"],
            values=[str(number), "18", None, "35"],
            accumulation=list(Acc)[number % len(Acc)],
            baseline_value=D("100"),
            semaforo_red_below=D("50") if number % 2 else None,
        )


@pytest.mark.parametrize("how_many", [3, 30])
@pytest.mark.parametrize("cumulative", [False, True])
def test_indicator_results_query_count_is_constant(
    goal, quarters, count_queries, how_many, cumulative
):
    make_indicators(goal, quarters, how_many)
    Entity.current()
    # 1 indicators · 2 entity defaults · 3 targets with the approved measurements
    with count_queries(3):
        results = indicator_results(
            Indicator.objects.all(), period=quarters[3], cumulative=cumulative
        )
    assert len(results) == how_many


@pytest.mark.parametrize("how_many", [3, 30])
def test_semaforo_counts_query_count_is_constant(plan, goal, quarters, count_queries, how_many):
    make_indicators(goal, quarters, how_many)
    Entity.current()
    # 1 indicators of the plan · 2 entity defaults · 3 targets with approved measurements
    with count_queries(3):
        counts = semaforo_counts(plan, period=quarters[3], cumulative=True)
    assert sum(counts.values()) == how_many


# --- issue 8 §1 cases through the database --------------------------------------------


def test_results_decreasing_flow_annual_baseline_in_a_quarter(goal, quarters):
    # LB 400 per year (default horizon), quarterly: 100 per quarter; P 75, E 95 in T1:
    # (100 − 95) / (100 − 75) = 20 % rojo (it read (400 − 95) / (400 − 75) = 93.85 verde)
    indicator = indicator_with(
        goal,
        quarters[:1],
        targets=["75"],
        values=["95"],
        polarity=Indicator.Polarity.DECREASING,
        baseline_value=D("400"),
    )
    result = result_of(indicator, quarters[0], cumulative=True)
    assert (result.compliance, result.state) == (D("20.00"), SemaforoState.RED)
    assert result.explanation == "LB = 400 ÷ 4 = 100; (100 − 95) / (100 − 75) = 20,00 %"


def test_results_stock_skipped_q4_is_sin_reporte_for_the_year(goal, quarters):
    # P 20/40/60/80, E 20/40/60/—, cut T4: sin reporte, último dato 2026-T3 = 60
    # (it read 60 / 60 = 100 % verde)
    indicator = indicator_with(
        goal,
        quarters,
        targets=["20", "40", "60", "80"],
        values=["20", "40", "60", None],
        accumulation=Acc.STOCK,
    )
    result = result_of(indicator, quarters[3], cumulative=True)
    assert figures(result) == (None, D("80"), None, SemaforoState.NOT_REPORTED)
    assert result.last_reported == ("2026-T3", D("60"))


def test_results_stock_cut_without_any_figure_is_not_an_older_period(goal, quarters):
    # Nothing at all in T4 (no target, no value, for any indicator): the cut is T4,
    # "sin meta", never T3's 60 against 60.
    indicator = indicator_with(
        goal,
        quarters,
        targets=["20", "40", "60", None],
        values=["20", "40", "60", None],
        accumulation=Acc.CUMULATIVE,
    )
    result = result_of(indicator, quarters[3], cumulative=True)
    assert result.state == SemaforoState.NO_TARGET
    assert result.last_reported == ("2026-T3", D("60"))


def test_results_stock_with_baseline_progress_from_it(goal, quarters):
    # LB 100, P 150, E 120: (120 − 100) / (150 − 100) = 40 % rojo
    indicator = indicator_with(
        goal,
        quarters[:1],
        targets=["150"],
        values=["120"],
        accumulation=Acc.STOCK,
        baseline_value=D("100"),
    )
    result = result_of(indicator, quarters[0], cumulative=True)
    assert (result.compliance, result.state) == (D("40.00"), SemaforoState.RED)


def test_results_capacity_50_50_against_50_100(goal, quarters):
    # (100 % + 50 %) / 2 = 75 % amarillo (it read 50 / 75 = 66.67)
    indicator = indicator_with(
        goal, quarters[:2], targets=["50", "100"], values=["50", "50"], accumulation=Acc.CAPACITY
    )
    result = result_of(indicator, quarters[1], cumulative=True)
    assert (result.compliance, result.state) == (D("75.00"), SemaforoState.YELLOW)


def test_results_maintenance_overshoot_is_not_better(goal, quarters):
    # Keep at 5, tolerance 1, E 8: 0 % rojo (it read 160 % verde)
    indicator = indicator_with(
        goal,
        quarters[:1],
        targets=["5"],
        values=["8"],
        accumulation=Acc.STOCK,
        polarity=Indicator.Polarity.MAINTENANCE,
        maintenance_tolerance=D("1"),
    )
    result = result_of(indicator, quarters[0], cumulative=True)
    assert (result.compliance, result.state) == (D("0.00"), SemaforoState.RED)


def test_results_maintenance_uses_the_entity_tolerance(goal, quarters):
    # Entity 20 % of P 5 = 1: E 6 inside the band → 100 % verde
    entity = Entity.current()
    entity.maintenance_tolerance_percent = D("20")
    entity.save()
    indicator = indicator_with(
        goal,
        quarters[:1],
        targets=["5"],
        values=["6"],
        accumulation=Acc.STOCK,
        polarity=Indicator.Polarity.MAINTENANCE,
    )
    assert result_of(indicator, quarters[0]).compliance == D("100")


def test_semaforo_counts_decreasing_without_baseline(plan, goal, quarters):
    indicator_with(
        goal, quarters[:1], targets=["10"], values=["8"], polarity=Indicator.Polarity.DECREASING
    )
    counts = semaforo_counts(plan, period=quarters[0])
    assert counts[SemaforoState.NO_BASELINE] == 1
    assert counts[SemaforoState.NO_TARGET] == 0


# --- multi-year plans -------------------------------------------------------------------


@pytest.fixture
def two_years(plan):
    """Semesters of 2025 and 2026 in one plan (a multi-year plan)."""
    return [
        factories.PeriodFactory(
            plan=plan,
            label=f"{year}-S{half}",
            start_date=datetime.date(year, 1 if half == 1 else 7, 1),
            end_date=datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31),
        )
        for year in (2025, 2026)
        for half in (1, 2)
    ]


def test_results_multi_year_flow_per_year_and_whole_plan(goal, two_years):
    # P 10 per semester; E 10, 10 in 2025 and 5, — in 2026.
    # Whole plan to 2026-S2: (10 + 10 + 5) / 40 = 62.5 % amarillo, 1 sin reporte.
    # Year 2026 only: 5 / 20 = 25 % rojo, 1 sin reporte.
    indicator = indicator_with(goal, two_years, targets=["10"] * 4, values=["10", "10", "5", None])
    cut = two_years[3]
    whole = result_of(indicator, cut, cumulative=True)
    assert (whole.compliance, whole.state, whole.unreported) == (
        D("62.50"),
        SemaforoState.YELLOW,
        1,
    )
    year = indicator_results(
        Indicator.objects.filter(pk=indicator.pk), period=cut, cumulative=True, scope="year"
    )[indicator.pk]
    assert (year.compliance, year.state, year.unreported) == (D("25.00"), SemaforoState.RED, 1)


def test_results_annual_reduction_reads_the_previous_year(goal, two_years):
    # Reducción anual, LB 100: V = 2025-S2's 80; 2026-S2 P 70, E 74:
    # (80 − 74) / (80 − 70) = 60 % amarillo, in either scope.
    indicator = indicator_with(
        goal,
        two_years,
        targets=["90", "85", "75", "70"],
        values=["88", "80", "77", "74"],
        accumulation=Acc.ANNUAL_REDUCTION,
        baseline_value=D("100"),
    )
    for scope in ("plan", "year"):
        result = indicator_results(
            Indicator.objects.filter(pk=indicator.pk),
            period=two_years[3],
            cumulative=True,
            scope=scope,
        )[indicator.pk]
        assert (result.compliance, result.state) == (D("60.00"), SemaforoState.YELLOW)
        assert result.explanation == "V = 2025-S2 = 80; (80 − 74) / (80 − 70) = 60,00 %"
