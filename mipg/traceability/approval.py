"""Approving a plan (MIPG.md §5): refused while its integrity report has errors.

The integrity report reads evaluation (indicators, targets) and management (budget), so
the check cannot live in planning's `approve_plan` (planning imports no floor above it).
This floor composes both: lock the plan, run the report, refuse listing its errors, else
call planning's service. The approval page and the API's plan approval both go through
`approve_plan_checked`; nothing else calls `planning.services.approve_plan`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mipg.core.permissions import require_perm
from mipg.traceability.integrity import ERROR, integrity_report
from planning import services
from planning.models import StrategicPlan


def blocking_findings(plan):
    """The integrity findings that block approval (errors), in the report's order."""
    return [finding for finding in integrity_report(plan) if finding.severity == ERROR]


def approve_plan_checked(plan, *, by):
    """Approve `plan` (planning.services.approve_plan) unless its integrity report has
    errors; the ValidationError lists them after a one-line summary."""
    require_perm(by, "planning.approve_strategicplan", _("Solo la alta dirección aprueba planes."))
    with transaction.atomic():
        # Every write to the plan's content locks the plan row first: the tree cannot change
        # between the check and the approval.
        StrategicPlan.objects.select_for_update().get(pk=plan.pk)
        errors = blocking_findings(plan)
        if errors:
            raise ValidationError(
                [
                    _(
                        "No se puede aprobar el plan «%(plan)s»: su informe de integridad "
                        "tiene %(count)s error(es)."
                    )
                    % {"plan": plan.name, "count": len(errors)},
                    *(finding.message_es for finding in errors),
                ]
            )
        return services.approve_plan(plan, by=by)
