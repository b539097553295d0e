"""Filter pieces shared by the FilterSets of every app."""

import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.drainage import set_override

from mipg.core.api.permissions import is_internal
from mipg.core.models import Dimension, InstitutionalPlan, Policy, Unit

ORDERING_HELP = (
    "Ordenar por uno o varios campos, separados por comas en un solo parámetro "
    "(ordering=a,-b); «-» delante de un campo ordena de mayor a menor."
)


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's OrderingFilter with its choices labelled when the form renders.

    The stock filter builds its labels (and "(descending)") once, at import, in whatever
    language is active then; here they follow the request's language. Give Spanish
    `field_labels` (gettext_lazy) for every field.

    Its OpenAPI schema lists the accepted values (each field, ascending or with "-"), as
    the stock filter's does: clients send one parameter, the fields separated by commas.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        params = list(self.param_map)
        enum = [*params, *(f"-{param}" for param in params)]
        set_override(self, "field", {"type": "string", "enum": enum, "description": ORDERING_HELP})

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


def visible_choices(queryset, public):
    """The queryset of a ModelChoiceFilter as seen by the request's user: all of it for
    users who can view its model, `public(queryset)` for the others (anonymous clients of
    the API), so that the id of an object they may not see is refused exactly like the id
    of a missing one."""

    def choices(request):
        if request is not None and is_internal(request.user, queryset.model):
            return queryset.all()
        return public(queryset.all())

    return choices
