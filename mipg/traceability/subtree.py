"""Trace down: from a plan or an objective to everything that hangs from it — goals,
actions, indicators and budget allocations — in a constant number of queries
(``trace_down``: five queries whatever the size of the tree, four when the root is an
objective, which is not fetched again). Trace up is ``mipg.core.trace.trace_up``.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q

from evaluation.models import Indicator
from management.models import BudgetAllocation
from planning.models import Action, Goal, Objective, StrategicPlan


def _join(*parts):
    return "__".join(p for p in parts if p)


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


def trace_down(root, *, goals=None):
    """The Subtree of a StrategicPlan or an Objective, in a constant number of queries.

    Lists are in tree order (objective, goal, action by position and code). ``goals``: only
    the goals with these ids are read, with what hangs from them (the objectives and their
    own indicators all the same), for a page of the tree (``outline``).
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

    if goals is None:
        goal_scope, of_goals, of_actions, own = scope, under("goal"), under("action__goal"), scope
    else:
        goal_scope = scope & Q(pk__in=goals)
        of_goals, of_actions = Q(goal__in=goals), Q(action__goal__in=goals)
        own = scope & Q(goal__isnull=True)  # the objectives' own indicators
    goals = list(Goal.objects.filter(goal_scope).select_related("unit").in_tree_order())
    actions = list(Action.objects.filter(of_goals).select_related("unit").in_tree_order())
    indicators = list(Indicator.objects.filter(of_goals | own).order_by("code", "pk"))
    allocations = list(
        BudgetAllocation.objects.filter(of_actions)
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


def outline(root):
    """The goals under a StrategicPlan or an Objective as (id, objective id) in tree order,
    without anything below them (one query): what a page of the tree is cut from."""
    scope = Q(objective__plan=root) if isinstance(root, StrategicPlan) else Q(objective=root)
    return list(Goal.objects.filter(scope).in_tree_order().values_list("pk", "objective_id"))
