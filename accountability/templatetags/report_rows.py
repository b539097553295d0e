"""The long lists of a report's page written in Python: at 20,000 actions the page has
30,000 narratives, 1,000 Control Interno comments and 2,000 indicators, and the template
engine spent most of the page's time on them (a node, a lookup and an escape per value).
Each filter gives exactly what the loop it replaced in ``_report_body.html`` gave: every
value localised and escaped the way ``{{ value }}`` does it, the same whitespace."""

import html

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from mipg.core.templatetags.mipg_format import money, number, percent, semaforo_badge

register = template.Library()


def _shown(value):
    """``value`` as ``{{ value }}`` shows it with autoescaping: localised (an integer gets
    the thousands separator), then escaped. A plain string goes straight to
    ``html.escape``, which Django's ``escape`` calls behind its lazy-string wrapper."""
    if value.__class__ is str:
        return html.escape(value)
    return conditional_escape(str(localize(value)))


@register.filter
def narrative_items(rows):
    """The ``<li>`` of each narrative: action code and name, period, text."""
    return mark_safe(
        "".join(
            f"<li><strong>{_shown(n['action'])} {_shown(n['name'])}</strong> "
            f"({_shown(n['period'])}): {_shown(n['text'])}</li>"
            for n in rows
        )
    )


@register.filter
def comment_items(rows):
    """The ``<li>`` of each Control Interno comment: action code and name, year-semester
    (the year as a year: 2026, never 2.026), text."""
    return mark_safe(
        "".join(
            f"<li><strong>{_shown(c['action'])} {_shown(c['name'])}</strong> "
            f"({_shown(str(c['year']))}-{_shown(c['semester'])}): {_shown(c['text'])}</li>"
            for c in rows
        )
    )


@register.filter
def indicator_rows(rows):
    """The ``<tr>`` of each indicator (code and name, target, executed, semáforo and
    compliance, formula and how it was computed), each between the whitespace the
    template's loop left around it."""
    return mark_safe(
        "".join(
            f'\n        <tr><th scope="row">{_shown(row["code"])} {_shown(row["name"])}</th>'
            f'<td class="text-end">{_shown(number(row["target"]))}</td>'
            f'<td class="text-end">{_shown(number(row["executed"]))}</td>'
            f"<td>{conditional_escape(semaforo_badge(row['state']))} "
            f"{_shown(percent(row['compliance']))}</td>"
            f"<td>{_shown(row['formula'])}"
            f"{': ' + _shown(row['explanation']) if row['explanation'] else ''}</td></tr>\n      "
            for row in rows
        )
    )


def _compliance(group):
    """traceability/_physical_compliance.html of a group (its newline included)."""
    if group["state"] == "no_programado":
        badge = f'<span class="badge text-bg-light">{_shown(gettext("No programado"))}</span>'
    else:
        badge = (
            f"{conditional_escape(semaforo_badge(group['state']))} "
            f'<span class="small">{_shown(percent(group["compliance"]))}</span>'
        )
    return badge + "\n"


def _actions_count(n):
    """The «N actividad(es)» of a group's row, as its ``blocktranslate count`` writes it."""
    return ngettext("%(n)s actividad", "%(n)s actividades", n) % {"n": _shown(n)}


@register.filter
def group_rows(groups):
    """The ``<tr>`` of each group (the snapshot's goals), exactly as the loop of
    traceability/_group_table.html writes them without ``links``: label and number of
    actions, planned and executed progress, compliance, budget, commitments and payments
    with their percentages. ``accountability/_group_table.html`` is that table with this
    loop (test_output_speed compares the two)."""
    rows = []
    for group in groups:
        finance = group["finance"]
        rows.append(
            "\n    <tr>\n"
            f'      <th scope="row">{_shown(group["label"])} '
            f'<span class="small text-body-secondary">{_actions_count(group["actions"])}</span>'
            "</th>\n"
            f'      <td class="text-end">{_shown(percent(group["planned"]))}</td>\n'
            f'      <td class="text-end">{_shown(percent(group["executed"]))}</td>\n'
            f"      <td>{_compliance(group)}</td>\n"
            f'      <td class="text-end">{_shown(money(finance["definitive"]))}</td>\n'
            f'      <td class="text-end">{_shown(money(finance["commitment"]))} '
            '<span class="small text-body-secondary">'
            f"({_shown(percent(finance['commitment_pct']))})</span></td>\n"
            f'      <td class="text-end">{_shown(money(finance["payment"]))} '
            '<span class="small text-body-secondary">'
            f"({_shown(percent(finance['payment_pct']))})</span></td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))
