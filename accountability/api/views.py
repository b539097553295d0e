"""Accountability reports and citizen questions: read-only. Reports are created, generated
and published through the staff pages (accountability.views, the same services); the
public portal that will write citizen questions does not exist yet."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from accountability.api import filters, serializers
from accountability.models import AccountabilityReport, CitizenQuestion, ReportFile
from mipg.core.api.views import READ_ACTIONS, ReadOnlyApiViewSet


@extend_schema_view(
    list=extend_schema(
        summary="Listar informes de rendición de cuentas",
        description="Sin token: solo los publicados. Usuarios internos: todos. Cada informe "
        "lista sus archivos con tipo, tamaño, SHA-256 y la URL absoluta de descarga.",
    ),
    retrieve=extend_schema(summary="Consultar un informe de rendición de cuentas"),
)
class AccountabilityReportViewSet(ReadOnlyApiViewSet):
    queryset = AccountabilityReport.objects.all()
    serializer_class = serializers.AccountabilityReportSerializer
    filterset_class = filters.AccountabilityReportFilter
    public_actions = READ_ACTIONS

    def base_queryset(self):
        return AccountabilityReport.objects.prefetch_related(
            "periods", Prefetch("files", queryset=ReportFile.objects.order_by("name"))
        )

    def public_queryset(self, queryset):
        return queryset.filter(status=AccountabilityReport.Status.PUBLISHED)


@extend_schema_view(
    list=extend_schema(
        summary="Listar preguntas ciudadanas publicadas",
        description="Solo las publicadas, con su respuesta; sin datos del autor.",
    ),
    retrieve=extend_schema(summary="Consultar una pregunta ciudadana publicada"),
)
class CitizenQuestionViewSet(ReadOnlyApiViewSet):
    queryset = CitizenQuestion.objects.all()
    serializer_class = serializers.CitizenQuestionSerializer
    filterset_class = filters.CitizenQuestionFilter
    public_actions = READ_ACTIONS

    def get_queryset(self):
        return CitizenQuestion.objects.filter(status=CitizenQuestion.Status.PUBLISHED)
