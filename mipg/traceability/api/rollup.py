"""GET /api/v1/plans/{id}/rollup/: the plan roll-up of mipg.traceability.rollup.plan_rollup —
physical progress, budget execution and semáforo per level, side by side."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from evaluation.selectors import SemaforoState
from management.selectors.physical import percent
from mipg.core.api.views import ApiViewSet
from mipg.traceability.rollup import plan_rollup
from planning.models import ReportingPeriod, StrategicPlan
from planning.selectors import default_cutoff_period


def _decimal(**kwargs):
    return serializers.DecimalField(max_digits=None, decimal_places=2, **kwargs)


class RollupQuerySerializer(serializers.Serializer):
    period = serializers.PrimaryKeyRelatedField(
        queryset=ReportingPeriod.objects.all(),
        required=False,
        help_text=(
            "Periodo de corte (del plan); por omisión el último periodo del plan que ya "
            "comenzó (nunca uno futuro)."
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


class FinanceSerializer(serializers.Serializer):
    appropriation = _decimal(help_text="Apropiación.")
    cdp = _decimal()
    commitment = _decimal(help_text="Compromisos / RP.")
    obligation = _decimal()
    payment = _decimal()
    cdp_pct = _decimal(allow_null=True, help_text="% de la apropiación; null sin presupuesto.")
    commitment_pct = _decimal(allow_null=True)
    obligation_pct = _decimal(allow_null=True)
    payment_pct = _decimal(allow_null=True)


class SemaforoSerializer(serializers.Serializer):
    compliance = _decimal(allow_null=True, help_text="Promedio del cumplimiento topado a 100.")
    state = serializers.ChoiceField(choices=SemaforoState.choices)
    indicators = serializers.IntegerField()


class NodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)
    weight = _decimal()
    physical = _decimal(help_text="Avance físico ponderado (%), solo con reportes aprobados.")
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


class PlanRollupSerializer(serializers.Serializer):
    period = PeriodRefSerializer(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    cumulative = serializers.BooleanField()
    semaforo_counts = SemaforoCountsSerializer()
    plan = NodeSerializer()
    objectives = NodeSerializer(many=True)
    goals = NodeSerializer(many=True)
    actions = NodeSerializer(many=True)
    indicators = IndicatorResultSerializer(many=True)


def _finance(node):
    amounts = ("appropriation", "cdp", "commitment", "obligation", "payment")
    data = {name: getattr(node, name) for name in amounts}
    for name in amounts[1:]:
        data[f"{name}_pct"] = percent(getattr(node, f"{name}_pct"))
    return data


def _semaforo(summary):
    if summary is None:
        return None
    return {
        "compliance": percent(summary.compliance),
        "state": summary.state,
        "indicators": summary.indicators,
    }


def _node(physical, financial, semaforo=None):
    return {
        "id": physical.id,
        "code": physical.code,
        "name": physical.name,
        "parent": physical.parent_id,
        "weight": physical.weight,
        "physical": percent(physical.physical),
        "has_report": physical.has_report,
        "has_children": physical.has_children,
        "financial": _finance(financial),
        "semaforo": _semaforo(semaforo),
    }


def rollup_data(rollup, *, year, cumulative):
    """The dict PlanRollupSerializer renders (no queries)."""
    physical, financial = rollup.physical, rollup.financial
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
        "semaforo_counts": {str(state): count for state, count in rollup.semaforo_counts.items()},
        "plan": _node(physical.plan, financial.plan, rollup.plan_semaforo),
        "objectives": [
            _node(node, financial.objectives[pk], rollup.objective_semaforo.get(pk))
            for pk, node in physical.objectives.items()
        ],
        "goals": [
            _node(node, financial.goals[pk], rollup.goal_semaforo.get(pk))
            for pk, node in physical.goals.items()
        ],
        "actions": [_node(node, financial.actions[pk]) for pk, node in physical.actions.items()],
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
            }
            for indicator, result in rollup.indicators.values()
        ],
    }


class PlanRollupViewSet(ApiViewSet):
    """Routed under plans/: only the detail action rollup."""

    queryset = StrategicPlan.objects.all()
    filter_backends = []

    @extend_schema(
        summary="Avance consolidado del plan",
        description=(
            "Avance físico (solo reportes aprobados), ejecución presupuestal (apropiación, CDP, "
            "compromiso, obligación y pago, con % de la apropiación) y semáforo de indicadores "
            "por plan, objetivo, meta y actividad, lado a lado y nunca mezclados; y el conteo de "
            "indicadores por estado del semáforo. Mismos cálculos que los tableros."
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
        rollup = plan_rollup(plan, period=period, cumulative=cumulative, year=year)
        data = rollup_data(rollup, year=year, cumulative=cumulative)
        return Response(PlanRollupSerializer(data).data)
