"""The shared traceability layer: from any planning, budget or indicator object up to the
plan, the MIPG policies and dimensions it serves (``trace_up``), and from a plan or an
objective down to everything that hangs from it (``trace_down``).

Every app may read this module (see STYLE.md); it imports the models of planning,
management and evaluation but none of their services or selectors.

Query budget:

- ``trace_up``: one query with ``select_related`` along the item's path to its plan (and
  three levels of parent plans), plus one prefetch for the objective's policies when there
  is an objective and one for the action's Decreto 612 plans when there is an action. Plan
  ancestors deeper than three levels cost one more query per three levels.
- ``trace_down``: five queries whatever the size of the tree (four when the root is an
  objective, which is not fetched again).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Model, Prefetch, Q
from django.utils.text import capfirst

from evaluation.models import Indicator, IndicatorTarget, Measurement
from management.models import BudgetAllocation, BudgetExecution, ProgressReport
from mipg.models import InstitutionalPlan, Policy
from planning.models import Action, Goal, Objective, ReportingPeriod, StrategicPlan

# Plan ancestors fetched by select_related in the same query as the item.
ANCESTOR_LEVELS = 3


@dataclass(frozen=True)
class Trace:
    """Where an object sits: its action, goal, objective, plan and the MIPG framework.

    ``item`` is the object fetched again with its whole path, so walking ``item`` (e.g.
    ``str(measurement)``) costs no further queries. Roles that do not apply are ``None``
    (an objective's trace has no goal; an indicator of an objective has no goal either).
    A role the item plays itself points to the item (``trace_up(goal).goal is item``).
    """

    item: Model
    plan: StrategicPlan | None = None
    objective: Objective | None = None
    goal: Goal | None = None
    action: Action | None = None
    indicator: Indicator | None = None
    allocation: BudgetAllocation | None = None
    period: ReportingPeriod | None = None
    plan_ancestors: list = field(default_factory=list)
    institutional_plans: list = field(default_factory=list)
    policies: list = field(default_factory=list)
    dimensions: list = field(default_factory=list)

    def chain(self):
        """[(kind label in Spanish, object), ...] from the item up to the dimensions."""
        return chain(self)


@dataclass(frozen=True)
class _Route:
    """Paths (``__``-joined, "" for the item itself) from a model to each role.

    A role may have several candidate paths; the first one that is not ``None`` wins
    (an indicator reaches its objective directly or through its goal).
    """

    roles: dict
    extra: tuple = ()

    def under(self, prefix, *own_roles):
        """This route seen from a model that reaches it through ``prefix``; the roles in
        ``own_roles`` are played by that model itself."""
        roles = {
            role: tuple(_join(prefix, path) for path in paths) for role, paths in self.roles.items()
        }
        roles.update(dict.fromkeys(own_roles, ("",)))
        return _Route(roles, tuple(_join(prefix, p) for p in self.extra))


def _join(*parts):
    return "__".join(p for p in parts if p)


_PLAN = _Route({"plan": ("",)})
_OBJECTIVE = _Route({"objective": ("",), "plan": ("plan",)})
_GOAL = _Route({"goal": ("",), "objective": ("objective",), "plan": ("objective__plan",)})
_ACTION = _GOAL.under("goal", "action")
_INDICATOR = _Route(
    {
        "indicator": ("",),
        "goal": ("goal",),
        "objective": ("objective", "goal__objective"),
        "plan": ("objective__plan", "goal__objective__plan"),
    }
)
_ALLOCATION = _Route(_ACTION.under("action", "allocation").roles, extra=("source",))

# Model → how to reach each role. Adding a model here is all trace_up needs.
ROUTES = {
    StrategicPlan: _PLAN,
    Objective: _OBJECTIVE,
    Goal: _GOAL,
    Action: _ACTION,
    Indicator: _INDICATOR,
    IndicatorTarget: _Route({**_INDICATOR.under("indicator").roles, "period": ("period",)}),
    Measurement: _Route({**_INDICATOR.under("indicator").roles, "period": ("period",)}),
    BudgetAllocation: _ALLOCATION,
    BudgetExecution: _ALLOCATION.under("allocation"),
    ProgressReport: _Route({**_ACTION.under("action").roles, "period": ("period",)}),
}

ROLE_ORDER = ("allocation", "action", "indicator", "goal", "objective", "plan")


def _walk(obj, path):
    for attr in path.split("__") if path else ():
        obj = getattr(obj, attr)
        if obj is None:
            return None
    return obj


def _route_for(obj):
    if not isinstance(obj, Model):
        raise TypeError(f"trace_up no admite objetos de tipo {type(obj).__name__}.")
    route = ROUTES.get(obj._meta.concrete_model)
    if route is None:
        raise TypeError(f"trace_up no admite objetos de tipo {type(obj).__name__}.")
    if obj.pk is None:
        raise ValueError("trace_up necesita un objeto guardado.")
    return route


def trace_up(obj):
    """The Trace of a plan, objective, goal, action, indicator, target, measurement,
    budget allocation, budget execution or progress report. TypeError for anything else.
    """
    route = _route_for(obj)
    ancestors = "__".join(["parent"] * ANCESTOR_LEVELS)
    related = {_join(path, ancestors) for path in route.roles["plan"]}
    related.update(p for paths in route.roles.values() for p in paths if p)
    related.update(route.extra)
    prefetches = [
        Prefetch(
            _join(path, "policies"),
            queryset=Policy.objects.select_related("dimension"),
        )
        for path in route.roles.get("objective", ())
    ] + [
        Prefetch(
            _join(path, "institutional_plans"),
            queryset=InstitutionalPlan.objects.select_related("policy__dimension"),
        )
        for path in route.roles.get("action", ())
    ]
    model = obj._meta.concrete_model
    item = (
        model._default_manager.select_related(*sorted(related))
        .prefetch_related(*prefetches)
        .get(pk=obj.pk)
    )

    found = {}
    for role, paths in route.roles.items():
        found[role] = next(
            (value for value in (_walk(item, p) for p in paths) if value is not None), None
        )

    institutional_plans = []
    if found.get("action") is not None:
        institutional_plans = list(found["action"].institutional_plans.all())
    policies = {}
    if found.get("objective") is not None:
        policies.update((p.pk, p) for p in found["objective"].policies.all())
    policies.update((ip.policy.pk, ip.policy) for ip in institutional_plans)
    ordered_policies = sorted(policies.values(), key=lambda p: p.code)
    dimensions = {p.dimension.pk: p.dimension for p in ordered_policies}
    ordered_dimensions = sorted(dimensions.values(), key=lambda d: (d.order, d.code))

    return Trace(
        item=item,
        plan_ancestors=plan_ancestors(found["plan"]) if found.get("plan") else [],
        institutional_plans=institutional_plans,
        policies=ordered_policies,
        dimensions=ordered_dimensions,
        **found,
    )


def plan_ancestors(plan):
    """The plans ``plan`` serves, parent first. Uses the parents already cached by
    select_related and fetches ``ANCESTOR_LEVELS`` more levels per extra query."""
    ancestors = []
    seen = {plan.pk}
    current = plan
    while current.parent_id is not None and current.parent_id not in seen:
        if not StrategicPlan.parent.is_cached(current):
            ancestors_path = "__".join(["parent"] * ANCESTOR_LEVELS)
            current = StrategicPlan.objects.select_related(ancestors_path).get(pk=current.pk)
        current = current.parent
        seen.add(current.pk)
        ancestors.append(current)
    return ancestors


def _label(obj):
    return str(capfirst(obj._meta.verbose_name))


def chain(trace):
    """The breadcrumb of a trace: [(kind label in Spanish, object), ...] from the item up
    through its allocation, action, indicator, goal, objective, plan and parent plans,
    then the Decreto 612 plans, policies and dimensions. Costs no queries."""
    links = [(_label(trace.item), trace.item)]
    seen = {id(trace.item)}
    for role in ROLE_ORDER:
        obj = getattr(trace, role)
        if obj is not None and id(obj) not in seen:
            links.append((_label(obj), obj))
            seen.add(id(obj))
    for obj in [
        *trace.plan_ancestors,
        *trace.institutional_plans,
        *trace.policies,
        *trace.dimensions,
    ]:
        links.append((_label(obj), obj))
    return links


@dataclass(frozen=True)
class Subtree:
    """Everything under a plan or an objective, archived items included.

    Each object keeps its own ``archived`` flag; ``is_archived(obj)`` also says whether an
    ancestor is archived (an action of an archived goal is out of the plan too).
    Parent foreign keys are wired in memory (``action.goal.objective`` costs no query),
    and ``children(obj)`` lists the goals, actions, indicators or allocations under a node.
    """

    objectives: list
    goals: list
    actions: list
    indicators: list
    allocations: list

    @cached_property
    def _children(self):
        index = defaultdict(list)
        for goal in self.goals:
            index[(Objective, goal.objective_id)].append(goal)
        for action in self.actions:
            index[(Goal, action.goal_id)].append(action)
        for indicator in self.indicators:
            if indicator.goal_id is not None:
                index[(Goal, indicator.goal_id)].append(indicator)
            else:
                index[(Objective, indicator.objective_id)].append(indicator)
        for allocation in self.allocations:
            index[(Action, allocation.action_id)].append(allocation)
        return index

    def children(self, obj):
        """Goals (and indicators) of an objective, actions (and indicators) of a goal,
        allocations of an action, in tree order."""
        return list(self._children.get((obj._meta.concrete_model, obj.pk), []))

    def is_archived(self, obj):
        """True when ``obj`` or any of its ancestors in the tree is archived."""
        if isinstance(obj, BudgetAllocation):
            return self.is_archived(obj.action)
        if getattr(obj, "archived", False):
            return True
        if isinstance(obj, Action):
            return self.is_archived(obj.goal)
        if isinstance(obj, Goal):
            return self.is_archived(obj.objective)
        if isinstance(obj, Indicator):
            return self.is_archived(obj.goal if obj.goal_id is not None else obj.objective)
        return False


def trace_down(root):
    """The Subtree of a StrategicPlan or an Objective, in a constant number of queries.

    Lists are in tree order (objective, goal, action by position and code).
    """
    if isinstance(root, StrategicPlan):
        objectives = list(Objective.objects.filter(plan=root))
        for objective in objectives:
            objective.plan = root
        scope = Q(objective__plan=root)
    elif isinstance(root, Objective):
        objectives = [root]
        scope = Q(objective=root)
    else:
        raise TypeError(f"trace_down no admite objetos de tipo {type(root).__name__}.")

    def under(prefix):
        return Q(**{_join(prefix, key): value for key, value in scope.children})

    goals = list(
        Goal.objects.filter(scope)
        .select_related("unit")
        .order_by("objective__position", "objective__code", "position", "code")
    )
    actions = list(
        Action.objects.filter(under("goal"))
        .select_related("unit")
        .order_by(
            "goal__objective__position",
            "goal__objective__code",
            "goal__position",
            "goal__code",
            "position",
            "code",
        )
    )
    indicators = list(Indicator.objects.filter(under("goal") | scope).order_by("code", "pk"))
    allocations = list(
        BudgetAllocation.objects.filter(under("action__goal"))
        .select_related("source")
        .order_by("action_id", "year", "rubro", "pk")
    )

    objectives_by_id = {o.pk: o for o in objectives}
    goals_by_id = {g.pk: g for g in goals}
    actions_by_id = {a.pk: a for a in actions}
    for goal in goals:
        goal.objective = objectives_by_id[goal.objective_id]
    for action in actions:
        action.goal = goals_by_id[action.goal_id]
    for indicator in indicators:
        if indicator.goal_id is not None:
            indicator.goal = goals_by_id[indicator.goal_id]
        else:
            indicator.objective = objectives_by_id[indicator.objective_id]
    for allocation in allocations:
        allocation.action = actions_by_id[allocation.action_id]
    return Subtree(objectives, goals, actions, indicators, allocations)
