"""Form of a measurement (executed value of an indicator in a period) with evidence files.

The figures rule (a value, or a numerator and a denominator) is enforced by
evaluation.services; this form only parses the request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from management.forms import EvidenceFormMixin, evidence_field

VALUE_KWARGS = {"max_digits": 20, "decimal_places": 4, "required": False}


class MeasurementForm(EvidenceFormMixin, forms.Form):
    value = forms.DecimalField(
        label=_("Valor ejecutado"),
        help_text=_("Déjelo vacío si reporta el numerador y el denominador."),
        widget=forms.NumberInput(attrs={"step": "any"}),
        **VALUE_KWARGS,
    )
    numerator = forms.DecimalField(
        label=_("Numerador"), widget=forms.NumberInput(attrs={"step": "any"}), **VALUE_KWARGS
    )
    denominator = forms.DecimalField(
        label=_("Denominador"), widget=forms.NumberInput(attrs={"step": "any"}), **VALUE_KWARGS
    )
    narrative = forms.CharField(
        label=_("Descripción del avance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Cómo se obtuvo el valor, fuente de los datos y observaciones."),
    )
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
