"""The JSON parser of the API: DRF's, with JSON nested too deeply for Python's parser
answering 400 (parse_error) like any other malformed JSON, instead of a RecursionError."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON inválido: demasiados niveles anidados.")) from exc
