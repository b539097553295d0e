"""Create and edit plans; close them (alta dirección). The approval page is on the
traceability floor (mipg/traceability/views/integrity.py): it needs the integrity report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mipg.core.permissions import require_perm
from mipg.core.web import crumbs_for, paginate
from planning import services
from planning.forms import PlanForm
from planning.models import StrategicPlan
from planning.selectors import versions_of
from planning.views.base import confirm_step, form_page


@login_required
def plan_create(request):
    require_perm(request.user, "planning.add_strategicplan")
    form = PlanForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda f: services.create_plan(by=request.user, **f.cleaned_data),
        template="planning/form.html",
        context={
            "title": _("Nuevo plan"),
            "cancel_url": reverse("planning:plan-list"),
            "crumbs": [(_("Planes"), reverse("planning:plan-list")), (_("Nuevo plan"), None)],
        },
        success_url=lambda plan: plan.get_absolute_url(),
        success_message=lambda plan: _("Se creó el plan «%(plan)s».") % {"plan": plan.name},
    )


@login_required
def plan_edit(request, pk):
    require_perm(request.user, "planning.change_strategicplan")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    form = PlanForm(request.POST or None, instance=plan, plan=plan)
    if request.method == "POST" and form.is_valid() and not form.changes():
        messages.info(request, _("No hubo cambios."))
        return redirect(plan)
    return form_page(
        request,
        form,
        save=lambda f: services.update_plan(
            plan, by=request.user, reason=f.reason(), **f.changes()
        ),
        template="planning/form.html",
        context={
            "title": _("Editar plan"),
            "plan": plan,
            "cancel_url": plan.get_absolute_url(),
            "crumbs": crumbs_for(plan, last=_("Editar")),
        },
        success_url=lambda saved: saved.get_absolute_url(),
        success_message=lambda saved: _("Se guardó el plan «%(plan)s».") % {"plan": saved.name},
    )


@login_required
def plan_versions(request, pk):
    """The modifications of the plan since its approval, newest first: number, date, who,
    why and what changed."""
    require_perm(request.user, "planning.view_strategicplan")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    return render(
        request,
        "planning/plan_versions.html",
        {
            "plan": plan,
            "page": paginate(request, versions_of(plan)),
            "crumbs": crumbs_for(plan, last=_("Versiones del plan")),
        },
    )


@login_required
def plan_close(request, pk):
    return _transition(
        request,
        pk,
        act=services.close_plan,
        title=_("Cerrar plan"),
        question=_(
            "¿Cerrar el plan «%(plan)s»? Un plan cerrado no admite cambios en sus "
            "objetivos, metas, actividades ni periodos."
        ),
        button=_("Cerrar plan"),
        done=_("Se cerró el plan «%(plan)s»."),
        danger=True,
    )


def _transition(request, pk, *, act, title, question, button, done, danger=False):
    require_perm(request.user, "planning.approve_strategicplan")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    names = {"plan": plan.name}
    return confirm_step(
        request,
        act=lambda: act(plan, by=request.user),
        title=title,
        question=question % names,
        button=button,
        danger=danger,
        back_url=plan.get_absolute_url(),
        crumbs=crumbs_for(plan, last=title),
        done=done % names,
    )
