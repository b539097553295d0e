"""Forms of the budget pages: allocations and execution entries.

They only parse input; management.services validates the rules (cumulative invariant,
plan years, duplicates) and the views show its errors beside these fields.
Money fields are localised: "1.200.000,50" and "1200000.50" both read as 1 200 000,50.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from management.models import MONEY_FIELD_KWARGS, BudgetExecution, FundingSource


def money_field(label, **kwargs):
    return forms.DecimalField(
        label=label,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **MONEY_FIELD_KWARGS,
        **kwargs,
    )


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AllocationForm(_Form):
    source = forms.ModelChoiceField(queryset=FundingSource.objects.none(), label=_("Fuente"))
    year = forms.IntegerField(label=_("Vigencia"), min_value=2000, max_value=2100)
    rubro = forms.CharField(label=_("Rubro presupuestal"), max_length=100)
    bpin = forms.CharField(label=_("Código BPIN"), max_length=30, required=False)
    appropriation = money_field(
        _("Apropiación definitiva"), help_text=_("En pesos; por ejemplo 1.200.000")
    )

    def __init__(self, *args, current_source=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Inactive sources are offered only to keep an allocation's current one.
        sources = Q(active=True)
        if current_source is not None:
            sources |= Q(pk=current_source.pk)
        self.fields["source"].queryset = FundingSource.objects.filter(sources)

    @classmethod
    def initial_from(cls, allocation):
        return {
            "source": allocation.source_id,
            "year": allocation.year,
            "rubro": allocation.rubro,
            "bpin": allocation.bpin,
            "appropriation": allocation.appropriation,
        }


class ExecutionForm(_Form):
    stage = forms.ChoiceField(label=_("Etapa"), choices=BudgetExecution.Stage.choices)
    amount = money_field(
        _("Valor"),
        help_text=_("En pesos. Un valor negativo registra una liberación o anulación."),
    )
    date = forms.DateField(
        label=_("Fecha"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    document_number = forms.CharField(label=_("Número de documento"), max_length=50)
    description = forms.CharField(label=_("Descripción"), max_length=255, required=False)
