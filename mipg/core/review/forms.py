from django import forms
from django.utils.translation import gettext_lazy as _

from mipg.core.forms import long_text_field

# Name of the button that saves a report and sends it to review in one step.
SUBMIT = "submit"


class ReturnForm(forms.Form):
    """Planeación's comment when returning a report; the service requires it."""

    review_comment = long_text_field(
        _("Comentario para el responsable"),
        rows=4,
        help_text=_("Explique qué debe corregir o completar."),
    )


class ReopenForm(forms.Form):
    """Planeación's reason for reopening an approved figure; the service requires it and
    keeps it as the review comment the unit reads."""

    review_comment = long_text_field(
        _("Motivo de la reapertura"),
        rows=4,
        help_text=_("La cifra deja de contar y vuelve a la dependencia como devuelta."),
    )
