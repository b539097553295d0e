"""Errors as JSON, always the same shape:

    {"detail": "<message>", "code": "<code>", "errors": {"<field>": ["<message>", ...]}}

`errors` names the field of each message (nested fields joined with "."; messages about
the request as a whole under "non_field_errors") and is empty for errors that are not
about the data sent. A service's ValidationError becomes a 400, PermissionDenied a 403.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = "non_field_errors"


def service_errors(error):
    """{field: [messages]} of a Django ValidationError raised by a service."""
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if field == NON_FIELD_ERRORS else field): list(messages)
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD: list(error.messages)}


def as_api_error(error, *, rename=None):
    """A DRF ValidationError carrying the field messages of a service's ValidationError;
    `rename` maps a service's field names to the API's."""
    errors = service_errors(error)
    for old, new in (rename or {}).items():
        if old in errors:
            errors.setdefault(new, []).extend(errors.pop(old))
    return exceptions.ValidationError(errors)


def flatten(detail, prefix=""):
    """{"a.b": ["msg"]} from DRF's nested error detail (dicts, lists and strings)."""
    flat = {}

    def add(key, message):
        flat.setdefault(key or NON_FIELD, []).append(str(message))

    def walk(value, key):
        if isinstance(value, dict):
            for name, item in value.items():
                name = NON_FIELD if name in (NON_FIELD_ERRORS, NON_FIELD) else str(name)
                walk(item, f"{key}.{name}" if key and name != NON_FIELD else (key or name))
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                if isinstance(item, dict | list | tuple):
                    walk(item, f"{key}.{index}" if key else str(index))
                else:
                    add(key, item)
        else:
            add(key, value)

    walk(detail, prefix)
    return flat


def error_body(detail, code, errors=None):
    return {"detail": str(detail), "code": str(code), "errors": errors or {}}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = as_api_error(exc)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            _("Los datos enviados no son válidos."), "invalid", flatten(exc.detail)
        )
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
        response.data = error_body(detail, code)
    return response


@csrf_exempt
def not_found(request, *args, **kwargs):
    """JSON 404 for any path under /api/ that matches no endpoint."""
    body = error_body(_("No encontrado."), "not_found")
    return JsonResponse(body, status=404)
