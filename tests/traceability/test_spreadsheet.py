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
        plan=plan,
        code="O1",
        name="Fortalecer la planeación",
        weight=Decimal("100"),
        policies=[factories.policy("P03")],
    )
    goal = factories.GoalFactory(
        objective=objective,
        code="M1",
        name="Plan publicado",
        weight=Decimal("100"),
        unit=unit,
        product="Plan",
    )
    first = factories.ActionFactory(
        goal=goal,
        code="A1",
        name="Talleres",
        weight=Decimal("60"),
        quantity_target=Decimal("4"),
        quantity_unit="talleres",
        responsible=user,
        institutional_plans=[InstitutionalPlan.objects.get(code="PAA")],
    )
    factories.ActionFactory(goal=goal, code="A2", name="Publicación", weight=Decimal("40"))
    for period, planned in zip(periods, ("10", "40", "70", "100"), strict=True):
        ActionSchedule.objects.create(action=first, period=period, planned=Decimal(planned))
    for rubro, amount in (("2.3.1", "1234567.50"), ("2.3.2", "500000")):
        factories.AllocationFactory(
            action=first,
            source=FundingSource.objects.get(code="RP"),
            year=2026,
            rubro=rubro,
            appropriation=Decimal(amount),
            bpin="2026000123",
        )
    indicator = factories.IndicatorFactory(
        goal=goal, code="IND-1", unit=unit, baseline_value=Decimal("12.5")
    )
    for period, value in zip(periods, ("25", "50", "75", "100"), strict=True):
        IndicatorTarget.objects.create(indicator=indicator, period=period, value=Decimal(value))
    factories.IndicatorFactory(goal=None, objective=objective, code="IND-O", unit=unit)
    return objective


def exported(plan):
    """(workbook, its plan sheet, the sheet's header) of the plan's export."""
    workbook = openpyxl.load_workbook(write_plan(plan))
    sheet = workbook[layout.SHEET_TITLE]
    return workbook, sheet, [cell.value for cell in sheet[1]]


def approve(plan):
    plan.status = StrategicPlan.Status.APPROVED
    plan.save()


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
        for model in (
            Objective,
            Goal,
            Action,
            ActionSchedule,
            Indicator,
            IndicatorTarget,
            BudgetAllocation,
        )
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
    assert [
        (
            r[column["Código meta"]],
            r[column["Código actividad"]],
            r[column["Código indicador"]],
            r[column["Rubro"]],
        )
        for r in body
    ] == [
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
    assert workbook.sheetnames == [
        layout.SHEET_TITLE,
        layout.LISTS_TITLE,
        layout.INSTRUCTIONS_TITLE,
    ]
    sheet = workbook[layout.SHEET_TITLE]
    assert sheet.max_row == 1
    header = [cell.value for cell in sheet[1]]
    validations = {
        header[
            openpyxl.utils.column_index_from_string(str(v.sqref).split(":")[0][:-1]) - 1
        ]: v.formula1
        for v in sheet.data_validations.dataValidation
    }
    assert sorted(validations) == sorted(
        [
            "Política MIPG",
            "Dependencia de la meta",
            "Dependencia",
            "Planes del Decreto 612",
            "Tipo de indicador",
            "Nivel",
            "Tipo de acumulación",
            "Sentido",
            "Frecuencia",
            "Dependencia del indicador",
            "Fuente",
        ]
    )
    lists = workbook[layout.LISTS_TITLE]
    sources = [cell.value for cell in lists["B"]][1:]
    assert "Recursos propios" in sources and len([s for s in sources if s]) == 8
    instructions = workbook[layout.INSTRUCTIONS_TITLE]
    assert instructions["A1"].value == "Instrucciones"
    lines = [cell.value for cell in instructions["B"]]
    assert any(line and line.startswith("No se exportan ni se importan") for line in lines)
    assert any(line and "alineación de objetivos y metas" in line for line in lines)


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


def test_export_imports_into_an_empty_plan_and_exports_the_same(
    plan, periods, unit, planner, responsible
):
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


def filled(plan, rows, *, merge=(), formats=None):
    """The plan's template with ``rows`` ({header: value}, None for a blank row) from row 2;
    ``merge`` ranges of cells merged; ``formats`` {(row, header): number format}."""
    workbook = openpyxl.load_workbook(write_template(plan))
    sheet = workbook[layout.SHEET_TITLE]
    header = [cell.value for cell in sheet[1]]
    for number, values in enumerate(rows, start=2):
        for name, value in (values or {}).items():
            sheet.cell(row=number, column=header.index(name) + 1, value=value)
    for (number, name), number_format in (formats or {}).items():
        sheet.cell(row=number, column=header.index(name) + 1).number_format = number_format
    for cells in merge:
        sheet.merge_cells(cells)
    return as_file(workbook)


def objective_row(**extra):
    return {"Código objetivo": "O1", "Objetivo": "Fortalecer la planeación", **extra}


def goal_row(code="M1", **extra):
    return {"Código meta": code, "Meta": f"Meta {code}", **extra}


def action_row(code, weight, **extra):
    return {
        "Código actividad": code,
        "Actividad": f"Actividad {code}",
        "Ponderación actividad": weight,
        "Fecha de inicio": "01/02/2026",
        "Fecha de fin": "30/11/2026",
        **extra,
    }


def test_import_accepts_what_people_type(plan, periods, unit, planner):
    rows = [
        {
            **objective_row(
                **{
                    "Ponderación objetivo": "100 %",
                    "Política MIPG": "planeacion institucional; P13",
                }
            ),
            **goal_row(
                **{"Ponderación meta": "100", "Dependencia de la meta": "SECRETARIA DE PLANEACION"}
            ),
            **action_row(
                "A1",
                "30%",
                **{
                    "Fecha de inicio": datetime.datetime(2026, 3, 2),
                    "Fecha de fin": "15/12/2026",
                    "Presupuesto (apropiación inicial)": "$ 1.234.567,50",
                    "Vigencia": 2026,
                    "Rubro": "2.3.1",
                    "Fuente": "recursos propios",
                    "Planes del Decreto 612": "plan anual de adquisiciones",
                },
            ),
        },
        None,  # an extra blank row
        {
            **action_row("A2", 0.3),
            "Presupuesto (apropiación inicial)": "2.500.000",
            "Vigencia": "2026",
            "Rubro": "2.3.2",
            "Fuente": "SGP",
        },
        {
            **action_row("A3", 40),
            "Presupuesto (apropiación inicial)": 1500000,
            "Vigencia": 2026,
            "Rubro": "2.3.3",
            "Fuente": "Sistema General de Regalias (SGR)",
        },
        None,
    ]
    # The objective and goal cells of A1 merged down over A2 and A3 (A2 after a blank row).
    file = filled(
        plan,
        rows,
        merge=["A2:A5", "B2:B5", "E2:E5", "F2:F5"],
    )
    outcome = import_plan(plan, file, by=planner, filename="plan.xlsx", commit=True)
    assert outcome.problems == []
    objective = Objective.objects.get(plan=plan, code="O1")
    assert objective.weight == Decimal("100")
    assert sorted(objective.policies.values_list("code", flat=True)) == ["P03", "P13"]
    goal = objective.goals.get()
    assert (goal.code, goal.weight, goal.unit) == ("M1", Decimal("100"), unit)
    actions = {a.code: a for a in goal.actions.all()}
    assert {code: a.weight for code, a in actions.items()} == {
        "A1": Decimal("30"),
        "A2": Decimal("30"),
        "A3": Decimal("40"),
    }
    assert (actions["A1"].start_date, actions["A1"].end_date) == (
        datetime.date(2026, 3, 2),
        datetime.date(2026, 12, 15),
    )
    assert actions["A1"].unit == unit  # the goal's, as in the form
    assert list(actions["A1"].institutional_plans.values_list("code", flat=True)) == ["PAA"]
    budget = {a.rubro: (a.appropriation, a.source.code) for a in BudgetAllocation.objects.all()}
    assert budget == {
        "2.3.1": (Decimal("1234567.50"), "RP"),
        "2.3.2": (Decimal("2500000"), "SGP"),
        "2.3.3": (Decimal("1500000"), "SGR"),
    }


def test_import_reads_a_percent_formatted_weight_and_an_excel_serial_date(
    plan, periods, planner, unit
):
    rows = [
        {
            **objective_row(**{"Ponderación objetivo": 1}),
            **goal_row(**{"Ponderación meta": 100, "Dependencia de la meta": "SPL"}),
            **action_row("A1", 0.25, **{"Fecha de inicio": 46054}),
        }
    ]
    file = filled(plan, rows, formats={(2, "Ponderación objetivo"): "0%"})
    outcome = import_plan(plan, file, by=planner, filename="plan.xlsx", commit=True)
    assert outcome.problems == []
    action = Action.objects.get(code="A1")
    assert (action.weight, action.start_date) == (Decimal("25"), datetime.date(2026, 2, 1))
    assert Objective.objects.get(code="O1").weight == Decimal("100")


def test_mixed_errors_save_nothing_and_mark_the_cells(plan, periods, unit, planner):
    rows = [
        {
            **objective_row(**{"Ponderación objetivo": 100}),
            **goal_row(**{"Ponderación meta": 100, "Dependencia de la meta": "SPL"}),
            **action_row("A1", 60),
        },
        action_row("A2", 60),  # the siblings would sum 120
        {
            **action_row("A3", 10, **{"Fecha de fin": "31/02/2026"}),
            "Fuente": "Recursos del cielo",
            "Vigencia": 2026,
            "Rubro": "1",
            "Presupuesto (apropiación inicial)": "mil",
        },
        action_row("A4", 0, **{"Fecha de inicio": "01/01/2027", "Fecha de fin": "02/01/2027"}),
    ]
    source = filled(plan, rows)
    outcome = import_plan(plan, source, by=planner, filename="plan.xlsx", commit=True)
    assert not outcome.committed
    assert Objective.objects.filter(plan=plan).count() == 0
    assert Action.objects.count() == 0
    found = {(p.row, outcome.header(p.column)): p.message for p in outcome.problems}
    assert found == {
        (3, "Ponderación actividad"): (
            "Las demás actividades de la meta ya suman 60 %; quedan 40 % disponibles y se "
            "pidieron 60 %."
        ),
        (4, "Fecha de fin"): "«31/02/2026» no es una fecha; escríbala como dd/mm/aaaa.",
        (4, "Fuente"): "«Recursos del cielo» no está en la lista de fuente.",
        (4, "Presupuesto (apropiación inicial)"): "«mil» no es un número.",
        (
            5,
            "Fecha de inicio",
        ): "La fecha debe estar entre el 01/01/2026 y el 31/12/2026 (años del plan).",
        (
            5,
            "Fecha de fin",
        ): "La fecha debe estar entre el 01/01/2026 y el 31/12/2026 (años del plan).",
    }
    source.seek(0)
    sheet = openpyxl.load_workbook(write_error_workbook(source, outcome))[layout.SHEET_TITLE]
    header = [cell.value for cell in sheet[1]]
    errors = header.index("Errores de la importación") + 1
    assert errors == len(header)
    assert sheet.cell(row=2, column=errors).value is None
    assert sheet.cell(row=3, column=errors).value == (
        "«Ponderación actividad»: Las demás actividades de la meta ya suman 60 %; quedan 40 % "
        "disponibles y se pidieron 60 %."
    )
    assert sheet.cell(row=4, column=errors).value.splitlines() == [
        "«Fecha de fin»: «31/02/2026» no es una fecha; escríbala como dd/mm/aaaa.",
        "«Presupuesto (apropiación inicial)»: «mil» no es un número.",
        "«Fuente»: «Recursos del cielo» no está en la lista de fuente.",
    ]
    weight = header.index("Ponderación actividad") + 1
    assert sheet.cell(row=3, column=weight).fill.fgColor.rgb == "00F8CBAD"
    assert sheet.cell(row=2, column=weight).fill.fgColor.rgb != "00F8CBAD"


def test_import_refuses_what_the_form_refuses(plan, periods, unit, planner, other_unit):
    """The services' rules: a quantity without its unit, an indicator without its fields."""
    rows = [
        {
            **objective_row(**{"Ponderación objetivo": 100}),
            **goal_row(**{"Ponderación meta": 100, "Dependencia de la meta": "SPL"}),
            **action_row("A1", 100, **{"Cantidad": 4}),
            "Código indicador": "IND-1",
            "Indicador": "Talleres hechos",
        },
    ]
    outcome = import_plan(plan, filled(plan, rows), by=planner, filename="plan.xlsx", commit=True)
    found = {(p.row, outcome.header(p.column)) for p in outcome.problems}
    assert (2, "Unidad de la cantidad") in found
    assert {(2, "Fórmula"), (2, "Tipo de indicador"), (2, "Dependencia del indicador")} <= found
    assert Objective.objects.count() == 0


def test_import_into_an_approved_plan_makes_one_version_with_the_file_as_reason(
    plan, periods, unit, planner, responsible
):
    full_plan(plan, periods, unit, responsible)
    approve(plan)
    workbook, sheet, header = exported(plan)
    sheet.cell(row=3, column=header.index("Ponderación actividad") + 1, value="55 %")
    sheet.cell(row=4, column=header.index("Ponderación actividad") + 1, value="55 %")
    sheet.cell(row=5, column=header.index("Ponderación actividad") + 1, value="45 %")
    outcome = import_plan(
        plan, as_file(workbook), by=planner, filename="modificación.xlsx", commit=True
    )
    assert outcome.problems == []
    assert dict(outcome.counts["action"]) == {"updated": 2}
    # One version for the import, listing every versioned change.
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [(v.reason, v.changes) for v in versions] == [
        (
            "Importación de modificación.xlsx",
            [
                {"item": "A1 Talleres", "what": "weight", "old": "60", "new": "55"},
                {"item": "A2 Publicación", "what": "weight", "old": "40", "new": "45"},
            ],
        ),
    ]
    assert Action.history.filter(code="A1").first().history_change_reason == (
        "Importación de modificación.xlsx"
    )


def test_import_preview_saves_nothing(plan, periods, unit, planner):
    rows = [
        {
            **objective_row(**{"Ponderación objetivo": 100}),
            **goal_row(**{"Dependencia de la meta": "SPL"}),
            **action_row("A1", 100),
        }
    ]
    outcome = import_plan(plan, filled(plan, rows), by=planner, filename="plan.xlsx", commit=False)
    assert outcome.ok and not outcome.committed
    assert dict(outcome.counts["action"]) == {"created": 1}
    assert outcome.notes[2] == ["Objetivo O1: crea", "Meta M1: crea", "Actividad A1: crea"]
    assert Objective.objects.count() == 0


@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_only_planeacion_and_administrador_import(plan, periods, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        import_plan(
            plan, filled(plan, [objective_row()]), by=user, filename="plan.xlsx", commit=True
        )


def test_administrador_imports(plan, periods, admin_user):
    rows = [objective_row(**{"Ponderación objetivo": 100})]
    outcome = import_plan(
        plan, filled(plan, rows), by=admin_user, filename="plan.xlsx", commit=True
    )
    assert outcome.committed and Objective.objects.get(plan=plan).weight == Decimal("100")


def test_import_of_a_closed_plan_is_refused(plan, periods, planner):
    plan.status = StrategicPlan.Status.CLOSED
    plan.save()
    outcome = import_plan(
        plan, filled(plan, [objective_row()]), by=planner, filename="plan.xlsx", commit=True
    )
    assert [p.message for p in outcome.problems] == [
        "El plan «Plan de Acción 2026» está cerrado: no se pueden modificar sus objetivos, metas, "
        "actividades, periodos, indicadores, presupuesto, reportes de avance ni mediciones."
    ]


def test_import_of_a_file_that_is_not_a_workbook(plan, planner):
    outcome = import_plan(plan, io.BytesIO(b"hola"), by=planner, filename="plan.xlsx", commit=True)
    assert [p.message for p in outcome.problems] == [
        "El archivo no es un libro de Excel (.xlsx) válido."
    ]


def test_weight_moved_between_siblings_is_accepted_in_any_row_order(
    plan, periods, unit, planner, responsible
):
    """A1 60 → 40 and A2 40 → 60 with A2's row first: A1 goes down before A2 goes up."""
    full_plan(plan, periods, unit, responsible)
    workbook, sheet, header = exported(plan)
    weight = header.index("Ponderación actividad") + 1
    for number, value in ((3, "40%"), (4, "40%"), (5, "60%")):
        sheet.cell(row=number, column=weight, value=value)
    sheet.move_range("A2:ZZ2", rows=4)  # the objective's indicator row to the end
    sheet.move_range("A5:ZZ5", rows=-3)  # A2's row first
    outcome = import_plan(plan, as_file(workbook), by=planner, filename="p.xlsx", commit=True)
    assert outcome.problems == []
    assert dict(outcome.counts["action"]) == {"updated": 2}
    assert dict(Action.objects.values_list("code", "weight")) == {
        "A1": Decimal("40"),
        "A2": Decimal("60"),
    }


def test_an_action_without_goal_and_a_budget_without_action_are_problems(plan, periods, planner):
    rows = [
        {**objective_row(**{"Ponderación objetivo": 100}), **action_row("A1", 100)},
        {"Código objetivo": "O1", "Rubro": "2.3.1", "Fuente": "RP", "Vigencia": 2026},
    ]
    outcome = import_plan(plan, filled(plan, rows), by=planner, filename="p.xlsx", commit=True)
    assert [(p.row, outcome.header(p.column), p.message) for p in outcome.problems] == [
        (2, "Código meta", "Indique la meta de la actividad."),
        (3, "Código actividad", "Indique la actividad de este presupuesto."),
    ]
    assert not Objective.objects.exists()


def test_import_of_an_unchanged_file_runs_the_same_queries_for_one_or_three_actions(
    plan, periods, unit, planner, count_queries
):
    goal = factories.GoalFactory(objective__plan=plan, unit=unit)
    counts = []
    for total in (1, 3):
        while Action.objects.count() < total:
            action = factories.ActionFactory(goal=goal, weight=Decimal("10"))
            factories.AllocationFactory(action=action, source=FundingSource.objects.get(code="RP"))
            indicator = factories.IndicatorFactory(goal=goal)
            factories.TargetFactory(indicator=indicator, period=periods[0])
        exported = write_plan(plan)
        by = type(planner).objects.get(pk=planner.pk)  # permissions not cached yet, both times
        with count_queries() as queries:
            outcome = import_plan(plan, exported, by=by, filename="p.xlsx", commit=True)
        assert outcome.ok and not outcome.counts["action"]["created"]
        counts.append(queries.count)
    assert counts[0] == counts[1]


def test_indicator_and_target_changes_go_into_the_imports_one_version(
    plan, periods, unit, planner, responsible
):
    """On an approved plan an import that changes an indicator's baseline and a target
    records them in its one plan version (the single services would make one each)."""
    full_plan(plan, periods, unit, responsible)
    approve(plan)
    workbook, sheet, header = exported(plan)
    code = header.index("Código indicador") + 1
    rows = [
        r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=code).value == "IND-1"
    ]
    for row in rows:
        sheet.cell(row=row, column=header.index("Línea base") + 1, value=13)
        sheet.cell(
            row=row, column=header.index(f"Meta del indicador {periods[1].label}") + 1, value=55
        )
    outcome = import_plan(plan, as_file(workbook), by=planner, filename="metas.xlsx", commit=True)
    assert outcome.problems == []
    assert dict(outcome.counts["indicator"]) == {"updated": 1, "unchanged": 1}
    versions = list(PlanVersion.objects.filter(plan=plan))
    item = str(Indicator.objects.get(code="IND-1"))
    assert [(v.reason, v.changes) for v in versions] == [
        (
            "Importación de metas.xlsx",
            [
                {
                    "item": item,
                    "what": "baseline_value",
                    "old": "12,5",
                    "new": "13",
                },
                {
                    "item": f"{item} — {periods[1].label}",
                    "what": "target",
                    "old": "50",
                    "new": "55",
                },
            ],
        )
    ]
    assert IndicatorTarget.objects.get(indicator__code="IND-1", period=periods[1]).value == 55
    assert Indicator.history.filter(code="IND-1").first().history_change_reason == (
        "Importación de metas.xlsx"
    )
