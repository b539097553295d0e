"""POST /api/v1/plans/{id}/approve/: the plan's approval through
mipg.traceability.approval.approve_plan_checked — refused (400, listing the errors) while
the plan's integrity report has errors, like the approval page."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from mipg.core.api.views import ApiViewSet
from mipg.traceability.approval import approve_plan_checked
from planning.api.serializers import PlanSerializer
from planning.models import StrategicPlan


class PlanApprovalViewSet(ApiViewSet):
    """Routed under plans/: only the detail action approve."""

    queryset = StrategicPlan.objects.all()
    serializer_class = PlanSerializer
    filter_backends = []
    write_perms = {"approve": "planning.approve_strategicplan"}

    @extend_schema(
        summary="Aprobar un plan (borrador → aprobado)",
        description=(
            "Solo la alta dirección (rol Directivo). Se rechaza mientras el informe de "
            "integridad del plan tenga errores (ponderaciones que no suman 100, actividades "
            "fuera de la vigencia, indicadores sin metas...), que la respuesta enumera."
        ),
        request=None,
        responses=PlanSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.respond(self.perform(approve_plan_checked, self.get_object()))
