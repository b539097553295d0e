"""Trace and history pages for any item.

- ``trace``: the chain from the item up to the MIPG dimensions (``trace_up``/``chain``) and
  everything below it, for every model ``trace_up`` supports; a fixed number of queries.
- ``history``: who changed what and when (django-simple-history), paginated, for anyone
  holding the model's view permission.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.exceptions import NotHistoricalModelError

from evaluation.models import Indicator
from management.models import BudgetAllocation, ProgressReport
from mipg.history import history_page
from mipg.permissions import require_perm
from mipg.templatetags.mipg_format import money, percent
from mipg.traceability import ROUTES, trace_down, trace_up
from mipg.web import crumbs_for
from planning.models import Action, Goal, Objective, StrategicPlan


def _label(obj):
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def trace_url(obj):
    """The trace page of ``obj``, or None when ``trace_up`` does not support its model."""
    if obj._meta.concrete_model not in ROUTES:
        return None
    return reverse("trace", args=[_label(obj), obj.pk])


def history_url(obj):
    return reverse("history", args=[_label(obj), obj.pk])


def link_for(obj):
    """The page of ``obj`` (its get_absolute_url, when that page exists), else its trace
    page, else None."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return trace_url(obj)


def _model(label):
    app_label, _dot, model_name = label.partition(".")
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        raise Http404(_("No existe ese tipo de elemento.")) from None


def _require_view(user, model):
    require_perm(
        user,
        f"{model._meta.app_label}.view_{model._meta.model_name}",
        _("No tiene permiso para consultar %(kind)s.") % {"kind": model._meta.verbose_name_plural},
    )


# --- trace ---------------------------------------------------------------------------


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


def _subtree_nodes(root):
    """Nodes under a plan or an objective (trace_down, five queries)."""
    tree = trace_down(root)

    def node(obj):
        detail = ""
        if isinstance(obj, Goal | Action) and obj.unit_id:
            detail = str(obj.unit)
        if isinstance(obj, BudgetAllocation):
            detail = money(obj.appropriation)
        return Node(
            obj, tree.is_archived(obj), detail, [node(child) for child in tree.children(obj)]
        )

    if isinstance(root, StrategicPlan):
        return [node(objective) for objective in tree.objectives]
    return [node(child) for child in tree.children(root)]


def _goal_nodes(goal):
    actions = list(goal.actions.select_related("unit").order_by("position", "code", "pk"))
    allocations = BudgetAllocation.objects.filter(action__goal=goal).select_related("source")
    reports = ProgressReport.objects.filter(action__goal=goal).select_related("period", "action")
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


def _action_nodes(action):
    allocations = action.allocations.select_related("source").order_by("year", "rubro", "pk")
    reports = action.progress_reports.select_related("period", "action").order_by(
        "period__start_date", "pk"
    )
    return [_allocation_node(a) for a in allocations] + [_report_node(r) for r in reports]


def _indicator_nodes(indicator):
    targets = indicator.targets.select_related("period", "indicator").order_by(
        "period__start_date", "pk"
    )
    measurements = indicator.measurements.select_related("period", "indicator").order_by(
        "period__start_date", "pk"
    )
    return [Node(t, detail=f"{t.period.label} · {t.value.normalize():f}") for t in targets] + [
        Node(m, detail=f"{m.period.label} · {m.value.normalize():f} · {_status(m)}")
        for m in measurements
    ]


def _allocation_executions(allocation):
    executions = allocation.executions.order_by("date", "pk")
    return [Node(e, detail=f"{e.date:%d/%m/%Y} · {money(e.amount)}") for e in executions]


BELOW = {
    StrategicPlan: _subtree_nodes,
    Objective: _subtree_nodes,
    Goal: _goal_nodes,
    Action: _action_nodes,
    Indicator: _indicator_nodes,
    BudgetAllocation: _allocation_executions,
}


@login_required
def trace(request, label, pk):
    model = _model(label)
    if model._meta.concrete_model not in ROUTES:
        raise Http404(_("Ese tipo de elemento no tiene trazabilidad."))
    _require_view(request.user, model)
    try:
        found = trace_up(model(pk=pk))
    except model.DoesNotExist:
        raise Http404(_("No existe ese elemento.")) from None
    item = found.item
    below = BELOW.get(model._meta.concrete_model)
    chain = [{"kind": kind, "obj": obj, "url": link_for(obj)} for kind, obj in found.chain()]
    return render(
        request,
        "mipg/trace.html",
        {
            "item": item,
            "kind": capfirst(model._meta.verbose_name),
            "item_url": link_for(item),
            "history_url": history_url(item),
            "chain": chain,
            "trace": found,
            "below": below(item) if below else None,
            "crumbs": crumbs_for(item, last=_("Trazabilidad")),
        },
    )


# --- history -------------------------------------------------------------------------


@login_required
def history(request, label, pk):
    model = _model(label)
    _require_view(request.user, model)
    try:
        page, entries = history_page(model, pk, request.GET.get("page"))
    except NotHistoricalModelError:
        raise Http404(_("Ese tipo de elemento no guarda historial.")) from None
    if not entries:
        raise Http404(_("No hay historial de ese elemento."))
    item = model._default_manager.filter(pk=pk).first()
    name = str(item) if item is not None else _deleted_name(model, pk, entries[0].record)
    if item is not None and model._meta.concrete_model in ROUTES:
        crumbs = crumbs_for(item, last=_("Historial"))
    else:
        kinds = str(capfirst(model._meta.verbose_name_plural))
        crumbs = [(kinds, None), (name, None), (_("Historial"), None)]
    return render(
        request,
        "mipg/history.html",
        {
            "model": model,
            "kind": capfirst(model._meta.verbose_name),
            "item": item,
            "name": name,
            "item_url": link_for(item) if item is not None else None,
            "trace_url": trace_url(item) if item is not None else None,
            "page": page,
            "entries": entries,
            "crumbs": crumbs,
        },
    )


def _deleted_name(model, pk, record):
    """The name of a deleted object from its last historical record; its __str__ may
    need related objects that were deleted with it."""
    try:
        return str(record.instance)
    except ObjectDoesNotExist:
        return f"{capfirst(model._meta.verbose_name)} #{pk}"
