"""The Plan de Acción spreadsheet: export, template, and the all-or-nothing import through
the services (mipg.traceability.spreadsheet)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from evaluation.models import Indicator, IndicatorTarget
from management.models import BudgetAllocation, FundingSource
from mipg.core.models import InstitutionalPlan
from mipg.traceability.spreadsheet import layout
from mipg.traceability.spreadsheet.errors import write_error_workbook
from mipg.traceability.spreadsheet.export import write_plan, write_template
from mipg.traceability.spreadsheet.importer import import_plan
from planning.models import Action, ActionSchedule, Goal, Objective, PlanVersion, StrategicPlan
from tests import factories
from tests.builders import quarters_2026

HEADERS = [str(c.header) for c in layout.OBJECTIVE_COLUMNS + layout.GOAL_COLUMNS]


@pytest.fixture
def plan(db):
    return factories.PlanFactory(name="Plan de Acción 2026")


@pytest.fixture
def periods(plan):
    return quarters_2026(plan)


def full_plan(plan, periods, unit, user):
    """O1 (P03) → M1 (unit) → A1 (2 allocations, programación, PAA, 4 talleres) and A2;
    indicator IND-1 of M1 with targets, IND-O of O1."""
    objective = factories.ObjectiveFactory(
        plan=plan, code="O1", name="Fortalecer la planeación", weight=Decimal("100"),
        policies=[factories.policy("P03")],
    )
    goal = factories.GoalFactory(
        objective=objective, code="M1", name="Plan publicado", weight=Decimal("100"), unit=unit,
        product="Plan",
    )
    first = factories.ActionFactory(
        goal=goal, code="A1", name="Talleres", weight=Decimal("60"),
        quantity_target=Decimal("4"), quantity_unit="talleres", responsible=user,
        institutional_plans=[InstitutionalPlan.objects.get(code="PAA")],
    )
    factories.ActionFactory(goal=goal, code="A2", name="Publicación", weight=Decimal("40"))
    for period, planned in zip(periods, ("10", "40", "70", "100"), strict=True):
        ActionSchedule.objects.create(action=first, period=period, planned=Decimal(planned))
    for rubro, amount in (("2.3.1", "1234567.50"), ("2.3.2", "500000")):
        factories.AllocationFactory(
            action=first, source=FundingSource.objects.get(code="RP"), year=2026, rubro=rubro,
            appropriation=Decimal(amount), bpin="2026000123",
        )
    indicator = factories.IndicatorFactory(goal=goal, code="IND-1", unit=unit, baseline_value=Decimal("12.5"))
    for period, value in zip(periods, ("25", "50", "75", "100"), strict=True):
        IndicatorTarget.objects.create(indicator=indicator, period=period, value=Decimal(value))
    factories.IndicatorFactory(goal=None, objective=objective, code="IND-O", unit=unit)
    return objective


def sheet_rows(file):
    sheet = openpyxl.load_workbook(file)[layout.SHEET_TITLE]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def as_file(workbook):
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return output


def history_counts():
    return [
        model.history.count()
        for model in (Objective, Goal, Action, ActionSchedule, Indicator, IndicatorTarget, BudgetAllocation)
    ]


def test_export_writes_one_row_per_action_and_allocation(plan, periods, unit, planner, responsible):
    full_plan(plan, periods, unit, responsible)
    rows = sheet_rows(write_plan(plan))
    header = rows[0]
    assert header[:3] == ["Código objetivo", "Objetivo", "Ponderación objetivo"]
    assert "Programación 2026-T1" in header and "Meta del indicador 2026-T4" in header
    column = {name: header.index(name) for name in header}
    body = rows[1:]
    # IND-O on its own row, then A1 twice (two allocations; IND-1 on the first) and A2.
    assert [(r[column["Código meta"]], r[column["Código actividad"]], r[column["Código indicador"]], r[column["Rubro"]]) for r in body] == [
        (None, None, "IND-O", None),
        ("M1", "A1", "IND-1", "2.3.1"),
        ("M1", "A1", None, "2.3.2"),
        ("M1", "A2", None, None),
    ]
    first = body[1]
    assert first[column["Ponderación actividad"]] == 0.6
    assert first[column["Fecha de inicio"]] == datetime.datetime(2026, 2, 1)
    assert first[column["Presupuesto (apropiación inicial)"]] == 1234567.5
    assert first[column["Política MIPG"]] == "P03 Planeación Institucional"
    assert first[column["Planes del Decreto 612"]] == "Plan Anual de Adquisiciones"
    assert first[column["Programación 2026-T2"]] == 0.4
    assert first[column["Meta del indicador 2026-T3"]] == 75
    assert first[column["Responsable"]] == "responsable"


def test_export_formats_frozen_header_and_widths(plan, periods, unit, planner, responsible):
    full_plan(plan, periods, unit, responsible)
    sheet = openpyxl.load_workbook(write_plan(plan))[layout.SHEET_TITLE]
    assert sheet.freeze_panes == "B2"
    assert sheet.column_dimensions["B"].width == 40
    assert sheet["C2"].number_format == "0.00%"
    header = [cell.value for cell in sheet[1]]
    money = header.index("Presupuesto (apropiación inicial)") + 1
    assert sheet.cell(row=3, column=money).number_format == "$ #,##0.00"


def test_template_has_headers_instructions_and_lists(plan, periods):
    workbook = openpyxl.load_workbook(write_template(plan))
    assert workbook.sheetnames == [layout.SHEET_TITLE, layout.LISTS_TITLE, layout.INSTRUCTIONS_TITLE]
    sheet = workbook[layout.SHEET_TITLE]
    assert sheet.max_row == 1
    header = [cell.value for cell in sheet[1]]
    validations = {
        header[openpyxl.utils.column_index_from_string(str(v.sqref).split(":")[0][:-1]) - 1]: v.formula1
        for v in sheet.data_validations.dataValidation
    }
    assert sorted(validations) == sorted([
        "Política MIPG", "Dependencia de la meta", "Dependencia", "Planes del Decreto 612",
        "Tipo de indicador", "Nivel", "Tipo de acumulación", "Sentido", "Frecuencia",
        "Dependencia del indicador", "Fuente",
    ])
    lists = workbook[layout.LISTS_TITLE]
    sources = [cell.value for cell in lists["B"]][1:]
    assert "Recursos propios" in sources and len([s for s in sources if s]) == 8
    assert workbook[layout.INSTRUCTIONS_TITLE]["A1"].value == "Instrucciones"


def test_round_trip_changes_nothing(plan, periods, unit, planner, responsible):
    full_plan(plan, periods, unit, responsible)
    before = history_counts()
    outcome = import_plan(plan, write_plan(plan), by=planner, filename="plan.xlsx", commit=True)
    assert outcome.problems == []
    assert {kind: dict(c) for kind, c in outcome.counts.items() if c} == {
        "objective": {"unchanged": 1},
        "goal": {"unchanged": 1},
        "action": {"unchanged": 2},
        "schedule": {"unchanged": 1},
        "indicator": {"unchanged": 2},
        "targets": {"unchanged": 1},
        "allocation": {"unchanged": 2},
    }
    assert history_counts() == before


def test_export_imports_into_an_empty_plan_and_exports_the_same(plan, periods, unit, planner, responsible):
    full_plan(plan, periods, unit, responsible)
    exported = write_plan(plan)
    other = factories.PlanFactory(name="Copia")
    quarters_2026(other)
    outcome = import_plan(other, exported, by=planner, filename="plan.xlsx", commit=True)
    assert outcome.problems == []
    assert outcome.counts["action"]["created"] == 2
    assert outcome.counts["allocation"]["created"] == 2
    exported.seek(0)
    assert sheet_rows(write_plan(other)) == sheet_rows(exported)
    # Twice: nothing changes.
    before = history_counts()
    again = import_plan(other, write_plan(other), by=planner, filename="plan.xlsx", commit=True)
    assert again.problems == [] and history_counts() == before
