"""The forms of the report pages: create a report, withdraw a published one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.models import AccountabilityReport
from planning.models import ReportingPeriod, StrategicPlan


class PeriodChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.name} · {obj.label}"


class ReportForm(forms.Form):
    """Plan, kind, title and the range of periods (the last one is the cut-off)."""

    plan = forms.ModelChoiceField(label=_("Plan"), queryset=StrategicPlan.objects.none())
    kind = forms.ChoiceField(label=_("Tipo de informe"), choices=AccountabilityReport.Kind.choices)
    title = forms.CharField(label=_("Título"), max_length=255)
    first_period = PeriodChoice(
        label=_("Desde el periodo"), queryset=ReportingPeriod.objects.none()
    )
    last_period = PeriodChoice(
        label=_("Hasta el periodo (corte)"), queryset=ReportingPeriod.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = StrategicPlan.objects.order_by("-start_year", "name")
        periods = ReportingPeriod.objects.select_related("plan").order_by(
            "plan__name", "start_date", "pk"
        )
        self.fields["first_period"].queryset = periods
        self.fields["last_period"].queryset = periods

    def clean(self):
        data = super().clean()
        plan, first, last = data.get("plan"), data.get("first_period"), data.get("last_period")
        if plan is None or first is None or last is None:
            return data
        for name, period in (("first_period", first), ("last_period", last)):
            if period.plan_id != plan.pk:
                self.add_error(name, _("Elija un periodo del plan elegido."))
        if first.start_date > last.start_date:
            self.add_error(
                "last_period", _("El periodo de corte no puede ser anterior al inicial.")
            )
        return data

    def periods(self):
        """The plan's periods from the first to the cut-off, in calendar order."""
        data = self.cleaned_data
        return list(
            data["plan"]
            .periods.filter(
                start_date__gte=data["first_period"].start_date,
                end_date__lte=data["last_period"].end_date,
            )
            .order_by("start_date", "pk")
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo del retiro"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Se muestra junto al informe retirado. Los archivos se conservan."),
    )


class PlanFilterForm(forms.Form):
    """The citizen portal's filters of a plan's actions (GET), with the options the
    published snapshot has: its units, MIPG policies and Decreto 612 plans."""

    dependencia = forms.ChoiceField(label=_("Dependencia"), required=False)
    politica = forms.ChoiceField(label=_("Política del MIPG"), required=False)
    plan612 = forms.ChoiceField(label=_("Plan del Decreto 612"), required=False)

    def __init__(self, *args, snapshot, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("Todas"))]
        self.fields["dependencia"].choices = every + [
            (name, name) for name in sorted(u["name"] for u in snapshot.get("units") or [])
        ]
        self.fields["politica"].choices = every + [
            (p["code"], p["label"]) for p in snapshot.get("policies") or []
        ]
        self.fields["plan612"].choices = [("", _("Todos"))] + [
            (p["code"], p["name"]) for p in snapshot.get("institutional_plans") or []
        ]

    def selected(self):
        """(unit name, policy code, Decreto 612 plan code), "" for each filter not used;
        all "" when the form is invalid (its errors are shown next to the fields)."""
        if not self.is_bound or not self.is_valid():
            return "", "", ""
        data = self.cleaned_data
        return data["dependencia"], data["politica"], data["plan612"]
