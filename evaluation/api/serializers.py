from rest_framework import serializers

from evaluation.models import (
    Indicator,
    IndicatorTarget,
    Measurement,
)
from mipg.core.api.serializers import (
    REVIEW_FIELDS,
    EvidenceFileSerializer,
    WriteSerializer,
    text_field,
)
from planning.api.serializers import reason_field

INDICATOR_FIELDS = [
    "code",
    "name",
    "goal",
    "objective",
    "type",
    "level",
    "formula",
    "numerator_description",
    "denominator_description",
    "measurement_unit",
    "accumulation",
    "polarity",
    "baseline_value",
    "baseline_date",
    "baseline_horizon",
    "maintenance_tolerance",
    "frequency",
    "data_source",
    "unit",
    "responsible",
    "semaforo_red_below",
    "semaforo_green_from",
    "notes",
]
REASON_HELP = (
    "Motivo del cambio; obligatorio si cambia una cifra (línea base o meta) que ya tiene "
    "mediciones aprobadas. Queda en el historial."
)


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", *INDICATOR_FIELDS, "archived"]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["id", "indicator", "period", "value"]


class MeasurementSerializer(serializers.ModelSerializer):
    evidence = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "indicator",
            "period",
            "value",
            "numerator",
            "denominator",
            *REVIEW_FIELDS,
            "evidence",
        ]


# --- Writes ----------------------------------------------------------------------------


class IndicatorCreateSerializer(WriteSerializer):
    reason = reason_field()

    class Meta:
        model = Indicator
        fields = [*INDICATOR_FIELDS, "reason"]
        extra_kwargs = {
            "goal": {"help_text": "La meta que mide; o bien `objective`, nunca ambos."},
            "objective": {"help_text": "El objetivo que mide; o bien `goal`, nunca ambos."},
        }


class IndicatorUpdateSerializer(WriteSerializer):
    reason = text_field(required=False, allow_blank=True, write_only=True, help_text=REASON_HELP)

    class Meta:
        model = Indicator
        fields = [*INDICATOR_FIELDS, "archived", "reason"]


class TargetCreateSerializer(WriteSerializer):
    reason = text_field(required=False, allow_blank=True, default="", help_text=REASON_HELP)

    class Meta:
        model = IndicatorTarget
        fields = ["indicator", "period", "value", "reason"]


class ReasonQuerySerializer(serializers.Serializer):
    reason = text_field(required=False, allow_blank=True, default="", help_text=REASON_HELP)


class TargetUpdateSerializer(WriteSerializer):
    reason = text_field(required=False, allow_blank=True, default="", help_text=REASON_HELP)

    class Meta:
        model = IndicatorTarget
        fields = ["value", "reason"]


FIGURES_HELP = (
    "Indique `value`, o bien `numerator` y `denominator` (el valor se calcula: × 100 si la "
    "unidad del indicador es un porcentaje)."
)


class MeasurementCreateSerializer(WriteSerializer):
    class Meta:
        model = Measurement
        fields = ["indicator", "period", "value", "numerator", "denominator", "narrative"]
        extra_kwargs = {
            "value": {"required": False, "allow_null": True, "help_text": FIGURES_HELP},
        }


class MeasurementUpdateSerializer(WriteSerializer):
    class Meta:
        model = Measurement
        fields = ["value", "numerator", "denominator", "narrative"]
        extra_kwargs = {
            "value": {
                "required": False,
                "allow_null": True,
                "help_text": FIGURES_HELP + " Enviar cualquiera de las cifras las reemplaza todas.",
            },
        }


BULK_MAX_ITEMS = 500


class _BulkPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    # A key of one item of a bulk write, looked up among the rows every item names, read
    # in one query on first use (not one query per item); anything else gets DRF's answer.

    def to_internal_value(self, data):
        if not hasattr(self, "_rows"):
            items = self.root.initial_data.get("items")
            keys = [
                item.get(self.field_name)
                for item in (items if isinstance(items, list) else [])
                if isinstance(item, dict)
            ]
            # only what can be a key: anything else (a dict, a list, a number no database
            # column holds) gets DRF's answer below
            self._rows = self.get_queryset().in_bulk({key for key in map(_key, keys) if key})
        key = _key(data)
        if key in self._rows:
            return self._rows[key]
        if key is None and (type(data) is int or (type(data) is str and data.isdigit())):
            self.fail("does_not_exist", pk_value=data)  # beyond any key: no query
        return super().to_internal_value(data)


def _key(value):
    """`value` as a primary key (a positive integer that fits in 64 bits), else None."""
    if type(value) is str and value.isdigit():
        value = int(value)
    if type(value) is int and 0 < value < 2**63:
        return value
    return None


class BulkMeasurementItemSerializer(MeasurementCreateSerializer):
    serializer_related_field = _BulkPrimaryKeyField


class BulkMeasurementSerializer(serializers.Serializer):
    submit = serializers.BooleanField(
        default=False, help_text="Además, enviar cada medición a revisión."
    )
    items = BulkMeasurementItemSerializer(many=True, min_length=1, max_length=BULK_MAX_ITEMS)


class BulkMeasurementResultSerializer(serializers.Serializer):
    submitted = serializers.BooleanField()
    items = MeasurementSerializer(many=True)


class BulkErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Errores que no son de un elemento (p. ej. `items` vacío).",
    )
    items = serializers.DictField(
        child=serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        required=False,
        help_text="Errores por posición del elemento en `items` (desde 0) y por campo; "
        "ausente si la solicitud no se pudo leer (JSON inválido).",
    )

    class Meta:
        ref_name = "BulkError"
