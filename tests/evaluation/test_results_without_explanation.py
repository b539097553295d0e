"""``explain=False`` (the plan tree): the same figures as every other page, without the
formula text. Every accumulation × polarity over series with gaps, zero denominators,
decreasing rules without a baseline and Mantenimiento with a tolerance."""

import itertools
from dataclasses import replace
from decimal import Decimal as D

import pytest

from evaluation.models import Indicator
from evaluation.selectors import (
    Point,
    Rule,
    SemaforoState,
    evaluate,
    explained_compliance,
    indicator_results,
    indicators_of_plan,
)
from mipg.core.models import ReviewStatus
from mipg.traceability.rollup import plan_rollup, rollup_of
from tests import factories
from tests.builders import first_quarters, measured

Acc = Indicator.Accumulation
Pol = Indicator.Polarity
BANDS = {"red_below": D("60"), "green_from": D("80")}


def points(*pairs, years=None):
    """Points T1, T2, … from (target, executed) pairs, all in 2026 unless `years`."""
    years = years or [2026] * len(pairs)
    return [
        Point(None if t is None else D(t), None if e is None else D(e), f"T{i}", year)
        for i, ((t, e), year) in enumerate(zip(pairs, years, strict=True), start=1)
    ]


SERIES = {
    "empty": [],
    "met": points(("25", "25"), ("25", "25"), ("25", "25"), ("25", "25")),
    "short": points(("100", "95")),
    "gap in the middle": points(("20", "20"), ("40", None), ("60", "55")),
    "cut unreported": points(("20", "20"), ("40", "40"), ("60", "60"), ("80", None)),
    "nothing reported": points(("10", None), ("10", None)),
    "no target at the cut": points(("10", "8"), (None, "9")),
    "no target at all": points((None, "3"), (None, "4")),
    "zero target met": points(("0", "0")),
    "zero target missed": points(("0", "3")),
    "target = baseline": points(("100", "90"), ("100", "120")),
    "worse than baseline": points(("10", "18")),
    "over target": points(("50", "60"), ("50", "80")),
    "negative": points(("-5", "-2"), ("-5", "-7")),
    "fractions": points(("3.3333", "1.1111"), ("7.5", "2.25")),
    "two years": points(("100", "90"), ("100", "80"), ("90", "85"), years=[2025, 2025, 2026]),
    "two years, cut unreported": points(
        ("100", "90"), ("90", None), ("80", None), years=[2025, 2026, 2026]
    ),
}

RULES = {
    "no baseline": {},
    "baseline per year": {"baseline": D("400"), "periods_per_year": 4},
    "baseline per period": {
        "baseline": D("100"),
        "baseline_per_year": False,
        "periods_per_year": 4,
    },
    "baseline equal to target": {"baseline": D("25")},
    "baseline, annual": {"baseline": D("15")},
    "tolerance 1": {"tolerance": D("1")},
    "tolerance 0": {"tolerance": D("0")},
    "entity tolerance 10 %": {"tolerance_percent": D("10")},
    "tolerance, baseline per year": {
        "tolerance": D("2"),
        "baseline": D("120"),
        "periods_per_year": 4,
    },
}


@pytest.mark.parametrize(
    ("accumulation", "polarity"), list(itertools.product(Acc.values, Pol.values))
)
def test_evaluate_without_explanation_gives_the_same_figures(accumulation, polarity):
    for (rule_name, rule), (series_name, series) in itertools.product(
        RULES.items(), SERIES.items()
    ):
        rule = Rule(polarity=polarity, accumulation=accumulation, **rule)
        explained = evaluate(rule, series, **BANDS)
        bare = evaluate(rule, series, **BANDS, explain=False)
        assert bare == replace(explained, explanation=""), (rule_name, series_name)


def test_the_cases_are_explained_when_asked():
    """The comparison above means something: most cases have a text to drop, and the
    states of MIPG.md §4 all occur."""
    results = [
        evaluate(Rule(polarity=polarity, accumulation=accumulation, **RULES[rule]), series, **BANDS)
        for accumulation, polarity, rule, series in itertools.product(
            Acc.values, Pol.values, RULES, SERIES.values()
        )
    ]
    assert sum(1 for r in results if r.explanation) > len(results) / 2
    assert {r.state for r in results} == set(SemaforoState.values)
    assert any(r.unreported for r in results)
    assert any(r.last_reported for r in results)


@pytest.mark.parametrize(
    ("polarity", "accumulation", "executed", "target", "baseline", "tolerance"),
    [
        (Pol.INCREASING, Acc.FLOW, "45", "50", None, None),
        (Pol.INCREASING, Acc.FLOW, "3", "0", None, None),  # denominator 0, met
        (Pol.INCREASING, Acc.STOCK, "120", "150", "100", None),  # (E − LB) / (P − LB)
        (Pol.INCREASING, Acc.STOCK, "90", "100", "100", None),  # P = LB: E / P
        (Pol.DECREASING, Acc.FLOW, "95", "75", "100", None),
        (Pol.DECREASING, Acc.FLOW, "95", "75", None, None),  # sin línea base
        (Pol.DECREASING, Acc.FLOW, "80", "75", "75", None),  # LB = P, not met
        (Pol.MAINTENANCE, Acc.FLOW, "8", "5", None, "1"),  # outside 2 × tolerance
        (Pol.MAINTENANCE, Acc.FLOW, "6.5", "5", None, "1"),  # on the slope
        (Pol.MAINTENANCE, Acc.FLOW, "5.5", "5", None, "1"),  # in the band
        (Pol.MAINTENANCE, Acc.FLOW, "5.5", "5", None, None),  # no tolerance: 0
        (Pol.INCREASING, Acc.FLOW, None, "5", None, None),  # missing E
    ],
)
def test_explained_compliance_without_explanation_keeps_the_value(
    polarity, accumulation, executed, target, baseline, tolerance
):
    figures = {
        "polarity": polarity,
        "accumulation": accumulation,
        "executed": executed and D(executed),
        "target": D(target),
        "baseline": baseline and D(baseline),
        "tolerance": tolerance and D(tolerance),
    }
    value, _text = explained_compliance(**figures)
    assert explained_compliance(**figures, explain=False) == (value, "")


# --- from the database: indicator_results and the workspace roll-up ---------------------


@pytest.fixture
def plan_with_every_rule(db):
    """A plan of two quarters, a goal per polarity and an indicator per accumulation under
    each (plus an objective's own one), with gaps, baselines and a tolerance."""
    plan = factories.PlanFactory()
    periods = first_quarters(plan)
    objective = factories.ObjectiveFactory(plan=plan)
    for p, polarity in enumerate(Pol.values):
        goal = factories.GoalFactory(objective=objective, weight=D(10 + p))
        action = factories.ActionFactory(goal=goal)
        factories.ProgressReportFactory(
            action=action, period=periods[0], progress=D("40"), status=ReviewStatus.APPROVED
        )
        for a, accumulation in enumerate(Acc.values):
            indicator = factories.IndicatorFactory(
                goal=goal,
                polarity=polarity,
                accumulation=accumulation,
                baseline_value=None if a % 3 == 0 else D("100"),
                maintenance_tolerance=D("2") if a % 2 else None,
            )
            measured(indicator, periods[0], target="80", value=str(70 + a))
            measured(
                indicator, periods[1], target="60" if a % 2 else "0", value=None if a == 2 else "65"
            )
    own = factories.IndicatorFactory(goal=None, objective=objective, unit=goal.unit)
    measured(own, periods[1], target="10", value=None)
    return plan, periods[1]


def test_indicator_results_without_explanation_are_the_same_figures(plan_with_every_rule):
    plan, period = plan_with_every_rule
    indicators = indicators_of_plan(plan)
    explained = indicator_results(indicators, period=period, cumulative=True)
    bare = indicator_results(indicators, period=period, cumulative=True, explain=False)
    assert any(result.explanation for result in explained.values())
    assert bare == {pk: replace(result, explanation="") for pk, result in explained.items()}


@pytest.mark.parametrize("actions", [True, False])
def test_workspace_rollup_without_explanation_has_the_same_figures(plan_with_every_rule, actions):
    plan, period = plan_with_every_rule
    explained = rollup_of(plan, period=period, actions=actions)
    bare = rollup_of(plan, period=period, actions=actions, explain=False)
    assert bare.physical == explained.physical
    assert bare.financial == explained.financial
    assert bare.semaforo_counts == explained.semaforo_counts
    assert bare.goal_semaforo == explained.goal_semaforo
    assert bare.objective_semaforo == explained.objective_semaforo
    assert bare.plan_semaforo == explained.plan_semaforo
    assert bare.plan_semaforo is not None
    assert bare.indicators == {
        pk: (indicator, replace(result, explanation=""))
        for pk, (indicator, result) in explained.indicators.items()
    }
    assert all(result.explanation == "" for _i, result in bare.indicators.values())


def test_plan_tree_builds_no_explanation(client, plan_with_every_rule, monkeypatch):
    """The workspace asks for the roll-up without the formula text; the indicator page's
    and the API's roll-ups keep it (their default)."""
    plan, _period = plan_with_every_rule
    calls = []

    def spy(*args, **kwargs):
        calls.append(kwargs.get("explain", True))
        return plan_rollup(*args, **kwargs)

    monkeypatch.setattr("mipg.traceability.rollup.strategic.plan_rollup", spy)
    client.force_login(factories.UserFactory(is_superuser=True))
    response = client.get(plan.get_absolute_url())
    assert response.context["rollup"].plan_semaforo is not None
    assert calls == [False]
