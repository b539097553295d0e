"""The plan list and the plan workspace: the objective → goal → action tree with physical
progress, financial progress and semáforo at every node.

The views layer is the top of the stack, so it may read evaluation's roll-up even though
the planning models and services never import later apps.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from evaluation.selectors import SemaforoState
from mipg.core.permissions import require_perm
from mipg.core.queries import count_subquery, related_count
from mipg.core.web import crumbs_for, paginate
from mipg.traceability.rollup import rollup_of
from planning.models import Action, Goal, Objective, StrategicPlan
from planning.selectors import default_cutoff, periods_of

TREE_ORDER = ("position", "code", "pk")


CHILD_KIND = {"objective": "goal", "goal": "action"}
ANCHORS = {"objective": "objetivo", "goal": "meta", "action": "actividad"}


@dataclass(frozen=True)
class TreeRow:
    """One node of the workspace tree as the template shows it.

    ``physical``/``finance`` come from the roll-up (None for archived nodes, which the
    roll-up leaves out); ``semaforo`` is the node's NodeSemaforo (None without indicators).
    ``first``/``last`` say whether the node can move up/down among its shown siblings;
    ``can`` is the set of {"change", "delete", "add"} the user may do on this level
    ("add" = add a child).
    """

    kind: str
    level: int
    obj: object
    archived: bool
    physical: object = None
    finance: object = None
    semaforo: object = None
    first: bool = False
    last: bool = False
    can: frozenset = frozenset()

    @property
    def anchor(self):
        return f"{ANCHORS[self.kind]}-{self.obj.pk}"

    @property
    def child_kind(self):
        return CHILD_KIND.get(self.kind)


def tree_permissions(user):
    """{kind: frozenset of what ``user`` may do on that level of the tree}."""
    child = {"objective": "goal", "goal": "action", "action": None}
    return {
        kind: frozenset(
            name
            for name, perm in (
                ("change", f"planning.change_{kind}"),
                ("delete", f"planning.delete_{kind}"),
                ("add", child[kind] and f"planning.add_{child[kind]}"),
            )
            if perm and user.has_perm(perm)
        )
        for kind in child
    }


def workspace_rows(plan, rollup, *, show_archived, can=None):
    """The tree of ``plan`` in display order, three queries whatever its size (one per
    level). Archived nodes, and everything under them, only when ``show_archived``."""
    can = can or {}
    live = {} if show_archived else {"archived": False}
    objectives = list(Objective.objects.filter(plan=plan, **live).order_by(*TREE_ORDER))
    goals = Goal.objects.filter(objective__plan=plan, **live).select_related("unit")
    actions = Action.objects.filter(goal__objective__plan=plan, **live).select_related(
        "unit", "responsible"
    )
    goals_of, actions_of = _group(goals, "objective_id"), _group(actions, "goal_id")
    physical, financial = rollup.physical, rollup.financial
    rows = []

    def add(kind, level, obj, index, count, archived, sources, semaforo=None):
        rows.append(
            TreeRow(
                kind,
                level,
                obj,
                archived,
                *(source.get(obj.pk) for source in sources),
                semaforo,
                first=index == 0,
                last=index == count - 1,
                can=can.get(kind, frozenset()),
            )
        )

    for o_index, objective in enumerate(objectives):
        add(
            "objective",
            1,
            objective,
            o_index,
            len(objectives),
            objective.archived,
            (physical.objectives, financial.objectives),
            rollup.objective_semaforo.get(objective.pk),
        )
        goals = goals_of.get(objective.pk, [])
        for g_index, goal in enumerate(goals):
            goal_archived = objective.archived or goal.archived
            add(
                "goal",
                2,
                goal,
                g_index,
                len(goals),
                goal_archived,
                (physical.goals, financial.goals),
                rollup.goal_semaforo.get(goal.pk),
            )
            actions = actions_of.get(goal.pk, [])
            for a_index, action in enumerate(actions):
                add(
                    "action",
                    3,
                    action,
                    a_index,
                    len(actions),
                    goal_archived or action.archived,
                    (physical.actions, financial.actions),
                )
    return rows


def _group(queryset, key):
    grouped = {}
    for item in queryset.order_by(*TREE_ORDER):
        grouped.setdefault(getattr(item, key), []).append(item)
    return grouped


def semaforo_summary(counts):
    """[(state, label, count), ...] in the order green, yellow, red, no target, no report."""
    return [(state.value, state.label, counts.get(state, 0)) for state in SemaforoState]


def selected_period(request, periods):
    """The period of ``?periodo=`` among ``periods`` (404 when it is not one of them), or
    the default cut-off (the latest period that has started, planning.selectors); None
    when the plan has no periods."""
    raw = request.GET.get("periodo", "")
    if raw:
        by_id = {str(period.pk): period for period in periods}
        if raw not in by_id:
            raise Http404(_("El periodo no pertenece a este plan."))
        return by_id[raw]
    return default_cutoff(periods)


@login_required
def plan_list(request):
    require_perm(request.user, "planning.view_strategicplan")
    plans = (
        StrategicPlan.objects.select_related("parent")
        .annotate(
            objective_count=related_count(StrategicPlan, "objectives"),
            action_count=count_subquery(Action.objects.all(), "goal__objective__plan"),
        )
        .order_by("-start_year", "name", "pk")
    )
    status = request.GET.get("estado", "")
    if status in StrategicPlan.Status.values:
        plans = plans.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "traceability/plan_list.html",
        {
            "page": paginate(request, plans),
            "status": status,
            "statuses": StrategicPlan.Status.choices,
            "crumbs": [(_("Planes"), None)],
        },
    )


@login_required
def plan_detail(request, pk):
    require_perm(request.user, "planning.view_strategicplan")
    plan = get_object_or_404(StrategicPlan.objects.select_related("parent", "approved_by"), pk=pk)
    periods = list(periods_of(plan))
    period = selected_period(request, periods)
    show_archived = request.GET.get("archivados") == "1"
    rollup = rollup_of(plan, period=period)
    rows = workspace_rows(
        plan, rollup, show_archived=show_archived, can=tree_permissions(request.user)
    )
    return render(
        request,
        "traceability/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "rollup": rollup,
            "periods": periods,
            "period": period,
            "period_chosen": bool(request.GET.get("periodo")),
            "show_archived": show_archived,
            "semaforo": semaforo_summary(rollup.semaforo_counts),
            "editable": plan.status != StrategicPlan.Status.CLOSED,
            "crumbs": crumbs_for(plan),
        },
    )
