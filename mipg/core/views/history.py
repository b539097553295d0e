"""The history page of any item that keeps one, and the links every page uses to reach an
item's own page, its trace page and its history."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.exceptions import NotHistoricalModelError

from mipg.core.history import history_page
from mipg.core.models import ReviewedFigureBase
from mipg.core.permissions import require_perm, sees_unit_work
from mipg.core.trace import route_of
from mipg.core.web import crumbs_for


def _label(obj):
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def trace_url(obj):
    """The trace page of ``obj``, or None when ``trace_up`` does not support its model."""
    if route_of(obj._meta.concrete_model) is None:
        return None
    return reverse("trace", args=[_label(obj), obj.pk])


def history_url(obj):
    return reverse("history", args=[_label(obj), obj.pk])


def link_for(obj):
    """The page of ``obj`` (its get_absolute_url, when that page exists), else its trace
    page, else None."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return trace_url(obj)


def model_for(label):
    app_label, _dot, model_name = label.partition(".")
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        raise Http404(_("No existe ese tipo de elemento.")) from None


def require_view(user, model):
    require_perm(
        user,
        f"{model._meta.app_label}.view_{model._meta.model_name}",
        _("No tiene permiso para consultar %(kind)s.") % {"kind": model._meta.verbose_name_plural},
    )


def require_visible(user, model, pk):
    """404 unless ``user`` may see row ``pk`` of ``model``: a reported figure only when
    its queryset's ``visible_to`` keeps it (mipg.core.permissions)."""
    manager = model._default_manager
    if hasattr(manager, "visible_to") and not manager.visible_to(user).filter(pk=pk).exists():
        raise Http404(_("No existe ese elemento."))


def _require_unit_work(user, model, pk):
    """The history of a reported figure shows its drafts and returns: 404 unless ``user``
    sees the work in progress of its unit (a deleted figure: those who see every unit's)."""
    if not issubclass(model, ReviewedFigureBase):
        return
    unit_id = model._default_manager.filter(pk=pk).values_list(model.unit_path, flat=True).first()
    if not sees_unit_work(user, unit_id):
        raise Http404(_("No hay historial de ese elemento."))


# --- history -------------------------------------------------------------------------


@login_required
def history(request, label, pk):
    model = model_for(label)
    require_view(request.user, model)
    _require_unit_work(request.user, model, pk)
    try:
        page, entries = history_page(model, pk, request.GET.get("page"))
    except NotHistoricalModelError:
        raise Http404(_("Ese tipo de elemento no guarda historial.")) from None
    if not entries:
        raise Http404(_("No hay historial de ese elemento."))
    item = model._default_manager.filter(pk=pk).first()
    name = str(item) if item is not None else _deleted_name(model, pk, entries[0].record)
    if item is not None and route_of(model._meta.concrete_model) is not None:
        crumbs = crumbs_for(item, last=_("Historial"))
    else:
        kinds = str(capfirst(model._meta.verbose_name_plural))
        crumbs = [(kinds, None), (name, None), (_("Historial"), None)]
    return render(
        request,
        "mipg/history.html",
        {
            "model": model,
            "kind": capfirst(model._meta.verbose_name),
            "item": item,
            "name": name,
            "item_url": link_for(item) if item is not None else None,
            "trace_url": trace_url(item) if item is not None else None,
            "page": page,
            "entries": entries,
            "crumbs": crumbs,
        },
    )


def _deleted_name(model, pk, record):
    """The name of a deleted object from its last historical record; its __str__ may
    need related objects that were deleted with it."""
    try:
        return str(record.instance)
    except ObjectDoesNotExist:
        return f"{capfirst(model._meta.verbose_name)} #{pk}"
