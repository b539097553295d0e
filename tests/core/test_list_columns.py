"""One column list per list page: the HTML table's headers and the export's columns come
from the same declaration (mipg.core.exports.Column)."""

import pytest
from django.utils.translation import override

from evaluation.views.lists import COLUMNS as INDICATOR_COLUMNS
from evaluation.views.lists import period_columns
from management.views.action_list import COLUMNS as ACTION_COLUMNS
from management.views.lists import ALLOCATION_COLUMNS, REPORT_COLUMNS
from mipg.core.exports import Column, exported, table_headers
from tests.builders import ACTION_PATH_HEADERS


def labels(pairs):
    with override("es"):
        return [(str(label), key) for label, key in pairs]


def headers(columns):
    with override("es"):
        return [str(column.header) for column in exported(columns)]


def test_table_takes_the_columns_with_a_heading_and_the_export_those_not_table_only():
    columns = [
        Column("Plan", "plan.name"),
        Column("Código", "code", heading="Cód.", sort="code"),
        Column("Meta", "goal", heading="Meta", export=False),
    ]
    assert table_headers(columns) == [("Cód.", "code"), ("Meta", None)]
    assert [c.header for c in exported(columns)] == ["Plan", "Código"]


def test_action_list_table_and_export_columns():
    assert labels(table_headers(ACTION_COLUMNS)) == [
        ("Código", "code"),
        ("Actividad", "name"),
        ("Meta", None),
        ("Objetivo", None),
        ("Dependencia", "unit"),
        ("Inicio", "start_date"),
        ("Fin", "end_date"),
        ("Ponderación", "weight"),
        ("Avance programado", None),
        ("Avance físico", None),
        ("Planes Decreto 612", None),
        ("Políticas MIPG", None),
    ]
    assert headers(ACTION_COLUMNS)[:7] == ACTION_PATH_HEADERS
    assert len(exported(ACTION_COLUMNS)) == 22  # + planned, compliance, 3 of quantity


def test_report_and_allocation_tables_are_subsets_of_their_exports_in_order():
    assert labels(table_headers(REPORT_COLUMNS)) == [
        ("Actividad", "action"),
        ("Dependencia", None),
        ("Periodo", "period"),
        ("Avance", "progress"),
        ("Estado", "status"),
        ("Enviado por", None),
        ("Enviado el", "submitted_at"),
        ("Revisado por", None),
    ]
    assert labels(table_headers(ALLOCATION_COLUMNS)) == [
        ("Actividad", "action"),
        ("Dependencia", None),
        ("Fuente", None),
        ("Vigencia", "year"),
        ("Rubro", "rubro"),
        ("Apropiación definitiva", "definitive"),
        ("CDP", None),
        ("Compromiso / RP", None),
        ("Obligación", None),
        ("Pago", None),
        ("Compromiso (%)", None),
    ]
    assert len(exported(REPORT_COLUMNS)) == 16  # + 3 of quantity
    assert len(exported(ALLOCATION_COLUMNS)) == 17  # + modificaciones, apropiación definitiva


@pytest.mark.django_db
def test_indicator_list_columns_with_and_without_a_period():
    expected = [
        ("Código", "code"),
        ("Indicador", "name"),
        ("Mide", None),
        ("Dependencia", "unit"),
        ("Unidad de medida", None),
        ("Tipo", None),
        ("Acumulación", None),
        ("Sentido", None),
    ]
    assert labels(table_headers(INDICATOR_COLUMNS)) == expected
    figures = period_columns(period=None, results={})
    assert labels(table_headers(INDICATOR_COLUMNS + figures)) == expected + [
        ("Meta", None),
        ("Ejecutado", None),
        ("Cumplimiento", None),
        ("Semáforo", None),
    ]
    assert headers(figures) == [
        "Periodo",
        "Meta del periodo",
        "Ejecutado (aprobado)",
        "Cumplimiento (%)",
        "Semáforo",
        "Cálculo",  # the formula with the numbers (issue 8: every figure explainable)
    ]
    assert headers(INDICATOR_COLUMNS).count("Unidad de medida") == 1
