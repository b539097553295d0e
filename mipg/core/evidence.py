"""Validation of evidence files uploaded with progress reports and measurements."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED_EXTENSIONS = frozenset(
    {
        ".pdf",
        ".png",
        ".jpg",
        ".jpeg",
        ".xlsx",
        ".xls",
        ".csv",
        ".docx",
        ".doc",
        ".odt",
        ".ods",
        ".txt",
        ".zip",
    }
)


def validate_evidence_file(upload):
    """Raise ValidationError (field "file") unless the upload has an allowed type and size."""
    name = PurePath(getattr(upload, "name", "") or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            {
                "file": _("Tipo de archivo no permitido (%(ext)s). Use: %(allowed)s.")
                % {
                    "ext": extension or _("sin extensión"),
                    "allowed": ", ".join(sorted(ALLOWED_EXTENSIONS)),
                }
            }
        )
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise ValidationError({"file": _("El archivo está vacío.")})
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("El archivo pesa %(size)s; el máximo es %(max)s.")
                % {"size": filesizeformat(size), "max": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
            }
        )
    return name
