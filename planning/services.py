"""Writes of the planning app: plans, the objective → goal → action tree, reporting periods
and control interno's ratings.

Every write to a plan's content first locks the plan row (then the item), so writes inside
one plan are serialised: the sibling-weight rule (non-archived siblings sum at most 100)
and the period-overlap rule cannot be broken by two concurrent requests, and a plan being
closed cannot receive edits. Lock order everywhere: plan → tree items.

Services refresh the instance they are given (under the lock) and return it.
"""

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from mipg.models import InstitutionalPlan, Policy, ReviewStatus
from mipg.permissions import require_perm
from planning.models import Action, ActionRating, Goal, Objective, ReportingPeriod, StrategicPlan

HUNDRED = Decimal("100")
PLAN_FIELDS = frozenset({"name", "kind", "description", "start_year", "end_year", "parent"})
OBJECTIVE_FIELDS = frozenset({"code", "name", "description", "weight", "policies"})
GOAL_FIELDS = frozenset({"code", "name", "product", "weight", "unit"})
ACTION_FIELDS = frozenset({"code", "name", "deliverable", "unit", "responsible", "weight"}) | {
    "start_date",
    "end_date",
    "institutional_plans",
}
M2M_MODELS = {"policies": Policy, "institutional_plans": InstitutionalPlan}
# Tree item model → its foreign key to the parent; parent model → child model.
PARENT_FIELD = {Objective: "plan", Goal: "objective", Action: "goal"}
CHILD_MODEL = {StrategicPlan: Objective, Objective: Goal, Goal: Action}
# Tree item model → lookup from an Action to that item (for "anything below it").
ACTION_PATH = {Objective: "goal__objective", Goal: "goal", Action: "pk"}
# (first month, last month, last day) of each quarter.
QUARTERS = [(1, 3, 31), (4, 6, 30), (7, 9, 30), (10, 12, 31)]


# --- Plans -------------------------------------------------------------------------------


def create_plan(*, by, **fields):
    require_perm(by, "planning.add_strategicplan")
    plan = StrategicPlan()
    _assign(plan, fields, PLAN_FIELDS)
    with transaction.atomic():
        return _save_plan(plan, by=by)


def update_plan(plan, *, by, **fields):
    require_perm(by, "planning.change_strategicplan")
    with transaction.atomic():
        _lock_open_plan(plan)
        _assign(plan, fields, PLAN_FIELDS)
        return _save_plan(plan, by=by)


def approve_plan(plan, *, by):
    """Borrador → Aprobado (alta dirección)."""
    require_perm(by, "planning.approve_strategicplan", _("Solo la alta dirección aprueba planes."))
    with transaction.atomic():
        _lock(plan)
        if plan.status != StrategicPlan.Status.DRAFT:
            raise ValidationError(
                _("Solo se puede aprobar un plan en borrador; este está «%(status)s».")
                % {"status": plan.get_status_display()}
            )
        plan.status = StrategicPlan.Status.APPROVED
        plan.approved_by = by
        plan.approved_at = timezone.now()
        return _save_plan(plan, by=by)


def close_plan(plan, *, by):
    """Aprobado → Cerrado. A closed plan refuses every edit of its content."""
    require_perm(by, "planning.approve_strategicplan", _("Solo la alta dirección cierra planes."))
    with transaction.atomic():
        _lock(plan)
        if plan.status != StrategicPlan.Status.APPROVED:
            raise ValidationError(
                _("Solo se puede cerrar un plan aprobado; este está «%(status)s».")
                % {"status": plan.get_status_display()}
            )
        plan.status = StrategicPlan.Status.CLOSED
        return _save_plan(plan, by=by)


def _save_plan(plan, *, by):
    plan.clean_fields()
    errors = {}
    if plan.start_year > plan.end_year:
        errors["end_year"] = _("El año final no puede ser anterior al año inicial.")
    if plan.pk is not None and _creates_cycle(plan):
        errors["parent"] = _("Un plan no puede servir a sí mismo ni a uno de sus planes derivados.")
    if plan.pk is not None and not errors:
        errors.update(_content_outside_years(plan))
    if errors:
        raise ValidationError(errors)
    plan.full_clean()
    plan._history_user = by
    plan.save()
    return plan


def _creates_cycle(plan):
    parent_id, seen = plan.parent_id, set()
    while parent_id is not None and parent_id not in seen:
        if parent_id == plan.pk:
            return True
        seen.add(parent_id)
        parent_id = (
            StrategicPlan.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        )
    return False


def _content_outside_years(plan):
    """Errors when changing the years would leave actions or periods outside the plan."""
    first, last = _plan_bounds(plan)
    actions = Action.objects.filter(goal__objective__plan=plan)
    periods = ReportingPeriod.objects.filter(plan=plan)
    errors = {}
    for field, outside in (
        ("start_year", Q(start_date__lt=first)),
        ("end_year", Q(end_date__gt=last)),
    ):
        n_actions = actions.filter(outside).count()
        n_periods = periods.filter(outside).count()
        if n_actions or n_periods:
            errors[field] = _(
                "Con ese año quedarían fuera del plan %(actions)s actividad(es) y "
                "%(periods)s periodo(s); ajuste primero sus fechas."
            ) % {"actions": n_actions, "periods": n_periods}
    return errors


# --- Objectives, goals and actions -------------------------------------------------------


def create_objective(plan, *, by, code, name, weight, policies=(), description=""):
    require_perm(by, "planning.add_objective")
    with transaction.atomic():
        _lock_open_plan(plan)
        objective = Objective(plan=plan, code=code, name=name, weight=weight)
        objective.description = description
        return _create_item(objective, plan=plan, by=by, m2m={"policies": policies})


def update_objective(objective, *, by, **fields):
    return _update_item(objective, by=by, fields=fields, allowed=OBJECTIVE_FIELDS)


def create_goal(objective, *, by, code, name, weight, product="", unit=None):
    require_perm(by, "planning.add_goal")
    with transaction.atomic():
        plan = _lock_open_plan(objective)
        _lock(objective)
        goal = Goal(objective=objective, code=code, name=name, weight=weight, product=product)
        goal.unit = unit
        return _create_item(goal, plan=plan, by=by)


def update_goal(goal, *, by, **fields):
    return _update_item(goal, by=by, fields=fields, allowed=GOAL_FIELDS)


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
    institutional_plans=(),
):
    """Create an actividad; the responsible unit defaults to the goal's unit."""
    require_perm(by, "planning.add_action")
    with transaction.atomic():
        plan = _lock_open_plan(goal)
        _lock(goal)
        action = Action(goal=goal, code=code, name=name, weight=weight, deliverable=deliverable)
        action.start_date, action.end_date = start_date, end_date
        action.unit = unit if unit is not None else goal.unit
        action.responsible = responsible
        m2m = {"institutional_plans": institutional_plans}
        return _create_item(action, plan=plan, by=by, m2m=m2m)


def update_action(action, *, by, **fields):
    return _update_item(action, by=by, fields=fields, allowed=ACTION_FIELDS)


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


def delete_objective(objective, *, by):
    _delete_item(objective, by=by)


def delete_goal(goal, *, by):
    _delete_item(goal, by=by)


def delete_action(action, *, by):
    _delete_item(action, by=by)


def archive_objective(objective, *, by):
    return _set_archived(objective, by=by, archived=True)


def unarchive_objective(objective, *, by):
    return _set_archived(objective, by=by, archived=False)


def archive_goal(goal, *, by):
    return _set_archived(goal, by=by, archived=True)


def unarchive_goal(goal, *, by):
    return _set_archived(goal, by=by, archived=False)


def archive_action(action, *, by):
    return _set_archived(action, by=by, archived=True)


def unarchive_action(action, *, by):
    return _set_archived(action, by=by, archived=False)


def _create_item(item, *, plan, by, m2m=None):
    parent = getattr(item, PARENT_FIELD[type(item)])
    if getattr(parent, "archived", False):
        raise ValidationError(
            _("«%(parent)s» está archivado; no se le pueden agregar elementos.")
            % {"parent": parent}
        )
    last = _siblings(item).aggregate(last=Max("position"))["last"]
    item.position = (last or 0) + 1
    return _save_item(item, plan=plan, by=by, changed=None, m2m=m2m or {})


def _update_item(item, *, by, fields, allowed):
    require_perm(by, f"planning.change_{item._meta.model_name}")
    with transaction.atomic():
        plan = _lock_open_plan(item)
        _lock(item)
        m2m = _assign(item, fields, allowed)
        return _save_item(item, plan=plan, by=by, changed=set(fields), m2m=m2m)


def _set_archived(item, *, by, archived):
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
        return _save_item(item, plan=plan, by=by, changed={"archived"}, m2m={})


def _save_item(item, *, plan, by, changed, m2m):
    """Validate everything (fields, sibling rules, dates), then save. `changed` is the set
    of fields being updated, or None on creation."""
    if isinstance(item.code, str):
        item.code = item.code.strip()
    item.clean_fields()
    errors = _sibling_errors(item)
    if isinstance(item, Action):
        errors.update(_action_errors(item, plan, changed))
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


def _sibling_errors(item):
    """Unique code among siblings, and weights of non-archived siblings at most 100."""
    siblings = _siblings(item).exclude(pk=item.pk)
    errors = {}
    texts = _texts(type(item))
    if siblings.filter(code=item.code).exists():
        errors["code"] = texts["code"] % {"code": item.code}
    if not item.archived:
        used = siblings.filter(archived=False).aggregate(total=Sum("weight"))["total"] or 0
        if used + item.weight > HUNDRED:
            errors["weight"] = texts["weight"] % {
                "used": _number(used),
                "available": _number(max(HUNDRED - used, Decimal(0))),
                "weight": _number(item.weight),
            }
    return errors


def _action_errors(action, plan, changed):
    errors = _date_errors(action, plan)
    # Memberships change over time: check the person only when it or the unit is set now.
    person = action.responsible
    if person is not None and (changed is None or {"responsible", "unit"} & changed):
        if not person.is_active:
            errors["responsible"] = _("%(person)s no es un usuario activo.") % {"person": person}
        elif action.unit_id and not person.units.filter(pk=action.unit_id).exists():
            errors["responsible"] = _("%(person)s no pertenece a la dependencia «%(unit)s».") % {
                "person": person,
                "unit": action.unit,
            }
    return errors


def _delete_item(item, *, by):
    """Delete an item and its subtree, unless something below has figures to keep."""
    model = type(item)
    require_perm(by, f"planning.delete_{model._meta.model_name}")
    with transaction.atomic():
        _lock_open_plan(item)
        _lock(item)
        # Lock the actions below so no report gets approved while we check and delete.
        lookup = {ACTION_PATH[model]: item.pk}
        list(Action.objects.select_for_update(of=("self",)).filter(**lookup).only("pk"))
        blocker = _deletion_blocker(item, lookup)
        if blocker:
            raise ValidationError(blocker)
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


# --- Reporting periods -------------------------------------------------------------------


def create_period(plan, *, by, label, start_date, end_date, due_date=None):
    require_perm(by, "planning.add_reportingperiod")
    with transaction.atomic():
        _lock_open_plan(plan)
        period = ReportingPeriod(plan=plan, label=(label or "").strip(), due_date=due_date)
        period.start_date, period.end_date = start_date, end_date
        period.clean_fields()
        errors = _period_errors(period, plan)
        if errors:
            raise ValidationError(errors)
        return _save(period, by=by)


def create_quarterly_periods(plan, *, by, year):
    """Create "T1 <year>" … "T4 <year>", each due 10 days after it ends; all or nothing."""
    require_perm(by, "planning.add_reportingperiod")
    with transaction.atomic():
        _lock_open_plan(plan)
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise ValidationError({"year": _("Indique un año válido.")}) from None
        _check_year(plan, year)
        periods, problems = [], []
        for quarter, (start_month, end_month, end_day) in enumerate(QUARTERS, start=1):
            start = datetime.date(year, start_month, 1)
            end = datetime.date(year, end_month, end_day)
            period = ReportingPeriod(plan=plan, label=f"T{quarter} {year}")
            period.start_date, period.end_date = start, end
            period.due_date = end + datetime.timedelta(days=10)
            for messages in _period_errors(period, plan).values():
                problems.append(f"{period.label}: {messages}")
            periods.append(period)
        if problems:
            raise ValidationError({"year": problems})
        return [_save(period, by=by) for period in periods]


def lock_period(period, *, by):
    """Close a period for reporting. Allowed on a closed plan too."""
    require_perm(by, "planning.change_reportingperiod")
    with transaction.atomic():
        _lock(period)
        if period.locked:
            raise ValidationError(
                _("El periodo «%(label)s» ya está cerrado.") % {"label": period.label}
            )
        period.locked = True
        return _save(period, by=by)


def unlock_period(period, *, by):
    require_perm(by, "planning.change_reportingperiod")
    with transaction.atomic():
        _lock_open_plan(period)
        _lock(period)
        if not period.locked:
            raise ValidationError(
                _("El periodo «%(label)s» ya está abierto.") % {"label": period.label}
            )
        period.locked = False
        return _save(period, by=by)


def _period_errors(period, plan):
    errors = {}
    others = ReportingPeriod.objects.filter(plan=plan).exclude(pk=period.pk)
    if others.filter(label__iexact=period.label).exists():
        errors["label"] = _("Ya existe un periodo «%(label)s» en este plan.") % {
            "label": period.label
        }
    errors.update(_date_errors(period, plan))
    if period.due_date is not None and period.due_date < period.end_date:
        errors["due_date"] = _("La fecha límite de reporte no puede ser anterior al %(end)s.") % {
            "end": _date(period.end_date)
        }
    if "start_date" not in errors and "end_date" not in errors:
        clash = others.filter(
            start_date__lte=period.end_date, end_date__gte=period.start_date
        ).first()
        if clash is not None:
            errors["start_date"] = _(
                "El periodo se cruza con «%(label)s» (%(first)s – %(last)s)."
            ) % {
                "label": clash.label,
                "first": _date(clash.start_date),
                "last": _date(clash.end_date),
            }
    return errors


# --- Control interno ---------------------------------------------------------------------


def rate_action(action, *, by, year, semester, rating, comment=""):
    """Create or replace control interno's rating of an action for a year and semester."""
    require_perm(by, "planning.rate_action", _("Solo control interno califica actividades."))
    with transaction.atomic():
        _lock(action)
        candidate = ActionRating(action=action, year=year, semester=semester, rating=rating)
        candidate.comment = (comment or "").strip()
        candidate.rated_by = by
        candidate.clean_fields()
        _check_year(action.goal.objective.plan, candidate.year)
        existing = ActionRating.objects.filter(
            action=action, year=candidate.year, semester=candidate.semester
        ).first()
        if existing is not None:
            existing.rating, existing.comment = candidate.rating, candidate.comment
            existing.rated_by = by
            candidate = existing
        return _save(candidate, by=by)


# --- Helpers -----------------------------------------------------------------------------


def _lock(obj):
    """Lock `obj`'s row and reload it in place."""
    obj.refresh_from_db(from_queryset=type(obj)._base_manager.select_for_update())


def _plan_id(item):
    if isinstance(item, StrategicPlan):
        return item.pk
    if isinstance(item, Objective | ReportingPeriod):
        return item.plan_id
    if isinstance(item, Goal):
        return item.objective.plan_id
    return item.goal.objective.plan_id


def _lock_open_plan(item):
    """Lock the plan `item` belongs to (reloading `item` itself when it is the plan) and
    refuse when the plan is closed."""
    if isinstance(item, StrategicPlan):
        _lock(item)
        plan = item
    else:
        plan = StrategicPlan.objects.select_for_update().get(pk=_plan_id(item))
    if plan.status == StrategicPlan.Status.CLOSED:
        raise ValidationError(
            _(
                "El plan «%(plan)s» está cerrado: no se pueden modificar sus objetivos, metas, "
                "actividades ni periodos."
            )
            % {"plan": plan.name}
        )
    return plan


def _assign(obj, fields, allowed):
    """Set the plain fields on `obj`; return the many-to-many ones to set after saving."""
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{type(obj).__name__} does not accept {sorted(unknown)}")
    m2m = {}
    for name, value in fields.items():
        if name in M2M_MODELS:
            m2m[name] = value
        else:
            setattr(obj, name, value)
    return m2m


def _save(obj, *, by):
    obj.full_clean()
    obj._history_user = by
    obj.save()
    return obj


def _siblings(item):
    field = PARENT_FIELD[type(item)]
    return type(item).objects.filter(**{f"{field}_id": getattr(item, f"{field}_id")})


def _date_errors(obj, plan):
    """Start and end dates of an action or period inside the plan's years, start ≤ end."""
    errors = {}
    first, last = _plan_bounds(plan)
    outside = _("La fecha debe estar entre el %(first)s y el %(last)s (años del plan).") % {
        "first": _date(first),
        "last": _date(last),
    }
    if not first <= obj.start_date <= last:
        errors["start_date"] = outside
    if not first <= obj.end_date <= last:
        errors["end_date"] = outside
    elif obj.start_date > obj.end_date:
        errors["end_date"] = _("La fecha de fin no puede ser anterior a la fecha de inicio.")
    return errors


def _check_year(plan, year):
    if not plan.start_year <= year <= plan.end_year:
        message = _("El año debe estar entre %(first)s y %(last)s (años del plan).")
        raise ValidationError({"year": message % {"first": plan.start_year, "last": plan.end_year}})


def _plan_bounds(plan):
    return datetime.date(plan.start_year, 1, 1), datetime.date(plan.end_year, 12, 31)


def _date(value):
    return value.strftime("%d/%m/%Y")


def _number(value):
    """60 → "60", 12.50 → "12,5" (Colombian decimal comma)."""
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _texts(model):
    if model is Objective:
        return {
            "code": _("Ya existe un objetivo con el código «%(code)s» en este plan."),
            "weight": _(
                "Los demás objetivos del plan ya suman %(used)s %%; quedan %(available)s %% "
                "disponibles y se pidieron %(weight)s %%."
            ),
        }
    if model is Goal:
        return {
            "code": _("Ya existe una meta con el código «%(code)s» en este objetivo."),
            "weight": _(
                "Las demás metas del objetivo ya suman %(used)s %%; quedan %(available)s %% "
                "disponibles y se pidieron %(weight)s %%."
            ),
        }
    return {
        "code": _("Ya existe una actividad con el código «%(code)s» en esta meta."),
        "weight": _(
            "Las demás actividades de la meta ya suman %(used)s %%; quedan %(available)s %% "
            "disponibles y se pidieron %(weight)s %%."
        ),
    }
