from rest_framework import serializers

from mipg.core.api.serializers import PublicFieldsMixin, WriteSerializer, text_field
from planning.filters import PUBLIC_PLAN_STATUSES
from planning.models import Action, Goal, Objective, ReportingPeriod, StrategicPlan

# --- Reads -----------------------------------------------------------------------------


class PlanSerializer(PublicFieldsMixin, serializers.ModelSerializer):
    """Un plan (estratégico, de acción, de desarrollo). Sin token, `approved_by` es null, y
    `parent` también cuando el plan al que sirve no está publicado."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        parent = instance.parent
        hidden = parent is not None and parent.status not in PUBLIC_PLAN_STATUSES
        if hidden and not self.context.get("internal", False):
            data["parent"] = None
        return data

    class Meta:
        model = StrategicPlan
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "start_year",
            "end_year",
            "status",
            "parent",
            "approved_by",
            "approved_at",
            "created_at",
        ]
        internal_fields = ["approved_by"]


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = ["id", "plan", *Objective.writable_fields, "position", "archived"]


class GoalSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="objective.plan_id", read_only=True)

    class Meta:
        model = Goal
        fields = ["id", "plan", "objective", *Goal.writable_fields, "position", "archived"]


class ActionSerializer(PublicFieldsMixin, serializers.ModelSerializer):
    """Una actividad del plan de acción. `responsible` es null sin token."""

    plan = serializers.IntegerField(source="goal.objective.plan_id", read_only=True)
    objective = serializers.IntegerField(source="goal.objective_id", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "objective",
            "goal",
            *Action.writable_fields,
            "position",
            "archived",
        ]
        internal_fields = ["responsible"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "plan", "label", "start_date", "end_date", "due_date", "locked"]


# --- Writes (input of the services) ----------------------------------------------------

PLAN_CHANGE_REASON_HELP = (
    "Motivo del cambio: obligatorio cuando el plan está aprobado y el cambio toca "
    "ponderaciones, fechas o elementos (crear, archivar, desarchivar o eliminar objetivos, "
    "metas y actividades; crear periodos e indicadores); queda en una nueva versión del plan."
)


def reason_field():
    return text_field(
        required=False, allow_blank=True, write_only=True, help_text=PLAN_CHANGE_REASON_HELP
    )


class PlanChangeSerializer(serializers.Serializer):
    """Body of archive/unarchive and query of delete: the reason of the change."""

    reason = text_field(
        required=False, allow_blank=True, default="", help_text=PLAN_CHANGE_REASON_HELP
    )


class PlanWriteSerializer(WriteSerializer):
    reason = reason_field()

    class Meta:
        model = StrategicPlan
        fields = [*StrategicPlan.writable_fields, "reason"]


class ObjectiveCreateSerializer(WriteSerializer):
    reason = reason_field()

    class Meta:
        model = Objective
        fields = ["plan", *Objective.writable_fields, "reason"]
        extra_kwargs = {"weight": {"required": True}}


class ObjectiveUpdateSerializer(WriteSerializer):
    reason = reason_field()

    class Meta:
        model = Objective
        fields = [*Objective.writable_fields, "reason"]


class GoalCreateSerializer(WriteSerializer):
    reason = reason_field()

    class Meta:
        model = Goal
        fields = ["objective", *Goal.writable_fields, "reason"]
        extra_kwargs = {"weight": {"required": True}}


class GoalUpdateSerializer(WriteSerializer):
    reason = reason_field()

    class Meta:
        model = Goal
        fields = [*Goal.writable_fields, "reason"]


class ActionCreateSerializer(WriteSerializer):
    reason = reason_field()

    class Meta:
        model = Action
        fields = ["goal", *Action.writable_fields, "reason"]
        extra_kwargs = {
            "weight": {"required": True},
            "unit": {"help_text": "Vacío: la dependencia de la meta."},
        }


class ActionUpdateSerializer(WriteSerializer):
    reason = reason_field()

    class Meta:
        model = Action
        fields = [*Action.writable_fields, "reason"]


class UnlockPeriodSerializer(serializers.Serializer):
    reason = text_field(
        help_text="Por qué se vuelve a abrir el periodo: obligatorio, queda en su historial."
    )


class PeriodCreateSerializer(WriteSerializer):
    reason = reason_field()

    class Meta:
        model = ReportingPeriod
        fields = ["plan", "label", "start_date", "end_date", "due_date", "reason"]
