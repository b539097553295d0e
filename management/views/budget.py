"""Budget of an action: allocations (apropiación inicial by source and year), their
modifications (adiciones, reducciones, créditos, contracréditos → apropiación definitiva),
their execution entries by stage (CDP → compromiso/RP → obligación → pago) and running
totals.

Every write goes through management.services, which enforces the cumulative invariant
pago ≤ obligación ≤ compromiso ≤ CDP ≤ apropiación definitiva; its errors appear beside the
fields.
"""

import copy

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from management import services
from management.forms import AllocationForm, ExecutionForm, ModificationForm
from management.models import BudgetAllocation, BudgetExecution, BudgetModification
from management.selectors.budget import STAGE_LABELS, action_allocations_with_entries
from mipg.core.permissions import require_perm
from mipg.core.templatetags.mipg_format import money
from mipg.core.web import crumbs_for
from planning.models import Action
from planning.views.base import confirm_page, form_page

FORM_TEMPLATE = "management/budget/form.html"
CONFIRM_TEMPLATE = "management/budget/confirm_delete.html"


def _action(pk):
    return get_object_or_404(Action.objects.select_related("goal__objective__plan", "unit"), pk=pk)


def _allocation(pk):
    return get_object_or_404(
        BudgetAllocation.objects.select_related("action__goal__objective__plan", "source"), pk=pk
    )


def _budget_url(action_id, allocation_id=None):
    url = reverse("management:action-budget", args=[action_id])
    return f"{url}#asignacion-{allocation_id}" if allocation_id else url


@login_required
def action_budget_page(request, pk):
    require_perm(request.user, "management.view_budgetallocation")
    action = _action(pk)
    allocations, totals = action_allocations_with_entries(action)
    return render(
        request,
        "management/budget/action_budget.html",
        {
            "action": action,
            "allocations": allocations,
            "totals": totals,
            "stage_labels": STAGE_LABELS,
            "crumbs": crumbs_for(action, last=_("Presupuesto")),
        },
    )


def _context(*, title, action, **more):
    """A budget write page's context: under the action's budget, titled ``title``."""
    return {"title": title, "action": action, "crumbs": crumbs_for(action, last=title), **more}


def _form(request, form, *, save, done, success_url, **context):
    return form_page(
        request,
        form,
        save=save,
        template=FORM_TEMPLATE,
        context=_context(**context),
        success_url=success_url,
        success_message=done,
    )


def _confirm(request, *, act, done, success_url, obj, **context):
    return confirm_page(
        request,
        act=act,
        template=CONFIRM_TEMPLATE,
        context=_context(object=obj, **context),
        success_url=success_url,
        success_message=done,
    )


@login_required
def allocation_create(request, action_pk):
    require_perm(request.user, "management.add_budgetallocation")
    action = _action(action_pk)
    plan = action.goal.objective.plan
    form = AllocationForm(request.POST or None, initial={"year": plan.start_year})
    return _form(
        request,
        form,
        save=lambda f: services.create_allocation(action, by=request.user, **f.cleaned_data),
        title=_("Nueva asignación presupuestal"),
        action=action,
        cancel_url=_budget_url(action.pk),
        submit_label=_("Crear asignación"),
        done=lambda allocation: _("Asignación «%(a)s» creada.") % {"a": allocation},
        success_url=lambda allocation: _budget_url(action.pk, allocation.pk),
    )


@login_required
def allocation_edit(request, pk):
    require_perm(request.user, "management.change_budgetallocation")
    allocation = _allocation(pk)
    form = AllocationForm(
        request.POST or None,
        initial=AllocationForm.initial_from(allocation),
        current_source=allocation.source,
    )
    budget_url = _budget_url(allocation.action_id, allocation.pk)
    return _form(
        request,
        form,
        # The service changes the instance it gets; keep ours for the page on errors.
        save=lambda f: services.update_allocation(
            copy.copy(allocation), by=request.user, **f.cleaned_data
        ),
        title=_("Editar asignación %(a)s") % {"a": allocation},
        action=allocation.action,
        cancel_url=budget_url,
        submit_label=_("Guardar cambios"),
        done=_("Asignación actualizada."),
        success_url=budget_url,
    )


@login_required
def allocation_delete(request, pk):
    require_perm(request.user, "management.delete_budgetallocation")
    allocation = _allocation(pk)
    return _confirm(
        request,
        act=lambda: services.delete_allocation(copy.copy(allocation), by=request.user),
        title=_("Eliminar asignación"),
        question=_("¿Eliminar la asignación «%(a)s»? Esta acción no se puede deshacer.")
        % {"a": allocation},
        obj=allocation,
        action=allocation.action,
        cancel_url=_budget_url(allocation.action_id, allocation.pk),
        done=_("Asignación «%(a)s» eliminada.") % {"a": allocation},
        success_url=_budget_url(allocation.action_id),
    )


@login_required
def execution_create(request, pk):
    require_perm(request.user, "management.add_budgetexecution")
    allocation = _allocation(pk)
    return _entry_form(
        request,
        allocation,
        ExecutionForm(request.POST or None),
        record=services.record_execution,
        title=_("Registrar ejecución en %(a)s") % {"a": allocation},
        done=lambda entry: (
            _("Registro «%(e)s» guardado en la asignación «%(a)s».") % {"e": entry, "a": allocation}
        ),
    )


@login_required
def execution_delete(request, pk):
    require_perm(request.user, "management.delete_budgetexecution")
    entry = _entry(BudgetExecution, pk)
    return _entry_confirm(
        request,
        entry,
        delete=services.delete_execution,
        title=_("Eliminar registro de ejecución"),
        question=_(
            "¿Eliminar el registro «%(e)s» por %(amount)s de la asignación «%(a)s»? Esta "
            "acción no se puede deshacer."
        )
        % {"e": entry, "amount": money(entry.amount), "a": entry.allocation},
        done=_("Registro «%(e)s» eliminado.") % {"e": entry},
    )


@login_required
def modification_create(request, pk):
    require_perm(request.user, "management.add_budgetmodification")
    allocation = _allocation(pk)
    return _entry_form(
        request,
        allocation,
        ModificationForm(request.POST or None),
        record=services.record_modification,
        title=_("Registrar modificación presupuestal en %(a)s") % {"a": allocation},
        done=lambda modification: (
            _("Modificación «%(m)s» registrada en la asignación «%(a)s».")
            % {"m": modification, "a": allocation}
        ),
    )


@login_required
def modification_delete(request, pk):
    require_perm(request.user, "management.delete_budgetmodification")
    modification = _entry(BudgetModification, pk)
    return _entry_confirm(
        request,
        modification,
        delete=services.delete_modification,
        title=_("Eliminar modificación presupuestal"),
        question=_(
            "¿Eliminar la modificación «%(m)s» por %(amount)s de la asignación «%(a)s»? Esta "
            "acción no se puede deshacer."
        )
        % {
            "m": modification,
            "amount": money(modification.amount),
            "a": modification.allocation,
        },
        done=_("Modificación «%(m)s» eliminada.") % {"m": modification},
    )


def _entry(model, pk):
    """A budget execution entry or modification with its allocation's trace loaded."""
    return get_object_or_404(
        model.objects.select_related("allocation__action__goal__objective__plan"), pk=pk
    )


def _entry_form(request, allocation, form, *, record, title, done):
    """The page recording a budget execution entry or modification in ``allocation``."""
    budget_url = _budget_url(allocation.action_id, allocation.pk)
    return _form(
        request,
        form,
        save=lambda f: record(copy.copy(allocation), by=request.user, **f.cleaned_data),
        title=title,
        action=allocation.action,
        cancel_url=budget_url,
        submit_label=_("Registrar"),
        done=done,
        success_url=budget_url,
    )


def _entry_confirm(request, entry, *, delete, title, question, done):
    """The page confirming the deletion of a budget execution entry or modification."""
    allocation = entry.allocation
    budget_url = _budget_url(allocation.action_id, allocation.pk)
    return _confirm(
        request,
        act=lambda: delete(copy.copy(entry), by=request.user),
        title=title,
        question=question,
        obj=entry,
        action=allocation.action,
        cancel_url=budget_url,
        done=done,
        success_url=budget_url,
    )
