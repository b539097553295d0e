"""Indicator pages: the hoja de vida with its targets and results per period, create and
edit, and all the targets of an indicator on one form."""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from evaluation import services
from evaluation.forms import IndicatorEditForm, IndicatorForm, TargetsForm, service_errors
from evaluation.models import Indicator
from evaluation.selectors import (
    YEAR_SCOPE,
    IndicatorResult,
    Point,
    effective_thresholds,
    indicator_results,
    series_result,
)
from management.selectors.physical import HUNDRED, ZERO
from mipg.core import charts
from mipg.core.models import Entity, ReviewStatus
from mipg.core.permissions import require_perm
from mipg.core.templatetags.mipg_format import number, percent, plain
from mipg.core.web import apply_service_errors, crumbs_for
from planning.models import Goal, Objective, ReportingPeriod, StrategicPlan
from planning.selectors import default_cutoff


def _indicator(pk):
    return get_object_or_404(
        Indicator.objects.select_related(
            "goal__objective__plan", "objective__plan", "unit", "responsible"
        ),
        pk=pk,
    )


def _plan_of(indicator):
    return (indicator.objective or indicator.goal.objective).plan


@dataclass(frozen=True)
class PeriodRow:
    period: ReportingPeriod
    target: Decimal | None
    measurement: object  # Measurement or None, whatever its status
    result: IndicatorResult

    @property
    def reported(self):
        return plain(self.measurement.value) if self.measurement is not None else None


def period_rows(indicator, periods, *, entity, user):
    """One row per period: its target, its measurement and the result of the period.

    The result is what ``indicator_results(..., period=p)`` gives, computed here with the
    same functions for every period at once: only the approved value counts.
    """
    targets = {t.period_id: t.value for t in indicator.targets.all()}
    measurements = {
        m.period_id: m
        for m in indicator.measurements.visible_to(user).select_related(
            "submitted_by", "reviewed_by"
        )
    }
    thresholds = effective_thresholds(indicator, entity=entity)
    rows = []
    for period in periods:
        measurement = measurements.get(period.pk)
        approved = (
            measurement.value
            if measurement is not None and measurement.status == ReviewStatus.APPROVED
            else None
        )
        result = series_result(
            indicator,
            [Point(targets.get(period.pk), approved, period.label, period.start_date.year)],
            thresholds=thresholds,
            entity=entity,
        )
        shown = replace(result, executed=plain(result.executed), target=plain(result.target))
        rows.append(PeriodRow(period, plain(targets.get(period.pk)), measurement, shown))
    return rows


def indicator_charts(indicator, rows, *, red_below, green_from):
    """Targets against approved values per period, and each period's compliance over the
    semáforo bands; none when the indicator has no target and no approved value yet."""
    if not any(r.target is not None or r.result.executed is not None for r in rows):
        return []
    labels = [r.period.label for r in rows]
    compliance = [r.result.compliance for r in rows]
    top = max([HUNDRED, *(c for c in compliance if c is not None)])
    unit = indicator.measurement_unit or _("valor")
    return [
        charts.lines(
            title=_("Meta y medición por periodo"),
            description=_("Meta de cada periodo y valor aprobado de %(indicator)s, en %(unit)s.")
            % {"indicator": indicator.code, "unit": unit},
            labels=labels,
            series=[
                (_("Meta"), [r.target for r in rows]),
                (_("Medición aprobada"), [r.result.executed for r in rows]),
            ],
            value_title=unit,
            formatter=number,
        ),
        charts.lines(
            title=_("Cumplimiento por periodo"),
            description=_(
                "Cumplimiento de cada periodo frente a las franjas del semáforo: rojo por "
                "debajo de %(red)s, amarillo hasta %(green)s, verde desde %(green)s."
            )
            % {"red": percent(red_below, 0), "green": percent(green_from, 0)},
            labels=labels,
            series=[(_("Cumplimiento"), compliance)],
            bands=[
                ("rojo", ZERO, red_below),
                ("amarillo", red_below, green_from),
                ("verde", green_from, top),
            ],
            formatter=percent,
        ),
    ]


def _last_reported_period(rows):
    """The latest period with a target or an approved value up to the default cut-off (the
    latest period that has started, never a future one): the cumulative view's end."""
    cutoff = default_cutoff(row.period for row in rows)
    for row in reversed(rows):
        if row.period.start_date > cutoff.start_date:
            continue
        if row.target is not None or row.result.executed is not None:
            return row.period
    return None


@login_required
def indicator_detail(request, pk):
    require_perm(request.user, "evaluation.view_indicator")
    indicator = _indicator(pk)
    plan = _plan_of(indicator)
    entity = Entity.current()
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("start_date", "pk"))
    rows = period_rows(indicator, periods, entity=entity, user=request.user)
    last = _last_reported_period(rows)
    cumulative = (
        indicator_results([indicator], period=last, cumulative=True)[indicator.pk] if last else None
    )
    # A multi-year plan (PEI, Plan de Desarrollo) also shows the cut's year on its own.
    year_result = (
        indicator_results([indicator], period=last, cumulative=True, scope=YEAR_SCOPE)[indicator.pk]
        if last and len({p.start_date.year for p in periods}) > 1
        else None
    )
    red_below, green_from = effective_thresholds(indicator, entity=entity)
    return render(
        request,
        "evaluation/indicators/detail.html",
        {
            "indicator": indicator,
            "plan": plan,
            "measures": indicator.goal or indicator.objective,
            "baseline": indicator.baseline_value,
            "tolerance": indicator.maintenance_tolerance,
            "tolerance_percent": entity.maintenance_tolerance_percent,
            "rows": rows,
            "cumulative": cumulative,
            "cumulative_period": last,
            "year_result": year_result,
            "red_below": red_below,
            "green_from": green_from,
            "own_thresholds": indicator.semaforo_red_below is not None
            or indicator.semaforo_green_from is not None,
            "crumbs": crumbs_for(indicator),
            "charts": indicator_charts(indicator, rows, red_below=red_below, green_from=green_from),
        },
    )


def _plan_for_create(request):
    """(plan, initial "measures" value) from ?meta=, ?objetivo= or ?plan=; (None, "")
    when none is given. 404 for an unknown id."""
    if request.GET.get("meta"):
        goal = get_object_or_404(
            Goal.objects.select_related("objective__plan"), pk=_int(request.GET["meta"])
        )
        return goal.objective.plan, IndicatorForm.measures_value(goal_id=goal.pk)
    if request.GET.get("objetivo"):
        objective = get_object_or_404(
            Objective.objects.select_related("plan"), pk=_int(request.GET["objetivo"])
        )
        return objective.plan, IndicatorForm.measures_value(objective_id=objective.pk)
    if request.GET.get("plan"):
        return get_object_or_404(StrategicPlan, pk=_int(request.GET["plan"])), ""
    return None, ""


def _int(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0  # no such row: 404


def _form_page(request, form, *, title, crumbs, cancel_url, submit_label, plan):
    return render(
        request,
        "evaluation/indicators/form.html",
        {
            "form": form,
            "title": title,
            "crumbs": crumbs,
            "cancel_url": cancel_url,
            "submit_label": submit_label,
            "plan": plan,
        },
    )


@login_required
def indicator_create(request):
    require_perm(request.user, "evaluation.add_indicator")
    plan, measures = _plan_for_create(request)
    if plan is None:
        plans = StrategicPlan.objects.exclude(status=StrategicPlan.Status.CLOSED)
        return render(request, "evaluation/indicators/choose_plan.html", {"plans": plans})
    form = IndicatorForm(request.POST or None, plan=plan, initial={"measures": measures})
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.create_indicator(
                by=request.user, reason=form.reason(), **form.service_fields()
            )
        except ValidationError as error:
            apply_service_errors(form, service_errors(error))
        else:
            messages.success(request, _("Indicador «%(i)s» creado.") % {"i": indicator})
            return redirect(indicator)
    return _form_page(
        request,
        form,
        title=_("Nuevo indicador"),
        crumbs=crumbs_for(plan, last=_("Nuevo indicador")),
        cancel_url=_plan_url(plan),
        submit_label=_("Crear indicador"),
        plan=plan,
    )


def _plan_url(plan):
    try:
        return plan.get_absolute_url()
    except NoReverseMatch:
        return reverse("evaluation:indicator-list")


@login_required
def indicator_edit(request, pk):
    require_perm(request.user, "evaluation.change_indicator")
    indicator = _indicator(pk)
    plan = _plan_of(indicator)
    form = IndicatorEditForm(
        request.POST or None,
        plan=plan,
        indicator=indicator,
        initial=IndicatorEditForm.initial_from(indicator),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_indicator(
                indicator,
                by=request.user,
                reason=form.cleaned_data["reason"],
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_service_errors(form, service_errors(error))
        else:
            messages.success(request, _("Indicador actualizado."))
            return redirect(indicator)
    title = _("Editar indicador %(code)s") % {"code": indicator.code}
    return _form_page(
        request,
        form,
        title=title,
        crumbs=crumbs_for(indicator, last=_("Editar")),
        cancel_url=indicator.get_absolute_url(),
        submit_label=_("Guardar cambios"),
        plan=plan,
    )


@login_required
def indicator_targets(request, pk):
    """Every target of the indicator on one form: all saved or none (set_targets)."""
    require_perm(request.user, "evaluation.change_indicatortarget")
    indicator = _indicator(pk)
    periods = ReportingPeriod.objects.filter(plan=_plan_of(indicator)).order_by("start_date", "pk")
    targets = {t.period_id: plain(t.value) for t in indicator.targets.all()}
    form = TargetsForm(request.POST or None, periods=periods, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_targets(
                indicator,
                by=request.user,
                values=form.values(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Metas del indicador guardadas."))
            return redirect(indicator)
    return render(
        request,
        "evaluation/indicators/targets.html",
        {
            "indicator": indicator,
            "form": form,
            "crumbs": crumbs_for(indicator, last=_("Metas por periodo")),
        },
    )
