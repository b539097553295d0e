"""Plans: create, edit, approve and close."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mipg.core.permissions import require_perm
from planning.models import Action, ReportingPeriod, StrategicPlan
from planning.services._base import (
    PLAN_FIELDS,
    _assign,
    _lock,
    _lock_open_plan,
    _plan_bounds,
)
from planning.services.versions import (
    VERSIONED_PLAN_FIELDS,
    field_changes,
    record_plan_version,
)


def create_plan(*, by, **fields):
    require_perm(by, "planning.add_strategicplan")
    plan = StrategicPlan()
    _assign(plan, fields, PLAN_FIELDS)
    with transaction.atomic():
        return _save_plan(plan, by=by)


def update_plan(plan, *, by, reason="", **fields):
    """Edit a draft or approved plan; on an approved one, changing its years needs a
    `reason` and makes a new version."""
    require_perm(by, "planning.change_strategicplan")
    with transaction.atomic():
        _lock_open_plan(plan)
        before = {name: getattr(plan, name) for name in VERSIONED_PLAN_FIELDS}
        _assign(plan, fields, PLAN_FIELDS)
        _save_plan(plan, by=by)
        changes = field_changes(plan, before, VERSIONED_PLAN_FIELDS)
        record_plan_version(plan, by=by, reason=reason, changes=changes)
        return plan


def approve_plan(plan, *, by):
    """Borrador → Aprobado (alta dirección)."""
    require_perm(by, "planning.approve_strategicplan", _("Solo la alta dirección aprueba planes."))
    with transaction.atomic():
        _move_plan(
            plan,
            StrategicPlan.Status.DRAFT,
            StrategicPlan.Status.APPROVED,
            _("Solo se puede aprobar un plan en borrador; este está «%(status)s»."),
        )
        plan.approved_by = by
        plan.approved_at = timezone.now()
        return _save_plan(plan, by=by)


def close_plan(plan, *, by):
    """Aprobado → Cerrado. A closed plan refuses every edit of its content."""
    require_perm(by, "planning.approve_strategicplan", _("Solo la alta dirección cierra planes."))
    with transaction.atomic():
        _move_plan(
            plan,
            StrategicPlan.Status.APPROVED,
            StrategicPlan.Status.CLOSED,
            _("Solo se puede cerrar un plan aprobado; este está «%(status)s»."),
        )
        return _save_plan(plan, by=by)


def _move_plan(plan, source, target, refusal):
    """Lock the plan and move it from `source` to `target` status, or refuse with
    `refusal` (which names the current status)."""
    _lock(plan)
    if plan.status != source:
        raise ValidationError(refusal % {"status": plan.get_status_display()})
    plan.status = target


def _save_plan(plan, *, by):
    plan.clean_fields()
    errors = {}
    if plan.start_year > plan.end_year:
        errors["end_year"] = _("El año final no puede ser anterior al año inicial.")
    if plan.pk is not None and _creates_cycle(plan):
        errors["parent"] = _("Un plan no puede servir a sí mismo ni a uno de sus planes derivados.")
    elif _published_under_a_draft(plan):
        errors["parent"] = _(
            "Un plan aprobado no puede servir a un plan en borrador: apruebe primero «%(parent)s»."
        ) % {"parent": plan.parent.name}
    if plan.pk is not None and not errors:
        errors.update(_content_outside_years(plan))
    if errors:
        raise ValidationError(errors)
    plan.full_clean()
    plan._history_user = by
    plan.save()
    return plan


def _published_under_a_draft(plan):
    """An approved or closed plan may only serve a plan that is approved or closed too."""
    return (
        plan.parent_id is not None
        and plan.status != StrategicPlan.Status.DRAFT
        and plan.parent.status == StrategicPlan.Status.DRAFT
    )


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
