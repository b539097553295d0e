import datetime
from decimal import Decimal

import pytest

from management.models import BudgetAllocation, BudgetExecution
from management.selectors.budget import (
    BudgetTotals,
    plan_financial_progress,
    totals_by,
    totals_by_groups,
)
from management.selectors.physical import (
    PhysicalState,
    entity_thresholds,
    percent,
    plan_physical_progress,
    plans_physical_progress,
    with_physical_progress,
    with_planned_at_latest_period,
    with_planned_progress,
)
from mipg.core.models import Entity, InstitutionalPlan, ReviewStatus, User
from planning.models import Action, ActionSchedule
from tests import factories
from tests.builders import build_plan, first_quarters

D = Decimal
APPROVED = ReviewStatus.APPROVED
CDP = BudgetExecution.Stage.CDP
COMMITMENT = BudgetExecution.Stage.COMMITMENT
OBLIGATION = BudgetExecution.Stage.OBLIGATION
PAYMENT = BudgetExecution.Stage.PAYMENT


@pytest.fixture
def plan(db):
    return factories.PlanFactory(name="Plan de Acción 2026")


@pytest.fixture
def goal(plan):
    return factories.GoalFactory(
        objective=factories.ObjectiveFactory(plan=plan, code="O1"), code="M1"
    )


def action(goal, weight, progress=None, period=None, status=APPROVED, **kwargs):
    """An action of ``goal`` with, optionally, one report of ``progress`` in ``period``."""
    new = factories.ActionFactory(goal=goal, weight=D(weight), **kwargs)
    if progress is not None:
        report(new, period, progress, status)
    return new


def report(action, period, progress, status=APPROVED):
    # one reporter for all: UserFactory hashes a password for each user
    by, _ = User.objects.get_or_create(username="reportero")
    return factories.ProgressReportFactory(
        action=action, period=period, progress=D(progress), status=status, created_by=by
    )


# --- action level ---------------------------------------------------------------------


def test_action_progress_ignores_unapproved_reports(goal, quarters):
    q1, q2, q3, q4 = quarters
    only_pending = action(goal, 50)
    report(only_pending, q1, 90, ReviewStatus.DRAFT)
    report(only_pending, q2, 80, ReviewStatus.SUBMITTED)
    report(only_pending, q3, 70, ReviewStatus.RETURNED)
    approved_then_draft = action(goal, 50)
    report(approved_then_draft, q1, 20)
    report(approved_then_draft, q2, 95, ReviewStatus.SUBMITTED)

    result = plan_physical_progress(goal.objective.plan)

    pending = result.actions[only_pending.pk]
    assert (pending.physical, pending.has_report) == (0, False)
    approved = result.actions[approved_then_draft.pk]
    assert (approved.physical, approved.has_report) == (20, True)


def test_action_progress_latest_approved_period_wins(goal, quarters):
    q1, q2, q3, q4 = quarters
    a = action(goal, 100)
    report(a, q3, 60)  # created first, but the latest period
    report(a, q1, 30)

    assert plan_physical_progress(goal.objective.plan).actions[a.pk].physical == 60


def test_action_progress_as_of_excludes_later_periods(goal, quarters):
    q1, q2, q3, q4 = quarters
    a = action(goal, 100)
    report(a, q1, 30)
    report(a, q3, 60)
    late = action(goal, 0, 40, q4)

    plan = goal.objective.plan
    assert plan_physical_progress(plan, as_of=q1).actions[a.pk].physical == 30
    assert plan_physical_progress(plan, as_of=q2).actions[a.pk].physical == 30
    assert plan_physical_progress(plan, as_of=q4).actions[a.pk].physical == 60
    early = plan_physical_progress(plan, as_of=q3).actions[late.pk]
    assert (early.physical, early.has_report) == (0, False)


def test_with_physical_progress_annotates_any_action_queryset(goal, quarters):
    a = action(goal, 100, 45, quarters[0])
    b = action(goal, 0)

    rows = {
        x.pk: (x.physical_progress, x.has_report)
        for x in with_physical_progress(Action.objects.filter(goal=goal))
    }

    assert rows == {a.pk: (45, True), b.pk: (0, False)}


# --- goal level -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        # (60·50 + 40·100) / (60 + 40) = 7000 / 100 = 70
        (("60", "40"), D("70")),
        # relative weights: (30·50 + 20·100) / (30 + 20) = 3500 / 50 = 70
        (("30", "20"), D("70")),
        # all zero: plain average (50 + 100) / 2 = 75
        (("0", "0"), D("75")),
        # one zero weight counts for nothing: (0·50 + 10·100) / 10 = 100
        (("0", "10"), D("100")),
    ],
)
def test_goal_progress_is_relative_weighted_average(goal, quarters, weights, expected):
    action(goal, weights[0], 50, quarters[0])
    action(goal, weights[1], 100, quarters[0])

    node = plan_physical_progress(goal.objective.plan).goals[goal.pk]

    assert node.physical == expected
    assert percent(node.physical) == expected.quantize(D("0.01"))
    assert node.has_report
    assert node.has_children


def test_goal_progress_keeps_full_precision_until_presentation(goal, quarters):
    for _ in range(3):
        action(goal, "1", 10, quarters[0])
    action(goal, "0")  # weight 0: ignored in Σw·p and Σw
    lone = action(goal, "2")  # no report: progress 0

    # (1·10 + 1·10 + 1·10 + 2·0) / (1 + 1 + 1 + 2) = 30 / 5 = 6
    node = plan_physical_progress(goal.objective.plan).goals[goal.pk]
    assert node.physical == 6

    lone.weight = D("3")
    lone.save()
    # 30 / 6 = 5; then with weight 4: 30 / 7 = 4.285714… shown as 4.29
    assert plan_physical_progress(goal.objective.plan).goals[goal.pk].physical == 5
    lone.weight = D("4")
    lone.save()
    node = plan_physical_progress(goal.objective.plan).goals[goal.pk]
    assert node.physical != node.physical_display
    assert node.physical_display == D("4.29")


def test_goal_without_actions_is_zero_and_flagged(goal):
    node = plan_physical_progress(goal.objective.plan).goals[goal.pk]

    assert (node.physical, node.has_children, node.has_report) == (0, False, False)


def test_archived_actions_are_excluded(goal, quarters):
    action(goal, 60, 50, quarters[0])
    action(goal, 40, 100, quarters[0])
    archived = action(goal, 100, 0, quarters[0], archived=True)

    result = plan_physical_progress(goal.objective.plan)

    # the archived action (weight 100, progress 0) would give (3000+4000+0)/200 = 35
    assert result.goals[goal.pk].physical == 70
    assert archived.pk not in result.actions


# --- objective and plan levels --------------------------------------------------------


@pytest.fixture
def two_objectives(plan, quarters):
    """Objective O1 (weight 70): M1 (50) = 70 from actions 60/40 at 50/100, M2 (50) = 40.
    Objective O2 (weight 30): M3 (100) with no actions = 0.
    Archived: objective O3 (weight 100, progress 100), goal M4 in O1 (weight 100, 100 %)."""
    q1 = quarters[0]
    o1 = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("70"), position=1)
    o2 = factories.ObjectiveFactory(plan=plan, code="O2", weight=D("30"), position=2)
    o3 = factories.ObjectiveFactory(plan=plan, code="O3", weight=D("100"), archived=True)
    m1 = factories.GoalFactory(objective=o1, code="M1", weight=D("50"), position=1)
    m2 = factories.GoalFactory(objective=o1, code="M2", weight=D("50"), position=2)
    m3 = factories.GoalFactory(objective=o2, code="M3", weight=D("100"))
    m4 = factories.GoalFactory(objective=o1, code="M4", weight=D("100"), archived=True)
    action(m1, 60, 50, q1, code="A1", position=1)
    action(m1, 40, 100, q1, code="A2", position=2)
    action(m2, 100, 40, q1)
    action(m4, 100, 100, q1)
    action(factories.GoalFactory(objective=o3), 100, 100, q1)
    return {"o1": o1, "o2": o2, "o3": o3, "m1": m1, "m2": m2, "m3": m3, "m4": m4}


def test_objective_and_plan_progress(plan, two_objectives):
    t = two_objectives

    result = plan_physical_progress(plan)

    assert result.goals[t["m1"].pk].physical == 70  # (60·50 + 40·100) / 100
    assert result.goals[t["m2"].pk].physical == 40
    assert result.goals[t["m3"].pk].physical == 0
    assert not result.goals[t["m3"].pk].has_children
    # O1 = (50·70 + 50·40) / (50 + 50) = 5500 / 100 = 55; archived M4 left out
    assert result.objectives[t["o1"].pk].physical == 55
    # O2 = (100·0) / 100 = 0: its only goal has no actions
    o2 = result.objectives[t["o2"].pk]
    assert (o2.physical, o2.has_children, o2.has_report) == (0, True, False)
    # plan = (70·55 + 30·0) / (70 + 30) = 3850 / 100 = 38.5; archived O3 left out
    assert result.plan.physical == D("38.5")
    assert result.plan.physical_display == D("38.50")
    assert list(result.objectives) == [t["o1"].pk, t["o2"].pk]
    assert [g.code for g in result.goals_of(t["o1"].pk)] == ["M1", "M2"]
    assert [a.physical for a in result.actions_of(t["m1"].pk)] == [50, 100]
    assert t["m4"].pk not in result.goals


def test_plan_progress_as_of_period_before_any_report(plan, two_objectives, quarters):
    early = factories.PeriodFactory(
        plan=plan,
        label="2025-T4",
        start_date=datetime.date(2025, 10, 1),
        end_date=datetime.date(2025, 12, 31),
    )

    result = plan_physical_progress(plan, as_of=early)

    assert result.plan.physical == 0
    assert not result.plan.has_report
    assert result.as_of == early


def test_plan_without_objectives_is_zero_and_flagged(plan):
    result = plan_physical_progress(plan)

    assert (result.plan.physical, result.plan.has_children) == (0, False)
    assert result.objectives == {} and result.goals == {} and result.actions == {}


def test_objective_with_only_archived_goals_is_flagged(plan, quarters):
    objective = factories.ObjectiveFactory(plan=plan)
    action(factories.GoalFactory(objective=objective, archived=True), 100, 100, quarters[0])

    node = plan_physical_progress(plan).objectives[objective.pk]

    assert (node.physical, node.has_children) == (0, False)


def test_objectives_with_zero_weights_average_plainly(plan, quarters):
    for progress in (20, 60):
        objective = factories.ObjectiveFactory(plan=plan, weight=D("0"))
        action(factories.GoalFactory(objective=objective), 100, progress, quarters[0])

    # (20 + 60) / 2 = 40
    assert plan_physical_progress(plan).plan.physical == 40


# --- financial ------------------------------------------------------------------------


@pytest.fixture
def budget(plan):
    """O1 → M1 → A1 (two allocations 600 000 + 400 000, several executions each), A2 with no
    budget, A3 archived (500 000 appropriated, 500 000 paid); M2 → A4 with an allocation of
    the following year. O2 → M3 with no actions."""
    o1 = factories.ObjectiveFactory(plan=plan, code="O1", position=1)
    o2 = factories.ObjectiveFactory(plan=plan, code="O2", position=2)
    m1 = factories.GoalFactory(objective=o1, code="M1", position=1)
    m2 = factories.GoalFactory(objective=o1, code="M2", position=2)
    m3 = factories.GoalFactory(objective=o2, code="M3")
    a1 = factories.ActionFactory(goal=m1, code="A1", position=1)
    a2 = factories.ActionFactory(goal=m1, code="A2", position=2)
    a3 = factories.ActionFactory(goal=m1, code="A3", archived=True)
    a4 = factories.ActionFactory(goal=m2, code="A4")
    first = factories.AllocationFactory(action=a1, appropriation=D("600000"))
    second = factories.AllocationFactory(action=a1, appropriation=D("400000"))
    for allocation, stage, amount in [
        (first, CDP, "600000"),
        (first, COMMITMENT, "500000"),
        (first, COMMITMENT, "-100000"),  # liberación
        (first, OBLIGATION, "250000"),
        (first, PAYMENT, "150000"),
        (second, CDP, "200000"),
        (second, COMMITMENT, "300000"),
        (second, OBLIGATION, "150000"),
        (second, PAYMENT, "100000"),
    ]:
        factories.ExecutionFactory(allocation=allocation, stage=stage, amount=D(amount))
    archived = factories.AllocationFactory(action=a3, appropriation=D("500000"))
    factories.ExecutionFactory(allocation=archived, stage=PAYMENT, amount=D("500000"))
    next_year = factories.AllocationFactory(action=a4, year=2027, appropriation=D("200000"))
    factories.ExecutionFactory(allocation=next_year, stage=CDP, amount=D("50000"))
    return {"o1": o1, "o2": o2, "m1": m1, "m2": m2, "m3": m3, "a1": a1, "a2": a2, "a4": a4}


def test_financial_progress_per_action(plan, budget):
    result = plan_financial_progress(plan)

    a1 = result.actions[budget["a1"].pk]
    # appropriation 600 000 + 400 000 = 1 000 000 (not multiplied by the 9 executions)
    assert a1.appropriation == D("1000000")
    assert a1.cdp == D("800000")  # 600 000 + 200 000
    assert a1.commitment == D("700000")  # 500 000 − 100 000 + 300 000
    assert a1.obligation == D("400000")  # 250 000 + 150 000
    assert a1.payment == D("250000")  # 150 000 + 100 000
    assert a1.cdp_pct == 80
    assert a1.commitment_pct == 70  # 700 000 / 1 000 000 × 100
    assert a1.obligation_pct == 40
    assert a1.payment_pct == 25
    assert a1.has_budget

    a2 = result.actions[budget["a2"].pk]  # sin presupuesto
    assert (a2.appropriation, a2.commitment, a2.payment) == (0, 0, 0)
    assert (a2.commitment_pct, a2.obligation_pct, a2.payment_pct) == (None, None, None)
    assert not a2.has_budget


def test_financial_progress_rolls_up_and_excludes_archived(plan, budget):
    result = plan_financial_progress(plan)

    m1 = result.goals[budget["m1"].pk]
    # A1 + A2 (0); archived A3's 500 000 left out
    assert (m1.appropriation, m1.payment) == (D("1000000"), D("250000"))
    assert m1.commitment_pct == 70
    m2 = result.goals[budget["m2"].pk]  # A4: 200 000 in 2027, CDP 50 000
    assert (m2.appropriation, m2.cdp, m2.cdp_pct) == (D("200000"), D("50000"), 25)
    # O1 = M1 + M2 = 1 200 000; payment 250 000 → 20.8333…%
    o1 = result.objectives[budget["o1"].pk]
    assert o1.appropriation == D("1200000")
    assert o1.commitment == D("700000")
    assert percent(o1.payment_pct) == D("20.83")
    o2 = result.objectives[budget["o2"].pk]  # only a goal without actions
    assert (o2.appropriation, o2.payment_pct) == (0, None)
    assert result.plan.appropriation == D("1200000")
    assert result.plan.payment == D("250000")
    assert [a.code for a in result.actions_of(budget["m1"].pk)] == ["A1", "A2"]
    assert [g.code for g in result.goals_of(budget["o1"].pk)] == ["M1", "M2"]


def test_financial_progress_by_year(plan, budget):
    in_2026 = plan_financial_progress(plan, year=2026)
    in_2027 = plan_financial_progress(plan, year=2027)

    assert in_2026.year == 2026
    assert in_2026.plan.appropriation == D("1000000")
    assert in_2026.goals[budget["m2"].pk].cdp == 0
    assert in_2027.plan.appropriation == D("200000")
    assert in_2027.plan.cdp == D("50000")
    assert in_2027.actions[budget["a1"].pk].commitment_pct is None


def test_budget_cells_by_objective_unit_source_and_decreto_612_plan(plan, budget, count_queries):
    """The dashboard's cells: A1 (1 000 000, CDP 800 000, commitment 700 000, obligation
    400 000, payment 250 000) and A4 (200 000 in 2027, CDP 50 000) under O1, each in its
    goal's unit; A1 in two Decreto 612 plans, A4 in the first; archived A3 nowhere."""
    first, second = InstitutionalPlan.objects.order_by("order", "pk")[:2]
    a1, a4 = budget["a1"], budget["a4"]
    a1.institutional_plans.set([first, second])
    a4.institutional_plans.set([first])
    o1 = budget["o1"].pk
    (source,) = {a.source_id for a in BudgetAllocation.objects.filter(action__in=[a1, a4])}
    a1_totals = BudgetTotals(
        appropriation=D(1_000_000),
        cdp=D(800_000),
        commitment=D(700_000),
        obligation=D(400_000),
        payment=D(250_000),
    )
    a4_totals = BudgetTotals(appropriation=D(200_000), cdp=D(50_000))
    a1_cell, a4_cell = (o1, a1.unit_id, source), (o1, a4.unit_id, source)
    assert a1.unit_id != a4.unit_id

    # objectives, goals and actions, then the appropriations and the rest: no query more
    with count_queries(5):
        result = plan_financial_progress(plan, actions=False, sources=True)
    assert result.cells == {a1_cell: a1_totals, a4_cell: a4_totals}
    assert result.plan_cells == {
        (first.pk, *a1_cell): a1_totals,
        (second.pk, *a1_cell): a1_totals,
        (first.pk, *a4_cell): a4_totals,
    }
    assert result.source_names == {source: BudgetAllocation.objects.get(action=a4).source.name}
    assert result.goals[budget["m1"].pk].appropriation == D(1_000_000)  # the tree as ever

    # among the actions of the second plan: A1 alone, in both plans
    among = Action.objects.filter(institutional_plans=second)
    kept = plan_financial_progress(plan, actions=False, sources=True, among=among)
    assert kept.cells == {a1_cell: a1_totals}
    assert kept.plan_cells == {(first.pk, *a1_cell): a1_totals, (second.pk, *a1_cell): a1_totals}
    assert kept.plan.appropriation == D(1_200_000)  # the tree is the whole plan's
    in_2027 = plan_financial_progress(plan, actions=True, sources=True, year=2027)
    assert in_2027.cells == {a4_cell: a4_totals}


def test_totals_by_groups_of_several_widths_are_each_grouping_alone(plan, budget, count_queries):
    allocations = BudgetAllocation.objects.live().filter(action__goal__objective__plan=plan)
    groupings = [
        (allocations, "action__goal_id", None),
        (
            allocations.filter(year=2026),
            ("action__goal__objective_id", "action_id", "source_id"),
            None,
        ),
        (allocations, ("action_id", "source_id"), ("source__name", {})),
    ]
    with count_queries(2):
        together = totals_by_groups(groupings)
    alone = [totals_by(queryset, key, names=names) for queryset, key, names in groupings]
    assert together == alone
    assert together[0][budget["m2"].pk] == BudgetTotals(appropriation=D(200_000), cdp=D(50_000))
    assert budget["a4"].pk not in {action for _objective, action, _source in together[1]}


# --- reported or not: one lookup per action gives both -----------------------------------


@pytest.fixture
def reported_or_not(plan, goal, quarters):
    """M1 (weight 60) of O1: actions weighted 10, 20, 30, 40 with no report, an approved
    report of 0 %, approved 20 and 50 in T1–T2 then submitted 90 and returned 95 in T3–T4,
    a draft 10 in T1 then approved 70 in T3. O2 (weight 40): M2 with one action whose only
    report (T1, 80 %) is submitted."""
    q1, q2, q3, q4 = quarters
    goal.weight = D("60")
    goal.save()
    goal.objective.weight = D("60")
    goal.objective.save()
    none = action(goal, 10, code="A1", position=1)
    zero = action(goal, 20, 0, q1, code="A2", position=2)
    some = action(goal, 30, 20, q1, code="A3", position=3)
    report(some, q2, 50)
    report(some, q3, 90, ReviewStatus.SUBMITTED)
    report(some, q4, 95, ReviewStatus.RETURNED)
    late = action(goal, 40, 10, q1, ReviewStatus.DRAFT, code="A4", position=4)
    report(late, q3, 70)
    pending_goal = factories.GoalFactory(
        objective=factories.ObjectiveFactory(plan=plan, code="O2", weight=D("40")), code="M2"
    )
    pending = action(pending_goal, 100, 80, q1, ReviewStatus.SUBMITTED)
    return {"actions": (none, zero, some, late, pending), "m1": goal, "m2": pending_goal}


# (cut, [(physical, has_report) of each action], M1, plan), hand-computed:
REPORTED_OR_NOT = [
    # T1: A3 = 20, the rest 0 (A4's draft does not count). M1 = 30·20 / 100 = 6;
    # plan = (60·6 + 40·0) / 100 = 3.6
    (0, [(0, False), (0, True), (20, True), (0, False), (0, False)], D("6"), D("3.6")),
    # T2: A3 = 50 (T2 approved). M1 = 30·50 / 100 = 15; plan = 60·15 / 100 = 9
    (1, [(0, False), (0, True), (50, True), (0, False), (0, False)], D("15"), D("9")),
    # T4: A3 = 50 (T3 submitted, T4 returned), A4 = 70 (T3). M1 = (30·50 + 40·70) / 100
    # = 43; plan = 60·43 / 100 = 25.8
    (3, [(0, False), (0, True), (50, True), (70, True), (0, False)], D("43"), D("25.8")),
]


@pytest.mark.parametrize(("cut", "by_action", "m1", "whole"), REPORTED_OR_NOT)
def test_progress_and_report_of_actions_reported_or_not(
    plan, quarters, reported_or_not, cut, by_action, m1, whole
):
    t = reported_or_not
    result = plan_physical_progress(plan, as_of=quarters[cut])

    assert [
        (result.actions[a.pk].physical, result.actions[a.pk].has_report) for a in t["actions"]
    ] == by_action
    assert (result.goals[t["m1"].pk].physical, result.goals[t["m1"].pk].has_report) == (m1, True)
    # M2's only report is submitted: 0 and no report, up to its objective
    assert (result.goals[t["m2"].pk].physical, result.goals[t["m2"].pk].has_report) == (0, False)
    assert not result.objectives[t["m2"].objective_id].has_report
    assert (result.plan.physical, result.plan.has_report) == (whole, True)
    # the rows of the dashboard carry the same figures
    rows = {
        row[0]: row
        for row in plan_physical_progress(plan, as_of=quarters[cut], rows=True).action_rows
    }
    assert [rows[a.pk].physical for a in t["actions"]] == [physical for physical, _r in by_action]
    assert [rows[a.pk].has_report for a in t["actions"]] == [reported for _p, reported in by_action]


@pytest.mark.parametrize(("cut", "by_action", "m1", "whole"), REPORTED_OR_NOT)
def test_progress_of_goals_reported_or_not_without_action_nodes(
    plan, quarters, reported_or_not, cut, by_action, m1, whole
):
    """``actions=False`` (the plan page) and ``plans_physical_progress`` (several plans,
    the home page) read the same figures from plain rows."""
    t = reported_or_not
    thresholds = entity_thresholds()
    for result in (
        plan_physical_progress(plan, as_of=quarters[cut], actions=False),
        plans_physical_progress({plan: quarters[cut]}, thresholds=thresholds)[plan.pk],
    ):
        assert result.actions == {}
        m1_node, m2_node = result.goals[t["m1"].pk], result.goals[t["m2"].pk]
        assert (m1_node.physical, m1_node.has_report) == (m1, True)
        assert (m2_node.physical, m2_node.has_report) == (0, False)
        assert not result.objectives[t["m2"].objective_id].has_report
        assert (result.plan.physical, result.plan.has_report) == (whole, True)


def test_plans_physical_progress_reads_each_plan_at_its_own_cut(plan, quarters, reported_or_not):
    """Two plans at different cuts in one query: the first plan at T2 (M1 = 15), the other
    at its T1 where its only action's report is not yet counted."""
    other = factories.PlanFactory(name="Otro plan")
    other_q1, other_q2 = first_quarters(other)
    lone = action(
        factories.GoalFactory(objective=factories.ObjectiveFactory(plan=other)), 100, 0, other_q2
    )
    result = plans_physical_progress(
        {plan: quarters[1], other: other_q1}, thresholds=entity_thresholds()
    )
    assert result[plan.pk].goals[reported_or_not["m1"].pk].physical == 15
    lone_goal = result[other.pk].goals[lone.goal_id]
    assert (lone_goal.physical, lone_goal.has_report) == (0, False)  # T2's 0 % is after T1
    at_t2 = plans_physical_progress({other: other_q2}, thresholds=entity_thresholds())
    assert at_t2[other.pk].goals[lone.goal_id].has_report  # a report of 0 % is a report


# --- query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("n_actions", [3, 10])
def test_plan_physical_progress_query_count_is_constant(db, count_queries, n_actions):
    plan = build_plan(n_actions)
    as_of = plan.periods.first()
    thresholds = entity_thresholds()

    # objectives, goals, annotated actions (with their programación); the entity's
    # semáforo bands when not given
    with count_queries(3):
        result = plan_physical_progress(plan, thresholds=thresholds)
    with count_queries(3):
        at_cut = plan_physical_progress(plan, as_of=as_of, thresholds=thresholds)
    with count_queries(4):
        plan_physical_progress(plan, as_of=as_of)
    assert at_cut.plan.planned is not None

    # build_plan archives the second goal and the third action
    archived = Action.objects.filter(goal__objective__plan=plan, goal__code="M1").count()
    assert len(result.actions) == n_actions - 1 - archived
    assert 0 < result.plan.physical < 100


@pytest.mark.parametrize("n_actions", [3, 10])
def test_plan_financial_progress_query_count_is_constant(db, count_queries, n_actions):
    plan = build_plan(n_actions)

    # objectives, goals, actions, appropriations by action, modifications and executions
    # by action (one query)
    with count_queries(5) as queries:
        result = plan_financial_progress(plan)
    # one row per action: the tree's nodes need no funding source
    assert all("source_id" not in q["sql"] for q in queries.captured_queries)
    with count_queries(5):
        plan_financial_progress(plan, year=2026)

    assert result.plan.appropriation > 0
    # every allocation in build_plan: CDP 900, commitment 800 − 100, payment 300
    assert result.plan.commitment == result.plan.cdp * 7 / 9


# --- planned vs executed (programación) -----------------------------------------------


def test_mipg_example_planned_vs_executed(goal, quarters):
    """MIPG.md §4: actions weighted 60 and 40, planned 50 % and 100 %, executed 50 % and
    60 % → planned 70 %, executed 54 %, compliance 77 % amarillo."""
    q1, q2, q3, q4 = quarters
    first = action(goal, 60, 50, q2)
    second = action(goal, 40, 60, q2)
    ActionSchedule.objects.create(action=first, period=q2, planned=D("50"))
    ActionSchedule.objects.create(action=second, period=q2, planned=D("100"))

    result = plan_physical_progress(goal.objective.plan, as_of=q2)

    node = result.goals[goal.pk]
    assert (node.planned, node.physical) == (D("70"), D("54"))
    assert (node.compliance_display, node.state) == (D("77.14"), PhysicalState.YELLOW)
    objective = result.objectives[goal.objective_id]
    assert (objective.planned, objective.physical, objective.compliance_display) == (
        D("70"),
        D("54"),
        D("77.14"),
    )
    assert (result.plan.planned, result.plan.physical) == (D("70"), D("54"))
    assert result.plan.state == PhysicalState.YELLOW
    a1, a2 = result.actions[first.pk], result.actions[second.pk]
    assert (a1.compliance, a1.state) == (D("100"), PhysicalState.GREEN)
    assert (a2.compliance, a2.state) == (D("60"), PhysicalState.YELLOW)


def test_goals_add_up_their_actions_exactly_in_any_order(goal, quarters, count_queries):
    """Weights, reported progress, programación and the spread by dates all have two
    decimals: each w·x has at most four and a goal's sums Σw·x and Σw are exact whatever
    the order of its actions, so the roll-up without action rows reads them unsorted. M1:
    33.33 at 12.34 % (planned 24.66 % by dates), 33.33 at 99.99 % (programación 7.77 %)
    and 33.34 at 50 % (planned 100 %, ended); positions and codes in other orders."""
    q1, q2, q3, q4 = quarters
    action(
        goal,
        "33.34",
        50,
        q1,
        code="A1",
        position=1,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 3, 1),
    )
    second = action(goal, "33.33", "99.99", q1, code="A3", position=2)
    first = action(goal, "33.33", "12.34", q1, code="A2", position=3)
    for item in (first, second):
        item.start_date, item.end_date = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
        item.save()
    ActionSchedule.objects.create(action=second, period=q1, planned=D("7.77"))
    weighted = D("33.33") * D("12.34") + D("33.33") * D("99.99") + D("33.34") * 50
    planned = D("33.33") * D("24.66") + D("33.33") * D("7.77") + D("33.34") * 100
    with count_queries() as queries:
        light = plan_physical_progress(goal.objective.plan, as_of=q1, actions=False)
    actions_sql = queries.captured_queries[-1]["sql"]
    assert "planning_action" in actions_sql and "ORDER BY" not in actions_sql.split("FROM")[-1]
    full = plan_physical_progress(goal.objective.plan, as_of=q1)
    node = light.goals[goal.pk]
    assert (node.physical, node.planned) == (weighted / 100, planned / 100)
    assert node == full.goals[goal.pk] and light.plan == full.plan


def test_planned_defaults_to_the_spread_by_dates(goal, quarters):
    # 1/1–31/12/2026: 181 of 365 days elapsed at the end of T2 → 49.59 % planned;
    # executed 40 → 40 / 49.59 = 80.66 % verde
    q1, q2, q3, q4 = quarters
    a = action(
        goal,
        100,
        40,
        q2,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )

    node = plan_physical_progress(goal.objective.plan, as_of=q2).actions[a.pk]

    assert (node.planned, node.physical) == (D("49.59"), D("40"))
    assert (node.compliance_display, node.state) == (D("80.66"), PhysicalState.GREEN)


def test_action_compliance_raw_goal_capped_and_not_planned(goal, quarters):
    # ahead of schedule: 50 executed against 25 planned is 200 % for the action, the goal
    # caps it at 100; an action planned at 0 is "no programado"
    q1, q2, q3, q4 = quarters
    ahead = action(goal, 100, 50, q1)
    ActionSchedule.objects.create(action=ahead, period=q1, planned=D("25"))
    idle = action(goal, 0, None)
    ActionSchedule.objects.create(action=idle, period=q1, planned=D("0"))

    result = plan_physical_progress(goal.objective.plan, as_of=q1)

    assert result.actions[ahead.pk].compliance == D("200")
    assert (result.actions[idle.pk].compliance, result.actions[idle.pk].state) == (
        None,
        PhysicalState.NOT_PLANNED,
    )
    node = result.goals[goal.pk]
    assert (node.planned, node.physical, node.compliance) == (D("25"), D("50"), D("100"))
    assert node.state == PhysicalState.GREEN


def test_physical_compliance_bands_follow_the_entity(goal, quarters):
    q1, *_ = quarters
    Entity.objects.create(name="E", semaforo_red_below=D("50"), semaforo_green_from=D("90"))
    a = action(goal, 100, 45, q1)
    ActionSchedule.objects.create(action=a, period=q1, planned=D("50"))  # 90 % → verde

    node = plan_physical_progress(goal.objective.plan, as_of=q1).actions[a.pk]

    assert (node.compliance, node.state) == (D("90"), PhysicalState.GREEN)


def test_physical_compliance_without_a_period_is_not_planned(goal):
    a = action(goal, 100)
    result = plan_physical_progress(goal.objective.plan)
    assert (result.actions[a.pk].planned, result.plan.planned) == (None, None)
    assert result.plan.state == PhysicalState.NOT_PLANNED


def test_programacion_is_read_per_action_without_joining_the_action_again(count_queries):
    # one row per action and period: the subqueries of the roll-ups read the programación
    # alone, without the model's default order (which joined the action and the period
    # and sorted them for each action of the plan)
    plan = build_plan(3)
    period = plan.periods.order_by("start_date").first()
    actions = Action.objects.filter(goal__objective__plan=plan)
    reads = {
        "plan": with_planned_progress(actions, as_of=period),
        "latest period": with_planned_at_latest_period(actions),
    }
    for label, queryset in reads.items():
        sql = str(queryset.query)
        subquery = sql[sql.index('FROM "planning_actionschedule"') :].split("LIMIT")[0]
        assert '"position"' not in subquery and '"planning_action" ' not in subquery, label
    with count_queries() as queries:
        plans_physical_progress({plan: period}, thresholds=entity_thresholds())
    sql = next(q["sql"] for q in queries.captured_queries if "planning_actionschedule" in q["sql"])
    subquery = sql[sql.index('FROM "planning_actionschedule"') :].split("LIMIT")[0]
    assert '"position"' not in subquery and '"planning_action" ' not in subquery
