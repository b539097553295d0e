"""Funding sources, budget allocations and execution entries, and progress reports.
Writes call management.services. Only funding sources are public."""

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from management import services
from management.api import serializers
from management.filters import BudgetAllocationFilter, BudgetExecutionFilter, ProgressReportFilter
from management.models import BudgetAllocation, BudgetExecution, FundingSource, ProgressReport
from mipg.core.api.views import (
    ApiViewSet,
    PublicReferenceViewSet,
    ReviewWorkflowMixin,
    TraceMixin,
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


def _stage_total(stage):
    total = (
        BudgetExecution.objects.filter(allocation=OuterRef("pk"), stage=stage)
        .order_by()
        .values("allocation")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(0), output_field=MONEY)


@extend_schema_view(
    list=extend_schema(
        summary="Listar asignaciones presupuestales",
        description="Con los acumulados de CDP, compromiso, obligación y pago.",
    ),
    retrieve=extend_schema(summary="Consultar una asignación presupuestal"),
    create=extend_schema(
        summary="Crear una asignación presupuestal (apropiación)",
        request=serializers.AllocationCreateSerializer,
        responses={201: serializers.BudgetAllocationSerializer},
    ),
    partial_update=extend_schema(
        summary="Modificar una asignación presupuestal",
        description="La apropiación no puede quedar por debajo del CDP acumulado.",
        request=serializers.AllocationUpdateSerializer,
        responses=serializers.BudgetAllocationSerializer,
    ),
    destroy=extend_schema(
        summary="Eliminar una asignación presupuestal",
        description="Se niega si tiene registros de ejecución.",
    ),
)
class BudgetAllocationViewSet(_ReadViewSet):
    queryset = BudgetAllocation.objects.all()
    serializer_class = serializers.BudgetAllocationSerializer
    filterset_class = BudgetAllocationFilter
    write_perms = {
        "create": "management.add_budgetallocation",
        "partial_update": "management.change_budgetallocation",
        "destroy": "management.delete_budgetallocation",
    }

    def base_queryset(self):
        stages = BudgetExecution.Stage
        return BudgetAllocation.objects.annotate(
            cdp=_stage_total(stages.CDP),
            commitment=_stage_total(stages.COMMITMENT),
            obligation=_stage_total(stages.OBLIGATION),
            payment=_stage_total(stages.PAYMENT),
        )

    def create(self, request):
        data = dict(self.validated(serializers.AllocationCreateSerializer))
        allocation = self.perform(services.create_allocation, data.pop("action"), **data)
        return self.respond(allocation, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        allocation = self.get_object()
        data = self.validated(serializers.AllocationUpdateSerializer, partial=True)
        return self.respond(self.perform(services.update_allocation, allocation, **data))

    def destroy(self, request, pk=None):
        self.perform(services.delete_allocation, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Listar registros de ejecución presupuestal"),
    retrieve=extend_schema(summary="Consultar un registro de ejecución"),
    create=extend_schema(
        summary="Registrar CDP, compromiso, obligación o pago",
        description="Valor negativo: liberación o anulación. Debe cumplirse en todo momento "
        "pago ≤ obligación ≤ compromiso ≤ CDP ≤ apropiación, y la fecha dentro de la vigencia.",
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
class BudgetExecutionViewSet(_ReadViewSet):
    queryset = BudgetExecution.objects.all()
    serializer_class = serializers.BudgetExecutionSerializer
    filterset_class = BudgetExecutionFilter
    write_perms = {
        "create": "management.add_budgetexecution",
        "destroy": "management.delete_budgetexecution",
    }

    def create(self, request):
        data = dict(self.validated(serializers.ExecutionCreateSerializer))
        entry = self.perform(services.record_execution, data.pop("allocation"), **data)
        return self.respond(entry, status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        self.perform(services.delete_execution, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Listar reportes de avance"),
    retrieve=extend_schema(summary="Consultar un reporte de avance"),
    create=extend_schema(
        summary="Reportar el avance físico de una actividad en un periodo (borrador)",
        description="Solo responsables de la dependencia de la actividad, con el periodo "
        "abierto. El avance es acumulado (0–100 %).",
        request=serializers.ProgressReportCreateSerializer,
        responses={201: serializers.ProgressReportSerializer},
    ),
    partial_update=extend_schema(
        summary="Modificar un reporte en borrador o devuelto",
        request=serializers.ProgressReportUpdateSerializer,
        responses=serializers.ProgressReportSerializer,
    ),
)
class ProgressReportViewSet(ReviewWorkflowMixin, _ReadViewSet):
    queryset = ProgressReport.objects.all()
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = ProgressReportFilter
    write_perms = {
        "create": "management.add_progressreport",
        "partial_update": "management.change_progressreport",
        "submit": "management.submit_progressreport",
        "approve": "management.review_progressreport",
        "return_": "management.review_progressreport",
    }
    submit_service = staticmethod(services.submit_progress_report)
    approve_service = staticmethod(services.approve_progress_report)
    return_service = staticmethod(services.return_progress_report)

    def base_queryset(self):
        return ProgressReport.objects.prefetch_related("evidence")

    def create(self, request):
        data = dict(self.validated(serializers.ProgressReportCreateSerializer))
        report = self.perform(
            services.create_progress_report, data.pop("action"), data.pop("period"), **data
        )
        return self.respond(report, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = self.validated(serializers.ProgressReportUpdateSerializer, partial=True)
        return self.respond(self.perform(services.update_progress_report, report, **data))
