"""Forms of the indicator pages: the hoja de vida, the targets of every period and a
measurement (executed value in a period, with evidence files).

They only parse input; evaluation.services validates the rules and the views show its
errors beside these fields (`service_errors` renames the service's field names to ours).
Figures are localised: "1.500,25" and "1500.25" both read as 1 500,25.
The figures rule of a measurement (a value, or a numerator and a denominator) is also
enforced by evaluation.services.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from evaluation.models import VALUE_FIELD_KWARGS, Indicator
from management.forms import EvidenceFormMixin, InnerForm, evidence_field, narrative_field
from mipg.core.forms import DecimalInputField, LocalizedDecimalField, long_text_field
from mipg.core.models import Unit, User
from planning.forms import AsksReason
from planning.models import Goal, Objective

GOAL, OBJECTIVE = "goal", "objective"
# Service field name → form field name.
ERROR_FIELDS = {"goal": "measures", "objective": "measures", "goal_id": "measures"}


def value_field(label, **kwargs):
    return LocalizedDecimalField(label=label, required=False, **VALUE_FIELD_KWARGS, **kwargs)


def percent_field(label):
    return LocalizedDecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=_("Vacío: usa el valor de la entidad."),
    )


def service_errors(error):
    """The service's ValidationError with its field names mapped to the form's."""
    if not hasattr(error, "error_dict"):
        return error
    renamed = {}
    for field, messages in error.message_dict.items():
        target = NON_FIELD_ERRORS if field == NON_FIELD_ERRORS else ERROR_FIELDS.get(field, field)
        renamed.setdefault(target, []).extend(messages)
    return ValidationError(renamed)


def _choices_help(lines):
    """A help text listing each choice with its one-line example (HTML, built when shown so
    it follows the request's language)."""
    return format_html(
        '<ul class="mb-0 ps-3">{}</ul>',
        format_html_join("", "<li><strong>{}</strong>: {}</li>", lines),
    )


ACCUMULATION_HELP = lazy(
    lambda: _choices_help(
        [
            (
                _("Flujo"),
                _(
                    "lo que ocurre en cada periodo; el año suma los periodos (trámites "
                    "atendidos: 25 + 25 + 25 + 25 = 100 en el año)."
                ),
            ),
            (
                _("Stock"),
                _(
                    "un nivel en un momento; vale el dato del periodo de corte (cobertura "
                    "medida en T3, no la suma de T1 a T3)."
                ),
            ),
            (
                _("Acumulado"),
                _("un total que crece desde el inicio (km construidos: 12, luego 20, luego 31)."),
            ),
            (
                _("Capacidad"),
                _(
                    "lo instalado en cada periodo; el año promedia el cumplimiento de los "
                    "periodos (camas: 50 de 50 y 50 de 100 dan un cumplimiento de 75)."
                ),
            ),
            (
                _("Reducción"),
                _("bajar un nivel desde la línea base hacia la meta (de 15 a 10 accidentes)."),
            ),
            (
                _("Reducción anual"),
                _(
                    "cada año frente al valor del año anterior (quejas: 120 el año pasado, "
                    "meta 100)."
                ),
            ),
        ]
    ),
    str,
)()
POLARITY_HELP = lazy(
    lambda: _choices_help(
        [
            (_("Creciente"), _("más es mejor (personas capacitadas).")),
            (
                _("Decreciente"),
                _("menos es mejor; necesita línea base (quejas: de 100 a 75 por trimestre)."),
            ),
            (
                _("Mantenimiento"),
                _(
                    "mantener en la meta, con una tolerancia; pasarse no es mejor (mantener "
                    "en 5 ± 1)."
                ),
            ),
        ]
    ),
    str,
)()


def _reason_field(help_text):
    """The optional "why" of a change, kept in the history."""
    return long_text_field(_("Motivo del cambio"), rows=2, help_text=help_text)


class IndicatorForm(AsksReason, InnerForm):
    """The hoja de vida (MIPG.md §4). `plan` limits what it can measure to the live
    objectives and goals of that plan (plus the one it measures now). A new indicator of an
    approved plan asks the "Motivo del cambio" (it makes a new plan version)."""

    code = forms.CharField(label=_("Código"), max_length=20)
    name = forms.CharField(label=_("Nombre"), max_length=500)
    measures = forms.ChoiceField(
        label=_("Mide"), help_text=_("La meta o el objetivo del plan que mide el indicador.")
    )
    type = forms.ChoiceField(label=_("Tipo"), choices=Indicator.Type.choices)
    level = forms.ChoiceField(label=_("Nivel"), choices=Indicator.Level.choices)
    formula = long_text_field(_("Fórmula"), rows=2, required=True)
    numerator_description = forms.CharField(label=_("Numerador"), max_length=500, required=False)
    denominator_description = forms.CharField(
        label=_("Denominador"), max_length=500, required=False
    )
    measurement_unit = forms.CharField(
        label=_("Unidad de medida"),
        max_length=100,
        help_text=_("Con «%» o «porcentaje» el valor se calcula como porcentaje."),
    )
    accumulation = forms.ChoiceField(
        label=_("Tipo de acumulación"),
        choices=Indicator.Accumulation.choices,
        help_text=ACCUMULATION_HELP,
    )
    polarity = forms.ChoiceField(
        label=_("Sentido"), choices=Indicator.Polarity.choices, help_text=POLARITY_HELP
    )
    baseline_value = value_field(_("Línea base"))
    baseline_date = forms.DateField(
        label=_("Fecha de la línea base"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    baseline_horizon = forms.TypedChoiceField(
        label=_("Horizonte de la línea base"),
        choices=Indicator.BaselineHorizon.choices,
        initial=Indicator.BaselineHorizon.PER_YEAR,
        required=False,
        empty_value=Indicator.BaselineHorizon.PER_YEAR,
        help_text=Indicator._meta.get_field("baseline_horizon").help_text,
    )
    maintenance_tolerance = value_field(
        _("Tolerancia (mantenimiento)"),
        min_value=0,
        help_text=Indicator._meta.get_field("maintenance_tolerance").help_text,
    )
    frequency = forms.ChoiceField(label=_("Frecuencia"), choices=Indicator.Frequency.choices)
    data_source = forms.CharField(label=_("Fuente de datos"), max_length=500, required=False)
    unit = forms.ModelChoiceField(
        label=_("Dependencia responsable"), queryset=Unit.objects.filter(active=True)
    )
    responsible = forms.ModelChoiceField(
        label=_("Persona responsable"),
        queryset=User.objects.filter(is_active=True).order_by("first_name", "last_name"),
        required=False,
    )
    semaforo_red_below = percent_field(_("Rojo por debajo de (%)"))
    semaforo_green_from = percent_field(_("Verde desde (%)"))
    notes = long_text_field(_("Observaciones"))

    def __init__(self, *args, plan, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        keep_goal = indicator.goal_id if indicator else None
        keep_objective = indicator.objective_id if indicator else None
        objectives = Objective.objects.filter(plan=plan).order_by("position", "code")
        goals = (
            Goal.objects.filter(objective__plan=plan).select_related("objective").in_tree_order()
        )
        self.fields["measures"].choices = [
            ("", "---------"),
            (
                _("Objetivos"),
                [
                    (f"{OBJECTIVE}:{o.pk}", str(o))
                    for o in objectives
                    if not o.archived or o.pk == keep_objective
                ],
            ),
            (
                _("Metas"),
                [
                    (f"{GOAL}:{g.pk}", f"{g} ({g.objective.code})")
                    for g in goals
                    if not (g.archived or g.objective.archived) or g.pk == keep_goal
                ],
            ),
        ]
        if indicator is None:
            self.ask_reason(plan)
        else:
            self.fields["unit"].queryset = Unit.objects.filter(active=True) | Unit.objects.filter(
                pk=indicator.unit_id
            )

    @staticmethod
    def measures_value(*, goal_id=None, objective_id=None):
        if goal_id:
            return f"{GOAL}:{goal_id}"
        if objective_id:
            return f"{OBJECTIVE}:{objective_id}"
        return ""

    @classmethod
    def initial_from(cls, indicator):
        initial = {
            name: getattr(indicator, name)
            for name in cls.base_fields
            if name not in ("measures", "unit", "responsible", "reason")
        }
        initial["unit"] = indicator.unit_id
        initial["responsible"] = indicator.responsible_id
        initial["measures"] = cls.measures_value(
            goal_id=indicator.goal_id, objective_id=indicator.objective_id
        )
        return initial

    def service_fields(self):
        """The cleaned data as keyword arguments of create/update_indicator."""
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        kind, _sep, pk = data.pop("measures").partition(":")
        data["goal_id"] = int(pk) if kind == GOAL else None
        data["objective_id"] = int(pk) if kind == OBJECTIVE else None
        return data


class IndicatorEditForm(IndicatorForm):
    reason = _reason_field(
        _(
            "Obligatorio al cambiar la línea base de un indicador que ya tiene mediciones "
            "aprobadas; queda en el historial."
        )
    )


class TargetsForm(InnerForm):
    """One optional target per period of the plan (empty = no target) and a reason.

    Locked periods are shown but disabled: their value is kept as it is.
    """

    reason = _reason_field(
        _(
            "Obligatorio al cambiar la meta de un periodo que ya tiene una medición "
            "aprobada; queda en el historial."
        )
    )

    def __init__(self, *args, periods, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = list(periods)
        reason = self.fields.pop("reason")
        for period in self.periods:
            field = value_field(
                _("Meta programada de %(period)s") % {"period": period.label},
                disabled=period.locked,
            )
            field.initial = targets.get(period.pk)
            self.fields[self.field_name(period)] = field
        self.fields["reason"] = reason

    @staticmethod
    def field_name(period):
        return f"period_{period.pk}"

    def rows(self):
        """[(period, bound field), ...] for the table of the template."""
        return [(period, self[self.field_name(period)]) for period in self.periods]

    def values(self):
        """{period id: Decimal or None} for evaluation.services.set_targets."""
        return {period.pk: self.cleaned_data[self.field_name(period)] for period in self.periods}


VALUE_KWARGS = {"max_digits": 20, "decimal_places": 4, "required": False}


class MeasurementForm(EvidenceFormMixin, forms.Form):
    value = DecimalInputField(
        label=_("Valor ejecutado"),
        help_text=_("Déjelo vacío si reporta el numerador y el denominador."),
        widget=forms.NumberInput(attrs={"step": "any"}),
        **VALUE_KWARGS,
    )
    numerator = DecimalInputField(
        label=_("Numerador"), widget=forms.NumberInput(attrs={"step": "any"}), **VALUE_KWARGS
    )
    denominator = DecimalInputField(
        label=_("Denominador"), widget=forms.NumberInput(attrs={"step": "any"}), **VALUE_KWARGS
    )
    narrative = narrative_field(_("Cómo se obtuvo el valor, fuente de los datos y observaciones."))
    file = evidence_field()

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        if indicator.numerator_description:
            self.fields["numerator"].help_text = indicator.numerator_description
        if indicator.denominator_description:
            self.fields["denominator"].help_text = indicator.denominator_description
        self.fields["value"].label = _("Valor ejecutado (%(unit)s)") % {
            "unit": indicator.measurement_unit
        }

    def figures(self):
        """The keyword arguments of the services' figures."""
        data = self.cleaned_data
        return {name: data.get(name) for name in ("value", "numerator", "denominator")}
