"""Reporting periods of a plan: list, create one, create the four quarters of a year, and
lock/unlock them for reporting."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mipg.core.permissions import require_perm
from mipg.core.web import crumbs_for
from planning import services
from planning.forms import PeriodForm, QuarterlyPeriodsForm, UnlockPeriodForm
from planning.models import ReportingPeriod, StrategicPlan
from planning.selectors import periods_with_figure_counts
from planning.views.base import confirm_step, form_page


def _periods_url(plan_id):
    return reverse("planning:period-list", args=[plan_id])


def _crumbs(plan, title):
    """The plan's chain, the periods page, then ``title``."""
    return [*crumbs_for(plan), (_("Periodos de reporte"), _periods_url(plan.pk)), (title, None)]


@login_required
def period_list(request, pk):
    require_perm(request.user, "planning.view_reportingperiod")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    periods = periods_with_figure_counts(plan)
    return render(
        request,
        "planning/period_list.html",
        {
            "plan": plan,
            "periods": periods,
            "quarters_form": QuarterlyPeriodsForm(initial={"year": plan.start_year}, plan=plan),
            "editable": plan.status != StrategicPlan.Status.CLOSED,
            "crumbs": crumbs_for(plan, last=_("Periodos de reporte")),
        },
    )


@login_required
def period_create(request, pk):
    require_perm(request.user, "planning.add_reportingperiod")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    form = PeriodForm(request.POST or None, plan=plan)
    return form_page(
        request,
        form,
        save=lambda f: services.create_period(
            plan, by=request.user, reason=f.reason(), **f.changes()
        ),
        template="planning/form.html",
        context={
            "plan": plan,
            "title": _("Nuevo periodo de reporte"),
            "cancel_url": _periods_url(plan.pk),
            "crumbs": _crumbs(plan, _("Nuevo periodo")),
        },
        success_url=_periods_url(plan.pk),
        success_message=lambda period: (
            _("Se creó el periodo «%(label)s».") % {"label": period.label}
        ),
    )


@login_required
def period_quarters(request, pk):
    require_perm(request.user, "planning.add_reportingperiod")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    form = QuarterlyPeriodsForm(request.POST or None, initial={"year": plan.start_year}, plan=plan)
    return form_page(
        request,
        form,
        save=lambda f: services.create_quarterly_periods(
            plan, by=request.user, year=f.cleaned_data["year"], reason=f.reason()
        ),
        template="planning/form.html",
        context={
            "plan": plan,
            "title": _("Crear los cuatro trimestres de un año"),
            "help": _(
                "Se crean los periodos T1 a T4 del año, cada uno con fecha límite de reporte "
                "diez días después de su cierre. Se crean todos o ninguno."
            ),
            "cancel_url": _periods_url(plan.pk),
            "crumbs": _crumbs(plan, _("Trimestres")),
        },
        success_url=_periods_url(plan.pk),
        success_message=lambda periods: (
            ngettext("Se creó %(count)s periodo.", "Se crearon %(count)s periodos.", len(periods))
            % {"count": len(periods)}
        ),
    )


@login_required
def period_lock(request, pk):
    return _lock_page(request, pk)


@login_required
def period_unlock(request, pk):
    """The reason form; reopening needs a reason, kept in the period's history."""
    require_perm(request.user, "planning.change_reportingperiod")
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=pk)
    names = {"label": period.label}
    title = _("Abrir periodo")
    return form_page(
        request,
        UnlockPeriodForm(request.POST or None),
        save=lambda f: services.unlock_period(
            period, by=request.user, reason=f.cleaned_data["reason"]
        ),
        template="planning/form.html",
        context={
            "plan": period.plan,
            "title": title,
            "help": _("¿Volver a abrir el periodo «%(label)s» para reportes?") % names,
            "cancel_url": _periods_url(period.plan_id),
            "crumbs": _crumbs(period.plan, title),
        },
        success_url=_periods_url(period.plan_id),
        success_message=_("Se abrió el periodo «%(label)s».") % names,
    )


def _lock_page(request, pk):
    """The confirmation of closing a period; a refusal lists the figures waiting for
    review."""
    require_perm(request.user, "planning.change_reportingperiod")
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=pk)
    names = {"label": period.label}
    title = _("Cerrar periodo")
    question = _(
        "¿Cerrar el periodo «%(label)s»? No se podrán crear ni modificar reportes de "
        "avance ni mediciones de ese periodo hasta que se vuelva a abrir."
    )
    return confirm_step(
        request,
        act=lambda: services.lock_period(period, by=request.user),
        title=title,
        question=question % names,
        danger=True,
        back_url=_periods_url(period.plan_id),
        crumbs=_crumbs(period.plan, title),
        done=_("Se cerró el periodo «%(label)s».") % names,
    )
