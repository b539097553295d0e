"""The programación of an action: its planned cumulative progress per reporting period."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mipg.core.permissions import require_perm
from mipg.core.templatetags.mipg_format import number
from planning.models import ActionSchedule
from planning.selectors import periods_of
from planning.services._base import HUNDRED, _lock, _lock_open_plan, _save
from planning.services.versions import change, record_plan_version


def schedule_field(period):
    """The key of a period's value in ``set_action_schedule``'s errors (and form fields)."""
    return f"period_{period.pk}"


def set_action_schedule(action, *, by, planned, reason=""):
    """Set the planned cumulative progress of ``action`` for every period of its plan.

    ``planned`` maps each ReportingPeriod of the plan to a percentage. Each value is between
    0 and 100 and never below the one of an earlier period (date order); errors are keyed
    by ``schedule_field(period)``. All periods are written or none. On an approved plan a
    change needs a ``reason`` and makes a new plan version.
    """
    require_perm(by, "planning.change_action")
    with transaction.atomic():
        plan = _lock_open_plan(action)
        _lock(action)
        periods = list(periods_of(plan))
        values = schedule_values(periods, planned)
        existing = {row.period_id: row for row in action.schedule.select_for_update()}
        changes = []
        for period, value in values.items():
            row = existing.get(period.pk) or ActionSchedule(action=action, period=period)
            if row.pk is None or row.planned != value:
                old = row.planned if row.pk is not None else ""
                changes.append(change(f"{action} — {period.label}", "schedule", old, value))
                row.planned = value
                row._change_reason = reason or None
                _save(row, by=by)
        record_plan_version(plan, by=by, reason=reason, changes=changes)
        return action


def schedule_values(periods, values):
    """{period: Decimal} of ``values`` ({period: raw}) for every period of ``periods``
    (date order), or the ValidationError of set_action_schedule."""
    if not periods:
        raise ValidationError(_("El plan no tiene periodos de reporte para programar."))
    given = {period.pk: value for period, value in values.items()}
    errors, checked, previous = {}, {}, None
    for period in periods:
        key = schedule_field(period)
        value = _percentage(given.get(period.pk))
        if value is None:
            errors[key] = _("Indique un porcentaje entre 0 y 100.")
            continue
        if previous is not None and value < previous[1]:
            errors[key] = _(
                "El avance programado es acumulado: no puede ser menor que el de "
                "%(label)s (%(value)s)."
            ) % {"label": previous[0].label, "value": number(previous[1])}
        checked[period] = value
        previous = (period, value)
    if errors:
        raise ValidationError(errors)
    return checked


def clear_action_schedule(action, *, by, reason=""):
    """Drop the programación of ``action``: it falls back to the default spread by dates."""
    require_perm(by, "planning.change_action")
    with transaction.atomic():
        plan = _lock_open_plan(action)
        _lock(action)
        changes = []
        for row in action.schedule.select_related("period").select_for_update(of=("self",)):
            label = f"{action} — {row.period.label}"
            changes.append(change(label, "schedule", row.planned, ""))
            row._history_user = by
            row.delete()
        record_plan_version(plan, by=by, reason=reason, changes=changes)
        return action


def _percentage(value):
    """``value`` as a Decimal with at most 2 decimals between 0 and 100, else None."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if (
        not number.is_finite()
        or not 0 <= number <= HUNDRED
        or number != number.quantize(Decimal("0.01"))
    ):
        return None
    return number
