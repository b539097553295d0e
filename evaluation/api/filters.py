"""FilterSets of the API lists: targets (no HTML list) and indicators (the HTML list's
FilterSet, typed for the schema). Measurements use evaluation.filters as is."""

import copy

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes

from evaluation.filters import IndicatorFilter
from evaluation.models import IndicatorTarget
from planning.models import ReportingPeriod, StrategicPlan


class TargetFilter(django_filters.FilterSet):
    # On the id column itself (not the FK): Django turns an id out of the integer range
    # into an empty result there instead of an overflow error (a 500).
    indicator = django_filters.NumberFilter(field_name="indicator__id", label=_("Indicador (id)"))
    period = django_filters.ModelChoiceFilter(
        queryset=ReportingPeriod.objects.all(), label=_("Periodo")
    )
    plan = django_filters.ModelChoiceFilter(
        field_name="period__plan", queryset=StrategicPlan.objects.all(), label=_("Plan")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("period__start_date", "period"), ("indicator__code", "indicator")),
        label=_("Ordenar por"),
    )

    class Meta:
        model = IndicatorTarget
        fields = ["indicator", "period", "plan"]


class IndicatorApiFilter(IndicatorFilter):
    """evaluation.filters.IndicatorFilter, with the type of its method-based filters (ids)
    stated for the OpenAPI schema, which cannot guess it."""


IndicatorApiFilter.base_filters = copy.deepcopy(IndicatorFilter.base_filters)
for _name in ("plan", "policy", "dimension", "period"):
    set_override(IndicatorApiFilter.base_filters[_name], "field", OpenApiTypes.INT)
