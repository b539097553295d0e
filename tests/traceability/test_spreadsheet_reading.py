"""Reading the Plan de Acción sheet with calamine (mipg.traceability.spreadsheet.reading):
where the cells are when the sheet does not start at A1, and the percent-formatted weights
found in the sheet's XML, also across the chunks it is read in."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from mipg.traceability.spreadsheet import layout, parsing, reading
from mipg.traceability.spreadsheet.catalogues import load_catalogues, user_catalogue
from tests import factories
from tests.builders import quarters_2026


@pytest.fixture
def periods(db):
    return quarters_2026(factories.PlanFactory(name="Plan de Acción 2026"))


def read(file, periods):
    return reading.read_sheet(file, periods, catalogues=load_catalogues(), users=user_catalogue())


def workbook_file(headers, rows, *, first_column=1, formats=None):
    """A workbook whose Plan de Acción sheet has ``headers`` from ``first_column`` of row 1
    and ``rows`` (lists, None for a blank row) below; ``formats`` {(row, header): format}."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = layout.SHEET_TITLE
    for offset, header in enumerate(headers):
        sheet.cell(row=1, column=first_column + offset, value=header)
    for number, values in enumerate(rows, start=2):
        for offset, value in enumerate(values or []):
            sheet.cell(row=number, column=first_column + offset, value=value)
    for (number, header), number_format in (formats or {}).items():
        column = first_column + headers.index(header)
        sheet.cell(row=number, column=column).number_format = number_format
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return output


HEADERS = ["Código objetivo", "Objetivo", "Ponderación objetivo", "Fecha de inicio"]


def test_a_sheet_starting_in_column_c_keeps_its_row_and_column_numbers(periods):
    rows = [None, ["O1", "Objetivo 1", 1, "31/02/2026"], ["O2", "Objetivo 2", 1, 46054]]
    file = workbook_file(HEADERS, rows, first_column=3, formats={(4, "Ponderación objetivo"): "0%"})
    sheet = read(file, periods)
    assert sheet.columns["obj_code"] == (3, "Código objetivo")
    assert sheet.columns["act_start"] == (6, "Fecha de inicio")
    assert [row.number for row in sheet.rows] == [3, 4]  # row 2 is blank
    first, second = sheet.rows
    # 1 typed alone is 1 %; 1 in a "0%" cell is 100 %.
    assert (first.get("obj_weight"), second.get("obj_weight")) == (Decimal("1"), Decimal("100"))
    assert [(p.row, p.column) for p in first.problems] == [(3, "act_start")]
    assert second.get("act_start") == datetime.date(2026, 2, 1)


def test_a_header_below_the_first_row_is_not_found(periods):
    workbook = openpyxl.Workbook()
    workbook.active.title = layout.SHEET_TITLE
    workbook.active.append([])
    workbook.active.append(HEADERS)
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    sheet = read(output, periods)
    assert sheet.rows == [] and "Código objetivo" in sheet.problems[0].message


def test_percent_cells_are_found_across_chunks(periods, monkeypatch):
    rows = [["O1", f"Objetivo {n}", 1, None] for n in range(40)]
    formats = {(number, "Ponderación objetivo"): "0.00%" for number in range(2, 42, 3)}
    file = workbook_file(HEADERS, rows, formats=formats)
    monkeypatch.setattr(reading, "CHUNK", 7)  # every tag cut somewhere
    weights = [row.get("obj_weight") for row in read(file, periods).rows]
    assert weights == [
        Decimal("100") if number in range(2, 42, 3) else Decimal("1") for number in range(2, 42)
    ]


def test_a_zip_that_is_not_a_workbook_is_refused(periods):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hola.txt", "hola")
    output.seek(0)
    sheet = read(output, periods)
    assert [p.message for p in sheet.problems] == [
        "El archivo no es un libro de Excel (.xlsx) válido."
    ]


@pytest.mark.parametrize("serial", [1e308, -1e308, 10**30])
def test_a_date_cell_beyond_any_calendar_is_a_cell_error_not_a_crash(serial):
    with pytest.raises(parsing.CellError, match="no es una fecha; escríbala como dd/mm/aaaa"):
        parsing.date(serial)
