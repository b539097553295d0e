"""Read the Plan de Acción sheet of an uploaded workbook: find the columns by their headers
(accents, case and spacing aside), skip blank rows and fill blank or merged objective and
goal cells from the row above, and parse each cell into a value (parsing.py)."""

import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from mipg.traceability.spreadsheet import layout, parsing

ERRORS_HEADER = "Errores de la importación"
# Columns filled from the row above when blank (merged cells of a repeated objective/goal).
CARRIED = ("obj_code", "goal_code")


@dataclass
class Problem:
    """A problem of a row (``row`` its number in the sheet, None for the whole file) in a
    column (``column`` a layout key, None for the whole row)."""

    row: int | None
    column: str | None
    message: str


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)  # key → parsed value, for the columns present
    problems: list = field(default_factory=list)

    def get(self, key, default=None):
        return self.values.get(key, default)

    def has(self, key):
        return key in self.values

    def filled(self, key):
        return not parsing.blank(self.values.get(key)) and self.values.get(key) != []


@dataclass
class Sheet:
    columns: dict  # key → (column number, header shown)
    rows: list
    problems: list


def _parse(column, value, number_format, catalogues, users):
    if column.kind == layout.WEIGHT:
        return parsing.percentage(value, number_format)
    if column.kind in (layout.NUMBER, layout.MONEY):
        return parsing.decimal(value)
    if column.kind == layout.DATE:
        return parsing.date(value)
    if column.kind == layout.YEAR:
        return parsing.year(value)
    if column.catalogue:
        catalogue = catalogues[column.catalogue]
        what = str(column.header).lower()
        if column.many:
            return catalogue.find_many(value, what=what)
        return catalogue.find(value, what=what)
    if column.key == "act_responsible":
        return users.find(value, what=_("usuarios"))
    return parsing.text(value)


def _sheet_of(workbook):
    if layout.SHEET_TITLE in workbook.sheetnames:
        return workbook[layout.SHEET_TITLE]
    return workbook.worksheets[0]


PROGRESS_EVERY = 1000  # rows between two calls of read_sheet's progress


def read_sheet(source, periods, *, catalogues, users, progress=None):
    """The parsed rows of ``source`` (a path or file) for a plan with ``periods``;
    ``progress(rows read)`` is called every PROGRESS_EVERY rows (blank ones aside)."""
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError):
        message = _("El archivo no es un libro de Excel (.xlsx) válido.")
        return Sheet({}, [], [Problem(None, None, message)])
    try:
        return _read(_sheet_of(workbook), periods, catalogues, users, progress)
    finally:
        workbook.close()


def _read(sheet, periods, catalogues, users, progress):
    known = {layout.normalise(column.header): column for column in layout.plan_columns(periods)}
    lines = sheet.iter_rows()
    header = next(lines, ())
    by_index, columns = {}, {}
    for index, cell in enumerate(header):
        column = known.get(layout.normalise(cell.value or ""))
        if column is not None and column.key not in columns:
            by_index[index] = column
            columns[column.key] = (index + 1, str(cell.value))
    if "obj_code" not in columns:
        message = _(
            "No se encontró la columna «%(header)s» en la primera fila de la hoja «%(sheet)s»: "
            "use la plantilla del plan."
        ) % {"header": layout.OBJECTIVE_COLUMNS[0].header, "sheet": sheet.title}
        return Sheet(columns, [], [Problem(None, None, message)])
    rows, previous = [], {}
    for number, cells in enumerate(lines, start=2):
        raw = {
            by_index[index]: (cell.value, getattr(cell, "number_format", ""))
            for index, cell in enumerate(cells)
            if index in by_index
        }
        if all(parsing.blank(value) for value, _format in raw.values()):
            continue
        row = Row(number)
        for column, (value, number_format) in raw.items():
            try:
                row.values[column.key] = _parse(column, value, number_format, catalogues, users)
            except parsing.CellError as exc:
                row.problems.append(Problem(number, column.key, str(exc)))
                row.values[column.key] = None
        for column in by_index.values():
            if column.key not in row.values:  # a blank cell the file does not store
                row.values[column.key] = [] if column.many else None
        _carry(row, previous)
        previous = row.values
        rows.append(row)
        if progress and len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows))
    return Sheet(columns, rows, [])


def _carry(row, previous):
    """A blank objective code takes the one of the row above, and then a blank goal code
    too (merged or left blank repeated cells)."""
    if row.filled("obj_code") or not previous:
        return
    row.values["obj_code"] = previous.get("obj_code")
    if not row.filled("goal_code"):
        row.values["goal_code"] = previous.get("goal_code")
