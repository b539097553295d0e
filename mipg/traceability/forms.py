"""The dashboard's filters: a GET form, so every view of it has its own address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mipg.core.models import Dimension, InstitutionalPlan, Policy, Unit
from planning.models import StrategicPlan


class DashboardForm(forms.Form):
    """Plan, cut-off period and the filters of the dashboard. The period must be one of
    the chosen plan's; an invalid choice is reported next to its field and the dashboard
    falls back to the default (the latest period that has started)."""

    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=StrategicPlan.objects.none(), required=False, empty_label=None
    )
    period = forms.ModelChoiceField(
        label=_("Periodo de corte"),
        queryset=StrategicPlan.objects.none(),
        required=False,
        empty_label=_("Último periodo iniciado"),
    )
    unit = forms.ModelChoiceField(
        label=_("Dependencia"), queryset=Unit.objects.none(), required=False, empty_label=_("Todas")
    )
    dimension = forms.ModelChoiceField(
        label=_("Dimensión MIPG"),
        queryset=Dimension.objects.none(),
        required=False,
        empty_label=_("Todas"),
    )
    policy = forms.ModelChoiceField(
        label=_("Política MIPG"),
        queryset=Policy.objects.none(),
        required=False,
        empty_label=_("Todas"),
    )
    institutional_plan = forms.ModelChoiceField(
        label=_("Plan del Decreto 612"),
        queryset=InstitutionalPlan.objects.none(),
        required=False,
        empty_label=_("Todos"),
    )
    only_reds = forms.BooleanField(label=_("Solo indicadores en rojo"), required=False)

    def __init__(self, data, *, plans, periods):
        super().__init__(data)
        self.fields["plan"].queryset = plans
        self.fields["period"].queryset = periods
        self.fields["unit"].queryset = Unit.objects.order_by("name")
        self.fields["dimension"].queryset = Dimension.objects.order_by("order", "code")
        self.fields["policy"].queryset = Policy.objects.order_by("code")
        self.fields["institutional_plan"].queryset = InstitutionalPlan.objects.order_by(
            "order", "code"
        )
