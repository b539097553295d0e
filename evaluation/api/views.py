"""Indicators, their targets and measurements (one by one or in bulk). Writes call
evaluation.services. Nothing here is public."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from evaluation import services
from evaluation.api import filters, serializers
from evaluation.filters import MeasurementFilter
from evaluation.models import Indicator, IndicatorTarget, Measurement
from mipg.core.api.exceptions import NON_FIELD, error_body, flatten, service_errors
from mipg.core.api.views import (
    ApiViewSet,
    CreateMixin,
    ReviewWorkflowMixin,
    TraceMixin,
    UpdateMixin,
)


class _ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TraceMixin, ApiViewSet):
    pass


@extend_schema_view(
    list=extend_schema(
        summary="Listar indicadores",
        description="Con ?period=<id>&semaforo=<estado> filtra por el semáforo del periodo.",
    ),
    retrieve=extend_schema(summary="Consultar la hoja de vida de un indicador"),
    create=extend_schema(
        summary="Crear un indicador (hoja de vida)",
        request=serializers.IndicatorCreateSerializer,
        responses={201: serializers.IndicatorSerializer},
    ),
    partial_update=extend_schema(
        summary="Modificar un indicador",
        request=serializers.IndicatorUpdateSerializer,
        responses=serializers.IndicatorSerializer,
    ),
)
class IndicatorViewSet(CreateMixin, UpdateMixin, _ReadViewSet):
    queryset = Indicator.objects.all()
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorApiFilter
    write_perms = {
        "create": "evaluation.add_indicator",
        "partial_update": "evaluation.change_indicator",
    }
    create_serializer = serializers.IndicatorCreateSerializer
    create_service = staticmethod(services.create_indicator)
    update_serializer = serializers.IndicatorUpdateSerializer
    update_service = staticmethod(services.update_indicator)


@extend_schema_view(
    list=extend_schema(summary="Listar metas programadas de indicadores"),
    retrieve=extend_schema(summary="Consultar una meta programada"),
    create=extend_schema(
        summary="Fijar la meta de un indicador en un periodo",
        description="Crea la meta (201) o reemplaza la existente del mismo periodo (200).",
        request=serializers.TargetCreateSerializer,
        responses={201: serializers.TargetSerializer, 200: serializers.TargetSerializer},
    ),
    partial_update=extend_schema(
        summary="Cambiar el valor de una meta",
        request=serializers.TargetUpdateSerializer,
        responses=serializers.TargetSerializer,
    ),
    destroy=extend_schema(
        summary="Eliminar una meta", parameters=[serializers.ReasonQuerySerializer]
    ),
)
class TargetViewSet(_ReadViewSet):
    queryset = IndicatorTarget.objects.all()
    serializer_class = serializers.TargetSerializer
    filterset_class = filters.TargetFilter
    write_perms = {
        "create": "evaluation.change_indicatortarget",
        "partial_update": "evaluation.change_indicatortarget",
        "destroy": "evaluation.delete_indicatortarget",
    }

    def create(self, request):
        data = self.validated(serializers.TargetCreateSerializer)
        indicator, period = data["indicator"], data["period"]
        existed = IndicatorTarget.objects.filter(indicator=indicator, period=period).exists()
        target = self.perform(
            services.set_target, indicator, period, value=data["value"], reason=data["reason"]
        )
        return self.respond(target, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        target = self.get_object()
        data = self.validated(serializers.TargetUpdateSerializer, partial=True)
        target = self.perform(
            services.set_target,
            target.indicator,
            target.period,
            value=data.get("value", target.value),
            reason=data.get("reason", ""),
        )
        return self.respond(target)

    def destroy(self, request, pk=None):
        target = self.get_object()
        query = serializers.ReasonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        reason = query.validated_data["reason"]
        self.perform(
            services.set_target, target.indicator, target.period, value=None, reason=reason
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


MEASUREMENT_EXAMPLE = {"indicator": 12, "period": 3, "value": "87.5", "narrative": "Fuente: SIIF."}


@extend_schema_view(
    list=extend_schema(summary="Listar mediciones"),
    retrieve=extend_schema(summary="Consultar una medición"),
    create=extend_schema(
        summary="Reportar una medición (borrador)",
        description="Solo responsables de la dependencia del indicador, con el periodo abierto; "
        "una medición por indicador y periodo.",
        request=serializers.MeasurementCreateSerializer,
        responses={201: serializers.MeasurementSerializer},
        examples=[
            OpenApiExample("Valor directo", value=MEASUREMENT_EXAMPLE, request_only=True),
            OpenApiExample(
                "Numerador y denominador",
                value={"indicator": 12, "period": 3, "numerator": "45", "denominator": "50"},
                request_only=True,
            ),
        ],
    ),
    partial_update=extend_schema(
        summary="Modificar una medición en borrador o devuelta",
        request=serializers.MeasurementUpdateSerializer,
        responses=serializers.MeasurementSerializer,
    ),
)
class MeasurementViewSet(ReviewWorkflowMixin, CreateMixin, UpdateMixin, _ReadViewSet):
    queryset = Measurement.objects.all()
    serializer_class = serializers.MeasurementSerializer
    filterset_class = MeasurementFilter
    write_perms = {
        "create": "evaluation.add_measurement",
        "bulk": "evaluation.add_measurement",
        "partial_update": "evaluation.change_measurement",
        "submit": "evaluation.submit_measurement",
        "evidence": "evaluation.add_measurementevidence",
        "approve": "evaluation.review_measurement",
        "return_": "evaluation.review_measurement",
        "reopen": "evaluation.review_measurement",
    }
    create_serializer = serializers.MeasurementCreateSerializer
    create_args = ("indicator", "period")
    create_service = staticmethod(services.create_measurement)
    update_serializer = serializers.MeasurementUpdateSerializer
    update_service = staticmethod(services.update_measurement)
    reviewed = services.MEASUREMENTS

    @extend_schema(
        summary="Reportar mediciones de muchos indicadores a la vez (todo o nada)",
        description=(
            f"Hasta {serializers.BULK_MAX_ITEMS} mediciones en una sola transacción. Si alguna "
            "falla no se guarda ninguna y la respuesta 400 trae los errores de cada elemento "
            "por su posición en `items` (desde 0); si alguna no le está permitida al usuario "
            "la respuesta es 403, con el mismo cuerpo. Con `submit: true` cada medición se envía "
            "además a revisión."
        ),
        request=serializers.BulkMeasurementSerializer,
        responses={
            201: serializers.BulkMeasurementResultSerializer,
            400: serializers.BulkErrorSerializer,
            403: serializers.BulkErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "Dos indicadores",
                value={
                    "submit": True,
                    "items": [
                        MEASUREMENT_EXAMPLE,
                        {"indicator": 13, "period": 3, "numerator": "45", "denominator": "50"},
                    ],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Error en el segundo elemento",
                value={
                    "detail": "Ninguna medición se guardó: corrija los errores de cada elemento.",
                    "code": "invalid",
                    "errors": {},
                    "items": {
                        "1": {"period": ["El periodo «T4 2026» está cerrado y no admite reportes."]}
                    },
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        serializer = serializers.BulkMeasurementSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        if not serializer.is_valid():
            return self._bulk_error(*self._split_errors(serializer.errors))
        submit = serializer.validated_data["submit"]
        try:
            measurements = services.create_measurements(
                serializer.validated_data["items"], by=request.user, submit=submit
            )
        except services.BulkItemErrors as failed:
            item_errors, refused = {}, False
            for index, error in failed.errors.items():
                if isinstance(error, PermissionDenied):
                    # 403, as the same measurement sent alone would answer.
                    item_errors[str(index)] = {NON_FIELD: [str(error)]}
                    refused = True
                else:
                    item_errors[str(index)] = service_errors(error)
            return self._bulk_error({}, item_errors, refused=refused)
        created = [measurement.pk for measurement in measurements]
        by_pk = self.base_queryset().in_bulk(created)
        result = {"submitted": submit, "items": [by_pk[pk] for pk in created]}
        data = serializers.BulkMeasurementResultSerializer(
            result, context=self.get_serializer_context()
        ).data
        return Response(data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _split_errors(errors):
        """DRF's errors → (errors not about one item, {index: {field: [messages]}})."""
        errors = dict(errors)
        items = errors.pop("items", None)
        by_index = {}
        if isinstance(items, list) and all(isinstance(e, dict) for e in items):
            items = dict(enumerate(items))
        if isinstance(items, dict) and all(isinstance(i, int) for i in items):
            by_index = {str(i): flatten(e) for i, e in items.items() if e}
        elif items is not None:
            errors["items"] = items
        return flatten(errors), by_index

    @staticmethod
    def _bulk_error(errors, items, *, refused=False):
        """400 with the errors of each item; 403 (code permission_denied) when an item was
        refused to the user, so that bulk and single writes answer the same status."""
        body = error_body(
            _("Ninguna medición se guardó: corrija los errores de cada elemento."),
            "permission_denied" if refused else "invalid",
            errors,
        )
        body["items"] = items
        code = status.HTTP_403_FORBIDDEN if refused else status.HTTP_400_BAD_REQUEST
        return Response(body, status=code)
