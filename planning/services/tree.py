"""The objective → goal → action tree: create, edit, reorder, archive, delete."""

from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from mipg.core.models import ReviewStatus
from mipg.core.permissions import require_perm
from mipg.core.templatetags.mipg_format import number
from planning.models import Action, Goal, Objective
from planning.services._base import (
    ACTION_FIELDS,
    ACTION_PATH,
    CHILD_MODEL,
    GOAL_FIELDS,
    HUNDRED,
    M2M_MODELS,
    OBJECTIVE_FIELDS,
    PARENT_FIELD,
    _assign,
    _date_errors,
    _lock,
    _lock_open_plan,
    _siblings,
    _texts,
)
from planning.services.versions import (
    VERSIONED_ITEM_FIELDS,
    change,
    field_changes,
    record_plan_version,
)


def create_objective(
    plan, *, by, code, name, weight, policies=(), description="", serves=None, reason=""
):
    """Create an objective of `plan`; `serves` is the objective of the plan `plan` serves
    (``plan.parent``) that it aligns to (MIPG.md §3)."""
    require_perm(by, "planning.add_objective")
    with transaction.atomic():
        _lock_open_plan(plan)
        objective = Objective(plan=plan, code=code, name=name, weight=weight)
        objective.description = description
        objective.serves = serves
        m2m = {"policies": policies}
        return _create_item(objective, plan=plan, by=by, m2m=m2m, reason=reason)


def update_objective(objective, *, by, reason="", **fields):
    return _update_item(objective, by=by, fields=fields, allowed=OBJECTIVE_FIELDS, reason=reason)


def create_goal(
    objective, *, by, code, name, weight, product="", unit=None, serves=None, reason=""
):
    """Create a goal of `objective`; `serves`, like an objective's, is an objective of the
    plan the goal's plan serves (``plan.parent``): set, the goal serves it instead of what
    its objective serves (MIPG.md §3)."""
    require_perm(by, "planning.add_goal")
    with transaction.atomic():
        plan = _lock_open_plan(objective)
        _lock(objective)
        goal = Goal(objective=objective, code=code, name=name, weight=weight, product=product)
        goal.unit = unit
        goal.serves = serves
        return _create_item(goal, plan=plan, by=by, reason=reason)


def update_goal(goal, *, by, reason="", **fields):
    return _update_item(goal, by=by, fields=fields, allowed=GOAL_FIELDS, reason=reason)


def create_action(
    goal,
    *,
    by,
    code,
    name,
    start_date,
    end_date,
    weight,
    deliverable="",
    unit=None,
    responsible=None,
    quantity_target=None,
    quantity_unit="",
    institutional_plans=(),
    reason="",
):
    """Create an actividad; the responsible unit defaults to the goal's unit. A product
    quantity target ("4 capacitaciones") takes its unit: both or neither."""
    require_perm(by, "planning.add_action")
    with transaction.atomic():
        plan = _lock_open_plan(goal)
        _lock(goal)
        action = Action(goal=goal, code=code, name=name, weight=weight, deliverable=deliverable)
        action.start_date, action.end_date = start_date, end_date
        action.unit = unit if unit is not None else goal.unit
        action.responsible = responsible
        action.quantity_target, action.quantity_unit = quantity_target, quantity_unit
        m2m = {"institutional_plans": institutional_plans}
        return _create_item(action, plan=plan, by=by, m2m=m2m, reason=reason)


def update_action(action, *, by, reason="", **fields):
    return _update_item(action, by=by, fields=fields, allowed=ACTION_FIELDS, reason=reason)


def reorder_children(parent, *, by, ordered_ids):
    """Set `position` 1..n of the objectives of a plan, goals of an objective or actions of
    a goal. `ordered_ids` must list every child (archived ones included) exactly once."""
    model = CHILD_MODEL[type(parent)]
    require_perm(by, f"planning.change_{model._meta.model_name}")
    with transaction.atomic():
        _lock_open_plan(parent)
        children = {
            child.pk: child
            for child in model.objects.select_for_update().filter(**{PARENT_FIELD[model]: parent})
        }
        try:
            ids = [int(pk) for pk in ordered_ids]
        except (TypeError, ValueError):
            ids = None
        if ids is None or sorted(ids) != sorted(children):
            message = _(
                "El nuevo orden debe incluir exactamente una vez cada uno de los %(count)s "
                "elementos."
            )
            raise ValidationError({"ordered_ids": message % {"count": len(children)}})
        ordered = [children[pk] for pk in ids]
        for position, child in enumerate(ordered, start=1):
            child.position = position
        bulk_update_with_history(ordered, model, ["position"], default_user=by)
        return ordered


def delete_objective(objective, *, by, reason=""):
    _delete_item(objective, by=by, reason=reason)


def delete_goal(goal, *, by, reason=""):
    _delete_item(goal, by=by, reason=reason)


def delete_action(action, *, by, reason=""):
    _delete_item(action, by=by, reason=reason)


def archive_objective(objective, *, by, reason=""):
    return _set_archived(objective, by=by, archived=True, reason=reason)


def unarchive_objective(objective, *, by, reason=""):
    return _set_archived(objective, by=by, archived=False, reason=reason)


def archive_goal(goal, *, by, reason=""):
    return _set_archived(goal, by=by, archived=True, reason=reason)


def unarchive_goal(goal, *, by, reason=""):
    return _set_archived(goal, by=by, archived=False, reason=reason)


def archive_action(action, *, by, reason=""):
    return _set_archived(action, by=by, archived=True, reason=reason)


def unarchive_action(action, *, by, reason=""):
    return _set_archived(action, by=by, archived=False, reason=reason)


def _create_item(item, *, plan, by, m2m=None, reason=""):
    parent = getattr(item, PARENT_FIELD[type(item)])
    if getattr(parent, "archived", False):
        raise ValidationError(
            _("«%(parent)s» está archivado; no se le pueden agregar elementos.")
            % {"parent": parent}
        )
    last = _siblings(item).aggregate(last=Max("position"))["last"]
    item.position = (last or 0) + 1
    item._change_reason = reason or None
    _save_item(item, plan=plan, by=by, changed=None, m2m=m2m or {})
    record_plan_version(plan, by=by, reason=reason, changes=[change(item, "created")])
    return item


def _update_item(item, *, by, fields, allowed, reason):
    require_perm(by, f"planning.change_{item._meta.model_name}")
    with transaction.atomic():
        plan = _lock_open_plan(item)
        _lock(item)
        versioned = [name for name in VERSIONED_ITEM_FIELDS if hasattr(item, name)]
        before = {name: getattr(item, name) for name in versioned}
        m2m = _assign(item, fields, allowed)
        item._change_reason = reason or None
        _save_item(item, plan=plan, by=by, changed=set(fields), m2m=m2m)
        changes = field_changes(item, before, versioned)
        record_plan_version(plan, by=by, reason=reason, changes=changes)
        return item


def _set_archived(item, *, by, archived, reason):
    require_perm(by, f"planning.change_{item._meta.model_name}")
    with transaction.atomic():
        plan = _lock_open_plan(item)
        _lock(item)
        if item.archived == archived:
            message = (
                _("«%(item)s» ya está archivado.")
                if archived
                else _("«%(item)s» no está archivado.")
            )
            raise ValidationError(message % {"item": item})
        item.archived = archived
        _save_item(item, plan=plan, by=by, changed={"archived"}, m2m={})
        what = "archived" if archived else "unarchived"
        record_plan_version(plan, by=by, reason=reason, changes=[change(item, what)])
        return item


def _save_item(item, *, plan, by, changed, m2m):
    """Validate everything (fields, sibling rules, dates), then save. `changed` is the set
    of fields being updated, or None on creation."""
    if isinstance(item.code, str):
        item.code = item.code.strip()
    item.clean_fields()
    errors = _sibling_errors(item)
    if isinstance(item, Action):
        errors.update(_action_errors(item, plan, changed))
    if isinstance(item, Objective | Goal) and (changed is None or "serves" in changed):
        errors.update(_alignment_errors(item, plan))
    for name, values in m2m.items():
        values = list(values)
        pks = {getattr(value, "pk", value) for value in values}
        if M2M_MODELS[name].objects.filter(pk__in=pks).count() != len(pks):
            errors[name] = _("Algunos de los elementos seleccionados no existen.")
        m2m[name] = values
    if errors:
        raise ValidationError(errors)
    item.full_clean()
    item._history_user = by
    item.save()
    for name, values in m2m.items():
        getattr(item, name).set(values)
    return item


def _sibling_errors(item, others=None):
    """Unique code among siblings, and weights of non-archived siblings at most 100.
    ``others``: the other siblings' (code, weight, archived) when the caller has them in
    memory (a bulk import); read from the database otherwise."""
    errors = {}
    if others is None:
        siblings = _siblings(item).exclude(pk=item.pk)
        taken = siblings.filter(code=item.code).exists()
        used = None
    else:
        taken = any(code == item.code for code, _weight, _archived in others)
        used = sum((weight for _code, weight, archived in others if not archived), Decimal(0))
    if taken:
        errors["code"] = _texts(type(item))["code"] % {"code": item.code}
    if not item.archived:
        if used is None:
            used = siblings.filter(archived=False).aggregate(total=Sum("weight"))["total"] or 0
        if used + item.weight > HUNDRED:
            errors["weight"] = _texts(type(item))["weight"] % {
                "used": number(used),
                "available": number(max(HUNDRED - used, Decimal(0))),
                "weight": number(item.weight),
            }
    return errors


def _alignment_errors(item, plan):
    """The objective an objective or a goal serves must be a live objective of the plan its
    plan serves (``plan.parent``)."""
    target = item.serves
    if target is None:
        return {}
    if plan.parent_id is None:
        message = (
            _("El plan «%(plan)s» no sirve a otro plan: su objetivo no puede alinearse a uno.")
            if isinstance(item, Objective)
            else _("El plan «%(plan)s» no sirve a otro plan: su meta no puede alinearse a uno.")
        )
        return {"serves": message % {"plan": plan.name}}
    target = Objective.objects.filter(pk=target.pk).select_related("plan").first()
    if target is None or target.plan_id != plan.parent_id:
        return {
            "serves": _("El objetivo debe ser del plan al que sirve este plan (%(parent)s).")
            % {"parent": plan.parent.name}
        }
    if target.archived:
        return {"serves": _("El objetivo «%(target)s» está archivado.") % {"target": target}}
    return {}


def _action_errors(action, plan, changed, memberships=None):
    """``memberships``: {user id: set of unit ids} when the caller has them in memory."""
    errors = {**_date_errors(action, plan), **_quantity_errors(action)}
    # Memberships change over time: check the person only when it or the unit is set now.
    # Read the person only then: a bulk update of 20,000 actions would load each one's user.
    checked = action.responsible_id is not None and (
        changed is None or {"responsible", "unit"} & changed
    )
    if checked:
        person = action.responsible
        if not person.is_active:
            errors["responsible"] = _("%(person)s no es un usuario activo.") % {"person": person}
        elif action.unit_id and not _member(person, action.unit_id, memberships):
            errors["responsible"] = _("%(person)s no pertenece a la dependencia «%(unit)s».") % {
                "person": person,
                "unit": action.unit,
            }
    return errors


def _member(person, unit_id, memberships):
    if memberships is None:
        return person.units.filter(pk=unit_id).exists()
    return unit_id in memberships.get(person.pk, ())


def _quantity_errors(action):
    """A product quantity target is positive and has its unit; a unit needs a target."""
    action.quantity_unit = (action.quantity_unit or "").strip()
    target, unit = action.quantity_target, action.quantity_unit
    if target is not None and target <= 0:
        return {"quantity_target": _("La meta de cantidad debe ser mayor que cero.")}
    if target is not None and not unit:
        return {
            "quantity_unit": _(
                "Indique la unidad de la meta de cantidad (por ejemplo, «capacitaciones»)."
            )
        }
    if target is None and unit:
        return {
            "quantity_target": _(
                "Indique la meta de cantidad en «%(unit)s» o deje la unidad vacía: van juntas."
            )
            % {"unit": unit}
        }
    return {}


def _delete_item(item, *, by, reason):
    """Delete an item and its subtree, unless something below has figures to keep."""
    model = type(item)
    require_perm(by, f"planning.delete_{model._meta.model_name}")
    with transaction.atomic():
        plan = _lock_open_plan(item)
        _lock(item)
        # Lock the actions below so no report gets approved while we check and delete.
        lookup = {ACTION_PATH[model]: item.pk}
        list(Action.objects.select_for_update(of=("self",)).filter(**lookup).only("pk"))
        blocker = _deletion_blocker(item, lookup)
        if blocker:
            raise ValidationError(blocker)
        record_plan_version(plan, by=by, reason=reason, changes=[change(item, "deleted")])
        item._history_user = by
        item.delete()


def _deletion_blocker(item, lookup):
    """The reason why `item` may not be deleted, or None. Models of later apps are looked
    up by name: planning must not import management or evaluation."""
    progress_report = apps.get_model("management", "ProgressReport")
    budget_execution = apps.get_model("management", "BudgetExecution")
    measurement = apps.get_model("evaluation", "Measurement")
    actions = Action.objects.filter(**lookup)
    approved = ReviewStatus.APPROVED
    has_figures = progress_report.objects.filter(status=approved, action__in=actions).exists()
    if not has_figures and not isinstance(item, Action):
        indicators = (
            Q(indicator__objective=item) | Q(indicator__goal__objective=item)
            if isinstance(item, Objective)
            else Q(indicator__goal=item)
        )
        has_figures = measurement.objects.filter(indicators, status=approved).exists()
    if has_figures:
        return _(
            "No se puede eliminar «%(item)s» porque tiene cifras aprobadas (reportes de avance "
            "o mediciones). Archívelo en su lugar."
        ) % {"item": item}
    if budget_execution.objects.filter(allocation__action__in=actions).exists():
        return _(
            "No se puede eliminar «%(item)s» porque tiene ejecución presupuestal registrada. "
            "Archívelo en su lugar."
        ) % {"item": item}
    return None
