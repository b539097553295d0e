"""Forms of the reporting workflow (progress reports with evidence files, the review
(return) comment) and of the budget pages (allocations, their modifications and execution
entries).

They only parse input; management.services validates the rules (cumulative invariant,
plan years, duplicates; figures and workflow of the reports) and the views show its errors
beside these fields.
Money fields are localised: "1.200.000,50" and "1200000.50" both read as 1 200 000,50.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from management.models import (
    MONEY_FIELD_KWARGS,
    BudgetExecution,
    BudgetModification,
    FundingSource,
)
from mipg.core.evidence import ALLOWED_EXTENSIONS, validate_evidence_file
from mipg.core.forms import DecimalInputField, LocalizedDecimalField, long_text_field
from mipg.core.templatetags.mipg_format import number

DRAFT = "draft"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files; cleans to a (possibly empty) list."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


def evidence_field():
    return MultipleFileField(
        label=_("Evidencias"),
        help_text=_("Puede adjuntar varios archivos. Tipos permitidos: %(types)s.")
        % {"types": ", ".join(sorted(ALLOWED_EXTENSIONS))},
        widget=MultipleFileInput(attrs={"accept": ",".join(sorted(ALLOWED_EXTENSIONS))}),
    )


def narrative_field(help_text):
    """The optional narrative of a reported figure (progress report, measurement)."""
    return long_text_field(_("Descripción del avance"), rows=5, help_text=help_text)


class EvidenceFormMixin:
    """Checks every uploaded file's type and size before any service is called, so a bad
    file leaves nothing saved and its message appears beside the field ("file")."""

    def clean_file(self):
        files = self.cleaned_data.get("file") or []
        messages = []
        for upload in files:
            try:
                validate_evidence_file(upload)
            except ValidationError as error:
                for message in error.message_dict.get("file", error.messages):
                    messages.append(f"{upload.name}: {message}")
        if messages:
            raise ValidationError(messages)
        return files


class ProgressReportForm(EvidenceFormMixin, forms.Form):
    progress = DecimalInputField(
        label=_("Avance físico acumulado (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Porcentaje acumulado de la actividad al final del periodo, de 0 a 100."),
        widget=forms.NumberInput(attrs={"min": "0", "max": "100", "step": "0.01"}),
    )
    quantity = DecimalInputField(
        label=_("Cantidad acumulada entregada"),
        # required by management.services, with the unit in its message
        required=False,
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    narrative = narrative_field(_("Qué se hizo en el periodo, dificultades y cómo se atendieron."))
    file = evidence_field()

    def __init__(self, *args, action, **kwargs):
        """An action with a product quantity target asks for the quantity delivered (its
        progress is computed by management.services); any other, for the progress."""
        super().__init__(*args, **kwargs)
        if action.quantity_target is None:
            del self.fields["quantity"]
            return
        del self.fields["progress"]
        names = {"unit": action.quantity_unit, "target": number(action.quantity_target)}
        self.fields["quantity"].label = _("Cantidad de %(unit)s entregada (acumulada)") % names
        self.fields["quantity"].help_text = (
            _(
                "Total entregado desde el inicio hasta el final del periodo; la meta es "
                "%(target)s %(unit)s. El avance se calcula: cantidad ÷ meta × 100, hasta 100."
            )
            % names
        )

    def fields_for_service(self):
        """The keyword arguments of the create/update service."""
        names = ("progress", "quantity", "narrative")
        return {name: self.cleaned_data[name] for name in names if name in self.fields}

    def clean_progress(self):
        # Same rule as management.services, checked here too so that it is reported
        # together with a bad file instead of after it.
        progress = self.cleaned_data["progress"]
        if not 0 <= progress <= 100:
            raise ValidationError(_("El avance debe estar entre 0 y 100 %."))
        return progress


def money_field(label, **kwargs):
    return LocalizedDecimalField(label=label, **MONEY_FIELD_KWARGS, **kwargs)


class InnerForm(forms.Form):
    """A form whose fields crispy renders inside the page's own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AllocationForm(InnerForm):
    source = forms.ModelChoiceField(queryset=FundingSource.objects.none(), label=_("Fuente"))
    year = forms.IntegerField(label=_("Vigencia"), min_value=2000, max_value=2100)
    rubro = forms.CharField(label=_("Rubro presupuestal"), max_length=100)
    bpin = forms.CharField(label=_("Código BPIN"), max_length=30, required=False)
    appropriation = money_field(
        _("Apropiación inicial"),
        help_text=_(
            "En pesos; por ejemplo 1.200.000. Adiciones, reducciones y traslados se "
            "registran como modificaciones."
        ),
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


class ExecutionForm(InnerForm):
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


class ModificationForm(InnerForm):
    kind = forms.ChoiceField(label=_("Tipo"), choices=BudgetModification.Kind.choices)
    amount = money_field(
        _("Valor"), help_text=_("En pesos, mayor que cero; el tipo indica si suma o resta.")
    )
    date = forms.DateField(
        label=_("Fecha"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    act_number = forms.CharField(label=_("Número del acto administrativo"), max_length=50)
    reason = forms.CharField(label=_("Motivo"), max_length=255)
