"""Lists of progress reports and budget lines with filters, sorting, pagination and
exports of the whole filtered list."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from management.filters import BudgetAllocationFilter, ProgressReportFilter
from management.models import ProgressReport
from management.selectors.budget import allocation_rows, commitment_percent
from mipg.core import exports
from mipg.core.exports import Column
from mipg.core.permissions import require_perm


@dataclass(frozen=True)
class ListPage:
    """A filtered list page and the export of its whole filtered list: ``filterset`` over
    ``rows()``, readable with ``perm``; ``headers`` of the table, ``columns`` of the export."""

    perm: str
    filterset: type
    rows: Callable
    headers: list
    columns: list
    export_url: str
    filename: str
    title: str

    def filtered(self, request):
        require_perm(request.user, self.perm)
        return self.filterset(request.GET or None, queryset=self.rows(), request=request)

    def context(self, request):
        return exports.list_context(request, self.filtered(request), self.headers, self.export_url)

    def export(self, request, fmt):
        return exports.export_filtered(
            fmt, self.filtered(request), self.columns, filename=self.filename, title=self.title
        )


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


REPORTS = ListPage(
    perm="management.view_progressreport",
    filterset=ProgressReportFilter,
    rows=report_rows,
    headers=REPORT_HEADERS,
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


ALLOCATIONS = ListPage(
    perm="management.view_budgetallocation",
    filterset=BudgetAllocationFilter,
    rows=allocation_rows,
    headers=ALLOCATION_HEADERS,
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
