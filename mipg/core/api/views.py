"""Base viewset of the API and the endpoints of the MIPG reference data.

Every viewset of the API derives from ApiViewSet: reads are scoped by `get_queryset`
(internal users see everything, the others the public subset or nothing), writes parse
their input with a serializer and call the app's service with `by=request.user`.
"""

import weakref

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from mipg.core.api import filters
from mipg.core.api.exceptions import as_api_error
from mipg.core.api.permissions import is_internal
from mipg.core.api.serializers import (
    ApproveSerializer,
    DimensionSerializer,
    EvidenceFileSerializer,
    EvidenceUploadSerializer,
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
from mipg.core.views.evidence import CONTENT_TYPES, serve_evidence

READ_ACTIONS = frozenset({"list", "retrieve"})

# What an evidence download may answer: the allowed types and the fallback.
DOWNLOAD_TYPES = sorted({*CONTENT_TYPES.values(), "application/octet-stream"})


class IgnoreAcceptNegotiation(DefaultContentNegotiation):
    """The first renderer (JSON) whatever the Accept header: a download answers its file, or
    a JSON error, and a client asking for "application/pdf" must not get a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


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

    def finalize_response(self, request, response, *args, **kwargs):
        # DRF's response holds its renderer context, which holds the response itself and
        # this view (whose `response` is the response): a reference cycle, so the response
        # with its data (12 MB of JSON for a 20,000-action roll-up) waited for the
        # collector's next full pass. Once the response is closed (sent) the context goes,
        # and reference counting frees it all at once.
        response = super().finalize_response(request, response, *args, **kwargs)
        response._resource_closers.append(_forget_renderer_context(response))
        return response

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


def _forget_renderer_context(response):
    """A closer that drops the renderer context of `response` (held weakly: the closer
    must not make a cycle of its own) and the view's reference to the response."""
    held = weakref.ref(response)

    def forget():
        response = held()
        if response is not None:
            context = response.__dict__.pop("renderer_context", None) or {}
            view = context.get("view")
            if view is not None:
                view.__dict__.pop("response", None)

    return forget


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

    def base_queryset(self):
        # The figures and evidence the user may see (mipg.core.permissions), as on the pages.
        user = self.request.user
        evidence = self.reviewed.evidence_model.objects.visible_to(user)
        evidence = evidence.order_by("uploaded_at", "pk")
        return self.reviewed.model.objects.visible_to(user).prefetch_related(
            Prefetch("evidence", queryset=evidence)
        )

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

    @extend_schema(
        methods=["GET"],
        summary="Listar las evidencias",
        description="Las evidencias que el usuario puede ver: un Responsable solo ve las de "
        "sus dependencias.",
        responses=EvidenceFileSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Cargar una evidencia (borrador o devuelto)",
        description="multipart/form-data con el campo `file`. Solo responsables de la "
        "dependencia, con el periodo abierto; las mismas reglas que el formulario: tipo "
        "permitido, contenido que corresponde a la extensión y tamaño máximo.",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceFileSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        # One figure's evidence: neither the list filters nor pages.
        filter_backends=[],
        pagination_class=None,
    )
    def evidence(self, request, pk=None):
        figure = self.get_object()
        if request.method == "GET":
            # The visible evidence, prefetched by base_queryset.
            files = figure.evidence.all()
            context = self.get_serializer_context()
            return Response(EvidenceFileSerializer(files, many=True, context=context).data)
        upload = self.validated(EvidenceUploadSerializer)["file"]
        evidence = self.perform(review.add_evidence, figure, kind=self.reviewed, file=upload)
        return Response(
            EvidenceFileSerializer(evidence, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Descargar una evidencia",
        description="El archivo, como adjunto con su nombre original; mismos permisos que la "
        "página: un Responsable solo descarga las evidencias de sus dependencias.",
        parameters=[OpenApiParameter("evidence_pk", int, OpenApiParameter.PATH)],
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="El archivo.")
            for content_type in DOWNLOAD_TYPES
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"evidence/(?P<evidence_pk>[0-9]+)/download",
        url_name="evidence-download",
        content_negotiation_class=IgnoreAcceptNegotiation,
        filter_backends=[],
    )
    def evidence_download(self, request, pk=None, evidence_pk=None):
        figure = self.get_object()
        model = self.reviewed.evidence_model
        return serve_evidence(
            request,
            self._evidence_files(figure),
            evidence_pk,
            perm=self.reviewed.perm("view", model),
        )

    def _evidence_files(self, figure):
        return self.reviewed.evidence_model.objects.filter(**{self.reviewed.name: figure})

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
