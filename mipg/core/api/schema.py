"""OpenAPI schema customisation: every operation documents its error answers (400, 401,
403, 404, 415, 429 with the JSON error body of mipg.core.api.exceptions), and public reads say
that they need no credentials."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Mensaje general, en español."))
    code = serializers.CharField(
        help_text=_("Código del error: invalid, not_authenticated, permission_denied, ...")
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_(
            "Mensajes por campo (los anidados unidos con «.»; los generales en "
            "«non_field_errors»). Vacío cuando el error no es sobre los datos enviados."
        ),
    )

    class Meta:
        ref_name = "Error"


ERROR_RESPONSES = {
    "400": _("Datos, filtros o JSON inválidos; o la operación no es posible en el estado actual."),
    "401": _("Credenciales ausentes o inválidas (token revocado, usuario inactivo)."),
    "403": _("El rol o la dependencia del usuario no permiten la operación."),
    "404": _("El objeto o la página no existen, o no son visibles para el usuario."),
    "415": _("Tipo de contenido no soportado: envíe application/json."),
    "429": _("Demasiadas solicitudes anónimas; espere los segundos que indica Retry-After."),
}


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_RESPONSES.items():
            if code == "415" and self.method not in ("POST", "PUT", "PATCH"):
                continue
            if code not in responses:
                response = OpenApiResponse(ErrorSerializer, description=str(description))
                responses[code] = self._get_response_for_code(response, code)
        return responses

    def get_auth(self):
        auths = super().get_auth()
        public = getattr(self.view, "public_actions", ())
        action = getattr(self.view, "action", None)
        if self.method in SAFE_METHODS and action in public and {} not in auths:
            auths.append({})
        return auths
