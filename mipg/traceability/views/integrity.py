"""The integrity report of a plan as a page: findings grouped by severity, each linking to
the object it is about; and the plan's approval page, which lists the errors that block
the approval (mipg.traceability.approval)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mipg.core.permissions import require_perm
from mipg.core.views.history import link_for
from mipg.core.web import crumbs_for
from mipg.traceability.approval import approve_plan_checked, blocking_findings
from mipg.traceability.integrity import ERROR, WARNING, integrity_report
from planning.models import StrategicPlan

KIND_LABELS = {
    "objective_without_goals": gettext_lazy("Objetivo sin metas"),
    "goal_without_actions": gettext_lazy("Meta sin actividades"),
    "objective_without_indicators": gettext_lazy("Objetivo sin indicadores"),
    "action_without_budget": gettext_lazy("Actividad sin presupuesto"),
    "action_without_unit": gettext_lazy("Actividad sin dependencia"),
    "weights_not_100": gettext_lazy("Ponderaciones que no suman 100"),
    "action_dates_outside_plan": gettext_lazy("Fechas fuera de la vigencia"),
    "plan_without_periods": gettext_lazy("Plan sin periodos"),
    "indicator_without_target": gettext_lazy("Indicador sin meta programada"),
    "indicator_without_targets": gettext_lazy("Indicador sin metas"),
    "objective_not_aligned": gettext_lazy("Objetivo sin alinear"),
    "goal_not_aligned": gettext_lazy("Meta sin alinear"),
}
SEVERITIES = [
    (ERROR, gettext_lazy("Errores"), "danger"),
    (WARNING, gettext_lazy("Advertencias"), "warning"),
]


@login_required
def plan_integrity(request, pk):
    require_perm(request.user, "planning.view_strategicplan")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    findings = integrity_report(plan)
    groups = []
    for severity, label, css in SEVERITIES:
        rows = [
            {
                "finding": finding,
                "kind": KIND_LABELS.get(finding.kind, finding.kind),
                "url": link_for(finding.obj),
            }
            for finding in findings
            if finding.severity == severity
        ]
        groups.append({"severity": severity, "label": label, "css": css, "rows": rows})
    return render(
        request,
        "traceability/plan_integrity.html",
        {
            "plan": plan,
            "groups": groups,
            "total": len(findings),
            "crumbs": crumbs_for(plan, last=_("Integridad")),
        },
    )


@login_required
def plan_approve(request, pk):
    """GET: the confirmation, or the errors of the integrity report that block the approval
    (each linking to its item); POST: approve through `approve_plan_checked`."""
    require_perm(request.user, "planning.approve_strategicplan")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    errors = []
    if request.method == "POST":
        try:
            approve_plan_checked(plan, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Se aprobó el plan «%(plan)s».") % {"plan": plan.name})
            return redirect(plan)
    title = _("Aprobar plan")
    blocking = [
        {"finding": finding, "kind": KIND_LABELS.get(finding.kind), "url": link_for(finding.obj)}
        for finding in blocking_findings(plan)
    ]
    return render(
        request,
        "traceability/plan_approve.html",
        {
            "plan": plan,
            "title": title,
            "errors": [] if blocking else errors,
            "blocking": blocking,
            "question": _(
                "¿Aprobar el plan «%(plan)s»? Quedará como la versión oficial que las "
                "dependencias ejecutan y reportan."
            )
            % {"plan": plan.name},
            "cancel_url": plan.get_absolute_url(),
            "crumbs": crumbs_for(plan, last=title),
        },
    )
