"""The faster writers of a report's outputs give exactly what the slower ones gave:
``informe.json`` is byte for byte ``json.dumps(..., indent=2, sort_keys=True)``, the report
page's long lists are what the template loops they replaced rendered, and the report's
history no longer copies its snapshot (nor do publication and withdrawal read or write it)."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accountability import outputs, selectors
from accountability.models import AccountabilityReport
from accountability.services import (
    publish_report,
    withdraw_report,
)
from management.selectors.budget import BudgetTotals
from tests.builders import dashboard_example, generated_report

TRICKY = 'Ñandú «año» "citas" \\ barra\n\ttab \x01 \u2028 😀 <b>&amp;</b> \' é'


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": {}, "b": [], "c": [{}], "d": [[]]},
        {"z": 1, "a": -2, "m": 0, "t": True, "f": False, "n": None},
        {TRICKY: TRICKY, "lista": [TRICKY, 3, None, {"x": [1, [2, {"y": "z"}]]}]},
        {"version": 2, "actions": {"a10": {"order": 1}, "a9": {"order": 0}}},
        ("una", "tupla"),
        "sola cadena",
        12345678901234567890,
        None,
    ],
)
def test_informe_json_is_what_json_dumps_writes(value):
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode()
    assert outputs.snapshot_json(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"número": 1.5, "b": "x"},  # a float: json.dumps writes it
        {2: "dos", 1: "uno"},  # keys json.dumps converts
        {"a": float("nan")},
    ],
)
def test_informe_json_leaves_other_values_to_json_dumps(value):
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode()
    assert outputs.snapshot_json(value) == expected


def test_informe_json_refuses_what_json_dumps_refuses():
    with pytest.raises(TypeError):
        outputs.snapshot_json({"a": Decimal("1.5")})


# The loops of _report_body.html before they became filters (accountability.templatetags).
OLD_LOOPS = {
    "narrative_items": (
        "{% for n in rows %}<li><strong>{{ n.action }} {{ n.name }}</strong> "
        "({{ n.period }}): {{ n.text }}</li>{% endfor %}"
    ),
    "comment_items": (
        "{% load l10n %}{% for c in rows %}<li><strong>{{ c.action }} {{ c.name }}</strong> "
        "({{ c.year|unlocalize }}-{{ c.semester }}): {{ c.text }}</li>{% endfor %}"
    ),
    "indicator_rows": (
        "{% load mipg_format %}{% for row in rows %}\n"
        '        <tr><th scope="row">{{ row.code }} {{ row.name }}</th>'
        '<td class="text-end">{{ row.target|number }}</td>'
        '<td class="text-end">{{ row.executed|number }}</td>'
        "<td>{% semaforo_badge row.state %} {{ row.compliance|percent }}</td>"
        "<td>{{ row.formula }}{% if row.explanation %}: {{ row.explanation }}{% endif %}</td>"
        "</tr>\n      {% endfor %}"
    ),
}
NARRATIVES = [
    {"action": "A1.1.1", "name": TRICKY, "period": "T1 2026", "text": "Se hizo <todo> & más"},
    {"action": "A<2>", "name": "", "period": "T2 2026", "text": TRICKY},
]
COMMENTS = [
    {"action": "A1", "name": TRICKY, "year": 2026, "semester": 1, "rating": "x", "text": "¡Ojo!"},
    {"action": "A&2", "name": "B", "year": 1999, "semester": 2, "rating": "", "text": ""},
]
INDICATORS = [
    {
        "code": "I1",
        "name": TRICKY,
        "formula": "a / b × 100 < 3",
        "target": "1500.0000",
        "executed": "2.5",
        "compliance": "66.666666",
        "state": "verde",
        "explanation": "10 / 15 & «más»",
        "measurement_unit": "%",
    },
    {
        "code": "I<2>",
        "name": "Sin datos",
        "formula": "",
        "target": None,
        "executed": None,
        "compliance": None,
        "state": "sin_reporte",
        "explanation": "",
        "measurement_unit": "",
    },
    {
        "code": "I3",
        "name": "Sin estado",
        "formula": "f",
        "target": "0",
        "executed": "-3.25",
        "compliance": "0",
        "state": "",
        "explanation": None,
        "measurement_unit": "",
    },
]


def test_comment_years_are_written_as_years():
    html = Template("{% load report_rows %}{{ rows|comment_items }}").render(
        Context({"rows": COMMENTS})
    )
    assert "(2026-1): ¡Ojo!" in html and "(1999-2)" in html and "2.026" not in html


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("narrative_items", NARRATIVES),
        ("comment_items", COMMENTS),
        ("indicator_rows", INDICATORS),
        ("indicator_rows", []),
    ],
)
def test_report_rows_are_what_the_template_loops_rendered(name, rows):
    old = Template(OLD_LOOPS[name]).render(Context({"rows": rows}))
    new = Template(f"{{% load report_rows %}}{{{{ rows|{name} }}}}").render(Context({"rows": rows}))
    assert new == old


@pytest.fixture
def ready_report(db, media_root, planner):
    return generated_report(dashboard_example(), planner)


def test_the_history_keeps_every_field_but_the_snapshot(ready_report):
    history_fields = {f.name for f in AccountabilityReport.history.model._meta.fields}
    assert "snapshot" not in history_fields
    assert {"status", "sha256", "generation", "title"} <= history_fields
    assert ready_report.history.first().status == AccountabilityReport.Status.READY


def test_publication_and_withdrawal_never_read_nor_write_the_snapshot(ready_report, planner):
    snapshot = AccountabilityReport.objects.get(pk=ready_report.pk).snapshot
    with CaptureQueriesContext(connection) as queries:
        published = publish_report(ready_report, by=planner)
        withdraw_report(published, reason="Error en una cifra", by=planner)
    assert not [q["sql"] for q in queries if "snapshot" in q["sql"]]
    report = AccountabilityReport.objects.get(pk=ready_report.pk)
    assert report.status == AccountabilityReport.Status.WITHDRAWN
    assert report.snapshot == snapshot
    assert [h.status for h in report.history.all()[:3]] == [
        AccountabilityReport.Status.WITHDRAWN,
        AccountabilityReport.Status.PUBLISHED,
        AccountabilityReport.Status.READY,
    ]


def _group(key, label, actions, state, compliance, **finance):
    amounts = {"definitive": "0", "commitment": "0", "payment": "0"} | finance
    amounts.setdefault("commitment_pct", None)
    amounts.setdefault("payment_pct", None)
    return {
        "key": key,
        "code": key,
        "name": label,
        "label": label,
        "actions": actions,
        "planned": "50.5",
        "executed": None,
        "compliance": compliance,
        "state": state,
        "finance": amounts,
    }


GROUPS = [
    _group("1", TRICKY, 1, "verde", "101.005", definitive="1234567.5", commitment_pct="12.345"),
    _group("2", "M2 Sin programar", 0, "no_programado", None, payment="-3", payment_pct="0"),
    _group("3", "M3 & <mil>", 1500, "rojo", "0", commitment="99.99", commitment_pct="100"),
    _group("4", "M4", 2, "", "1"),
]


@pytest.mark.parametrize("language", ["es-co", "en"])
@pytest.mark.parametrize("groups", [GROUPS, []])
def test_the_report_group_table_is_the_traceability_one(groups, language):
    """accountability/_group_table.html (rows from group_rows) writes what
    traceability/_group_table.html writes for the same groups, in either language."""
    context = {"groups": groups, "first": "Meta", "caption": "Metas <&>", "empty": "Vacío"}
    with translation.override(language):
        old = Template('{% include "traceability/_group_table.html" %}').render(Context(context))
        new = Template('{% include "accountability/_group_table.html" %}').render(Context(context))
    assert new == old


@pytest.mark.parametrize(
    "amounts",
    [
        # appropriation, modifications, cdp, commitment, obligation, payment
        ("1000", "0", "900", "600", "300", "150"),
        ("1000", "-1000", "0", "0", "0", "0"),  # definitive 0: no percentages
        ("0", "0", "0", "0", "0", "0"),
        ("1234567.89", "-234567.89", "1000000", "333333.33", "1", "0.01"),
        ("300", "150.5", "450.5", "450.5", "450.5", "450.5"),
    ],
)
def test_the_snapshot_s_fast_budget_is_budget_totals_rule(amounts):
    """_node_finance repeats BudgetTotals' apropiación definitiva and percentages without
    its properties (22,000 nodes at 20,000 actions): it must give what they give."""
    names = ("appropriation", "modifications", "cdp", "commitment", "obligation", "payment")
    node = BudgetTotals(**{n: Decimal(v) for n, v in zip(names, amounts, strict=True)})
    assert selectors._node_finance(node) == selectors._finance(BudgetTotals.sum([node]))
