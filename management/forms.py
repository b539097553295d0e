"""Forms of the reporting workflow: progress reports with evidence files and the review
(return) comment. Validation of figures and of the workflow stays in management.services;
these forms only parse the request."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mipg.core.evidence import ALLOWED_EXTENSIONS, validate_evidence_file

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
    progress = forms.DecimalField(
        label=_("Avance físico acumulado (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Porcentaje acumulado de la actividad al final del periodo, de 0 a 100."),
        widget=forms.NumberInput(attrs={"min": "0", "max": "100", "step": "0.01"}),
    )
    narrative = forms.CharField(
        label=_("Descripción del avance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Qué se hizo en el periodo, dificultades y cómo se atendieron."),
    )
    file = evidence_field()

    def clean_progress(self):
        # Same rule as management.services, checked here too so that it is reported
        # together with a bad file instead of after it.
        progress = self.cleaned_data["progress"]
        if not 0 <= progress <= 100:
            raise ValidationError(_("El avance debe estar entre 0 y 100 %."))
        return progress
