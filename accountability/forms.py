"""The forms of the report pages (create a report, withdraw a published one) and of the
citizen dialogue (ask, answer, reject, merge, commitments)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.models import (
    QUESTION_MAX_LENGTH,
    AccountabilityReport,
    CitizenQuestion,
    Commitment,
)
from mipg.core.forms import long_text_field
from mipg.core.models import TEXT_MAX_LENGTH, Unit
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


class QuestionForm(forms.Form):
    """A citizen's question on a published report (the portal; no login). ``sitio_web`` is
    a honeypot: hidden from people and screen readers, only robots fill it."""

    HONEYPOT = "sitio_web"

    # Not required: "" is the topic "General", one of the choices.
    topic = forms.ChoiceField(label=_("Tema"), required=False)
    question = forms.CharField(
        label=_("Su pregunta"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": QUESTION_MAX_LENGTH}),
        help_text=_("Hasta 2.000 caracteres."),
    )
    author_name = forms.CharField(
        label=_("Su nombre (opcional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    author_email = forms.EmailField(
        label=_("Su correo electrónico (opcional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Solo para avisarle cuando respondamos. Nunca se publica."),
    )
    show_first_name = forms.BooleanField(
        label=_("Autorizo publicar mi primer nombre junto a la pregunta"),
        required=False,
        help_text=_("Si no marca esta casilla, su pregunta aparece como «Ciudadano(a)»."),
    )
    sitio_web = forms.CharField(label=_("Deje este campo vacío"), required=False)

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [
            (code, f"{code} · {name}" if code else name) for code, name in topics
        ]
        self.fields["topic"].initial = ""
        for name, field in self.fields.items():
            if name != "show_first_name":
                is_select = isinstance(field.widget, forms.Select)
                field.widget.attrs["class"] = "form-select" if is_select else "form-control"
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-ayuda"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(
                    filter(None, [f"id_{name}-error", attrs.get("aria-describedby")])
                )
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()

    def is_robot(self):
        """Whether the honeypot was filled (call after is_valid)."""
        return bool(self.cleaned_data.get(self.HONEYPOT))


class AnswerForm(forms.Form):
    """The answer of a citizen question, with an optional commitment (all three of its
    fields or none)."""

    answer = forms.CharField(
        label=_("Respuesta"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("En lenguaje claro: frases cortas, sin siglas sin explicar."),
    )
    commitment_description = long_text_field(
        _("Compromiso (opcional)"),
        help_text=_("Lo que la entidad hará a raíz de la pregunta."),
    )
    commitment_unit = forms.ModelChoiceField(
        label=_("Dependencia responsable del compromiso"),
        queryset=Unit.objects.none(),
        required=False,
    )
    commitment_due_date = forms.DateField(
        label=_("Fecha límite del compromiso"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment_unit"].queryset = Unit.objects.filter(active=True).order_by("name")

    def clean(self):
        data = super().clean()
        names = ("commitment_description", "commitment_unit", "commitment_due_date")
        given = [name for name in names if data.get(name)]
        if given and len(given) < len(names):
            for name in names:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Complete los tres datos del compromiso."))
        return data

    def commitment(self):
        data = self.cleaned_data
        if not data.get("commitment_description"):
            return None
        return {
            "description": data["commitment_description"],
            "unit": data["commitment_unit"],
            "due_date": data["commitment_due_date"],
        }


class RejectQuestionForm(forms.Form):
    reason = long_text_field(
        _("Motivo del rechazo"),
        required=True,
        help_text=_("Queda en el historial para el equipo; no se publica."),
    )


class MergeQuestionForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Pregunta original"),
        queryset=CitizenQuestion.objects.none(),
        help_text=_("La duplicada deja de verse y remite a la respuesta de la original."),
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        Status = CitizenQuestion.Status
        self.fields["into"].queryset = (
            CitizenQuestion.objects.filter(report_id=question.report_id)
            .exclude(pk=question.pk)
            .exclude(status__in=[Status.REJECTED, Status.MERGED])
            .order_by("created_at", "pk")
        )
        self.fields["into"].label_from_instance = lambda q: f"#{q.pk} · {q}"


class QuestionFilterForm(forms.Form):
    report = forms.ModelChoiceField(
        label=_("Informe"), queryset=AccountabilityReport.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Estado"),
        choices=[("", _("Todos"))] + CitizenQuestion.Status.choices,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = AccountabilityReport.objects.filter(
            status__in=AccountabilityReport.FROZEN_STATUSES
        ).order_by("-published_at", "-pk")


class CommitmentFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Dependencia"), queryset=Unit.objects.none(), required=False
    )
    state = forms.ChoiceField(
        label=_("Estado"),
        choices=[("", _("Todos"))] + Commitment.State.choices,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("name")


class CommitmentUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Estado"), choices=[(s.value, s.label) for s in Commitment.STORED_STATES]
    )
    note = long_text_field(
        _("Nota"), required=True, help_text=_("Qué se hizo o por qué cambia el estado.")
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
