"""Read the Plan de Acción sheet of an uploaded workbook: find the columns by their headers
(accents, case and spacing aside), skip blank rows and fill blank or merged objective and
goal cells from the row above, and parse each cell into a value (parsing.py).

The cells are read with calamine (python-calamine, in Rust): openpyxl spent about half of
an import building a Python object per cell. calamine gives values but not number formats,
which a weight needs (1 in a "0%" cell is 100 %, typed alone it is 1 %): the
percent-formatted cells of the weight columns are found by scanning the cell tags of the
sheet's XML (_percent_cells), without parsing it."""

import re
import zipfile
from dataclasses import dataclass, field
from posixpath import basename, dirname, join, normpath
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from openpyxl.utils.cell import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

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


PERCENT = "0%"  # the number format passed for a percent-formatted cell


def _parser(column, catalogues, users):
    """The function that reads a cell of ``column``: ``parse(value, number format)``."""
    if column.kind == layout.WEIGHT:
        return parsing.percentage
    if column.kind in (layout.NUMBER, layout.MONEY):
        return _ignoring_format(parsing.decimal)
    if column.kind == layout.DATE:
        return _ignoring_format(parsing.date)
    if column.kind == layout.YEAR:
        return _ignoring_format(parsing.year)
    if column.catalogue:
        catalogue = catalogues[column.catalogue]
        what = str(column.header).lower()
        find = catalogue.find_many if column.many else catalogue.find
        return lambda value, _format: find(value, what=what)
    if column.key == "act_responsible":
        what = _("usuarios")
        return lambda value, _format: users.find(value, what=what)
    return _ignoring_format(parsing.text)


def _ignoring_format(parse):
    return lambda value, _format: parse(value)


def _sheet_of(workbook):
    """The Plan de Acción sheet of an openpyxl workbook (the error workbook), else the first."""
    if layout.SHEET_TITLE in workbook.sheetnames:
        return workbook[layout.SHEET_TITLE]
    return workbook.worksheets[0]


PROGRESS_EVERY = 1000  # rows between two calls of read_sheet's progress
NOT_A_WORKBOOK = (
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ValueError,
    ElementTree.ParseError,
    CalamineError,
)


def read_sheet(source, periods, *, catalogues, users, progress=None):
    """The parsed rows of ``source`` (a path or file) for a plan with ``periods``;
    ``progress(rows read)`` is called every PROGRESS_EVERY rows (blank ones aside)."""
    try:
        with zipfile.ZipFile(source) as archive:
            title, part, percent_styles = _workbook_parts(archive)
            _rewind(source)
            workbook = CalamineWorkbook.from_object(source)
            sheet = workbook.get_sheet_by_name(title)
            rows = sheet.iter_rows()
            header = next(rows, [])
            offset = sheet.start[1] if sheet.start else 0
            by_index, columns = _columns(header, offset, periods)
            weights = [i for i, column in by_index.items() if column.kind == layout.WEIGHT]
            percent = _percent_cells(archive, part, weights, percent_styles)
    except NOT_A_WORKBOOK:
        message = _("El archivo no es un libro de Excel (.xlsx) válido.")
        return Sheet({}, [], [Problem(None, None, message)])
    try:
        if "obj_code" not in columns:
            message = _(
                "No se encontró la columna «%(header)s» en la primera fila de la hoja "
                "«%(sheet)s»: use la plantilla del plan."
            ) % {"header": layout.OBJECTIVE_COLUMNS[0].header, "sheet": title}
            return Sheet(columns, [], [Problem(None, None, message)])
        rows = _read(rows, offset, by_index, percent, catalogues, users, progress)
        return Sheet(columns, rows, [])
    finally:
        workbook.close()


def _rewind(source):
    if hasattr(source, "seek"):
        source.seek(0)


def _columns(header, offset, periods):
    """({cell index: column}, {key: (column number, header)}) of the header row."""
    known = {layout.normalise(column.header): column for column in layout.plan_columns(periods)}
    by_index, columns = {}, {}
    for index, value in enumerate(header, start=offset):
        column = known.get(layout.normalise(_plain(value)))
        if column is not None and column.key not in columns:
            by_index[index] = column
            columns[column.key] = (index + 1, str(_plain(value)))
    return by_index, columns


def _plain(value):
    """A whole float as an int, as openpyxl gave a number stored without decimals."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def _read(lines, offset, by_index, percent, catalogues, users, progress):
    # calamine gives the rows from the sheet's first, and their cells from the first column
    # that holds something (``offset``, 0-based).
    read = [
        (index, index - offset, column, _parser(column, catalogues, users))
        for index, column in by_index.items()
    ]
    # What each column's parser gives for an empty cell, found once (a list is made anew
    # for each row: the rows' values are not shared).
    blanks = {column.key: parse("", "") for _index, _position, column, parse in read}
    rows, previous = [], {}
    for number, cells in enumerate(lines, start=2):
        width = len(cells)
        raw = [
            (index, column, parse, _plain(cells[position]) if position < width else "")
            for index, position, column, parse in read
        ]
        if all(parsing.blank(value) for _index, _column, _parse, value in raw):
            continue
        row = Row(number)
        for index, column, parse, value in raw:
            if value == "":
                row.values[column.key] = [] if column.many else blanks[column.key]
                continue
            weight = column.kind == layout.WEIGHT and (number, index) in percent
            try:
                row.values[column.key] = parse(value, PERCENT if weight else "")
            except parsing.CellError as exc:
                row.problems.append(Problem(number, column.key, str(exc)))
                row.values[column.key] = None
        _carry(row, previous)
        previous = row.values
        rows.append(row)
        if progress and len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows))
    return rows


def _carry(row, previous):
    """A blank objective code takes the one of the row above, and then a blank goal code
    too (merged or left blank repeated cells)."""
    if row.filled("obj_code") or not previous:
        return
    row.values["obj_code"] = previous.get("obj_code")
    if not row.filled("goal_code"):
        row.values["goal_code"] = previous.get("goal_code")


# --- the workbook's parts, read from the zip ---------------------------------------------

RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Built-in number formats of Excel that show a percentage ("0%", "0.00%").
PERCENT_FORMATS = {9, 10}


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _relationships(archive, part):
    """{id: (type, part path)} of the relationships of ``part``."""
    path = join(dirname(part), "_rels", f"{basename(part)}.rels")
    if path not in archive.namelist():
        return {}
    found = {}
    for element in ElementTree.fromstring(archive.read(path)):
        target = element.get("Target", "")
        target = target[1:] if target.startswith("/") else normpath(join(dirname(part), target))
        found[element.get("Id")] = (element.get("Type", "").rsplit("/", 1)[-1], target)
    return found


def _workbook_parts(archive):
    """(title, part path) of the sheet to read — the Plan de Acción sheet, else the first
    worksheet — and the indexes of the cell styles that show a percentage."""
    main = next(
        (p for kind, p in _relationships(archive, "").values() if kind == "officeDocument"),
        "xl/workbook.xml",
    )
    relationships = _relationships(archive, main)
    sheets = []
    for element in ElementTree.fromstring(archive.read(main)).iter():
        if _local(element.tag) != "sheet":
            continue
        kind, part = relationships.get(element.get(f"{{{RELATIONSHIPS}}}id"), ("", ""))
        if kind == "worksheet":
            sheets.append((element.get("name"), part))
    if not sheets:
        raise KeyError("no worksheet")
    title, part = next(((t, p) for t, p in sheets if t == layout.SHEET_TITLE), sheets[0])
    styles = next((p for kind, p in relationships.values() if kind == "styles"), None)
    return title, part, _percent_styles(archive, styles) if styles else set()


def _percent_styles(archive, part):
    """Indexes of the cell formats (cellXfs) whose number format shows a percentage."""
    root = ElementTree.fromstring(archive.read(part))
    percent_ids = set(PERCENT_FORMATS)
    indexes = set()
    for element in root:
        if _local(element.tag) == "numFmts":
            for number_format in element:
                if "%" in number_format.get("formatCode", ""):
                    percent_ids.add(int(number_format.get("numFmtId")))
                else:
                    percent_ids.discard(int(number_format.get("numFmtId")))
        elif _local(element.tag) == "cellXfs":
            for index, xf in enumerate(element):
                if int(xf.get("numFmtId", 0)) in percent_ids:
                    indexes.add(index)
    return indexes


CHUNK = 1 << 20
STYLE = re.compile(rb'\ss="(\d+)"')


def _percent_cells(archive, part, indexes, percent_styles):
    """{(row number, cell index)} of the cells of the columns ``indexes`` (0-based) whose
    style shows a percentage: a regular expression over the sheet's XML, read in chunks,
    finds the start tags of those columns' cells (the tags hold the reference and style)."""
    if not indexes or not percent_styles:
        return set()
    letters = {get_column_letter(index + 1).encode(): index for index in indexes}
    cell = re.compile(rb'<(?:[\w.-]+:)?c\s[^>]*?\br="(' + b"|".join(letters) + rb')(\d+)"[^>]*>')
    found, tail = set(), b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            data = tail + chunk
            cut = max(data.rfind(b"<"), 0)  # a tag cut by the chunk's end waits for the next
            for match in cell.finditer(data, 0, cut):
                style = STYLE.search(match.group(0))
                if style and int(style.group(1)) in percent_styles:
                    found.add((int(match.group(2)), letters[match.group(1)]))
            tail = data[cut:]
        for match in cell.finditer(tail):
            style = STYLE.search(match.group(0))
            if style and int(style.group(1)) in percent_styles:
                found.add((int(match.group(2)), letters[match.group(1)]))
    return found
