"""FilterSets shared by the HTML lists and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluation.models import Indicator, Measurement
from evaluation.selectors import SemaforoState, indicator_results
from mipg.core.filters import ordering_by, unit_filter
from mipg.core.models import Dimension, Policy, ReviewStatus
from planning.filters import PeriodFilter, plan_filter


class IndicatorFilterForm(forms.Form):
    """The semáforo is computed for a period: filtering by it without one is an error
    beside the field (the filter is then not applied)."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("semaforo") and not cleaned.get("period"):
            self.add_error("semaforo", _("Elija un periodo para filtrar por semáforo."))
        return cleaned


class IndicatorFilter(django_filters.FilterSet):
    """Filters indicators; `semaforo` needs `period` (the state is computed for it)."""

    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    plan = plan_filter(method="filter_plan")
    unit = unit_filter()
    policy = django_filters.ModelChoiceFilter(
        method="filter_policy", queryset=Policy.objects.all(), label=_("Política MIPG")
    )
    dimension = django_filters.ModelChoiceFilter(
        method="filter_dimension", queryset=Dimension.objects.all(), label=_("Dimensión MIPG")
    )
    type = django_filters.ChoiceFilter(choices=Indicator.Type.choices, label=_("Tipo"))
    level = django_filters.ChoiceFilter(choices=Indicator.Level.choices, label=_("Nivel"))
    accumulation = django_filters.ChoiceFilter(
        choices=Indicator.Accumulation.choices, label=_("Acumulación")
    )
    polarity = django_filters.ChoiceFilter(choices=Indicator.Polarity.choices, label=_("Sentido"))
    archived = django_filters.BooleanFilter(label=_("Archivado"))
    period = PeriodFilter(method="keep", label=_("Periodo (semáforo)"))
    semaforo = django_filters.ChoiceFilter(
        method="keep", choices=SemaforoState.choices, label=_("Semáforo")
    )
    ordering = ordering_by(
        ("code", "code", _("Código")),
        ("name", "name", _("Nombre")),
        ("unit__name", "unit", _("Dependencia")),
    )

    class Meta:
        model = Indicator
        form = IndicatorFilterForm
        fields = [
            "q",
            "plan",
            "unit",
            "policy",
            "dimension",
            "type",
            "level",
            "accumulation",
            "polarity",
            "archived",
            "period",
            "semaforo",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def filter_plan(self, queryset, name, value):
        return queryset.filter(Q(goal__objective__plan=value) | Q(objective__plan=value))

    def filter_policy(self, queryset, name, value):
        ids = Policy.objects.filter(pk=value.pk)
        return queryset.filter(
            Q(goal__objective__policies__in=ids) | Q(objective__policies__in=ids)
        ).distinct()

    def filter_dimension(self, queryset, name, value):
        return queryset.filter(
            Q(goal__objective__policies__dimension=value) | Q(objective__policies__dimension=value)
        ).distinct()

    def keep(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        period = self.form.cleaned_data.get("period")
        state = self.form.cleaned_data.get("semaforo")
        if period and state:
            # The state is computed (not stored): evaluate it for the filtered indicators in
            # a constant number of queries, then keep the matching ids.
            results = indicator_results(queryset, period=period)
            matching = [pk for pk, result in results.items() if result.state == state]
            queryset = queryset.filter(pk__in=matching)
        return queryset


class MeasurementFilter(django_filters.FilterSet):
    plan = plan_filter("period__plan")
    period = PeriodFilter()
    indicator = django_filters.NumberFilter(field_name="indicator__id", label=_("Indicador (id)"))
    unit = unit_filter("indicator__unit")
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label=_("Estado"))
    ordering = ordering_by(
        ("indicator__code", "indicator", _("Indicador")),
        ("period__start_date", "period", _("Periodo")),
        ("status", "status", _("Estado")),
        ("submitted_at", "submitted_at", _("Enviado el")),
    )

    class Meta:
        model = Measurement
        fields = ["plan", "period", "indicator", "unit", "status"]
