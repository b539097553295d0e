"""Funding sources, budget allocations, their modifications and execution entries, and
progress reports.
Writes call management.services. Only funding sources are public."""

from django.db.models import DecimalField
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins

from management import services
from management.api import serializers
from management.filters import (
    BudgetAllocationFilter,
    BudgetExecutionFilter,
    BudgetModificationFilter,
    ProgressReportFilter,
)
from management.models import (
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
    FundingSource,
    ProgressReport,
)
from management.selectors.budget import with_stage_totals
from mipg.core.api.views import (
    ApiViewSet,
    CreateMixin,
    DestroyMixin,
    PublicReferenceViewSet,
    ReviewWorkflowMixin,
    TraceMixin,
    UpdateMixin,
)

MONEY = DecimalField(max_digits=18, decimal_places=2)


class _ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TraceMixin, ApiViewSet):
    pass


@extend_schema_view(
    list=extend_schema(summary="Listar fuentes de financiación", description="Público."),
    retrieve=extend_schema(summary="Consultar una fuente de financiación", description="Público."),
)
class FundingSourceViewSet(PublicReferenceViewSet):
    queryset = FundingSource.objects.all()
    serializer_class = serializers.FundingSourceSerializer
    filterset_fields = ["active"]


@extend_schema_view(
    list=extend_schema(
        summary="Listar asignaciones presupuestales",
        description="Con la apropiación inicial, el neto de modificaciones, la apropiación "
        "definitiva y los acumulados de CDP, compromiso, obligación y pago.",
    ),
    retrieve=extend_schema(summary="Consultar una asignación presupuestal"),
    create=extend_schema(
        summary="Crear una asignación presupuestal (apropiación)",
        request=serializers.AllocationCreateSerializer,
        responses={201: serializers.BudgetAllocationSerializer},
    ),
    partial_update=extend_schema(
        summary="Modificar una asignación presupuestal",
        description="La apropiación definitiva no puede quedar por debajo del CDP acumulado.",
        request=serializers.AllocationUpdateSerializer,
        responses=serializers.BudgetAllocationSerializer,
    ),
    destroy=extend_schema(
        summary="Eliminar una asignación presupuestal",
        description="Se niega si tiene registros de ejecución.",
    ),
)
class BudgetAllocationViewSet(CreateMixin, UpdateMixin, DestroyMixin, _ReadViewSet):
    queryset = BudgetAllocation.objects.all()
    serializer_class = serializers.BudgetAllocationSerializer
    filterset_class = BudgetAllocationFilter
    write_perms = {
        "create": "management.add_budgetallocation",
        "partial_update": "management.change_budgetallocation",
        "destroy": "management.delete_budgetallocation",
    }
    create_serializer = serializers.AllocationCreateSerializer
    create_args = ("action",)
    create_service = staticmethod(services.create_allocation)
    update_serializer = serializers.AllocationUpdateSerializer
    update_service = staticmethod(services.update_allocation)
    delete_service = staticmethod(services.delete_allocation)

    def base_queryset(self):
        return with_stage_totals(BudgetAllocation.objects.all())


@extend_schema_view(
    list=extend_schema(summary="Listar registros de ejecución presupuestal"),
    retrieve=extend_schema(summary="Consultar un registro de ejecución"),
    create=extend_schema(
        summary="Registrar CDP, compromiso, obligación o pago",
        description="Valor negativo: liberación o anulación. Debe cumplirse en todo momento "
        "pago ≤ obligación ≤ compromiso ≤ CDP ≤ apropiación definitiva, y la fecha dentro de "
        "la vigencia (obligaciones y pagos también en la siguiente: reservas presupuestales y "
        "cuentas por pagar).",
        request=serializers.ExecutionCreateSerializer,
        responses={201: serializers.BudgetExecutionSerializer},
        examples=[
            OpenApiExample(
                "CDP",
                value={
                    "allocation": 1,
                    "stage": "cdp",
                    "amount": "1500000.00",
                    "date": "2026-03-02",
                    "document_number": "CDP-2026-0042",
                },
                request_only=True,
            )
        ],
    ),
    destroy=extend_schema(summary="Eliminar un registro de ejecución"),
)
class BudgetExecutionViewSet(CreateMixin, DestroyMixin, _ReadViewSet):
    queryset = BudgetExecution.objects.all()
    serializer_class = serializers.BudgetExecutionSerializer
    filterset_class = BudgetExecutionFilter
    write_perms = {
        "create": "management.add_budgetexecution",
        "destroy": "management.delete_budgetexecution",
    }
    create_serializer = serializers.ExecutionCreateSerializer
    create_args = ("allocation",)
    create_service = staticmethod(services.record_execution)
    delete_service = staticmethod(services.delete_execution)


@extend_schema_view(
    list=extend_schema(summary="Listar modificaciones presupuestales"),
    retrieve=extend_schema(summary="Consultar una modificación presupuestal"),
    create=extend_schema(
        summary="Registrar una adición, reducción, crédito o contracrédito",
        description="Valor mayor que cero; el tipo indica si suma (adición, crédito) o resta "
        "(reducción, contracrédito). La apropiación definitiva no puede quedar por debajo del "
        "CDP acumulado, y la fecha debe estar dentro de la vigencia.",
        request=serializers.ModificationCreateSerializer,
        responses={201: serializers.BudgetModificationSerializer},
        examples=[
            OpenApiExample(
                "Adición",
                value={
                    "allocation": 1,
                    "kind": "addition",
                    "amount": "5000000.00",
                    "date": "2026-05-15",
                    "act_number": "Decreto 045 de 2026",
                    "reason": "Recursos del balance",
                },
                request_only=True,
            )
        ],
    ),
    destroy=extend_schema(
        summary="Eliminar una modificación presupuestal",
        description="Se niega si la apropiación definitiva quedaría por debajo del CDP.",
    ),
)
class BudgetModificationViewSet(CreateMixin, DestroyMixin, _ReadViewSet):
    queryset = BudgetModification.objects.all()
    serializer_class = serializers.BudgetModificationSerializer
    filterset_class = BudgetModificationFilter
    write_perms = {
        "create": "management.add_budgetmodification",
        "destroy": "management.delete_budgetmodification",
    }
    create_serializer = serializers.ModificationCreateSerializer
    create_args = ("allocation",)
    create_service = staticmethod(services.record_modification)
    delete_service = staticmethod(services.delete_modification)


@extend_schema_view(
    list=extend_schema(summary="Listar reportes de avance"),
    retrieve=extend_schema(summary="Consultar un reporte de avance"),
    create=extend_schema(
        summary="Reportar el avance físico de una actividad en un periodo (borrador)",
        description="Solo responsables de la dependencia de la actividad, con el periodo "
        "abierto. El avance es acumulado (0–100 %); si la actividad tiene meta de cantidad "
        "se envía la cantidad acumulada entregada y el avance se calcula.",
        request=serializers.ProgressReportCreateSerializer,
        responses={201: serializers.ProgressReportSerializer},
    ),
    partial_update=extend_schema(
        summary="Modificar un reporte en borrador o devuelto",
        request=serializers.ProgressReportUpdateSerializer,
        responses=serializers.ProgressReportSerializer,
    ),
)
class ProgressReportViewSet(ReviewWorkflowMixin, CreateMixin, UpdateMixin, _ReadViewSet):
    queryset = ProgressReport.objects.all()
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = ProgressReportFilter
    write_perms = {
        "create": "management.add_progressreport",
        "partial_update": "management.change_progressreport",
        "submit": "management.submit_progressreport",
        "evidence": "management.add_progressevidence",
        "approve": "management.review_progressreport",
        "return_": "management.review_progressreport",
        "reopen": "management.review_progressreport",
    }
    create_serializer = serializers.ProgressReportCreateSerializer
    create_args = ("action", "period")
    create_service = staticmethod(services.create_progress_report)
    update_serializer = serializers.ProgressReportUpdateSerializer
    update_service = staticmethod(services.update_progress_report)
    reviewed = services.PROGRESS_REPORTS
