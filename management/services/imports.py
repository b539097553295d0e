"""Bulk writes of budget allocations, for imports (mipg.traceability's Plan de Acción
spreadsheet): create_allocation's rules (_allocation_errors), the permission checked once,
the plan locked once, history rows written in bulk with the import's reason as their change
reason. Like planning.services.bulk, a refused item does not stop the others: the call saves
what passes and returns the problems of the rest; the caller rolls back when there is any.
Changes to existing allocations go through update_allocation (their executions and
modifications are checked), one savepoint each: an import mostly creates or leaves alone.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from management.models import BudgetAllocation
from management.services import _allocation_errors, update_allocation
from mipg.core.history import create_with_history
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
    if any(allocation.pk is None for allocation, _fields in writes):
        require_perm(by, "management.add_budgetallocation")
    with transaction.atomic():
        plan = lock_open_plan(plan)
        keys = set(
            BudgetAllocation.objects.filter(action__goal__objective__plan=plan).values_list(
                "action_id", "source_id", "year", "rubro"
            )
        )
        created = []
        for index, (allocation, fields) in enumerate(writes):
            if allocation.pk is not None:
                try:
                    with transaction.atomic():
                        result.saved[index] = update_allocation(
                            allocation, by=by, reason=reason, **fields
                        )
                except (ValidationError, PermissionDenied) as exc:
                    result.errors[index] = exc
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
        if created:
            create_with_history(created, BudgetAllocation, by=by, reason=reason or None)
    return result


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
