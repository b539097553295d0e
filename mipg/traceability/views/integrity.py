"""The integrity report of a plan as a page: findings grouped by severity, each linking to
the object it is about."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mipg.core.permissions import require_perm
from mipg.core.views.history import link_for
from mipg.core.web import crumbs_for
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
