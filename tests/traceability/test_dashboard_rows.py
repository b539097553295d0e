"""The dashboard's groups come from the roll-up's action rows (no action nodes): the same
figures as the rule applied action by action to the full roll-up's nodes (the module
docstring of mipg.traceability.dashboard), on a plan with archived items, weights of
zero, actions without reports, two funding sources and an action in two Decreto 612
plans, under every filter and at an earlier cut."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest

from evaluation.selectors import SemaforoState
from management.models import BudgetExecution
from management.selectors.budget import BudgetTotals, budget_by_source
from management.selectors.physical import HUNDRED, ZERO, PhysicalState
from mipg.core.models import InstitutionalPlan, Policy, ReviewStatus
from mipg.traceability.dashboard import plan_dashboard
from mipg.traceability.rollup import plan_rollup
from planning.selectors import live_actions
from tests import factories
from tests.builders import approved, dashboard_example

D = Decimal
TODAY = datetime.date(2026, 7, 15)
DIGITS = D("1e-20")


@pytest.fixture
def plan(db):
    """dashboard_example() and a second objective (another policy and dimension) with a
    goal whose actions weigh 0 (one without reports, one in two Decreto 612 plans and
    with a second funding source), a goal weighing 0, and archived items that must count
    nowhere (an action, a goal with an action, both with reports and budget)."""
    example = dashboard_example()
    unit_a, unit_b = example["units"]
    p10 = example["policy"]
    other = Policy.objects.exclude(dimension=p10.dimension).order_by("code").first()
    plans = list(InstitutionalPlan.objects.order_by("order", "pk")[:2])
    o2 = factories.ObjectiveFactory(plan=example["plan"], code="O2", weight=D(0), policies=[other])
    zero = factories.GoalFactory(objective=o2, code="M3", weight=D(30), unit=unit_b)
    light = factories.GoalFactory(objective=o2, code="M4", weight=D(0), unit=unit_b)
    a4 = factories.ActionFactory(goal=zero, code="A4", weight=D(0), unit=unit_b)
    a5 = factories.ActionFactory(
        goal=zero, code="A5", weight=D(0), unit=unit_a, institutional_plans=plans
    )
    a6 = factories.ActionFactory(goal=light, code="A6", weight=D(10), unit=None)
    approved(a5, example["t1"], 10)
    approved(a5, example["t2"], 60)
    approved(a6, example["t2"], 100)
    factories.ProgressReportFactory(
        action=a4, period=example["t2"], progress=D(90), status=ReviewStatus.SUBMITTED
    )
    second = factories.FundingSourceFactory(code="FP-TEST", name="Fuente de prueba")
    allocation = factories.AllocationFactory(action=a5, source=second, appropriation=D(700))
    factories.ExecutionFactory(
        allocation=allocation, stage=BudgetExecution.Stage.COMMITMENT, amount=D(300)
    )
    factories.ModificationFactory(allocation=allocation, amount=D(50))
    factories.AllocationFactory(action=a5, appropriation=D(100))
    archived = factories.ActionFactory(
        goal=zero, code="A7", weight=D(50), unit=unit_a, archived=True, institutional_plans=plans
    )
    approved(archived, example["t2"], 5)
    factories.AllocationFactory(action=archived, appropriation=D(9_999))
    gone = factories.GoalFactory(objective=o2, code="M5", weight=D(70), archived=True)
    hidden = factories.ActionFactory(goal=gone, code="A8", unit=unit_b)
    approved(hidden, example["t2"], 1)
    factories.AllocationFactory(action=hidden, appropriation=D(8_888))
    red = factories.IndicatorFactory(goal=zero, code="IND-R", unit=unit_b)
    factories.TargetFactory(indicator=red, period=example["t2"], value=D(100))
    factories.MeasurementFactory(
        indicator=red, period=example["t2"], value=D(10), status=ReviewStatus.APPROVED
    )
    return {**example, "other": other, "plans": plans, "a5": a5}


def normalised(nodes):
    total = sum((n.weight for n in nodes), ZERO)
    return {n.id: n.weight / total if total else D(1) / len(nodes) for n in nodes}


def reference(plan, period, *, keep):
    """{group kind: {key: (executed, planned, actions, BudgetTotals)}}, the lagging and
    overdue action ids and the funnel, computed action by action from the full roll-up's
    nodes for the actions `keep(action node, unit id, objective id)` selects."""
    rollup = plan_rollup(plan, period=period)
    physical, financial = rollup.physical, rollup.financial
    objective_share = normalised(list(physical.objectives.values()))
    goal_share, share = {}, {}
    for nodes in _siblings(physical.goals.values()):
        for pk, value in normalised(nodes).items():
            goal_share[pk] = objective_share[physical.goals[pk].parent_id] * value
    for nodes in _siblings(physical.actions.values()):
        for pk, value in normalised(nodes).items():
            share[pk] = goal_share[physical.actions[pk].parent_id] * value
    plans_of = defaultdict(list)
    for action in live_actions(plan).prefetch_related("institutional_plans"):
        plans_of[action.pk] = [p.code for p in action.institutional_plans.all()]
    members = defaultdict(list)
    lagging, overdue, kept = [], [], []
    for pk, node in physical.actions.items():
        unit_id, _start, end = physical.action_facts[pk]
        objective_id = physical.goals[node.parent_id].parent_id
        if not keep(node, unit_id, objective_id):
            continue
        kept.append(pk)
        for key in [("total", None), ("objective", objective_id), ("unit", unit_id)] + [
            ("plan", code) for code in plans_of[pk]
        ]:
            members[key].append(pk)
        if node.state == PhysicalState.RED:
            lagging.append(pk)
        if end < TODAY and node.physical < HUNDRED:
            overdue.append(pk)
    groups = defaultdict(dict)
    for (kind, key), ids in members.items():
        total = sum(share[pk] for pk in ids)
        nodes = [physical.actions[pk] for pk in ids]
        weights = [share[pk] for pk in ids] if total else [D(1)] * len(ids)
        executed = sum(w * n.physical for w, n in zip(weights, nodes, strict=True)) / sum(weights)
        planned = sum(w * n.planned for w, n in zip(weights, nodes, strict=True)) / sum(weights)
        finance = BudgetTotals.sum(financial.actions[pk] for pk in ids)
        groups[kind][key] = (executed, planned, len(ids), finance)
    funnel = budget_by_source(live_actions(plan).filter(pk__in=kept))
    return groups, lagging, overdue, funnel


def _siblings(nodes):
    by_parent = defaultdict(list)
    for node in nodes:
        by_parent[node.parent_id].append(node)
    return by_parent.values()


def figures(group):
    return (
        group.executed.quantize(DIGITS),
        group.planned.quantize(DIGITS),
        group.actions,
        group.finance,
    )


def expected(values):
    executed, planned, count, finance = values
    return (executed.quantize(DIGITS), planned.quantize(DIGITS), count, finance)


FILTERS = {
    "none": ({}, lambda node, unit, objective, data: True),
    "unit": (
        {"unit": "unit_b"},
        lambda node, unit, objective, data: unit == data["units"][1].pk,
    ),
    "policy": (
        {"policy": "other"},
        lambda node, unit, objective, data: objective == data["a5"].goal.objective_id,
    ),
    "dimension": (
        {"dimension": "dimension"},
        lambda node, unit, objective, data: objective == data["a5"].goal.objective_id,
    ),
    "institutional_plan": (
        {"institutional_plan": "plan2"},
        lambda node, unit, objective, data: node.id == data["a5"].pk,
    ),
}


def arguments(data, names):
    values = {
        "unit_b": data["units"][1],
        "other": data["other"],
        "dimension": data["other"].dimension,
        "plan2": data["plans"][1],
    }
    return {key: values[name] for key, name in names.items()}


@pytest.mark.parametrize("cut", ["t1", "t2"])
@pytest.mark.parametrize("name", list(FILTERS))
def test_dashboard_groups_from_rows_equal_the_rule_on_the_action_nodes(plan, name, cut):
    names, keep = FILTERS[name]
    dash = plan_dashboard(
        plan["plan"], period=plan[cut], today=TODAY, actions=False, **arguments(plan, names)
    )
    groups, lagging, overdue, funnel = reference(
        plan["plan"], plan[cut], keep=lambda *args: keep(*args, plan)
    )
    assert dash.rollup.physical.actions == {}  # no action node was built
    assert {g.key: figures(g) for g in dash.units} == {
        key: expected(values) for key, values in groups["unit"].items()
    }
    assert {g.key: figures(g) for g in dash.institutional_plans} == {
        key: expected(values) for key, values in groups["plan"].items()
    }
    if dash.filtered:
        assert figures(dash.total) == expected(groups["total"][None])
        assert {g.key: figures(g) for g in dash.objectives} == {
            key: expected(values) for key, values in groups["objective"].items()
        }
    else:  # the tree's own figures
        assert dash.total.executed == dash.rollup.physical.plan.physical
        assert dash.total.finance == BudgetTotals.sum([dash.rollup.financial.plan])
    assert [node.id for node in dash.lagging] == lagging
    assert [node.id for node in dash.overdue] == overdue
    assert dash.funnel == funnel


@pytest.mark.parametrize("name", list(FILTERS))
def test_dashboard_without_action_nodes_says_what_it_says_with_them(plan, name):
    names, _keep = FILTERS[name]
    kwargs = {"period": plan["t2"], "today": TODAY, **arguments(plan, names)}
    light = plan_dashboard(plan["plan"], actions=False, **kwargs)
    full = plan_dashboard(plan["plan"], **kwargs)
    for attribute in (
        "total",
        "objectives",
        "units",
        "dimensions",
        "policies",
        "institutional_plans",
        "semaforo",
        "lagging",
        "lagging_count",
        "overdue",
        "overdue_count",
        "funnel",
        "funnel_total",
        "trend",
    ):
        assert getattr(light, attribute) == getattr(full, attribute), attribute
    # the listed actions are the roll-up's own action nodes
    assert light.lagging == [full.rollup.physical.actions[node.id] for node in full.lagging]
    assert full.rollup.physical.actions  # the report snapshot's action nodes are there


def test_dashboard_zero_weights_and_archived_items_by_hand(plan):
    """O2 weighs 0 beside O1 (100): its actions' shares are 0, so the unit and Decreto
    612 groups made only of them fall back to the plain mean; archived items count
    nowhere (neither their progress nor their budget)."""
    dash = plan_dashboard(plan["plan"], period=plan["t2"], today=TODAY, actions=False)
    # the plan's figures are O1's (the docstring's example): O2 weighs 0
    assert (dash.total.executed, dash.total.planned) == (D(44), D(82))
    second = {g.key: g for g in dash.institutional_plans}[plan["plans"][1].code]
    # only A5 (share 0): its own 60 %; budget 700 + 50 + 100, commitment 300
    assert (second.executed, second.actions) == (D(60), 1)
    assert (second.finance.definitive, second.finance.commitment) == (D(850), D(300))
    funnel = dict(dash.funnel)
    assert funnel["Fuente de prueba"].definitive == D(750)
    assert funnel["Recursos propios"].definitive == D(4_000_100)  # no archived 9,999 or 8,888
    reds = plan_dashboard(
        plan["plan"], period=plan["t2"], today=TODAY, actions=False, only_reds=True
    )
    assert [i.code for i, _r in reds.indicators] == ["IND-R"]
    assert {s: n for s, _label, n in reds.semaforo}[SemaforoState.RED] == 1


@pytest.mark.parametrize("weighted", [False, True], ids=["o2-weighs-0", "o2-weighs-40"])
@pytest.mark.parametrize("name", list(FILTERS))
def test_dashboard_trend_is_the_rule_at_each_period(plan, name, weighted):
    """Each point of the trend is Σ s·x / Σ s over the selected actions at that period's
    cut (planned: the programación where given, else the spread by dates; executed: the
    latest approved report by then), the total the rule gives at that cut. A third
    period with new reports (one replacing an earlier one) and programación for some
    actions only; a selection whose shares add up to 0 has no trend. With O2 weighing
    40 beside O1 and A5 weighing 10, the filters that keep O2's actions or A5 alone have
    shares above 0, hence a trend."""
    if weighted:
        a5 = plan["a5"]
        a5.weight = D(10)
        a5.save()
        a5.goal.objective.weight = D(40)
        a5.goal.objective.save()
    t3 = factories.PeriodFactory(
        plan=plan["plan"],
        label="T3",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 9, 30),
    )
    a1, a2, _a3 = plan["actions"]
    approved(a1, t3, 95)
    approved(plan["a5"], t3, 70)
    a2.schedule.create(period=t3, planned=D(90))
    plan["a5"].schedule.create(period=t3, planned=D(80))
    names, keep = FILTERS[name]
    dash = plan_dashboard(
        plan["plan"], period=t3, today=TODAY, actions=False, **arguments(plan, names)
    )
    expected_points = []
    for period in (plan["t1"], plan["t2"], t3):
        groups, *_ = reference(plan["plan"], period, keep=lambda *args: keep(*args, plan))
        executed, planned, _count, _finance = groups["total"][None]
        expected_points.append((period.label, planned.quantize(DIGITS), executed.quantize(DIGITS)))
    if not weighted and name in ("policy", "dimension", "institutional_plan"):
        assert dash.trend == []  # O2's actions: shares of 0
        return
    if weighted and name == "institutional_plan":
        # A5 alone: its approved 10, 60 and 70 %, and its programación of 80 % at T3
        assert [(p.label, round(executed, 2)) for p, _planned, executed in dash.trend] == [
            ("T1", D(10)),
            ("T2", D(60)),
            ("T3", D(70)),
        ]
        assert round(dash.trend[-1][1], 2) == D(80)
    assert [
        (p.label, planned.quantize(DIGITS), executed.quantize(DIGITS))
        for p, planned, executed in dash.trend
    ] == expected_points
