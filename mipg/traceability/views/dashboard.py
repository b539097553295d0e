"""The managers' dashboard of a plan and its XLSX export (figures: mipg.traceability.dashboard;
charts: mipg.core.charts)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from management.selectors.budget import STAGE_LABELS
from management.selectors.physical import approved_reports_of
from mipg.core import charts
from mipg.core.exports import MONEY, NUMBER, PERCENT, Column, xlsx_workbook_response
from mipg.core.permissions import require_perm
from mipg.core.templatetags.mipg_format import money, percent
from mipg.traceability.dashboard import explain, parse_node, plan_dashboard
from mipg.traceability.forms import DashboardForm
from mipg.traceability.rollup import rollup_of, with_serving_flag
from mipg.traceability.spreadsheet.follow_up import INDICATOR_RESULT_COLUMNS
from planning.models import ReportingPeriod, StrategicPlan
from planning.selectors import default_cutoff

FILTERS = ("unit", "dimension", "policy", "institutional_plan")
# Indicator rows on the page (the semáforo counts cover them all; the export lists them all)
INDICATOR_LIMIT = 50


def _plans():
    return with_serving_flag(StrategicPlan.objects.all()).order_by("-start_year", "name", "pk")


def _chosen_plan(request, plans):
    """The plan of ?plan= when it is a valid id, else the newest plan that is not closed
    (the newest of all when every plan is closed); None without plans. `plans`: a list."""
    raw = request.GET.get("plan", "")
    chosen = next((p for p in plans if raw.isdigit() and p.pk == int(raw)), None)
    current = next((p for p in plans if p.status != StrategicPlan.Status.CLOSED), None)
    return chosen or current or next(iter(plans), None)


def _dashboard(request):
    """(form, plan, dashboard or None) for the request's filters. The plans and the
    chosen plan's periods are read once, for the form's choices and the dashboard."""
    plans = list(_plans())
    plan = _chosen_plan(request, plans)
    periods = (
        list(ReportingPeriod.objects.filter(plan=plan).order_by("start_date", "pk")) if plan else []
    )
    form = DashboardForm(request.GET or None, plans=plans, periods=periods)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {name: form.cleaned_data[name] for name in FILTERS if form.cleaned_data[name]}
        period = form.cleaned_data["period"]
        only_reds = form.cleaned_data["only_reds"]
    else:
        period, only_reds = None, False
    if plan is None:
        return form, None, None
    dashboard = plan_dashboard(
        plan,
        period=period,
        periods=periods,
        only_reds=only_reds,
        unit_names={unit.pk: unit.name for unit in form.fields["unit"].rows},
        actions=False,
        explain=False,  # neither the page nor its export shows an indicator's formula text
        **filters,
    )
    return form, plan, dashboard


def _explain_url(plan, dashboard, node=""):
    query = {"period": dashboard.period.pk} if dashboard.period else {}
    if node:
        query["node"] = node
    url = reverse("planning:plan-explain", args=[plan.pk])
    return f"{url}?{urlencode(query)}" if query else url


def dashboard_charts(dashboard):
    """The charts of the dashboard, each with its text alternative and data table."""
    result = []
    planned, executed = _("Programado"), _("Ejecutado")
    if dashboard.objectives:
        result.append(
            charts.grouped_bars(
                title=_("Avance físico por objetivo"),
                description=_(
                    "Avance físico programado y ejecutado de cada objetivo al corte, en porcentaje."
                ),
                # Codes on the axis; the table under the chart gives the names.
                categories=[g.label.split(" ", 1)[0] for g in dashboard.objectives],
                names=[g.label for g in dashboard.objectives],
                series=[
                    (planned, [g.planned for g in dashboard.objectives]),
                    (executed, [g.executed for g in dashboard.objectives]),
                ],
                formatter=percent,
            )
        )
    if dashboard.units:
        result.append(
            charts.grouped_bars(
                title=_("Avance físico por dependencia"),
                description=_(
                    "Avance físico programado y ejecutado de cada dependencia, de mayor a "
                    "menor cumplimiento."
                ),
                categories=[g.label for g in dashboard.units],
                series=[
                    (planned, [g.planned for g in dashboard.units]),
                    (executed, [g.executed for g in dashboard.units]),
                ],
                formatter=percent,
            )
        )
    if dashboard.funnel:
        stages = [_("Apropiación definitiva")] + [
            str(STAGE_LABELS[s]) for s in ("cdp", "commitment", "obligation", "payment")
        ]
        result.append(
            charts.grouped_bars(
                title=_("Embudo presupuestal por fuente de financiación"),
                description=_(
                    "Apropiación definitiva, CDP, compromisos, obligaciones y pagos de cada "
                    "fuente de financiación, en pesos."
                ),
                categories=stages,
                series=[(name, _funnel_values(totals)) for name, totals in dashboard.funnel],
                value_title="$",
                formatter=money,
                stacked=True,
            )
        )
    if dashboard.trend:
        result.append(
            charts.lines(
                title=_("Avance físico por periodo"),
                description=_(
                    "Avance físico programado y ejecutado acumulado al final de cada periodo "
                    "hasta el corte."
                ),
                labels=[p.label for p, _planned, _executed in dashboard.trend],
                series=[
                    (planned, [v for _p, v, _e in dashboard.trend]),
                    (executed, [v for _p, _v, v in dashboard.trend]),
                ],
                formatter=percent,
            )
        )
    return result


def _funnel_values(totals):
    return [totals.definitive, totals.cdp, totals.commitment, totals.obligation, totals.payment]


@login_required
def dashboard(request):
    """The plan dashboard with its filters, charts and tables."""
    require_perm(request.user, "planning.view_strategicplan")
    form, plan, data = _dashboard(request)
    context = {"form": form, "plan": plan, "dashboard": data}
    if data is not None:
        query = request.GET.copy()
        context.update(
            charts=dashboard_charts(data),
            explain_url=_explain_url(plan, data),
            objective_explain={
                g.key: _explain_url(plan, data, f"objective-{g.key}") for g in data.objectives
            },
            export_url=f"{reverse('dashboard-export')}?{query.urlencode()}",
            indicators_shown=data.indicators[:INDICATOR_LIMIT],
        )
    return render(request, "traceability/dashboard.html", context)


def _group_columns(first):
    return [
        Column(first, "label"),
        Column(_("Actividades"), "actions", NUMBER),
        Column(_("Avance programado (%)"), "planned", PERCENT),
        Column(_("Avance ejecutado (%)"), "executed", PERCENT),
        Column(_("Cumplimiento físico (%)"), "compliance", PERCENT),
        Column(_("Apropiación definitiva"), "finance.definitive", MONEY),
        Column(_("Compromisos"), "finance.commitment", MONEY),
        Column(_("Pagos"), "finance.payment", MONEY),
        Column(_("Compromisos / apropiación definitiva (%)"), "finance.commitment_pct", PERCENT),
    ]


@login_required
def dashboard_export(request):
    """The dashboard's tables as one XLSX workbook, a sheet per table, same filters."""
    require_perm(request.user, "planning.view_strategicplan")
    _form, plan, data = _dashboard(request)
    if data is None:
        return dashboard(request)
    funnel_columns = [
        Column(_("Fuente de financiación"), lambda row: row[0]),
        Column(_("Apropiación definitiva"), lambda row: row[1].definitive, MONEY),
        *(
            Column(str(STAGE_LABELS[stage]), lambda row, s=stage: getattr(row[1], s), MONEY)
            for stage in ("cdp", "commitment", "obligation", "payment")
        ),
    ]
    trend_columns = [
        Column(_("Periodo"), lambda row: row[0].label),
        Column(_("Avance programado (%)"), lambda row: row[1], PERCENT),
        Column(_("Avance ejecutado (%)"), lambda row: row[2], PERCENT),
    ]
    sheets = [
        (_("Plan"), [data.total], _group_columns(_("Plan"))),
        (_("Objetivos"), data.objectives, _group_columns(_("Objetivo"))),
        (_("Dependencias"), data.units, _group_columns(_("Dependencia"))),
        (_("Dimensiones"), data.dimensions, _group_columns(_("Dimensión MIPG"))),
        (_("Políticas"), data.policies, _group_columns(_("Política MIPG"))),
        (_("Planes Decreto 612"), data.institutional_plans, _group_columns(_("Plan"))),
        (_("Indicadores"), data.indicators, INDICATOR_RESULT_COLUMNS),
        (_("Presupuesto por fuente"), data.funnel, funnel_columns),
        (_("Tendencia"), data.trend, trend_columns),
    ]
    return xlsx_workbook_response(sheets, filename=f"tablero-{plan.pk}")


@login_required
def plan_explain(request, pk):
    """«Explain this %»: the weighted contributions behind a node's figure, from the plan
    down to an action and its approved reports (?node=objective-12, ?period=)."""
    require_perm(request.user, "planning.view_strategicplan")
    plan = get_object_or_404(with_serving_flag(StrategicPlan.objects.all()), pk=pk)
    periods = list(plan.periods.order_by("start_date", "pk"))
    period = None
    raw_period = request.GET.get("period", "")
    if raw_period:
        period = next((p for p in periods if str(p.pk) == raw_period), None)
        if period is None:
            raise Http404(_("El periodo no es de este plan."))
    parsed = parse_node(request.GET.get("node", ""))
    if parsed is None:
        raise Http404(_("Nodo desconocido."))
    # the roll-up the dashboard shows (a plan served by others from what serves it); the
    # page shows no indicator, so their results come without their formula text
    rollup = rollup_of(plan, period=period or default_cutoff(periods), explain=False)
    explanation = explain(rollup, *parsed)
    if explanation is None:
        raise Http404(_("Nodo desconocido."))
    reports = []
    if explanation.kind == "action":
        reports = approved_reports_of(explanation.node.id, as_of=rollup.period).select_related(
            "period", "reviewed_by"
        )
    query = {"period": rollup.period.pk} if rollup.period else {}
    base = reverse("planning:plan-explain", args=[plan.pk])

    def link(key):
        return f"{base}?{urlencode({**query, 'node': key})}"

    def child_link(child):
        if child.plan is None:
            return link(child.key)
        url = reverse("planning:plan-explain", args=[child.plan.pk])
        at = {"period": child.period.pk} if child.period else {}
        return f"{url}?{urlencode({**at, 'node': child.node_key})}"

    return render(
        request,
        "traceability/explain.html",
        {
            "plan": plan,
            "rollup": rollup,
            "explanation": explanation,
            "reports": reports,
            "links": {c.key: child_link(c) for c in explanation.children},
            "parent_links": [
                (kind, node, link(f"{kind}-{node.id}" if kind != "plan" else "plan"))
                for kind, node in explanation.parents
            ],
            "crumbs": [
                (_("Tablero"), f"{reverse('dashboard')}?{urlencode({'plan': plan.pk})}"),
                (str(plan), plan.get_absolute_url()),
                (_("Explicación del avance"), None),
            ],
        },
    )
