"""The filter backend of every list of the API, and the FilterSets of the reference-data
endpoints (the planning, management and evaluation endpoints reuse the FilterSets of the
HTML lists)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from mipg.core.models import Dimension, InstitutionalPlan, Policy, Unit

# Query parameters every list accepts besides its filters: the page, its size and the
# format (DRF's URL_FORMAT_OVERRIDE).
LIST_PARAMETERS = frozenset({"page", "page_size", "format"})


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, strict about the query string of a list: a parameter that
    is not one of the list's filters, or a parameter sent twice (e.g. `ordering`, which
    takes one comma-separated list of fields), answers 400 instead of being ignored or
    silently reduced to its last value."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) == "list":
            self.check_parameters(request, queryset, view)
        return super().filter_queryset(request, queryset, view)

    def check_parameters(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        filters = filterset_class.base_filters if filterset_class else {}
        errors = {}
        for name in request.query_params:
            values = request.query_params.getlist(name)
            if name not in filters and name not in LIST_PARAMETERS:
                errors[name] = [gettext("Parámetro desconocido: esta lista no filtra por él.")]
            elif len(values) > 1 and not isinstance(
                filters.get(name), django_filters.MultipleChoiceFilter
            ):
                errors[name] = [
                    gettext(
                        "Envíe este parámetro una sola vez (para ordenar por varios campos, "
                        "sepárelos con comas: ordering=a,-b)."
                    )
                ]
        if errors:
            raise ValidationError(errors)


class DimensionFilter(django_filters.FilterSet):
    ordering = django_filters.OrderingFilter(
        fields=(("order", "order"), ("code", "code")), label=_("Ordenar por")
    )

    class Meta:
        model = Dimension
        fields = []


class PolicyFilter(django_filters.FilterSet):
    dimension = django_filters.ModelChoiceFilter(
        queryset=Dimension.objects.all(), label=_("Dimensión MIPG")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("code", "code"), ("name_es", "name")), label=_("Ordenar por")
    )

    class Meta:
        model = Policy
        fields = ["dimension"]


class InstitutionalPlanFilter(django_filters.FilterSet):
    policy = django_filters.ModelChoiceFilter(queryset=Policy.objects.all(), label=_("Política"))
    ordering = django_filters.OrderingFilter(
        fields=(("order", "order"), ("code", "code"), ("name", "name")), label=_("Ordenar por")
    )

    class Meta:
        model = InstitutionalPlan
        fields = ["policy"]


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    parent = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("Dependencia superior")
    )
    active = django_filters.BooleanFilter(label=_("Activa"))
    ordering = django_filters.OrderingFilter(
        fields=(("code", "code"), ("name", "name")), label=_("Ordenar por")
    )

    class Meta:
        model = Unit
        fields = ["q", "parent", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
