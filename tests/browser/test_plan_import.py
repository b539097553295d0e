"""Planeación downloads the template of a plan, fills it, uploads it, sees the preview,
confirms, and the plan tree shows the rows."""

import openpyxl
import pytest
from playwright.sync_api import expect

from planning.models import Action
from tests import factories
from tests.builders import quarters_2026

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_planner_imports_a_filled_template(page_as, planner, unit, tmp_path):
    plan = factories.PlanFactory(name="Plan de Acción 2026")
    quarters_2026(plan)
    page = page_as(planner)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Importar desde Excel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importar Plan de Acción")

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar la plantilla").click()
    template = tmp_path / "plantilla.xlsx"
    download.value.save_as(template)
    assert download.value.suggested_filename.startswith(f"plantilla-plan-de-accion-{plan.pk}-")
    workbook = openpyxl.load_workbook(template)
    sheet = workbook["Plan de Acción"]
    header = [cell.value for cell in sheet[1]]
    rows = [
        {
            "Código objetivo": "O1",
            "Objetivo": "Fortalecer la planeación",
            "Ponderación objetivo": "100 %",
            "Código meta": "M1",
            "Meta": "Plan publicado",
            "Ponderación meta": 100,
            "Dependencia de la meta": "Secretaría de Planeación",
            "Código actividad": "A1",
            "Actividad": "Talleres de formulación",
            "Ponderación actividad": "60%",
            "Fecha de inicio": "01/02/2026",
            "Fecha de fin": "30/06/2026",
        },
        {
            "Código actividad": "A2",
            "Actividad": "Publicación del plan",
            "Ponderación actividad": 40,
            "Fecha de inicio": "01/07/2026",
            "Fecha de fin": "31/07/2026",
        },
    ]
    for number, values in enumerate(rows, start=2):
        for name, value in values.items():
            sheet.cell(row=number, column=header.index(name) + 1, value=value)
    filled = tmp_path / "plan-lleno.xlsx"
    workbook.save(filled)

    page.get_by_label("Archivo del Plan de Acción (.xlsx)").set_input_files(str(filled))
    page.get_by_role("button", name="Ver vista previa").click()
    expect(page.get_by_text("Vista previa de «plan-lleno.xlsx» (2 filas)")).to_be_visible()
    summary = page.locator("#resumen-importacion")
    expect(summary.get_by_role("row", name="Actividades 2 0 0", exact=True)).to_be_visible()
    assert not Action.objects.exists()

    page.get_by_role("button", name="Confirmar la importación").click()
    expect(page.get_by_text("Se importó «plan-lleno.xlsx»")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan de Acción 2026")
    tree = page.get_by_role("table", name="Objetivos, metas y actividades del plan")
    expect(tree.get_by_text("Fortalecer la planeación")).to_be_visible()
    for toggle in ("Ver las metas de O1", "Ver las actividades de M1"):
        link = tree.get_by_role("link", name=toggle)
        link.click()
        expect(link).to_have_attribute("aria-expanded", "true")
    expect(tree.get_by_text("Talleres de formulación")).to_be_visible()
    expect(tree.get_by_text("Publicación del plan")).to_be_visible()
    assert sorted(Action.objects.values_list("code", flat=True)) == ["A1", "A2"]
