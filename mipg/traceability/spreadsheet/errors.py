"""The error workbook: the uploaded file itself, its problem cells highlighted and a last
column explaining, per row, each problem with the column it is in."""

import tempfile
from collections import defaultdict

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from mipg.traceability.spreadsheet.reading import ERRORS_HEADER, _sheet_of

ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")


def problem_text(outcome, problem):
    """«Header»: message, or the message alone for a whole-row problem."""
    if problem.column is None:
        return problem.message
    return f"«{outcome.header(problem.column)}»: {problem.message}"


def write_error_workbook(source, outcome):
    """``source`` with the problems of ``outcome`` marked; an open temporary file."""
    workbook = load_workbook(source)
    sheet = _sheet_of(workbook)
    column = next(
        (cell.column for cell in sheet[1] if cell.value == ERRORS_HEADER), sheet.max_column + 1
    )
    header = sheet.cell(row=1, column=column, value=ERRORS_HEADER)
    header.font = Font(bold=True, color="9C0006")
    sheet.column_dimensions[header.column_letter].width = 80
    by_row = defaultdict(list)
    for problem in outcome.problems:
        if problem.row is not None:
            by_row[problem.row].append(problem)
    for number, problems in by_row.items():
        for problem in problems:
            if problem.column in outcome.columns:
                cell = sheet.cell(row=number, column=outcome.columns[problem.column][0])
                cell.fill = ERROR_FILL
                if not isinstance(cell, MergedCell):
                    cell.comment = Comment(problem.message, _("Importación"))
        messages = [problem_text(outcome, problem) for problem in problems]
        cell = sheet.cell(row=number, column=column, value="\n".join(messages))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = ERROR_FILL
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the caller sends and closes it
    workbook.save(output)
    output.seek(0)
    return output
