"""CSV and XLSX exports of the lists: the whole filtered list (not the page), Spanish
headers, numbers as numbers."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from mipg.core.models import ReviewStatus
from tests import factories
from tests.builders import ACTION_PATH_HEADERS

pytestmark = pytest.mark.django_db


def content(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response)


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = content(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(content(response)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def export(name, fmt):
    return reverse(name, kwargs={"fmt": fmt})


@pytest.fixture
def actions(unit, other_unit):
    goal = factories.GoalFactory(unit=unit)
    made = [
        factories.ActionFactory(goal=goal, code=f"A{i:02d}", weight=Decimal("3.5"))
        for i in range(30)
    ]
    factories.ActionFactory(goal=factories.GoalFactory(unit=other_unit), code="OTRA")
    return made


def test_action_csv_exports_the_whole_filtered_list(client, planner, actions, unit):
    client.force_login(planner)
    response = client.get(export("planning:action-export", "csv"), {"unit": unit.pk})
    assert response["Content-Disposition"].startswith('attachment; filename="actividades-')
    header, *data = csv_rows(response)
    assert header[:7] == ACTION_PATH_HEADERS
    code, weight = header.index("Código"), header.index("Ponderación (%)")
    assert [row[code] for row in data] == [f"A{i:02d}" for i in range(30)]  # not only 25
    assert data[0][weight] == "3.50"
    assert data[0][header.index("Fecha de inicio")] == "2026-02-01"
    assert data[0][header.index("Archivada")] == "No"


def test_action_xlsx_has_spanish_headers_numbers_and_dates(client, planner, actions, unit):
    factories.ProgressReportFactory(
        action=actions[0], progress=Decimal("62.5"), status=ReviewStatus.APPROVED
    )
    client.force_login(planner)
    response = client.get(
        export("planning:action-export", "xlsx"), {"unit": unit.pk, "ordering": "code"}
    )
    assert response["Content-Disposition"].startswith('attachment; filename="actividades-')
    header, *data = xlsx_rows(response)
    assert "Avance físico (%)" in header and "Planes del Decreto 612" in header
    assert len(data) == 30
    first = dict(zip(header, data[0], strict=True))
    assert first["Código"] == "A00"
    assert first["Avance físico (%)"] == 62.5  # a number, not text
    assert first["Ponderación (%)"] == 3.5
    assert first["Fecha de inicio"] == datetime.datetime(2026, 2, 1)
    assert first["Archivada"] is False


def test_allocation_exports_carry_money_as_numbers(client, planner, unit):
    allocation = factories.AllocationFactory(
        action=factories.ActionFactory(goal=factories.GoalFactory(unit=unit), code="A-PRES"),
        rubro="2.3.2",
        appropriation=Decimal("2000000.50"),
    )
    factories.ExecutionFactory(allocation=allocation, stage="cdp", amount=Decimal("1500000"))
    factories.ExecutionFactory(allocation=allocation, stage="commitment", amount=Decimal("500000"))
    client.force_login(planner)

    header, row = xlsx_rows(client.get(export("management:allocation-export", "xlsx")))
    values = dict(zip(header, row, strict=True))
    assert values["Apropiación inicial"] == 2000000.5
    assert values["Modificaciones"] == 0
    assert values["Apropiación definitiva"] == 2000000.5
    assert values["CDP"] == 1500000
    assert values["Compromiso / RP"] == 500000
    assert values["Saldo disponible"] == 500000.5
    assert values["Vigencia"] == 2026

    header, row = csv_rows(client.get(export("management:allocation-export", "csv")))
    values = dict(zip(header, row, strict=True))
    assert Decimal(values["Apropiación inicial"]) == Decimal("2000000.50")
    assert Decimal(values["Compromiso (%)"]) == Decimal("25.00")


def test_indicator_export_with_a_period_adds_its_figures(client, planner, unit):
    indicator = factories.IndicatorFactory(goal__unit=unit, code="IND-1")
    period = factories.PeriodFactory(plan=indicator.goal.objective.plan, label="T1")
    factories.TargetFactory(indicator=indicator, period=period, value=Decimal("10"))
    factories.MeasurementFactory(
        indicator=indicator, period=period, value=Decimal("8"), status=ReviewStatus.APPROVED
    )
    client.force_login(planner)
    url = export("evaluation:indicator-export", "xlsx")

    header, row = xlsx_rows(client.get(url, {"period": period.pk}))
    values = dict(zip(header, row, strict=True))
    assert values["Meta del periodo"] == 10
    assert values["Ejecutado (aprobado)"] == 8
    assert values["Cumplimiento (%)"] == 80
    assert values["Semáforo"] == "Verde"

    header, _row = xlsx_rows(client.get(url))
    assert "Semáforo" not in header  # no period chosen: no figures


def test_indicator_export_keeps_the_semaforo_filter(client, planner, unit):
    goal = factories.GoalFactory(unit=unit)
    period = factories.PeriodFactory(plan=goal.objective.plan)
    for code, value in (("IND-V", "9"), ("IND-R", "2")):
        indicator = factories.IndicatorFactory(goal=goal, code=code)
        factories.TargetFactory(indicator=indicator, period=period, value=Decimal("10"))
        factories.MeasurementFactory(
            indicator=indicator, period=period, value=Decimal(value), status=ReviewStatus.APPROVED
        )
    client.force_login(planner)
    header, *data = csv_rows(
        client.get(
            export("evaluation:indicator-export", "csv"), {"period": period.pk, "semaforo": "rojo"}
        )
    )
    assert [row[header.index("Código")] for row in data] == ["IND-R"]


def test_report_export_has_status_and_dates(client, planner, responsible):
    report = factories.ProgressReportFactory(
        progress=Decimal("45"), status=ReviewStatus.SUBMITTED, submitted_by=responsible
    )
    client.force_login(planner)
    header, row = csv_rows(client.get(export("management:report-export", "csv")))
    values = dict(zip(header, row, strict=True))
    assert values["Código actividad"] == report.action.code
    assert values["Estado"] == "Enviado"
    assert values["Avance físico acumulado (%)"] == "45.00"
    assert values["Enviado por"] == str(responsible)


def test_text_that_looks_like_a_formula_is_exported_as_text(client, planner):
    factories.ActionFactory(code="F1", name='=HYPERLINK("http://malo")')
    client.force_login(planner)
    header, row = csv_rows(client.get(export("planning:action-export", "csv")))
    assert row[header.index("Actividad")] == '\'=HYPERLINK("http://malo")'
    response = client.get(export("planning:action-export", "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(content(response))).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Actividad") + 1)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://malo")', "s")  # not "f"


def test_unknown_export_format_is_404(client, planner):
    client.force_login(planner)
    assert client.get(export("planning:action-export", "pdf")).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "planning:action-export",
        "evaluation:indicator-export",
        "management:report-export",
        "management:allocation-export",
    ],
)
def test_exports_are_forbidden_to_users_without_a_role(client, name):
    client.force_login(factories.UserFactory())
    assert client.get(export(name, "csv")).status_code == 403
