"""The list of indicators with filters, sorting, pagination and exports; for a chosen
period it shows the target, the executed value, the compliance and the semáforo."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluation.filters import IndicatorFilter
from evaluation.models import Indicator
from evaluation.selectors import indicator_results
from mipg.core import exports
from mipg.core.exports import Column
from mipg.core.permissions import require_perm


def measured(indicator):
    return indicator.goal or indicator.objective


def _plan_name(indicator):
    item = measured(indicator)
    return (item.plan if indicator.objective_id else item.objective.plan).name


COLUMNS = [
    Column(_("Plan"), _plan_name),
    Column(_("Código"), "code", heading=_("Código"), sort="code"),
    Column(_("Nombre"), "name", heading=_("Indicador"), sort="name"),
    Column(_("Mide"), lambda i: str(measured(i)), heading=_("Mide")),
    Column(_("Dependencia responsable"), "unit.name", heading=_("Dependencia"), sort="unit"),
    # The table shows the unit of measure before the type; the export, after the formula.
    Column(_("Unidad de medida"), "measurement_unit", heading=_("Unidad de medida"), export=False),
    Column(_("Persona responsable"), "responsible"),
    Column(_("Tipo"), lambda i: i.get_type_display(), heading=_("Tipo")),
    Column(_("Nivel"), lambda i: i.get_level_display()),
    Column(_("Fórmula"), "formula"),
    Column(_("Unidad de medida"), "measurement_unit"),
    Column(
        _("Tipo de acumulación"), lambda i: i.get_accumulation_display(), heading=_("Acumulación")
    ),
    Column(_("Sentido"), lambda i: i.get_polarity_display(), heading=_("Sentido")),
    Column(_("Línea base"), "baseline_value", exports.NUMBER),
    Column(_("Fecha de la línea base"), "baseline_date", exports.DATE),
    Column(_("Frecuencia"), lambda i: i.get_frequency_display()),
    Column(_("Fuente de datos"), "data_source"),
    Column(_("Archivado"), "archived", exports.BOOLEAN),
]


def period_columns(period, results):
    """The columns of the figures of a chosen period; ``results`` maps an indicator's id to
    its IndicatorResult (read only when the export writes its rows)."""

    def result(attr):
        return lambda indicator: getattr(results[indicator.pk], attr)

    return [
        Column(_("Periodo"), lambda _indicator: f"{period.plan.name} · {period.label}"),
        Column(
            _("Meta del periodo"),
            result("target"),
            exports.NUMBER,
            heading=pgettext_lazy("indicator target", "Meta"),
        ),
        Column(
            _("Ejecutado (aprobado)"), result("executed"), exports.NUMBER, heading=_("Ejecutado")
        ),
        Column(
            _("Cumplimiento (%)"), result("compliance"), exports.PERCENT, heading=_("Cumplimiento")
        ),
        Column(_("Semáforo"), lambda i: results[i.pk].state.label, heading=_("Semáforo")),
        Column(_("Cálculo"), result("explanation")),
    ]


def indicator_rows():
    return Indicator.objects.select_related(
        "goal__objective__plan", "objective__plan", "unit", "responsible"
    ).order_by("code", "pk")


def _filterset(request):
    require_perm(request.user, "evaluation.view_indicator")
    return IndicatorFilter(request.GET or None, queryset=indicator_rows(), request=request)


def _period(filterset):
    """The period chosen in the filters (for the figures columns), or None."""
    if not filterset.is_bound:
        return None
    filterset.form.is_valid()  # cleaned_data holds the valid fields even with errors
    return filterset.form.cleaned_data.get("period")


@login_required
def indicator_list(request):
    filterset = _filterset(request)
    period = _period(filterset)
    columns = COLUMNS + (period_columns(period, {}) if period else [])
    context = exports.list_context(request, filterset, columns, "evaluation:indicator-export")
    page = context["page"]
    page.object_list = list(page.object_list)
    if period is not None:
        results = indicator_results(page.object_list, period=period)
        for indicator in page.object_list:
            result = results[indicator.pk]
            indicator.result = result
    return render(request, "evaluation/lists/indicator_list.html", {**context, "period": period})


@login_required
def indicator_export(request, fmt):
    filterset = _filterset(request)
    rows = exports.stable_order(filterset.qs)
    period = _period(filterset)
    columns = COLUMNS
    if period is not None:
        rows = list(rows)
        columns = COLUMNS + period_columns(period, indicator_results(rows, period=period))
    return exports.export_response(
        fmt,
        exports.iterate(rows) if period is None else rows,
        columns,
        filename="indicadores",
        title=_("Indicadores"),
    )
