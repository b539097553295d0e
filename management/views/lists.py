"""Lists of progress reports and budget lines with filters, sorting, pagination and
exports of the whole filtered list."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from management.filters import BudgetAllocationFilter, ProgressReportFilter
from management.models import ProgressReport
from management.selectors.budget import allocation_rows, commitment_percent
from mipg.core import exports
from mipg.core.exports import Column, ListPage

# --- progress reports --------------------------------------------------------------------

REPORT_COLUMNS = [
    Column(_("Plan"), "period.plan.name"),
    Column(_("Código actividad"), "action.code"),
    Column(_("Actividad"), "action.name", heading=_("Actividad"), sort="action"),
    Column(_("Dependencia"), "action.unit.name", heading=_("Dependencia")),
    Column(_("Periodo"), "period.label", heading=_("Periodo"), sort="period"),
    Column(
        _("Avance físico acumulado (%)"),
        "progress",
        exports.PERCENT,
        heading=_("Avance"),
        sort="progress",
    ),
    # Reports of actions with a product quantity target: their progress comes from it.
    Column(_("Meta de cantidad"), "quantity_target", exports.NUMBER),
    Column(_("Cantidad entregada"), "quantity", exports.NUMBER),
    Column(_("Avance por cantidad"), lambda r: r.progress_text if r.quantity is not None else ""),
    Column(_("Estado"), lambda r: r.get_status_display(), heading=_("Estado"), sort="status"),
    Column(_("Descripción del avance"), "narrative"),
    Column(_("Enviado por"), "submitted_by", heading=_("Enviado por")),
    Column(
        _("Enviado el"),
        "submitted_at",
        exports.DATETIME,
        heading=_("Enviado el"),
        sort="submitted_at",
    ),
    Column(_("Revisado por"), "reviewed_by", heading=_("Revisado por")),
    Column(_("Revisado el"), "reviewed_at", exports.DATETIME),
    Column(_("Comentario de revisión"), "review_comment"),
]


def report_rows():
    return ProgressReport.objects.select_related(
        "action__unit", "period__plan", "submitted_by", "reviewed_by"
    ).order_by("period__plan_id", "period__start_date", "action__code", "pk")


REPORTS = ListPage(
    perm="management.view_progressreport",
    filterset=ProgressReportFilter,
    rows=report_rows,
    columns=REPORT_COLUMNS,
    export_url="management:report-export",
    filename="reportes-de-avance",
    title=_("Reportes de avance"),
)


@login_required
def report_list(request):
    return render(request, "management/lists/report_list.html", REPORTS.context(request))


@login_required
def report_export(request, fmt):
    return REPORTS.export(request, fmt)


# --- budget lines ------------------------------------------------------------------------

ALLOCATION_COLUMNS = [
    Column(_("Plan"), "action.goal.objective.plan.name"),
    Column(_("Código actividad"), "action.code"),
    Column(_("Actividad"), "action.name", heading=_("Actividad"), sort="action"),
    Column(_("Dependencia"), "action.unit.name", heading=_("Dependencia")),
    Column(_("Fuente"), "source.name", heading=_("Fuente")),
    Column(_("Vigencia"), "year", exports.NUMBER, heading=_("Vigencia"), sort="year"),
    Column(_("Rubro"), "rubro", heading=_("Rubro"), sort="rubro"),
    Column(_("Código BPIN"), "bpin"),
    Column(_("Apropiación inicial"), "appropriation", exports.MONEY),
    Column(_("Modificaciones"), "modifications", exports.MONEY),
    Column(
        _("Apropiación definitiva"),
        "definitive",
        exports.MONEY,
        heading=_("Apropiación definitiva"),
        sort="definitive",
    ),
    Column(_("CDP"), "cdp", exports.MONEY, heading=_("CDP")),
    Column(_("Compromiso / RP"), "commitment", exports.MONEY, heading=_("Compromiso / RP")),
    Column(_("Obligación"), "obligation", exports.MONEY, heading=_("Obligación")),
    Column(_("Pago"), "payment", exports.MONEY, heading=_("Pago")),
    Column(_("Saldo disponible"), "available", exports.MONEY),
    Column(_("Compromiso (%)"), commitment_percent, exports.PERCENT, heading=_("Compromiso (%)")),
]


ALLOCATIONS = ListPage(
    perm="management.view_budgetallocation",
    filterset=BudgetAllocationFilter,
    rows=allocation_rows,
    columns=ALLOCATION_COLUMNS,
    export_url="management:allocation-export",
    filename="presupuesto",
    title=_("Presupuesto"),
)


@login_required
def allocation_list(request):
    context = ALLOCATIONS.context(request)
    page = context["page"]
    page.object_list = list(page.object_list)
    for allocation in page.object_list:
        allocation.commitment_percent = commitment_percent(allocation)
    return render(request, "management/lists/allocation_list.html", context)


@login_required
def allocation_export(request, fmt):
    return ALLOCATIONS.export(request, fmt)
