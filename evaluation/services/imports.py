"""Bulk writes of indicators and their targets, for imports (mipg.traceability's Plan de
Acción spreadsheet): create_indicator's and set_targets' rules, permissions checked once,
the plan locked once, history rows written in bulk with the import's reason as their change
reason. Like planning.services.bulk, a refused item does not stop the others: each call
saves what passes and returns the problems of the rest; the caller rolls back when there is
any. Changes to existing indicators and targets get update_indicator's and set_targets'
rules in bulk too (``_update_all``, ``import_targets``), their versioned changes returned
for the caller's one plan version (the single services make one version each); an
indicator of another plan, or moved out of it, goes through the single services.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from evaluation.models import Indicator, IndicatorTarget, Measurement
from evaluation.services import (
    BASELINE_FIELDS,
    _copy_fields,
    _snapshot,
    _validate_indicator,
    baseline_needs_reason,
    check_indicator_fields,
    set_targets,
    target_changes,
    update_indicator,
)
from mipg.core.history import create_with_history, update_with_history
from mipg.core.models import Entity, ReviewStatus
from mipg.core.permissions import require_perm
from planning.models import Goal, Objective, ReportingPeriod
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

    def recode(self, indicator, old_code):
        """Record a saved change of ``indicator``'s code, for the next code_taken."""
        if indicator.code != old_code:
            self.codes[indicator.plan_id][old_code].discard(indicator.pk)
            self.codes[indicator.plan_id][indicator.code].add(indicator.pk)

    def serves_plan(self, fields):
        """Whether the goal or objective ``fields`` give an indicator (if any) is of the
        plan: moving it to another plan is update_indicator's case."""
        goal, objective = (
            fields.get("goal", fields.get("goal_id")),
            fields.get("objective", fields.get("objective_id")),
        )
        return (goal is None or getattr(goal, "pk", goal) in self.plan_of_goal) and (
            objective is None or getattr(objective, "pk", objective) in self.plan_of_objective
        )


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
        _update_all(plan, writes, result, lookups, by=by, reason=reason)
        created = []
        for index, (indicator, _fields) in enumerate(writes):
            if indicator.pk is not None:
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


def _update_all(plan, writes, result, lookups, *, by, reason):
    """update_indicator's rules for the existing indicators of ``writes``, in bulk: the
    permission checked once, the rows locked in one query, _validate_indicator answered
    from ``lookups``, the approved measurements read once, the changed rows saved with
    bulk_update and their "~" history rows copied in bulk, their versioned changes returned
    in ``result.changes`` for the import's one plan version. An indicator of another plan,
    or moved to a goal or objective outside ``plan``, goes through update_indicator."""
    updates = [(index, item, fields) for index, (item, fields) in enumerate(writes) if item.pk]
    if not updates:
        return
    for _index, _item, fields in updates:
        check_indicator_fields(fields)
    try:
        require_perm(by, "evaluation.change_indicator")
    except PermissionDenied as exc:
        for index, _item, _fields in updates:
            result.errors[index] = exc
        return
    reason = (reason or "").strip()
    current = {
        indicator.pk: indicator
        for indicator in Indicator.objects.select_for_update()
        .filter(pk__in=[item.pk for _index, item, _fields in updates])
        .order_by("pk")
    }
    approved = None  # ids of indicators with an approved measurement, read when needed
    changed, names = [], set()
    for index, item, fields in updates:
        row = current[item.pk]
        if row.plan_id != plan.pk or not lookups.serves_plan(fields):
            _update(index, item, fields, result, by=by, reason=reason)
            continue
        before = _snapshot(row)
        for name, value in fields.items():
            setattr(row, name, value)
        try:
            _validate_indicator(row, lookups=lookups)
        except ValidationError as exc:
            _restore(row, before)
            result.errors[index] = exc
            continue
        after = _snapshot(row)
        differ = [name for name in after if after[name] != before[name]]
        if differ and not reason and any(name in BASELINE_FIELDS for name in differ):
            if approved is None:
                approved = _with_approved_measurements(list(current))
            if row.pk in approved:
                _restore(row, before)
                result.errors[index] = ValidationError({"reason": [baseline_needs_reason()]})
                continue
        if differ:
            lookups.recode(row, before["code"])
            row._change_reason = reason or None
            changed.append(row)
            names |= set(differ)
            result.changes += [
                change(row, name, before[name], after[name])
                for name in BASELINE_FIELDS
                if before[name] != after[name]
            ]
            if before["archived"] != after["archived"]:
                what = "archived" if after["archived"] else "unarchived"
                result.changes.append(change(row, what))
        _copy_fields(item, row)
        result.saved[index] = item
    if changed:
        update_with_history(changed, Indicator, sorted(names), by=by, reason=reason or None)


def _restore(row, before):
    for attname, value in before.items():
        setattr(row, attname, value)


def _with_approved_measurements(ids):
    """The ids among ``ids`` of indicators with an approved measurement."""
    return set(
        Measurement.objects.filter(indicator_id__in=ids, status=ReviewStatus.APPROVED)
        .values_list("indicator_id", flat=True)
        .distinct()
    )


def _update(index, indicator, fields, result, *, by, reason):
    try:
        with transaction.atomic():
            result.saved[index] = update_indicator(indicator, by=by, reason=reason, **fields)
    except (ValidationError, PermissionDenied) as exc:
        result.errors[index] = exc


def import_targets(plan, values, *, by, reason):
    """Set targets of indicators of ``plan``: ``values`` maps each indicator to {period id:
    value or None}, as set_targets takes, with set_targets' rules for each indicator (a
    period of the plan and open for a change, a value that fits the field, a reason to
    change a target of a period with an approved measurement, the permission to add or
    delete), read for all of them at once (``_TargetLookups``) and written in bulk; an
    indicator of another plan goes through set_targets. Returns a BulkResult aligned with
    ``values``' items, ``saved[i]`` the {period id: target or None} of set_targets, and the
    versioned changes for the caller's one plan version."""
    items = list(values.items())
    result = BulkResult(saved=[None] * len(items))
    if not items:
        return result
    require_perm(by, "evaluation.change_indicatortarget")
    reason = (reason or "").strip()
    with transaction.atomic():
        plan = lock_open_plan(plan)
        lookups = _TargetLookups(plan, items)
        writes = _TargetWrites()
        for index, (indicator, requested) in enumerate(items):
            if lookups.plan_of.get(indicator.pk) != plan.pk:
                try:
                    with transaction.atomic():
                        result.saved[index] = set_targets(
                            indicator, by=by, values=requested, reason=reason
                        )
                except (ValidationError, PermissionDenied) as exc:
                    result.errors[index] = exc
                continue
            requested = {getattr(period, "pk", period): v for period, v in requested.items()}
            try:
                changes = target_changes(
                    requested,
                    periods=lookups.periods,
                    plan_id=plan.pk,
                    existing=lookups.existing[indicator.pk],
                    approved=lookups.approved[indicator.pk],
                    by=by,
                    reason=reason,
                )
            except (ValidationError, PermissionDenied) as exc:
                result.errors[index] = exc
                continue
            result.changes += [
                change(f"{indicator} — {period.label}", "target", target and target.value, value)
                for period, target, value in changes
            ]
            result.saved[index] = writes.add(indicator, requested, changes, lookups, reason)
        writes.save(by=by, reason=reason)
    return result


class _TargetLookups:
    """What set_targets reads per indicator, read once for all of ``items``: the plan's
    periods, the indicators (locked) and their plans, their targets (locked) and the
    periods with an approved measurement."""

    def __init__(self, plan, items):
        ids = [indicator.pk for indicator, _requested in items]
        self.plan_id = plan.pk
        self.plan_of = dict(
            Indicator.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "plan_id")
        )
        self.periods = {period.pk: period for period in plan.periods.all()}
        requested = {getattr(p, "pk", p) for _i, values in items for p in values}
        unknown = requested - set(self.periods)
        if unknown:  # named in the message, as set_targets names them
            self.periods.update(ReportingPeriod.objects.in_bulk(list(unknown)))
        # {indicator id: {period id: target}}, {indicator id: {period id with an approved
        # measurement}}
        self.existing, self.approved = defaultdict(dict), defaultdict(set)
        targets = IndicatorTarget.objects.select_for_update().filter(indicator_id__in=ids)
        for target in targets.order_by("pk"):
            self.existing[target.indicator_id][target.period_id] = target
        approved = Measurement.objects.filter(
            indicator_id__in=ids, status=ReviewStatus.APPROVED
        ).values_list("indicator_id", "period_id")
        for indicator_id, period_id in approved:
            self.approved[indicator_id].add(period_id)


class _TargetWrites:
    """The targets to create, change and delete, saved at the end as set_targets saves
    them one by one: the same rows and history rows."""

    def __init__(self):
        self.created, self.updated, self.deleted = [], [], []

    def add(self, indicator, requested, changes, lookups, reason):
        saved = {pk: lookups.existing[indicator.pk].get(pk) for pk in requested}
        for period, target, value in changes:
            if value is None:
                self.deleted.append(target)
                saved[period.pk] = None
                continue
            if target is None:
                target = IndicatorTarget(indicator=indicator, period=period)
                self.created.append(target)
            else:
                self.updated.append(target)
            target.value = value
            target._change_reason = reason or None
            # The value was checked by _to_value; the indicator and period are loaded.
            target.full_clean(
                exclude=["indicator", "period"], validate_unique=False, validate_constraints=False
            )
            saved[period.pk] = target
        return saved

    def save(self, *, by, reason):
        for target in self.deleted:
            target._change_reason = reason or None
            target._history_user = by
            target.delete()
        if self.updated:
            update_with_history(
                self.updated, IndicatorTarget, ["value"], by=by, reason=reason or None
            )
        if self.created:
            create_with_history(self.created, IndicatorTarget, by=by, reason=reason or None)
