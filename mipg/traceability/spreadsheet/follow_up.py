"""The follow-up workbook of a plan at a period (seguimiento): per action planned vs
executed progress, per indicator target vs approved measurement, per allocation its budget
execution. One sheet each, written by the lists' XLSX export (mipg.core.exports)."""

from django.utils.translation import gettext_lazy as _

from evaluation.selectors import SemaforoState, indicator_results, indicators_of_plan
from management.selectors.budget import STAGE_LABELS, BudgetTotals, allocation_rows
from management.selectors.physical import (
    physical_compliance,
    planned_progress,
    with_physical_progress,
    with_planned_progress,
)
from mipg.core.exports import MONEY, NUMBER, PERCENT, Column
from planning.selectors import live_actions

ACTION_COLUMNS = [
    Column(_("Código objetivo"), "goal.objective.code"),
    Column(_("Código meta"), "goal.code"),
    Column(_("Código actividad"), "code"),
    Column(_("Actividad"), "name"),
    Column(_("Dependencia"), "unit.name"),
    Column(_("Avance programado (%)"), "planned", PERCENT),
    Column(_("Avance ejecutado (%)"), "physical_progress", PERCENT),
    Column(_("Cumplimiento (%)"), "compliance", PERCENT),
]
# An indicator and its IndicatorResult per row; the dashboard's export shares them.
INDICATOR_RESULT_COLUMNS = [
    Column(_("Código"), lambda row: row[0].code),
    Column(_("Indicador"), lambda row: row[0].name),
    Column(_("Meta"), lambda row: row[1].target, NUMBER),
    Column(_("Ejecutado"), lambda row: row[1].executed, NUMBER),
    Column(_("Cumplimiento (%)"), lambda row: row[1].compliance, PERCENT),
    Column(_("Semáforo"), lambda row: SemaforoState(row[1].state).label),
]
BUDGET_COLUMNS = [
    Column(_("Código actividad"), "action.code"),
    Column(_("Rubro"), "rubro"),
    Column(_("Fuente"), "source.name"),
    Column(_("Vigencia"), "year", NUMBER),
    Column(_("Apropiación inicial"), "appropriation", MONEY),
    Column(_("Modificaciones"), "modifications", MONEY),
    Column(_("Apropiación definitiva"), "definitive", MONEY),
    *(
        Column(str(STAGE_LABELS[stage]), stage, MONEY)
        for stage in ("cdp", "commitment", "obligation", "payment")
    ),
    Column(_("Compromiso (%)"), lambda row: BudgetTotals.of(row).commitment_percent, PERCENT),
]


def _actions(plan, period):
    actions = live_actions(plan).in_tree_order().select_related("goal__objective", "unit")
    actions = with_physical_progress(with_planned_progress(actions, as_of=period), as_of=period)
    for action in actions.iterator(chunk_size=2000):
        action.planned = planned_progress(action, period)
        action.compliance = physical_compliance(action.physical_progress, action.planned)
        yield action


def follow_up_sheets(plan, period):
    """[(title, rows, columns)] of the follow-up of ``plan`` at ``period`` (cumulative to
    it), for ``mipg.core.exports.xlsx_workbook_response``."""
    indicators = list(indicators_of_plan(plan).order_by("code"))
    results = indicator_results(indicators, period=period, cumulative=True)
    budget = allocation_rows().filter(action__in=live_actions(plan))
    return [
        (_("Avance físico"), _actions(plan, period), ACTION_COLUMNS),
        (_("Indicadores"), [(i, results[i.pk]) for i in indicators], INDICATOR_RESULT_COLUMNS),
        (_("Ejecución presupuestal"), budget.iterator(chunk_size=2000), BUDGET_COLUMNS),
    ]
