from django import forms
from django.utils.translation import gettext_lazy as _

# Name of the button that saves a report and sends it to review in one step.
SUBMIT = "submit"


class ReturnForm(forms.Form):
    """Planeación's comment when returning a report; the service requires it."""

    review_comment = forms.CharField(
        label=_("Comentario para el responsable"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Explique qué debe corregir o completar."),
    )


class ReopenForm(forms.Form):
    """Planeación's reason for reopening an approved figure; the service requires it and
    keeps it as the review comment the unit reads."""

    review_comment = forms.CharField(
        label=_("Motivo de la reapertura"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("La cifra deja de contar y vuelve a la dependencia como devuelta."),
    )
