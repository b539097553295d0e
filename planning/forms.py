"""Forms of the plan workspace and of control interno's ratings (which plan and semester to
rate, and the rating). They only parse and validate input: the planning services
validate the business rules and write, and their errors are put back on these forms with
``mipg.core.web.apply_service_errors``.

Fields are taken from the models (labels, validators, choices) with ``fields_for_model``
rather than ModelForm, so a form never builds or validates a model instance itself.
"""

from django import forms
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mipg.core.forms import LocalizedDecimalField, long_text_field, model_form_fields
from mipg.core.models import InstitutionalPlan, Policy, Unit, User
from planning.models import Action, ActionRating, Goal, Objective, ReportingPeriod, StrategicPlan
from planning.selectors import plans_newest_first
from planning.services.schedules import schedule_field

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WEIGHT_WIDGET = forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"})


def reason_field():
    """The "why" of a change to an approved plan; the services require it when the change
    makes a new plan version (weights, dates, items) and show their error beside it."""
    return long_text_field(
        _("Motivo del cambio"),
        rows=2,
        help_text=_(
            "El plan está aprobado: los cambios de ponderación, fechas, metas o elementos "
            "requieren un motivo y quedan en una nueva versión del plan."
        ),
    )


def asks_reason(plan):
    """Whether a change to ``plan`` asks for the "Motivo del cambio": the plan is approved,
    so the change makes a new plan version."""
    return plan is not None and plan.status == StrategicPlan.Status.APPROVED


class AsksReason:
    """A form of a change to a plan: ``ask_reason(plan)`` adds the "Motivo del cambio"
    field when the plan is approved; ``reason()`` is what was given ("" when not asked)."""

    def ask_reason(self, plan):
        if asks_reason(plan):
            self.fields["reason"] = reason_field()

    def reason(self):
        return self.cleaned_data.get("reason", "")


class ServiceForm(AsksReason, forms.Form):
    """A form whose fields mirror ``model``'s ``field_names``; initial values come from
    ``instance`` when editing. ``changes()`` gives the fields to pass to an update service.
    Given an approved ``plan``, the form adds a "Motivo del cambio" field (``reason()``)."""

    model = None
    field_names = ()
    widgets = {}

    def __init__(self, data=None, *, instance=None, initial=None, parent=None, plan=None, **kwargs):
        self.instance = instance
        self.parent = parent  # the parent of the item being created (None when editing)
        self.plan = plan  # the plan of the item (the views pass it)
        values = model_to_dict(instance, fields=self.field_names) if instance else {}
        values.update(initial or {})
        super().__init__(data, initial=values, **kwargs)
        self.fields.update(model_form_fields(self.model, self.field_names, self.widgets))
        self.order_fields(self.field_names)
        self.ask_reason(plan)

    def changes(self):
        """{field: value} of what the user changed (everything when creating), without
        the reason."""
        names = self.cleaned_data if self.instance is None else self.changed_data
        return {name: self.cleaned_data[name] for name in names if name != "reason"}


class PlanForm(ServiceForm):
    model = StrategicPlan
    field_names = StrategicPlan.writable_fields
    widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = plans_newest_first()
        if self.instance is not None:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].help_text = _(
            "Por ejemplo, el Plan Estratégico Institucional al que sirve este Plan de Acción."
        )


class ObjectiveForm(ServiceForm):
    model = Objective
    field_names = Objective.writable_fields
    widgets = {
        "description": forms.Textarea(attrs={"rows": 3}),
        "weight": WEIGHT_WIDGET,
        "policies": forms.CheckboxSelectMultiple,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policies"].queryset = Policy.objects.select_related("dimension")
        self.fields["policies"].help_text = _("Políticas de gestión y desempeño que atiende.")
        plan = self.instance.plan if self.instance is not None else self.parent
        _alignment_choices(self, plan)


class GoalForm(ServiceForm):
    model = Goal
    field_names = Goal.writable_fields
    widgets = {"weight": WEIGHT_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(self.instance)
        _alignment_choices(self, self.plan)


def _alignment_choices(form, plan):
    """Alignment (MIPG.md §3): the live objectives of the plan `plan` serves; no field when
    it serves none."""
    if plan is None or plan.parent_id is None:
        del form.fields["serves"]
    else:
        form.fields["serves"].queryset = Objective.objects.live().filter(plan_id=plan.parent_id)


class ActionForm(ServiceForm):
    model = Action
    field_names = Action.writable_fields
    widgets = {
        "start_date": DATE_WIDGET,
        "end_date": DATE_WIDGET,
        "weight": WEIGHT_WIDGET,
        "quantity_target": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        "institutional_plans": forms.CheckboxSelectMultiple,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(self.instance)
        self.fields["unit"].help_text = _("Vacía: la dependencia de la meta.")
        people = User.objects.filter(is_active=True).order_by("first_name", "last_name")
        self.fields["responsible"].queryset = people
        self.fields["institutional_plans"].queryset = InstitutionalPlan.objects.all()
        self.fields["institutional_plans"].help_text = _(
            "Planes institucionales del Decreto 612 de 2018 a los que aporta."
        )


class PeriodForm(ServiceForm):
    model = ReportingPeriod
    field_names = ("label", "start_date", "end_date", "due_date")
    widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET, "due_date": DATE_WIDGET}


class QuarterlyPeriodsForm(AsksReason, forms.Form):
    year = forms.IntegerField(label=_("Año"), min_value=2000, max_value=2100)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ask_reason(plan)


class UnlockPeriodForm(forms.Form):
    """The reason for reopening a closed period; the service requires it and keeps it in
    the period's history."""

    reason = long_text_field(_("Motivo"), help_text=_("Queda en el historial del periodo."))


def _units(instance):
    """Active units, plus the one the item already has should it be inactive now."""
    units = Unit.objects.filter(active=True)
    if instance is not None and instance.unit_id:
        units = Unit.objects.filter(active=True) | Unit.objects.filter(pk=instance.unit_id)
    return units.order_by("name")


SEMESTERS = [(1, _("Primer semestre")), (2, _("Segundo semestre"))]
UNRATED = "none"


class RatingFilterForm(forms.Form):
    """GET form of the ratings page. ``resolved()`` fills the defaults: the most recent
    approved plan (else the most recent plan), the current year within the plan's years and
    the current semester."""

    plan = forms.ModelChoiceField(
        queryset=plans_newest_first(),
        required=False,
        label=_("Plan"),
    )
    year = forms.IntegerField(label=_("Año"), required=False, min_value=2000, max_value=2100)
    semester = forms.TypedChoiceField(
        label=_("Semestre"), choices=SEMESTERS, coerce=int, required=False, empty_value=None
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.all(), required=False, label=_("Dependencia")
    )
    rating = forms.ChoiceField(
        label=_("Calificación"),
        required=False,
        choices=[("", _("Todas")), (UNRATED, _("Sin calificar")), *ActionRating.Rating.choices],
    )
    q = forms.CharField(label=_("Buscar"), required=False)

    def resolved(self, today=None):
        """(plan or None, year, semester, cleaned data) with the defaults applied."""
        today = today or timezone.localdate()
        data = {}
        if self.is_bound:
            # The valid fields count even when another one is not (its error is shown
            # beside it): a bad year must not switch the page to another plan.
            self.full_clean()
            data = self.cleaned_data
        plan = data.get("plan") or _default_plan()
        year = data.get("year") or today.year
        if plan is not None and not plan.start_year <= year <= plan.end_year:
            year = min(max(year, plan.start_year), plan.end_year)
        semester = data.get("semester") or (1 if today.month <= 6 else 2)
        return plan, year, semester, data


def _default_plan():
    plans = plans_newest_first()
    return plans.filter(status=StrategicPlan.Status.APPROVED).first() or plans.first()


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Calificación"), choices=ActionRating.Rating.choices, widget=forms.RadioSelect
    )
    comment = long_text_field(
        _("Comentario"),
        rows=5,
        help_text=_("Observaciones de la evaluación independiente (tercera línea de defensa)."),
    )


class ScheduleForm(AsksReason, forms.Form):
    """The programación of an action: one planned cumulative percentage per period of its
    plan (``planned_values``: planning.selectors.action_schedule). The 0–100 and
    non-decreasing rules are the service's (set_action_schedule)."""

    def __init__(self, data=None, *, planned_values, plan=None, **kwargs):
        super().__init__(data, **kwargs)
        self.periods = {}
        for value in planned_values:
            name = schedule_field(value.period)
            self.periods[name] = value.period
            self.fields[name] = LocalizedDecimalField(
                label=_("%(period)s (hasta el %(end)s)")
                % {"period": value.period.label, "end": value.period.end_date.strftime("%d/%m/%Y")},
                max_digits=5,
                decimal_places=2,
                initial=value.planned,
                help_text=None if value.programmed else _("Valor propuesto según las fechas."),
            )
        self.ask_reason(plan)

    def planned(self):
        """{period: value} for the service."""
        return {period: self.cleaned_data[name] for name, period in self.periods.items()}
