"""Bulk writes of budget allocations, for imports (mipg.traceability's Plan de Acción
spreadsheet): create_allocation's rules (_allocation_errors), the permission checked once,
the plan locked once, history rows written in bulk with the import's reason as their change
reason. Like planning.services.bulk, a refused item does not stop the others: the call saves
what passes and returns the problems of the rest; the caller rolls back when there is any.
Changes to existing allocations get update_allocation's rules too (_allocation_errors,
with their executions and modifications read for all of them in two aggregate queries,
``_recorded_against``), the changed rows locked in one query, saved with bulk_update
and their "~" history rows copied in bulk.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from management.models import BudgetAllocation
from management.services import ALLOCATION_FIELDS, _allocation_errors, _recorded_against
from mipg.core.history import create_with_history, update_with_history
from mipg.core.permissions import require_perm
from planning.services.bulk import BulkResult, clean_after_fields, loaded_foreign_keys
from planning.services.versions import lock_open_plan

FOREIGN_KEYS = ["action", "source"]


def import_allocations(plan, writes, *, by, reason):
    """Create or update allocations of actions of ``plan``: ``writes`` is a list of
    (allocation, fields), a new unsaved BudgetAllocation (action, source, year, rubro,
    appropriation, bpin set) with {} or an existing one with the fields that change.
    Returns a BulkResult."""
    result = BulkResult(saved=[None] * len(writes))
    if not writes:
        return result
    for _allocation, fields in writes:
        unknown = set(fields) - ALLOCATION_FIELDS
        if unknown:
            raise TypeError(f"BudgetAllocation does not accept {sorted(unknown)}")
    if any(allocation.pk is None for allocation, _fields in writes):
        require_perm(by, "management.add_budgetallocation")
    changing = [allocation.pk for allocation, _fields in writes if allocation.pk is not None]
    refused = None
    if changing:
        try:
            require_perm(by, "management.change_budgetallocation")
        except PermissionDenied as exc:
            refused = exc
    with transaction.atomic():
        plan = lock_open_plan(plan)
        keys = set(
            BudgetAllocation.objects.filter(action__goal__objective__plan=plan).values_list(
                "action_id", "source_id", "year", "rubro"
            )
        )
        if changing and refused is None:
            current = _lock_rows(changing)
            recorded = _recorded_against(changing)
        created, updated, names = [], [], set()
        for index, (allocation, fields) in enumerate(writes):
            if allocation.pk is not None:
                if refused is not None:
                    result.errors[index] = refused
                    continue
                try:
                    _check_change(allocation, fields, current, plan, keys, recorded)
                except ValidationError as exc:
                    result.errors[index] = exc
                    continue
                allocation._change_reason = reason or None
                updated.append(allocation)
                names |= set(fields)
                result.saved[index] = allocation
                continue
            try:
                _check_new(allocation, plan, keys)
            except ValidationError as exc:
                result.errors[index] = exc
                continue
            keys.add(_key(allocation))
            allocation._change_reason = reason or None
            created.append(allocation)
            result.saved[index] = allocation
        if updated:
            # A save with nothing changed still writes its history.
            names = sorted(names) or ["appropriation"]
            update_with_history(updated, BudgetAllocation, names, by=by, reason=reason or None)
        if created:
            create_with_history(created, BudgetAllocation, by=by, reason=reason or None)
    return result


def _lock_rows(ids):
    """Lock the rows ``ids`` (in id order, as one update_allocation after another does)
    and return {id: {attname: value}} as they are in the database."""
    attnames = [field.attname for field in BudgetAllocation._meta.concrete_fields]
    rows = (
        BudgetAllocation._base_manager.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values(*attnames)
    )
    return {row["id"]: row for row in rows}


def _check_change(allocation, fields, current, plan, keys, recorded):
    """update_allocation's rules for ``allocation`` given the ``fields`` that change: the
    row reloaded as locked, the fields set (rubro and BPIN stripped), _allocation_errors
    with the plan, the taken ``keys`` and what is recorded against it from memory. On
    success ``keys`` holds the allocation's new key instead of its old one."""
    row = current[allocation.pk]
    for attname, value in row.items():
        setattr(allocation, attname, value)
    old = _key(allocation)
    for name, value in fields.items():
        if name in {"rubro", "bpin"}:
            value = (value or "").strip()
        setattr(allocation, name, value)
    loaded = loaded_foreign_keys(allocation, FOREIGN_KEYS)
    allocation.clean_fields(exclude=loaded)
    new = _key(allocation)
    errors = _allocation_errors(
        allocation,
        changed=set(fields),
        plan=plan,
        duplicate=new != old and new in keys,
        recorded=recorded,
    )
    if errors:
        raise ValidationError(errors)
    clean_after_fields(allocation)
    keys.discard(old)
    keys.add(new)


def _key(allocation):
    return (allocation.action_id, allocation.source_id, allocation.year, allocation.rubro)


def _check_new(allocation, plan, keys):
    """create_allocation's checks, with the plan and the taken keys in memory."""
    allocation.rubro = (allocation.rubro or "").strip()
    allocation.bpin = (allocation.bpin or "").strip()
    if allocation.action.archived:
        raise ValidationError(
            _("La actividad «%(action)s» está archivada; no admite nuevas asignaciones.")
            % {"action": allocation.action}
        )
    loaded = loaded_foreign_keys(allocation, FOREIGN_KEYS)
    allocation.clean_fields(exclude=loaded)
    errors = _allocation_errors(
        allocation, changed=None, plan=plan, duplicate=_key(allocation) in keys
    )
    if errors:
        raise ValidationError(errors)
    clean_after_fields(allocation)
