"""Bulk writes of indicators and their targets, for imports (mipg.traceability's Plan de
Acción spreadsheet): create_indicator's and set_targets' rules, permissions checked once,
the plan locked once, history rows written in bulk with the import's reason as their change
reason. Like planning.services.bulk, a refused item does not stop the others: each call
saves what passes and returns the problems of the rest; the caller rolls back when there is
any. Changes to existing indicators and targets go through the single-item services
(update_indicator, set_targets: baseline and approved-measurement rules), one savepoint
each: an import mostly creates or leaves alone.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from evaluation.models import Indicator, IndicatorTarget
from evaluation.services import (
    _add_error,
    _locked_period,
    _not_in_plan,
    _to_value,
    _validate_indicator,
    set_targets,
    update_indicator,
)
from mipg.core.history import create_with_history
from mipg.core.models import Entity
from mipg.core.permissions import require_perm
from planning.models import Goal, Objective
from planning.services.bulk import BulkResult, loaded_foreign_keys
from planning.services.versions import change, lock_open_plan


class _Lookups:
    """What _validate_indicator asks, answered from the plan read once."""

    foreign_keys = ("goal", "objective", "unit", "responsible", "plan")

    def loaded_foreign_keys(self, indicator):
        return loaded_foreign_keys(indicator, self.foreign_keys)

    def __init__(self, plan, writes):
        self.entity = Entity.current()
        self.plan_of_objective = dict(Objective.objects.filter(plan=plan).values_list("pk", "plan"))
        self.plan_of_goal = dict(
            Goal.objects.filter(objective__plan=plan).values_list("pk", "objective__plan")
        )
        # plan id → {code: {pk}}: looked up by code, not scanned (2,000 new indicators
        # scanned the whole set each: 2 million comparisons).
        self.codes = defaultdict(lambda: defaultdict(set))
        for code, pk in Indicator.objects.filter(plan=plan).values_list("code", "pk"):
            self.codes[plan.pk][code].add(pk)

    def plan_id(self, indicator):
        if indicator.objective_id:
            return self.plan_of_objective[indicator.objective_id]
        return self.plan_of_goal[indicator.goal_id]

    def code_taken(self, indicator):
        return bool(self.codes[indicator.plan_id][indicator.code] - {indicator.pk})


def import_indicators(plan, writes, *, by, reason):
    """Create or update indicators of ``plan``'s goals and objectives: ``writes`` is a list
    of (indicator, fields), a new unsaved Indicator(**fields of create_indicator) with {} or
    an existing one with the fields that change (update_indicator). Returns a BulkResult."""
    result = BulkResult(saved=[None] * len(writes))
    if not writes:
        return result
    if any(indicator.pk is None for indicator, _fields in writes):
        require_perm(by, "evaluation.add_indicator")
    with transaction.atomic():
        plan = lock_open_plan(plan)
        lookups = _Lookups(plan, writes)
        created = []
        for index, (indicator, fields) in enumerate(writes):
            if indicator.pk is not None:
                _update(index, indicator, fields, result, by=by, reason=reason)
                continue
            try:
                _validate_indicator(indicator, lookups=lookups)
            except ValidationError as exc:
                result.errors[index] = exc
                continue
            lookups.codes[indicator.plan_id][indicator.code].add(("new", index))
            indicator._change_reason = reason or None
            created.append(indicator)
            result.saved[index] = indicator
        if created:
            create_with_history(created, Indicator, by=by, reason=reason or None)
            result.changes += [change(indicator, "created") for indicator in created]
    return result


def _update(index, indicator, fields, result, *, by, reason):
    try:
        with transaction.atomic():
            result.saved[index] = update_indicator(indicator, by=by, reason=reason, **fields)
    except (ValidationError, PermissionDenied) as exc:
        result.errors[index] = exc


def import_targets(plan, values, *, by, reason):
    """Set targets of indicators of ``plan``: ``values`` maps each indicator to {period id:
    value or None}, as set_targets takes. Indicators without targets yet get theirs in bulk
    with set_targets' checks (the period is the plan's and open, the value fits the field);
    the others go through set_targets. Returns a BulkResult aligned with ``values``' items,
    ``saved[i]`` the {period id: target or None} of set_targets."""
    items = list(values.items())
    result = BulkResult(saved=[None] * len(items))
    if not items:
        return result
    require_perm(by, "evaluation.change_indicatortarget")
    with transaction.atomic():
        plan = lock_open_plan(plan)
        periods = {period.pk: period for period in plan.periods.all()}
        having = set(
            IndicatorTarget.objects.filter(indicator__in=[i for i, _v in items]).values_list(
                "indicator_id", flat=True
            )
        )
        created = []
        for index, (indicator, requested) in enumerate(items):
            if indicator.pk in having:
                try:
                    with transaction.atomic():
                        result.saved[index] = set_targets(
                            indicator, by=by, values=requested, reason=reason
                        )
                except (ValidationError, PermissionDenied) as exc:
                    result.errors[index] = exc
                continue
            targets, errors = _new_targets(indicator, requested, periods)
            if errors:
                result.errors[index] = ValidationError(errors)
                continue
            created += targets
            result.saved[index] = {target.period_id: target for target in targets}
            result.changes += [
                change(f"{indicator} — {target.period.label}", "target", None, target.value)
                for target in targets
            ]
        if created:
            require_perm(by, "evaluation.add_indicatortarget")
            create_with_history(created, IndicatorTarget, by=by, reason=reason or None)
    return result


def _new_targets(indicator, requested, periods):
    """The IndicatorTargets of an indicator without any yet, and set_targets' errors."""
    errors, targets = {}, []
    for period_id, raw in requested.items():
        period = periods.get(getattr(period_id, "pk", period_id))
        if period is None:
            _add_error(errors, "period", _not_in_plan(period_id))
            continue
        value = _to_value(raw, "value", IndicatorTarget, period.label, errors)
        if value is None:
            continue
        if period.locked:
            _add_error(errors, "period", _locked_period(period))
            continue
        target = IndicatorTarget(indicator=indicator, period=period, value=value)
        target.full_clean(
            exclude=["indicator", "period"], validate_unique=False, validate_constraints=False
        )
        targets.append(target)
    return targets, errors
