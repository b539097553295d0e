"""Write a plan in the Plan de Acción layout (layout.py), and the empty template of that
layout with an instructions sheet and drop-down lists for the catalogue columns.

The workbook is written with XlsxWriter in its constant-memory mode (each row goes to a
temporary file once the next one starts): memory stays bounded for a 20,000-action plan,
and it writes the cells about twice as fast as openpyxl's write-only mode. Every row
repeats the codes and fields of its objective and goal, so a row read alone says where it
belongs; export → import changes nothing.
"""

import datetime
import tempfile
from collections import defaultdict
from decimal import Decimal
from itertools import zip_longest

import xlsxwriter
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from evaluation.models import Indicator, IndicatorTarget
from management.models import BudgetAllocation
from mipg.core.models import Policy
from mipg.traceability.spreadsheet import layout
from mipg.traceability.spreadsheet.catalogues import load_catalogues
from planning.models import Action, ActionSchedule, Goal, Objective
from planning.selectors import periods_of

NUMBER_FORMATS = {
    layout.WEIGHT: "0.00%",
    layout.NUMBER: "#,##0.####",
    layout.MONEY: "$ #,##0.00",
    layout.DATE: "dd/mm/yyyy",
    layout.YEAR: "0",
}
HEADER_FORMAT = {
    "bold": True,
    "font_color": "#FFFFFF",
    "bg_color": "#1F4E79",
    "pattern": 1,
    "text_wrap": True,
    "valign": "top",
}
TEMPLATE_ROWS = 1000  # rows of the template that carry the drop-down lists
HUNDRED = Decimal("100")
# layout.py's widths are the file's character widths (what openpyxl wrote); XlsxWriter's
# set_column adds Excel's cell padding to them, set_column_pixels at 7 pixels (the width
# of a digit in the default font) a character does not.
PIXELS_PER_CHARACTER = 7


def _cell_writers(sheet, columns, formats):
    """One function per column writing a value in its cell: text always as text (never a
    formula, whatever it starts with), numbers and dates with their column's format."""

    def text(row, index, value):
        sheet.write_string(row, index, value if isinstance(value, str) else str(value))

    def weight(number_format):
        def write(row, index, value):
            sheet.write_number(row, index, float(Decimal(value) / HUNDRED), number_format)

        return write

    def number(number_format):
        def write(row, index, value):
            if isinstance(value, str):
                sheet.write_string(row, index, value)
            else:
                sheet.write_number(row, index, float(value), number_format)

        return write

    def date(number_format):
        def write(row, index, value):
            if isinstance(value, datetime.date):
                sheet.write_datetime(row, index, value, number_format)
            else:
                sheet.write_string(row, index, str(value))

        return write

    writers = []
    for column in columns:
        if column.kind == layout.WEIGHT:
            writers.append(weight(formats[column.kind]))
        elif column.kind == layout.DATE:
            writers.append(date(formats[column.kind]))
        elif column.kind in NUMBER_FORMATS:
            writers.append(number(formats[column.kind]))
        else:
            writers.append(text)
    return writers


def _start_sheet(workbook, columns):
    sheet = workbook.add_worksheet(layout.SHEET_TITLE)
    sheet.freeze_panes(1, 1)
    for index, column in enumerate(columns):
        sheet.set_column_pixels(index, index, column.width * PIXELS_PER_CHARACTER)
    header = workbook.add_format(HEADER_FORMAT)
    for index, column in enumerate(columns):
        sheet.write_string(0, index, str(column.header), header)
    return sheet


def _ranges(catalogues):
    """{catalogue: range formula} of the lists sheet (_lists_sheet)."""
    ranges = {}
    for index, name in enumerate(catalogues):
        letter = xl_col_to_name(index)
        last = len(catalogues[name].labels) + 1
        ranges[name] = f"{quote_sheetname(layout.LISTS_TITLE)}!${letter}$2:${letter}${last}"
    return ranges


def _lists_sheet(workbook, catalogues):
    """A sheet with one column per catalogue (_ranges says where)."""
    sheet = workbook.add_worksheet(layout.LISTS_TITLE)
    names = list(catalogues)
    columns = [catalogues[name].labels for name in names]
    for row, values in enumerate([names, *zip_longest(*columns, fillvalue=None)]):
        for index, value in enumerate(values):
            if value is not None:
                sheet.write_string(row, index, str(value))


def _validations(sheet, columns, ranges, rows):
    for index, column in enumerate(columns):
        if not column.catalogue:
            continue
        sheet.data_validation(
            1,
            index,
            rows,
            index,
            {
                "validate": "list",
                "source": f"={ranges[column.catalogue]}",
                "ignore_blank": True,
                # Several entries separated by ";" cannot be picked from a list: allow them.
                "show_error": not column.many,
                "error_message": _("Elija un valor de la lista."),
            },
        )


def _instructions(workbook, columns):
    sheet = workbook.add_worksheet(layout.INSTRUCTIONS_TITLE)
    sheet.set_column_pixels(0, 0, 34 * PIXELS_PER_CHARACTER)
    sheet.set_column_pixels(1, 1, 100 * PIXELS_PER_CHARACTER)
    bold = workbook.add_format({"bold": True})
    lines = [
        _(
            "Una fila por actividad. Si una actividad tiene varias asignaciones de presupuesto, "
            "repita su código en una fila por asignación."
        ),
        _(
            "Los objetivos, metas, actividades e indicadores se identifican por su código: un "
            "código que ya existe en el plan se actualiza, uno nuevo se crea."
        ),
        _(
            "Las celdas de objetivo y meta pueden combinarse o dejarse en blanco en las filas "
            "siguientes: se toma el valor de la fila anterior."
        ),
        _("Los indicadores miden la meta de su fila (o el objetivo, si la fila no tiene meta)."),
        _("Ponderaciones y programación: 30 %, 30 o 0,3 significan lo mismo."),
        _("Fechas como dd/mm/aaaa o fechas de Excel. Dinero con o sin puntos de miles."),
        _("Varias políticas o planes del Decreto 612 se separan con punto y coma (;)."),
        _(
            "La importación es todo o nada: si una fila tiene un error no se guarda nada y se "
            "descarga el archivo con los errores marcados."
        ),
        not_imported_text(),
        _(
            "Una fila que falta en el archivo no borra ni archiva nada: archive o elimine en "
            "la aplicación."
        ),
    ]
    sheet.write_string(0, 0, _("Instrucciones"))
    for row, line in enumerate(lines, start=1):
        sheet.write_string(row, 1, line)
    header_row = len(lines) + 2  # after a blank row
    sheet.write_string(header_row, 0, _("Columna"), bold)
    sheet.write_string(header_row, 1, _("Uso"), bold)
    kinds = {
        layout.WEIGHT: _("Porcentaje entre 0 y 100."),
        layout.NUMBER: _("Número."),
        layout.MONEY: _("Valor en pesos."),
        layout.DATE: _("Fecha dd/mm/aaaa."),
        layout.YEAR: _("Año, por ejemplo 2026."),
        layout.CODE: _("Código, único entre sus hermanos."),
        layout.TEXT: _("Texto."),
    }
    for row, column in enumerate(columns, start=header_row + 1):
        use = _("Elija de la lista.") if column.catalogue else kinds[column.kind]
        sheet.write_string(row, 0, str(column.header))
        sheet.write_string(row, 1, str(use))


def not_imported_text():
    """What the layout does not carry, so neither the export nor the import touches it."""
    return _(
        "No se exportan ni se importan (se editan en la aplicación): la descripción de los "
        "objetivos; la alineación de objetivos y metas con el plan al que sirve este plan; "
        "y del indicador, lo que no tiene columna aquí: numerador, denominador, fuente de "
        "datos, fecha y horizonte de la línea base, umbrales del semáforo, tolerancia y "
        "responsable. Un indicador nuevo los toma vacíos o con los valores de la entidad."
    )


def _workbook():
    """A constant-memory workbook writing to an open temporary file (returned with it)."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the caller sends and closes it
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    formats = {kind: workbook.add_format({"num_format": f}) for kind, f in NUMBER_FORMATS.items()}
    return workbook, formats, output


def _save(workbook, output):
    workbook.close()
    output.seek(0)
    return output


def write_template(plan):
    """The empty Plan de Acción of ``plan`` (its period columns), with the instructions and
    the drop-down lists; an open temporary file."""
    with translation.override("es"):
        return _write_template(plan)


def write_plan(plan):
    """The live objectives, goals, actions, indicators, targets, programación and budget of
    ``plan`` in the Plan de Acción layout; an open temporary file. Spanish whatever the
    user's language: the layout is a file format."""
    with translation.override("es"):
        return _write_plan(plan)


def _write_template(plan):
    periods = list(periods_of(plan))
    columns = layout.plan_columns(periods)
    workbook, _formats, output = _workbook()
    sheet = _start_sheet(workbook, columns)
    catalogues = load_catalogues()
    _validations(sheet, columns, _ranges(catalogues), TEMPLATE_ROWS)
    _lists_sheet(workbook, catalogues)
    _instructions(workbook, columns)
    return _save(workbook, output)


def _write_plan(plan):
    periods = list(periods_of(plan))
    columns = layout.plan_columns(periods)
    workbook, formats, output = _workbook()
    sheet = _start_sheet(workbook, columns)
    writers = {
        column.key: (index, write)
        for index, (column, write) in enumerate(
            zip(columns, _cell_writers(sheet, columns, formats), strict=True)
        )
    }
    count = 0
    for count, values in enumerate(plan_rows(plan, periods), start=1):
        for key, value in values.items():
            if value is not None and value != "" and key in writers:
                index, write = writers[key]
                write(count, index, value)
    catalogues = load_catalogues()
    _validations(sheet, columns, _ranges(catalogues), count + TEMPLATE_ROWS)
    _lists_sheet(workbook, catalogues)
    _instructions(workbook, columns)
    return _save(workbook, output)


def _objective_values(objective):
    return {
        "obj_code": objective.code,
        "obj_name": objective.name,
        "obj_weight": objective.weight,
        "obj_policies": "; ".join(str(policy) for policy in objective.policies.all()),
    }


def _goal_values(goal):
    return {
        "goal_code": goal.code,
        "goal_name": goal.name,
        "goal_weight": goal.weight,
        "goal_product": goal.product,
        "goal_unit": goal.unit.name if goal.unit else "",
    }


# What the export reads of an action: plain values, not models (20,000 actions with their
# unit, responsible and plans built as objects were a third of the export).
ACTION_VALUES = {
    "act_code": "code",
    "act_name": "name",
    "act_deliverable": "deliverable",
    "act_quantity": "quantity_target",
    "act_quantity_unit": "quantity_unit",
    "act_weight": "weight",
    "act_start": "start_date",
    "act_end": "end_date",
    "act_unit": "unit__name",
    "act_responsible": "responsible__username",
}


def _action_values(action, schedule, plans):
    """``action``: a dict of ACTION_VALUES' fields with its pk; ``plans``: {action id:
    names of its Decreto 612 plans}."""
    values = {key: action[name] for key, name in ACTION_VALUES.items()}
    values["act_unit"] = values["act_unit"] or ""
    values["act_responsible"] = values["act_responsible"] or ""
    values["act_plans"] = "; ".join(plans.get(action["pk"], ()))
    for period_id, planned in schedule.get(action["pk"], {}).items():
        values[f"{layout.SCHEDULE_PREFIX}{period_id}"] = planned
    return values


# The labels of the indicator's choices, translated once per export (get_FOO_display
# hashes the choices and translates the label again for every call: 1.6 ms each).
CHOICE_COLUMNS = {
    "ind_type": "type",
    "ind_level": "level",
    "ind_accumulation": "accumulation",
    "ind_polarity": "polarity",
    "ind_frequency": "frequency",
}


def _choice_labels():
    return {
        key: {value: str(label) for value, label in Indicator._meta.get_field(name).choices}
        for key, name in CHOICE_COLUMNS.items()
    }


def _indicator_values(indicator, targets, labels):
    values = {
        "ind_code": indicator.code,
        "ind_name": indicator.name,
        "ind_formula": indicator.formula,
        "ind_measurement_unit": indicator.measurement_unit,
        **{
            key: labels[key].get(getattr(indicator, name), getattr(indicator, name))
            for key, name in CHOICE_COLUMNS.items()
        },
        "ind_baseline": indicator.baseline_value,
        "ind_unit": indicator.unit.name,
    }
    for period_id, value in targets.get(indicator.pk, {}).items():
        values[f"{layout.TARGET_PREFIX}{period_id}"] = value
    return values


def _allocation_values(allocation):
    return {
        "bud_appropriation": allocation.appropriation,
        "bud_year": allocation.year,
        "bud_rubro": allocation.rubro,
        "bud_source": allocation.source.name,
        "bud_bpin": allocation.bpin,
    }


def plan_rows(plan, periods):
    """Dicts {column key: value} of the rows of ``plan``, in tree order: per goal, one row
    per action and allocation, its indicators set on its first rows (extra rows when it has
    more indicators than actions); an objective's own indicators on rows without a goal."""
    objectives = (
        Objective.objects.live()
        .filter(plan=plan)
        .in_tree_order()
        .prefetch_related(Prefetch("policies", queryset=Policy.objects.order_by("code")))
    )
    goals = defaultdict(list)
    for goal in (
        Goal.objects.live().filter(objective__plan=plan).in_tree_order().select_related("unit")
    ):
        goals[goal.objective_id].append(goal)
    actions = defaultdict(list)
    action_rows = (
        Action.objects.live()
        .filter(goal__objective__plan=plan)
        .in_tree_order()
        .values("pk", "goal_id", *ACTION_VALUES.values())
    )
    for action in action_rows.iterator(chunk_size=2000):
        actions[action["goal_id"]].append(action)
    institutional_plans = defaultdict(list)
    for action_id, name in (
        Action.institutional_plans.through.objects.filter(action__goal__objective__plan=plan)
        .order_by("action_id", "institutionalplan__order", "institutionalplan__code")
        .values_list("action_id", "institutionalplan__name")
    ):
        institutional_plans[action_id].append(name)
    schedule = defaultdict(dict)
    for row in (
        ActionSchedule.objects.filter(action__goal__objective__plan=plan)
        .order_by()
        .values_list("action_id", "period_id", "planned")
    ):
        schedule[row[0]][row[1]] = row[2]
    indicators = defaultdict(list)
    for indicator in (
        Indicator.objects.live().filter(plan=plan).select_related("unit").order_by("code")
    ):
        indicators[
            ("goal", indicator.goal_id)
            if indicator.goal_id
            else ("objective", indicator.objective_id)
        ].append(indicator)
    targets = defaultdict(dict)
    for row in IndicatorTarget.objects.filter(indicator__plan=plan).values_list(
        "indicator_id", "period_id", "value"
    ):
        targets[row[0]][row[1]] = row[2]
    allocations = defaultdict(list)
    for allocation in (
        BudgetAllocation.objects.filter(action__goal__objective__plan=plan)
        .select_related("source")
        .order_by("year", "rubro", "source__name", "pk")
    ):
        allocations[allocation.action_id].append(allocation)

    labels = _choice_labels()
    for objective in objectives:
        base = _objective_values(objective)
        own = [
            _indicator_values(i, targets, labels) for i in indicators[("objective", objective.pk)]
        ]
        for values in own:
            yield {**base, **values}
        if not own and not goals[objective.pk]:
            yield base
        for goal in goals[objective.pk]:
            goal_base = {**base, **_goal_values(goal)}
            lines = []
            for action in actions[goal.pk]:
                action_values = _action_values(action, schedule, institutional_plans)
                lines += [
                    {**action_values, **_allocation_values(allocation)}
                    for allocation in allocations[action["pk"]]
                ] or [action_values]
            measured = [
                _indicator_values(i, targets, labels) for i in indicators[("goal", goal.pk)]
            ]
            for line, indicator in zip_longest(lines, measured, fillvalue=None):
                yield {**goal_base, **(line or {}), **(indicator or {})}
            if not lines and not measured:
                yield goal_base
