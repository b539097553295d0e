"""The trace page of any item: the chain from the item up to the MIPG dimensions
(``trace_up``/``chain``) and everything below it, for every model ``trace_up`` supports; a
fixed number of queries. The history page is on the ground floor (mipg.core.views.history).
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from evaluation.models import Indicator
from management.models import BudgetAllocation, ProgressReport
from mipg.core.templatetags.mipg_format import money, percent
from mipg.core.trace import route_of, trace_up
from mipg.core.views.history import (
    history_url,
    link_for,
    model_for,
    require_view,
    require_visible,
)
from mipg.core.web import crumbs_for, paginate
from mipg.traceability.subtree import outline, trace_down
from planning.models import Action, Goal, Objective, StrategicPlan


@dataclass
class Node:
    """An object under the traced item, with what hangs from it."""

    obj: object
    archived: bool = False
    detail: str = ""
    children: list = field(default_factory=list)

    @property
    def kind(self):
        return capfirst(self.obj._meta.verbose_name)

    @property
    def url(self):
        return link_for(self.obj)


def _status(figure):
    return figure.get_status_display()


def _allocation_node(allocation, archived=False):
    return Node(allocation, archived, money(allocation.appropriation))


def _report_node(report):
    return Node(
        report,
        detail=f"{report.period.label} · {percent(report.progress)} · {_status(report)}",
    )


@dataclass(frozen=True)
class _Unread:
    """A goal of the tree below a plan or an objective not read yet (``_subtree_page``)."""

    pk: int


def _subtree_node(tree, obj):
    """The Node of an item of the Subtree `tree`, with everything below it."""
    detail = ""
    if isinstance(obj, Goal | Action) and obj.unit_id:
        detail = str(obj.unit)
    if isinstance(obj, BudgetAllocation):
        detail = money(obj.appropriation)
    return Node(
        obj,
        tree.is_archived(obj),
        detail,
        [_subtree_node(tree, child) for child in tree.children(obj)],
    )


def _subtree_page(request, root, *, depth):
    """(tree, page) below a plan or an objective: ``_paged`` over its objectives, goals and
    the objectives' own indicators, each goal with everything below it. Only the page's
    goals are read with what hangs from them (``trace_down(goals=…)``): the others stand
    as ids where they go in the tree (``outline``), so a plan of 20,000 actions reads 25
    goals' worth. A constant number of queries."""
    skeleton = trace_down(root, goals=[])  # the objectives and their own indicators
    goals_of = defaultdict(list)
    for pk, objective_id in outline(root):
        goals_of[objective_id].append(Node(_Unread(pk)))

    def objective_node(objective):
        own = [_subtree_node(skeleton, child) for child in skeleton.children(objective)]
        return Node(objective, skeleton.is_archived(objective), "", goals_of[objective.pk] + own)

    if isinstance(root, StrategicPlan):
        nodes = [objective_node(objective) for objective in skeleton.objectives]
    else:
        nodes = objective_node(root).children
    tree, page = _paged(request, nodes, depth=depth)
    unread = [leaf.obj.pk for _chain, leaf in page.object_list if isinstance(leaf.obj, _Unread)]
    if unread:
        read = trace_down(root, goals=unread)
        goals = {goal.pk: _subtree_node(read, goal) for goal in read.goals}

        def fill(nodes):
            for i, node in enumerate(nodes):
                if isinstance(node.obj, _Unread):
                    nodes[i] = goals[node.obj.pk]
                else:
                    fill(node.children)

        fill(tree)
    return tree, page


def _goal_nodes(goal, user):
    actions = list(goal.actions.select_related("unit").order_by("position", "code", "pk"))
    allocations = BudgetAllocation.objects.filter(action__goal=goal).select_related("source")
    reports = (
        ProgressReport.objects.visible_to(user)
        .filter(action__goal=goal)
        .select_related("period", "action")
    )
    archived = {action.pk: goal.archived or action.archived for action in actions}
    below = {action.pk: [] for action in actions}
    for allocation in allocations.order_by("year", "rubro", "pk"):
        node = _allocation_node(allocation, archived[allocation.action_id])
        below[allocation.action_id].append(node)
    for report in reports.order_by("period__start_date", "pk"):
        below[report.action_id].append(_report_node(report))
    nodes = [
        Node(action, archived[action.pk], str(action.unit or ""), below[action.pk])
        for action in actions
    ]
    indicators = goal.indicators.order_by("code", "pk")
    return nodes + [Node(i, goal.archived or i.archived) for i in indicators]


def _action_nodes(action, user):
    allocations = action.allocations.select_related("source").order_by("year", "rubro", "pk")
    reports = (
        action.progress_reports.visible_to(user)
        .select_related("period", "action")
        .order_by("period__start_date", "pk")
    )
    return [_allocation_node(a) for a in allocations] + [_report_node(r) for r in reports]


def _indicator_nodes(indicator, user):
    targets = indicator.targets.select_related("period", "indicator").order_by(
        "period__start_date", "pk"
    )
    measurements = (
        indicator.measurements.visible_to(user)
        .select_related("period", "indicator")
        .order_by("period__start_date", "pk")
    )
    return [Node(t, detail=f"{t.period.label} · {t.value.normalize():f}") for t in targets] + [
        Node(m, detail=f"{m.period.label} · {m.value.normalize():f} · {_status(m)}")
        for m in measurements
    ]


def _allocation_executions(allocation, user):
    executions = allocation.executions.order_by("date", "pk")
    return [Node(e, detail=f"{e.date:%d/%m/%Y} · {money(e.amount)}") for e in executions]


# What the trace page lists below an item (a plan's and an objective's: _subtree_page)
BELOW = {
    Goal: _goal_nodes,
    Action: _action_nodes,
    Indicator: _indicator_nodes,
    BudgetAllocation: _allocation_executions,
}


def _paged(request, nodes, *, depth):
    """A page (``?page=``) of the nodes ``depth`` levels below the top of ``nodes`` (or
    above, for a branch that ends sooner), each under the chain of nodes it hangs from:
    the tree below a plan of 20,000 actions shows a page of its goals at a time, each
    with everything below it. (tree, page)."""
    leaves = []

    def walk(node, chain, level):
        if level == depth or not node.children:
            leaves.append((chain, node))
        else:
            for child in node.children:
                walk(child, [*chain, node], level + 1)

    for node in nodes:
        walk(node, [], 0)
    page = paginate(request, leaves)
    tree, copies = [], {}
    for chain, leaf in page.object_list:
        siblings = tree
        for node in chain:
            if id(node) not in copies:
                copies[id(node)] = replace(node, children=[])
                siblings.append(copies[id(node)])
            siblings = copies[id(node)].children
        siblings.append(leaf)
    return tree, page


def _served_by(item):
    """The live objectives, then the live goals aligned on their own, of serving plans that
    serve `item` when it is an objective (MIPG.md §3); two queries."""
    if not isinstance(item, Objective):
        return []
    objectives = (
        Objective.objects.live()
        .filter(serves=item)
        .select_related("plan")
        .order_by("plan__start_year", "plan__name", "position", "code")
    )
    goals = (
        Goal.objects.live()
        .filter(serves=item)
        .select_related("objective__plan")
        .order_by(
            "objective__plan__start_year",
            "objective__plan__name",
            "objective__position",
            "objective__code",
            "position",
            "code",
        )
    )
    return [*objectives, *goals]


@login_required
def trace(request, label, pk):
    model = model_for(label)
    if route_of(model._meta.concrete_model) is None:
        raise Http404(_("Ese tipo de elemento no tiene trazabilidad."))
    require_view(request.user, model)
    require_visible(request.user, model, pk)
    try:
        found = trace_up(model(pk=pk))
    except model.DoesNotExist:
        raise Http404(_("No existe ese elemento.")) from None
    item = found.item
    concrete = model._meta.concrete_model
    nodes, page = None, None
    if concrete in (StrategicPlan, Objective):
        # a plan's objectives are few: page its goals; an objective pages its children
        nodes, page = _subtree_page(request, item, depth=1 if concrete is StrategicPlan else 0)
    elif concrete in BELOW:
        nodes, page = _paged(request, BELOW[concrete](item, request.user), depth=0)
    chain = [{"kind": kind, "obj": obj, "url": link_for(obj)} for kind, obj in found.chain()]
    return render(
        request,
        "traceability/trace.html",
        {
            "item": item,
            "kind": capfirst(model._meta.verbose_name),
            "item_url": link_for(item),
            "history_url": history_url(item),
            "chain": chain,
            "trace": found,
            "below": nodes,
            "page": page,
            "serves": found.serves,
            "served_by": _served_by(item),
            "is_objective": isinstance(item, Objective),
            "crumbs": crumbs_for(item, last=_("Trazabilidad")),
        },
    )
