import datetime
from decimal import Decimal

import pytest

from mipg.traceability.integrity import ERROR, KINDS, WARNING, Finding, integrity_report
from tests import factories
from tests.builders import build_plan

D = Decimal


@pytest.fixture
def clean(db):
    """A plan with nothing to report: weights 100, a unit, budget, an indicator with a
    target in each of the two periods, dates within 2026."""
    plan = factories.PlanFactory(start_year=2026, end_year=2026)
    periods = [
        factories.PeriodFactory(plan=plan, label="S1", end_date=datetime.date(2026, 6, 30)),
        factories.PeriodFactory(
            plan=plan,
            label="S2",
            start_date=datetime.date(2026, 7, 1),
            end_date=datetime.date(2026, 12, 31),
        ),
    ]
    objective = factories.ObjectiveFactory(plan=plan, code="O1")
    goal = factories.GoalFactory(objective=objective, code="M1")
    action = factories.ActionFactory(goal=goal, code="A1")
    factories.AllocationFactory(action=action)
    indicator = factories.IndicatorFactory(goal=goal, code="I1")
    for period in periods:
        factories.TargetFactory(indicator=indicator, period=period)
    return {
        "plan": plan,
        "periods": periods,
        "objective": objective,
        "goal": goal,
        "action": action,
        "indicator": indicator,
    }


def kinds(findings):
    return [(f.kind, f.obj) for f in findings]


def test_clean_plan_has_no_findings(clean):
    assert integrity_report(clean["plan"]) == []


def test_goal_without_actions(clean):
    empty = factories.GoalFactory(objective=clean["objective"], weight=D("0"))

    findings = integrity_report(clean["plan"])

    assert kinds(findings) == [("goal_without_actions", empty)]
    assert findings[0].severity == ERROR
    assert findings[0].message_es == f"La meta «{empty}» no tiene actividades."


def test_objective_without_goals_nor_indicators(clean):
    empty = factories.ObjectiveFactory(plan=clean["plan"], weight=D("0"))

    assert kinds(integrity_report(clean["plan"])) == [
        ("objective_without_goals", empty),
        ("objective_without_indicators", empty),
    ]


def test_objective_measured_directly_or_through_goals(clean):
    direct = factories.ObjectiveFactory(plan=clean["plan"], weight=D("0"))
    factories.IndicatorFactory(goal=None, objective=direct, unit=clean["goal"].unit)
    factories.ActionFactory(goal=factories.GoalFactory(objective=direct), code="A9")  # no budget
    # clean["objective"] is measured only through the indicator of its goal M1

    findings = integrity_report(clean["plan"])

    assert "objective_without_indicators" not in {f.kind for f in findings}


def test_objective_with_only_archived_indicators_is_not_measured(clean):
    clean["indicator"].archived = True
    clean["indicator"].save()

    findings = integrity_report(clean["plan"])

    assert kinds(findings) == [("objective_without_indicators", clean["objective"])]
    assert findings[0].severity == WARNING


def test_action_without_budget_and_without_unit(clean):
    a2 = factories.ActionFactory(goal=clean["goal"], code="A2", weight=D("0"), unit=None)

    findings = integrity_report(clean["plan"])

    assert kinds(findings) == [("action_without_budget", a2), ("action_without_unit", a2)]
    assert [f.severity for f in findings] == [WARNING, ERROR]
    assert findings[1].message_es == f"La actividad «{a2}» no tiene dependencia responsable."


@pytest.mark.parametrize(
    ("weights", "reported"),
    [
        (["60", "40"], False),
        (["33.33", "33.33", "33.34"], False),
        (["33.33", "33.33", "33.33"], False),  # 99.99: within the 0.01 tolerance
        (["33.33", "33.33", "33.32"], True),  # 99.98
        (["60", "30"], True),
        (["60", "50"], True),
    ],
)
def test_action_weights_must_sum_100(clean, weights, reported):
    goal = clean["goal"]
    clean["action"].weight = D(weights[0])
    clean["action"].save()
    for i, weight in enumerate(weights[1:]):
        factories.AllocationFactory(
            action=factories.ActionFactory(goal=goal, code=f"B{i}", weight=D(weight))
        )

    findings = integrity_report(clean["plan"])

    assert kinds(findings) == ([("weights_not_100", goal)] if reported else [])


def test_weights_checked_per_parent_at_each_level(clean):
    plan, objective = clean["plan"], clean["objective"]
    objective.weight = D("70")
    objective.save()
    clean["goal"].weight = D("80")
    clean["goal"].save()

    findings = integrity_report(plan)

    assert kinds(findings) == [("weights_not_100", plan), ("weights_not_100", objective)]
    assert findings[0].message_es == (
        f"Las ponderaciones de los objetivos de «{plan}» suman 70.00 y deben sumar 100."
    )
    assert "las metas" in findings[1].message_es


def test_archived_items_are_ignored(clean):
    goal, objective = clean["goal"], clean["objective"]
    # archived siblings would break the weights and have nothing under them
    factories.ObjectiveFactory(plan=clean["plan"], weight=D("100"), archived=True)
    factories.GoalFactory(objective=objective, weight=D("100"), archived=True)
    factories.ActionFactory(goal=goal, weight=D("100"), unit=None, archived=True)
    # everything under an archived goal is ignored too
    hidden = factories.GoalFactory(objective=objective, weight=D("50"), archived=True)
    factories.ActionFactory(goal=hidden, unit=None, start_date=datetime.date(2020, 1, 1))
    factories.IndicatorFactory(goal=hidden)

    assert integrity_report(clean["plan"]) == []


def test_action_dates_outside_plan_years(clean):
    early = factories.ActionFactory(
        goal=clean["goal"],
        code="A2",
        weight=D("0"),
        start_date=datetime.date(2025, 12, 1),
        end_date=datetime.date(2026, 2, 1),
    )
    late = factories.ActionFactory(
        goal=clean["goal"], code="A3", weight=D("0"), end_date=datetime.date(2027, 1, 15)
    )
    for a in (early, late):
        factories.AllocationFactory(action=a)

    findings = integrity_report(clean["plan"])

    assert kinds(findings) == [
        ("action_dates_outside_plan", early),
        ("action_dates_outside_plan", late),
    ]
    assert findings[0].message_es == (
        f"Las fechas de la actividad «{early}» (01/12/2025 a 01/02/2026) salen de la "
        "vigencia del plan (2026)."
    )


def test_indicator_without_target_for_some_period(clean):
    s3 = factories.PeriodFactory(
        plan=clean["plan"],
        label="S3",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 3, 31),
    )
    other_plan_period = factories.PeriodFactory(label="Otro")
    no_targets = factories.IndicatorFactory(goal=clean["goal"], code="I2")
    factories.TargetFactory(indicator=no_targets, period=other_plan_period)

    findings = integrity_report(clean["plan"])

    # Missing for some periods: a warning; for every period of the plan: an error, which
    # blocks the plan's approval (MIPG.md §5).
    assert kinds(findings) == [
        ("indicator_without_target", clean["indicator"]),
        ("indicator_without_targets", no_targets),
    ]
    assert [f.severity for f in findings] == ["warning", "error"]
    assert findings[0].message_es == (
        f"El indicador «{clean['indicator']}» no tiene meta programada para: {s3.label}."
    )
    assert findings[1].message_es == (
        f"El indicador «{no_targets}» no tiene metas programadas en el plan."
    )


def test_plan_without_periods(db):
    plan = factories.PlanFactory()
    action = factories.ActionFactory(
        goal=factories.GoalFactory(objective=factories.ObjectiveFactory(plan=plan))
    )
    factories.AllocationFactory(action=action)
    factories.IndicatorFactory(goal=action.goal)

    findings = integrity_report(plan)

    assert kinds(findings) == [("plan_without_periods", plan)]


def test_every_kind_has_a_severity():
    assert set(KINDS.values()) <= {ERROR, WARNING}
    assert Finding("goal_without_actions", ERROR, None, "x").kind in KINDS


@pytest.mark.parametrize("n_actions", [1, 3])
def test_integrity_report_query_count_is_constant(db, count_queries, n_actions):
    plan = build_plan(n_actions)

    # trace_down (5) + the plan's periods + (indicator, period) pairs with a target
    with count_queries(8):
        findings = integrity_report(plan)

    found = {f.kind for f in findings}
    # build_plan: actions without unit every 7th, without budget every 4th, one target
    # of two periods per indicator, action weights 0..4
    assert {
        "action_without_unit",
        "action_without_budget",
        "indicator_without_target",
        "weights_not_100",
    } <= found


@pytest.mark.django_db
def test_objectives_of_a_plan_served_by_action_plans_need_no_goals():
    pei = factories.PlanFactory(kind="pei", start_year=2024, end_year=2027)
    factories.ObjectiveFactory(plan=pei)
    assert "objective_without_goals" in {f.kind for f in integrity_report(pei)}
    factories.PlanFactory(parent=pei)
    kinds = {f.kind for f in integrity_report(pei)}
    assert "objective_without_goals" not in kinds
    assert "objective_without_indicators" in kinds


@pytest.mark.django_db
def test_objectives_of_a_serving_plan_must_be_aligned(clean, django_assert_num_queries):
    """MIPG.md §3: each objective of a plan serving another serves one of its objectives."""
    pei = factories.PlanFactory(kind="pei", start_year=2024, end_year=2027)
    target = factories.ObjectiveFactory(plan=pei, code="PEI-1")
    plan, aligned = clean["plan"], clean["objective"]
    assert integrity_report(plan) == []  # serving no plan: nothing to align
    plan.parent = pei
    plan.save()
    unaligned = factories.ObjectiveFactory(plan=plan, code="O2", weight=D("0"))
    aligned.serves = target
    aligned.save()

    with django_assert_num_queries(8):
        findings = integrity_report(plan)

    not_aligned = [f for f in findings if f.kind == "objective_not_aligned"]
    assert kinds(not_aligned) == [("objective_not_aligned", unaligned)]
    assert not_aligned[0].severity == WARNING
    assert not_aligned[0].message_es == (
        "El objetivo «O2 "
        f"{unaligned.name}» no está alineado a ningún objetivo del plan al que sirve este plan."
    )


@pytest.mark.django_db
def test_goals_of_an_unaligned_objective_with_aligned_siblings_must_be_aligned(
    clean, django_assert_num_queries
):
    """An aligned objective covers its goals; an objective aligned to nothing is one
    warning, unless some of its goals are aligned on their own: then each of its goals
    aligned to nothing is the warning (issue 8 §4)."""
    pei = factories.PlanFactory(kind="pei", start_year=2024, end_year=2027)
    target = factories.ObjectiveFactory(plan=pei, code="PEI-1")
    plan, covered = clean["plan"], clean["objective"]
    plan.parent = pei
    plan.save()
    covered.serves = target
    covered.save()
    factories.GoalFactory(objective=covered, code="M2", weight=D("0"))  # covered by O1
    split = factories.ObjectiveFactory(plan=plan, code="O2", weight=D("0"))
    factories.GoalFactory(objective=split, code="M3", serves=target)
    loose = factories.GoalFactory(objective=split, code="M4", weight=D("0"))
    factories.GoalFactory(objective=split, code="M5", weight=D("0"), archived=True)

    with django_assert_num_queries(8):
        findings = integrity_report(plan)

    not_aligned = [f for f in findings if f.kind.endswith("_not_aligned")]
    assert kinds(not_aligned) == [("goal_not_aligned", loose)]
    assert not_aligned[0].severity == WARNING
    assert not_aligned[0].message_es == (
        f"La meta «M4 {loose.name}» no está alineada a ningún objetivo del plan al que sirve "
        "este plan, ni lo está su objetivo."
    )
