"""Validation of evidence files uploaded with progress reports and measurements.

The name's extension must be allowed and the content must be what the extension says: the
first bytes are matched against known file signatures with puremagic (a pure-Python,
maintained library: it needs no system libmagic, so it behaves the same on every host and
in the slim Docker image). Each extension has an expected signature family: PDF, PNG,
JPEG, ZIP containers (Office OOXML, OpenDocument and .zip) and OLE compound files (old
Office). Text formats (CSV, TXT) have no signature: they must contain no NUL byte and
decode as UTF-8 or, for files saved by Excel on Windows, Windows-1252.
"""

import codecs
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ZIP_CONTAINER = frozenset({".zip"})
OLE_COMPOUND = frozenset({".doc", ".xls"})
TEXT = None

# Extension → the extensions puremagic must find among its guesses for the first bytes
# (one of them suffices), or TEXT.
SIGNATURES = {
    ".pdf": frozenset({".pdf"}),
    ".png": frozenset({".png"}),
    ".jpg": frozenset({".jpg"}),
    ".jpeg": frozenset({".jpg"}),
    ".xlsx": ZIP_CONTAINER,
    ".docx": ZIP_CONTAINER,
    ".odt": ZIP_CONTAINER,
    ".ods": ZIP_CONTAINER,
    ".zip": ZIP_CONTAINER,
    ".xls": OLE_COMPOUND,
    ".doc": OLE_COMPOUND,
    ".csv": TEXT,
    ".txt": TEXT,
}
ALLOWED_EXTENSIONS = frozenset(SIGNATURES)
HEAD_BYTES = 8192
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")


def _head(upload):
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _is_text(upload):
    """No NUL byte and the whole file decodes in one of TEXT_ENCODINGS."""
    for encoding in TEXT_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            upload.seek(0)
            for chunk in upload.chunks():
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            upload.seek(0)
        return True
    return False


def _signature_matches(upload, expected):
    try:
        guesses = puremagic.magic_string(_head(upload))
    except puremagic.PureError:
        return False
    return any(guess.extension in expected for guess in guesses)


def content_matches_extension(upload, extension):
    """Whether the content of ``upload`` is of the type its (allowed) ``extension`` says."""
    expected = SIGNATURES[extension]
    if expected is TEXT:
        return _is_text(upload)
    return _signature_matches(upload, expected)


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
    if not content_matches_extension(upload, extension):
        raise ValidationError(
            {
                "file": _(
                    "El contenido del archivo no corresponde a un archivo %(ext)s: revise que "
                    "sea el documento correcto y no un archivo renombrado."
                )
                % {"ext": extension}
            }
        )
    return name
