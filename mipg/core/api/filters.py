"""FilterSets of the reference-data endpoints (the planning, management and evaluation
endpoints reuse the FilterSets of the HTML lists)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mipg.core.models import Dimension, InstitutionalPlan, Policy, Unit


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
