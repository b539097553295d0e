"""Objectives, goals and actions of the workspace tree: create, edit, move up/down,
archive, unarchive and delete. One set of views serves the three levels; the URLconf
passes ``kind`` ("objective", "goal" or "action")."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mipg.core.permissions import require_perm
from mipg.core.web import crumbs_for
from planning import forms, services
from planning.models import Action, Goal, Objective, StrategicPlan
from planning.selectors import branch_page_of, counts_below
from planning.views.base import confirm_page, confirm_step, form_page

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Kind:
    model: type
    parent_model: type
    parent_field: str
    plan_path: str  # from the item to its plan
    anchor: str
    form: type
    new_title: str
    create: object
    update: object
    delete: object
    archive: object
    unarchive: object

    @property
    def name(self):
        return self.model._meta.model_name

    def plan_of(self, item):
        for attr in self.plan_path.split("__"):
            item = getattr(item, attr)
        return item

    def get(self, pk):
        return get_object_or_404(self.model.objects.select_related(self.plan_path), pk=pk)

    def tree_url(self, item, *, period="", archived=False):
        """The workspace scrolled to ``item``, as of ``period`` (an id), with archived
        items shown when ``archived`` or when ``item`` itself is archived: the plan tree
        for an objective, else the page of its parent's branch that shows it."""
        archived = archived or item.archived
        query = []
        if self.parent_model is StrategicPlan:
            url = reverse("planning:plan-detail", args=[item.plan_id])
        else:
            parent = self.parent_model._meta.model_name
            url = reverse(f"planning:{parent}-branch", args=[getattr(item, f"{parent}_id")])
            page = branch_page_of(item, self.parent_field, archived=archived)
            if page > 1:
                query.append(f"page={page}")
        if str(period).isdigit():
            query.append(f"periodo={period}")
        if archived:
            query.append("archivados=1")
        return url + (f"?{'&'.join(query)}" if query else "") + f"#{self.anchor}-{item.pk}"


KINDS = {
    "objective": Kind(
        Objective,
        StrategicPlan,
        "plan",
        "plan",
        "objetivo",
        forms.ObjectiveForm,
        gettext_lazy("Nuevo objetivo"),
        services.create_objective,
        services.update_objective,
        services.delete_objective,
        services.archive_objective,
        services.unarchive_objective,
    ),
    "goal": Kind(
        Goal,
        Objective,
        "objective",
        "objective__plan",
        "meta",
        forms.GoalForm,
        gettext_lazy("Nueva meta"),
        services.create_goal,
        services.update_goal,
        services.delete_goal,
        services.archive_goal,
        services.unarchive_goal,
    ),
    "action": Kind(
        Action,
        Goal,
        "goal",
        "goal__objective__plan",
        "actividad",
        forms.ActionForm,
        gettext_lazy("Nueva actividad"),
        services.create_action,
        services.update_action,
        services.delete_action,
        services.archive_action,
        services.unarchive_action,
    ),
}


def _perm(kind, action):
    return f"planning.{action}_{kind.name}"


def _initial(kind, parent):
    """Suggested values for a new item: the weight its siblings leave free, and for an
    action the goal's unit and the plan's whole years."""
    used = (
        kind.model.objects.filter(**{kind.parent_field: parent, "archived": False}).aggregate(
            total=Sum("weight")
        )["total"]
        or 0
    )
    initial = {"weight": max(HUNDRED - used, Decimal(0))}
    if kind.model is Action:
        plan = parent.objective.plan
        initial["unit"] = parent.unit_id
        initial["start_date"] = datetime.date(plan.start_year, 1, 1)
        initial["end_date"] = datetime.date(plan.end_year, 12, 31)
    return initial


@login_required
def item_create(request, parent_pk, *, kind):
    kind = KINDS[kind]
    require_perm(request.user, _perm(kind, "add"))
    parent_path = {Objective: "plan", Goal: "objective__plan"}.get(kind.parent_model)
    parents = kind.parent_model.objects.all()
    if parent_path:
        parents = parents.select_related(parent_path)
    parent = get_object_or_404(parents, pk=parent_pk)
    plan = _plan_of_parent(parent)
    form = kind.form(request.POST or None, initial=_initial(kind, parent), parent=parent, plan=plan)
    return form_page(
        request,
        form,
        save=lambda f: kind.create(parent, by=request.user, reason=f.reason(), **f.changes()),
        template="planning/form.html",
        context={
            "title": kind.new_title,
            "kind": kind.name,
            "parent": parent,
            "cancel_url": _parent_url(parent),
            "crumbs": crumbs_for(parent, last=kind.new_title),
        },
        success_url=lambda item: kind.tree_url(item),
        success_message=lambda item: _("Se creó «%(item)s».") % {"item": item},
    )


@login_required
def item_edit(request, pk, *, kind):
    kind = KINDS[kind]
    require_perm(request.user, _perm(kind, "change"))
    item = kind.get(pk)
    form = kind.form(request.POST or None, instance=item, plan=kind.plan_of(item))
    if request.method == "POST" and form.is_valid() and not form.changes():
        messages.info(request, _("No hubo cambios."))
        return redirect(kind.tree_url(item))
    return form_page(
        request,
        form,
        save=lambda f: kind.update(item, by=request.user, reason=f.reason(), **f.changes()),
        template="planning/form.html",
        context={
            "title": _("Editar %(kind)s «%(item)s»")
            % {"kind": kind.model._meta.verbose_name, "item": item.code},
            "kind": kind.name,
            "item": item,
            "cancel_url": kind.tree_url(item),
            "crumbs": crumbs_for(item, last=_("Editar")),
        },
        success_url=lambda saved: kind.tree_url(saved),
        success_message=lambda saved: _("Se guardó «%(item)s».") % {"item": saved},
    )


@login_required
def item_delete(request, pk, *, kind):
    kind = KINDS[kind]
    require_perm(request.user, _perm(kind, "delete"))
    item = kind.get(pk)
    plan = kind.plan_of(item)
    return confirm_page(
        request,
        act=lambda: kind.delete(item, by=request.user, reason=request.POST.get("reason", "")),
        template="planning/item_delete.html",
        context={
            "title": _("Eliminar %(kind)s") % {"kind": kind.model._meta.verbose_name},
            "item": item,
            "kind": kind.name,
            "below": counts_below(item),
            "cancel_url": kind.tree_url(item),
            "archive_url": reverse(f"planning:{kind.name}-archive", args=[item.pk]),
            "crumbs": crumbs_for(item, last=_("Eliminar")),
            "ask_reason": forms.asks_reason(plan),
        },
        success_url=plan.get_absolute_url(),
        success_message=_("Se eliminó «%(item)s».") % {"item": item},
    )


@login_required
def item_archive(request, pk, *, kind):
    return _archive_page(request, pk, kind=KINDS[kind], archive=True)


@login_required
def item_unarchive(request, pk, *, kind):
    return _archive_page(request, pk, kind=KINDS[kind], archive=False)


def _archive_page(request, pk, *, kind, archive):
    require_perm(request.user, _perm(kind, "change"))
    item = kind.get(pk)
    names = {"item": item}
    if archive:
        title = _("Archivar %(kind)s") % {"kind": kind.model._meta.verbose_name}
        question = _(
            "¿Archivar «%(item)s»? Deja de contar en los avances y se oculta del árbol junto "
            "con todo lo que cuelga de él. Sus cifras y su historial se conservan y puede "
            "desarchivarse después."
        )
        done = _("Se archivó «%(item)s».")
    else:
        title = _("Desarchivar %(kind)s") % {"kind": kind.model._meta.verbose_name}
        question = _("¿Desarchivar «%(item)s»? Vuelve a contar en los avances del plan.")
        done = _("Se desarchivó «%(item)s».")
    act = kind.archive if archive else kind.unarchive
    return confirm_step(
        request,
        act=lambda: act(item, by=request.user, reason=request.POST.get("reason", "")),
        title=title,
        question=question % names,
        back_url=kind.tree_url(item),
        crumbs=crumbs_for(item, last=title),
        success_url=lambda saved: kind.tree_url(saved),
        done=done % names,
        ask_reason=forms.asks_reason(kind.plan_of(item)),
    )


@login_required
def item_reorder(request, pk, *, kind):
    """Move an item one place up or down among its siblings (POST ``direction``)."""
    kind = KINDS[kind]
    require_perm(request.user, _perm(kind, "change"))
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    item = kind.get(pk)
    parent = getattr(item, kind.parent_field)
    siblings = list(
        kind.model.objects.filter(**{kind.parent_field: parent})
        .order_by("position", "code", "pk")
        .values_list("pk", "archived")
    )
    ordered = moved(
        siblings, item.pk, request.POST.get("direction"), skip_archived=not item.archived
    )
    if ordered is None:
        messages.info(request, _("«%(item)s» ya está en esa posición.") % {"item": item})
    else:
        try:
            services.reorder_children(parent, by=request.user, ordered_ids=ordered)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Se movió «%(item)s».") % {"item": item})
    return redirect(
        kind.tree_url(
            item,
            period=request.POST.get("periodo", ""),
            archived=request.POST.get("archivados") == "1",
        )
    )


def moved(siblings, pk, direction, *, skip_archived):
    """The ids of ``siblings`` ([(id, archived), ...] in order) with ``pk`` moved past its
    nearest neighbour in ``direction`` ("up" or "down"), skipping archived neighbours when
    ``skip_archived`` (they are hidden in the tree). None when it cannot move."""
    ids = [sibling for sibling, _archived in siblings]
    if direction not in ("up", "down") or pk not in ids:
        return None
    index = ids.index(pk)
    step = -1 if direction == "up" else 1
    target = index + step
    while 0 <= target < len(ids) and skip_archived and siblings[target][1]:
        target += step
    if not 0 <= target < len(ids):
        return None
    ids.pop(index)
    ids.insert(target, pk)
    return ids


def _plan_of_parent(parent):
    if isinstance(parent, StrategicPlan):
        return parent
    if isinstance(parent, Objective):
        return parent.plan
    return parent.objective.plan


def _parent_url(parent):
    if isinstance(parent, Goal):
        return reverse("planning:goal-detail", args=[parent.pk])
    return parent.get_absolute_url()
