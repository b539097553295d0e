"""Evidence files are checked by their content, not only their extension
(mipg.core.evidence): every allowed extension has its expected signature, text formats must
be text, and a renamed executable is refused with a Spanish message beside the field."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from management.models import ProgressReport
from mipg.core.evidence import ALLOWED_EXTENSIONS, validate_evidence_file
from tests import builders

RENAMED = "El contenido del archivo no corresponde a un archivo .pdf"


def _refusal(upload):
    with pytest.raises(ValidationError) as error:
        validate_evidence_file(upload)
    return error.value.message_dict["file"][0]


def test_every_allowed_extension_has_sample_content():
    assert set(builders.EVIDENCE_CONTENT) == ALLOWED_EXTENSIONS


@pytest.mark.parametrize("extension", sorted(ALLOWED_EXTENSIONS))
def test_real_content_of_each_allowed_type_is_accepted(extension):
    assert validate_evidence_file(builders.upload(f"soporte{extension}")) == f"soporte{extension}"


def test_an_executable_renamed_pdf_is_refused():
    message = _refusal(builders.upload("informe.pdf", builders.EXE))
    assert message.startswith(RENAMED)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.png", builders.PDF),  # a PDF is not a PNG
        ("acta.docx", builders.PDF),  # nor an Office OOXML (ZIP) file
        ("hoja.xls", builders.XLSX),  # an OOXML file is not an old Office (OLE) one
        ("datos.xlsx", builders.OLE),
        ("foto.jpg", b"\x89PNG\r\n\x1a\n" + bytes(24)),
        ("datos.csv", b"a;b\n1;\x00\n"),  # a NUL byte: not text
        ("notas.txt", builders.EXE),
        ("notas.txt", b"\x81\x8d\x8f"),  # neither UTF-8 nor Windows-1252
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    extension = name[name.rindex(".") :]
    assert _refusal(builders.upload(name, content)).startswith(
        f"El contenido del archivo no corresponde a un archivo {extension}"
    )


def test_text_in_windows_1252_is_accepted():
    upload = builders.upload("avance.csv", "Dirección;Año\nSí;2026\n".encode("cp1252"))
    assert validate_evidence_file(upload) == "avance.csv"


def test_the_upload_is_read_again_from_its_start_after_the_check():
    upload = builders.upload("acta.pdf")
    validate_evidence_file(upload)
    assert upload.read() == builders.PDF


@pytest.mark.usefixtures("media_root")
def test_renamed_executable_is_refused_beside_the_field_and_nothing_is_saved(
    client, data, responsible
):
    client.force_login(responsible)
    response = client.post(
        reverse("management:report-create", args=[data.action.pk, data.period.pk]),
        {
            "progress": "10",
            "intent": "draft",
            "file": [builders.upload("informe.pdf", builders.EXE)],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1 and RENAMED in errors[0]
    assert RENAMED in response.content.decode()
    assert ProgressReport.objects.count() == 0
