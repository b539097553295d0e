"""Constants and helpers shared by the planning services."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mipg.core.models import InstitutionalPlan, Policy, ReviewedFigureBase
from planning.models import Action, Goal, Objective, ReportingPeriod, StrategicPlan

HUNDRED = Decimal("100")
PLAN_FIELDS = frozenset(StrategicPlan.writable_fields)
OBJECTIVE_FIELDS = frozenset(Objective.writable_fields)
GOAL_FIELDS = frozenset(Goal.writable_fields)
ACTION_FIELDS = frozenset(Action.writable_fields)
M2M_MODELS = {"policies": Policy, "institutional_plans": InstitutionalPlan}
# Tree item model → its foreign key to the parent; parent model → child model.
PARENT_FIELD = {Objective: "plan", Goal: "objective", Action: "goal"}
CHILD_MODEL = {StrategicPlan: Objective, Objective: Goal, Goal: Action}
# Tree item model → lookup from an Action to that item (for "anything below it").
ACTION_PATH = {Objective: "goal__objective", Goal: "goal", Action: "pk"}
# (first month, last month, last day) of each quarter.
QUARTERS = [(1, 3, 31), (4, 6, 30), (7, 9, 30), (10, 12, 31)]


def _lock(obj):
    """Lock `obj`'s row and reload it in place."""
    obj.refresh_from_db(from_queryset=type(obj)._base_manager.select_for_update())


def _plan_lookup(item):
    """The lookup that finds the plan of `item`: a plan id, a plan, a tree item, a period,
    or a reported figure (progress report, measurement: anything of the ground's
    ReviewedFigureBase), found through its period in the same query."""
    if isinstance(item, int):
        return {"pk": item}
    if isinstance(item, StrategicPlan):
        return {"pk": item.pk}
    if isinstance(item, Objective | ReportingPeriod):
        return {"pk": item.plan_id}
    if isinstance(item, Goal):
        return {"pk": item.objective.plan_id}
    if isinstance(item, ReviewedFigureBase):
        return {"periods": item.period_id}
    return {"pk": item.goal.objective.plan_id}


def _lock_open_plan(item):
    """Lock the plan `item` belongs to (see ``_plan_lookup``), reloading `item` itself when
    it is the plan, and refuse when the plan is closed. Every write to a plan's content,
    figures included, goes through here: a closed plan refuses every change (MIPG.md §5)."""
    if isinstance(item, StrategicPlan):
        _lock(item)
        plan = item
    else:
        plans = StrategicPlan.objects.select_for_update(of=("self",))
        plan = plans.get(**_plan_lookup(item))
    if plan.status == StrategicPlan.Status.CLOSED:
        raise ValidationError(
            _(
                "El plan «%(plan)s» está cerrado: no se pueden modificar sus objetivos, metas, "
                "actividades, periodos, indicadores, presupuesto, reportes de avance ni "
                "mediciones."
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
    if not first <= obj.start_date <= last:
        errors["start_date"] = _outside(first, last)
    if not first <= obj.end_date <= last:
        errors["end_date"] = _outside(first, last)
    elif obj.start_date > obj.end_date:
        errors["end_date"] = _("La fecha de fin no puede ser anterior a la fecha de inicio.")
    return errors


def _outside(first, last):
    # Translated only when a date is outside: a 20,000-action import checks 20,000 dates.
    return _("La fecha debe estar entre el %(first)s y el %(last)s (años del plan).") % {
        "first": _date(first),
        "last": _date(last),
    }


def _check_year(plan, year):
    if not plan.start_year <= year <= plan.end_year:
        message = _("El año debe estar entre %(first)s y %(last)s (años del plan).")
        raise ValidationError({"year": message % {"first": plan.start_year, "last": plan.end_year}})


def _plan_bounds(plan):
    return datetime.date(plan.start_year, 1, 1), datetime.date(plan.end_year, 12, 31)


def _date(value):
    return value.strftime("%d/%m/%Y")


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
