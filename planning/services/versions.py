"""Versions of an approved plan (MIPG.md §5): after approval, a change to weights, targets,
baselines, dates or items needs a reason and is recorded as a numbered PlanVersion.

What counts: the weight of an objective, goal or action; the dates of an action, its
product quantity target and that target's unit ("4 capacitaciones"), and the years of the
plan; creating, archiving, unarchiving or deleting an objective, goal or action; creating
a reporting period; creating, archiving or unarchiving an indicator and its targets and
baseline (evaluation); an action's programación. Names, descriptions, units, responsibles
and the order of siblings do not.

Callers lock the plan first (``lock_open_plan``), write, then call ``record_plan_version``
with the changes of that one save, inside the same transaction: a missing reason raises and
rolls the write back.
"""

import datetime
import functools
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mipg.core.templatetags.mipg_format import number
from planning.models import PlanVersion, StrategicPlan
from planning.services._base import _date, _lock_open_plan

VERSIONED_ITEM_FIELDS = ("weight", "start_date", "end_date", "quantity_target", "quantity_unit")
VERSIONED_PLAN_FIELDS = ("start_year", "end_year")


def lock_open_plan(item):
    """Lock the plan of ``item`` (a plan, objective, goal, action, period, progress report,
    measurement or plan id) and return it; refused when the plan is closed."""
    return _lock_open_plan(item)


def change(item, what, old="", new=""):
    """One entry of ``PlanVersion.changes``; values are shown as text (decimal comma,
    dd/mm/yyyy dates, "" for none)."""
    return {"item": str(item), "what": what, "old": _text(old), "new": _text(new)}


def field_changes(item, before, fields):
    """The changes of ``fields`` of ``item`` since ``before`` ({field: old value})."""
    return [
        change(item, name, before[name], getattr(item, name))
        for name in fields
        if before[name] != getattr(item, name)
    ]


def record_plan_version(plan, *, by, reason, changes):
    """Record ``changes`` as the next version of ``plan`` when it is approved; nothing for a
    draft plan or no changes. Raises a ValidationError on "reason" when none is given."""
    if plan.status != StrategicPlan.Status.APPROVED or not changes:
        return None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "El plan «%(plan)s» está aprobado: indique el motivo del cambio (queda "
                    "en una nueva versión del plan)."
                )
                % {"plan": plan.name}
            }
        )
    last = plan.versions.aggregate(last=Max("number"))["last"] or 0
    version = PlanVersion(
        plan=plan, number=last + 1, created_by=by, reason=reason, changes=list(changes)
    )
    version.full_clean()
    version.save()
    return version


@functools.lru_cache(maxsize=4096)
def _number(value, language):
    """``number(value)`` in ``language``: an import of 20,000 actions writes 80,000
    programación changes with a handful of distinct values (number_format is ≈ 20 µs)."""
    return number(value)


def _text(value):
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return _number(value, get_language())
    if isinstance(value, datetime.date):
        return _date(value)
    return str(value)
