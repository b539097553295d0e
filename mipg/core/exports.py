"""CSV and XLSX export of a filtered list, and the sortable headers, export links and page
context of the HTML lists.

A list describes its export as a sequence of `Column`: a Spanish header, how to get the
value from a row, and the kind of value. Numbers are written as numbers (never as text)
so the spreadsheet can add them up; dates as dates. Exports stream: CSV row by row, XLSX
through openpyxl's write-only mode into a temporary file served in chunks.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from mipg.core.permissions import require_perm
from mipg.core.web import paginate

TEXT = "text"
NUMBER = "number"
MONEY = "money"
PERCENT = "percent"
DATE = "date"
DATETIME = "datetime"
BOOLEAN = "boolean"

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_NUMBER_FORMATS = {
    NUMBER: "#,##0.####",
    MONEY: "#,##0.00",
    PERCENT: "0.00",
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
}
# A spreadsheet reads a text cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Column:
    """One column of a list page, declared once for its HTML table and its export.

    `header` is the export's header, `value` an attribute path ("action.unit.name") or a
    callable taking the row, `kind` how the value is exported. `heading` puts the column in
    the HTML table under that header (the template renders the cell), `sort` makes that
    header sortable by a key of the FilterSet's OrderingFilter, and `export=False` leaves a
    column to the table only. The table and the export each take their columns in the
    order of the list."""

    header: str
    value: str | Callable[[Any], Any]
    kind: str = TEXT
    heading: str | None = None
    sort: str | None = None
    export: bool = True

    def get(self, row):
        if callable(self.value):
            return self.value(row)
        for attr in self.value.split("."):
            row = getattr(row, attr, None)
            if row is None:
                return None
        return row


def _number(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal):
        return value
    return Decimal(str(value))


def _text(value):
    if value is None:
        return ""
    text = force_str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _datetime(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Spreadsheets have no time zones: write the local time without one.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _csv_value(column, value):
    if column.kind in (MONEY, PERCENT):
        # Two decimals whatever the database returns for a computed figure (SQLite gives
        # 80 where PostgreSQL gives 80.00), so one list exports the same text everywhere.
        value = _number(value)
        return "" if value is None else str(Decimal(value).quantize(CENT))
    if column.kind == NUMBER:
        value = _number(value)
        return "" if value is None else str(value)
    if column.kind == BOOLEAN:
        return "" if value is None else (_("Sí") if value else _("No"))
    if column.kind == DATE:
        return "" if value is None else value.isoformat()
    if column.kind == DATETIME:
        value = _datetime(value)
        return "" if value is None else value.isoformat(sep=" ", timespec="minutes")
    return _text(value)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value):
        return value


def _filename(name, fmt):
    stamp = timezone.localdate().isoformat()
    return f"{name}-{stamp}.{fmt}"


def exported(columns):
    """The columns of a list's export, in order."""
    return [column for column in columns if column.export]


def table_headers(columns):
    """[(heading, ordering key or None), ...] of a list's HTML table, for `sort_headers`."""
    return [(column.heading, column.sort) for column in columns if column.heading is not None]


def csv_response(rows: Iterable, columns, *, filename):
    """A streamed CSV (UTF-8 with BOM so Excel reads the accents; comma separated; decimal
    point; dates in ISO 8601)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([force_str(c.header) for c in columns])
        for row in rows:
            yield writer.writerow([_csv_value(c, c.get(row)) for c in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(filename, "csv")}"'
    return response


def _xlsx_cell(sheet, column, value):
    if column.kind in (NUMBER, MONEY, PERCENT):
        cell = WriteOnlyCell(sheet, value=_number(value))
    elif column.kind == BOOLEAN:
        cell = WriteOnlyCell(sheet, value=None if value is None else bool(value))
    elif column.kind in (DATE, DATETIME):
        cell = WriteOnlyCell(sheet, value=_datetime(value))
    else:
        cell = WriteOnlyCell(sheet, value=None if value is None else force_str(value))
        if cell.value is not None:
            cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    if column.kind in XLSX_NUMBER_FORMATS and cell.value is not None:
        cell.number_format = XLSX_NUMBER_FORMATS[column.kind]
    return cell


def xlsx_response(rows: Iterable, columns, *, filename, title):
    """An XLSX workbook with one sheet: a bold header row, then one row per item."""
    return xlsx_workbook_response([(title, rows, columns)], filename=filename)


def xlsx_workbook_response(sheets, *, filename):
    """An XLSX workbook with one sheet per (title, rows, columns) of `sheets`, each a bold
    header row then one row per item."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows, columns in sheets:
        sheet = workbook.create_sheet(title=force_str(title)[:31])
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=force_str(column.header))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, c, c.get(row)) for c in columns])
    # Write-only mode streams the rows to disk; the file is then sent in chunks.
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=_filename(filename, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )


def export_response(fmt, rows, columns, *, filename, title):
    """The CSV or XLSX response for `fmt` with the exported `columns`; 404 for any other
    format."""
    columns = exported(columns)
    if fmt == "csv":
        return csv_response(rows, columns, filename=filename)
    if fmt == "xlsx":
        return xlsx_response(rows, columns, filename=filename, title=title)
    raise Http404(_("Formato de exportación desconocido."))


def stable_order(queryset):
    """`queryset` with the pk as the last sort key, so pages never overlap on ties."""
    order = list(queryset.query.order_by)
    if order and order[-1] not in ("pk", "-pk"):
        queryset = queryset.order_by(*order, "pk")
    return queryset


def iterate(queryset):
    """Rows of a queryset in chunks, with its prefetches done once per chunk."""
    return queryset.iterator(chunk_size=CHUNK_SIZE)


def export_filtered(fmt, filterset, columns, *, filename, title):
    """The export of every row a list's FilterSet selects, in the list's order."""
    rows = iterate(stable_order(filterset.qs))
    return export_response(fmt, rows, columns, filename=filename, title=title)


# --- the HTML lists ------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    label: str
    url: str | None = None
    direction: str | None = None  # "ascending" / "descending" when the list is sorted by it

    @property
    def aria_sort(self):
        return self.direction or "none"


def sort_headers(request, headers, *, param="ordering"):
    """Header cells of a list: `headers` is [(label, ordering key or None), ...], where the
    key is a name of the FilterSet's OrderingFilter. A sortable header links to the same
    list (filters kept, back to page 1) sorted by it, descending when already ascending."""
    current = request.GET.get(param, "")
    result = []
    for label, key in headers:
        if key is None:
            result.append(Header(label))
            continue
        query = request.GET.copy()
        query.pop("page", None)
        direction = None
        if current == key:
            direction, query[param] = "ascending", f"-{key}"
        elif current == f"-{key}":
            direction, query[param] = "descending", key
        else:
            query[param] = key
        result.append(Header(label, f"?{query.urlencode()}", direction))
    return result


def export_links(request, url_name, **kwargs):
    """{format: URL} of a list's exports, with the list's filters and sort (not its page)."""
    query = request.GET.copy()
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    return {fmt: reverse(url_name, kwargs={**kwargs, "fmt": fmt}) + suffix for fmt in FORMATS}


def list_context(request, filterset, columns, export_url):
    """The context of a filtered list page: the filters, the current page of the rows in a
    stable order, the sortable headers of the table's `columns` (see `sort_headers`) and
    the export links of `export_url`."""
    return {
        "filter": filterset,
        "page": paginate(request, stable_order(filterset.qs)),
        "headers": sort_headers(request, table_headers(columns)),
        "exports": export_links(request, export_url),
    }


@dataclass(frozen=True)
class ListPage:
    """A filtered list page and the export of its whole filtered list: ``filterset`` over
    ``rows()``, readable with ``perm``; one list of ``columns`` for the table and the
    export."""

    perm: str
    filterset: type
    rows: Callable
    columns: list
    export_url: str
    filename: str
    title: str

    def filtered(self, request):
        require_perm(request.user, self.perm)
        rows = self.rows()
        if hasattr(rows, "visible_to"):
            # Reviewed figures: only those the user may see (mipg.core.permissions).
            rows = rows.visible_to(request.user)
        return self.filterset(request.GET or None, queryset=rows, request=request)

    def context(self, request):
        return list_context(request, self.filtered(request), self.columns, self.export_url)

    def export(self, request, fmt):
        return export_filtered(
            fmt, self.filtered(request), self.columns, filename=self.filename, title=self.title
        )
