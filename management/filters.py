"""FilterSets shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from management.models import (
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
    FundingSource,
    ProgressReport,
)
from mipg.core.filters import ordering_by, policy_dimension_plan_filters, unit_filter
from mipg.core.models import ReviewStatus
from planning.filters import PeriodFilter, plan_filter


class ProgressReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    plan = plan_filter("action__goal__objective__plan")
    period = PeriodFilter()
    unit = unit_filter("action__unit")
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label=_("Estado"))
    policy, dimension, institutional_plan = policy_dimension_plan_filters("action__")
    ordering = ordering_by(
        ("action__code", "action", _("Actividad")),
        ("period__start_date", "period", _("Periodo")),
        ("progress", "progress", _("Avance")),
        ("status", "status", _("Estado")),
        ("submitted_at", "submitted_at", _("Enviado el")),
    )

    class Meta:
        model = ProgressReport
        fields = [
            "q",
            "plan",
            "period",
            "unit",
            "status",
            "policy",
            "dimension",
            "institutional_plan",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(action__code__icontains=value)
            | Q(action__name__icontains=value)
            | Q(narrative__icontains=value)
        )


class BudgetAllocationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    plan = plan_filter("action__goal__objective__plan")
    action = django_filters.NumberFilter(field_name="action__id", label=_("Actividad (id)"))
    unit = unit_filter("action__unit")
    source = django_filters.ModelChoiceFilter(
        queryset=FundingSource.objects.all(), label=_("Fuente")
    )
    year = django_filters.NumberFilter(label=_("Vigencia"))
    policy, dimension, institutional_plan = policy_dimension_plan_filters("action__")
    ordering = ordering_by(
        ("rubro", "rubro", _("Rubro")),
        ("year", "year", _("Vigencia")),
        ("appropriation", "appropriation", _("Apropiación")),
        ("definitive", "definitive", _("Apropiación definitiva")),
        ("action__code", "action", _("Actividad")),
    )

    class Meta:
        model = BudgetAllocation
        fields = [
            "q",
            "plan",
            "action",
            "unit",
            "source",
            "year",
            "policy",
            "dimension",
            "institutional_plan",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(rubro__icontains=value)
            | Q(bpin__icontains=value)
            | Q(action__code__icontains=value)
            | Q(action__name__icontains=value)
        )


class BudgetExecutionFilter(django_filters.FilterSet):
    allocation = django_filters.NumberFilter(
        field_name="allocation__id", label=_("Asignación (id)")
    )
    plan = plan_filter("allocation__action__goal__objective__plan")
    stage = django_filters.ChoiceFilter(choices=BudgetExecution.Stage.choices, label=_("Etapa"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Desde"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Hasta"))

    class Meta:
        model = BudgetExecution
        fields = ["allocation", "plan", "stage", "date_from", "date_to"]


class BudgetModificationFilter(django_filters.FilterSet):
    allocation = django_filters.NumberFilter(
        field_name="allocation__id", label=_("Asignación (id)")
    )
    plan = plan_filter("allocation__action__goal__objective__plan")
    kind = django_filters.ChoiceFilter(choices=BudgetModification.Kind.choices, label=_("Tipo"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Desde"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Hasta"))

    class Meta:
        model = BudgetModification
        fields = ["allocation", "plan", "kind", "date_from", "date_to"]
