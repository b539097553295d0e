"""The dashboard's filters: a GET form, so every view of it has its own address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mipg.core.forms import RowsChoiceField
from mipg.core.models import InstitutionalPlan, Policy, Unit
from mipg.traceability.worklists import MEASUREMENT, PROGRESS
from planning.models import ReportingPeriod, StrategicPlan


class DashboardForm(forms.Form):
    """Plan, cut-off period and the filters of the dashboard. The period must be one of
    the chosen plan's; an invalid choice is reported next to its field and the dashboard
    falls back to the default (the latest period that has started)."""

    plan = RowsChoiceField(label=_("Plan"), required=False, empty_label=None)
    period = RowsChoiceField(
        label=_("Periodo de corte"), required=False, empty_label=_("Último periodo iniciado")
    )
    unit = RowsChoiceField(label=_("Dependencia"), required=False, empty_label=_("Todas"))
    dimension = RowsChoiceField(label=_("Dimensión MIPG"), required=False, empty_label=_("Todas"))
    policy = RowsChoiceField(label=_("Política MIPG"), required=False, empty_label=_("Todas"))
    institutional_plan = RowsChoiceField(
        label=_("Plan del Decreto 612"), required=False, empty_label=_("Todos")
    )
    only_reds = forms.BooleanField(label=_("Solo indicadores en rojo"), required=False)

    def __init__(self, data, *, plans, periods):
        """`plans` and `periods` (the chosen plan's): lists the view has read. The other
        choices are read once each (the dimensions with their policies)."""
        super().__init__(data)
        self.fields["plan"].set_rows(plans)
        self.fields["period"].set_rows(periods)
        self.fields["unit"].set_rows(Unit.objects.order_by("name"))
        policies = list(Policy.objects.select_related("dimension").order_by("code"))
        self.fields["policy"].set_rows(policies)
        dimensions = {p.dimension_id: p.dimension for p in policies}.values()
        self.fields["dimension"].set_rows(sorted(dimensions, key=lambda d: (d.order, d.code)))
        self.fields["institutional_plan"].set_rows(
            InstitutionalPlan.objects.order_by("order", "code")
        )


class ReviewQueueForm(forms.Form):
    """The review queue's filters (GET). An invalid choice is shown next to its field and
    the queue stays unfiltered by it."""

    kind = forms.ChoiceField(
        label=_("Tipo"),
        required=False,
        choices=[
            ("", _("Todos")),
            (PROGRESS, _("Avance de actividad")),
            (MEASUREMENT, _("Medición de indicador")),
        ],
    )
    unit = forms.ModelChoiceField(
        label=_("Dependencia"), queryset=Unit.objects.none(), required=False, empty_label=_("Todas")
    )
    period = forms.ModelChoiceField(
        label=_("Periodo"),
        queryset=ReportingPeriod.objects.none(),
        required=False,
        empty_label=_("Todos"),
    )
    overdue = forms.BooleanField(
        label=_("Solo periodos con la fecha límite vencida"), required=False
    )

    def __init__(self, data):
        super().__init__(data)
        self.fields["unit"].queryset = Unit.objects.order_by("name")
        periods = (
            ReportingPeriod.objects.exclude(plan__status=StrategicPlan.Status.CLOSED)
            .select_related("plan")
            .order_by("-plan__start_year", "plan__name", "start_date", "pk")
        )
        self.fields["period"].queryset = periods
        self.fields["period"].label_from_instance = lambda p: f"{p.plan.name} · {p.label}"

    def filters(self):
        """The keyword arguments of ``review_queue_keys`` for the valid fields."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("kind", "unit", "period", "overdue")
            if name in data and data[name]
        }
