"""Issue #12's journey in Chromium: a citizen opens the portal, reads a published report,
downloads its PDF, checks its hash on the verify page and asks a question; Planeación
answers it with a commitment; the answer and the commitment appear publicly."""

import datetime
import hashlib
import re

import pytest
from playwright.sync_api import expect

from accountability import outputs
from accountability.services import publish_report
from mipg.core import roles
from tests.builders import PDF, dashboard_example, generated_report
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_citizen_reads_verifies_and_asks_and_sees_the_answer_and_commitment(
    new_page, page_as, monkeypatch, tmp_path
):
    # new_page (through page_as) first: it points MEDIA_ROOT at a temporary folder before
    # the report's files are written. The PDF drawing is replaced for speed; its bytes
    # are stored, hashed and served like any other.
    citizen = new_page()
    monkeypatch.setattr(outputs, "report_pdf", lambda context: PDF)
    example = dashboard_example()
    planner = UserFactory(username="planeacion.xqz", roles=[roles.PLANEACION])
    report = publish_report(
        generated_report(example, planner, title="Rendición de cuentas XQZ 2026-I"), by=planner
    )
    pdf_hash = report.files.get(name="informe.pdf").sha256

    # The citizen arrives at the site root and lands on the portal.
    citizen.goto("/")
    expect(citizen).to_have_url(re.compile(r"/transparencia/$"))
    citizen.get_by_role("link", name="Rendición de cuentas XQZ 2026-I").first.click()
    expect(citizen.get_by_text("Al corte, el plan lleva un avance de 44,00 %")).to_be_visible()

    # Download the PDF; its SHA-256 is the one the page publishes.
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="informe.pdf").click()
    downloaded = download.value.path().read_bytes()
    assert hashlib.sha256(downloaded).hexdigest() == pdf_hash
    files = citizen.get_by_role("region", name="Archivos del informe")
    expect(files.get_by_role("row", name=re.compile("informe.pdf"))).to_contain_text(pdf_hash)

    # The verify page recomputes the hashes and says so in words.
    citizen.get_by_role(
        "link", name="Verificar que los archivos siguen siendo los publicados"
    ).click()
    expect(citizen.get_by_text("Verificado: todo coincide.")).to_be_visible()
    expect(
        citizen.get_by_text("El archivo informe.pdf coincide con la huella publicada.")
    ).to_be_visible()
    citizen.go_back()

    # Ask a question.
    citizen.get_by_role("link", name="Haga una pregunta sobre este informe").click()
    citizen.get_by_label("Su pregunta").fill("¿Cuándo terminan las obras del parque XQZ?")
    citizen.get_by_label("Su nombre (opcional)").fill("Marta Lucía Pérez")
    citizen.get_by_role("button", name="Enviar pregunta").click()
    expect(citizen.get_by_role("heading", name="Gracias. Recibimos su pregunta.")).to_be_visible()

    # Planeación answers it with a commitment.
    staff = page_as(planner)
    staff.goto("/rendicion-de-cuentas/preguntas/")
    staff.get_by_role("link", name=re.compile("obras del parque XQZ")).first.click()
    staff.locator("#id_answer").fill("Las obras terminan en agosto XQZANS.")
    staff.locator("#id_commitment_description").fill("Publicar el cronograma de obras XQZCOM")
    staff.locator("#id_commitment_unit").select_option(label=example["units"][0].name)
    due = datetime.date.today() + datetime.timedelta(days=30)
    staff.locator("#id_commitment_due_date").fill(due.isoformat())
    staff.get_by_role("button", name="Publicar respuesta").click()
    expect(staff.get_by_text("Publicar el cronograma de obras XQZCOM")).to_be_visible()

    # The citizen sees the answer and the commitment under the report.
    citizen.goto(f"/transparencia/informes/{report.pk}/")
    dialogue = citizen.locator("#preguntas")
    expect(dialogue).to_contain_text("¿Cuándo terminan las obras del parque XQZ?")
    expect(dialogue).to_contain_text("Las obras terminan en agosto XQZANS.")
    commitments = dialogue.get_by_role("region", name="Compromisos del informe")
    expect(commitments).to_contain_text("Publicar el cronograma de obras XQZCOM")
    expect(commitments).to_contain_text(example["units"][0].name)
    expect(commitments).to_contain_text("Pendiente")
    # Personal data stays private: no surname, no e-mail.
    expect(dialogue).not_to_contain_text("Pérez")
