"""A Planeación user builds a whole plan from an empty database, only through the UI."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from evaluation.models import Indicator
from management.models import BudgetExecution
from planning.models import StrategicPlan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def label(text):
    """A form label, with or without crispy's required-field asterisk."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def save(page, name="Guardar"):
    page.get_by_role("button", name=name, exact=True).click()


def open_plan(page, name):
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Planes", exact=True
    ).click()
    page.get_by_role("link", name=name).click()


def open_branch(tree, name):
    """Click a closed toggle of the tree: the script inserts its branch below it."""
    toggle = tree.get_by_role("link", name=name)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")


def test_planner_builds_a_plan_from_an_empty_database(page_as, planner, unit):
    assert not StrategicPlan.objects.exists()
    page = page_as(planner)

    # Plan list → new plan → the plan workspace.
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Planes", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planes")
    expect(page.get_by_text("Aún no hay planes.")).to_be_visible()
    page.get_by_role("link", name="Nuevo plan").click()
    page.get_by_label(label("Nombre")).fill("Plan de Acción 2026")
    page.get_by_label(label("Tipo")).select_option(label="Plan de Acción")
    page.get_by_label(label("Año inicial")).fill("2026")
    page.get_by_label(label("Año final")).fill("2026")
    save(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan de Acción 2026")
    expect(page.get_by_text("El plan aún no tiene objetivos.")).to_be_visible()

    # Objective → goal → action, each from the tree.
    page.get_by_role("link", name="Agregar objetivo").click()
    page.get_by_label(label("Código")).fill("O1")
    page.get_by_label(label("Nombre")).fill("Fortalecer la planeación institucional")
    page.get_by_label(label("Ponderación")).fill("100")
    page.get_by_role("checkbox", name="P03 Planeación Institucional").check()
    save(page)
    tree = page.get_by_role("table", name="Objetivos, metas y actividades del plan")
    expect(tree.get_by_role("row", name=re.compile("Fortalecer la planeación"))).to_be_visible()

    tree.get_by_role("link", name="Agregar meta a O1").click()
    page.get_by_label(label("Código")).fill("M1")
    page.get_by_label(label("Nombre")).fill("Plan de acción publicado")
    page.get_by_label(label("Ponderación")).fill("100")
    page.get_by_label(label("Dependencia responsable")).select_option(label=unit.name)
    save(page)

    tree.get_by_role("link", name="Agregar actividad a M1").click()
    page.get_by_label(label("Código")).fill("A1")
    page.get_by_label(label("Nombre")).fill("Formular el plan de acción")
    page.get_by_label(label("Fecha de inicio")).fill("2026-02-01")
    page.get_by_label(label("Fecha de fin")).fill("2026-11-30")
    page.get_by_label(label("Ponderación")).fill("100")
    save(page)
    action_row = tree.get_by_role("row", name=re.compile("Formular el plan de acción"))
    expect(action_row).to_contain_text("A1")
    expect(action_row).to_contain_text(unit.name)

    # The four quarters of 2026.
    page.get_by_role("link", name="Periodos", exact=True).click()
    page.get_by_label("Año").fill("2026")
    page.get_by_role("button", name="Crear los cuatro trimestres").click()
    periods = page.get_by_role("table", name="Periodos de reporte del plan")
    expect(periods.locator("tbody tr")).to_have_count(4)

    # An indicator of the goal, and its targets for the four quarters.
    # The tree opens with the objectives closed; the script opens O1 in place.
    page.get_by_role("link", name="Árbol del plan").click()
    expect(tree.get_by_role("link", name="Plan de acción publicado")).to_have_count(0)
    open_branch(tree, "Ver las metas de O1")
    tree.get_by_role("link", name="Plan de acción publicado").click()
    page.get_by_role("link", name="Agregar indicador").click()
    page.get_by_label(label("Código")).fill("IND-1")
    page.get_by_label(label("Nombre")).fill("Porcentaje de avance del plan")
    expect(page.get_by_label(label("Mide"))).to_have_value(re.compile(r"^goal:\d+$"))
    page.get_by_label(label("Fórmula")).fill("Actividades cumplidas / programadas × 100")
    page.get_by_label(label("Unidad de medida")).fill("Porcentaje")
    page.get_by_label(label("Dependencia responsable")).select_option(label=unit.name)
    save(page, "Crear indicador")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Porcentaje de avance del plan")

    page.get_by_role("link", name="Editar metas por periodo").click()
    for quarter, value in enumerate(("25", "50", "75", "100"), start=1):
        page.get_by_label(f"T{quarter} 2026", exact=True).fill(value)
    save(page, "Guardar metas")
    expect(page.get_by_role("alert")).to_contain_text("Metas del indicador guardadas.")

    # Budget of the action: an allocation and a CDP against it.
    open_plan(page, "Plan de Acción 2026")
    open_branch(tree, "Ver las metas de O1")
    open_branch(tree, "Ver las actividades de M1")
    tree.get_by_role("link", name="Formular el plan de acción").click()
    page.get_by_role("link", name="Gestionar presupuesto").click()
    page.get_by_role("link", name="Nueva asignación").click()
    page.get_by_label(label("Fuente")).select_option(index=1)
    page.get_by_label(label("Vigencia")).fill("2026")
    page.get_by_label(label("Rubro presupuestal")).fill("2.3.2.02.02.008")
    page.get_by_label(label("Apropiación inicial")).fill("1.000.000")
    save(page, "Crear asignación")
    page.get_by_role("link", name="Registrar ejecución").click()
    page.get_by_label(label("Etapa")).select_option(label="CDP")
    page.get_by_label(label("Valor")).fill("250.000")
    page.get_by_label(label("Fecha")).fill("2026-03-15")
    page.get_by_label(label("Número de documento")).fill("CDP-0042")
    save(page, "Registrar")
    expect(page.get_by_role("table", name="Registros de ejecución")).to_contain_text("CDP-0042")
    open_plan(page, "Plan de Acción 2026")
    open_branch(tree, "Ver las metas de O1")
    open_branch(tree, "Ver las actividades de M1")
    expect(action_row).to_contain_text("$ 1.000.000")
    # a second click closes the branch
    tree.get_by_role("link", name="Ver las metas de O1").click()
    expect(action_row).to_have_count(0)

    # Everything landed in the database, linked as the tree shows it.
    plan = StrategicPlan.objects.get()
    objective = plan.objectives.get()
    goal = objective.goals.get()
    action = goal.actions.get()
    assert (plan.name, plan.start_year, plan.end_year) == ("Plan de Acción 2026", 2026, 2026)
    assert (objective.code, goal.code, action.code) == ("O1", "M1", "A1")
    assert goal.unit == unit and action.unit == unit
    assert list(objective.policies.values_list("code", flat=True)) == ["P03"]
    assert plan.periods.count() == 4
    indicator = Indicator.objects.get()
    assert indicator.goal == goal
    assert sorted(t.value for t in indicator.targets.all()) == [
        Decimal(v) for v in ("25", "50", "75", "100")
    ]
    allocation = action.allocations.get()
    assert allocation.appropriation == Decimal("1000000")
    execution = allocation.executions.get()
    assert (execution.stage, execution.amount) == (BudgetExecution.Stage.CDP, Decimal("250000"))
