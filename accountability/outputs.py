"""The outputs of a report, written from its snapshot only (never from the live data):
the HTML page, the open data (a CSV per table, the whole snapshot as JSON) and the
Frictionless ``datapackage.json`` that describes them. Each builder returns bytes, so
the same snapshot always gives the same files."""

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import encode_basestring

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML

from mipg.core import charts
from mipg.core.templatetags.mipg_format import money, percent

LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Atribución 4.0 Internacional",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless type: string, number, integer
    title: str
    description: str


@dataclass(frozen=True)
class Table:
    """One open-data table: a CSV resource, its fields and how each snapshot row gives them."""

    name: str
    title: str
    description: str
    key: str  # the snapshot's list
    fields: tuple


def _group_fields(first_title):
    return (
        Field("codigo", "string", "Código", "Código o clave del grupo."),
        Field("nombre", "string", first_title, "Nombre del grupo."),
        Field("actividades", "integer", "Actividades", "Número de actividades del grupo."),
        Field(
            "avance_programado",
            "number",
            "Avance programado (%)",
            "Avance físico que debía llevar al corte, en porcentaje.",
        ),
        Field(
            "avance_ejecutado",
            "number",
            "Avance ejecutado (%)",
            "Avance físico aprobado al corte, en porcentaje.",
        ),
        Field(
            "cumplimiento",
            "number",
            "Cumplimiento físico (%)",
            "Avance ejecutado dividido por el programado, en porcentaje.",
        ),
        *_money_fields(),
    )


def _money_fields():
    return (
        Field(
            "apropiacion_definitiva",
            "number",
            "Apropiación definitiva ($)",
            "Apropiación inicial más adiciones y créditos, menos reducciones y contracréditos.",
        ),
        Field("cdp", "number", "CDP ($)", "Certificados de disponibilidad presupuestal."),
        Field("compromisos", "number", "Compromisos ($)", "Registros presupuestales."),
        Field("obligaciones", "number", "Obligaciones ($)", "Bienes y servicios recibidos."),
        Field("pagos", "number", "Pagos ($)", "Pagos realizados."),
    )


TABLES = (
    Table(
        "objetivos",
        "Avance por objetivo",
        "Avance físico y financiero de cada objetivo.",
        "objectives",
        _group_fields("Objetivo"),
    ),
    Table(
        "metas",
        "Avance por meta",
        "Avance físico programado y ejecutado y presupuesto de cada meta.",
        "goals",
        _group_fields("Meta"),
    ),
    Table(
        "dimensiones",
        "Avance por dimensión del MIPG",
        "Avance de las actividades de cada dimensión del MIPG.",
        "dimensions",
        _group_fields("Dimensión"),
    ),
    Table(
        "politicas",
        "Avance por política del MIPG",
        "Avance de las actividades de cada política de gestión y desempeño.",
        "policies",
        _group_fields("Política"),
    ),
    Table(
        "planes_decreto_612",
        "Avance por plan del Decreto 612 de 2018",
        "Avance de las actividades de cada plan institucional.",
        "institutional_plans",
        _group_fields("Plan institucional"),
    ),
    Table(
        "fuentes_financiacion",
        "Ejecución presupuestal por fuente de financiación",
        "Apropiación, CDP, compromisos, obligaciones y pagos de cada fuente.",
        "funding_sources",
        (
            Field("fuente", "string", "Fuente de financiación", "Nombre de la fuente."),
            *_money_fields(),
        ),
    ),
    Table(
        "indicadores",
        "Indicadores",
        "Meta, valor ejecutado, cumplimiento y semáforo de cada indicador y su fórmula.",
        "indicators",
        (
            Field("codigo", "string", "Código", "Código del indicador."),
            Field("nombre", "string", "Indicador", "Nombre del indicador."),
            Field("formula", "string", "Fórmula", "Fórmula del indicador."),
            Field("meta", "number", "Meta", "Meta al corte."),
            Field("ejecutado", "number", "Ejecutado", "Valor aprobado al corte."),
            Field("cumplimiento", "number", "Cumplimiento (%)", "Ejecutado frente a la meta."),
            Field("semaforo", "string", "Semáforo", "Estado: verde, amarillo, rojo o sin dato."),
            Field("calculo", "string", "Cálculo", "La fórmula con los valores del corte."),
        ),
    ),
    Table(
        "actividades",
        "Avance por actividad",
        "Avance físico programado y ejecutado, presupuesto, dependencia y grupos del MIPG "
        "de cada actividad del plan.",
        "actions",
        (
            Field("codigo", "string", "Código", "Código de la actividad."),
            Field("nombre", "string", "Actividad", "Nombre de la actividad."),
            Field("meta", "string", "Meta", "Código de la meta a la que pertenece."),
            Field("objetivo", "string", "Objetivo", "Código del objetivo de la meta."),
            Field("dependencia", "string", "Dependencia", "Dependencia responsable."),
            Field(
                "politicas_mipg",
                "string",
                "Políticas del MIPG",
                "Códigos de las políticas de gestión y desempeño de su objetivo, separados "
                "por punto y coma.",
            ),
            Field(
                "planes_decreto_612",
                "string",
                "Planes del Decreto 612",
                "Códigos de los planes institucionales a los que aporta, separados por punto "
                "y coma.",
            ),
            *_group_fields("Actividad")[3:6],
            Field(
                "semaforo",
                "string",
                "Semáforo",
                "Estado del cumplimiento físico: verde, amarillo, rojo o no programado.",
            ),
            *_money_fields(),
        ),
    ),
)


def _money_values(row):
    return [row["definitive"], row["cdp"], row["commitment"], row["obligation"], row["payment"]]


def _rows(table, snapshot):
    """The snapshot's rows of ``table``; actions (a dict since snapshot version 2, absent
    before) in tree order."""
    rows = snapshot.get(table.key, [])
    if isinstance(rows, dict):
        rows = sorted(rows.values(), key=lambda row: row["order"])
    return rows


def _row(table, row):
    if table.key == "funding_sources":
        return [row["source"], *_money_values(row)]
    if table.key == "indicators":
        return [
            row["code"],
            row["name"],
            row["formula"],
            row["target"],
            row["executed"],
            row["compliance"],
            row["state"],
            row["explanation"],
        ]
    if table.key == "actions":
        return [
            row["code"],
            row["name"],
            row["goal_code"],
            row["objective"],
            row["unit"],
            ";".join(row["policies"]),
            ";".join(row["institutional_plans"]),
            row["planned"],
            row["executed"],
            row["compliance"],
            row["state"],
            *_money_values(row["finance"]),
        ]
    return [
        row["code"],
        row["name"],
        row.get("actions"),
        row["planned"],
        row["executed"],
        row["compliance"],
        *_money_values(row["finance"]),
    ]


def table_csv(table, snapshot):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([f.name for f in table.fields])
    for row in _rows(table, snapshot):
        writer.writerow(["" if v is None else v for v in _row(table, row)])
    return buffer.getvalue().encode()


def snapshot_json(snapshot):
    """The snapshot as ``informe.json``: exactly ``json.dumps(snapshot, ensure_ascii=False,
    indent=2, sort_keys=True)``, built about twice as fast (with ``indent`` the standard
    library falls back to its pure-Python encoder, one generator per level: about 2 s for
    the 25 MB of a 20,000-action plan). Anything but dicts with string keys, lists,
    strings, integers, booleans and None goes to ``json.dumps`` itself."""
    try:
        text = _indented(snapshot, "")
    except _Unsupported:
        text = json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True)
    return text.encode()


class _Unsupported(Exception):
    """A value ``_indented`` leaves to ``json.dumps``."""


def _indented(value, indent):
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)``
    writes it at nesting ``indent``: the same separators, the same key order and the same
    string escapes (``encode_basestring`` is the function json.dumps uses)."""
    kind = value.__class__
    if kind is str:
        return encode_basestring(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + "  "
        parts = []
        for key, item in sorted(value.items()):
            if key.__class__ is not str:
                raise _Unsupported
            if item.__class__ is str:
                parts.append(f"{inner}{encode_basestring(key)}: {encode_basestring(item)}")
            elif item is None:
                parts.append(f"{inner}{encode_basestring(key)}: null")
            else:
                parts.append(f"{inner}{encode_basestring(key)}: {_indented(item, inner)}")
        return "{\n" + ",\n".join(parts) + "\n" + indent + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = indent + "  "
        items = ",\n".join(inner + _indented(item, inner) for item in value)
        return "[\n" + items + "\n" + indent + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    raise _Unsupported


def datapackage(snapshot, *, name):
    """The Frictionless descriptor of the report's open data (Spanish metadata)."""
    cutoff = snapshot["cutoff"]
    package = {
        "name": name,
        "title": f"{snapshot['title']} — datos abiertos",
        "description": (
            f"Cifras aprobadas del plan «{snapshot['plan']['name']}» al corte "
            f"{cutoff['label']} ({cutoff['end_date']}), congeladas en el informe."
        ),
        "licenses": [LICENSE],
        "sources": [{"title": snapshot["entity"] or "Entidad", "path": "https://www.datos.gov.co"}],
        "publisher": snapshot["entity"],
        "resources": [
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {
                            "name": f.name,
                            "type": f.type,
                            "title": f.title,
                            "description": f.description,
                        }
                        for f in table.fields
                    ]
                },
            }
            for table in TABLES
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2).encode()


def _decimal(value):
    return None if value is None else Decimal(value)


def report_charts(snapshot):
    """The dashboard's charts drawn from the snapshot's figures."""
    planned, executed = _("Programado"), _("Ejecutado")
    result = []
    for key, title in (
        ("objectives", _("Avance físico por objetivo")),
        ("dimensions", _("Avance físico por dimensión del MIPG")),
        ("institutional_plans", _("Avance físico por plan del Decreto 612")),
    ):
        rows = snapshot[key]
        if rows:
            result.append(
                charts.grouped_bars(
                    title=title,
                    description=_("Avance físico programado y ejecutado al corte, en porcentaje."),
                    categories=[r["code"] for r in rows],
                    names=[r["label"] for r in rows],
                    series=[
                        (planned, [_decimal(r["planned"]) for r in rows]),
                        (executed, [_decimal(r["executed"]) for r in rows]),
                    ],
                    formatter=percent,
                )
            )
    sources = snapshot["funding_sources"]
    if sources:
        result.append(
            charts.grouped_bars(
                title=_("Ejecución presupuestal por fuente de financiación"),
                description=_(
                    "Apropiación definitiva, compromisos y pagos de cada fuente, en pesos."
                ),
                categories=[s["source"] for s in sources],
                series=[
                    (_("Apropiación definitiva"), [_decimal(s["definitive"]) for s in sources]),
                    (_("Compromisos"), [_decimal(s["commitment"]) for s in sources]),
                    (_("Pagos"), [_decimal(s["payment"]) for s in sources]),
                ],
                value_title="$",
                formatter=money,
            )
        )
    return result


def report_context(snapshot, *, kind_label):
    """The context of the report's page and PDF (the charts are drawn once for both)."""
    return {"s": snapshot, "kind_label": kind_label, "charts": report_charts(snapshot)}


def report_html(context):
    return render_to_string("accountability/report.html", context).encode()


# The PDF lists at most PDF_ROWS goals and indicators and quotes at most PDF_QUOTES of the
# Responsables' narratives and of Control Interno's comments: a plan of 20,000 actions has
# thousands of goals and indicators and tens of thousands of narratives, which would make a
# PDF of thousands of pages (many minutes to lay out: WeasyPrint's time grows with every
# page of a long table). The HTML page and the open data (informe.json, the CSV) keep them
# all; the PDF says how many it leaves out and where they are.
PDF_ROWS = 200
PDF_QUOTES = 200


def report_pdf(context):
    """The report as a tagged PDF (WeasyPrint's PDF/UA-1 variant, for screen readers):
    cover, contents with page numbers, numbered pages, charts, and tables whose header
    row repeats on every page they span. Goals and indicators: the first PDF_ROWS;
    narratives and comments: the first PDF_QUOTES."""
    snapshot = context["s"]
    narratives, comments = snapshot["narratives"], snapshot["control_comments"]
    goals, indicators = snapshot["goals"], snapshot["indicators"]
    context = {
        **context,
        "pdf_goals": goals[:PDF_ROWS],
        "pdf_goals_left_out": max(len(goals) - PDF_ROWS, 0),
        "pdf_indicators": indicators[:PDF_ROWS],
        "pdf_indicators_left_out": max(len(indicators) - PDF_ROWS, 0),
        "pdf_narratives": narratives[:PDF_QUOTES],
        "pdf_narratives_left_out": max(len(narratives) - PDF_QUOTES, 0),
        "pdf_comments": comments[:PDF_QUOTES],
        "pdf_comments_left_out": max(len(comments) - PDF_QUOTES, 0),
    }
    html = render_to_string("accountability/report_pdf.html", context)
    stylesheet = CSS(string=render_to_string("accountability/report_pdf.css"))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")
