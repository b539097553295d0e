"""The arithmetic of MIPG.md §4, checked against hand-computed values (no database)."""

from decimal import Decimal

import pytest

from evaluation.models import Indicator
from evaluation.selectors import (
    Point,
    Rule,
    SemaforoState,
    capped,
    compliance,
    evaluate,
    semaforo,
)
from mipg.core.templatetags.mipg_format import SEMAFORO_LABELS

D = Decimal
INC = Indicator.Polarity.INCREASING
DEC = Indicator.Polarity.DECREASING
MAINT = Indicator.Polarity.MAINTENANCE
Acc = Indicator.Accumulation


def pct(executed, target, *, polarity=INC, accumulation=Acc.FLOW, baseline=None):
    return compliance(
        polarity=polarity,
        accumulation=accumulation,
        executed=executed,
        target=target,
        baseline=baseline,
    )


def aggregate(*, accumulation, series, **rule):
    """(E, P) of a cumulative view, as `evaluate` reads them."""
    result = evaluate(
        Rule(accumulation=accumulation, **rule), series, red_below=D("60"), green_from=D("80")
    )
    return result.executed, result.target


def colour(value, red_below="60", green_from="80"):
    return semaforo(value, red_below=D(red_below), green_from=D(green_from))


# --- compliance ------------------------------------------------------------------------


def test_compliance_increasing_is_executed_over_target():
    # 45 / 50 × 100 = 90.00
    assert pct(D("45"), D("50")) == D("90.00")
    assert colour(pct(D("45"), D("50"))) == SemaforoState.GREEN  # 90 ≥ 80


def test_compliance_increasing_above_target_is_not_capped():
    # 60 / 50 × 100 = 120.00
    assert pct(D("60"), D("50")) == D("120.00")


def test_compliance_rounds_half_up_to_two_decimals():
    # 2 / 3 × 100 = 66.666… → 66.67; 1 / 3 × 100 = 33.333… → 33.33
    assert pct(D("2"), D("3")) == D("66.67")
    assert pct(D("1"), D("3")) == D("33.33")


def test_compliance_accepts_int_and_float_figures():
    assert pct(45, 50) == D("90.00")
    assert pct(4.5, 5.0) == D("90.00")


# Rule changed (issue 8): keep-at-100 with tolerance 10 and E 95 is inside the band →
# 100 (it used to read E / P = 95); E 115 is 5 beyond it → 100 × (1 − 5 / 20) = 75.
@pytest.mark.parametrize(("executed", "expected"), [("95", "100"), ("115", "75.00")])
def test_compliance_maintenance_is_a_band_around_the_target(executed, expected):
    value = compliance(
        polarity=MAINT,
        accumulation=Acc.CAPACITY,
        executed=D(executed),
        target=D("100"),
        baseline=None,
        tolerance=D("10"),
    )
    assert value == D(expected)


def test_compliance_decreasing_uses_distance_from_baseline():
    # (LB − E) / (LB − P) × 100 = (20 − 14) / (20 − 10) × 100 = 6 / 10 × 100 = 60.00
    value = pct(D("14"), D("10"), polarity=DEC, baseline=D("20"))
    assert value == D("60.00")
    assert colour(value) == SemaforoState.YELLOW  # 60 ≤ 60.00 < 80


def test_compliance_decreasing_below_target_exceeds_hundred():
    # (20 − 5) / (20 − 10) × 100 = 15 / 10 × 100 = 150.00
    assert pct(D("5"), D("10"), polarity=DEC, baseline=D("20")) == D("150.00")


def test_compliance_decreasing_worse_than_baseline_is_negative():
    # (20 − 25) / (20 − 10) × 100 = −5 / 10 × 100 = −50.00
    value = pct(D("25"), D("10"), polarity=DEC, baseline=D("20"))
    assert value == D("-50.00")
    assert colour(value) == SemaforoState.RED


def test_compliance_reduction_accumulation_uses_decreasing_formula_whatever_the_polarity():
    # (100 − 90) / (100 − 80) × 100 = 10 / 20 × 100 = 50.00 (E / P would give 112.50)
    value = pct(D("90"), D("80"), polarity=INC, accumulation=Acc.REDUCTION, baseline=D("100"))
    assert value == D("50.00")


def test_compliance_decreasing_bands_apply_to_compliance_not_to_raw_value():
    # Raw value 14 would be "rojo" against 60/80; compliance is 60.00 → amarillo.
    value = pct(D("14"), D("10"), polarity=DEC, baseline=D("20"))
    assert colour(value) == SemaforoState.YELLOW


def test_compliance_reduction_without_baseline_is_undefined():
    assert pct(D("90"), D("80"), accumulation=Acc.REDUCTION, baseline=None) is None
    assert pct(D("14"), D("10"), polarity=DEC, baseline=None) is None


def test_compliance_missing_figure_is_undefined():
    assert pct(None, D("10")) is None
    assert pct(D("10"), None) is None


@pytest.mark.parametrize(
    ("executed", "expected"),
    [
        (D("0"), D("100")),  # P = 0 and E ≥ P: met
        (D("3"), D("100")),  # E > P: met
        (D("-1"), D("0")),  # E < P: not met
    ],
)
def test_compliance_zero_target_increasing(executed, expected):
    assert pct(executed, D("0")) == expected


@pytest.mark.parametrize(
    ("executed", "expected"),
    [
        (D("10"), D("100")),  # LB − P = 0 and E ≤ P: met
        (D("8"), D("100")),  # E < P: met
        (D("12"), D("0")),  # E > P: not met
    ],
)
def test_compliance_zero_denominator_decreasing(executed, expected):
    assert pct(executed, D("10"), polarity=DEC, baseline=D("10")) == expected


# --- aggregate over four quarters ------------------------------------------------------

# (target, approved value) per quarter; the third quarter has no approved value.
QUARTERS = [(D("10"), D("12")), (D("20"), D("18")), (D("30"), None), (D("40"), D("35"))]


def test_aggregate_flow_sums_values_and_targets():
    # E = 12 + 18 + 35 = 65; P = 10 + 20 + 30 + 40 = 100 → 65.00 %
    executed, target = aggregate(accumulation=Acc.FLOW, series=QUARTERS)
    assert (executed, target) == (D("65"), D("100"))
    assert pct(executed, target) == D("65.00")


def test_aggregate_flow_up_to_second_quarter():
    # E = 12 + 18 = 30; P = 10 + 20 = 30 → 100.00 %
    executed, target = aggregate(accumulation=Acc.FLOW, series=QUARTERS[:2])
    assert (executed, target) == (D("30"), D("30"))
    assert pct(executed, target) == D("100.00")


@pytest.mark.parametrize("accumulation", [Acc.STOCK, Acc.CUMULATIVE])
def test_aggregate_stock_and_cumulative_take_the_last_value(accumulation):
    # E = 35 (fourth quarter), P = 40 (its target) → 35 / 40 × 100 = 87.50
    executed, target = aggregate(accumulation=accumulation, series=QUARTERS)
    assert (executed, target) == (D("35"), D("40"))
    assert pct(executed, target) == D("87.50")


def test_aggregate_stock_reads_the_cut_period_only():
    # Rule changed (issue 8): up to the third quarter, which has no approved value, the
    # cut is "sin reporte" against the third quarter's target 30 (it used to read the
    # second quarter's 18 against 20 = 90 %); the 18 is shown as the last data.
    result = evaluate(
        Rule(accumulation=Acc.STOCK),
        [Point(*q, label=f"T{n}") for n, q in enumerate(QUARTERS[:3], 1)],
        red_below=D("60"),
        green_from=D("80"),
    )
    assert (result.executed, result.target, result.state) == (None, D("30"), "sin_reporte")
    assert result.last_reported == ("T2", D("18"))


def test_aggregate_reduction_takes_the_last_value():
    # LB = 100; targets 90, 80, 70, 60; values 92, 85, —, 65.
    # E = 65, P = 60 → (100 − 65) / (100 − 60) × 100 = 35 / 40 × 100 = 87.50
    series = [(D("90"), D("92")), (D("80"), D("85")), (D("70"), None), (D("60"), D("65"))]
    executed, target = aggregate(accumulation=Acc.REDUCTION, series=series)
    assert (executed, target) == (D("65"), D("60"))
    assert pct(executed, target, accumulation=Acc.REDUCTION, baseline=D("100")) == D("87.50")


def test_aggregate_capacity_averages_period_compliance():
    # Rule changed (issue 8): it used to compare mean values with mean targets (93.33)
    # and drop the unreported quarter. Now per quarter 30/40 = 75, 36/40 = 90, — = 0,
    # 60/50 = 120 → (75 + 90 + 0 + 120) / 4 = 71.25, one unreported.
    series = [(D("40"), D("30")), (D("40"), D("36")), (D("50"), None), (D("50"), D("60"))]
    result = evaluate(
        Rule(accumulation=Acc.CAPACITY), series, red_below=D("60"), green_from=D("80")
    )
    assert (result.executed, result.target) == (D("60"), D("50"))  # the cut's figures
    assert result.compliance == D("71.25")
    assert result.unreported == 1


@pytest.mark.parametrize("accumulation", list(Acc))
def test_aggregate_without_approved_values_keeps_the_target(accumulation):
    executed, target = aggregate(accumulation=accumulation, series=[(D("10"), None)])
    assert executed is None
    assert target == D("10")


@pytest.mark.parametrize("accumulation", list(Acc))
def test_aggregate_of_one_period_is_that_period(accumulation):
    assert aggregate(accumulation=accumulation, series=[(D("50"), D("45"))]) == (
        D("45"),
        D("50"),
    )


@pytest.mark.parametrize("accumulation", list(Acc))
def test_aggregate_of_nothing_is_undefined(accumulation):
    assert aggregate(accumulation=accumulation, series=[]) == (None, None)


def test_aggregate_stock_last_value_in_period_without_target():
    executed, target = aggregate(
        accumulation=Acc.STOCK, series=[(D("10"), D("9")), (None, D("12"))]
    )
    assert (executed, target) == (D("12"), None)


# --- semáforo --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("-50"), SemaforoState.RED),
        (D("59.99"), SemaforoState.RED),
        (D("60"), SemaforoState.YELLOW),
        (D("79.99"), SemaforoState.YELLOW),
        (D("80"), SemaforoState.GREEN),
        (D("150"), SemaforoState.GREEN),
    ],
)
def test_semaforo_default_bands(value, expected):
    assert colour(value) == expected


def test_semaforo_with_other_thresholds():
    assert colour(D("55"), "50", "70") == SemaforoState.YELLOW
    assert colour(D("70"), "50", "70") == SemaforoState.GREEN
    assert colour(D("49.99"), "50", "70") == SemaforoState.RED


def test_semaforo_needs_a_compliance():
    with pytest.raises(ValueError):
        colour(None)


def test_capped_keeps_compliance_within_zero_and_hundred_for_rollups():
    assert capped(D("150.00")) == D("100")
    assert capped(D("-50.00")) == D("0")
    assert capped(D("90.00")) == D("90.00")
    assert capped(None) is None


def test_result_state_distinguishes_no_target_no_report_and_no_baseline():
    bands = {"red_below": D("60"), "green_from": D("80")}
    assert evaluate(Rule(), [(None, D("5"))], **bands).state == "sin_meta"
    assert evaluate(Rule(), [(D("5"), None)], **bands).state == "sin_reporte"
    # Rule changed (issue 8): decreasing without a baseline has its own state (was sin_meta).
    rule = Rule(polarity=DEC)
    assert evaluate(rule, [(D("5"), D("5"))], **bands).state == "sin_linea_base"
    assert evaluate(Rule(), [(D("5"), D("5"))], **bands).state == "verde"


def test_semaforo_states_have_spanish_labels_the_badges_agree_with():
    # The ground floor's badges cannot import evaluation: the two declarations must agree.
    assert dict(SemaforoState.choices) == SEMAFORO_LABELS
    assert SEMAFORO_LABELS["sin_linea_base"] == "Sin línea base"
    assert list(SEMAFORO_LABELS) == [
        "verde",
        "amarillo",
        "rojo",
        "sin_meta",
        "sin_reporte",
        "sin_linea_base",
    ]
