"""Consistency checks of a plan before it is approved or published.

``integrity_report(plan)`` lists what is missing or contradictory in the plan's tree.
Archived objectives, goals, actions and indicators — and everything under an archived
node — are ignored. Eight queries whatever the size of the plan: the five of
``trace_down`` plus the plan's periods, the (indicator, period) pairs with a target and
whether other plans serve it.

Decisions:

- An objective counts as measured when it has an indicator of its own *or* one of its
  goals has one: the Plan de Acción usually measures objectives through the product
  indicators of their goals, and the check is there to find objectives nobody measures.
- Sibling weights are checked per parent (objectives of the plan, goals of an objective,
  actions of a goal) among non-archived siblings, with a tolerance of 0.01. Parents with
  no non-archived children are reported by the "without …" checks instead.
- "Indicator without target" is checked against every reporting period of the plan; an
  indicator measured less often than the plan reports (e.g. annual in a quarterly plan)
  is reported too, as a warning, so that planning decides whether a target is missing.
  An indicator with no target in any period of the plan is an error
  ("indicator_without_targets"): nothing could ever be compared with it.
- A plan that serves another (``plan.parent``, e.g. a Plan de Acción serving the PEI) must
  say which objective of that plan each of its objectives or goals serves (MIPG.md §3),
  since what is aligned to nothing does not reach the strategic plan's roll-up (warnings).
  An aligned objective covers its goals. An objective aligned to nothing is one warning
  ("objective_not_aligned") unless some of its goals are aligned on their own: then each
  of its goals aligned to nothing is the warning ("goal_not_aligned").
- Errors block the plan's approval (mipg.traceability.approval, MIPG.md §5).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from evaluation.models import IndicatorTarget
from mipg.traceability.subtree import trace_down
from planning.selectors import periods_of

ERROR = "error"
WARNING = "warning"

WEIGHT_TOTAL = Decimal("100")
WEIGHT_TOLERANCE = Decimal("0.01")

# kind → severity. Kinds are stable codes: the UI, the API and tests rely on them.
KINDS = {
    "objective_without_goals": ERROR,
    "goal_without_actions": ERROR,
    "objective_without_indicators": WARNING,
    "action_without_budget": WARNING,
    "action_without_unit": ERROR,
    "weights_not_100": ERROR,
    "action_dates_outside_plan": ERROR,
    "plan_without_periods": WARNING,
    "indicator_without_target": WARNING,
    "indicator_without_targets": ERROR,
    "objective_not_aligned": WARNING,
    "goal_not_aligned": WARNING,
}


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str
    obj: object
    message_es: str


def _finding(kind, obj, message_es):
    return Finding(kind, KINDS[kind], obj, message_es)


def _weights_finding(parent, children, what):
    total = sum((c.weight for c in children), Decimal("0"))
    if abs(total - WEIGHT_TOTAL) <= WEIGHT_TOLERANCE:
        return None
    return _finding(
        "weights_not_100",
        parent,
        _("Las ponderaciones de %(what)s de «%(parent)s» suman %(total)s y deben sumar 100.")
        % {"what": what, "parent": parent, "total": total},
    )


def _alignment_findings(objectives, goals_of):
    """What of a serving plan reaches no objective of the plan it serves."""
    findings = []
    for objective in objectives:
        if objective.serves_id is not None:
            continue
        goals = goals_of[objective.pk]
        if not any(goal.serves_id for goal in goals):
            findings.append(
                _finding(
                    "objective_not_aligned",
                    objective,
                    _(
                        "El objetivo «%(objective)s» no está alineado a ningún objetivo del "
                        "plan al que sirve este plan."
                    )
                    % {"objective": objective},
                )
            )
            continue
        findings += [
            _finding(
                "goal_not_aligned",
                goal,
                _(
                    "La meta «%(goal)s» no está alineada a ningún objetivo del plan al que "
                    "sirve este plan, ni lo está su objetivo."
                )
                % {"goal": goal},
            )
            for goal in goals
            if goal.serves_id is None
        ]
    return findings


def integrity_report(plan):
    """[Finding, ...] for ``plan``: by check, and within a check in tree order."""
    tree = trace_down(plan)
    objectives = [o for o in tree.objectives if not tree.is_archived(o)]
    goals = [g for g in tree.goals if not tree.is_archived(g)]
    actions = [a for a in tree.actions if not tree.is_archived(a)]
    indicators = [i for i in tree.indicators if not tree.is_archived(i)]
    budgeted = {a.action_id for a in tree.allocations}
    periods = list(periods_of(plan))
    targeted = set(
        IndicatorTarget.objects.filter(period__plan=plan).values_list("indicator_id", "period_id")
    )

    goals_of = defaultdict(list)
    for goal in goals:
        goals_of[goal.objective_id].append(goal)
    actions_of = defaultdict(list)
    for action in actions:
        actions_of[action.goal_id].append(action)
    measured_objectives = {i.objective_id for i in indicators if i.objective_id}
    measured_objectives.update(i.goal.objective_id for i in indicators if i.goal_id)

    # A plan served by other plans (a PEI served by its action plans) executes its
    # objectives through them: its objectives need no goals of their own.
    served = plan.children.exists()

    findings = []
    for objective in objectives:
        if not goals_of[objective.pk] and not served:
            findings.append(
                _finding(
                    "objective_without_goals",
                    objective,
                    _("El objetivo «%(objective)s» no tiene metas.") % {"objective": objective},
                )
            )
    for goal in goals:
        if not actions_of[goal.pk]:
            findings.append(
                _finding(
                    "goal_without_actions",
                    goal,
                    _("La meta «%(goal)s» no tiene actividades.") % {"goal": goal},
                )
            )
    for objective in objectives:
        if objective.pk not in measured_objectives:
            findings.append(
                _finding(
                    "objective_without_indicators",
                    objective,
                    _(
                        "El objetivo «%(objective)s» no tiene indicadores, ni propios ni en "
                        "sus metas."
                    )
                    % {"objective": objective},
                )
            )
    for action in actions:
        if action.pk not in budgeted:
            findings.append(
                _finding(
                    "action_without_budget",
                    action,
                    _("La actividad «%(action)s» no tiene presupuesto asignado.")
                    % {"action": action},
                )
            )
    for action in actions:
        if action.unit_id is None:
            findings.append(
                _finding(
                    "action_without_unit",
                    action,
                    _("La actividad «%(action)s» no tiene dependencia responsable.")
                    % {"action": action},
                )
            )

    if plan.parent_id is not None:
        findings += _alignment_findings(objectives, goals_of)

    weight_checks = [(plan, objectives, _("los objetivos"))]
    weight_checks += [(o, goals_of[o.pk], _("las metas")) for o in objectives if goals_of[o.pk]]
    weight_checks += [
        (g, actions_of[g.pk], _("las actividades")) for g in goals if actions_of[g.pk]
    ]
    for parent, children, what in weight_checks:
        if children and (finding := _weights_finding(parent, children, what)):
            findings.append(finding)

    for action in actions:
        if action.start_date.year < plan.start_year or action.end_date.year > plan.end_year:
            years = (
                str(plan.start_year)
                if plan.start_year == plan.end_year
                else f"{plan.start_year}–{plan.end_year}"
            )
            findings.append(
                _finding(
                    "action_dates_outside_plan",
                    action,
                    _(
                        "Las fechas de la actividad «%(action)s» (%(start)s a %(end)s) salen de "
                        "la vigencia del plan (%(years)s)."
                    )
                    % {
                        "action": action,
                        "start": f"{action.start_date:%d/%m/%Y}",
                        "end": f"{action.end_date:%d/%m/%Y}",
                        "years": years,
                    },
                )
            )

    if not periods:
        findings.append(
            _finding(
                "plan_without_periods",
                plan,
                _(
                    "El plan «%(plan)s» no tiene periodos de reporte; no se pueden verificar "
                    "las metas de los indicadores."
                )
                % {"plan": plan},
            )
        )
    for indicator in indicators:
        missing = [p for p in periods if (indicator.pk, p.pk) not in targeted]
        if missing and len(missing) == len(periods):
            findings.append(
                _finding(
                    "indicator_without_targets",
                    indicator,
                    _("El indicador «%(indicator)s» no tiene metas programadas en el plan.")
                    % {"indicator": indicator},
                )
            )
        elif missing:
            labels = ", ".join(p.label for p in missing)
            findings.append(
                _finding(
                    "indicator_without_target",
                    indicator,
                    _("El indicador «%(indicator)s» no tiene meta programada para: %(periods)s.")
                    % {"indicator": indicator, "periods": labels},
                )
            )
    return findings
