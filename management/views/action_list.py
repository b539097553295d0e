"""The list of actions (actividades) with filters, sorting, pagination and exports."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from management.selectors.physical import (
    percent,
    physical_compliance,
    physical_quantity_text,
    planned_at_latest_period,
    with_physical_progress,
    with_physical_quantity,
    with_planned_at_latest_period,
)
from mipg.core import exports
from mipg.core.exports import Column, ListPage
from mipg.core.models import Policy
from planning.filters import ActionFilter
from planning.models import Action, ActionQuerySet


def _names(items):
    return "; ".join(str(item) for item in items)


COLUMNS = [
    Column(_("Plan"), "goal.objective.plan.name"),
    Column(_("Código objetivo"), "goal.objective.code"),
    Column(_("Objetivo"), "goal.objective.name"),
    Column(_("Código meta"), "goal.code"),
    Column(_("Meta"), "goal.name"),
    Column(_("Código"), "code", heading=_("Código"), sort="code"),
    Column(_("Actividad"), "name", heading=_("Actividad"), sort="name"),
    # The table shows the goal and the objective after the action; the export, before it.
    Column(_("Meta"), "goal", heading=_("Meta"), export=False),
    Column(_("Objetivo"), "goal.objective", heading=_("Objetivo"), export=False),
    Column(_("Entregable"), "deliverable"),
    Column(_("Dependencia"), "unit.name", heading=_("Dependencia"), sort="unit"),
    Column(_("Persona responsable"), "responsible"),
    Column(
        _("Fecha de inicio"),
        "start_date",
        exports.DATE,
        heading=pgettext_lazy("start date", "Inicio"),
        sort="start_date",
    ),
    Column(_("Fecha de fin"), "end_date", exports.DATE, heading=_("Fin"), sort="end_date"),
    Column(
        _("Ponderación (%)"), "weight", exports.PERCENT, heading=_("Ponderación"), sort="weight"
    ),
    # Planned and executed side by side at the latest period of the action's plan.
    Column(
        _("Avance programado (%)"),
        planned_at_latest_period,
        exports.PERCENT,
        heading=_("Avance programado"),
    ),
    Column(
        _("Avance físico (%)"), "physical_progress", exports.PERCENT, heading=_("Avance físico")
    ),
    Column(
        _("Cumplimiento físico (%)"),
        lambda a: percent(physical_compliance(a.physical_progress, planned_at_latest_period(a))),
        exports.PERCENT,
    ),
    # Actions with a product quantity target: the physical progress comes from the quantity.
    Column(_("Meta de cantidad"), "quantity_target", exports.NUMBER),
    Column(_("Cantidad entregada"), "physical_quantity", exports.NUMBER),
    Column(_("Avance por cantidad"), physical_quantity_text),
    Column(
        _("Planes del Decreto 612"),
        lambda a: _names(a.institutional_plans.all()),
        heading=_("Planes Decreto 612"),
    ),
    Column(
        _("Políticas MIPG"),
        lambda a: _names(a.goal.objective.policies.all()),
        heading=_("Políticas MIPG"),
    ),
    Column(_("Archivada"), "archived", exports.BOOLEAN),
]


def action_rows():
    """Actions with everything a row shows: path up to the plan, unit, responsible person,
    approved physical progress (and the quantity it comes from) and the planned one at the
    plan's latest period, Decreto 612 tags and the objective's MIPG policies."""
    return with_planned_at_latest_period(
        with_physical_quantity(
            with_physical_progress(
                Action.objects.select_related("goal__objective__plan", "unit", "responsible")
                .prefetch_related(
                    "institutional_plans",
                    Prefetch("goal__objective__policies", queryset=Policy.objects.order_by("code")),
                )
                .order_by(
                    "goal__objective__plan__start_year",
                    "goal__objective__plan_id",
                    *ActionQuerySet.tree_order(),
                    "pk",
                )
            )
        )
    )


ACTIONS = ListPage(
    perm="planning.view_action",
    filterset=ActionFilter,
    rows=action_rows,
    columns=COLUMNS,
    export_url="planning:action-export",
    filename="actividades",
    title=_("Actividades"),
)


@login_required
def action_list(request):
    context = ACTIONS.context(request)
    page = context["page"]
    page.object_list = list(page.object_list)
    for action in page.object_list:
        action.planned = planned_at_latest_period(action)
        action.quantity_text = physical_quantity_text(action)
    return render(request, "management/lists/action_list.html", context)


@login_required
def action_export(request, fmt):
    return ACTIONS.export(request, fmt)
