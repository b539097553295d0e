import pytest

from mipg.core.models import Dimension, InstitutionalPlan, Policy
from mipg.core.trace import Trace, chain, trace_up
from mipg.traceability.subtree import Subtree, outline, trace_down
from planning.models import Goal, Objective, StrategicPlan
from tests import factories
from tests.builders import build_plan


def ip(code):
    return InstitutionalPlan.objects.get(code=code)


def codes(objs):
    return [o.code for o in objs]


@pytest.fixture
def tree(db):
    """development plan ← PEI ← action plan → objective (P03, P13) → goal → action
    tagged PETI (P06) and PAV (P01)."""
    development = factories.PlanFactory(
        name="Plan de Desarrollo", kind=StrategicPlan.Kind.DEVELOPMENT, start_year=2024
    )
    pei = factories.PlanFactory(name="PEI", kind=StrategicPlan.Kind.PEI, parent=development)
    plan = factories.PlanFactory(name="Plan de Acción 2026", parent=pei)
    objective = factories.ObjectiveFactory(
        plan=plan, policies=[factories.policy("P13"), factories.policy("P03")]
    )
    goal = factories.GoalFactory(objective=objective)
    action = factories.ActionFactory(goal=goal, institutional_plans=[ip("PETI"), ip("PAV")])
    period = factories.PeriodFactory(plan=plan, label="2026-T1")
    return {
        "development": development,
        "pei": pei,
        "plan": plan,
        "objective": objective,
        "goal": goal,
        "action": action,
        "period": period,
    }


# --- trace_up -------------------------------------------------------------------------


def test_trace_up_action_collects_path_policies_and_dimensions(tree):
    trace = trace_up(tree["action"])

    assert isinstance(trace, Trace)
    assert trace.item == tree["action"]
    assert trace.action is trace.item
    assert (trace.goal, trace.objective, trace.plan) == (
        tree["goal"],
        tree["objective"],
        tree["plan"],
    )
    assert trace.plan_ancestors == [tree["pei"], tree["development"]]
    assert codes(trace.institutional_plans) == ["PAV", "PETI"]  # ordered by Decreto 612 order
    # objective: P03, P13; tags: PETI → P06, PAV → P01
    assert codes(trace.policies) == ["P01", "P03", "P06", "P13"]
    # P01 → D1, P03 → D2, P06 → D3, P13 → D4
    assert codes(trace.dimensions) == ["D1", "D2", "D3", "D4"]
    assert trace.indicator is None
    assert trace.allocation is None


def test_trace_up_deduplicates_policies_and_dimensions(tree):
    # P06 comes from the objective and from the PETI tag; PIC and PAV both give P01.
    tree["objective"].policies.add(factories.policy("P06"))
    tree["action"].institutional_plans.add(ip("PIC"))

    trace = trace_up(tree["action"])

    assert codes(trace.policies) == ["P01", "P03", "P06", "P13"]
    assert codes(trace.dimensions) == ["D1", "D2", "D3", "D4"]


def test_trace_up_plan_has_ancestors_and_no_policies(tree):
    trace = trace_up(tree["plan"])

    assert trace.plan == tree["plan"]
    assert trace.plan_ancestors == [tree["pei"], tree["development"]]
    assert (trace.objective, trace.goal, trace.action) == (None, None, None)
    assert trace.policies == []
    assert trace.dimensions == []


def test_trace_up_plan_without_parent(db):
    plan = factories.PlanFactory()

    assert trace_up(plan).plan_ancestors == []


def test_trace_up_objective_uses_its_own_policies(tree):
    trace = trace_up(tree["objective"])

    assert trace.objective is trace.item
    assert trace.plan == tree["plan"]
    assert trace.goal is None
    assert codes(trace.policies) == ["P03", "P13"]
    assert codes(trace.dimensions) == ["D2", "D4"]
    assert trace.institutional_plans == []


def test_trace_up_goal(tree):
    trace = trace_up(tree["goal"])

    assert trace.goal is trace.item
    assert (trace.objective, trace.plan) == (tree["objective"], tree["plan"])
    assert trace.action is None
    assert codes(trace.policies) == ["P03", "P13"]


def test_trace_up_indicator_of_a_goal(tree):
    indicator = factories.IndicatorFactory(goal=tree["goal"])

    trace = trace_up(indicator)

    assert trace.indicator is trace.item
    assert (trace.goal, trace.objective, trace.plan) == (
        tree["goal"],
        tree["objective"],
        tree["plan"],
    )
    assert codes(trace.policies) == ["P03", "P13"]


def test_trace_up_indicator_of_an_objective_has_no_goal(tree):
    indicator = factories.IndicatorFactory(
        goal=None, objective=tree["objective"], unit=factories.UnitFactory()
    )

    trace = trace_up(indicator)

    assert trace.goal is None
    assert (trace.objective, trace.plan) == (tree["objective"], tree["plan"])
    assert trace.plan_ancestors == [tree["pei"], tree["development"]]
    assert codes(trace.dimensions) == ["D2", "D4"]


def test_trace_up_target_and_measurement_reach_indicator_and_period(tree):
    indicator = factories.IndicatorFactory(
        goal=None, objective=tree["objective"], unit=factories.UnitFactory()
    )
    target = factories.TargetFactory(indicator=indicator, period=tree["period"])
    measurement = factories.MeasurementFactory(indicator=indicator, period=tree["period"])

    for item in (target, measurement):
        trace = trace_up(item)
        assert trace.item == item
        assert trace.indicator == indicator
        assert trace.period == tree["period"]
        assert (trace.goal, trace.objective, trace.plan) == (
            None,
            tree["objective"],
            tree["plan"],
        )
        assert codes(trace.policies) == ["P03", "P13"]


def test_trace_up_measurement_of_goal_indicator(tree):
    measurement = factories.MeasurementFactory(
        indicator=factories.IndicatorFactory(goal=tree["goal"]), period=tree["period"]
    )

    trace = trace_up(measurement)

    assert trace.goal == tree["goal"]
    assert trace.objective == tree["objective"]


def test_trace_up_budget_allocation_and_execution(tree):
    allocation = factories.AllocationFactory(action=tree["action"])
    execution = factories.ExecutionFactory(allocation=allocation)

    allocation_trace = trace_up(allocation)
    execution_trace = trace_up(execution)

    assert allocation_trace.allocation is allocation_trace.item
    assert allocation_trace.action == tree["action"]
    assert execution_trace.item == execution
    assert execution_trace.allocation == allocation
    assert (execution_trace.action, execution_trace.goal, execution_trace.plan) == (
        tree["action"],
        tree["goal"],
        tree["plan"],
    )
    assert codes(execution_trace.institutional_plans) == ["PAV", "PETI"]
    assert codes(execution_trace.policies) == ["P01", "P03", "P06", "P13"]


def test_trace_up_progress_report(tree):
    report = factories.ProgressReportFactory(action=tree["action"], period=tree["period"])

    trace = trace_up(report)

    assert trace.item == report
    assert trace.action == tree["action"]
    assert trace.period == tree["period"]
    assert trace.plan == tree["plan"]
    assert codes(trace.dimensions) == ["D1", "D2", "D3", "D4"]


@pytest.mark.parametrize("obj", [object(), "P01", None])
def test_trace_up_rejects_non_models(obj):
    with pytest.raises(TypeError):
        trace_up(obj)


def test_trace_up_rejects_unsupported_models(db):
    with pytest.raises(TypeError):
        trace_up(factories.UnitFactory())
    with pytest.raises(TypeError):
        trace_up(Dimension.objects.first())


def test_trace_up_rejects_unsaved_objects(db):
    with pytest.raises(ValueError):
        trace_up(StrategicPlan(name="x", start_year=2026, end_year=2026))


def test_chain_goes_from_item_up_to_dimensions(tree):
    allocation = factories.AllocationFactory(action=tree["action"])
    execution = factories.ExecutionFactory(allocation=allocation)
    trace = trace_up(execution)

    links = chain(trace)

    assert [label for label, _ in links] == [
        "Registro de ejecución presupuestal",
        "Asignación presupuestal",
        "Actividad",
        "Meta",
        "Objetivo",
        "Plan",
        "Plan",
        "Plan",
        "Plan institucional (Decreto 612)",
        "Plan institucional (Decreto 612)",
        "Política MIPG",
        "Política MIPG",
        "Política MIPG",
        "Política MIPG",
        "Dimensión MIPG",
        "Dimensión MIPG",
        "Dimensión MIPG",
        "Dimensión MIPG",
    ]
    assert [obj for _, obj in links[:8]] == [
        execution,
        allocation,
        tree["action"],
        tree["goal"],
        tree["objective"],
        tree["plan"],
        tree["pei"],
        tree["development"],
    ]
    assert trace.chain() == links


def test_chain_of_measurement_names_the_indicator(tree):
    indicator = factories.IndicatorFactory(goal=tree["goal"])
    measurement = factories.MeasurementFactory(indicator=indicator, period=tree["period"])

    labels = [label for label, _ in trace_up(measurement).chain()][:5]

    assert labels == ["Medición", "Indicador", "Meta", "Objetivo", "Plan"]


def test_chain_and_str_cost_no_queries(tree, count_queries):
    execution = factories.ExecutionFactory(
        allocation=factories.AllocationFactory(action=tree["action"])
    )
    report = factories.ProgressReportFactory(action=tree["action"], period=tree["period"])
    target = factories.TargetFactory(
        indicator=factories.IndicatorFactory(goal=tree["goal"]), period=tree["period"]
    )
    traces = [trace_up(obj) for obj in (execution, report, target)]

    with count_queries(0):
        for trace in traces:
            [str(obj) for _, obj in trace.chain()]


def _items(tree, period):
    """One object of each supported model under ``tree``."""
    action, goal = tree["action"], tree["goal"]
    goal_indicator = factories.IndicatorFactory(goal=goal)
    allocation = factories.AllocationFactory(action=action)
    return {
        "plan": tree["plan"],
        "objective": tree["objective"],
        "goal": goal,
        "action": action,
        "indicator": goal_indicator,
        "objective_indicator": factories.IndicatorFactory(
            goal=None, objective=tree["objective"], unit=goal.unit
        ),
        "target": factories.TargetFactory(indicator=goal_indicator, period=period),
        "measurement": factories.MeasurementFactory(indicator=goal_indicator, period=period),
        "allocation": allocation,
        "execution": factories.ExecutionFactory(allocation=allocation),
        "report": factories.ProgressReportFactory(action=action, period=period),
    }


# 1 select_related query for the item and its path (plus 3 levels of parent plans),
# + 1 prefetch of the objective's policies (with their dimension) when there is one,
# + 1 prefetch of the action's Decreto 612 plans (with policy and dimension).
EXPECTED_TRACE_UP_QUERIES = {
    "plan": 1,
    "objective": 2,
    "goal": 2,
    "action": 3,
    "indicator": 2,
    "objective_indicator": 2,
    "target": 2,
    "measurement": 2,
    "allocation": 3,
    "execution": 3,
    "report": 3,
}


def _assert_trace_up_queries(items, count_queries):
    for name, expected in EXPECTED_TRACE_UP_QUERIES.items():
        with count_queries(expected):
            trace = trace_up(items[name])
        assert trace.item == items[name]
    return trace


def test_trace_up_query_count_does_not_grow_with_tags(tree, count_queries):
    items = _items(tree, tree["period"])
    trace = _assert_trace_up_queries(items, count_queries)
    assert len(trace.policies) == 4

    tree["objective"].policies.set(Policy.objects.all())  # 19 policies
    tree["action"].institutional_plans.set(InstitutionalPlan.objects.all())  # 12 tags
    trace = _assert_trace_up_queries(items, count_queries)
    assert len(trace.policies) == 19
    assert len(trace.dimensions) == 7


def test_trace_up_plan_ancestors_beyond_three_levels_cost_one_query_per_three(db, count_queries):
    plans = [factories.PlanFactory(name="Nivel 0")]
    for level in range(1, 8):
        plans.append(factories.PlanFactory(name=f"Nivel {level}", parent=plans[-1]))
    leaf = plans[-1]

    # 1 query: leaf + 3 parents; then 1 query per 3 further levels (levels 3→0 need 2)
    with count_queries(3):
        trace = trace_up(leaf)

    assert trace.plan_ancestors == list(reversed(plans[:-1]))


# --- trace_down -----------------------------------------------------------------------


@pytest.fixture
def small_tree(db):
    """O2 is archived (so are M3 and A4 under it), M2 is archived (A3 and I3 under it),
    A2 is archived itself."""
    t = {"plan": factories.PlanFactory()}
    t["o1"] = factories.ObjectiveFactory(plan=t["plan"], code="O1", position=1)
    t["o2"] = factories.ObjectiveFactory(plan=t["plan"], code="O2", position=2, archived=True)
    t["g1"] = factories.GoalFactory(objective=t["o1"], code="M1", position=1)
    t["g2"] = factories.GoalFactory(objective=t["o1"], code="M2", position=2, archived=True)
    t["g3"] = factories.GoalFactory(objective=t["o2"], code="M3")
    t["a1"] = factories.ActionFactory(goal=t["g1"], code="A1", position=1)
    t["a2"] = factories.ActionFactory(goal=t["g1"], code="A2", position=2, archived=True)
    t["a3"] = factories.ActionFactory(goal=t["g2"], code="A3")
    t["a4"] = factories.ActionFactory(goal=t["g3"], code="A4")
    t["i1"] = factories.IndicatorFactory(goal=t["g1"], code="I1")
    t["i2"] = factories.IndicatorFactory(goal=None, objective=t["o1"], code="I2", unit=t["g1"].unit)
    t["i3"] = factories.IndicatorFactory(goal=t["g2"], code="I3")
    t["al1"] = factories.AllocationFactory(action=t["a1"])
    t["al2"] = factories.AllocationFactory(action=t["a3"])
    other = factories.ActionFactory()  # another plan: never included
    factories.AllocationFactory(action=other)
    factories.IndicatorFactory(goal=other.goal)
    return t


def test_trace_down_plan_lists_everything_in_tree_order(small_tree):
    t = small_tree

    subtree = trace_down(t["plan"])

    assert isinstance(subtree, Subtree)
    assert subtree.objectives == [t["o1"], t["o2"]]
    assert subtree.goals == [t["g1"], t["g2"], t["g3"]]
    assert subtree.actions == [t["a1"], t["a2"], t["a3"], t["a4"]]
    assert subtree.indicators == [t["i1"], t["i2"], t["i3"]]
    assert subtree.allocations == [t["al1"], t["al2"]]


def test_trace_down_flags_archived_items_and_their_descendants(small_tree):
    t = small_tree

    subtree = trace_down(t["plan"])

    archived = {str(o) for o in subtree.actions + subtree.goals if subtree.is_archived(o)}
    assert archived == {str(t[k]) for k in ("a2", "a3", "a4", "g2", "g3")}
    assert [a.archived for a in subtree.actions] == [False, True, False, False]
    assert [subtree.is_archived(i) for i in subtree.indicators] == [False, False, True]
    assert [subtree.is_archived(a) for a in subtree.allocations] == [False, True]


def test_trace_down_wires_parents_and_children_without_queries(small_tree, count_queries):
    t = small_tree
    subtree = trace_down(t["plan"])

    with count_queries(0):
        assert [a.goal.objective.plan for a in subtree.actions] == [t["plan"]] * 4
        assert subtree.children(subtree.objectives[0]) == [t["g1"], t["g2"], t["i2"]]
        assert subtree.children(subtree.goals[0]) == [t["a1"], t["a2"], t["i1"]]
        assert subtree.children(subtree.actions[0]) == [t["al1"]]
        assert subtree.children(subtree.actions[1]) == []


def test_trace_down_objective(small_tree):
    t = small_tree

    subtree = trace_down(t["o1"])

    assert subtree.objectives == [t["o1"]]
    assert subtree.goals == [t["g1"], t["g2"]]
    assert subtree.actions == [t["a1"], t["a2"], t["a3"]]
    assert subtree.indicators == [t["i1"], t["i2"], t["i3"]]
    assert subtree.allocations == [t["al1"], t["al2"]]


def test_trace_down_of_some_goals_reads_them_with_what_hangs_from_them(small_tree):
    # a page of the trace page: those goals, their actions, indicators and allocations,
    # and the objectives with their own indicators; nothing of the other goals
    t = small_tree

    subtree = trace_down(t["plan"], goals=[t["g2"].pk])

    assert subtree.objectives == [t["o1"], t["o2"]]
    assert subtree.goals == [t["g2"]]
    assert subtree.actions == [t["a3"]]
    assert subtree.indicators == [t["i2"], t["i3"]]
    assert subtree.allocations == [t["al2"]]
    assert subtree.is_archived(t["a3"])
    assert subtree.children(subtree.objectives[0]) == [t["g2"], t["i2"]]
    none = trace_down(t["o1"], goals=[])
    assert (none.goals, none.actions, none.indicators) == ([], [], [t["i2"]])
    assert outline(t["plan"]) == [
        (t["g1"].pk, t["o1"].pk),
        (t["g2"].pk, t["o1"].pk),
        (t["g3"].pk, t["o2"].pk),
    ]
    assert outline(t["o2"]) == [(t["g3"].pk, t["o2"].pk)]


def test_trace_down_rejects_other_objects(small_tree):
    with pytest.raises(TypeError):
        trace_down(small_tree["g1"])


@pytest.mark.parametrize("n_actions", [1, 3])
def test_trace_down_query_count_is_constant(db, count_queries, n_actions):
    plan = build_plan(n_actions)

    # objectives, goals, actions, indicators, allocations
    with count_queries(5):
        subtree = trace_down(plan)
    # from an objective: the objective itself is not fetched again
    with count_queries(4):
        trace_down(subtree.objectives[0])

    assert len(subtree.actions) == n_actions
    assert len(subtree.goals) == Goal.objects.filter(objective__plan=plan).count()
    assert {o.code for o in Objective.objects.filter(plan=plan)} == {"O1", "O2"}


# --- alignment (MIPG.md §3): the objective of the served plan an item serves ---------------


@pytest.fixture
def aligned(tree):
    """tree's objective serves PEI-1; a second goal M2 of it serves PEI-2 on its own."""
    first = factories.ObjectiveFactory(plan=tree["pei"], code="PEI-1")
    second = factories.ObjectiveFactory(plan=tree["pei"], code="PEI-2")
    tree["objective"].serves = first
    tree["objective"].save()
    goal = factories.GoalFactory(objective=tree["objective"], code="M2", serves=second)
    action = factories.ActionFactory(goal=goal, code="A2")
    return {**tree, "first": first, "second": second, "own_goal": goal, "own_action": action}


def test_trace_up_serves_the_goal_own_alignment_first(aligned, count_queries):
    indicator = factories.IndicatorFactory(goal=aligned["own_goal"])
    objective_indicator = factories.IndicatorFactory(
        goal=None, objective=aligned["objective"], unit=aligned["goal"].unit
    )
    report = factories.ProgressReportFactory(action=aligned["own_action"], period=aligned["period"])
    expected = {
        aligned["objective"]: aligned["first"],
        aligned["goal"]: aligned["first"],  # no alignment of its own: its objective's
        aligned["action"]: aligned["first"],
        objective_indicator: aligned["first"],
        aligned["own_goal"]: aligned["second"],
        aligned["own_action"]: aligned["second"],
        indicator: aligned["second"],
        report: aligned["second"],
    }

    traces = {item: trace_up(item) for item in expected}

    assert {item: t.serves for item, t in traces.items()} == expected
    assert trace_up(aligned["plan"]).serves is None
    with count_queries(0):  # the served objective and its plan come with the item
        names = [t.serves.plan.name for t in traces.values()]
    assert set(names) == {"PEI"}


def test_chain_goes_through_the_served_objective_before_the_served_plan(aligned):
    links = trace_up(aligned["own_action"]).chain()

    assert [obj for _label, obj in links[:7]] == [
        aligned["own_action"],
        aligned["own_goal"],
        aligned["objective"],
        aligned["plan"],
        aligned["second"],
        aligned["pei"],
        aligned["development"],
    ]
    assert [label for label, _obj in links[:5]] == [
        "Actividad",
        "Meta",
        "Objetivo",
        "Plan",
        "Objetivo al que sirve",
    ]


def test_trace_up_query_count_does_not_grow_with_alignment(aligned, count_queries):
    items = _items(aligned, aligned["period"])
    _assert_trace_up_queries(items, count_queries)
