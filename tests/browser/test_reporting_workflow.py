"""A progress report goes round the workflow in the browser: a Responsable submits it with
evidence, Planeación returns it with a comment, the Responsable corrects and resubmits,
Planeación approves, and the plan tree shows the new physical progress."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from management.models import ProgressReport
from mipg.core.models import ReviewStatus
from tests.browser.scenarios import approved_plan_with_an_open_period

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EVIDENCE = {
    "name": "acta-comite.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n% acta del comite\n%%EOF\n",
}


def nav_link(page, name):
    return page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name=name, exact=True
    )


def test_progress_report_returned_resubmitted_and_approved_shows_in_tree(
    page_as, planner, responsible, unit, settings
):
    plan, action, period = approved_plan_with_an_open_period(unit)
    reporter = page_as(responsible)
    reviewer = page_as(planner)

    # The Responsable reports 40 % with an evidence file from «Mis pendientes».
    nav_link(reporter, "Mis pendientes").click()
    reporter.get_by_role("link", name="Reportar A1 Periodo en curso").click()
    reporter.get_by_label(re.compile(r"Avance físico acumulado")).fill("40")
    reporter.get_by_label("Descripción del avance").fill("Se capacitaron 4 de 10 dependencias.")
    reporter.get_by_label(re.compile(r"^\s*Evidencias")).set_input_files(EVIDENCE)
    reporter.get_by_role("button", name="Enviar a revisión").click()
    expect(reporter.get_by_role("alert")).to_contain_text("Reporte de avance enviado a revisión.")
    expect(reporter.get_by_role("link", name="acta-comite.pdf")).to_be_visible()

    # Planeación returns it with a comment from the review queue.
    nav_link(reviewer, "Revisión").click()
    row = reviewer.get_by_role("row", name=re.compile(r"A1 Capacitar a las dependencias"))
    expect(row).to_contain_text("40,00 %")
    row.get_by_role("link", name="Devolver A1 Periodo en curso").click()
    reviewer.get_by_label(re.compile(r"Comentario para el responsable")).fill(
        "Adjunte también la lista de asistencia."
    )
    reviewer.get_by_role("button", name="Devolver", exact=True).click()
    expect(
        reviewer.get_by_text("No hay reportes ni mediciones pendientes de revisión.")
    ).to_be_visible()

    # The Responsable sees the comment, corrects the figure and resubmits.
    nav_link(reporter, "Mis pendientes").click()
    returned = reporter.get_by_role("row", name=re.compile(r"A1"))
    expect(returned).to_contain_text("Adjunte también la lista de asistencia.")
    returned.get_by_role("link", name="Corregir A1 Periodo en curso").click()
    expect(
        reporter.get_by_role("status").filter(has_text="Devuelto por Planeación")
    ).to_contain_text("Adjunte también la lista de asistencia.")
    reporter.get_by_label(re.compile(r"Avance físico acumulado")).fill("45")
    reporter.get_by_role("button", name="Enviar a revisión").click()
    expect(reporter.get_by_role("alert")).to_contain_text("Reporte de avance enviado a revisión.")

    # Planeación approves it.
    reviewer.reload()
    row = reviewer.get_by_role("row", name=re.compile(r"A1 Capacitar a las dependencias"))
    expect(row).to_contain_text("45,00 %")
    row.get_by_role("link", name="Aprobar A1 Periodo en curso").click()
    # The confirmation shows the figure that will count before it is approved.
    expect(reviewer.get_by_role("heading", level=1)).to_contain_text("Aprobar")
    expect(reviewer.get_by_text("45,00 %")).to_be_visible()
    reviewer.get_by_role("button", name="Aprobar", exact=True).click()
    expect(reviewer.get_by_role("alert")).to_contain_text("aprobado")

    # The plan tree shows the approved progress for the action.
    nav_link(reviewer, "Planes").click()
    reviewer.get_by_role("link", name="Plan de Acción vigente").click()
    tree = reviewer.get_by_role("table", name="Objetivos, metas y actividades del plan")
    goal = action.goal
    tree.get_by_role("link", name=f"Ver las metas de {goal.objective.code}").click()
    tree.get_by_role("link", name=f"Ver las actividades de {goal.code}").click()
    action_row = tree.get_by_role("row", name=re.compile("Capacitar a las dependencias"))
    expect(action_row).to_contain_text("45,00 %")
    expect(action_row).not_to_contain_text("sin reporte")

    report = ProgressReport.objects.get(action=action, period=period)
    assert report.status == ReviewStatus.APPROVED
    assert report.progress == Decimal("45")
    evidence = report.evidence.get()
    assert (settings.MEDIA_ROOT / evidence.file.name).read_bytes() == EVIDENCE["buffer"]
