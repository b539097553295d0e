"""The programación of an action: its planned cumulative progress per reporting period."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from mipg.core.permissions import require_perm
from mipg.core.web import crumbs_for
from planning import services
from planning.forms import ScheduleForm, asks_reason
from planning.models import Action
from planning.selectors import action_schedule, periods_of
from planning.views.base import form_page


@login_required
def action_schedule_edit(request, pk):
    """GET: the planned % per period (the programación, or the default spread by dates);
    POST: set it through ``set_action_schedule``, or with ``restablecer`` go back to the
    default spread."""
    require_perm(request.user, "planning.change_action")
    action = get_object_or_404(Action.objects.select_related("goal__objective__plan"), pk=pk)
    plan = action.goal.objective.plan
    back_url = action.get_absolute_url()
    if request.method == "POST" and "restablecer" in request.POST:
        try:
            services.clear_action_schedule(
                action, by=request.user, reason=request.POST.get("reason", "")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("La programación vuelve a calcularse según las fechas."))
        return redirect(back_url)
    form = ScheduleForm(
        request.POST or None, planned_values=action_schedule(action, periods_of(plan)), plan=plan
    )
    return form_page(
        request,
        form,
        save=lambda f: services.set_action_schedule(
            action, by=request.user, planned=f.planned(), reason=f.reason()
        ),
        template="planning/schedule_form.html",
        context={
            "title": _("Programación de «%(item)s»") % {"item": action.code},
            "action": action,
            "item": action,
            "cancel_url": back_url,
            "crumbs": crumbs_for(action, last=_("Programación")),
            "ask_reason": asks_reason(plan),
        },
        success_url=back_url,
        success_message=_("Se guardó la programación de «%(item)s».") % {"item": action.code},
    )
