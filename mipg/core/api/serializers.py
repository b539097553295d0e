"""Serializers of the reference data, the traceability chain and helpers shared by the
serializers of every app."""

from django.urls import reverse
from django.utils.text import capfirst
from rest_framework import serializers

from mipg.core.models import TEXT_MAX_LENGTH, Dimension, InstitutionalPlan, Policy, Unit

# The workflow fields of a reviewed figure (mipg.core.models.ReviewedFigureBase).
REVIEW_FIELDS = [
    "narrative",
    "status",
    "created_by",
    "created_at",
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
]


class PublicFieldsMixin:
    # Fields listed in Meta.internal_fields (people, workflow data) are null for clients
    # that only see public data (context["internal"] false). A comment, not a docstring:
    # the schema would show it as the description of every serializer using the mixin.

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("internal", False):
            for name in getattr(self.Meta, "internal_fields", ()):
                data[name] = None
        return data


def text_field(**kwargs):
    """A free text of the input (comment, reason), at most TEXT_MAX_LENGTH characters."""
    return serializers.CharField(max_length=TEXT_MAX_LENGTH, **kwargs)


class WriteSerializer(serializers.ModelSerializer):
    # Input of a write: the model's field rules (types, lengths, digits, ranges) without
    # DRF's own uniqueness validators — the services check those, with Spanish messages.
    # The model's TextFields, unlimited in the database, take at most TEXT_MAX_LENGTH
    # characters. (A comment: a docstring would become the description of every request
    # schema.)

    def get_validators(self):
        return []

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if model_field.get_internal_type() == "TextField" and not model_field.choices:
            kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        return field_class, kwargs


class EvidenceFileSerializer(serializers.Serializer):
    # An evidence file of a progress report or measurement; `download_url` streams it (the
    # viewset of the figure is the serializer's view).
    id = serializers.IntegerField(read_only=True)
    original_name = serializers.CharField(read_only=True, help_text="Nombre del archivo cargado.")
    size = serializers.IntegerField(read_only=True, help_text="Tamaño en bytes.")
    uploaded_by = serializers.IntegerField(source="uploaded_by_id", read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="Descarga del archivo con las mismas credenciales (nunca por MEDIA_URL)."
    )

    class Meta:
        ref_name = "EvidenceFile"

    def get_download_url(self, evidence) -> str:
        view, request = self.context["view"], self.context.get("request")
        figure_id = getattr(evidence, f"{view.reviewed.name}_id")
        url = reverse(
            f"api:{view.basename}-evidence-download",
            kwargs={"pk": figure_id, "evidence_pk": evidence.pk},
        )
        return request.build_absolute_uri(url) if request is not None else url


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,
        use_url=False,
        help_text="El archivo (multipart/form-data). Tipos: PDF, imágenes PNG/JPEG, Word, "
        "Excel, OpenDocument, CSV, TXT y ZIP; el contenido debe corresponder a la extensión.",
    )


class ApproveSerializer(serializers.Serializer):
    comment = text_field(
        required=False, allow_blank=True, default="", help_text="Comentario opcional."
    )


class ReturnSerializer(serializers.Serializer):
    comment = text_field(help_text="Por qué se devuelve: obligatorio, lo lee el responsable.")


class ReopenSerializer(serializers.Serializer):
    reason = text_field(
        help_text="Por qué se reabre la cifra aprobada: obligatorio, lo lee el responsable."
    )


class DimensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dimension
        fields = ["id", "code", "name_es", "name_en", "order"]


class PolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = Policy
        fields = ["id", "code", "name_es", "name_en", "dimension", "leader"]


class InstitutionalPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstitutionalPlan
        fields = ["id", "code", "name", "policy", "order"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "parent", "active"]


# --- Traceability ----------------------------------------------------------------------


class TraceNodeSerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text="Recurso: plan, objective, goal, action, indicator, target, measurement, "
        "budget-allocation, budget-execution, progress-report, period, institutional-plan, "
        "policy o dimension."
    )
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="Dirección del elemento en esta API.")
    kind = serializers.CharField(help_text="Nombre del tipo en español («Actividad», «Meta»…).")
    code = serializers.CharField(help_text="Código del elemento; vacío si no tiene.")
    name = serializers.CharField()


class TraceSerializer(serializers.Serializer):
    item = TraceNodeSerializer()
    chain = TraceNodeSerializer(
        many=True,
        help_text="Del elemento hacia arriba: actividad, meta, objetivo, plan, objetivo al que "
        "sirve, planes a los que sirve, planes del Decreto 612, políticas y dimensiones MIPG.",
    )
    plan = TraceNodeSerializer(allow_null=True)
    objective = TraceNodeSerializer(allow_null=True)
    goal = TraceNodeSerializer(allow_null=True)
    action = TraceNodeSerializer(allow_null=True)
    indicator = TraceNodeSerializer(allow_null=True)
    allocation = TraceNodeSerializer(allow_null=True)
    period = TraceNodeSerializer(allow_null=True)
    serves = TraceNodeSerializer(
        allow_null=True,
        help_text="Objetivo del plan superior al que sirve el elemento (alineación): el de la "
        "meta si tiene uno propio, si no el de su objetivo.",
    )
    plan_ancestors = TraceNodeSerializer(many=True)
    institutional_plans = TraceNodeSerializer(many=True)
    policies = TraceNodeSerializer(many=True)
    dimensions = TraceNodeSerializer(many=True)


# Model → the name of its resource in the API (the router's basename).
RESOURCE_NAMES = {
    "planning.strategicplan": "plan",
    "planning.objective": "objective",
    "planning.goal": "goal",
    "planning.action": "action",
    "planning.reportingperiod": "period",
    "evaluation.indicator": "indicator",
    "evaluation.indicatortarget": "target",
    "evaluation.measurement": "measurement",
    "management.budgetallocation": "budget-allocation",
    "management.budgetexecution": "budget-execution",
    "management.budgetmodification": "budget-modification",
    "management.progressreport": "progress-report",
    "mipg.institutionalplan": "institutional-plan",
    "mipg.policy": "policy",
    "mipg.dimension": "dimension",
}


def trace_node(obj, request=None):
    if obj is None:
        return None
    resource = RESOURCE_NAMES[obj._meta.label_lower]
    url = reverse(f"api:{resource}-detail", args=[obj.pk])
    return {
        "type": resource,
        "id": obj.pk,
        "url": request.build_absolute_uri(url) if request is not None else url,
        "kind": str(capfirst(obj._meta.verbose_name)),
        "code": str(getattr(obj, "code", "") or ""),
        "name": str(obj),
    }


def trace_data(trace, request=None):
    """The dict TraceSerializer renders, from a mipg.traceability.Trace (no queries)."""
    roles = ("plan", "objective", "goal", "action", "indicator", "allocation", "period", "serves")
    lists = ("plan_ancestors", "institutional_plans", "policies", "dimensions")

    def node(obj):
        return trace_node(obj, request)

    return {
        "item": node(trace.item),
        "chain": [node(obj) for _label, obj in trace.chain()],
        **{role: node(getattr(trace, role)) for role in roles},
        **{name: [node(obj) for obj in getattr(trace, name)] for name in lists},
    }
