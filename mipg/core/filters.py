"""Filter pieces shared by the FilterSets of every app."""

import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mipg.core.models import Dimension, InstitutionalPlan, Policy, Unit


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's OrderingFilter with its choices labelled when the form renders.

    The stock filter builds its labels (and "(descending)") once, at import, in whatever
    language is active then; here they follow the request's language. Give Spanish
    `field_labels` (gettext_lazy) for every field.
    """

    def build_choices(self, fields, labels):
        def choices():
            result = []
            for field, param in fields.items():
                label = capfirst(str(labels.get(field, param.replace("_", " "))))
                result.append((param, label))
                result.append((f"-{param}", _("%(label)s (descendente)") % {"label": label}))
            return result

        return choices


def ordering_by(*columns):
    """The ``ordering`` filter of a list page over ``columns``: (lookup, URL value, label)."""
    return OrderingFilter(
        fields=tuple((lookup, param) for lookup, param, _label in columns),
        label=gettext_lazy("Ordenar por"),
        field_labels={lookup: label for lookup, _param, label in columns},
    )


def unit_filter(field_name="unit"):
    """The responsible unit (dependencia) filter; ``field_name`` leads to the unit."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=Unit.objects.all(), label=gettext_lazy("Dependencia")
    )


def policy_dimension_plan_filters(prefix=""):
    """The MIPG policy, MIPG dimension and Decreto 612 plan filters, in that order, of a
    FilterSet whose rows are actions (`prefix` "") or lead to one (e.g. "action__"). Unpack
    them into the class body: ``policy, dimension, institutional_plan = ...``."""
    return (
        django_filters.ModelChoiceFilter(
            field_name=f"{prefix}goal__objective__policies",
            queryset=Policy.objects.all(),
            label=gettext_lazy("Política MIPG"),
            distinct=True,
        ),
        django_filters.ModelChoiceFilter(
            field_name=f"{prefix}goal__objective__policies__dimension",
            queryset=Dimension.objects.all(),
            label=gettext_lazy("Dimensión MIPG"),
            distinct=True,
        ),
        django_filters.ModelChoiceFilter(
            field_name=f"{prefix}institutional_plans",
            queryset=InstitutionalPlan.objects.all(),
            label=gettext_lazy("Plan del Decreto 612"),
            distinct=True,
        ),
    )
