"""OpenAPI schema customisation: every operation documents its error answers (400, 401,
403, 404, 415, 429, 500 with the JSON error body of mipg.core.api.exceptions), and public reads say
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
    "500": _("Error interno del servidor (también con el cuerpo JSON de error)."),
}


def decimal_schema(field, schema):
    """Add the real bounds of a decimal field (sent and received as a string) to its
    schema: `minimum`/`maximum` from its validators, the digits in `x-max-digits` and
    `x-decimal-places`, and a pattern without the minus sign when it cannot be negative and
    without numbers above its maximum when that is a power of ten (percentages: 0 to 100)."""
    minimum, maximum = field.min_value, field.max_value
    if minimum is not None:
        schema["minimum"] = float(minimum)
    if maximum is not None:
        schema["maximum"] = float(maximum)
    if field.max_digits is None or field.decimal_places is None:
        return schema
    whole, places = field.max_digits - field.decimal_places, field.decimal_places
    schema["x-max-digits"], schema["x-decimal-places"] = field.max_digits, places
    sign = "" if minimum is not None and minimum >= 0 else "-?"
    fraction = rf"(?:\.\d{{0,{places}}})?" if places else ""
    number = rf"\d{{0,{whole}}}{fraction}"
    power = len(str(int(maximum))) - 1 if maximum is not None and maximum >= 1 else None
    if sign == "" and power is not None and maximum == 10**power and power < whole:
        zeros = rf"(?:\.0{{0,{places}}})?" if places else ""
        number = rf"(?:{int(maximum)}{zeros}|\d{{0,{power}}}{fraction})"
    schema["pattern"] = rf"^{sign}{number}$"
    return schema


class AutoSchema(BaseAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and schema.get("type") == "string":
            decimal_schema(field, schema)
        return schema

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
