"""Serving evidence files (of progress reports and measurements) to authorised users only.

Evidence is stored under MEDIA_ROOT but never published through MEDIA_URL: every download
goes through a view that requires a logged-in internal user holding the model's "view"
permission (every internal role has it; anonymous users are sent to the login page by
@login_required) and who may see that file (`visible_to`: a Responsable only their own
units' evidence). The HTML pages and the API serve it here. The file is streamed as an
attachment with its original name.
"""

import mimetypes
from pathlib import PurePath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from mipg.core.permissions import require_perm

# The allowed evidence types (mipg.core.evidence), independent of the host's mime.types.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".csv": "text/csv",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain",
    ".zip": "application/zip",
}


def content_type_of(name):
    extension = PurePath(name).suffix.lower()
    return (
        CONTENT_TYPES.get(extension)
        or mimetypes.guess_type(name)[0]
        or ("application/octet-stream")
    )


def serve_evidence(request, evidence_files, pk, *, perm):
    """A FileResponse with the file of evidence ``pk`` among ``evidence_files`` (a queryset
    or related manager of an evidence model), or PermissionDenied / Http404."""
    require_perm(request.user, perm, _("No tiene permiso para descargar esta evidencia."))
    evidence = get_object_or_404(evidence_files.visible_to(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("El archivo de la evidencia no está disponible.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=content_type_of(evidence.original_name),
    )
    # Evidence may be sensitive: no shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
