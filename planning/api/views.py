"""Plans, objectives, goals, actions and reporting periods. Writes call planning.services.

Anonymous clients (and users without an internal role) see approved and closed plans with
their non-archived objectives, goals and actions — the published action plan (Ley 1474 de
2011, art. 74) — with the people in them (approver, responsible) left out.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from mipg.core.api.views import (
    READ_ACTIONS,
    ApiViewSet,
    CreateMixin,
    DestroyMixin,
    TraceMixin,
    UpdateMixin,
)
from planning import services
from planning.api import filters, serializers
from planning.filters import PUBLIC_PLAN_STATUSES, ActionFilter, public_objectives, public_plans
from planning.models import Action, Goal, Objective, ReportingPeriod, StrategicPlan

PUBLIC_NOTE = (
    "Sin token: solo planes aprobados o cerrados y sus elementos no archivados, sin datos "
    "de personas."
)


class _ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TraceMixin, ApiViewSet):
    public_actions = READ_ACTIONS


class _TreeItemViewSet(CreateMixin, UpdateMixin, DestroyMixin, _ReadViewSet):
    """Objectives, goals and actions: create, edit, delete, archive and unarchive."""

    archive_service = unarchive_service = None

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        reason = self.validated(serializers.PlanChangeSerializer)["reason"]
        return self.respond(self.perform(self.archive_service, self.get_object(), reason=reason))

    @action(detail=True, methods=["post"])
    def unarchive(self, request, pk=None):
        reason = self.validated(serializers.PlanChangeSerializer)["reason"]
        obj = self.get_object()
        return self.respond(self.perform(self.unarchive_service, obj, reason=reason))

    def destroy(self, request, pk=None):
        query = serializers.PlanChangeSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        reason = query.validated_data["reason"]
        self.perform(self.delete_service, self.get_object(), reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _tree_schema(names, model_serializer, create, update, extra=""):
    plural, name = names
    return extend_schema_view(
        list=extend_schema(summary=f"Listar {plural}", description=PUBLIC_NOTE + extra),
        retrieve=extend_schema(summary=f"Consultar {name}", description=PUBLIC_NOTE),
        create=extend_schema(
            summary=f"Crear {name}",
            description="Pesos de las hermanas ≤ 100, código único entre hermanas, fechas "
            "dentro de los años del plan; el plan no puede estar cerrado.",
            request=create,
            responses={201: model_serializer},
        ),
        partial_update=extend_schema(
            summary=f"Modificar {name}", request=update, responses=model_serializer
        ),
        destroy=extend_schema(
            summary=f"Eliminar {name}",
            description="Se niega si algo debajo tiene cifras aprobadas o ejecución "
            "presupuestal: archívelo en su lugar. En un plan aprobado, ?reason= es obligatorio.",
            parameters=[serializers.PlanChangeSerializer],
        ),
        archive=extend_schema(
            summary=f"Archivar {name}",
            request=serializers.PlanChangeSerializer,
            responses=model_serializer,
        ),
        unarchive=extend_schema(
            summary=f"Desarchivar {name}",
            request=serializers.PlanChangeSerializer,
            responses=model_serializer,
        ),
    )


def _perms(model):
    name = model._meta.model_name
    return {
        "create": f"planning.add_{name}",
        "partial_update": f"planning.change_{name}",
        "destroy": f"planning.delete_{name}",
        "archive": f"planning.change_{name}",
        "unarchive": f"planning.change_{name}",
    }


@extend_schema_view(
    list=extend_schema(summary="Listar planes", description=PUBLIC_NOTE),
    retrieve=extend_schema(summary="Consultar un plan", description=PUBLIC_NOTE),
    create=extend_schema(
        summary="Crear un plan",
        request=serializers.PlanWriteSerializer,
        responses={201: serializers.PlanSerializer},
        examples=[
            OpenApiExample(
                "Plan de acción 2026",
                value={
                    "name": "Plan de Acción 2026",
                    "kind": "action",
                    "start_year": 2026,
                    "end_year": 2026,
                },
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Modificar un plan",
        request=serializers.PlanWriteSerializer,
        responses=serializers.PlanSerializer,
    ),
    close=extend_schema(
        summary="Cerrar un plan (aprobado → cerrado)",
        description="Un plan cerrado no admite cambios en su contenido.",
        request=None,
        responses=serializers.PlanSerializer,
    ),
)
class PlanViewSet(_ReadViewSet):
    queryset = StrategicPlan.objects.all()
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter
    write_perms = {
        "create": "planning.add_strategicplan",
        "partial_update": "planning.change_strategicplan",
        "close": "planning.approve_strategicplan",
    }

    def base_queryset(self):
        return StrategicPlan.objects.select_related("parent")

    def public_queryset(self, queryset):
        return public_plans(queryset)

    def create(self, request):
        data = dict(self.validated(serializers.PlanWriteSerializer))
        data.pop("reason", None)  # a new plan is a draft: nothing to version
        return self.respond(self.perform(services.create_plan, **data), status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        plan = self.get_object()
        data = self.validated(serializers.PlanWriteSerializer, partial=True)
        return self.respond(self.perform(services.update_plan, plan, **data))

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self.respond(self.perform(services.close_plan, self.get_object()))


@_tree_schema(
    ("objetivos", "un objetivo"),
    serializers.ObjectiveSerializer,
    serializers.ObjectiveCreateSerializer,
    serializers.ObjectiveUpdateSerializer,
)
class ObjectiveViewSet(_TreeItemViewSet):
    queryset = Objective.objects.all()
    serializer_class = serializers.ObjectiveSerializer
    filterset_class = filters.ObjectiveFilter
    write_perms = _perms(Objective)
    create_args = ("plan",)
    create_serializer = serializers.ObjectiveCreateSerializer
    update_serializer = serializers.ObjectiveUpdateSerializer
    create_service = staticmethod(services.create_objective)
    update_service = staticmethod(services.update_objective)
    delete_service = staticmethod(services.delete_objective)
    archive_service = staticmethod(services.archive_objective)
    unarchive_service = staticmethod(services.unarchive_objective)

    def base_queryset(self):
        return Objective.objects.prefetch_related("policies")

    def public_queryset(self, queryset):
        return public_objectives(queryset)


@_tree_schema(
    ("metas", "una meta"),
    serializers.GoalSerializer,
    serializers.GoalCreateSerializer,
    serializers.GoalUpdateSerializer,
)
class GoalViewSet(_TreeItemViewSet):
    queryset = Goal.objects.all()
    serializer_class = serializers.GoalSerializer
    filterset_class = filters.GoalFilter
    write_perms = _perms(Goal)
    create_args = ("objective",)
    create_serializer = serializers.GoalCreateSerializer
    update_serializer = serializers.GoalUpdateSerializer
    create_service = staticmethod(services.create_goal)
    update_service = staticmethod(services.update_goal)
    delete_service = staticmethod(services.delete_goal)
    archive_service = staticmethod(services.archive_goal)
    unarchive_service = staticmethod(services.unarchive_goal)

    def base_queryset(self):
        return Goal.objects.select_related("objective")

    def public_queryset(self, queryset):
        return queryset.live().filter(objective__plan__status__in=PUBLIC_PLAN_STATUSES)


@_tree_schema(
    ("actividades", "una actividad"),
    serializers.ActionSerializer,
    serializers.ActionCreateSerializer,
    serializers.ActionUpdateSerializer,
    extra=" Filtre las actividades de un plan con ?plan=<id>.",
)
class ActionViewSet(_TreeItemViewSet):
    queryset = Action.objects.all()
    serializer_class = serializers.ActionSerializer
    filterset_class = ActionFilter
    write_perms = _perms(Action)
    create_args = ("goal",)
    create_serializer = serializers.ActionCreateSerializer
    update_serializer = serializers.ActionUpdateSerializer
    create_service = staticmethod(services.create_action)
    update_service = staticmethod(services.update_action)
    delete_service = staticmethod(services.delete_action)
    archive_service = staticmethod(services.archive_action)
    unarchive_service = staticmethod(services.unarchive_action)

    def base_queryset(self):
        return Action.objects.select_related("goal__objective").prefetch_related(
            "institutional_plans"
        )

    def public_queryset(self, queryset):
        return queryset.live().filter(goal__objective__plan__status__in=PUBLIC_PLAN_STATUSES)


@extend_schema_view(
    list=extend_schema(summary="Listar periodos de reporte"),
    retrieve=extend_schema(summary="Consultar un periodo de reporte"),
    create=extend_schema(
        summary="Crear un periodo de reporte",
        description="Dentro de los años del plan, sin cruzarse con otro periodo del plan; el "
        "plan no puede estar cerrado y, si está aprobado, `reason` es obligatorio.",
        request=serializers.PeriodCreateSerializer,
        responses={201: serializers.PeriodSerializer},
    ),
    lock=extend_schema(
        summary="Cerrar el periodo (no admite más reportes)",
        request=None,
        responses=serializers.PeriodSerializer,
    ),
    unlock=extend_schema(
        summary="Reabrir el periodo",
        description="El motivo es obligatorio y queda en el historial del periodo.",
        request=serializers.UnlockPeriodSerializer,
        responses=serializers.PeriodSerializer,
    ),
)
class PeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = ReportingPeriod.objects.all()
    serializer_class = serializers.PeriodSerializer
    filterset_class = filters.ReportingPeriodFilter
    write_perms = {
        "create": "planning.add_reportingperiod",
        "lock": "planning.change_reportingperiod",
        "unlock": "planning.change_reportingperiod",
    }

    def create(self, request):
        data = dict(self.validated(serializers.PeriodCreateSerializer))
        period = self.perform(services.create_period, data.pop("plan"), **data)
        return self.respond(period, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        return self.respond(self.perform(services.lock_period, self.get_object()))

    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        period = self.get_object()
        reason = self.validated(serializers.UnlockPeriodSerializer)["reason"]
        return self.respond(self.perform(services.unlock_period, period, reason=reason))
