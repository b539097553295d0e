from django import forms
from django.utils.translation import gettext_lazy as _

from mipg.core.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre del token"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("Para qué lo usará, p. ej. «Integración SIIF» o «Tablero de la Gobernación»."),
    )
