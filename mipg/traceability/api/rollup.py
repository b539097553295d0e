"""GET /api/v1/plans/{id}/rollup/: the plan roll-up of mipg.traceability.rollup.rollup_of
(``plan_rollup``, or ``strategic_rollup`` for a plan served by others) — physical progress,
budget execution and semáforo per level, side by side."""

import decimal
from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from evaluation.selectors import PLAN_SCOPE, YEAR_SCOPE, SemaforoState
from management.selectors.budget import STAGES
from management.selectors.physical import PhysicalState, percent
from mipg.core.api.views import ApiViewSet
from mipg.traceability.rollup import rollup_of
from planning.models import ReportingPeriod, StrategicPlan
from planning.selectors import default_cutoff_period

DEPTHS = ("plan", "objectives", "goals", "actions")


def _decimal(**kwargs):
    return serializers.DecimalField(max_digits=None, decimal_places=2, **kwargs)


class RollupQuerySerializer(serializers.Serializer):
    period = serializers.PrimaryKeyRelatedField(
        queryset=ReportingPeriod.objects.all(),
        required=False,
        help_text=(
            "Periodo de corte (del plan); por omisión el último periodo del plan que ya "
            "comenzó (nunca uno futuro). En un plan al que sirven otros (un PEI), cada plan "
            "que le sirve se toma en su último periodo iniciado a la fecha de fin de este "
            "(o a hoy, si es anterior), con los mismos cumulative y scope."
        ),
    )
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="Vigencia del presupuesto; por omisión todas.",
    )
    cumulative = serializers.BooleanField(
        default=True,
        help_text="Indicadores acumulados hasta el periodo (true) o solo del periodo (false).",
    )
    scope = serializers.ChoiceField(
        choices=[(PLAN_SCOPE, "plan"), (YEAR_SCOPE, "year")],
        default=PLAN_SCOPE,
        help_text=(
            "Acumulado desde el inicio del plan (plan: toda la vigencia de un plan plurianual) "
            "o desde el inicio del año del corte (year)."
        ),
    )
    depth = serializers.ChoiceField(
        choices=[(level, level) for level in DEPTHS],
        default="actions",
        help_text=(
            "Niveles del árbol en la respuesta: plan (solo el plan), objectives (y sus "
            "objetivos), goals (y sus metas) o actions (el árbol completo, por omisión). Los "
            "niveles omitidos llegan como listas vacías; las cifras de los niveles incluidos "
            "son las mismas. Con 20.000 actividades, goals responde una fracción del tamaño y "
            "del tiempo."
        ),
    )


class FinanceSerializer(serializers.Serializer):
    appropriation = _decimal(help_text="Apropiación inicial.")
    modifications = _decimal(help_text="Neto de modificaciones presupuestales.")
    definitive = _decimal(help_text="Apropiación definitiva = inicial + modificaciones.")
    cdp = _decimal()
    commitment = _decimal(help_text="Compromisos / RP.")
    obligation = _decimal()
    payment = _decimal()
    cdp_pct = _decimal(
        allow_null=True, help_text="% de la apropiación definitiva; null sin presupuesto."
    )
    commitment_pct = _decimal(allow_null=True)
    obligation_pct = _decimal(allow_null=True)
    payment_pct = _decimal(allow_null=True)


class SemaforoSerializer(serializers.Serializer):
    compliance = _decimal(
        allow_null=True,
        help_text=(
            "Cumplimiento ponderado por el árbol (indicadores por igual, metas por su "
            "ponderación en el objetivo, objetivos en el plan), cada indicador topado a 0–100; "
            "un indicador sin reporte cuenta 0."
        ),
    )
    state = serializers.ChoiceField(choices=SemaforoState.choices)
    indicators = serializers.IntegerField()
    unreported = serializers.IntegerField(help_text="Indicadores sin reporte (cuentan 0).")


class NodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)
    weight = _decimal()
    physical = _decimal(help_text="Avance físico ponderado (%), solo con reportes aprobados.")
    planned = _decimal(
        allow_null=True,
        help_text=(
            "Avance físico programado (%) al corte: la programación de la actividad o, sin "
            "ella, la fracción transcurrida de sus fechas; promedio ponderado en los niveles "
            "superiores. null sin periodo de corte."
        ),
    )
    physical_compliance = _decimal(
        allow_null=True,
        help_text=(
            "Cumplimiento físico = ejecutado ÷ programado × 100: sin topar en la actividad, "
            "topado a 100 en meta, objetivo y plan; null cuando no hay nada programado."
        ),
    )
    physical_state = serializers.ChoiceField(
        choices=PhysicalState.choices, help_text="Semáforo del cumplimiento físico."
    )
    has_report = serializers.BooleanField()
    has_children = serializers.BooleanField()
    financial = FinanceSerializer()
    semaforo = SemaforoSerializer(allow_null=True)


class IndicatorResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    goal = serializers.IntegerField(allow_null=True)
    objective = serializers.IntegerField(allow_null=True)
    executed = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True)
    target = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True)
    compliance = _decimal(allow_null=True, help_text="Cumplimiento (%) sin topar.")
    state = serializers.ChoiceField(choices=SemaforoState.choices)
    explanation = serializers.CharField(
        help_text="La fórmula aplicada con las cifras, p. ej. «(100 − 95) / (100 − 75) = 20 %»."
    )
    unreported = serializers.IntegerField(
        help_text="Periodos con meta y sin valor aprobado que contaron 0."
    )
    last_reported_period = serializers.CharField(
        allow_null=True, help_text="Sin reporte en el corte: periodo del último dato aprobado."
    )
    last_reported_value = serializers.DecimalField(
        max_digits=None, decimal_places=4, allow_null=True, help_text="Último dato (informativo)."
    )


class PeriodRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class SemaforoCountsSerializer(serializers.Serializer):
    verde = serializers.IntegerField()
    amarillo = serializers.IntegerField()
    rojo = serializers.IntegerField()
    sin_meta = serializers.IntegerField()
    sin_reporte = serializers.IntegerField()
    sin_linea_base = serializers.IntegerField()


class PlanRollupSerializer(serializers.Serializer):
    period = PeriodRefSerializer(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    cumulative = serializers.BooleanField()
    scope = serializers.CharField()
    semaforo_counts = SemaforoCountsSerializer()
    plan = NodeSerializer()
    objectives = NodeSerializer(many=True)
    goals = NodeSerializer(many=True)
    actions = NodeSerializer(many=True)
    indicators = IndicatorResultSerializer(many=True)


# A node of the tree comes rendered as NodeSerializer renders it (its numbers by
# ``_decimal_json``): 20,000 actions went through DRF's field machinery one by one, then
# through a second pass. PlanRollupSerializer still documents the schema and renders the
# rest of the answer; rendering a rendered node again gives the same node, and
# tests/traceability/test_api_trace_rollup.py checks both give the same JSON.
NODE_LEVELS = ("objectives", "goals", "actions")
CENT = Decimal("0.01")
_CONTEXT = decimal.getcontext().copy()  # the field quantizes in a copy of the default
FINANCE_AMOUNTS = ("appropriation", "modifications", "definitive", *STAGES)


def _decimal_json(value):
    """``_decimal().to_representation(value)`` (two decimals, rounded half to even, as a
    string; None stays None) without the field's context copy per number: a 20,000-action
    tree has about 400,000 of them."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value).strip())
    return f"{value.quantize(CENT, context=_CONTEXT):f}"


def _finance(node):
    data = {name: _decimal_json(getattr(node, name)) for name in FINANCE_AMOUNTS}
    for name in STAGES:
        data[f"{name}_pct"] = _decimal_json(percent(getattr(node, f"{name}_pct")))
    return data


def _semaforo(summary):
    if summary is None:
        return None
    return {
        "compliance": _decimal_json(percent(summary.compliance)),
        "state": str(summary.state),
        "indicators": int(summary.indicators),
        "unreported": int(summary.unreported),
    }


def _node(physical, financial, semaforo=None):
    """NodeSerializer's rendering of a node: physical, financial and semáforo figures."""
    return {
        "id": int(physical.id),
        "code": str(physical.code),
        "name": str(physical.name),
        "parent": None if physical.parent_id is None else int(physical.parent_id),
        "weight": _decimal_json(physical.weight),
        "physical": _decimal_json(percent(physical.physical)),
        "planned": _decimal_json(percent(physical.planned)),
        "physical_compliance": _decimal_json(percent(physical.compliance)),
        "physical_state": str(physical.state),
        "has_report": bool(physical.has_report),
        "has_children": bool(physical.has_children),
        "financial": _finance(financial),
        "semaforo": _semaforo(semaforo),
    }


def rollup_data(rollup, *, year, cumulative, scope=PLAN_SCOPE, depth="actions"):
    """The dict PlanRollupSerializer renders (no queries), with the tree's levels down to
    `depth` (DEPTHS); the levels below are empty lists."""
    physical, financial = rollup.physical, rollup.financial
    shown = DEPTHS[: DEPTHS.index(depth) + 1]
    period = rollup.period
    return {
        "period": None
        if period is None
        else {
            "id": period.pk,
            "label": period.label,
            "start_date": period.start_date,
            "end_date": period.end_date,
        },
        "year": year,
        "cumulative": cumulative,
        "scope": scope,
        "semaforo_counts": {str(state): count for state, count in rollup.semaforo_counts.items()},
        "plan": _node(physical.plan, financial.plan, rollup.plan_semaforo),
        "objectives": [
            _node(node, financial.objectives[pk], rollup.objective_semaforo.get(pk))
            for pk, node in physical.objectives.items()
            if "objectives" in shown
        ],
        "goals": [
            _node(node, financial.goals[pk], rollup.goal_semaforo.get(pk))
            for pk, node in physical.goals.items()
            if "goals" in shown
        ],
        "actions": [
            _node(node, financial.actions[pk])
            for pk, node in physical.actions.items()
            if "actions" in shown
        ],
        "indicators": [
            {
                "id": indicator.pk,
                "code": indicator.code,
                "name": indicator.name,
                "goal": indicator.goal_id,
                "objective": indicator.objective_id,
                "executed": result.executed if result else None,
                "target": result.target if result else None,
                "compliance": result.compliance if result else None,
                "state": result.state if result else SemaforoState.NO_TARGET,
                "explanation": result.explanation if result else "",
                "unreported": result.unreported if result else 0,
                "last_reported_period": result.last_reported[0]
                if result and result.last_reported
                else None,
                "last_reported_value": result.last_reported[1]
                if result and result.last_reported
                else None,
            }
            for indicator, result in rollup.indicators.values()
        ],
    }


def rollup_json(data):
    """PlanRollupSerializer(data).data for the dict of ``rollup_data``, whose tree levels
    are rendered already (``_node``)."""
    body = PlanRollupSerializer({**data, **dict.fromkeys(NODE_LEVELS, [])}).data
    for level in NODE_LEVELS:
        body[level] = data[level]
    return body


class PlanRollupViewSet(ApiViewSet):
    """Routed under plans/: only the detail action rollup."""

    queryset = StrategicPlan.objects.all()
    filter_backends = []

    @extend_schema(
        summary="Avance consolidado del plan",
        description=(
            "Avance físico ejecutado (solo reportes aprobados) y programado al corte, con su "
            "cumplimiento (ejecutado ÷ programado) y semáforo; ejecución presupuestal "
            "(apropiación, CDP, compromiso, obligación y pago, con % de la apropiación) y "
            "semáforo de indicadores por plan, objetivo, meta y actividad, lado a lado y nunca "
            "mezclados; y el conteo de indicadores por estado del semáforo. Mismos cálculos "
            "que los tableros."
        ),
        parameters=[RollupQuerySerializer],
        responses=PlanRollupSerializer,
    )
    @action(detail=True, methods=["get"])
    def rollup(self, request, pk=None):
        plan = self.get_object()
        query = RollupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data.get("period")
        if period is not None and period.plan_id != plan.pk:
            raise ValidationError({"period": [_("El periodo no pertenece a este plan.")]})
        if period is None:
            period = default_cutoff_period(plan)
        year, cumulative = query.validated_data.get("year"), query.validated_data["cumulative"]
        scope, depth = query.validated_data["scope"], query.validated_data["depth"]
        rollup = rollup_of(
            plan,
            period=period,
            cumulative=cumulative,
            year=year,
            scope=scope,
            actions=depth == "actions",
        )
        data = rollup_data(rollup, year=year, cumulative=cumulative, scope=scope, depth=depth)
        return Response(rollup_json(data))
