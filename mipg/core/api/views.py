"""Base viewset of the API and the endpoints of the MIPG reference data.

Every viewset of the API derives from ApiViewSet: reads are scoped by `get_queryset`
(internal users see everything, the others the public subset or nothing), writes parse
their input with a serializer and call the app's service with `by=request.user`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from mipg.core.api import filters
from mipg.core.api.exceptions import as_api_error
from mipg.core.api.permissions import is_internal
from mipg.core.api.serializers import (
    ApproveSerializer,
    DimensionSerializer,
    InstitutionalPlanSerializer,
    PolicySerializer,
    ReopenSerializer,
    ReturnSerializer,
    TraceSerializer,
    UnitSerializer,
    trace_data,
)
from mipg.core.models import Dimension, InstitutionalPlan, Policy, Unit
from mipg.core.review import services as review
from mipg.core.trace import trace_up

READ_ACTIONS = frozenset({"list", "retrieve"})


class ApiViewSet(viewsets.GenericViewSet):
    """`public_actions`: read actions open to everybody (with `public_queryset`);
    `write_perms`: action → the Django permission a user needs to try it."""

    filter_backends = [filters.StrictFilterBackend]
    public_actions = frozenset()
    write_perms = {}

    @property
    def allowed_methods(self):
        # The methods the route maps to an action (plus OPTIONS), not every attribute that
        # happens to be named like one (the `trace` action is no TRACE handler).
        mapped = {*getattr(self, "action_map", {}), "options"}
        return [method.upper() for method in self.http_method_names if method in mapped]

    def initial(self, request, *args, **kwargs):
        # A method the endpoint does not have answers 405 (with its Allow header) before
        # the permission checks, which would refuse it with 403 even to the superuser.
        if request.method.upper() not in self.allowed_methods:
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def internal(self):
        return is_internal(self.request.user, self.queryset.model)

    def base_queryset(self):
        """The queryset with what the serializer reads (select/prefetch_related)."""
        return self.queryset.all()

    def public_queryset(self, queryset):
        return queryset.none()

    def get_queryset(self):
        queryset = self.base_queryset()
        return queryset if self.internal() else self.public_queryset(queryset)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "internal": self.internal()}

    def validated(self, serializer_class, *, partial=False):
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def perform(self, service, *args, rename=None, **kwargs):
        """Call a service as the request's user; its ValidationError becomes a 400."""
        try:
            return service(*args, by=self.request.user, **kwargs)
        except DjangoValidationError as error:
            raise as_api_error(error, rename=rename) from error

    def respond(self, obj, status_code=status.HTTP_200_OK):
        """The object as the read endpoints show it, fetched again with its relations."""
        obj = self.base_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=status_code)


# The write mixins carry comments, not docstrings: drf-spectacular would show a docstring
# as the description of every operation of the viewsets that use them.


# POST …/: parse the body with `create_serializer` and call `create_service` with the
# fields named in `create_args` as positional arguments (the parent, the period), the
# others as keywords; answers 201 with the new object.
class CreateMixin:
    create_serializer = create_service = None
    create_args = ()

    def create(self, request):
        data = dict(self.validated(self.create_serializer))
        args = [data.pop(name) for name in self.create_args]
        obj = self.perform(self.create_service, *args, **data)
        return self.respond(obj, status.HTTP_201_CREATED)


# PATCH …/{id}/: parse the body with `update_serializer`, call `update_service`.
class UpdateMixin:
    update_serializer = update_service = None

    def partial_update(self, request, pk=None):
        obj = self.get_object()
        data = self.validated(self.update_serializer, partial=True)
        return self.respond(self.perform(self.update_service, obj, **data))


# DELETE …/{id}/: call `delete_service`; 204.
class DestroyMixin:
    delete_service = None

    def destroy(self, request, pk=None):
        self.perform(self.delete_service, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReadOnlyApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass


class TraceMixin:
    """GET …/{id}/trace/: the chain from the item up to the MIPG dimensions."""

    @extend_schema(
        summary="Trazabilidad del elemento",
        description=(
            "La cadena desde el elemento hasta el plan, los planes a los que sirve, los planes "
            "del Decreto 612, las políticas y las dimensiones MIPG (capa de trazabilidad)."
        ),
        responses=TraceSerializer,
    )
    @action(detail=True, methods=["get"])
    def trace(self, request, pk=None):
        return Response(TraceSerializer(trace_data(trace_up(self.get_object()), request)).data)


class ReviewWorkflowMixin:
    """POST …/{id}/submit/, …/approve/, …/return/ and …/reopen/ of a figure reported by the
    first line and reviewed by the second (draft → submitted → approved | returned;
    approved → returned when reopened)."""

    reviewed = None  # the app's ReviewedKind, passed to mipg.core.review.services

    @extend_schema(
        summary="Enviar a revisión (borrador o devuelto → enviado)",
        description="Solo responsables de la dependencia, con el periodo abierto.",
        request=None,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        figure = self.get_object()
        return self.respond(self.perform(review.submit, figure, kind=self.reviewed))

    @extend_schema(
        summary="Aprobar (enviado → aprobado)",
        description="Solo Planeación; nunca quien lo envió. Desde ahora la cifra cuenta.",
        request=ApproveSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._review(review.approve, ApproveSerializer)

    @extend_schema(
        summary="Devolver con comentario (enviado → devuelto)",
        description="Solo Planeación; el comentario es obligatorio.",
        request=ReturnSerializer,
        examples=[
            OpenApiExample(
                "Devolución",
                value={"comment": "El soporte no corresponde al periodo; cargue el correcto."},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._review(review.return_, ReturnSerializer)

    @extend_schema(
        summary="Reabrir una cifra aprobada (aprobado → devuelto)",
        description=(
            "Solo Planeación, con el periodo abierto; el motivo es obligatorio y queda como "
            "comentario de revisión. La cifra deja de contar hasta que se apruebe de nuevo."
        ),
        request=ReopenSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        figure = self.get_object()
        reason = self.validated(ReopenSerializer)["reason"]
        figure = self.perform(
            review.reopen, figure, kind=self.reviewed, reason=reason, rename=_REASON
        )
        return self.respond(figure)

    def _review(self, service, serializer_class):
        figure = self.get_object()
        comment = self.validated(serializer_class)["comment"]
        figure = self.perform(service, figure, kind=self.reviewed, comment=comment, rename=_COMMENT)
        return self.respond(figure)


_COMMENT = {"review_comment": "comment"}
_REASON = {"review_comment": "reason"}


class PublicReferenceViewSet(ReadOnlyApiViewSet):
    """Reference data: the same for everybody, anonymous clients included."""

    public_actions = READ_ACTIONS

    def public_queryset(self, queryset):
        return queryset


def _reference(name):
    return extend_schema_view(
        list=extend_schema(summary=f"Listar {name}", description="Público: no requiere token."),
        retrieve=extend_schema(summary=f"Consultar {name}", description="Público."),
    )


@_reference("dimensiones MIPG")
class DimensionViewSet(PublicReferenceViewSet):
    queryset = Dimension.objects.all()
    serializer_class = DimensionSerializer
    filterset_class = filters.DimensionFilter


@_reference("políticas MIPG")
class PolicyViewSet(PublicReferenceViewSet):
    queryset = Policy.objects.all()
    serializer_class = PolicySerializer
    filterset_class = filters.PolicyFilter


@_reference("planes del Decreto 612")
class InstitutionalPlanViewSet(PublicReferenceViewSet):
    queryset = InstitutionalPlan.objects.all()
    serializer_class = InstitutionalPlanSerializer
    filterset_class = filters.InstitutionalPlanFilter


@_reference("dependencias")
class UnitViewSet(PublicReferenceViewSet):
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    filterset_class = filters.UnitFilter
