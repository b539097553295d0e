"""MIPG.md §4 worked examples and issue 8 §1 cases, computed by hand (no database)."""

from decimal import Decimal

import pytest
from django.utils import translation

from evaluation.models import Indicator
from evaluation.selectors import Point, Rule, SemaforoState, capped, evaluate

D = Decimal
Acc = Indicator.Accumulation
INC = Indicator.Polarity.INCREASING
DEC = Indicator.Polarity.DECREASING
MAINT = Indicator.Polarity.MAINTENANCE
BANDS = {"red_below": D("60"), "green_from": D("80")}


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es-co"):
        yield


def run(rule, series):
    return evaluate(rule, series, **BANDS)


def test_increasing_flow_year():
    # P 25 per quarter, E 25 × 4, cut T4: 100 / 100 = 100 % verde
    rule = Rule(polarity=INC, accumulation=Acc.FLOW, periods_per_year=4)
    result = run(rule, [(D("25"), D("25"))] * 4)
    assert (result.executed, result.target, result.compliance) == (D("100"), D("100"), D("100"))
    assert result.state == SemaforoState.GREEN
    assert result.explanation == "100 / 100 = 100,00 %"


def test_decreasing_flow_annual_baseline_is_brought_to_the_quarter():
    # LB 400 per year → 100 per quarter; P 75, E 95 in T1: (100 − 95)/(100 − 75) = 20 % rojo
    rule = Rule(polarity=DEC, accumulation=Acc.FLOW, baseline=D("400"), periods_per_year=4)
    result = run(rule, [(D("75"), D("95"))])
    assert result.compliance == D("20.00")
    assert result.state == SemaforoState.RED
    assert result.explanation == "LB = 400 ÷ 4 = 100; (100 − 95) / (100 − 75) = 20,00 %"


def test_decreasing_flow_baseline_per_period_is_not_divided():
    # LB 100 per quarter, P 75, E 95: (100 − 95) / (100 − 75) = 20 %
    rule = Rule(
        polarity=DEC,
        accumulation=Acc.FLOW,
        baseline=D("100"),
        baseline_per_year=False,
        periods_per_year=4,
    )
    result = run(rule, [(D("75"), D("95"))])
    assert result.compliance == D("20.00")
    assert result.explanation == "(100 − 95) / (100 − 75) = 20,00 %"


def test_decreasing_flow_two_quarters_uses_two_quarters_of_baseline():
    # LB 400/year → 200 for T1+T2; P 75 + 75 = 150; E 95 + 55 = 150:
    # (200 − 150) / (200 − 150) = 100 %
    rule = Rule(polarity=DEC, accumulation=Acc.FLOW, baseline=D("400"), periods_per_year=4)
    result = run(rule, [(D("75"), D("95")), (D("75"), D("55"))])
    assert result.compliance == D("100.00")
    assert result.explanation.startswith("LB = 400 ÷ 4 × 2 = 200; ")


@pytest.mark.parametrize("accumulation", [Acc.STOCK, Acc.CUMULATIVE])
def test_stock_skipped_q4_is_sin_reporte_with_last_data(accumulation):
    # P 20/40/60/80, E 20/40/60/—, cut T4: sin reporte (último dato T3 = 60)
    series = [
        Point(D("20"), D("20"), "T1", 2026),
        Point(D("40"), D("40"), "T2", 2026),
        Point(D("60"), D("60"), "T3", 2026),
        Point(D("80"), None, "T4", 2026),
    ]
    result = run(Rule(accumulation=accumulation), series)
    assert result.state == SemaforoState.NOT_REPORTED
    assert result.compliance is None
    assert (result.executed, result.target) == (None, D("80"))
    assert result.last_reported == ("T3", D("60"))


def test_stock_with_baseline_measures_progress_from_it():
    # LB 100, P 150, E 120: (120 − 100) / (150 − 100) = 40 % rojo
    result = run(Rule(accumulation=Acc.STOCK, baseline=D("100")), [(D("150"), D("120"))])
    assert result.compliance == D("40.00")
    assert result.state == SemaforoState.RED
    assert result.explanation == "(120 − 100) / (150 − 100) = 40,00 %"


def test_stock_without_baseline_or_target_at_baseline_is_e_over_p():
    # No LB: 120 / 150 = 80 %; LB = P = 150: 120 / 150 = 80 %
    assert run(Rule(accumulation=Acc.STOCK), [(D("150"), D("120"))]).compliance == D("80.00")
    rule = Rule(accumulation=Acc.CUMULATIVE, baseline=D("150"))
    assert run(rule, [(D("150"), D("120"))]).compliance == D("80.00")


def test_capacity_averages_period_compliance():
    # P 50 and 100, E 50 and 50: (100 % + 50 %) / 2 = 75 % amarillo
    result = run(Rule(accumulation=Acc.CAPACITY), [(D("50"), D("50")), (D("100"), D("50"))])
    assert result.compliance == D("75.00")
    assert result.state == SemaforoState.YELLOW
    assert result.unreported == 0
    assert result.explanation == "(100,00 % + 50,00 %) / 2 = 75,00 %"


def test_capacity_unreported_period_counts_zero_and_is_counted():
    # P 50, 100, 50; E 50, 50, —: (100 + 50 + 0) / 3 = 50 % rojo, 1 sin reporte
    series = [(D("50"), D("50")), (D("100"), D("50")), (D("50"), None)]
    result = run(Rule(accumulation=Acc.CAPACITY), series)
    assert result.compliance == D("50.00")
    assert result.state == SemaforoState.RED
    assert result.unreported == 1


def test_maintenance_beyond_twice_the_tolerance_is_zero():
    # P 5, tolerance 1, E 8: 2 outside the band of 1 → 0 % rojo (not 160 % verde)
    rule = Rule(polarity=MAINT, accumulation=Acc.STOCK, tolerance=D("1"))
    result = run(rule, [(D("5"), D("8"))])
    assert result.compliance == D("0.00")
    assert result.state == SemaforoState.RED


@pytest.mark.parametrize(
    ("executed", "expected"),
    [
        ("5", "100"),  # on target
        ("6", "100"),  # inside the band
        ("4", "100"),
        ("6.5", "75.00"),  # 0.5 beyond: 100 × (1 − 0.5 / 2)
        ("3.5", "75.00"),  # same below: both directions
        ("7", "50.00"),  # 1 beyond
        ("9", "0.00"),  # beyond 2 × tolerance: floored at 0
    ],
)
def test_maintenance_band_both_directions(executed, expected):
    rule = Rule(polarity=MAINT, accumulation=Acc.STOCK, tolerance=D("1"))
    assert run(rule, [(D("5"), D(executed))]).compliance == D(expected)


def test_maintenance_uses_entity_percentage_without_own_tolerance():
    # P 50, entity 10 % → tolerance 5; E 57: 2 beyond → 100 × (1 − 2 / 10) = 80 % verde
    rule = Rule(polarity=MAINT, accumulation=Acc.STOCK, tolerance_percent=D("10"))
    result = run(rule, [(D("50"), D("57"))])
    assert result.compliance == D("80.00")
    assert result.state == SemaforoState.GREEN


def test_decreasing_worse_than_baseline_is_negative_raw_and_zero_in_rollups():
    # LB 15, P 10, E 18: (15 − 18) / (15 − 10) = −60 % raw, rojo, 0 in roll-ups
    rule = Rule(polarity=DEC, accumulation=Acc.STOCK, baseline=D("15"))
    result = run(rule, [(D("10"), D("18"))])
    assert result.compliance == D("-60.00")
    assert result.state == SemaforoState.RED
    assert capped(result.compliance) == D("0")


def test_reduction_from_baseline():
    # LB 100, P 60, E 65 at the cut: (100 − 65) / (100 − 60) = 87,5 %
    result = run(Rule(accumulation=Acc.REDUCTION, baseline=D("100")), [(D("60"), D("65"))])
    assert result.compliance == D("87.50")
    assert result.explanation == "(100 − 65) / (100 − 60) = 87,50 %"


def test_annual_reduction_against_previous_year_value():
    # 2025: V = 80 (approved); 2026: P 70, E 74: (80 − 74) / (80 − 70) = 60 % amarillo
    series = [Point(D("85"), D("80"), "2025", 2025), Point(D("70"), D("74"), "2026", 2026)]
    result = run(Rule(accumulation=Acc.ANNUAL_REDUCTION, baseline=D("100")), series)
    assert result.compliance == D("60.00")
    assert result.state == SemaforoState.YELLOW
    assert result.explanation == "V = 2025 = 80; (80 − 74) / (80 − 70) = 60,00 %"


def test_annual_reduction_first_year_uses_the_baseline():
    # No earlier year: V = LB 100; P 80, E 90: (100 − 90) / (100 − 80) = 50 %
    series = [Point(D("80"), D("90"), "2026", 2026)]
    result = run(Rule(accumulation=Acc.ANNUAL_REDUCTION, baseline=D("100")), series)
    assert result.compliance == D("50.00")


@pytest.mark.parametrize("accumulation", [Acc.FLOW, Acc.STOCK, Acc.CAPACITY])
def test_decreasing_without_baseline_is_sin_linea_base(accumulation):
    result = run(Rule(polarity=DEC, accumulation=accumulation), [(D("10"), D("12"))])
    assert result.state == SemaforoState.NO_BASELINE
    assert result.compliance is None


def test_reduction_without_baseline_is_sin_linea_base_even_unreported():
    result = run(Rule(accumulation=Acc.REDUCTION), [(D("10"), None)])
    assert result.state == SemaforoState.NO_BASELINE


def test_flow_unreported_period_counts_zero_and_is_counted():
    # P 25 × 2, E 25 and —: 25 / 50 = 50 % rojo, 1 sin reporte
    result = run(Rule(accumulation=Acc.FLOW), [(D("25"), D("25")), (D("25"), None)])
    assert result.compliance == D("50.00")
    assert result.unreported == 1


def test_explanation_uses_colombian_number_format():
    # 2 / 3 = 66,67 %; 1234,5 / 1000 = 123,45 %
    assert run(Rule(), [(D("3"), D("2"))]).explanation == "2 / 3 = 66,67 %"
    assert run(Rule(), [(D("1000"), D("1234.5"))]).explanation == "1.234,5 / 1.000 = 123,45 %"


@pytest.mark.parametrize(
    ("accumulation", "polarity"),
    [
        (Acc.STOCK, DEC),
        (Acc.REDUCTION, DEC),
        (Acc.ANNUAL_REDUCTION, DEC),
        (Acc.CUMULATIVE, DEC),
    ],
)
def test_unreported_cut_with_a_baseline_is_sin_reporte_not_sin_linea_base(accumulation, polarity):
    # LB 8.2, P 7 at the cut, nothing approved for it: the baseline is there, the value is not.
    rule = Rule(polarity=polarity, accumulation=accumulation, baseline=D("8.2"))
    result = run(rule, [(D("7"), None)])
    assert (result.state, result.compliance) == (SemaforoState.NOT_REPORTED, None)
