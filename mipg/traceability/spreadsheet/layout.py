"""The columns of the Plan de Acción sheet, declared once for the export, the template and
the import: one row per action (an action with several budget allocations takes one row
per allocation; the indicators of a goal or objective go on its rows, one per row).

The headers are the file format: Spanish whatever the user's language (the workbooks are
written with Spanish active). Period columns repeat per reporting period of the plan:
"Programación <periodo>" (the action's planned cumulative progress, %) and "Meta del
indicador <periodo>" (the indicator's target).
"""

import unicodedata
from dataclasses import dataclass

SHEET_TITLE = "Plan de Acción"
LISTS_TITLE = "Listas"
INSTRUCTIONS_TITLE = "Instrucciones"

TEXT = "text"
CODE = "code"
WEIGHT = "weight"  # a percentage 0..100, written as a fraction with a "%" format
NUMBER = "number"
MONEY = "money"
DATE = "date"
YEAR = "year"


@dataclass(frozen=True)
class SheetColumn:
    """``key`` names the column in code; ``catalogue`` the list of its drop-down (see
    export.catalogues); ``many`` that it takes several values separated by ";"."""

    key: str
    header: str
    kind: str = TEXT
    width: int = 16
    catalogue: str = ""
    many: bool = False


OBJECTIVE_COLUMNS = [
    SheetColumn("obj_code", "Código objetivo", CODE, 12),
    SheetColumn("obj_name", "Objetivo", TEXT, 40),
    SheetColumn("obj_weight", "Ponderación objetivo", WEIGHT, 12),
    SheetColumn("obj_policies", "Política MIPG", TEXT, 30, "policies", many=True),
]
GOAL_COLUMNS = [
    SheetColumn("goal_code", "Código meta", CODE, 12),
    SheetColumn("goal_name", "Meta", TEXT, 40),
    SheetColumn("goal_weight", "Ponderación meta", WEIGHT, 12),
    SheetColumn("goal_product", "Producto de la meta", TEXT, 30),
    SheetColumn("goal_unit", "Dependencia de la meta", TEXT, 28, "units"),
]
ACTION_COLUMNS = [
    SheetColumn("act_code", "Código actividad", CODE, 12),
    SheetColumn("act_name", "Actividad", TEXT, 40),
    SheetColumn("act_deliverable", "Producto / entregable", TEXT, 30),
    SheetColumn("act_quantity", "Cantidad", NUMBER, 10),
    SheetColumn("act_quantity_unit", "Unidad de la cantidad", TEXT, 16),
    SheetColumn("act_weight", "Ponderación actividad", WEIGHT, 12),
    SheetColumn("act_start", "Fecha de inicio", DATE, 12),
    SheetColumn("act_end", "Fecha de fin", DATE, 12),
    SheetColumn("act_unit", "Dependencia", TEXT, 28, "units"),
    SheetColumn("act_responsible", "Responsable", TEXT, 18),
    SheetColumn("act_plans", "Planes del Decreto 612", TEXT, 30, "institutional_plans", True),
]
INDICATOR_COLUMNS = [
    SheetColumn("ind_code", "Código indicador", CODE, 12),
    SheetColumn("ind_name", "Indicador", TEXT, 36),
    SheetColumn("ind_formula", "Fórmula", TEXT, 30),
    SheetColumn("ind_measurement_unit", "Unidad", TEXT, 14),
    SheetColumn("ind_type", "Tipo de indicador", TEXT, 14, "types"),
    SheetColumn("ind_level", "Nivel", TEXT, 12, "levels"),
    SheetColumn("ind_accumulation", "Tipo de acumulación", TEXT, 16, "accumulations"),
    SheetColumn("ind_polarity", "Sentido", TEXT, 14, "polarities"),
    SheetColumn("ind_frequency", "Frecuencia", TEXT, 14, "frequencies"),
    SheetColumn("ind_baseline", "Línea base", NUMBER, 12),
    SheetColumn("ind_unit", "Dependencia del indicador", TEXT, 28, "units"),
]
BUDGET_COLUMNS = [
    SheetColumn("bud_appropriation", "Presupuesto (apropiación inicial)", MONEY, 18),
    SheetColumn("bud_year", "Vigencia", YEAR, 10),
    SheetColumn("bud_rubro", "Rubro", TEXT, 18),
    SheetColumn("bud_source", "Fuente", TEXT, 24, "sources"),
    SheetColumn("bud_bpin", "BPIN", CODE, 16),
]

SCHEDULE_PREFIX = "sched:"
TARGET_PREFIX = "target:"


def schedule_column(period):
    return SheetColumn(
        f"{SCHEDULE_PREFIX}{period.pk}",
        f"Programación {period.label}",
        WEIGHT,
        14,
    )


def target_column(period):
    return SheetColumn(
        f"{TARGET_PREFIX}{period.pk}",
        f"Meta del indicador {period.label}",
        NUMBER,
        14,
    )


def plan_columns(periods):
    """Every column of the sheet of a plan with ``periods`` (in date order), in order."""
    return [
        *OBJECTIVE_COLUMNS,
        *GOAL_COLUMNS,
        *ACTION_COLUMNS,
        *[schedule_column(period) for period in periods],
        *INDICATOR_COLUMNS,
        *[target_column(period) for period in periods],
        *BUDGET_COLUMNS,
    ]


# --- how the importer maps the columns to the services' fields -----------------------

# Service error field → sheet column, per kind; other fields go to the kind's code column.
ERROR_COLUMNS = {
    "objective": {"name": "obj_name", "weight": "obj_weight", "policies": "obj_policies"},
    "goal": {
        "name": "goal_name",
        "weight": "goal_weight",
        "product": "goal_product",
        "unit": "goal_unit",
    },
    "action": {
        "name": "act_name",
        "deliverable": "act_deliverable",
        "quantity_target": "act_quantity",
        "quantity_unit": "act_quantity_unit",
        "weight": "act_weight",
        "start_date": "act_start",
        "end_date": "act_end",
        "unit": "act_unit",
        "responsible": "act_responsible",
        "institutional_plans": "act_plans",
    },
    "indicator": {
        "name": "ind_name",
        "formula": "ind_formula",
        "measurement_unit": "ind_measurement_unit",
        "type": "ind_type",
        "level": "ind_level",
        "accumulation": "ind_accumulation",
        "polarity": "ind_polarity",
        "frequency": "ind_frequency",
        "baseline_value": "ind_baseline",
        "unit": "ind_unit",
    },
    "allocation": {
        "source": "bud_source",
        "year": "bud_year",
        "rubro": "bud_rubro",
        "appropriation": "bud_appropriation",
        "bpin": "bud_bpin",
    },
}
CODE_COLUMNS = {
    "objective": "obj_code",
    "goal": "goal_code",
    "action": "act_code",
    "schedule": "act_code",
    "indicator": "ind_code",
    "targets": "ind_code",
    "allocation": "bud_rubro",
}
# (column key, field) of what each kind takes from its row; blank weights are "not given".
OBJECTIVE_FIELDS = (("obj_name", "name"), ("obj_weight", "weight"), ("obj_policies", "policies"))
GOAL_FIELDS = (
    ("goal_name", "name"),
    ("goal_weight", "weight"),
    ("goal_product", "product"),
    ("goal_unit", "unit"),
)
ACTION_FIELDS = (
    ("act_name", "name"),
    ("act_deliverable", "deliverable"),
    ("act_quantity", "quantity_target"),
    ("act_quantity_unit", "quantity_unit"),
    ("act_weight", "weight"),
    ("act_start", "start_date"),
    ("act_end", "end_date"),
    ("act_unit", "unit"),
    ("act_responsible", "responsible"),
    ("act_plans", "institutional_plans"),
)
INDICATOR_FIELDS = (
    ("ind_name", "name"),
    ("ind_formula", "formula"),
    ("ind_measurement_unit", "measurement_unit"),
    ("ind_type", "type"),
    ("ind_level", "level"),
    ("ind_accumulation", "accumulation"),
    ("ind_polarity", "polarity"),
    ("ind_frequency", "frequency"),
    ("ind_baseline", "baseline_value"),
    ("ind_unit", "unit"),
)
MANY = {"policies", "institutional_plans"}
CHOICES = {"type", "level", "accumulation", "polarity", "frequency"}
WEIGHTS = {"weight"}
FOREIGN_KEYS = {"unit", "responsible", "goal", "objective"}


def normalise(text):
    """Compare what people type: no accents, no case, single spaces."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())
