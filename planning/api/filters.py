"""FilterSets of the API lists that have no HTML list (actions use planning.filters)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mipg.core.models import Policy, Unit
from planning.filters import objective_filter, plan_filter
from planning.models import Goal, Objective, ReportingPeriod, StrategicPlan


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    kind = django_filters.ChoiceFilter(choices=StrategicPlan.Kind.choices, label=_("Tipo"))
    status = django_filters.ChoiceFilter(choices=StrategicPlan.Status.choices, label=_("Estado"))
    parent = plan_filter("parent", label=_("Plan al que sirve"))
    year = django_filters.NumberFilter(method="filter_year", label=_("Año (vigente en)"))
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("start_year", "start_year"), ("created_at", "created_at")),
        label=_("Ordenar por"),
    )

    class Meta:
        model = StrategicPlan
        fields = ["q", "kind", "status", "parent", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class ObjectiveFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    plan = plan_filter()
    policy = django_filters.ModelChoiceFilter(
        field_name="policies", queryset=Policy.objects.all(), label=_("Política MIPG")
    )
    serves = django_filters.ModelChoiceFilter(
        queryset=Objective.objects.all(), label=_("Objetivo al que sirve")
    )
    archived = django_filters.BooleanFilter(label=_("Archivado"))
    ordering = django_filters.OrderingFilter(
        fields=(("position", "position"), ("code", "code"), ("name", "name")),
        label=_("Ordenar por"),
    )

    class Meta:
        model = Objective
        fields = ["q", "plan", "policy", "serves", "archived"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class GoalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    plan = plan_filter("objective__plan")
    objective = objective_filter()
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("Dependencia"))
    serves = django_filters.ModelChoiceFilter(
        queryset=Objective.objects.all(), label=_("Objetivo al que sirve")
    )
    archived = django_filters.BooleanFilter(label=_("Archivada"))
    ordering = django_filters.OrderingFilter(
        fields=(("position", "position"), ("code", "code"), ("name", "name")),
        label=_("Ordenar por"),
    )

    class Meta:
        model = Goal
        fields = ["q", "plan", "objective", "unit", "serves", "archived"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class ReportingPeriodFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(queryset=StrategicPlan.objects.all(), label=_("Plan"))
    locked = django_filters.BooleanFilter(label=_("Cerrado"))
    ordering = django_filters.OrderingFilter(
        fields=(("start_date", "start_date"), ("label", "label")), label=_("Ordenar por")
    )

    class Meta:
        model = ReportingPeriod
        fields = ["plan", "locked"]
