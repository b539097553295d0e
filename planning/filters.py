"""FilterSets shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from mipg.core.filters import (
    ordering_by,
    policy_dimension_plan_filters,
    unit_filter,
    visible_choices,
)
from planning.models import Action, Objective, ReportingPeriod, StrategicPlan

# The plans everybody may read (the published action plan, Ley 1474 de 2011, art. 74).
PUBLIC_PLAN_STATUSES = (StrategicPlan.Status.APPROVED, StrategicPlan.Status.CLOSED)


def public_plans(queryset):
    return queryset.filter(status__in=PUBLIC_PLAN_STATUSES)


def public_objectives(queryset):
    return queryset.live().filter(plan__status__in=PUBLIC_PLAN_STATUSES)


def plan_filter(field_name="plan", **kwargs):
    """The strategic plan filter; ``field_name`` leads to the plan. Users who may not read
    draft plans (anonymous API clients) may only name published ones."""
    kwargs.setdefault("label", _("Plan"))
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=visible_choices(StrategicPlan.objects.all(), public_plans),
        **kwargs,
    )


def objective_filter(field_name="objective"):
    """The objective filter, limited like `plan_filter` for users who may not read drafts."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=visible_choices(Objective.objects.all(), public_objectives),
        label=_("Objetivo"),
    )


class PeriodChoiceField(ModelChoiceField):
    """Periods are named per plan ("T1" in every plan): show the plan as well."""

    def label_from_instance(self, obj):
        return f"{obj.plan.name} · {obj.label}"


class PeriodFilter(django_filters.ModelChoiceFilter):
    """A reporting period, labelled with its plan."""

    field_class = PeriodChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", ReportingPeriod.objects.select_related("plan"))
        kwargs.setdefault("label", _("Periodo"))
        super().__init__(*args, **kwargs)


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    plan = plan_filter("goal__objective__plan")
    unit = unit_filter()
    policy, dimension, institutional_plan = policy_dimension_plan_filters()
    archived = django_filters.BooleanFilter(label=_("Archivada"))
    ordering = ordering_by(
        ("code", "code", _("Código")),
        ("name", "name", _("Nombre")),
        ("start_date", "start_date", _("Fecha de inicio")),
        ("end_date", "end_date", _("Fecha de fin")),
        ("weight", "weight", _("Ponderación")),
        ("unit__name", "unit", _("Dependencia")),
    )

    class Meta:
        model = Action
        fields = ["q", "plan", "unit", "policy", "dimension", "institutional_plan", "archived"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
