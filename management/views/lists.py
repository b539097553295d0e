"""Lists of progress reports and budget lines with filters, sorting, pagination and
exports of the whole filtered list."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from management.filters import BudgetAllocationFilter, ProgressReportFilter
from management.models import ProgressReport
from management.selectors.budget import allocation_rows, commitment_percent
from mipg.core import exports
from mipg.core.exports import Column
from mipg.core.permissions import require_perm

# --- progress reports --------------------------------------------------------------------

REPORT_HEADERS = [
    (_("Actividad"), "action"),
    (_("Dependencia"), None),
    (_("Periodo"), "period"),
    (_("Avance"), "progress"),
    (_("Estado"), "status"),
    (_("Enviado por"), None),
    (_("Enviado el"), "submitted_at"),
    (_("Revisado por"), None),
]

REPORT_COLUMNS = [
    Column(_("Plan"), "period.plan.name"),
    Column(_("Código actividad"), "action.code"),
    Column(_("Actividad"), "action.name"),
    Column(_("Dependencia"), "action.unit.name"),
    Column(_("Periodo"), "period.label"),
    Column(_("Avance físico acumulado (%)"), "progress", exports.PERCENT),
    Column(_("Estado"), lambda r: r.get_status_display()),
    Column(_("Descripción del avance"), "narrative"),
    Column(_("Enviado por"), "submitted_by"),
    Column(_("Enviado el"), "submitted_at", exports.DATETIME),
    Column(_("Revisado por"), "reviewed_by"),
    Column(_("Revisado el"), "reviewed_at", exports.DATETIME),
    Column(_("Comentario de revisión"), "review_comment"),
]


def report_rows():
    return ProgressReport.objects.select_related(
        "action__unit", "period__plan", "submitted_by", "reviewed_by"
    ).order_by("period__plan_id", "period__start_date", "action__code", "pk")


def _report_filterset(request):
    require_perm(request.user, "management.view_progressreport")
    return ProgressReportFilter(request.GET or None, queryset=report_rows(), request=request)


@login_required
def report_list(request):
    filterset = _report_filterset(request)
    context = exports.list_context(request, filterset, REPORT_HEADERS, "management:report-export")
    return render(request, "management/lists/report_list.html", context)


@login_required
def report_export(request, fmt):
    return exports.export_filtered(
        fmt,
        _report_filterset(request),
        REPORT_COLUMNS,
        filename="reportes-de-avance",
        title=_("Reportes de avance"),
    )


# --- budget lines ------------------------------------------------------------------------

ALLOCATION_HEADERS = [
    (_("Actividad"), "action"),
    (_("Dependencia"), None),
    (_("Fuente"), None),
    (_("Vigencia"), "year"),
    (_("Rubro"), "rubro"),
    (_("Apropiación"), "appropriation"),
    (_("CDP"), None),
    (_("Compromiso / RP"), None),
    (_("Obligación"), None),
    (_("Pago"), None),
    (_("Compromiso (%)"), None),
]

ALLOCATION_COLUMNS = [
    Column(_("Plan"), "action.goal.objective.plan.name"),
    Column(_("Código actividad"), "action.code"),
    Column(_("Actividad"), "action.name"),
    Column(_("Dependencia"), "action.unit.name"),
    Column(_("Fuente"), "source.name"),
    Column(_("Vigencia"), "year", exports.NUMBER),
    Column(_("Rubro"), "rubro"),
    Column(_("Código BPIN"), "bpin"),
    Column(_("Apropiación"), "appropriation", exports.MONEY),
    Column(_("CDP"), "cdp", exports.MONEY),
    Column(_("Compromiso / RP"), "commitment", exports.MONEY),
    Column(_("Obligación"), "obligation", exports.MONEY),
    Column(_("Pago"), "payment", exports.MONEY),
    Column(_("Saldo disponible"), "available", exports.MONEY),
    Column(_("Compromiso (%)"), commitment_percent, exports.PERCENT),
]


def _allocation_filterset(request):
    require_perm(request.user, "management.view_budgetallocation")
    return BudgetAllocationFilter(request.GET or None, queryset=allocation_rows(), request=request)


@login_required
def allocation_list(request):
    filterset = _allocation_filterset(request)
    context = exports.list_context(
        request, filterset, ALLOCATION_HEADERS, "management:allocation-export"
    )
    page = context["page"]
    page.object_list = list(page.object_list)
    for allocation in page.object_list:
        allocation.commitment_percent = commitment_percent(allocation)
    return render(request, "management/lists/allocation_list.html", context)


@login_required
def allocation_export(request, fmt):
    return exports.export_filtered(
        fmt,
        _allocation_filterset(request),
        ALLOCATION_COLUMNS,
        filename="presupuesto",
        title=_("Presupuesto"),
    )
