"""The plan list and the plan workspace: the objective → goal → action tree with physical
progress, financial progress and semáforo at every node.

The views layer is the top of the stack, so it may read evaluation's roll-up even though
the planning models and services never import later apps.
"""

from dataclasses import dataclass, field, replace

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from evaluation.selectors import SemaforoState
from mipg.core.permissions import require_perm
from mipg.core.queries import count_subquery, related_count
from mipg.core.web import UrlPattern, crumbs_for, paginate
from mipg.traceability.rollup import rollup_of
from planning.models import Action, Goal, Objective, StrategicPlan
from planning.selectors import BRANCH_PAGE_SIZE, SIBLING_ORDER, default_cutoff, periods_of

LEVELS = {"objective": 1, "goal": 2, "action": 3}
CHILD_KIND = {"objective": "goal", "goal": "action"}
ANCHORS = {"objective": "objetivo", "goal": "meta", "action": "actividad"}
# The request header of the workspace script (static/js/plan_tree.js): answer with the
# rows of a branch only, to insert below its parent row.
BRANCH_HEADER = "X-Tree-Branch"


@dataclass(frozen=True)
class TreeRow:
    """One node of the workspace tree as the template shows it.

    ``physical``/``finance`` come from the roll-up (None for archived nodes, which the
    roll-up leaves out); ``semaforo`` is the node's NodeSemaforo (None without indicators).
    ``first``/``last`` say whether the node can move up/down among its shown siblings;
    ``can`` is the set of {"change", "delete", "add"} the user may do on this level
    ("add" = add a child); ``urls`` its links by verb (``TreeLinks``); ``children`` how
    many rows its branch shows (None for actions); ``parent`` the anchor of the row it
    hangs from; ``open`` whether its branch is shown below it.
    """

    kind: str
    obj: object
    archived: bool
    physical: object = None
    finance: object = None
    semaforo: object = None
    first: bool = False
    last: bool = False
    can: frozenset = frozenset()
    urls: dict = field(default_factory=dict)
    children: int | None = None
    parent: str = ""
    open: bool = False

    @property
    def level(self):
        return LEVELS[self.kind]

    @property
    def anchor(self):
        return f"{ANCHORS[self.kind]}-{self.obj.pk}"

    @property
    def child_kind(self):
        return CHILD_KIND.get(self.kind)


def tree_permissions(user):
    """{kind: frozenset of what ``user`` may do on that level of the tree}."""
    child = {"objective": "goal", "goal": "action", "action": None}
    # The workbench: indicators from an objective or goal, budget and programación from an
    # action, without leaving the tree.
    extra = {
        "objective": (("indicator", "evaluation.add_indicator"),),
        "goal": (("indicator", "evaluation.add_indicator"),),
        "action": (
            ("budget", "management.view_budgetallocation"),
            ("schedule", "planning.change_action"),
        ),
    }
    return {
        kind: frozenset(
            name
            for name, perm in (
                ("change", f"planning.change_{kind}"),
                ("delete", f"planning.delete_{kind}"),
                ("add", child[kind] and f"planning.add_{child[kind]}"),
                *extra[kind],
            )
            if perm and user.has_perm(perm)
        )
        for kind in child
    }


# The query parameter of the new-indicator form that names what the indicator measures.
INDICATOR_PARAMETER = {"objective": "objetivo", "goal": "meta"}


class TreeLinks:
    """The links of the rows of one level of the tree, each reversed once per request
    (``UrlPattern``) and formatted per row: a 20,000-row plan does not resolve the
    URLconf 200,000 times."""

    VERBS = ("edit", "delete", "archive", "unarchive", "reorder")

    def __init__(self, kind):
        label = f"planning.{kind}"
        self.patterns = {verb: UrlPattern(f"planning:{kind}-{verb}") for verb in self.VERBS}
        self.patterns["trace"] = UrlPattern("trace", label)
        self.patterns["history"] = UrlPattern("history", label)
        if kind in CHILD_KIND:
            self.patterns["add"] = UrlPattern(f"planning:{CHILD_KIND[kind]}-create")
            self.patterns["branch"] = UrlPattern(f"planning:{kind}-branch")
        if kind != "objective":
            self.patterns["detail"] = UrlPattern(f"planning:{kind}-detail")
        if kind in INDICATOR_PARAMETER:
            new_indicator = f"{reverse('evaluation:indicator-create')}?{INDICATOR_PARAMETER[kind]}="
            self.patterns["indicator"] = lambda pk: f"{new_indicator}{pk}"
        else:
            self.patterns["budget"] = UrlPattern("management:action-budget")
            self.patterns["schedule"] = UrlPattern("planning:action-schedule")

    def __call__(self, pk):
        return {verb: pattern(pk) for verb, pattern in self.patterns.items()}


class TreeRows:
    """Builds the TreeRows of one request: the roll-up figures, permissions and links of
    each level are looked up once, then each row is a few dictionary reads."""

    def __init__(self, user, rollup, *, show_archived):
        self.rollup = rollup
        self.can = tree_permissions(user)
        self.links = {kind: TreeLinks(kind) for kind in LEVELS}
        self.live = {} if show_archived else {"archived": False}
        physical, financial = rollup.physical, rollup.financial
        self.sources = {
            "objective": (physical.objectives, financial.objectives, rollup.objective_semaforo),
            "goal": (physical.goals, financial.goals, rollup.goal_semaforo),
            "action": (physical.actions, financial.actions, {}),
        }

    def row(self, kind, obj, *, archived, index, count, parent="", open=False):
        physical, finance, semaforo = self.sources[kind]
        return TreeRow(
            kind,
            obj,
            archived,
            physical.get(obj.pk),
            finance.get(obj.pk),
            semaforo.get(obj.pk),
            first=index == 0,
            last=index == count - 1,
            can=self.can.get(kind, frozenset()),
            urls=self.links[kind](obj.pk),
            children=getattr(obj, "child_count", None),
            parent=parent,
            open=open,
        )

    def objectives(self, plan):
        """The objectives of ``plan`` with how many goals each shows; two queries."""
        goals = count_subquery(Goal.objects.filter(**self.live), "objective")
        return (
            Objective.objects.filter(plan=plan, **self.live)
            .annotate(child_count=goals)
            .order_by(*SIBLING_ORDER)
        )

    def goals(self, objective):
        actions = count_subquery(Action.objects.filter(**self.live), "goal")
        return (
            objective.goals.filter(**self.live)
            .select_related("unit")
            .annotate(child_count=actions)
            .order_by(*SIBLING_ORDER)
        )

    def actions(self, goal):
        return (
            goal.actions.filter(**self.live)
            .select_related("unit", "responsible")
            .order_by(*SIBLING_ORDER)
        )

    def page(self, kind, page, *, archived, parent):
        """The rows of a Paginator ``page`` of ``kind`` items hanging from ``parent`` (an
        anchor); ``archived``: the parent is archived or under an archived item."""
        count, offset = page.paginator.count, page.start_index() - 1
        return [
            self.row(
                kind,
                obj,
                archived=archived or obj.archived,
                index=offset + index,
                count=count,
                parent=parent,
            )
            for index, obj in enumerate(page.object_list)
        ]


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


def tree_labels():
    """The words every row of the tree repeats, translated once per page."""
    return {
        "edit": _("Editar"),
        "up": _("Subir"),
        "down": _("Bajar"),
        "archive": _("Archivar"),
        "unarchive": _("Desarchivar"),
        "delete": _("Eliminar"),
        "add": _("Agregar"),
        "add_goal": _("Agregar meta a"),
        "add_action": _("Agregar actividad a"),
        "add_indicator": _("Agregar indicador a"),
        "budget": _("Presupuesto de"),
        "schedule": _("Programación de"),
        "archived": _("Archivado"),
        "trace": _("trazabilidad"),
        "history": _("historial"),
        "no_report": _("sin reporte"),
        "no_indicators": _("Sin indicadores"),
        "objective": _("objetivo"),
        "goal": _("meta"),
        "action": _("actividad"),
        "show_goals": _("Ver las metas de"),
        "show_actions": _("Ver las actividades de"),
        "goals": _("metas"),
        "actions": _("actividades"),
    }


def _workspace(request, plan, *, actions=True, objective=None):
    """(context, TreeRows) shared by the plan tree and its branches: the cut-off period
    (``?periodo=``), the archived toggle (``?archivados=1``), the roll-up, and ``query``,
    the query string that keeps both in the tree's links. ``actions=False`` for a page
    that shows no action row (the roll-up then builds no action node); ``objective`` for
    a page that shows that objective's branch alone (the roll-up reads only the branch)."""
    periods = list(periods_of(plan))
    period = selected_period(request, periods)
    period_chosen = bool(request.GET.get("periodo"))
    show_archived = request.GET.get("archivados") == "1"
    # the tree shows each node's semáforo, never an indicator's formula text
    rollup = rollup_of(plan, period=period, actions=actions, objective=objective, explain=False)
    query = {}
    if period_chosen:
        query["periodo"] = period.pk
    if show_archived:
        query["archivados"] = 1
    context = {
        "plan": plan,
        "rollup": rollup,
        "periods": periods,
        "period": period,
        "period_chosen": period_chosen,
        "show_archived": show_archived,
        "query": f"?{urlencode(query)}" if query else "",
        "editable": plan.status != StrategicPlan.Status.CLOSED,
        "labels": tree_labels(),
    }
    rows = TreeRows(request.user, rollup, show_archived=show_archived)
    # the move buttons of every row post one form (with the page's one CSRF token)
    context["reorder"] = context["editable"] and any("change" in can for can in rows.can.values())
    return context, rows


@login_required
def plan_detail(request, pk):
    """The plan tree with its objectives closed: each opens its branch (``objective_branch``)
    in place with the workspace script, or as a page of its own without it."""
    require_perm(request.user, "planning.view_strategicplan")
    plan = get_object_or_404(StrategicPlan.objects.select_related("parent", "approved_by"), pk=pk)
    context, rows = _workspace(request, plan, actions=False)
    objectives = list(rows.objectives(plan))
    context.update(
        rows=[
            rows.row(
                "objective", objective, archived=objective.archived, index=i, count=len(objectives)
            )
            for i, objective in enumerate(objectives)
        ],
        semaforo=semaforo_summary(context["rollup"].semaforo_counts),
        crumbs=crumbs_for(plan),
    )
    return render(request, "traceability/plan_detail.html", context)


def _branch(request, plan, ancestors, kind, children, *, archived, crumbs):
    """A page (BRANCH_PAGE_SIZE rows, ``?page=``) of the ``kind`` rows of ``children``
    under the last of ``ancestors`` ([(kind, obj), ...] from the objective down): the rows
    alone for the workspace script (header BRANCH_HEADER), else a page that shows the
    ancestors' rows above them. Its roll-up reads the objective's branch alone."""
    context, rows = _workspace(request, plan, objective=ancestors[0][1])
    parents = []
    for kind_above, obj in ancestors:
        above = parents[-1].anchor if parents else ""
        parents.append(
            rows.row(kind_above, obj, archived=archived, index=0, count=1, parent=above, open=True)
        )
    page = paginate(request, children(rows), BRANCH_PAGE_SIZE)
    parent = parents[-1] = replace(parents[-1], children=page.paginator.count)
    context.update(
        parent=parent,
        page=page,
        branch_url=parent.urls["branch"],
        children=rows.page(kind, page, archived=archived, parent=parent.anchor),
        crumbs=crumbs,
    )
    if request.headers.get(BRANCH_HEADER):
        response = render(request, "traceability/_tree_branch.html", context)
    else:
        context["rows"] = parents
        response = render(request, "traceability/plan_branch.html", context)
    patch_vary_headers(response, [BRANCH_HEADER])
    return response


@login_required
def objective_branch(request, pk):
    """The goals of an objective, a page at a time."""
    require_perm(request.user, "planning.view_strategicplan")
    objective = get_object_or_404(Objective.objects.select_related("plan"), pk=pk)
    return _branch(
        request,
        objective.plan,
        [("objective", objective)],
        "goal",
        lambda rows: rows.goals(objective),
        archived=objective.archived,
        crumbs=crumbs_for(objective),
    )


@login_required
def goal_branch(request, pk):
    """The actions of a goal, a page at a time."""
    require_perm(request.user, "planning.view_strategicplan")
    goal = get_object_or_404(Goal.objects.select_related("objective__plan", "unit"), pk=pk)
    objective = goal.objective
    return _branch(
        request,
        objective.plan,
        [("objective", objective), ("goal", goal)],
        "action",
        lambda rows: rows.actions(goal),
        archived=objective.archived or goal.archived,
        crumbs=crumbs_for(goal),
    )
